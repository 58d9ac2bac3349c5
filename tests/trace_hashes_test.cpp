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
    {1, "c01714472c478c01"},  {2, "50fa140e0c568236"},  {3, "3eaf4a694cef5888"},
    {4, "82f5f4b5a1896b58"},  {5, "91786c7a06596a2c"},  {6, "fe7b597226311802"},
    {7, "a3eba0ac01cff9a4"},  {8, "69096b9786ddeeb1"},  {9, "d398b2b1adaba203"},
    {10, "7c5e7ba3856b87d9"}, {11, "7be16556bb2f421e"}, {12, "aa8f33f19d966447"},
    {13, "a3c0995e02498538"}, {14, "14a5170aa700d88a"}, {15, "e610c50edbe02e7c"},
    {16, "bea5d2aa5c6f5e28"}, {17, "8a95e8c013207f9d"}, {18, "fc73a49c821205e5"},
    {19, "d8744218d740d7a3"}, {20, "e133000f0e6a4b6c"}, {21, "39b13003660e3f81"},
    {22, "7fd32d6fe1f9a783"}, {23, "01dcf410424d158d"}, {24, "c9b03a1e7cf0b06e"},
    {25, "2dac4e834743d4df"}, {26, "3b1bb516df09933d"}, {27, "75f49761ae97d016"},
    {28, "0587ce738da49e52"}, {29, "6e3d62a70b739bac"}, {30, "56e4322923cdba89"},
    {31, "4716beda78a37461"}, {32, "97bc049eee94105f"}, {33, "f37f4762d2d971c8"},
    {34, "6907d0c02557ad4e"}, {35, "c4759f5550606e93"}, {36, "449bd5a68adef005"},
    {37, "0f9baf8ea686081f"}, {38, "d0f7bfbc1d8c72a9"}, {39, "a206e62b96426f6e"},
    {40, "f9eb8937d9c511fa"}, {41, "5726901ad8f1cd29"}, {42, "0fc335469be1eecd"},
    {43, "a6593e717015923e"}, {44, "b3cf5131f764bf36"}, {45, "ce7b05d2f88c98ff"},
    {46, "262207fa7406bd94"}, {47, "a431f46579195e98"}, {48, "f5e4df35d75f6660"},
    {49, "d11de8cb6a732492"}, {50, "d9c750f658c1de95"},
};

struct PinnedScenario {
  const char* file;  // under scenarios/fast/
  std::vector<PinnedRun> runs;
};

// `reckon sweep --scenario scenarios/fast/F --seeds 1..10 --report r.json`.
const std::vector<PinnedScenario> kScenarioRuns = {
    {"crash-during-recovery.toml",
     {{1, "ad3e6cf1e1cff424"},
      {2, "a90f9484f81de4eb"},
      {3, "8d5fce7b53c7824c"},
      {4, "a1f111f8a44b413b"},
      {5, "1a8c8d06fc1325f3"},
      {6, "36a7153df681ac36"},
      {7, "0ce53e3024bda3cf"},
      {8, "0517d94e874f7365"},
      {9, "285ab18c2c90d0df"},
      {10, "68d2ceee5c66de92"}}},
    {"duplicate-webhooks.toml",
     {{1, "3402ff3aa6bda244"},
      {2, "dfd3e45e55bc7652"},
      {3, "5d3d61e34e4402b2"},
      {4, "7cdddf0d33f809fe"},
      {5, "5b8110beb28b2912"},
      {6, "516fc690b27e23d9"},
      {7, "83f809560b7c257d"},
      {8, "910a300f8bf7c220"},
      {9, "9a14bb380aaf7c63"},
      {10, "bd59d7f18ed52b2a"}}},
    {"settlement-discrepancies.toml",
     {{1, "b8a63e81b3567eeb"},
      {2, "6b5c8e76d74f66e8"},
      {3, "236044f35a7464fe"},
      {4, "149039a7cb66d92b"},
      {5, "1d6824e4d6888097"},
      {6, "330094e869566806"},
      {7, "bfaaa104ad4f4449"},
      {8, "663e06c4acac2c11"},
      {9, "03408eef400bf0d7"},
      {10, "1520f26e03902ab4"}}},
    {"swarm.toml",
     {{1, "a8e15b24962090bf"},
      {2, "609decaccb24f571"},
      {3, "6b61b7acb3407cb7"},
      {4, "a9bb172ac98aa075"},
      {5, "75678fbc2da0f70b"},
      {6, "ec95d6fc00952ee3"},
      {7, "bea76506dabe628f"},
      {8, "e7e1166e5b09862e"},
      {9, "125dc549752795c2"},
      {10, "6eebe58235bdb2a9"}}},
    {"torn-write.toml",
     {{1, "119bf40790a0f4a9"},
      {2, "ca1514445aae1d34"},
      {3, "aa4dd77c4e6a9fd8"},
      {4, "95094833cea6ed7f"},
      {5, "94b229ed8b9e343b"},
      {6, "da4aad9b445b781f"},
      {7, "c61c98aea93e0c18"},
      {8, "1e334cd151463e99"},
      {9, "b1f963b1901d9d58"},
      {10, "bf6eadd46c32f2ce"}}},
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
