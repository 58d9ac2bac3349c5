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
    {1, "c5d9bc1c7f074d35"},  {2, "33379b5a6b6917ac"},  {3, "71849e4cc59f4fbc"},
    {4, "960610e05fd2f75c"},  {5, "b097d70571aa1424"},  {6, "77bbaab29a30a4cf"},
    {7, "f199eaff96214896"},  {8, "8acfeb72dfbb6b51"},  {9, "3c6a87858f882c57"},
    {10, "9015edc785f4e9d6"}, {11, "63c91113d5913847"}, {12, "af3abc2444fd2de7"},
    {13, "a73a8669d624e981"}, {14, "d5adcdcc2fe42702"}, {15, "fb944020a5ed766d"},
    {16, "fb5442356aadf2ec"}, {17, "1713ef647a476fa2"}, {18, "53aefab6fb4bad24"},
    {19, "dfad081dbbb65d07"}, {20, "83e642f17b437113"}, {21, "06f824bd9fe70846"},
    {22, "093ccef037a5324b"}, {23, "3048ce5db0b2c098"}, {24, "d224df20425c67f9"},
    {25, "4db2e8cd41a897c2"}, {26, "2c65300a2522d276"}, {27, "62b2323edb407b79"},
    {28, "f24ce907300cf4dd"}, {29, "cd5e1e257e0755d4"}, {30, "d045c17977460739"},
    {31, "67be5f2eef6a9238"}, {32, "486ff7aa03f1b3e4"}, {33, "f556134c1ae17e2a"},
    {34, "80a971bb6ce27519"}, {35, "d806b6b32933ca28"}, {36, "31036432f74d703c"},
    {37, "f516b21050199682"}, {38, "0021d2b1faaa28b9"}, {39, "32086b73066b0b88"},
    {40, "d99d66ffc27ca89d"}, {41, "53f162b213d885aa"}, {42, "d89e320fd87932b4"},
    {43, "54e01eed03e1d45e"}, {44, "6fda222865412c4b"}, {45, "e15e6c8879f6d860"},
    {46, "5d2885ddb6e7c465"}, {47, "9adeb2cd7763bcd3"}, {48, "47ad6ae56c797cb4"},
    {49, "6812da34291fd62e"}, {50, "28d1e3dda394d6bb"},
};

struct PinnedScenario {
  const char* file;  // under scenarios/fast/
  std::vector<PinnedRun> runs;
};

// `reckon sweep --scenario scenarios/fast/F --seeds 1..10 --report r.json`.
const std::vector<PinnedScenario> kScenarioRuns = {
    {"crash-during-recovery.toml",
     {{1, "71ab927e13f1a6c1"},
      {2, "a0e11795f44d2be6"},
      {3, "2cd694ce19b53885"},
      {4, "48d255a5eb36c7f7"},
      {5, "260c0d71e4173a36"},
      {6, "96564c8f51f63244"},
      {7, "90363cfe8ff3a331"},
      {8, "41f5aedc8038e2da"},
      {9, "b615e5f16be11f9b"},
      {10, "2a5eebdff8a77281"}}},
    {"duplicate-webhooks.toml",
     {{1, "8945ab7be218b6a8"},
      {2, "cb9857efda5039ff"},
      {3, "e9dad25eb055d859"},
      {4, "5f74313079bb98ac"},
      {5, "98897d2d29e8fc9a"},
      {6, "c783465c2072604a"},
      {7, "342dbe2a91ac4c30"},
      {8, "6caef67f60d195b6"},
      {9, "6cf1bab198d1c357"},
      {10, "0fca92d1d0c54237"}}},
    {"settlement-discrepancies.toml",
     {{1, "537662be470e3198"},
      {2, "864bb4e0a60b4515"},
      {3, "fa94db40025808ab"},
      {4, "d922558e04776290"},
      {5, "4ae1975dfff3f374"},
      {6, "421cdb15c1147420"},
      {7, "a5fb713a24260c1d"},
      {8, "9fe53b5364abe257"},
      {9, "3d06c0d0510fc5c4"},
      {10, "b808cbabf9543679"}}},
    {"swarm.toml",
     {{1, "03b5995d8471b64b"},
      {2, "0f1ca81c20eb312a"},
      {3, "50523fbd58848be0"},
      {4, "05db409e5d7f6f3f"},
      {5, "26e338ebec077e08"},
      {6, "4346d4de4d18cea6"},
      {7, "0970afde5f386502"},
      {8, "5c8850d58755930e"},
      {9, "f5e04815f9e24797"},
      {10, "b42304049101698c"}}},
    {"torn-write.toml",
     {{1, "ef395b74327e0b32"},
      {2, "e0c886cfba634c35"},
      {3, "8dbdc156b6ca04c9"},
      {4, "9267ca23df8e4f89"},
      {5, "81d68887b2033d8f"},
      {6, "4afd75d0e6051938"},
      {7, "9c8d1d2554d787f0"},
      {8, "d641fe7408144ed4"},
      {9, "1660c36616cb0dac"},
      {10, "17991f3805ba32be"}}},
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
