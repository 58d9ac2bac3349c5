// Trace hashes pinned before the simulation-speed work: a change that claims not to alter what
// a run does (an optimisation, a refactoring) must keep every one of these. A change that does
// alter behaviour on purpose regenerates them (`python3 tools/dev/repin_trace_hashes.py`, after
// building reckon) and says why in its commit message.
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
    {1, "ff29a614373d4043"},  {2, "96cf704ba4347c36"},  {3, "a0b7e2f8e04e04f7"},
    {4, "eaf8245ce5f456ef"},  {5, "260041fddc6982da"},  {6, "038ff3a8ddb16d40"},
    {7, "9627600e62ac7592"},  {8, "e0d3a48b7a6e2c0e"},  {9, "9296a33dd2a346e2"},
    {10, "38db1646ba3af123"}, {11, "fd75e60dea192498"}, {12, "2ffe1f10391145cd"},
    {13, "8c7c3f4b8ad5c87c"}, {14, "85f7b56301182d30"}, {15, "1604b13fce58d9be"},
    {16, "9e83b255f71167bc"}, {17, "7f25f17b736b0507"}, {18, "c5bc829a4d194410"},
    {19, "7e298db4dcfa7acf"}, {20, "c1831f3bb6b9e4a0"}, {21, "b4eaa126fb49bc0d"},
    {22, "35abb71c09a6bdd5"}, {23, "24b9a0a0b62ef26a"}, {24, "47c82cb67e4f18c1"},
    {25, "4ab4cafad8845298"}, {26, "f5a31ec7a97163ce"}, {27, "925ce16d7b246d61"},
    {28, "6930dfb76a0d3e81"}, {29, "34879f7c348c98a3"}, {30, "addbfa1f9e5d36ee"},
    {31, "ca090477ab252d8a"}, {32, "093f0f047b949d03"}, {33, "25b1358f60b695c5"},
    {34, "ff7c68ef6dca144e"}, {35, "de3d22ab29660256"}, {36, "5a165ba8ff295138"},
    {37, "7134b0e3f0ec0b61"}, {38, "690c93f47b03749c"}, {39, "0a43e2ee359688d8"},
    {40, "f3bc281846e549d7"}, {41, "ce2e09f95f519c24"}, {42, "5ab958655621d423"},
    {43, "ecf4879d5ad17a4d"}, {44, "0d34b00a5478770a"}, {45, "4326480ed6872bea"},
    {46, "ac636eb6a60ec643"}, {47, "0b6212c9e512f3a3"}, {48, "fd33daec43fd2153"},
    {49, "6c172a54b88d3d47"}, {50, "3b9fb1f11c6cee6f"},
};

struct PinnedScenario {
  const char* file;  // under scenarios/fast/
  std::vector<PinnedRun> runs;
};

// `reckon sweep --scenario scenarios/fast/F --seeds 1..10 --report r.json`.
const std::vector<PinnedScenario> kScenarioRuns = {
    {"crash-during-recovery.toml",
     {{1, "160f5dc67a38a462"},
      {2, "10da78f6e021e0d5"},
      {3, "b4eecb24d65f3510"},
      {4, "c3bb66a32be7a5fe"},
      {5, "051b0514e3a2c4dc"},
      {6, "8a8803b552c48e76"},
      {7, "43234c0b9de696b6"},
      {8, "7de625b10f9cf374"},
      {9, "f80f371c9bef6a62"},
      {10, "24c63c2a63670636"}}},
    {"duplicate-webhooks.toml",
     {{1, "202c9b9dc4eef996"},
      {2, "74813ab17e4a8f06"},
      {3, "416c6eb6febeef8d"},
      {4, "dc13b57c8f986f6c"},
      {5, "cea45773a1cac28c"},
      {6, "e0071a8bdaded422"},
      {7, "7c9554e016019e0c"},
      {8, "38913cba211341d0"},
      {9, "d7664f8879d992c8"},
      {10, "e10d19d1910af186"}}},
    {"settlement-discrepancies.toml",
     {{1, "e8b04c1789069132"},
      {2, "b1f6a3a8c59c6937"},
      {3, "80af45647b9e412b"},
      {4, "3b46d6221c9f986d"},
      {5, "1604939b6fab9ffa"},
      {6, "8d0db1145fe2688c"},
      {7, "88f45ac724b97d83"},
      {8, "9812937561452489"},
      {9, "9729ab5a914728cd"},
      {10, "b2b0330c9f9cde4d"}}},
    {"swarm.toml",
     {{1, "7e3d645e4b60d7a3"},
      {2, "7eb68062171a0583"},
      {3, "bf22546c56af3e1d"},
      {4, "7b05e46b777bbd1a"},
      {5, "9e1500e5db3f3a5c"},
      {6, "4b977c9d1f0178fa"},
      {7, "1ea242e63c3a618c"},
      {8, "65af4314db60ac0f"},
      {9, "03aa6a0b3281bdd6"},
      {10, "1888d703a39576d9"}}},
    {"torn-write.toml",
     {{1, "c88648cf54eb8dab"},
      {2, "8d67b35af743430d"},
      {3, "db4cdd9a059e1755"},
      {4, "6ef3f486a090f5b5"},
      {5, "fcfbb20c74163490"},
      {6, "4d2613e6397e7375"},
      {7, "69b905cd562b7785"},
      {8, "3ac21a56973f9212"},
      {9, "f759bcd87b067caa"},
      {10, "71e174c345bd9623"}}},
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
