// Transition x fault coverage (issue 6): what a run records, how it is aggregated and merged,
// and the gate (--require-coverage) that fails a sweep with a named gap.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <set>
#include <string>

#include "engine/state_machine.h"
#include "faults/required_coverage.h"
#include "sim/world.h"
#include "tests/support/run_reckon.h"

namespace reckon {
namespace {

using reckon::testing::read_file;
using reckon::testing::run_reckon;
using reckon::testing::temp_path;

std::string write_temp(const std::string& name, const std::string& text) {
  const std::string path = temp_path(name);
  std::ofstream(path) << text;
  return path;
}

TEST(TransitionRecorder, CountsOnlyFaultsInjectedWhileTheChargeWasLive) {
  faults::DecisionLog log;
  sim::TransitionRecorder recorder(log);
  log.append(50, "crash", "engine-0", 1000);  // before the charge existed: not counted
  recorder.charge_seen("ch_1", 100);
  recorder.transition("ch_1", "pending", "authorized");  // nothing in [100, now]
  recorder.charge_seen("ch_2", 100);
  log.append(100, "response_loss", "msg7", 0);
  log.append(120, "response_loss", "msg9", 0);
  log.append(150, "disk_full", "engine-0.db#3", 0);
  recorder.transition("ch_2", "pending", "unknown");
  recorder.transition("ch_2", "unknown", "authorized");
  const auto& c = recorder.counts();
  ASSERT_EQ(c.size(), 3u);
  const auto& clean = c.at({"pending", "authorized"});
  EXPECT_EQ(clean.count, 1);
  EXPECT_EQ(clean.fault_free, 1);
  EXPECT_TRUE(clean.under.empty());
  const auto& ambiguous = c.at({"pending", "unknown"});
  EXPECT_EQ(ambiguous.fault_free, 0);
  // Two response_loss decisions in the window count once per occurrence of the transition.
  EXPECT_EQ(ambiguous.under,
            (std::map<std::string, int64_t>{{"disk_full", 1}, {"response_loss", 1}}));
  EXPECT_EQ(c.at({"unknown", "authorized"}).under.count("crash"), 0u);
}

// A run with every fault off makes only fault-free transitions; a run with response loss and
// one PSP attempt makes pending -> unknown under response_loss, resolved by recovery.
TEST(TransitionRecorder, RunsRecordTheirTransitionsAndTheFaultsBehindThem) {
  sim::RunConfig quiet;
  quiet.seed = 3;
  quiet.faults = faults::quiet_fault_plan();
  const auto calm = sim::run_simulation(quiet);
  ASSERT_TRUE(calm.passed());
  ASSERT_FALSE(calm.transitions.empty());
  for (const auto& [key, tally] : calm.transitions) {
    EXPECT_TRUE(engine::is_legal_transition(key.first, key.second)) << key.first << key.second;
    EXPECT_EQ(tally.fault_free, tally.count) << key.first << " -> " << key.second;
    EXPECT_TRUE(tally.under.empty());
  }
  EXPECT_GT(calm.transitions.at({"pending", "authorized"}).count +
                calm.transitions.at({"pending", "captured"}).count,
            0);

  sim::RunConfig lossy = quiet;
  lossy.faults.network.response_loss = {1, 3};
  lossy.psp_attempts_max = 1;
  bool seen = false;
  for (uint64_t seed = 1; seed <= 10 && !seen; ++seed) {
    lossy.seed = seed;
    const auto r = sim::run_simulation(lossy);
    ASSERT_TRUE(r.passed()) << "seed " << seed;
    auto it = r.transitions.find({"pending", "unknown"});
    if (it == r.transitions.end()) continue;
    seen = true;
    EXPECT_EQ(it->second.under.at("response_loss"), it->second.count);
    EXPECT_EQ(it->second.fault_free, 0);
  }
  EXPECT_TRUE(seen) << "no seed of 1..10 made an authorization ambiguous";
}

TEST(RequiredCoverage, RejectsWhatCannotBeRequiredNamingFileAndLine) {
  struct Case {
    const char* text;
    const char* message;
  };
  const Case cases[] = {
      {"[[transition]]\nfrom = \"pending\"\nto = \"refunded\"\n",
       ":3: transition[0]: pending -> refunded is not a legal transition"},
      {"[[transition]]\nfrom = \"pending\"\nto = \"settled\"\n",
       ":3: transition[0].to: 'settled' is not a charge status"},
      {"[[transition]]\nfrom = \"pending\"\nto = \"unknown\"\nunder = [\"meteor\"]\n",
       ":4: transition[0].under: 'meteor' is not a fault decision kind"},
      {"[[transition]]\nfrom = \"pending\"\nto = \"unknown\"\n[[exempt]]\nfrom = \"pending\"\nto = "
       "\"unknown\"\nreason = \"x\"\n",
       "pending -> unknown is named twice"},
      {"[[transition]]\nfrom = \"pending\"\nto = \"unknown\"\ncolour = 1\n",
       "transition[0].colour: unknown key"},
      {"[[exempt]]\nfrom = \"pending\"\nto = \"failed\"\n",
       "exempt[0].reason: an exempt transition says why"},
      {"[[exempt]]\nfrom = \"pending\"\nto = \"failed\"\nreason = \"x\"\n",
       "names no required transition"},
      {"transitions = 3\n", "transitions: unknown key"},
      {"[[transition]\n", "not valid TOML"},
  };
  int i = 0;
  for (const auto& c : cases) {
    const std::string path = write_temp("required-" + std::to_string(i++) + ".toml", c.text);
    std::string error;
    EXPECT_FALSE(faults::load_required_coverage(path, error).has_value()) << c.text;
    EXPECT_NE(error.find(path), std::string::npos) << error;
    EXPECT_NE(error.find(c.message), std::string::npos) << error;
  }
  std::string error;
  EXPECT_FALSE(faults::load_required_coverage(temp_path("no-such.toml"), error));
  EXPECT_NE(error.find("cannot read"), std::string::npos) << error;
}

// CI's file names every legal transition of engine/state_machine.h exactly once (required,
// or exempt with a reason), so a transition added to the table must be classified there.
TEST(RequiredCoverage, CiFileNamesEveryLegalTransition) {
  std::string error;
  const auto required = faults::load_required_coverage(
      std::string(RECKON_SOURCE_DIR) + "/ci/required-transitions.toml", error);
  ASSERT_TRUE(required) << error;
  std::set<std::string> named;
  for (const auto& t : required->transitions) named.insert(t.from + ">" + t.to);
  for (const auto& t : required->exempt) named.insert(t.from + ">" + t.to);
  for (const auto& t : engine::kLegalTransitions) {
    EXPECT_EQ(named.count(std::string(t.from) + ">" + std::string(t.to)), 1u)
        << t.from << " -> " << t.to << " is not named in ci/required-transitions.toml";
  }
  EXPECT_EQ(named.size(), engine::kLegalTransitions.size());
}

// Every order is captured with its authorization: nothing is ever authorized alone, so
// authorized -> voided cannot occur.
constexpr const char* kCaptureOnly = R"(description = "captures at once, never voids"
seeds = "1..3"
[workload]
clients = 2
payments_per_client = 3
auto_capture = "1/1"
refund_after_capture = "0/1"
[faults.network]
response_loss = "20/100"
)";

TEST(CoverageGate, AnUnreachableRequiredTransitionFailsTheSweepWithExitFive) {
  const std::string scenario = write_temp("capture-only.toml", kCaptureOnly);
  const std::string report = temp_path("gate-fail.json");
  const std::string required =
      write_temp("need-void.toml",
                 "[[transition]]\nfrom = \"pending\"\nto = \"captured\"\n"
                 "\n[[transition]]\nfrom = \"authorized\"\nto = \"voided\"\n");
  const auto r = run_reckon("sweep --scenario " + scenario + " --report " + report +
                            " --require-coverage " + required);
  EXPECT_EQ(r.exit_code, 5) << r.output;
  EXPECT_NE(r.output.find("coverage gap: transition authorized -> voided never occurred (required "
                          "by " +
                          required + ":5)"),
            std::string::npos)
      << r.output;
  EXPECT_EQ(r.output.find("pending -> captured never occurred"), std::string::npos) << r.output;
  const auto json = nlohmann::json::parse(read_file(report));
  EXPECT_TRUE(json.at("passed").get<bool>());  // every property held: the gap is coverage's
  const auto& gate = json.at("coverage").at("required");
  EXPECT_FALSE(gate.at("met").get<bool>());
  EXPECT_EQ(gate.at("items"), 2);
  EXPECT_EQ(gate.at("missing"), nlohmann::json::parse(R"([{"from":"authorized","to":"voided"}])"));
  bool listed = false;
  for (const auto& u : json.at("coverage").at("uncovered")) {
    listed = listed || (u.at("from") == "authorized" && u.at("to") == "voided");
  }
  EXPECT_TRUE(listed);
}

TEST(CoverageGate, AFaultKindNeverInjectedIsAGapTooAndAReachableFilePasses) {
  const std::string scenario = write_temp("capture-only-2.toml", kCaptureOnly);
  const std::string torn = write_temp(
      "need-torn.toml",
      "[[transition]]\nfrom = \"pending\"\nto = \"captured\"\nunder = [\"torn_write\"]\n");
  auto r = run_reckon("sweep --scenario " + scenario + " --report '' --require-coverage " + torn);
  EXPECT_EQ(r.exit_code, 5) << r.output;
  EXPECT_NE(r.output.find("transition pending -> captured never occurred under fault kind "
                          "torn_write"),
            std::string::npos)
      << r.output;
  const std::string ok = write_temp(
      "need-capture.toml",
      "[[transition]]\nfrom = \"pending\"\nto = \"captured\"\nunder = [\"response_loss\"]\n");
  r = run_reckon("sweep --scenario " + scenario + " --report '' --require-coverage " + ok);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output.find("coverage gap"), std::string::npos) << r.output;
  r = run_reckon("sweep --scenario " + scenario + " --report '' --require-coverage " +
                 temp_path("missing.toml"));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("--require-coverage "), std::string::npos) << r.output;
}

