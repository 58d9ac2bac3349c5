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
    {1, "4c7b255f36350a2c"},  {2, "f553b7fec9f47546"},  {3, "fad7b15b38bd7d2a"},
    {4, "52735d16c09218ac"},  {5, "ed01a8d38f842009"},  {6, "72942f1e0ce6d723"},
    {7, "90d954a08b40a6fe"},  {8, "fe4a7b778ed8734c"},  {9, "b221e693c4593f21"},
    {10, "c5ee5d42db6253b0"}, {11, "2612795984633ed9"}, {12, "933d1f577bb381b9"},
    {13, "a935d909bee2d2bf"}, {14, "7a60aa7366298a58"}, {15, "d43ba44c8187a542"},
    {16, "c644f3bd2b4dfca5"}, {17, "ead62b6513c4e11f"}, {18, "31530b664b6ca783"},
    {19, "66e67569f282cdc8"}, {20, "83120dfff9971e24"}, {21, "8400c444fae3774d"},
    {22, "18f30e61b1057943"}, {23, "c910fe36135935db"}, {24, "6e1941581421aab1"},
    {25, "dbe96b50decdc136"}, {26, "77fe2bd208d77a13"}, {27, "45a7a3e85f8a653f"},
    {28, "2eec45da63747c45"}, {29, "aa435eb94697378f"}, {30, "91a22a8f6cbbdfd8"},
    {31, "7030268240615f36"}, {32, "4eee0112bacacabb"}, {33, "a87b945ffd307d7a"},
    {34, "57155e81578db14e"}, {35, "b1be63b86bed2c1d"}, {36, "2dc2795c11538adf"},
    {37, "5e4e93901d91b98f"}, {38, "ee7d8cdfa31f666d"}, {39, "6f79a1eb4bfa01f3"},
    {40, "9222767ef3b37187"}, {41, "00026fd8d21854f9"}, {42, "e525d142035b0bcc"},
    {43, "b6798335b7fca03b"}, {44, "5609868ef1c07b78"}, {45, "681818c66839ae87"},
    {46, "f524bbd55f060554"}, {47, "02bc3b8154b7b2d1"}, {48, "3dfc7c6811680043"},
    {49, "43079adb3bd88065"}, {50, "a5dc042f8d461920"},
};

struct PinnedScenario {
  const char* file;  // under scenarios/fast/
  std::vector<PinnedRun> runs;
};

// `reckon sweep --scenario scenarios/fast/F --seeds 1..10 --report r.json`.
const std::vector<PinnedScenario> kScenarioRuns = {
    {"crash-during-recovery.toml",
     {{1, "0001d3706bc95a00"},
      {2, "59e16d3640cc1751"},
      {3, "ca43e2725f2912b1"},
      {4, "504c218ae73352b5"},
      {5, "513210fd099dc3f0"},
      {6, "131672b4412a8085"},
      {7, "0f2b67939a40ec6a"},
      {8, "b57b096cfd0e5bff"},
      {9, "96386aacfaafad32"},
      {10, "71e2d88c34e21bb6"}}},
    {"duplicate-webhooks.toml",
     {{1, "54029a6278712f74"},
      {2, "29312ae6ac4ac959"},
      {3, "e6ae41d2d170a04a"},
      {4, "90b974292462cb14"},
      {5, "1e31ed0ced8c5434"},
      {6, "d9aa4c0272e11df6"},
      {7, "2088d2bcbe4b2412"},
      {8, "d2eb2f10fa4724ce"},
      {9, "a41ebc96e49a9dbd"},
      {10, "407ff2cb9f9651bb"}}},
    {"settlement-discrepancies.toml",
     {{1, "0786220fba251283"},
      {2, "6c97f65e28708047"},
      {3, "e9fed3c6927ffc86"},
      {4, "68ab4caadc114f40"},
      {5, "5a7eb2284fbe4584"},
      {6, "c9589b585ecf9c55"},
      {7, "2afed4c898c5ff6b"},
      {8, "18e59c44b8dc7201"},
      {9, "15fecef4a252752b"},
      {10, "f7bbeafa9d318de6"}}},
    {"swarm.toml",
     {{1, "c44413adbf212ca4"},
      {2, "fc2cbc296a7fd795"},
      {3, "9575a350c3dcdad8"},
      {4, "99b85af63b969ddf"},
      {5, "2db4d64e2dc7b18f"},
      {6, "faafaf900fa9ca00"},
      {7, "79859de9be998031"},
      {8, "29f674e3b8f2b728"},
      {9, "f535eb75c16b7a7c"},
      {10, "64fd90e904617b30"}}},
    {"torn-write.toml",
     {{1, "c12481618ce6adb3"},
      {2, "d1125626c1edbf28"},
      {3, "4becbce3f26ffdc1"},
      {4, "802186ed8b945d2f"},
      {5, "80228b34845647b6"},
      {6, "a175a9260f4bbab3"},
      {7, "bebae61eaa60c337"},
      {8, "d9eb19a9e8b92231"},
      {9, "345a51a6f6cc62b0"},
      {10, "52d8166a1ace671c"}}},
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
