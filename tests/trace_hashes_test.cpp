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
    {1, "7b77e28a76acd7da"},  {2, "e0154868d145925c"},  {3, "dcd16c76466a77af"},
    {4, "d9b6abc2e9c9bcbf"},  {5, "0adadb1bc6bc8195"},  {6, "784f1243347f00c9"},
    {7, "b6f4034b1ee28619"},  {8, "421a1a4a7e8b47d3"},  {9, "6af9859af72f1e5f"},
    {10, "83d820bc40075c00"}, {11, "ce018a1b615f04c6"}, {12, "4cbde165ab80d185"},
    {13, "7f4ab54b62d4a5a3"}, {14, "e76ccacff718997a"}, {15, "45f05260bc77ad09"},
    {16, "f7fa49f78f1d9b30"}, {17, "bcb462ee1c137ac0"}, {18, "6921da3a8d339961"},
    {19, "cd2d6cf4dcbe6390"}, {20, "14f01ad5fa36a0f8"}, {21, "80e0b80c96a59d66"},
    {22, "cb83251bee1345c8"}, {23, "a3bf470a46db284a"}, {24, "b0b0836f4da3f9b6"},
    {25, "33414f6d4c2cc217"}, {26, "fa9be36a159781c2"}, {27, "90c23fad0c0ffa70"},
    {28, "0b6d154e6c142178"}, {29, "53b771823bcb5e48"}, {30, "50f4a84cd60b07a9"},
    {31, "3623f2d4613d06f1"}, {32, "a87fcd1ce2b6bb6e"}, {33, "841c283aaeb571bb"},
    {34, "369d0f24f1211b92"}, {35, "8bc995ef60f60a30"}, {36, "0162c5db32723479"},
    {37, "44374191c0084acf"}, {38, "739493d862d8f4cc"}, {39, "501ab83bdeac15e9"},
    {40, "987d3810f8df136e"}, {41, "f1593c3b108f1522"}, {42, "4f008fbb7e9d36c9"},
    {43, "435d16d09f6af3db"}, {44, "0700b46fda2f0539"}, {45, "76773e50050541cd"},
    {46, "6bb16e9e56596b4a"}, {47, "182910c19064d85b"}, {48, "c39c3aaa64f4735d"},
    {49, "dc61da76aeb4f03b"}, {50, "cbfc5c607ab17ef4"},
};

struct PinnedScenario {
  const char* file;  // under scenarios/fast/
  std::vector<PinnedRun> runs;
};

// `reckon sweep --scenario scenarios/fast/F --seeds 1..10 --report r.json`.
const std::vector<PinnedScenario> kScenarioRuns = {
    {"crash-during-recovery.toml",
     {{1, "ed7ce2932e4d94dc"},
      {2, "c505713f9514b75e"},
      {3, "5943d47a77870e80"},
      {4, "fef75202d5b9f83d"},
      {5, "bdc2ec2c37a82351"},
      {6, "e9c401c4aadd119d"},
      {7, "02e1994cd1a67ec7"},
      {8, "5c7b3f5d9f952265"},
      {9, "b73d39f586232179"},
      {10, "29bb679cb3cef2ac"}}},
    {"duplicate-webhooks.toml",
     {{1, "466b08c4e80d8d85"},
      {2, "e42055b5e83a3377"},
      {3, "4079e6aa8af8f272"},
      {4, "1cb0617a37d3bdc4"},
      {5, "305be8bdf6dcbbfe"},
      {6, "8c100c22b1086646"},
      {7, "15e0afc6559ec15f"},
      {8, "559a95017bd6f75a"},
      {9, "68e328cff1e6c77a"},
      {10, "2ebfc7fb89ca5c9a"}}},
    {"settlement-discrepancies.toml",
     {{1, "9111f58755dac152"},
      {2, "54853522fce9b85c"},
      {3, "fef39fa223a1a4b9"},
      {4, "7170cb408ff7f00b"},
      {5, "e403e5fa65a5c406"},
      {6, "e2e76646bcd49a27"},
      {7, "c6ded466a5915e63"},
      {8, "deea841ceda4b63e"},
      {9, "d90a1c4e559639b5"},
      {10, "5ee22a71a383a565"}}},
    {"swarm.toml",
     {{1, "45a8425c2e4bdd28"},
      {2, "37adc94788d5958b"},
      {3, "9e6acf230fd4a3fa"},
      {4, "3fe1aa40537ee7c5"},
      {5, "141ec98180dcea32"},
      {6, "4f0059ed7658ca34"},
      {7, "d5c1ef96737e46cf"},
      {8, "2529c2c2668cfeec"},
      {9, "59d9e628bbd2d80a"},
      {10, "a95540da89a32624"}}},
    {"torn-write.toml",
     {{1, "7468d1147c120dac"},
      {2, "ab38a989159a3f4a"},
      {3, "4b724443e93f37f5"},
      {4, "4f3001b5e8f1995e"},
      {5, "f47cc13df689306c"},
      {6, "0fc0b3c454243165"},
      {7, "df9098dcd6760d65"},
      {8, "0d75964f6ca205ca"},
      {9, "0c61cfbaab5372ba"},
      {10, "79a2e0aa0e0eb70a"}}},
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