// Shards merge into the single-process report, coverage included, in any order; the gate
// judges the merged coverage.
TEST(CoverageGate, MergedShardsCarryTheSameMatrixAndTheGate) {
  const std::string scenario = write_temp("capture-only-3.toml", kCaptureOnly);
  const std::string base = "sweep --scenario " + scenario + " --seeds 1..6";
  const std::string whole = temp_path("cov-whole.json");
  ASSERT_EQ(run_reckon(base + " --report " + whole).exit_code, 0);
  std::string files;
  for (int i = 0; i < 3; ++i) {
    const std::string shard = temp_path("cov-shard-" + std::to_string(i) + ".json");
    ASSERT_EQ(run_reckon(base + " --shard " + std::to_string(i) + "/3 --report " + shard).exit_code,
              0);
    files = " " + shard + files;
  }
  const std::string merged = temp_path("cov-merged.json");
  const std::string required =
      write_temp("need-void-2.toml", "[[transition]]\nfrom = \"authorized\"\nto = \"voided\"\n");
  const auto m = run_reckon("merge" + files + " --report " + merged + " --coverage-matrix");
  EXPECT_EQ(m.exit_code, 0) << m.output;
  EXPECT_EQ(read_file(merged), read_file(whole));
  EXPECT_NE(m.output.find("transition x fault kind"), std::string::npos) << m.output;
  const auto json = nlohmann::json::parse(read_file(merged));
  int64_t total = 0;
  for (const auto& t : json.at("coverage").at("transitions")) total += t.at("count").get<int64_t>();
  EXPECT_GT(total, 0);
  const auto g = run_reckon("merge" + files + " --report '' --require-coverage " + required);
  EXPECT_EQ(g.exit_code, 5) << g.output;
  EXPECT_NE(g.output.find("authorized -> voided never occurred"), std::string::npos) << g.output;
}

}  // namespace
}  // namespace reckon
