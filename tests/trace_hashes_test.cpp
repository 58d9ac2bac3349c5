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
    {4, "14fbd198f8ab268a"},  {5, "cb4fbf7f00e519f9"},  {6, "796536a1688c59e8"},
    {7, "dc679beb3fb3b433"},  {8, "69096b9786ddeeb1"},  {9, "df69472294267808"},
    {10, "7c5e7ba3856b87d9"}, {11, "7be16556bb2f421e"}, {12, "aa8f33f19d966447"},
    {13, "626f273fd7461cba"}, {14, "b0835128b7b666d9"}, {15, "e610c50edbe02e7c"},
    {16, "278f093f2bd0b991"}, {17, "18c2fde9a40da777"}, {18, "fc73a49c821205e5"},
    {19, "d8744218d740d7a3"}, {20, "6976c0d5ca311429"}, {21, "8180df6370c7d3ef"},
    {22, "f46abeca2c910b5c"}, {23, "26543effabc2c2fc"}, {24, "f9ffddecbcb65acd"},
    {25, "30b9c7b449c5a629"}, {26, "5707002eae410384"}, {27, "3b709180df8dc776"},
    {28, "0e175fba1a23ef42"}, {29, "5702d10ed2bfc979"}, {30, "55e117666fa9ac70"},
    {31, "5a7f94d2bc12d58d"}, {32, "071026a0671a37c5"}, {33, "72d93a2b8017cbe5"},
    {34, "055834207c01dfe0"}, {35, "c4759f5550606e93"}, {36, "92d363eaac5440a5"},
    {37, "079b7cacf4f906e6"}, {38, "f42e5614ee377604"}, {39, "3484d1f21128edfd"},
    {40, "32a6079d4f310b2d"}, {41, "5726901ad8f1cd29"}, {42, "25a011c0e3cf7bd4"},
    {43, "a6593e717015923e"}, {44, "10c6d96947bf71b3"}, {45, "d954aae7133c2071"},
    {46, "eb7a8fa60dedcc78"}, {47, "c0d7dfa4ae5312a5"}, {48, "d481e52ba4f9689d"},
    {49, "63016e4576e564b5"}, {50, "d9c750f658c1de95"},
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
      {3, "57df2ed278ae6e7b"},
      {4, "a1f111f8a44b413b"},
      {5, "1a8c8d06fc1325f3"},
      {6, "36a7153df681ac36"},
      {7, "e16de9fb63d9be80"},
      {8, "8a44ba607db2d167"},
      {9, "0cdd418b5a7bda0b"},
      {10, "3edbe01534ae3c05"}}},
    {"duplicate-webhooks.toml",
     {{1, "2b3ce2f4f73c896b"},
      {2, "dfd3e45e55bc7652"},
      {3, "a52b7e96cb3ab868"},
      {4, "798669b956bc14fd"},
      {5, "9656e00309c8f870"},
      {6, "def215a7bcff44c3"},
      {7, "83f809560b7c257d"},
      {8, "910a300f8bf7c220"},
      {9, "c9c64ac40d8da8d2"},
      {10, "22db7eea6f0c7243"}}},
    {"settlement-discrepancies.toml",
     {{1, "b8a63e81b3567eeb"},
      {2, "6b5c8e76d74f66e8"},
      {3, "236044f35a7464fe"},
      {4, "149039a7cb66d92b"},
      {5, "b201aa83aad80dd3"},
      {6, "330094e869566806"},
      {7, "eef853b4dc514e0e"},
      {8, "36ad9ca6a9435bd4"},
      {9, "03408eef400bf0d7"},
      {10, "1520f26e03902ab4"}}},
    {"swarm.toml",
     {{1, "12b616ef3fe9cb80"},
      {2, "eb25d6ea77d5917a"},
      {3, "336e3f150ed063cd"},
      {4, "d232153f3be840c5"},
      {5, "75678fbc2da0f70b"},
      {6, "4673e1855b56e8be"},
      {7, "54f18df208677c98"},
      {8, "2ac862e9fa87bd7b"},
      {9, "67b42542790b6ec0"},
      {10, "0272d13f06980f74"}}},
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
