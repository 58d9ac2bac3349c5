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
    {1, "54b73faaf324f296"},  {2, "b95bc594a8508afe"},  {3, "ec96b35c8252349b"},
    {4, "00f08758ad389994"},  {5, "4bd5b537ea167f82"},  {6, "e8a7a1c4eaaa9a1f"},
    {7, "9edf595eb3edf0c3"},  {8, "924c05cfe1672af5"},  {9, "c66db62a82e813c0"},
    {10, "9a062c70881b17c0"}, {11, "5fa9265229e7dcde"}, {12, "849fadc4e48bf05d"},
    {13, "d262b24f4fb234de"}, {14, "d94b1271cc529440"}, {15, "7ab021123cd753aa"},
    {16, "73a93bee269bc5a8"}, {17, "857f51d11f7c10e7"}, {18, "776259e35a02f563"},
    {19, "c6d4ee77fbb02acf"}, {20, "724f517a45fc5946"}, {21, "29a41ad0a186c1a9"},
    {22, "3253c8e61c5c86cc"}, {23, "c67c9ed6e3daadc6"}, {24, "70d1c5651eb89828"},
    {25, "8fad972fabdc6ba9"}, {26, "3508c72bf051a467"}, {27, "6b33d5db17344281"},
    {28, "f18fe612aef59744"}, {29, "a371af676d6ccbdc"}, {30, "3afebf9af59a4233"},
    {31, "2a86bcefb2296e61"}, {32, "aaadd04b5eb01533"}, {33, "4e959410ef30791f"},
    {34, "62dd9373c3463e24"}, {35, "a7c317b9bd692261"}, {36, "5615b2df55c3147e"},
    {37, "cb28e39930b3509b"}, {38, "4d398f04a6d88e32"}, {39, "df76a44b36a73fbb"},
    {40, "ba4c810fbf015df9"}, {41, "77bac32664303f66"}, {42, "e509cf8604ff2b8d"},
    {43, "a02eb336c78f48d4"}, {44, "8bafe44973b50d89"}, {45, "c95ec98e4584bbf1"},
    {46, "a856de018b9c2d44"}, {47, "a2e876c12a609290"}, {48, "8922f92aac448a2c"},
    {49, "8736189916883316"}, {50, "46ab573831523de5"},
};

struct PinnedScenario {
  const char* file;  // under scenarios/fast/
  std::vector<PinnedRun> runs;
};

// `reckon sweep --scenario scenarios/fast/F --seeds 1..10 --report r.json`.
const std::vector<PinnedScenario> kScenarioRuns = {
    {"crash-during-recovery.toml",
     {{1, "b981fd1c92e50b1b"},
      {2, "ed2d93f2ddbab0b0"},
      {3, "fddd1f21acf37065"},
      {4, "8f0faebfcc600854"},
      {5, "4339b71bf638487f"},
      {6, "2d3d7b8d94fd45ad"},
      {7, "ccb4d039b4045d69"},
      {8, "33286ba03c4beb23"},
      {9, "8a81153de6ee3f3a"},
      {10, "6e70812dec307f58"}}},
    {"duplicate-webhooks.toml",
     {{1, "ffbcf32fb8165c73"},
      {2, "ca62c1f6716544f3"},
      {3, "d4c39fd555bf7771"},
      {4, "ca58074f2aa7aa20"},
      {5, "6f4f5f7d8fc95071"},
      {6, "1f43d30f0653d087"},
      {7, "6d364429c7c19dcc"},
      {8, "962569317e54eb71"},
      {9, "91470b4f4b79ad32"},
      {10, "87d3f1027c8960c4"}}},
    {"settlement-discrepancies.toml",
     {{1, "6c4a34d75683478e"},
      {2, "32f185ae13dac9de"},
      {3, "525768882fb944cc"},
      {4, "5b0ba604fef6bc0c"},
      {5, "4899a3ed33cb15cc"},
      {6, "3b147b50516f1828"},
      {7, "b96978cd51163a0b"},
      {8, "66e02abfc39ef892"},
      {9, "2d1dac70eb9eba17"},
      {10, "51a7774602491191"}}},
    {"swarm.toml",
     {{1, "823aaeb201fdae2e"},
      {2, "e32b4b5cdb829c8b"},
      {3, "d35408ed031f79c0"},
      {4, "00e2a1c084bac09e"},
      {5, "405072cb2e6fe062"},
      {6, "1ac4129c5c07c409"},
      {7, "46b577d5ed959daa"},
      {8, "81ea4e4d119556eb"},
      {9, "7ba61b8035603f11"},
      {10, "873bdb1df8b42d61"}}},
    {"torn-write.toml",
     {{1, "2abb1c87e2d3b299"},
      {2, "1420e51896a32c65"},
      {3, "557057a34d160e2f"},
      {4, "1ce9428845620f0a"},
      {5, "b5e323494f9a1ab6"},
      {6, "ce3b8ce6811d90ed"},
      {7, "283960796ba8ea97"},
      {8, "645635bd1ddf3ced"},
      {9, "917a13a3222622f5"},
      {10, "6f5f8d5317e1651e"}}},
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
