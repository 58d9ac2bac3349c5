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
    {1, "02ac73ee8801d311"},  {2, "6e60f847ed56903d"},  {3, "d5387bed9f261cc7"},
    {4, "f153e639f0ab83e9"},  {5, "165eccb59393f69e"},  {6, "116532b61bc34e01"},
    {7, "04ffb90e18f3b1fb"},  {8, "4602053a8e3edada"},  {9, "dcfad6e1bff62254"},
    {10, "0df09536b0f69895"}, {11, "98bbbd504b380746"}, {12, "ab5957cdcfbd2804"},
    {13, "50bb203cfc993fde"}, {14, "ddcdd7515a3d58f0"}, {15, "654686437f1ed07c"},
    {16, "6d473b97bb5eeef4"}, {17, "f3c0aa36d3ee86cd"}, {18, "73cffae24a9991e2"},
    {19, "f0a89cb66b76f14a"}, {20, "c7ee15b236d5a64c"}, {21, "21cf2e75e7ad6490"},
    {22, "0496cc47ee12dee7"}, {23, "bfdfbc56d709f23c"}, {24, "e06600a4952aa1b3"},
    {25, "23cf4ae0113ac7b1"}, {26, "e83b56a820d78c17"}, {27, "1a327f70988ff6b9"},
    {28, "d977f633022419e6"}, {29, "2a896895927b5dc2"}, {30, "a9b8826705ae4829"},
    {31, "32a64f7707c0787c"}, {32, "005cb4382695c828"}, {33, "d1887b45fb046c85"},
    {34, "722eea49d244b88f"}, {35, "69165f0764e2852a"}, {36, "10a193504ed82191"},
    {37, "61437a2d2e9323c1"}, {38, "6458cbe1dc543d4d"}, {39, "268fd2cbbeeae58a"},
    {40, "0523273bd31fbe74"}, {41, "50d264115bcf77d9"}, {42, "5def5cc6e78ce9b0"},
    {43, "85dd1df13732694b"}, {44, "5a4d5c0ab3934202"}, {45, "bdef10c3774800d4"},
    {46, "3c3649870a26fef4"}, {47, "43a48668e50bc418"}, {48, "a6d8c63b10736b86"},
    {49, "5a43d759e4dac235"}, {50, "faa79cd4cebd57d1"},
};

struct PinnedScenario {
  const char* file;  // under scenarios/fast/
  std::vector<PinnedRun> runs;
};

// `reckon sweep --scenario scenarios/fast/F --seeds 1..10 --report r.json`.
const std::vector<PinnedScenario> kScenarioRuns = {
    {"crash-during-recovery.toml",
     {{1, "fdaea0eba22fcbda"},
      {2, "ee56b23157f29845"},
      {3, "42e4d50fc63688d2"},
      {4, "aff266fee4ac395d"},
      {5, "7b4025bcc3c75a0d"},
      {6, "fc24629f8effeaf4"},
      {7, "839b920eb542a8a1"},
      {8, "f82847a6b4015c49"},
      {9, "db3d100330c51273"},
      {10, "320ce4471cb50409"}}},
    {"duplicate-webhooks.toml",
     {{1, "7edbe3ee97054e27"},
      {2, "15a2f72a48fa0230"},
      {3, "153b74971af91470"},
      {4, "3d675003571e0443"},
      {5, "87939d0fb62ece94"},
      {6, "9a8bc59bd297e43d"},
      {7, "797316089aac838e"},
      {8, "a5671bcc148bc3b0"},
      {9, "711bd5ec3e768793"},
      {10, "dd227be2edaaee35"}}},
    {"settlement-discrepancies.toml",
     {{1, "adf4021481ffc548"},
      {2, "b444f25c9e6ea5e2"},
      {3, "4093564712064e37"},
      {4, "6c67dbb927d7e078"},
      {5, "2208df56407910c6"},
      {6, "f92cc86490958884"},
      {7, "6bfbe9d225ea2551"},
      {8, "d21ec90947c101cc"},
      {9, "e4a68f5daecb1132"},
      {10, "50c42ddd3a03fc41"}}},
    {"swarm.toml",
     {{1, "6138e35170a56ecc"},
      {2, "0d21536c767d0c26"},
      {3, "00524ef7a5f17f99"},
      {4, "52260be13b003304"},
      {5, "dbdcf1f6fb4d49f9"},
      {6, "f2e8d0ffe0edb972"},
      {7, "f1913a6a10c972d2"},
      {8, "01563c59f536363e"},
      {9, "542afd2237f12299"},
      {10, "67acbb9446114d71"}}},
    {"torn-write.toml",
     {{1, "165d29c834a46af5"},
      {2, "16b02580115728cc"},
      {3, "c994b5f62c8679ca"},
      {4, "e3a4a57bf41ae38f"},
      {5, "9608cc315fcbf45e"},
      {6, "e7e2dd9083478790"},
      {7, "d29a507991a4f6d5"},
      {8, "4adf641f9b746aa5"},
      {9, "6d5ee9b6bb817a1b"},
      {10, "efa7d410db63af86"}}},
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
