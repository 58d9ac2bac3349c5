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
#include "tests/support/run_reckon.h"

namespace reckon::sim {
namespace {

struct PinnedRun {
  uint64_t seed;
  const char* trace_hash;
};

// `reckon sweep --seeds 1..50 --report r.json`: runs[].trace_hash.
const std::vector<PinnedRun> kDefaultRuns = {
    {1, "88057be963b3a18a"},  {2, "8297c3f9a9fdae04"},  {3, "15764273683e1216"},
    {4, "b3f922df9805da90"},  {5, "6e593b3aa39ee706"},  {6, "f98f851b353f540e"},
    {7, "dd0aa5072cd9bb66"},  {8, "fcc948f29dd03b07"},  {9, "e2624635c3cb44f4"},
    {10, "837412a3cc3a1386"}, {11, "f8b38153865cfd21"}, {12, "0e0765575eac1079"},
    {13, "9daa50a57034eef6"}, {14, "42dd32afce26450a"}, {15, "a8b47dec6ea3d23d"},
    {16, "3f7735697cfe66fa"}, {17, "0ae07e6923390d7d"}, {18, "bc4672d8c9562c63"},
    {19, "fb385310e3542961"}, {20, "e96064de1c89f66b"}, {21, "4edc709376aa4454"},
    {22, "6a20c8052beeecd9"}, {23, "e54a35d1f0c00359"}, {24, "5a54fa6f18fb62e8"},
    {25, "ffa69c16b1ae7d4b"}, {26, "b7edc62d5794b513"}, {27, "196e5460336cef95"},
    {28, "0aecf499bda069b1"}, {29, "f3a3fdebb2920464"}, {30, "0438c39f29ec74ed"},
    {31, "92f07ccd89af0580"}, {32, "960abe1b3af17ebc"}, {33, "5ea1448f0fce9b60"},
    {34, "dd4bdeaea4976f38"}, {35, "980e1662aca90a24"}, {36, "0127f7cebe5be4d5"},
    {37, "7e9eaba4c1cbe877"}, {38, "6ee62869b538b30f"}, {39, "1692ec7eb89629c8"},
    {40, "a54b7f2589c48cf5"}, {41, "0cb8e58d5aed98c0"}, {42, "817d856dac32d653"},
    {43, "1b72f4eb34aab9c0"}, {44, "58f3a8a01397841c"}, {45, "afa134861dd41296"},
    {46, "2b73dd68b9b64113"}, {47, "a8ecaed7631948bb"}, {48, "233205dfb1571c21"},
    {49, "f20ce3db92952513"}, {50, "e49ceea87a573a55"},
};

struct PinnedScenario {
  const char* file;  // under scenarios/fast/
  std::vector<PinnedRun> runs;
};

// `reckon sweep --scenario scenarios/fast/F --seeds 1..10 --report r.json`.
const std::vector<PinnedScenario> kScenarioRuns = {
    {"crash-during-recovery.toml",
     {{1, "f24ff3abfb2b1c38"},
      {2, "b0c8b4c62b017ea5"},
      {3, "9a4a81b3094e3927"},
      {4, "57dab54750339279"},
      {5, "5bca73a713edf4b2"},
      {6, "8451fff0abecff4d"},
      {7, "b67259be94ee7fc6"},
      {8, "2ca097c6c0b58a3c"},
      {9, "06487c0cab1bba85"},
      {10, "a5596ab0491a6a85"}}},
    {"duplicate-webhooks.toml",
     {{1, "230e6c54130098b8"},
      {2, "b75118693e94d618"},
      {3, "5d5e0b5313e290a8"},
      {4, "07e0667bd225d7b8"},
      {5, "8a98de26b1d885a3"},
      {6, "23cdb642abdf6c7e"},
      {7, "cb39491189b0051b"},
      {8, "15d71896eb6ee060"},
      {9, "1681024ae0695568"},
      {10, "6866a26811ea088b"}}},
    {"settlement-discrepancies.toml",
     {{1, "e36e07e719f7d4ba"},
      {2, "9f446dc93cdab535"},
      {3, "adc839d02a534955"},
      {4, "13f955cc5d58c49d"},
      {5, "75edd8f3c0db2a9d"},
      {6, "d072424766467030"},
      {7, "abb7205e05243c34"},
      {8, "f71fa6345402f856"},
      {9, "cdc70ef5aaff0c5f"},
      {10, "2addadcbaf4a5524"}}},
    {"swarm.toml",
     {{1, "87dcbf6f82b7e719"},
      {2, "70b25cfa60082d99"},
      {3, "629c5037d8bf68b8"},
      {4, "37ef94bb5dab3e3f"},
      {5, "ad414508fe9f0299"},
      {6, "ab60b659bdc223c0"},
      {7, "27ac21bac63e44ff"},
      {8, "96841d5d461addcf"},
      {9, "cd24762117014237"},
      {10, "9b0362f7f40d8a67"}}},
    {"torn-write.toml",
     {{1, "e42d6859a4f5598c"},
      {2, "94e7891dd31fbba8"},
      {3, "3afd5470c0e1a6e3"},
      {4, "0af8e4638409dff6"},
      {5, "b4eb94c336ddedb7"},
      {6, "7f1b44e3739e45f4"},
      {7, "f4a4bfc40a8df69b"},
      {8, "ffca392cd7967d7d"},
      {9, "6d6f2bce8a4801d7"},
      {10, "318075b829eb6439"}}},
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
