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
    {1, "3b066a11ab40eb35"},  {2, "1fa9c99bcf1e2a7c"},  {3, "9fa6fa1fff603331"},
    {4, "275198093e079cb7"},  {5, "8a914cac9ab2cc75"},  {6, "7c7b7e1da3bfb36b"},
    {7, "b5631343a3983e9e"},  {8, "08863c112e1da321"},  {9, "1bd474dc2a55e535"},
    {10, "d12147a16c43a202"}, {11, "225f9a3159711e26"}, {12, "6ce8bde57b9a3f32"},
    {13, "a4283e8599e12a2f"}, {14, "8774f796ec913533"}, {15, "3b30851d4c538056"},
    {16, "c6e08d7edec19cb2"}, {17, "fec6d542c2742593"}, {18, "9cedc2a23c55b979"},
    {19, "0024345595c7cbe8"}, {20, "78ea5bfc31833c49"}, {21, "392bd47f3f06919e"},
    {22, "aeba30dde80a3a3c"}, {23, "7be858cd26fc2f06"}, {24, "a0a70abd3781aaf6"},
    {25, "a92d26ed62335594"}, {26, "43355d00c0ad3c8a"}, {27, "db83a4fce3228b5c"},
    {28, "a6d10124af62e6ea"}, {29, "19a48d6608184c72"}, {30, "e76b056a70e8258e"},
    {31, "868d9eb6e781c412"}, {32, "99891d877e05e06f"}, {33, "32bd59356630ca93"},
    {34, "b55598ffea7398bb"}, {35, "6f1b7a79d65d9d5d"}, {36, "2630bcbb3f926df3"},
    {37, "85dd4d81ef6a7d26"}, {38, "c586917a391554d5"}, {39, "14c7912e01919331"},
    {40, "93ba8f35a2b7518b"}, {41, "643fd6fce53b30c4"}, {42, "d4906d578db68dac"},
    {43, "70e848a31ece3cca"}, {44, "ec03aedc69182c16"}, {45, "b67484c6c51dd1f1"},
    {46, "486edc3335ebfa9e"}, {47, "7eeacb1046a579bb"}, {48, "3cd8b33cf5fa2ab6"},
    {49, "8fab1d39659f04e8"}, {50, "122eb7b9f7881390"},
};

struct PinnedScenario {
  const char* file;  // under scenarios/fast/
  std::vector<PinnedRun> runs;
};

// `reckon sweep --scenario scenarios/fast/F --seeds 1..10 --report r.json`.
const std::vector<PinnedScenario> kScenarioRuns = {
    {"crash-during-recovery.toml",
     {{1, "c48c7cae261ed3fc"},
      {2, "d43ef4144472bff9"},
      {3, "3250589fc2bfd19e"},
      {4, "252423eb97ec0932"},
      {5, "3f2f44791f16f226"},
      {6, "b30fcdba2d379a2a"},
      {7, "2cbb6533f02ac482"},
      {8, "46554ede76a8d788"},
      {9, "622b1a1b96c359ef"},
      {10, "c5e5fe5a69acd441"}}},
    {"duplicate-webhooks.toml",
     {{1, "dbc2acde574465c8"},
      {2, "d8bf3c8d67dc21ae"},
      {3, "c7974f5ba94901a6"},
      {4, "d50225e7f21d7268"},
      {5, "a553341153de7d4a"},
      {6, "b1605a0c34fd0dbd"},
      {7, "8001586676046bc2"},
      {8, "a3c9cffdc260b975"},
      {9, "19ee26bcf0b03910"},
      {10, "60ffb726f5ba174a"}}},
    {"settlement-discrepancies.toml",
     {{1, "f947b2ff3eae1c7b"},
      {2, "27aa3225ff54d4ca"},
      {3, "140ce6e811b8e027"},
      {4, "6e9a78cc3ca7b77a"},
      {5, "11051e49f3d6b1a1"},
      {6, "95308583c7989bab"},
      {7, "d5522168760031cc"},
      {8, "d68b3493cb53c8f9"},
      {9, "41619547cf8e2a51"},
      {10, "c180154916298310"}}},
    {"swarm.toml",
     {{1, "31b157310421acad"},
      {2, "32b394fa5fa1e7a5"},
      {3, "0bc822ebac11753e"},
      {4, "71fa2d4995c617b7"},
      {5, "d3dd5cd94e1089ac"},
      {6, "6c428c06e86b211f"},
      {7, "0a08d446facdcc1b"},
      {8, "e446cb88a6a3ea22"},
      {9, "d036c7f639ca91b4"},
      {10, "25b506ca3c556c8c"}}},
    {"torn-write.toml",
     {{1, "d4137ddc8ba0423a"},
      {2, "3199360a6f97f2eb"},
      {3, "ca7bbefe800a1b8f"},
      {4, "854119e2adf0097d"},
      {5, "09951e77d5310848"},
      {6, "4ac7ad70ece4e079"},
      {7, "bd1b2bfaf2659ecf"},
      {8, "e5aeeb4cf7d05dc1"},
      {9, "18ec96d39c703dec"},
      {10, "7c143b023a95336a"}}},
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
