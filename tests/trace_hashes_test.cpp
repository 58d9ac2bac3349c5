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
    {1, "49da6564a9266627"},  {2, "6bca8c01f0213e52"},  {3, "82180abf513101cd"},
    {4, "548d55c0629b352b"},  {5, "1c3df9d17407cb93"},  {6, "4ef039b8e422e50f"},
    {7, "c9373d1189160f7a"},  {8, "84a906d4f9952af9"},  {9, "3e3f39f635c9dd99"},
    {10, "e9d80e0ccb7a3417"}, {11, "0525476ae81b1920"}, {12, "fe5fa5fe3d795a42"},
    {13, "a82bb6b7a9bb1862"}, {14, "47efafea69d6b41c"}, {15, "ed3482cf4948e25c"},
    {16, "3acce9bb23cecf22"}, {17, "ac8c5a65d29eb706"}, {18, "de70c1158f7063b9"},
    {19, "06365bcec5d1ac9f"}, {20, "03540e3381aa62ca"}, {21, "8c44ed7a2c903424"},
    {22, "f732043633b2c965"}, {23, "c27054e5f4d439d3"}, {24, "ece9a6fbf4f5ee9b"},
    {25, "a7bf8f08c2d33a97"}, {26, "0de13a478b46be26"}, {27, "cbbd5531d3977172"},
    {28, "9b49e74ba95d0ac1"}, {29, "56bb8727af670461"}, {30, "7432fa6ba8d491d2"},
    {31, "607c9935d0c7fb69"}, {32, "6fcd2b85e48bbb9f"}, {33, "e98491707d63666e"},
    {34, "47154a802309b489"}, {35, "5bcafd6ffdbb3569"}, {36, "faf5e0e0fd5282f3"},
    {37, "dfe47e892227984f"}, {38, "2e2495030606b86d"}, {39, "07cd883b195a50b1"},
    {40, "9c0ec1b6ab61e8a9"}, {41, "3eacff70b4ca1f1a"}, {42, "a51e4b048eb2f3bd"},
    {43, "3ce0da62be571404"}, {44, "4a272000a5e5f9c2"}, {45, "4cb2f22c16ba9a70"},
    {46, "7f1ee226633a9635"}, {47, "85f32e78bde8f9db"}, {48, "db86ec4fc26fbdd2"},
    {49, "d8c7c72cf7a7b37f"}, {50, "bfac3f595d18871f"},
};

struct PinnedScenario {
  const char* file;  // under scenarios/fast/
  std::vector<PinnedRun> runs;
};

// `reckon sweep --scenario scenarios/fast/F --seeds 1..10 --report r.json`.
const std::vector<PinnedScenario> kScenarioRuns = {
    {"crash-during-recovery.toml",
     {{1, "2d6d9a273a50bcb5"},
      {2, "e4bceeeb7928d290"},
      {3, "a606d126a0e74be7"},
      {4, "e83c9a14435449c9"},
      {5, "ce2a41a8af1df64e"},
      {6, "21ff50a36ccd10b5"},
      {7, "9ebc5fab65e277b8"},
      {8, "a0be81cb1adf3aa2"},
      {9, "0f3d8593c6e3e12b"},
      {10, "df01348a819cddc2"}}},
    {"duplicate-webhooks.toml",
     {{1, "37871cf169eb5be8"},
      {2, "c3150ab74401f2b7"},
      {3, "5391650b5f8009d2"},
      {4, "011c466e3e8c414c"},
      {5, "6ae55267ac6ff9b0"},
      {6, "3f5aa9eb5a422150"},
      {7, "009f119ca41e0525"},
      {8, "a195f57292a01352"},
      {9, "d5e521b4181273a5"},
      {10, "b1eff4ceb017eccf"}}},
    {"settlement-discrepancies.toml",
     {{1, "e8ac10f22708d2fa"},
      {2, "9465b6866dbd4f46"},
      {3, "fd7d08e9679a7d93"},
      {4, "92d4568b8050d706"},
      {5, "005029fbd6e5e520"},
      {6, "0f4881fe7db5d981"},
      {7, "d311513d9394ac5b"},
      {8, "f5bec04438faa51d"},
      {9, "f4f6b1fc9035fd04"},
      {10, "368be6a09e97aa1c"}}},
    {"swarm.toml",
     {{1, "9e7850c5ad6fbfd2"},
      {2, "465678db9647254a"},
      {3, "68b0dad07968b4dc"},
      {4, "b3dea42d1d04d119"},
      {5, "ef6c21a831d54bb3"},
      {6, "7d1e5b6329a07301"},
      {7, "22056c77ad6eb245"},
      {8, "3085681f73516131"},
      {9, "dd161e0709d4842d"},
      {10, "2ff2b26a1c3c8cc4"}}},
    {"torn-write.toml",
     {{1, "6bf96beafa8c1378"},
      {2, "d568faa38363743a"},
      {3, "b6819ffa8b3d3141"},
      {4, "5a07f234ecb55fb4"},
      {5, "a780b63228e4ff65"},
      {6, "aa5fc286bb44aa67"},
      {7, "3f552eb0bcbfdea8"},
      {8, "b2632655ae8bc9e3"},
      {9, "ae8c671d49c5b7c4"},
      {10, "3899abf30fd1a7fb"}}},
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
