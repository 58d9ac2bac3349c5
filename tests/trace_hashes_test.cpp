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
    {1, "5b6193c15eb6e978"},  {2, "34e72071760b880f"},  {3, "c545a604dc59e7d4"},
    {4, "f153e639f0ab83e9"},  {5, "45da1a2d75d6a6e9"},  {6, "116532b61bc34e01"},
    {7, "df1b7066cb283940"},  {8, "4602053a8e3edada"},  {9, "dcfad6e1bff62254"},
    {10, "659dea4e67c86439"}, {11, "13e023e1a082e30b"}, {12, "ab5957cdcfbd2804"},
    {13, "611d40d5bac9e7c8"}, {14, "4b2e132da8157c59"}, {15, "a1dbd4fe37a256ef"},
    {16, "1d263540d33055a3"}, {17, "b55cdb860b65b0b0"}, {18, "b9bce12a152e212c"},
    {19, "64b9a3487ce7cba0"}, {20, "a592d41f6f363c6a"}, {21, "21cf2e75e7ad6490"},
    {22, "125c46429356df17"}, {23, "616c602886e50ae4"}, {24, "4a308cde66e8341a"},
    {25, "23cf4ae0113ac7b1"}, {26, "eb8731eeba756b7b"}, {27, "25955bfa61439517"},
    {28, "fb697139be938f07"}, {29, "63304462bde42a97"}, {30, "a9b8826705ae4829"},
    {31, "f777029741cb1c62"}, {32, "005cb4382695c828"}, {33, "a5c4a5861e77bbc6"},
    {34, "66b17ac19fade94b"}, {35, "1b3e457ab5b3b448"}, {36, "6835c9def02a9e6d"},
    {37, "61437a2d2e9323c1"}, {38, "6458cbe1dc543d4d"}, {39, "098f4da09fec126b"},
    {40, "c121535a98252a16"}, {41, "ae328c87d656d6e4"}, {42, "5def5cc6e78ce9b0"},
    {43, "6a62db4f36b7e583"}, {44, "3f84117cbbd96d10"}, {45, "bdef10c3774800d4"},
    {46, "3c3649870a26fef4"}, {47, "64e2dbb0ea77479c"}, {48, "4ee4222f47d409b6"},
    {49, "6880a8c728b35961"}, {50, "fd50629800ee1740"},
};

struct PinnedScenario {
  const char* file;  // under scenarios/fast/
  std::vector<PinnedRun> runs;
};

// `reckon sweep --scenario scenarios/fast/F --seeds 1..10 --report r.json`.
const std::vector<PinnedScenario> kScenarioRuns = {
    {"crash-during-recovery.toml",
     {{1, "7ff369e34e7aad01"},
      {2, "5952c13983dc40a8"},
      {3, "d6568cbd625458b0"},
      {4, "aff266fee4ac395d"},
      {5, "5277f21c5a2a2d92"},
      {6, "fc24629f8effeaf4"},
      {7, "8d398ad168ef7657"},
      {8, "f82847a6b4015c49"},
      {9, "db3d100330c51273"},
      {10, "6e3e55426c584628"}}},
    {"duplicate-webhooks.toml",
     {{1, "e5abc5a1d201e47e"},
      {2, "cec3d52ce139b7c8"},
      {3, "5df58bbc9ef415f8"},
      {4, "3d675003571e0443"},
      {5, "ca31d39fb1fa0a66"},
      {6, "9a8bc59bd297e43d"},
      {7, "f10f5ba825d40e5c"},
      {8, "a5671bcc148bc3b0"},
      {9, "711bd5ec3e768793"},
      {10, "b2e95bcafd3cfbaf"}}},
    {"settlement-discrepancies.toml",
     {{1, "31082e080e486d23"},
      {2, "ace443857469cab3"},
      {3, "4965a63d060d139b"},
      {4, "b98b7013b0226db4"},
      {5, "26b4648e25f05d72"},
      {6, "b5be4064f1f1a656"},
      {7, "d5bc7c6d2442ac24"},
      {8, "679d07ece043db96"},
      {9, "ca94a6d961a9fe65"},
      {10, "2bcd33c1e7b2c552"}}},
    {"swarm.toml",
     {{1, "685f433b29689434"},
      {2, "c0dd64e633c496f8"},
      {3, "b978a28cbb4a3cb3"},
      {4, "713cea20115849fc"},
      {5, "6d2d606afe04ed77"},
      {6, "40566921ce0a71df"},
      {7, "698522b9a872e0c5"},
      {8, "eea162ed77d1a53a"},
      {9, "a0856cbd70335a33"},
      {10, "d2fb84f9f6fd374b"}}},
    {"torn-write.toml",
     {{1, "b1e3470cef75772d"},
      {2, "cf65fd4a8dfe9cbc"},
      {3, "4647e858417d070d"},
      {4, "e3a4a57bf41ae38f"},
      {5, "efce1c831c7967a5"},
      {6, "e7e2dd9083478790"},
      {7, "173e3e21f7ae304c"},
      {8, "4adf641f9b746aa5"},
      {9, "6d5ee9b6bb817a1b"},
      {10, "0419a03811b18b09"}}},
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
