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
    {1, "db6445972a80eeb6"},  {2, "fae7a409c61f81fa"},  {3, "af0273a5ad29cc2b"},
    {4, "86f10c9194305caa"},  {5, "9378627050bae029"},  {6, "d19eee2114154e72"},
    {7, "68379051cc536327"},  {8, "f140f105414af2ac"},  {9, "4446687cedfa2742"},
    {10, "f37ee392c174afb8"}, {11, "63bd42892ba4d5ed"}, {12, "c3b02c0e7753d78e"},
    {13, "9c1b8bf66dd561f4"}, {14, "a4cced36abeddccd"}, {15, "76f0f5331dda6465"},
    {16, "52de7c6354126891"}, {17, "8d19e87199b24948"}, {18, "1af83a7fa61cd759"},
    {19, "26b412a59651fe81"}, {20, "17fb316d817ff929"}, {21, "1960d7037870a5ee"},
    {22, "316cef18a22e95b1"}, {23, "d261713f2855cd3b"}, {24, "adbaa72ea0c4eba4"},
    {25, "556d142b2847433d"}, {26, "ce01a45e329b633d"}, {27, "213db4f477ae5a7c"},
    {28, "daf52ab140f082f1"}, {29, "69292588215eedb6"}, {30, "10c759bbff276138"},
    {31, "537bf8a86ac78eb2"}, {32, "63fe6b3af5fdf32a"}, {33, "412e0f6eab174970"},
    {34, "3f778112279d9478"}, {35, "94ca05eda22798fe"}, {36, "41a509ab687acd19"},
    {37, "ac9e6aab6222d817"}, {38, "67c8f9a4325539d5"}, {39, "9ca7d1c8b0a6a67b"},
    {40, "57fd44456455670d"}, {41, "ac11fdd22d22b700"}, {42, "237edeba8361d150"},
    {43, "49021950d9f1ecbe"}, {44, "6f0d013d9f2c5bdf"}, {45, "28b4c267913146bb"},
    {46, "43200760b188076f"}, {47, "6eb011fc8fb82700"}, {48, "d8ef9a2569ee8cfd"},
    {49, "115d5a8837dcf842"}, {50, "a98d7b5023de05d7"},
};

struct PinnedScenario {
  const char* file;  // under scenarios/fast/
  std::vector<PinnedRun> runs;
};

// `reckon sweep --scenario scenarios/fast/F --seeds 1..10 --report r.json`.
const std::vector<PinnedScenario> kScenarioRuns = {
    {"crash-during-recovery.toml",
     {{1, "a224c83fcb4a6ab8"},
      {2, "9de1353f3a79da03"},
      {3, "a527b240c80aa506"},
      {4, "2d19ea652c46493a"},
      {5, "0c1226f45049f4f3"},
      {6, "086990b9dd4e2340"},
      {7, "e16c5b991942c95a"},
      {8, "672c3c97427348bd"},
      {9, "148d9bb8c66e7e39"},
      {10, "824f68ad15f88b79"}}},
    {"duplicate-webhooks.toml",
     {{1, "806d1fcd04c00bd6"},
      {2, "a92a8993198d4b11"},
      {3, "9d5870599772581f"},
      {4, "26e9ad4a02a97db8"},
      {5, "a21799adea1260ea"},
      {6, "4dd87e69bba656c9"},
      {7, "a4003dadd5584b85"},
      {8, "bcc08c0f66f6b2c8"},
      {9, "963de85086c5799c"},
      {10, "3d7b6af78736037e"}}},
    {"settlement-discrepancies.toml",
     {{1, "3117b64b45833fd4"},
      {2, "c88d7869e5040125"},
      {3, "7ddd96e8c6f02738"},
      {4, "52bf5087b0998720"},
      {5, "177528b4962f6491"},
      {6, "a429c293fdeb81ca"},
      {7, "bc962f0216397fbf"},
      {8, "9cad10c4ef155bc3"},
      {9, "75af481b47fa7ebc"},
      {10, "2bd7649294cee91a"}}},
    {"swarm.toml",
     {{1, "39c1b5dc6acedd6b"},
      {2, "146ba7c465581fcb"},
      {3, "1d2c84694d4e4a7b"},
      {4, "a1c2cf0dc3308bbf"},
      {5, "6f96a113e828c46b"},
      {6, "cbbc580ca2bee899"},
      {7, "9bbb8cf375b12ce8"},
      {8, "2724281f8f9fb3d2"},
      {9, "024f3c6ce82342d9"},
      {10, "faa157496bdd536f"}}},
    {"torn-write.toml",
     {{1, "739719adf8eec08c"},
      {2, "2dae23b338e45a20"},
      {3, "43b2843985f33a1d"},
      {4, "e7be161c47daaca9"},
      {5, "192e8b6bdd6cc5ed"},
      {6, "805abe17f7ec332b"},
      {7, "a238aad5a67f6c78"},
      {8, "5e66e961c012232a"},
      {9, "15ef981f5f6d1928"},
      {10, "6b073d46a35278e8"}}},
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
