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
    {1, "3728389327acbfdf"},  {2, "5fa09c96ead46719"},  {3, "bceb4ff46c837936"},
    {4, "a074b199e7c87550"},  {5, "474439e3e88f41ec"},  {6, "899dbe925e0be28c"},
    {7, "4f2d3a709b63fd84"},  {8, "4ea274cabd236118"},  {9, "72bc148a72a9d2f3"},
    {10, "52949cffbec97684"}, {11, "0c9414b0531c6b44"}, {12, "4d8ad7aa27ec72c4"},
    {13, "8892b9a7ad8fc213"}, {14, "50e6e391ff164425"}, {15, "f959d9a2d5dcfe2b"},
    {16, "bbcef18ed9804f08"}, {17, "5052d475f621f41c"}, {18, "e9490c1a3ca0d704"},
    {19, "0d6081f1c69363ff"}, {20, "3fb7b2d1faa656eb"}, {21, "715aba97552fea44"},
    {22, "40019e9dc040158c"}, {23, "4eda4c0c5d7d007b"}, {24, "4ab97767f644a037"},
    {25, "785ebb71e45bdb26"}, {26, "a95f4807db6a74dd"}, {27, "080bb5ac2b116d9c"},
    {28, "624f692aaf0c2476"}, {29, "13c3d1a65cec8ed2"}, {30, "d817ffc5ebe7988f"},
    {31, "a7a69aa8751feb68"}, {32, "667ad8aaad35230e"}, {33, "58adce42541c7c26"},
    {34, "4c14413fd03d112d"}, {35, "48ea754267124783"}, {36, "a126ae83410c8639"},
    {37, "b7c1dd66e8531634"}, {38, "cbffd9a16838bf5c"}, {39, "f5f939bb0153dd8b"},
    {40, "df82412cad2022fc"}, {41, "b4a9550233fe1458"}, {42, "957c891b56d463df"},
    {43, "588d238baf53e958"}, {44, "4bfd6f5dbc733949"}, {45, "afccd1fe28d6db31"},
    {46, "c9991810c7133481"}, {47, "d3ee1a244994f004"}, {48, "39bb40c83f925190"},
    {49, "e06f374e05634755"}, {50, "d6b89e9f3b09dfa3"},
};

struct PinnedScenario {
  const char* file;  // under scenarios/fast/
  std::vector<PinnedRun> runs;
};

// `reckon sweep --scenario scenarios/fast/F --seeds 1..10 --report r.json`.
const std::vector<PinnedScenario> kScenarioRuns = {
    {"crash-during-recovery.toml",
     {{1, "74c882f4012a933a"},
      {2, "a0f1a51670413218"},
      {3, "7b023b82790a84e9"},
      {4, "41b6441cb9b05769"},
      {5, "7b1100c6d22f9edb"},
      {6, "bdb5e00968d94735"},
      {7, "90394427e7830a6b"},
      {8, "126a494eb5a4aed7"},
      {9, "dac69c51134cf5ce"},
      {10, "736d142e264f8725"}}},
    {"duplicate-webhooks.toml",
     {{1, "5658720204aefaec"},
      {2, "1a46c4325bf70047"},
      {3, "2ab882f9eaae112c"},
      {4, "d181eb94789f399f"},
      {5, "9343b4ed22496cf8"},
      {6, "a63909756629d891"},
      {7, "a49ef833a3c32517"},
      {8, "89652077d7051154"},
      {9, "384d2e1478d97db9"},
      {10, "1a7654b531c52d0d"}}},
    {"settlement-discrepancies.toml",
     {{1, "f1b18c5fd6cd0e4b"},
      {2, "f18b445d245db32e"},
      {3, "a316f704787f1e2c"},
      {4, "3110c7db9782f690"},
      {5, "d0a612cd2e54bed2"},
      {6, "0efca4f2d3011ece"},
      {7, "a10fa5384f2ab6a4"},
      {8, "556141f98a8026da"},
      {9, "6db1bc67e7da89eb"},
      {10, "0bee7dbddd4a8efc"}}},
    {"swarm.toml",
     {{1, "a15f5b25a0b2c995"},
      {2, "41087c6bf1ffa406"},
      {3, "ea3d2294f5c381da"},
      {4, "d8749ff23f0a2b5c"},
      {5, "7685ef82f8a995f9"},
      {6, "bbfc9a567ad9ef25"},
      {7, "7bc4ad940fec428f"},
      {8, "58ed0c50d28b21c6"},
      {9, "6efccebd2a5f5684"},
      {10, "730410537cb69334"}}},
    {"torn-write.toml",
     {{1, "e3a718e9ef307b26"},
      {2, "18914428476b915f"},
      {3, "660b676898186b4a"},
      {4, "51f902866b36258b"},
      {5, "6bf098b9219b240f"},
      {6, "acdc9acfb96f0863"},
      {7, "602f81da190d33dc"},
      {8, "ff45781b7a2862cb"},
      {9, "44fc9ff3a6344a01"},
      {10, "0c57891ec336ee3d"}}},
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
