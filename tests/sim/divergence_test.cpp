// --check-determinism: when two runs of a seed differ, the first divergent trace event is
// named, with both versions of it. Nondeterminism is planted through a test seam
// (RunConfig::test_perturb_after_events), which only the second run of a check sees.
#include <gtest/gtest.h>

#include <sstream>

#include "reports/report.h"
#include "sim/sweep.h"
#include "sim/world.h"

namespace reckon::sim {
namespace {

TEST(Divergence, FirstDivergenceFindsTheFirstDifferingLine) {
  EXPECT_FALSE(first_divergence({"a", "b"}, {"a", "b"}));
  auto d = first_divergence({"a", "b", "c"}, {"a", "x", "c"});
  ASSERT_TRUE(d);
  EXPECT_EQ(d->event_index, 1u);
  EXPECT_EQ(d->first, "b");
  EXPECT_EQ(d->second, "x");
  d = first_divergence({"a", "b"}, {"a", "b", "extra"});
  ASSERT_TRUE(d);
  EXPECT_EQ(d->event_index, 2u);
  EXPECT_EQ(d->first, "");
  EXPECT_EQ(d->second, "extra");
}

TEST(Divergence, ADeterministicCheckNamesNothingAndKeepsNoTrace) {
  RunConfig config;
  config.seed = 6;
  const SeedOutcome out = run_seed(config, /*check_determinism=*/true);
  EXPECT_TRUE(out.deterministic);
  EXPECT_FALSE(out.divergence);
  EXPECT_TRUE(out.result.trace.empty());  // kept for the comparison only
}

TEST(Divergence, APerturbedSecondRunIsNamedAtItsFirstDivergentEvent) {
  RunConfig config;
  config.seed = 6;
  config.keep_trace = true;  // to look at the first run's trace here
  config.test_perturb_after_events = 40;
  const SeedOutcome out = run_seed(config, /*check_determinism=*/true);
  ASSERT_FALSE(out.deterministic);
  ASSERT_TRUE(out.divergence);
  const TraceDivergence& d = *out.divergence;
  // The first run was not perturbed: its hash is the clean run's.
  RunConfig clean = config;
  clean.test_perturb_after_events = 0;
  const RunResult reference = run_simulation(clean);
  EXPECT_EQ(out.result.trace_hash, reference.trace_hash);
  // The stray event is the second run's version; the first run's is its clean line there.
  EXPECT_NE(d.second.find("world perturbed"), std::string::npos) << d.second;
  ASSERT_LT(d.event_index, reference.trace.size());
  EXPECT_EQ(d.first, reference.trace[d.event_index]);
  EXPECT_GT(d.event_index, 0u);
  // Everything before it was the same: the second run's trace, without the stray line, is
  // the clean one up to there.
  RunConfig perturbed = config;
  const RunResult second = run_simulation(perturbed);
  ASSERT_GT(second.trace.size(), d.event_index);
  for (size_t i = 0; i < d.event_index; ++i) EXPECT_EQ(second.trace[i], reference.trace[i]) << i;
  EXPECT_EQ(second.trace[d.event_index], d.second);

  // The reports show it: JSON and text.
  const nlohmann::json j = reports::run_json(out, reports::ReplayContext{});
  ASSERT_TRUE(j.at("determinism").contains("divergence")) << j.dump(2);
  EXPECT_EQ(j["determinism"]["divergence"]["event_index"].get<uint64_t>(), d.event_index);
  EXPECT_EQ(j["determinism"]["divergence"]["first"], d.first);
  EXPECT_EQ(j["determinism"]["divergence"]["second"], d.second);
  std::ostringstream text;
  reports::print_run(text, out, reports::ReplayContext{});
  EXPECT_NE(text.str().find("first divergent trace event #" + std::to_string(d.event_index)),
            std::string::npos)
      << text.str();
  EXPECT_NE(text.str().find("first run:  " + d.first), std::string::npos) << text.str();
  EXPECT_NE(text.str().find("second run: " + d.second), std::string::npos) << text.str();
  SweepResult sweep;
  sweep.seeds.push_back(out);
  std::ostringstream summary;
  reports::print_sweep_summary(summary, sweep, reports::ReplayContext{});
  EXPECT_NE(summary.str().find("NONDETERMINISTIC seed=6"), std::string::npos) << summary.str();
  EXPECT_NE(summary.str().find("second run: " + d.second), std::string::npos) << summary.str();
}

}  // namespace
}  // namespace reckon::sim
