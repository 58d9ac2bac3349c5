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
    {1, "b86477bbc89d9cf7"},  {2, "479480e51d88b662"},  {3, "3f500b453ad2f5af"},
    {4, "7b2f7b561593b018"},  {5, "6f119c68b1a73d05"},  {6, "d19eee2114154e72"},
    {7, "d410a672a68c05e0"},  {8, "13cb4f387c5cb238"},  {9, "5b2eee298ec0b8d3"},
    {10, "0c0374992ee7cbc7"}, {11, "3e4f59199d68d3ad"}, {12, "ef8c7a31de0f15d1"},
    {13, "185d4e5aae0c2c8a"}, {14, "408772e89f00fce8"}, {15, "76d62fed4ccfafec"},
    {16, "f3aaa4ba1af8846d"}, {17, "0e8d2013a0f67bfd"}, {18, "8f0ff3b5d95b594b"},
    {19, "cef59afdfe90215b"}, {20, "2e98b82742f28714"}, {21, "1960d7037870a5ee"},
    {22, "caa188ef9dd99dc0"}, {23, "00daa1db17c502ab"}, {24, "8edc6b18f4942e8b"},
    {25, "10c8f8e0a0b93c71"}, {26, "51fa6f4b5a210f4a"}, {27, "fc1a7769db32d56b"},
    {28, "bf6d55cbd6de8d8d"}, {29, "c6f593a4697fb7cd"}, {30, "bb0735f565bc18aa"},
    {31, "94f4651e00703102"}, {32, "021f7e59efeacfdc"}, {33, "59606dd792923357"},
    {34, "3c99e9f7809cf23c"}, {35, "c7300a9cfebfc912"}, {36, "f76af34ded4a9493"},
    {37, "5ef22d142afaa631"}, {38, "cfbd08f32b4ff1f0"}, {39, "9ca7d1c8b0a6a67b"},
    {40, "07770ee073a3f114"}, {41, "a26209d3e1d9cad8"}, {42, "237edeba8361d150"},
    {43, "e8f6eb3fd51a2bcc"}, {44, "e553fec973a1e591"}, {45, "21babbd7eafe3a2c"},
    {46, "43200760b188076f"}, {47, "2ba417eef167b07a"}, {48, "d8ef9a2569ee8cfd"},
    {49, "0e7b9e95e7f3f430"}, {50, "af1284c4f5e19ed1"},
};

struct PinnedScenario {
  const char* file;  // under scenarios/fast/
  std::vector<PinnedRun> runs;
};

// `reckon sweep --scenario scenarios/fast/F --seeds 1..10 --report r.json`.
const std::vector<PinnedScenario> kScenarioRuns = {
    {"crash-during-recovery.toml",
     {{1, "95f1cbc9744d97a2"},
      {2, "12436ca6c908052a"},
      {3, "d1b27bfe3a2d71ea"},
      {4, "f8893eb75e2d5633"},
      {5, "b9ba8b9c58daef64"},
      {6, "086990b9dd4e2340"},
      {7, "0f53f51c8a581404"},
      {8, "fdf4dc348beab4e6"},
      {9, "64f226c55e95287b"},
      {10, "10f399e339bc8a57"}}},
    {"duplicate-webhooks.toml",
     {{1, "a4787a4d48400d1e"},
      {2, "32b0824bde360684"},
      {3, "4013bbb3447ae568"},
      {4, "30a536eb5477556f"},
      {5, "d95013ecf3098139"},
      {6, "4dd87e69bba656c9"},
      {7, "0f694cbd9b37b529"},
      {8, "60b49101eba9b2bb"},
      {9, "822bd8e5c7832130"},
      {10, "c46b515e17fb0d1f"}}},
    {"settlement-discrepancies.toml",
     {{1, "a18bea6bd8831048"},
      {2, "b67375bdd376028a"},
      {3, "f52e2ee5110d1c7e"},
      {4, "540fb36810a4727d"},
      {5, "485e68bccf65d304"},
      {6, "d205c4d30ea5dd13"},
      {7, "8a84aaecfab88bd2"},
      {8, "dd4a4a77dd7f24fb"},
      {9, "17e5ba1b5eccee5d"},
      {10, "fa348727402ba3a3"}}},
    {"swarm.toml",
     {{1, "fa7758b7ed447d39"},
      {2, "b99a1d6baa12427c"},
      {3, "33d7e32ff53c5fe0"},
      {4, "f38a6c42e9aa9edd"},
      {5, "552ce5479d0ccf20"},
      {6, "cbbc580ca2bee899"},
      {7, "01fe90aecb17940f"},
      {8, "d83249056b4f5a28"},
      {9, "885ec8dd3c76a5f7"},
      {10, "c267b12d5d55fd07"}}},
    {"torn-write.toml",
     {{1, "db6605458dec6c2b"},
      {2, "0503bf8305a959ee"},
      {3, "c7beed89ade24fd9"},
      {4, "42e1748db1332bc8"},
      {5, "db4155bb7ec329a3"},
      {6, "805abe17f7ec332b"},
      {7, "143ce8d556fa5d92"},
      {8, "a5dd29d26250d9ab"},
      {9, "9f2c86c481a9b790"},
      {10, "bcf718fafa71fde2"}}},
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
