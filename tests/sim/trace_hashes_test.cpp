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
    {1, "602dbadaf474d082"},  {2, "de24a4114f131f33"},  {3, "7cf41ca412d9fb21"},
    {4, "6dc7c8dc3ab70bab"},  {5, "359f3d243867a8eb"},  {6, "61f2a6d850f271a8"},
    {7, "77b37343c20e74cb"},  {8, "dc136ff853df6b5d"},  {9, "c998bbe11ef85176"},
    {10, "742932e41aecd469"}, {11, "966836b1acef3257"}, {12, "83a55e2bc8b5d436"},
    {13, "8706cc63703be249"}, {14, "89a0609abae96dc7"}, {15, "2a1c5ddb5019404a"},
    {16, "5cd1af25f15370d1"}, {17, "fd068418f8bc62b7"}, {18, "fbf2937336ccca50"},
    {19, "f92b58be78cf8c44"}, {20, "e9454f378077f5d4"}, {21, "301680677047f7cd"},
    {22, "a46e6e2cebae9448"}, {23, "ffcffe958ff40c64"}, {24, "79527ee7c5d018c9"},
    {25, "c70f722c5a859079"}, {26, "43547088fa011025"}, {27, "c6b74057040f80bc"},
    {28, "df80164a4d6e4984"}, {29, "ad05737ffb42a5a0"}, {30, "f8754d30d6a0d1e6"},
    {31, "2a1fd8ee20c58d73"}, {32, "ac5d6fddf6ef417e"}, {33, "8ebb76a6ed622bdd"},
    {34, "88e1c28f95059c14"}, {35, "7fbe9670ded74c17"}, {36, "a4496b7e0b36ce63"},
    {37, "bf67265f1e1af28f"}, {38, "0b8cbeb05e49510c"}, {39, "39e910966a3d457a"},
    {40, "6d7668fad69fcce3"}, {41, "739ed7b997513a5c"}, {42, "6e04eb4a73b27577"},
    {43, "da0f86b83ce35fa1"}, {44, "b257b58e404130eb"}, {45, "1ad4f76328482e53"},
    {46, "49ae9f677e708818"}, {47, "ff3db265a7e35fd3"}, {48, "fc9b32654a720057"},
    {49, "20545791889d53b2"}, {50, "29776195452ce9fd"},
};

struct PinnedScenario {
  const char* file;  // under scenarios/fast/
  std::vector<PinnedRun> runs;
};

// `reckon sweep --scenario scenarios/fast/F --seeds 1..10 --report r.json`.
const std::vector<PinnedScenario> kScenarioRuns = {
    {"crash-during-recovery.toml",
     {{1, "8b524d1c20706f57"},
      {2, "24ea6b7933e677af"},
      {3, "684b1ecfdf2243c4"},
      {4, "27dc3c374ed1e7b2"},
      {5, "8dad6d6e8f9dc2f9"},
      {6, "1823363e802b3ce1"},
      {7, "f827094f40fbe061"},
      {8, "c581e09e9ce849b1"},
      {9, "619311886475accf"},
      {10, "e9b99f21d139f96b"}}},
    {"duplicate-webhooks.toml",
     {{1, "1e47383570558202"},
      {2, "a13f23a3e1842e87"},
      {3, "f042a8522a3f1d68"},
      {4, "ba8dc48427fd1df2"},
      {5, "c7a6e8b627c90f08"},
      {6, "d7a5159ca228178e"},
      {7, "8fe9044b5d98f93d"},
      {8, "7fe5dc0b83d5df42"},
      {9, "9ea878eea969e0de"},
      {10, "7d6f6c99f629eb32"}}},
    {"settlement-discrepancies.toml",
     {{1, "8ec0e2ee5284a0c0"},
      {2, "f4e6c7877d24e01f"},
      {3, "383d702a44f5f7fc"},
      {4, "6509711add7d625e"},
      {5, "bdef4ce20951e82c"},
      {6, "cd6ae44933b9ec3f"},
      {7, "c4525677853d936b"},
      {8, "b491da29f9d8ad66"},
      {9, "fb3d743d0e626465"},
      {10, "19a38f7ba3a63a08"}}},
    {"swarm.toml",
     {{1, "12f20c05f3856fe5"},
      {2, "5f296979213187da"},
      {3, "abd8f24b14767fff"},
      {4, "d757638a99e8793d"},
      {5, "67ff24c25787990a"},
      {6, "f95ef44fbb6b861c"},
      {7, "db29a8320aa7e1b8"},
      {8, "c7d4c164ef3f23d4"},
      {9, "ae1c8c5261b93412"},
      {10, "2d5e31445e051285"}}},
    {"torn-write.toml",
     {{1, "ebbe39aaa6933354"},
      {2, "21b5abf519ba811c"},
      {3, "3acbde5fc3eecccd"},
      {4, "6817c4f38b64d490"},
      {5, "b30561e5f323a1c1"},
      {6, "69564426667dea11"},
      {7, "a6c8e8c281521f49"},
      {8, "23c3fc6daba35ad0"},
      {9, "ff5b9cd5e0a4afca"},
      {10, "78239ba12debdeb6"}}},
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
