// A run can be replayed from its decision list alone: the same list gives the same trace
// hash, for every fault kind; a shorter list gives a run with only those faults.
#include <gtest/gtest.h>

#include <set>

#include "faults/decision_file.h"
#include "sim/world.h"

namespace reckon::sim {
namespace {

RunConfig everything_on(uint64_t seed) {
  RunConfig c;
  c.seed = seed;
  c.faults.network.reorder = {1, 20};
  c.faults.network.partition_interval_mean_us = 1'000'000;
  c.faults.network.response_duplicate = {1, 20};
  c.faults.psp.error_before_processing = {1, 20};
  c.faults.psp.error_after_processing = {1, 20};
  c.faults.psp.slow = {1, 20};
  c.faults.storage.sync_failure = {1, 100};
  c.faults.storage.disk_full = {1, 200};
  c.faults.storage.crash_at_sync = {1, 100};
  c.faults.storage.torn_write = {1, 2};
  faults::ScheduledFault crash;
  crash.at_us = 700'000;
  faults::ScheduledFault cut;
  cut.kind = faults::ScheduledFault::Kind::kPartition;
  cut.at_us = 200'000;
  cut.node_a = "client-1";
  cut.node_b = "engine-0";
  cut.duration_us = 300'000;
  c.schedule = {crash, cut};
  return c;
}

TEST(Replay, TheDecisionListReproducesTheTraceHash) {
  std::set<std::string> kinds_seen;
  for (uint64_t seed = 1; seed <= 12; ++seed) {
    RunConfig config = everything_on(seed);
    config.swarm = seed % 3 == 0;
    const RunResult recorded = run_simulation(config);
    ASSERT_TRUE(recorded.passed()) << seed << ": " << recorded.failures[0].detail;
    for (const auto& d : recorded.decisions) kinds_seen.insert(d.kind);
    RunConfig replay = config;
    replay.replay_decisions = recorded.decisions;
    const RunResult replayed = run_simulation(replay);
    EXPECT_EQ(replayed.trace_hash, recorded.trace_hash) << "seed " << seed;
    EXPECT_EQ(replayed.decisions.size(), recorded.decisions.size()) << "seed " << seed;
  }
  for (const char* kind :
       {"request_loss", "response_loss", "duplicate", "reorder", "partition", "crash",
        "crash_point", "psp_error_before_processing", "psp_error_after_processing", "psp_slow",
        "scheduled_crash", "scheduled_partition", "crash_at_sync"}) {
    EXPECT_TRUE(kinds_seen.count(kind)) << kind << " never occurred, so its replay is untested";
  }
}

TEST(Replay, AnEmptyListRunsWithoutFaults) {
  RunConfig config = everything_on(4);
  config.replay_decisions = std::vector<faults::Decision>{};
  const RunResult r = run_simulation(config);
  EXPECT_TRUE(r.passed());
  EXPECT_EQ(r.stats.fault_decisions, 0u);
  EXPECT_EQ(r.stats.engine_crashes, 0u);
}

TEST(Replay, ASubsetOfTheListInjectsOnlyThatSubset) {
  RunConfig config = everything_on(5);
  const RunResult recorded = run_simulation(config);
  ASSERT_GT(recorded.decisions.size(), 4u);
  std::vector<faults::Decision> half;
  for (size_t i = 0; i < recorded.decisions.size(); i += 2) half.push_back(recorded.decisions[i]);
  config.replay_decisions = half;
  const RunResult first = run_simulation(config);
  const RunResult second = run_simulation(config);
  EXPECT_EQ(first.trace_hash, second.trace_hash);  // still deterministic
  EXPECT_LE(first.decisions.size(), half.size());
  for (const auto& d : first.decisions) {
    bool listed = false;
    for (const auto& h : half) listed = listed || (h.kind == d.kind && h.subject == d.subject);
    EXPECT_TRUE(listed) << d.kind << " " << d.subject << " was injected without being listed";
  }
}

TEST(DecisionFile, RoundTripsAndRejectsBadInput) {
  faults::DecisionFile f;
  f.seed = 42;
  f.scenario = "fast/baseline";
  f.plants = {"timeout-as-decline"};
  f.trace_hash = "0123456789abcdef";
  f.decisions.push_back({0, 10, "crash", "engine-0", 500});
  f.decisions.push_back({1, 20, "request_loss", "msg3", 0});
  std::string error;
  auto back = faults::parse_decision_file(faults::to_json(f), error);
  ASSERT_TRUE(back) << error;
  EXPECT_EQ(back->seed, 42u);
  EXPECT_EQ(back->scenario, "fast/baseline");
  ASSERT_EQ(back->decisions.size(), 2u);
  EXPECT_EQ(back->decisions[1].subject, "msg3");
  const std::pair<const char*, const char*> bad[] = {
      {"[]", "JSON object"},
      {R"({"format":"other","version":1})", "format"},
      // Wrong JSON types are refusals, not a nlohmann type_error (found by fuzzing, issue 19).
      {R"({"format":7,"version":1})", "format"},
      {R"({"format":["reckon-decisions"],"version":1})", "format"},
      {R"({"format":"reckon-decisions","version":"1"})", "version"},
      {R"({"format":"reckon-decisions","version":1,"seed":1,"scenario":7})", "'scenario'"},
      {R"({"format":"reckon-decisions","version":1,"seed":1,"scenario":"","plants":[],"clients":0,"payments":0,"trace_hash":"","decisions":[{"n":18446744073709551615,"at_us":5,"kind":"a","subject":"b","value":0}]})",
       "decisions[0]: 'n' must be an integer"},
      {R"({"format":"reckon-decisions","version":1,"seed":1,"scenario":"","plants":[],"clients":0,"payments":0,"trace_hash":"","decisions":[{"n":-1,"at_us":5,"kind":"a","subject":"b","value":0}]})",
       "must not be negative"},
      {R"({"format":"reckon-decisions","version":1,"seed":1,"scenario":"","plants":[],"clients":0,"payments":0,"trace_hash":"","decisions":[{"n":0,"at_us":5,"kind":"a","subject":"b","value":1.5}]})",
       "decisions[0]: 'value'"},
      {R"({"format":"reckon-decisions","version":1,"seed":1,"scenario":"","plants":[],"clients":0,"payments":0,"trace_hash":"","decisions":[{"n":0,"at_us":5,"kind":"a","subject":"b","value":9223372036854775807}]})",
       "within 31622400000000"},
      {R"({"format":"reckon-decisions","version":1,"seed":1,"scenario":"","plants":[7],"clients":0,"payments":0,"trace_hash":"","decisions":[]})",
       "'plants'"},
      {R"({"format":"reckon-decisions","version":2})", "version"},
      {R"({"format":"reckon-decisions","version":1,"seed":-1})", "seed"},
      {R"({"format":"reckon-decisions","version":1,"seed":1,"scenario":"","plants":[],"clients":0,"payments":0,"trace_hash":"","decisions":[{"n":0,"at_us":5,"kind":"crash","subject":"engine-0"}]})",
       "decisions[0]: 'value'"},
      {R"({"format":"reckon-decisions","version":1,"seed":1,"scenario":"","plants":[],"clients":0,"payments":0,"trace_hash":"","decisions":[{"n":0,"at_us":5,"kind":"a","subject":"b","value":0},{"n":1,"at_us":4,"kind":"a","subject":"b","value":0}]})",
       "decisions[1]: 'at_us' goes back"},
  };
  for (const auto& [text, says] : bad) {
    error.clear();
    EXPECT_FALSE(faults::parse_decision_file(text, error)) << text;
    EXPECT_NE(error.find(says), std::string::npos) << text << " -> " << error;
  }
}

}  // namespace
}  // namespace reckon::sim
