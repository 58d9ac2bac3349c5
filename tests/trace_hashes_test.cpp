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
    {1, "b15a3541635ba0e1"},  {2, "aa2988be29be0f6c"},  {3, "ffeb3afb673746df"},
    {4, "7664778156fde033"},  {5, "5741e924fdec5516"},  {6, "1339d5b77e5a9295"},
    {7, "f75d1824bcb5a230"},  {8, "5828fd158b525572"},  {9, "89cad8f066259883"},
    {10, "e81b272f3972d5c1"}, {11, "597ad9808e4d254d"}, {12, "7e022e58bcc8128f"},
    {13, "ae57a1e001eebf44"}, {14, "57b5c1e43d29dc31"}, {15, "eb88fbf079b96bfb"},
    {16, "8a5ef64f213fd5e7"}, {17, "88ca7cd8a08eb217"}, {18, "c88820ae94315e75"},
    {19, "1c4b9484c0934d81"}, {20, "e8fa01609cdbdd16"}, {21, "afe4cae2009bc5f4"},
    {22, "e4c1b679aeb6a3d4"}, {23, "27ebb95091c6be34"}, {24, "32b3954f6b6780ef"},
    {25, "d7c590d6fb22f6c7"}, {26, "f82d84657ecdbb86"}, {27, "41f876b10a96e318"},
    {28, "fc07071df25ccd1b"}, {29, "ddcf30290f032216"}, {30, "e22ae0ce952f5b19"},
    {31, "8a95f9c49fdd525d"}, {32, "c647f062daddd151"}, {33, "84bb9a161ba91d2f"},
    {34, "0f61313ece8d3dbf"}, {35, "f1aa5ec1f7ea222e"}, {36, "c2b6a4659297e542"},
    {37, "b62d9fba6241aa98"}, {38, "90d5814fbf6a13b5"}, {39, "e14432b51e98dc26"},
    {40, "6231725a3cfb1f1d"}, {41, "dae669037cb828fb"}, {42, "83ed869a4f5cd092"},
    {43, "bdb8ccecd17510cb"}, {44, "3647f8a6a0a059a0"}, {45, "8bb0dce5ed6968b7"},
    {46, "e65fa92ee2195874"}, {47, "f4c486187928da45"}, {48, "bd365eed783c9a66"},
    {49, "f8c13923d57f21f7"}, {50, "1b5d420ffddc33cd"},
};

struct PinnedScenario {
  const char* file;  // under scenarios/fast/
  std::vector<PinnedRun> runs;
};

// `reckon sweep --scenario scenarios/fast/F --seeds 1..10 --report r.json`.
const std::vector<PinnedScenario> kScenarioRuns = {
    {"crash-during-recovery.toml",
     {{1, "8248b70db6480221"},
      {2, "23fd0a40aba6618d"},
      {3, "750ad2854229f39e"},
      {4, "a14cc9408db0dca2"},
      {5, "932f31f13b29711a"},
      {6, "c19366dd2a860b82"},
      {7, "7861750bbe6e0ed1"},
      {8, "9ee5f26a23097278"},
      {9, "6a3c2e40923a7910"},
      {10, "e4b3fb26357ad5ad"}}},
    {"duplicate-webhooks.toml",
     {{1, "292ab175c0d33b31"},
      {2, "25e4644e497e7543"},
      {3, "458417a48e7c0f98"},
      {4, "884ee247f36116ab"},
      {5, "c6926865c5dc2b1a"},
      {6, "d6ae1119a81356f4"},
      {7, "85263ab1fe2cb0bc"},
      {8, "f6c15466f7cf0af2"},
      {9, "4eb6400056c83c4f"},
      {10, "39ec90fb2df9ed60"}}},
    {"settlement-discrepancies.toml",
     {{1, "619dbe781c0215d8"},
      {2, "173232c15d6ad21e"},
      {3, "8bfb286e36389b70"},
      {4, "1501960612191411"},
      {5, "808c6db384650bb9"},
      {6, "ef68d572fda4c0d2"},
      {7, "85038e0195ae7e50"},
      {8, "3deedd4fc3a8cc6e"},
      {9, "5dcd206c0fe9f057"},
      {10, "1761dc5e7ba618ba"}}},
    {"swarm.toml",
     {{1, "ed6c3e143bbbed42"},
      {2, "4807fe23411af84e"},
      {3, "03bcc1dd1e3501ab"},
      {4, "d973d2be996106bf"},
      {5, "e5145edfcdd0174b"},
      {6, "44faafc0ef2d5f53"},
      {7, "f517311020b3f508"},
      {8, "28d3c5850b153a2b"},
      {9, "f438b31d9a429d08"},
      {10, "0160b5b8e2f26632"}}},
    {"torn-write.toml",
     {{1, "bba911e3a431a19f"},
      {2, "0731febcd14384e8"},
      {3, "dc8224e526c92b1c"},
      {4, "479c94ef7cc5e912"},
      {5, "f3f8402ebe4ff496"},
      {6, "5690fe0d444ad12b"},
      {7, "abd3d8b2ba06122f"},
      {8, "28cbd0cebc9bb3ca"},
      {9, "70f4a52529a41130"},
      {10, "f71146d26a430e16"}}},
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
