// Trace hashes pinned before the simulation-speed work: a change that claims not to alter what
// a run does (an optimisation, a refactoring) must keep every one of these. A change that does
// alter behaviour on purpose regenerates them (docs/performance.md says how) and says why in
// its commit message.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "faults/scenario.h"
#include "sim/scenario_run.h"
#include "sim/world.h"
#include "tests/run_reckon.h"

namespace reckon::sim {
namespace {

struct PinnedRun {
  uint64_t seed;
  const char* trace_hash;
};

// `reckon sweep --seeds 1..50 --report r.json`: runs[].trace_hash.
const std::vector<PinnedRun> kDefaultRuns = {
    {1, "cf07b4d5984ec954"},  {2, "ed9f1ea0fc4e1552"},  {3, "4fcd2b8724e2ca2d"},
    {4, "ddad28aa6f924b84"},  {5, "8738d5565a75ecda"},  {6, "2458f76e7e68e7dc"},
    {7, "9556bb535766484e"},  {8, "e4694df5a0a1e398"},  {9, "79ef422090f2d029"},
    {10, "addfac75daeb211a"}, {11, "719894647272402a"}, {12, "a3b7a0e9aa7f0bcd"},
    {13, "c2746d3629218f78"}, {14, "ab95464f68ece145"}, {15, "7d201d8c6e8e3591"},
    {16, "0514a45afac0b69c"}, {17, "c01a53cb40533a25"}, {18, "e07681bd3aa6bb04"},
    {19, "f3668ae2c582fa22"}, {20, "b9c5584bb3617d8a"}, {21, "2a750b855bcc789c"},
    {22, "8c9846d7ba7ac69d"}, {23, "749861a9de8f2a0d"}, {24, "3860ae93b79fd941"},
    {25, "b4d4c99d997caad8"}, {26, "b56a319233c6dc74"}, {27, "d9f1749a71d11eb9"},
    {28, "9f8fdeb78860fbf1"}, {29, "a1bffdd47d731df8"}, {30, "9edba5bfe68c9def"},
    {31, "e7ef51bb983e4862"}, {32, "adc1bb49636d41a1"}, {33, "a09f1777fca2aaeb"},
    {34, "1eb7e3f3be673d13"}, {35, "c36137f322bee740"}, {36, "a8a38e600d2f4f90"},
    {37, "e6efa58a48688c31"}, {38, "ef43efff7eeb4730"}, {39, "dcf4bf63b8603a9b"},
    {40, "d08b2d80189279f7"}, {41, "ed869ab914018e93"}, {42, "7241560519b7a3f0"},
    {43, "a4ba7e23d26d49fe"}, {44, "4374f945f8172ad2"}, {45, "33b041127007a937"},
    {46, "62de6c8de9b5ac05"}, {47, "f5cc8be477eaa28b"}, {48, "8b38272e7d0c920b"},
    {49, "9989dc34eca0456a"}, {50, "bf89aa2a9d3192be"},
};

struct PinnedScenario {
  const char* file;  // under scenarios/fast/
  std::vector<PinnedRun> runs;
};

// `reckon sweep --scenario scenarios/fast/F --seeds 1..10 --report r.json`.
const std::vector<PinnedScenario> kScenarioRuns = {
    {"crash-during-recovery.toml",
     {{1, "a5c3f230749857a0"},
      {2, "c96476ba1822661a"},
      {3, "ed34c80be44609aa"},
      {4, "49974ccf0d61a016"},
      {5, "b6b95965e3e8e09d"},
      {6, "4016730dae63a3ea"},
      {7, "6e61bde49735505b"},
      {8, "01f340824576d7fe"},
      {9, "f4cddec344b08525"},
      {10, "d25b746b4be5917d"}}},
    {"duplicate-webhooks.toml",
     {{1, "c90ad5dcd560dee9"},
      {2, "c398e9c7ce2eefff"},
      {3, "6c41e62738b861de"},
      {4, "6b99dd4741f2604f"},
      {5, "670beb2d1caabdcb"},
      {6, "d1b708a5d53fd9da"},
      {7, "f4c3472f21f152ab"},
      {8, "45e32c2b249e5c0f"},
      {9, "68f4f04a0012832b"},
      {10, "4216006985b9f6c6"}}},
    {"settlement-discrepancies.toml",
     {{1, "17a9692eb74ba382"},
      {2, "8e9915f40ca6482c"},
      {3, "5b7b75b1cc4249e1"},
      {4, "f01731b7c7962cd5"},
      {5, "d931f143f40cf1ff"},
      {6, "0193e85dacdfd106"},
      {7, "56cb8173c959d559"},
      {8, "e7fa19cc4fdcfb1f"},
      {9, "c8bc57975036e8d8"},
      {10, "0b307dbf0dafa69f"}}},
    {"swarm.toml",
     {{1, "c8093afccd74e7fa"},
      {2, "be32788a03923036"},
      {3, "0df8b6603287f361"},
      {4, "f0bcc68292f9647f"},
      {5, "60ac3f5c631a9bf3"},
      {6, "032ebbeaf189f373"},
      {7, "b4e7cc36d728ae35"},
      {8, "c99724cfb8d283ad"},
      {9, "2d455fdc6a9b5ca1"},
      {10, "94d2ff677dd48ac1"}}},
    {"torn-write.toml",
     {{1, "bc9fb4af4e425bdb"},
      {2, "06ba34ae88e64882"},
      {3, "e40e693a39dd8984"},
      {4, "0bb6de74a2fef975"},
      {5, "710ed1fc34525c29"},
      {6, "099607027a1dcae8"},
      {7, "96e65a0496f2894d"},
      {8, "31215cf85e9ec21f"},
      {9, "6607d6bc39ec1762"},
      {10, "b55e24a4fce1a26a"}}},
};

TEST(TraceHashes, DefaultRunsKeepTheirPinnedHashes) {
  for (const PinnedRun& pinned : kDefaultRuns) {
    RunConfig config;
    config.seed = pinned.seed;
    EXPECT_EQ(run_simulation(config).trace_hash, pinned.trace_hash)
        << "default seed " << pinned.seed;
  }
}

TEST(TraceHashes, FastScenariosKeepTheirPinnedHashes) {
  for (const PinnedScenario& pinned : kScenarioRuns) {
    const auto path = std::filesystem::path(RECKON_SCENARIOS_DIR) / "fast" / pinned.file;
    faults::ScenarioError error;
    const auto scenario = faults::load_scenario(path.string(), error);
    ASSERT_TRUE(scenario.has_value()) << error.str();
    const auto base = run_config_for(*scenario, error);
    ASSERT_TRUE(base.has_value()) << error.str();
    for (const PinnedRun& run : pinned.runs) {
      RunConfig config = *base;
      config.seed = run.seed;
      EXPECT_EQ(run_simulation(config).trace_hash, run.trace_hash)
          << pinned.file << " seed " << run.seed;
    }
  }
}

// The reckon command runs with its own allocator tuning (cli/allocator.h, SQLite's memory
// hooks), which the in-process runs above do not install: the command's hashes must agree.
TEST(TraceHashes, TheReckonCommandGivesThePinnedHashes) {
  const std::string report = testing::temp_path("trace-hashes.json");
  const auto run = testing::run_reckon("sweep --seeds 1..50 --jobs 2 --report " + report);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const auto json = nlohmann::json::parse(testing::read_file(report));
  std::map<uint64_t, std::string> hashes;
  for (const auto& r : json.at("runs")) {
    hashes[r.at("seed").get<uint64_t>()] = r.at("trace_hash").get<std::string>();
  }
  ASSERT_EQ(hashes.size(), kDefaultRuns.size());
  for (const PinnedRun& pinned : kDefaultRuns) {
    EXPECT_EQ(hashes[pinned.seed], pinned.trace_hash) << "default seed " << pinned.seed;
  }
  std::remove(report.c_str());
}

}  // namespace
}  // namespace reckon::sim
