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
    {1, "577f48381a29d645"},  {2, "e6141e721cb15046"},  {3, "601c68a9515f2bae"},
    {4, "d7c2317e75a3c64e"},  {5, "5741e924fdec5516"},  {6, "b720dc2fea252e96"},
    {7, "76281ee0bdb7c7c0"},  {8, "5828fd158b525572"},  {9, "c35884d39b622c56"},
    {10, "2239eca048940fb5"}, {11, "1611a0f3326459ad"}, {12, "7c7613707b21c33a"},
    {13, "977a43685f9341c8"}, {14, "53c6f02721170a8b"}, {15, "612ec4ea31a04558"},
    {16, "67cf04ff20097dbb"}, {17, "86ed0a13bcd3014d"}, {18, "5fe18ddee33873d3"},
    {19, "1c4b9484c0934d81"}, {20, "c3c71c89c792b49c"}, {21, "079d4e9d4fcb8e9d"},
    {22, "d75999c52ad56692"}, {23, "5db49089b2e99757"}, {24, "d841f4b6ef560aa3"},
    {25, "09bb71177da22e05"}, {26, "e8c0f59170624d93"}, {27, "26b4a6061aea695e"},
    {28, "d8effafc3c58fb69"}, {29, "3a2c7e5f77304229"}, {30, "62623529c2297447"},
    {31, "1d5fb8807b818bdf"}, {32, "6c9ef0af067b76ac"}, {33, "095e0de2b7477851"},
    {34, "1e641b47b6a6ce61"}, {35, "0ad6e9f48aa6fa31"}, {36, "a6e4c7aa3330a854"},
    {37, "ff5fb8d3679b7dc7"}, {38, "3ec4cf85a4533b45"}, {39, "52c9c614ee3a611c"},
    {40, "0ed9afd4f1738b34"}, {41, "a9ef3baab7d60224"}, {42, "8b8212a04ae3a5ea"},
    {43, "bdb8ccecd17510cb"}, {44, "68f8052a9202c08b"}, {45, "66e5795d432fd3fb"},
    {46, "72d27579ea6f6410"}, {47, "f4c486187928da45"}, {48, "c4c2318b2272600c"},
    {49, "64184b1e23402bdd"}, {50, "0231f1154ce5d1a4"},
};

struct PinnedScenario {
  const char* file;  // under scenarios/fast/
  std::vector<PinnedRun> runs;
};

// `reckon sweep --scenario scenarios/fast/F --seeds 1..10 --report r.json`.
const std::vector<PinnedScenario> kScenarioRuns = {
    {"crash-during-recovery.toml",
     {{1, "69d1d355ecd88b0d"},
      {2, "d9dee1804bea2961"},
      {3, "59e78d3b39cb942b"},
      {4, "c542c0c5a82a6e82"},
      {5, "932f31f13b29711a"},
      {6, "3cb2f9746e9afc58"},
      {7, "b7c12e1b766b4af1"},
      {8, "9ee5f26a23097278"},
      {9, "72fe5f8ffaa61496"},
      {10, "50eb6a312b9b383e"}}},
    {"duplicate-webhooks.toml",
     {{1, "ffa9025c8d4dedf6"},
      {2, "363574d7d7c73cc6"},
      {3, "a572cd4209be002b"},
      {4, "9119731920dc9444"},
      {5, "c6926865c5dc2b1a"},
      {6, "577a769f482b9b3d"},
      {7, "847c610f95b09332"},
      {8, "f6c15466f7cf0af2"},
      {9, "5ba1aafcc4bab3b6"},
      {10, "c0b13605a7ebdf83"}}},
    {"settlement-discrepancies.toml",
     {{1, "b48bcb79425a06a9"},
      {2, "2f3649442b97e151"},
      {3, "0e4eccabf3ff65fb"},
      {4, "7f4ff6d0feeb94b3"},
      {5, "88d8fcde8a4ec5d1"},
      {6, "e914d5ab99f5fce8"},
      {7, "985e14e57199a34f"},
      {8, "f25dbff3b592a8e9"},
      {9, "e0c4987d276075d3"},
      {10, "706fd04ab92da3cc"}}},
    {"swarm.toml",
     {{1, "1c27dfcc4d9168c9"},
      {2, "243e5e0b9d2e1eb0"},
      {3, "f3161f141f195952"},
      {4, "fb6343d558a856c6"},
      {5, "e5145edfcdd0174b"},
      {6, "ce59b144c97ee490"},
      {7, "3e93b9d83e0493f2"},
      {8, "28d3c5850b153a2b"},
      {9, "17cf54cac7693cb6"},
      {10, "b186eaec94bbd2eb"}}},
    {"torn-write.toml",
     {{1, "1a9619de682c28b0"},
      {2, "2971f5f73bd8e4a9"},
      {3, "15d957bc382e5154"},
      {4, "fb01db541c2d3c4c"},
      {5, "f3f8402ebe4ff496"},
      {6, "afbcbd78318834dc"},
      {7, "6920c6fd552b0b70"},
      {8, "28cbd0cebc9bb3ca"},
      {9, "3d864abc088e3397"},
      {10, "72af0ef43ff9d16f"}}},
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
