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
    {1, "87efe8131dea75a3"},  {2, "aba3676a5a9e1359"},  {3, "db8e6c4bfb75aa55"},
    {4, "8e14857cad46bf3f"},  {5, "10c71c6b63c25bbe"},  {6, "a74a9c25e2030313"},
    {7, "90b51f9a967272aa"},  {8, "ed6e7cc10aefa284"},  {9, "1de789b6bfe05f2e"},
    {10, "48e689cbf8e30680"}, {11, "4af497a5e93e6884"}, {12, "3554392cb32e619d"},
    {13, "bf2f463da1ca0edf"}, {14, "18700b61a6c29f2b"}, {15, "13fafc6d7a003ef6"},
    {16, "ca21c3750b628e59"}, {17, "b68c24e768a027c8"}, {18, "afde8c295db1de4e"},
    {19, "746f079c9015b228"}, {20, "8208c5df75c03b5e"}, {21, "964e3114bd6089bf"},
    {22, "1e296d576a0b2350"}, {23, "1d4987f81ca2018b"}, {24, "0a34f8a3db9af67c"},
    {25, "17d2b23979bab17a"}, {26, "a2d5e1891c48ab28"}, {27, "1d5c154fb8cc66f6"},
    {28, "00f00bf345eba722"}, {29, "af54a6383011fe68"}, {30, "00fc28916ebb1b6c"},
    {31, "af796b9e5857c36e"}, {32, "89630c3d4cadbd2d"}, {33, "d832b2fac4d3169d"},
    {34, "0463ac95b3937e70"}, {35, "f582e74d275a24f4"}, {36, "16bc6c6dd8520c15"},
    {37, "a57a155ddc6b25b4"}, {38, "59bb2a0ff4d92119"}, {39, "45611c076fae93c7"},
    {40, "ba10fb001051e19b"}, {41, "e3db60bf49bff017"}, {42, "7d94de33963db2ec"},
    {43, "b131767f4a2e63bc"}, {44, "c633bd548c21f193"}, {45, "66a8da60f47ef286"},
    {46, "61448840e9c9ec5e"}, {47, "68902124a88f2cf7"}, {48, "f79d53c7d078ba9e"},
    {49, "dff30b8dc8d09be2"}, {50, "b95e8430673ede9e"},
};

struct PinnedScenario {
  const char* file;  // under scenarios/fast/
  std::vector<PinnedRun> runs;
};

// `reckon sweep --scenario scenarios/fast/F --seeds 1..10 --report r.json`.
const std::vector<PinnedScenario> kScenarioRuns = {
    {"crash-during-recovery.toml",
     {{1, "8bfde06d6447d0e3"},
      {2, "611323e855cbac15"},
      {3, "1e99c59c11eb5be9"},
      {4, "bf7a3564b5d7f3f5"},
      {5, "bc7e79ceaf4421bb"},
      {6, "2e80b74e79334c12"},
      {7, "80200e9ec9da317b"},
      {8, "7826e77af61e3e0c"},
      {9, "2514bccf87a663ef"},
      {10, "f0ff023332a627f4"}}},
    {"duplicate-webhooks.toml",
     {{1, "9f615487d9460682"},
      {2, "f4f9fd57601e26b7"},
      {3, "3ec534f0552c897d"},
      {4, "75bbd54249dff238"},
      {5, "570bbb5d6b4bfbd6"},
      {6, "1cb467b3fcfe4473"},
      {7, "9be899007f924d7d"},
      {8, "d3ff8a66815f5073"},
      {9, "7a3222532d8acddb"},
      {10, "3526c86e8a45e6e1"}}},
    {"settlement-discrepancies.toml",
     {{1, "7a95aa33fad04fa2"},
      {2, "746a86ec2dee0c63"},
      {3, "cddf3bff5c2ad8e2"},
      {4, "a4397466326d1e41"},
      {5, "bcc2140d64e0d119"},
      {6, "953cbf56f10b89ba"},
      {7, "4d045018fbfa21b1"},
      {8, "ad83e7c75a5e103c"},
      {9, "0e8ec86dc73020d7"},
      {10, "2c9616a7a0cfe359"}}},
    {"swarm.toml",
     {{1, "fc98ecc5ed966cda"},
      {2, "a6f9c4ec0eb484fe"},
      {3, "ef960f5a94597521"},
      {4, "70014da2c3741567"},
      {5, "af401b4ba344233d"},
      {6, "d8c77b4234effe15"},
      {7, "8f51d926c4315a72"},
      {8, "11fe7bdda7510871"},
      {9, "95b865f6c27ff51f"},
      {10, "7539fe7766acad42"}}},
    {"torn-write.toml",
     {{1, "814bed76353d522e"},
      {2, "8446d44c325e1ea1"},
      {3, "904749fbf07969fa"},
      {4, "c68fbf05a9164bc8"},
      {5, "daa17f8ed4bde9fb"},
      {6, "3a2ff682b8b4b553"},
      {7, "1ef303adc8d4aaa7"},
      {8, "c4205460d7bc065d"},
      {9, "4b92fc24253fda3d"},
      {10, "c0968009590b677f"}}},
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
