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
    {1, "50a02cbf825bbb0e"},  {2, "5687ac2663f9975b"},  {3, "96c82b257d921f1d"},
    {4, "70bde8ad910ce0a6"},  {5, "5ccecda1e2bd9727"},  {6, "c13870b8928ae333"},
    {7, "08f8b1d93dd166e0"},  {8, "5bd21cad25fdfc0a"},  {9, "0b43c8a0c5217c3d"},
    {10, "3adca30c913b42f7"}, {11, "3b2aed403dbc27d7"}, {12, "cfb41ea442e485e0"},
    {13, "ee327da8939a57ab"}, {14, "7f8e48c573d9ad55"}, {15, "e399d023ae08f236"},
    {16, "346fe0a2afdd551c"}, {17, "863ef777676cc766"}, {18, "842b36678d2a2302"},
    {19, "b2a43b5d8ff57de2"}, {20, "c8a90ecea41b4eb4"}, {21, "947574776f6a2069"},
    {22, "0f59b7b9f0738202"}, {23, "743ad4b2fc7f1848"}, {24, "fda2020a1889bd22"},
    {25, "6cb0d27e7e67a59f"}, {26, "6b3f342ec5f011ad"}, {27, "b4de53006172e004"},
    {28, "746e0fc12eb2720f"}, {29, "966286a37269c3e3"}, {30, "07bee9dc18c698e2"},
    {31, "fe24eb86a45d9d2f"}, {32, "d6cac49a636d8f57"}, {33, "2c69f921b7036141"},
    {34, "6e5ba50a64c0cae5"}, {35, "a0b5ba0d2a71e7f3"}, {36, "d7e33bd7eb809a0b"},
    {37, "00b5091ac7517666"}, {38, "745f1d68306e87e8"}, {39, "2a60214bf52de562"},
    {40, "24e596392093d1e1"}, {41, "54553b9fb0270634"}, {42, "42f03c8d8c64c173"},
    {43, "9257e5889a87d4b9"}, {44, "fd788b456ccf9221"}, {45, "7b810e1bf835c335"},
    {46, "a449dddeec2b2c15"}, {47, "d07780b9632caf97"}, {48, "6a075334b79009a2"},
    {49, "9b027b3ce890c310"}, {50, "be03d8ff7773206e"},
};

struct PinnedScenario {
  const char* file;  // under scenarios/fast/
  std::vector<PinnedRun> runs;
};

// `reckon sweep --scenario scenarios/fast/F --seeds 1..10 --report r.json`.
const std::vector<PinnedScenario> kScenarioRuns = {
    {"crash-during-recovery.toml",
     {{1, "73e390eba0e08fec"},
      {2, "a58b8703d06c28ea"},
      {3, "dc4c665a0ef8c367"},
      {4, "a926df3479bbf823"},
      {5, "35d0409da3aa2be9"},
      {6, "9e5c24bcdc1ceb77"},
      {7, "ea6965d363db0d20"},
      {8, "19220b5de9954aa6"},
      {9, "8e49bc2744c842db"},
      {10, "20ccab7f04c98541"}}},
    {"duplicate-webhooks.toml",
     {{1, "eddc2e8900cdf79f"},
      {2, "ade87f658ddac1fc"},
      {3, "9323754d8207c017"},
      {4, "4cba320da0196584"},
      {5, "9f944e0e3aee405f"},
      {6, "5bd0197078a57e96"},
      {7, "1c83d993d321debc"},
      {8, "ea2b852a1824b0b9"},
      {9, "8b703a95568681a5"},
      {10, "fa616f0d29313b90"}}},
    {"settlement-discrepancies.toml",
     {{1, "ffceadd172c509ca"},
      {2, "c6975fe2d91c8ced"},
      {3, "b3feab438e17b83a"},
      {4, "41d7dafbcf0d7b25"},
      {5, "b83db836042e04ca"},
      {6, "67139d6b3be17a87"},
      {7, "526eb14b911fd2e4"},
      {8, "fccbe6d10d40a23e"},
      {9, "fb575bef2359a463"},
      {10, "bf7462cbb0826938"}}},
    {"swarm.toml",
     {{1, "66603d87315d83f2"},
      {2, "cd7dd2b0003b63a9"},
      {3, "3780106ab1eba617"},
      {4, "7b00a8f40ffb99c5"},
      {5, "2825135d0e7a7cd4"},
      {6, "3d94c912c421744b"},
      {7, "c75b6d83893d72fc"},
      {8, "6c9c340d004450cb"},
      {9, "fed6cd3504751ee0"},
      {10, "082f0f515021c59a"}}},
    {"torn-write.toml",
     {{1, "65330d74fce19aa5"},
      {2, "da022a021afdfd56"},
      {3, "65ca1a121d4cac35"},
      {4, "197ab3e11461fcfb"},
      {5, "c21802b0f70d9d21"},
      {6, "0702db6a607e31c3"},
      {7, "b7bbbed4ecf2a3dd"},
      {8, "6ac2aa85d1e35f50"},
      {9, "ffb38e87e9cc0912"},
      {10, "a14d67555dbb0f98"}}},
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
