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
#include "tests/support/run_reckon.h"

namespace reckon::sim {
namespace {

struct PinnedRun {
  uint64_t seed;
  const char* trace_hash;
};

// `reckon sweep --seeds 1..50 --report r.json`: runs[].trace_hash.
const std::vector<PinnedRun> kDefaultRuns = {
    {1, "602dbadaf474d082"},  {2, "6d9cb138abcc4abf"},  {3, "b512002e5899a8c3"},
    {4, "8f96e9fef33d17b8"},  {5, "8aaf9bf146575992"},  {6, "1c295ce6f8b7b9ac"},
    {7, "57fbec18fc7cb973"},  {8, "dc136ff853df6b5d"},  {9, "c998bbe11ef85176"},
    {10, "d71ae44d8b026f37"}, {11, "eb12e80160d30688"}, {12, "83a55e2bc8b5d436"},
    {13, "8706cc63703be249"}, {14, "89a0609abae96dc7"}, {15, "c6c3bf41814cefdc"},
    {16, "3c6d4390c6224dd6"}, {17, "5a662e1cae2a0bda"}, {18, "9800de81feface71"},
    {19, "06f64e56c2f9019d"}, {20, "57e60c89c3bfd5e2"}, {21, "cf36a92e8c7086fc"},
    {22, "a46e6e2cebae9448"}, {23, "188d97946268ac68"}, {24, "e8361566f48a6588"},
    {25, "c70f722c5a859079"}, {26, "425ae78a86e8a497"}, {27, "c6b74057040f80bc"},
    {28, "73bb006fee0b2841"}, {29, "bc3256c2b70a49ad"}, {30, "f8754d30d6a0d1e6"},
    {31, "a5adb6574e3b0098"}, {32, "ac5d6fddf6ef417e"}, {33, "8ebb76a6ed622bdd"},
    {34, "88e1c28f95059c14"}, {35, "7fbe9670ded74c17"}, {36, "54d418c9c4e7a3ed"},
    {37, "de28f8eb228fafed"}, {38, "0b8cbeb05e49510c"}, {39, "39e910966a3d457a"},
    {40, "96a6b1bbc2eeff35"}, {41, "c76617a608c57c02"}, {42, "6e04eb4a73b27577"},
    {43, "3a7ec50261e8d5be"}, {44, "cde61fff73b69868"}, {45, "1ad4f76328482e53"},
    {46, "49ae9f677e708818"}, {47, "87e531c9866e21bf"}, {48, "719855e19d99b45b"},
    {49, "62a5e6f2cfbf3f2e"}, {50, "9350121de7a30daf"},
};

struct PinnedScenario {
  const char* file;  // under scenarios/fast/
  std::vector<PinnedRun> runs;
};

// `reckon sweep --scenario scenarios/fast/F --seeds 1..10 --report r.json`.
const std::vector<PinnedScenario> kScenarioRuns = {
    {"crash-during-recovery.toml",
     {{1, "8b524d1c20706f57"},
      {2, "1ee5d6784c983fa8"},
      {3, "2e5071a0ed0df894"},
      {4, "7a6b1882acb2214c"},
      {5, "e2286e4ba2a7a609"},
      {6, "a2f78f2d54acc949"},
      {7, "bde9e52fd4d1bd33"},
      {8, "c581e09e9ce849b1"},
      {9, "619311886475accf"},
      {10, "d9875292d2f3f06f"}}},
    {"duplicate-webhooks.toml",
     {{1, "1e47383570558202"},
      {2, "a178e2a3c739efe0"},
      {3, "e08730edb679d5b6"},
      {4, "c4d1530ac84dd9ed"},
      {5, "3b2ea2fc05a322b2"},
      {6, "49ee69cd2a042f65"},
      {7, "38513063b9c9e0a6"},
      {8, "7fe5dc0b83d5df42"},
      {9, "9ea878eea969e0de"},
      {10, "e3f32f70df0051eb"}}},
    {"settlement-discrepancies.toml",
     {{1, "8ec0e2ee5284a0c0"},
      {2, "8a9bcc3cd784c7a8"},
      {3, "78cdfef519eef053"},
      {4, "1b8a07dd4d61783f"},
      {5, "b1379528d4b50844"},
      {6, "9b4e457f93165202"},
      {7, "c083121e0d2019ba"},
      {8, "b491da29f9d8ad66"},
      {9, "fb3d743d0e626465"},
      {10, "0f405cdf14447fdc"}}},
    {"swarm.toml",
     {{1, "12f20c05f3856fe5"},
      {2, "2973b869e3c74362"},
      {3, "59cbfe8b3639098a"},
      {4, "19b66f2e1df241fa"},
      {5, "878b86cb66bb8d7f"},
      {6, "801dfe695c43972a"},
      {7, "01bd21a0bfab505b"},
      {8, "c7d4c164ef3f23d4"},
      {9, "ae1c8c5261b93412"},
      {10, "df00ac4704bc0fa6"}}},
    {"torn-write.toml",
     {{1, "ebbe39aaa6933354"},
      {2, "f012d39421f7c719"},
      {3, "e6f7a85fa3b310e3"},
      {4, "5f4f50f3c481b6c7"},
      {5, "6cd503a2fc9a44a6"},
      {6, "457b121c2816b6ad"},
      {7, "c627bcbe6a2e11a4"},
      {8, "23c3fc6daba35ad0"},
      {9, "ff5b9cd5e0a4afca"},
      {10, "47878c3153fc9433"}}},
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
