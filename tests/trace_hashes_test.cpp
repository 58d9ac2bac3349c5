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
    {1, "77a6e2ccd2259652"},  {2, "36cb7af682bdf015"},  {3, "6649fb97d234f58a"},
    {4, "7edd6c46fdf42172"},  {5, "dfcbb637b961add6"},  {6, "ba9f7fa81d75fe42"},
    {7, "0de29fd2dff20a2f"},  {8, "fc3188c2d847b7bb"},  {9, "47213e41970a8936"},
    {10, "c3bf2c28a262bef9"}, {11, "08ba8a18a4cd9701"}, {12, "c296bb4e7df65540"},
    {13, "de668ebb6e16836c"}, {14, "c51c039f76ed7c12"}, {15, "32cdeaea2bcb8a0a"},
    {16, "264afb09909fec33"}, {17, "857f51d11f7c10e7"}, {18, "339b87615e9b8b5e"},
    {19, "5bda3d57e1596856"}, {20, "2534de11e79babd7"}, {21, "5dd6ed04bd6e39b0"},
    {22, "d6f036c4d12739a6"}, {23, "0319151a2b640f75"}, {24, "6e604778296aa57c"},
    {25, "61b77fe5bb20b139"}, {26, "234b68cdc45bfd13"}, {27, "060d1a595efaa987"},
    {28, "f5f137cfef6627c5"}, {29, "1a1bbd33478dac19"}, {30, "5178e28b78a034a0"},
    {31, "cf0770ec5fbcf9df"}, {32, "bd9307fce141c986"}, {33, "e0b5fb92050c4b8a"},
    {34, "fef48423f746b4cd"}, {35, "506a086866c06be4"}, {36, "1d1120dac929b6bc"},
    {37, "69dcb04b8a58ab8b"}, {38, "1ffe51f98d2291a9"}, {39, "d4cff3669e5af4bc"},
    {40, "5c597bd9ddfb6c21"}, {41, "31137c9c4722d8ca"}, {42, "968a4db8728678c6"},
    {43, "23e0f3903742a113"}, {44, "3a9dfacc3decdaf3"}, {45, "c95ec98e4584bbf1"},
    {46, "e38c21d7a6eebf29"}, {47, "b342e305d535e83a"}, {48, "5cc709d46d87707c"},
    {49, "12c23715b22bb477"}, {50, "3e903d623e9bc4ef"},
};

struct PinnedScenario {
  const char* file;  // under scenarios/fast/
  std::vector<PinnedRun> runs;
};

// `reckon sweep --scenario scenarios/fast/F --seeds 1..10 --report r.json`.
const std::vector<PinnedScenario> kScenarioRuns = {
    {"crash-during-recovery.toml",
     {{1, "e78ce43ec9bc6374"},
      {2, "4e80a92b33ae294a"},
      {3, "15563d2877e5e394"},
      {4, "3d3ac793094c864b"},
      {5, "b19fd4a89a13780e"},
      {6, "f5e19271e65166e5"},
      {7, "b4444d55ab7333d0"},
      {8, "e6a0e42ba97485fa"},
      {9, "3dfdc3100b1f0e7d"},
      {10, "bacf31ecdfac6b14"}}},
    {"duplicate-webhooks.toml",
     {{1, "67f937a5a9c08046"},
      {2, "6690558cec7ab20c"},
      {3, "f36494021432e0cc"},
      {4, "99c35466c29f54a3"},
      {5, "2dc4df4574cd4aaf"},
      {6, "d913d4a4e5ad1c61"},
      {7, "d16959dc627d4099"},
      {8, "7d07412003663beb"},
      {9, "ce7f97dd2404e37b"},
      {10, "fb562569041c2a4b"}}},
    {"settlement-discrepancies.toml",
     {{1, "c0725b2d31bb2571"},
      {2, "78fc5c95809047d9"},
      {3, "33cc9c44ad20c34e"},
      {4, "4a55ef028757f340"},
      {5, "2b4309e8f8502ded"},
      {6, "9dcf6c76ccd4ba1e"},
      {7, "4a96a97fb332804f"},
      {8, "b8991199b4a8e077"},
      {9, "5d572b63862f2567"},
      {10, "baf6c4f4422d1599"}}},
    {"swarm.toml",
     {{1, "60ff4af0c28683e6"},
      {2, "ba2b7727c838bfa4"},
      {3, "635af071d1a869da"},
      {4, "c4580b981f28fd77"},
      {5, "faeb2be6fe25bea0"},
      {6, "fb4752203c775af4"},
      {7, "b01513d9fa342cdc"},
      {8, "c73162be96946795"},
      {9, "4d9d084a2250455a"},
      {10, "34c3de57c39a0f70"}}},
    {"torn-write.toml",
     {{1, "096a3aa98cfb549e"},
      {2, "a298bba822d658da"},
      {3, "710467bd8da00a85"},
      {4, "65d6c1190937d0dd"},
      {5, "3e1028c41ae58460"},
      {6, "61a7a77cd729fbbe"},
      {7, "e6b87a0c78cbef4d"},
      {8, "4a51fcf0d9bde464"},
      {9, "fff5e839a42c9c13"},
      {10, "7de51d7b2436e604"}}},
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
