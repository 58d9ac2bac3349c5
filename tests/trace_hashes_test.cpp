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
    {1, "950ccde0d905e6de"},  {2, "64f72eff3760c823"},  {3, "d489252bcb6c5f38"},
    {4, "ab807df1893a0aa2"},  {5, "b71cd32a300f916f"},  {6, "36f9c119847ee279"},
    {7, "894333a0676515d1"},  {8, "d0c5af7d02308a54"},  {9, "30cb16c1678c4e7f"},
    {10, "91dc0eca6430706e"}, {11, "f9eb44dd233e1993"}, {12, "a8fee6538be019a3"},
    {13, "b2fe164eb707b2c7"}, {14, "433c88b5169045b9"}, {15, "1d5e0ff1f9202452"},
    {16, "231b58822b3fac67"}, {17, "e2dc87bd1b4c6a33"}, {18, "dd6beb2f994fb9d2"},
    {19, "ef2e1baa9fa299ac"}, {20, "b0d5b0dafc59fdbf"}, {21, "fb7ea4aad7859f70"},
    {22, "93091c7656f5453c"}, {23, "8e515ef3b20e31db"}, {24, "7ed3b596037bc93b"},
    {25, "f9e243fdaead4288"}, {26, "30a7547508b8721d"}, {27, "aab00cb5f9fea88a"},
    {28, "c39a2b12a624beb1"}, {29, "774d55de14fe7b4e"}, {30, "e7bdc917762417f4"},
    {31, "c78f6f8c85f10883"}, {32, "0e63d3ba7d349bd7"}, {33, "1e65aded832c6f0e"},
    {34, "2ab5d7fa841f8f3b"}, {35, "0870af075b03374f"}, {36, "23111446b71cc7f2"},
    {37, "06f811439dcb7034"}, {38, "712bea0b59494b68"}, {39, "bf024227b6c11b67"},
    {40, "874e9cb3be7a4260"}, {41, "e5e9e040db32ff34"}, {42, "f4f507f84887e8ff"},
    {43, "a8ec622636db43fd"}, {44, "ae81fd1eb398fa19"}, {45, "cb4c2554d9661bfd"},
    {46, "07a95d4f3d49bb9d"}, {47, "0f7bdb84bdf97033"}, {48, "1aea4c0296e2b19b"},
    {49, "66dea0c6b289035e"}, {50, "6572dcb54f668570"},
};

struct PinnedScenario {
  const char* file;  // under scenarios/fast/
  std::vector<PinnedRun> runs;
};

// `reckon sweep --scenario scenarios/fast/F --seeds 1..10 --report r.json`.
const std::vector<PinnedScenario> kScenarioRuns = {
    {"crash-during-recovery.toml",
     {{1, "b761d7dd3a976506"},
      {2, "955223c8a7d75741"},
      {3, "a03ea6a5957a9a70"},
      {4, "b3eb323b96923b22"},
      {5, "44f98e19250efe06"},
      {6, "ebd7706ae27ddcb1"},
      {7, "2cea0fb036e6ab6b"},
      {8, "136bbceb23fad872"},
      {9, "c5366302ad680f84"},
      {10, "330bdd4086f68ea9"}}},
    {"duplicate-webhooks.toml",
     {{1, "c20bf1059f736275"},
      {2, "27f718a82ad78295"},
      {3, "ec5c849b5f2ade65"},
      {4, "e88ee9fef152295c"},
      {5, "fb8d598d74cd84d1"},
      {6, "19d444f095e51197"},
      {7, "1cafed1823563975"},
      {8, "e5c78a6b17fa6b70"},
      {9, "6eb2070616b71dc0"},
      {10, "01cd46c1deef5f20"}}},
    {"settlement-discrepancies.toml",
     {{1, "9970a03a21c6677d"},
      {2, "c5f8c55f5eb7f005"},
      {3, "3132152e0af2944d"},
      {4, "cabdf7c3df3341b3"},
      {5, "3864560f5f1b7e3b"},
      {6, "d3970083837fdf08"},
      {7, "8292d24b7a2ebc61"},
      {8, "7f152cbc89dbb6de"},
      {9, "f1ee3231daf5a7e9"},
      {10, "fa455b4bb4204146"}}},
    {"swarm.toml",
     {{1, "a84ababcfdb08544"},
      {2, "114a59fa88e15b36"},
      {3, "b52854914105a2c4"},
      {4, "bf12d57da047f8c3"},
      {5, "3f8c06657cc77667"},
      {6, "199d745f67f15f9f"},
      {7, "42f4af67af8efe59"},
      {8, "32922f560bca54cf"},
      {9, "557697ba29c0924d"},
      {10, "1651bb35e49ad705"}}},
    {"torn-write.toml",
     {{1, "03db45f45fcd6413"},
      {2, "6cdddfed992db5bd"},
      {3, "9b199e0f56193d71"},
      {4, "df7c3f3dab7d71ea"},
      {5, "d705cb1231d691ee"},
      {6, "18a3a06f84a1dc23"},
      {7, "2e4671bf63a65845"},
      {8, "10211dd45db96859"},
      {9, "8a2adebe72167eed"},
      {10, "3ad56a7d2aba4289"}}},
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
