// One seed fully determines a run: same seed, same trace, byte for byte; another seed,
// another trace; and a seed's outcome does not depend on what ran before it in the process.
#include <gtest/gtest.h>

#include "sim/sweep.h"
#include "sim/world.h"

namespace reckon::sim {
namespace {

RunConfig config_for(uint64_t seed) {
  RunConfig c;
  c.seed = seed;
  c.keep_trace = true;
  return c;
}

TEST(Determinism, SameSeedGivesTheSameTraceAndHash) {
  const RunResult a = run_simulation(config_for(17));
  const RunResult b = run_simulation(config_for(17));
  EXPECT_EQ(a.trace_hash, b.trace_hash);
  ASSERT_EQ(a.trace.size(), b.trace.size());
  for (size_t i = 0; i < a.trace.size(); ++i) ASSERT_EQ(a.trace[i], b.trace[i]) << "line " << i;
  EXPECT_GT(a.trace.size(), 100u);
}

TEST(Determinism, DifferentSeedsGiveDifferentHashes) {
  EXPECT_NE(run_simulation(config_for(17)).trace_hash, run_simulation(config_for(18)).trace_hash);
}

TEST(Determinism, ASeedDoesNotDependOnEarlierRunsInTheProcess) {
  const std::string alone = run_simulation(config_for(23)).trace_hash;
  SweepConfig sweep;
  sweep.first_seed = 20;
  sweep.last_seed = 23;
  const SweepResult result = run_sweep(sweep, {});
  ASSERT_EQ(result.seeds.size(), 4u);
  EXPECT_EQ(result.seeds.back().result.trace_hash, alone);
}

TEST(Determinism, CheckDeterminismRunsTwiceAndAgrees) {
  const SeedOutcome outcome = run_seed(config_for(5), /*check_determinism=*/true);
  EXPECT_TRUE(outcome.determinism_checked);
  EXPECT_TRUE(outcome.deterministic);
  EXPECT_EQ(outcome.second_trace_hash, outcome.result.trace_hash);
}

TEST(Determinism, TraceRecordsFaultDecisions) {
  // Seeds with faults record each decision in the trace as it is drawn.
  const RunResult r = run_simulation(config_for(11));
  size_t fault_lines = 0;
  for (const auto& line : r.trace) fault_lines += line.find(" faults fault ") != std::string::npos;
  EXPECT_EQ(fault_lines, r.stats.fault_decisions);
}

}  // namespace
}  // namespace reckon::sim
