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
    {1, "31f1e97bfd780b23"},  {2, "7564efc2a82d45b0"},  {3, "cf1384439a38fc2a"},
    {4, "968ac8dd843df52e"},  {5, "af2b0922a6da582c"},  {6, "c0cfcd97aeabb5d5"},
    {7, "8308754ffebe5f07"},  {8, "144642f57945d181"},  {9, "da68524698a75c0e"},
    {10, "5c9c2fb4cfae4981"}, {11, "ed13d5af45eec119"}, {12, "63be6d22a5a84aa0"},
    {13, "fcb29246a7c620c0"}, {14, "f8ad217d05f4c2ea"}, {15, "f44e1e223f94a86d"},
    {16, "d3bc5a5e1c4f3e6d"}, {17, "17b85fa866a68483"}, {18, "56b9cc7598c18aca"},
    {19, "cba548b67c6421ec"}, {20, "6e5a3d1f14f5e90a"}, {21, "72de1e6891f6a7ce"},
    {22, "da681ac942057984"}, {23, "d31a2d0c653b07a0"}, {24, "6068f12f3fed05c7"},
    {25, "973f0a7e7ab80d40"}, {26, "a06f0ccbb120cbce"}, {27, "869fb963ba56ccd9"},
    {28, "e03a01555a7d173a"}, {29, "07c11ae7ca34f94d"}, {30, "58bc4ea1d457d595"},
    {31, "b1224557fdf174f1"}, {32, "1cca3eb5b98fe465"}, {33, "1ba7c5f997eb97ce"},
    {34, "9e2c32b3eebd991c"}, {35, "4f6a4310a2aafe17"}, {36, "31239388e2b75af8"},
    {37, "e54908ab857d631d"}, {38, "60a58d54f66c2a02"}, {39, "18352f57778efb5f"},
    {40, "bb2a3a3cbfef01f3"}, {41, "7e4d7eb8e8436479"}, {42, "714c632cb0e539b0"},
    {43, "9b6fe397d7ef4d6b"}, {44, "ca748a425e3256dc"}, {45, "25309037e65bccf2"},
    {46, "04f8749b6b3fe706"}, {47, "552565f2f8d62251"}, {48, "daa6d3ad0cfd9a8b"},
    {49, "1bfa64ef4fdd9546"}, {50, "4481ff9bbad61b95"},
};

struct PinnedScenario {
  const char* file;  // under scenarios/fast/
  std::vector<PinnedRun> runs;
};

// `reckon sweep --scenario scenarios/fast/F --seeds 1..10 --report r.json`.
const std::vector<PinnedScenario> kScenarioRuns = {
    {"crash-during-recovery.toml",
     {{1, "3bdfd97332f54a1f"},
      {2, "ab952701229efdf0"},
      {3, "95813a0c1ac79be2"},
      {4, "51000372ed264a82"},
      {5, "52a51fc7f3714854"},
      {6, "b8ca39cff1fa45f7"},
      {7, "4e79cfe7211a990f"},
      {8, "91e44feac54fc588"},
      {9, "1426ae88a5a745af"},
      {10, "e3b6b079135ef572"}}},
    {"duplicate-webhooks.toml",
     {{1, "41d3fa8747ac4338"},
      {2, "6bac26941a2ce334"},
      {3, "1348c72ea2b93f86"},
      {4, "db04614a4ae05237"},
      {5, "9896cffbbf4f3082"},
      {6, "1cb6a9c8aa7e3019"},
      {7, "47323bc0aaff7c8a"},
      {8, "60edd8421319f568"},
      {9, "31fb623bcc662bb5"},
      {10, "1be20e8c3c725f11"}}},
    {"settlement-discrepancies.toml",
     {{1, "6690efe7d713b6d8"},
      {2, "04e6b971a07ef920"},
      {3, "09942458bbe1a01a"},
      {4, "a633ad43ec261ae7"},
      {5, "56c907f125113106"},
      {6, "176d6a4234e7dd17"},
      {7, "c283c07f81c4b179"},
      {8, "163f94c903cf6c17"},
      {9, "38851caadfa817ac"},
      {10, "41df819b5c45f181"}}},
    {"swarm.toml",
     {{1, "e0227a1996eee99a"},
      {2, "b3cd1db396e45b7a"},
      {3, "5dcb360be12b72b1"},
      {4, "f6985764849cbab0"},
      {5, "17873d77a7261bb8"},
      {6, "cc7c7c5c2b074981"},
      {7, "d113041596ec81b5"},
      {8, "8f411a082bff3f46"},
      {9, "262392ff4017a3bf"},
      {10, "5dcf177de34b9edf"}}},
    {"torn-write.toml",
     {{1, "317b91ddb8afca0f"},
      {2, "6c9940dc95a91757"},
      {3, "b4bb558eb99abc95"},
      {4, "da8791c6fb018b41"},
      {5, "7f3e6017c0579489"},
      {6, "3f3caa05760f11ec"},
      {7, "087c432e3636b28a"},
      {8, "da1e6a459026b6e7"},
      {9, "c581094e1e0f7292"},
      {10, "879c9bb02ea44cde"}}},
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
