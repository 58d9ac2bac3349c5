// PSP webhooks in the simulator (sim/psp_webhook_sender.h): the PSP's notices reach the
// engine over the simulated network, some settle operations the engine could not, and
// duplicate and late ones are acknowledged without changing anything. The same runs with
// the engine's deduplication planted away fail engine-psp-agreement.
#include <gtest/gtest.h>

#include <string>

#include "sim/properties.h"
#include "sim/world.h"

namespace reckon::sim {
namespace {

int count_lines(const RunResult& r, const std::string& needle) {
  int n = 0;
  for (const auto& line : r.trace) n += line.find(needle) != std::string::npos;
  return n;
}

// UNKNOWN-heavy: single PSP attempts and lossy answers, so notices have work to do.
RunConfig webhook_config(uint64_t seed) {
  RunConfig config;
  config.seed = seed;
  config.keep_trace = true;
  config.faults = faults::quiet_fault_plan();
  config.psp_attempts_max = 1;
  config.faults.network.response_loss = {15, 100};
  config.faults.psp.webhooks = true;
  config.faults.psp.webhook_duplicate = {1, 2};
  config.faults.psp.webhook_late = {1, 3};
  return config;
}

TEST(PspWebhookSim, NoticesSettleOperationsAndDuplicatesChangeNothing) {
  int applied = 0;
  int already_final = 0;
  int duplicates = 0;
  int late = 0;
  int strangers_taken = 0;
  int mismatches = 0;
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    const RunResult r = run_simulation(webhook_config(seed));
    for (const auto& f : r.failures) {
      ADD_FAILURE() << "seed " << seed << ": " << f.property << ": " << f.detail;
    }
    EXPECT_GT(r.stats.psp_webhook_events, 0u) << seed;
    EXPECT_GT(r.stats.psp_webhook_deliveries, r.stats.psp_webhook_events) << seed;
    applied += count_lines(r, "disposition=applied");
    already_final += count_lines(r, "disposition=already_final");
    duplicates += count_lines(r, "kind=psp_webhook_duplicate ");
    late += count_lines(r, "kind=psp_webhook_late ");
    // One notice per run claims one minor unit more under a real key: `mismatch` while its
    // operation is open (`already_final` once booked), and only that one.
    EXPECT_EQ(count_lines(r, "psp_mismatched_notice"), 1) << seed;
    EXPECT_LE(count_lines(r, "disposition=mismatch"), 1) << seed;
    mismatches += count_lines(r, "disposition=mismatch");
    // One notice per run is the PSP's about an operation made elsewhere on its account.
    EXPECT_EQ(count_lines(r, "psp_stranger_notice"), 1) << seed;
    // Acknowledged once at most (a run may end, or the engine be down, before it gets in).
    EXPECT_LE(count_lines(r, "disposition=unknown_operation"), 1) << seed;
    strangers_taken += count_lines(r, "disposition=unknown_operation");
  }
  EXPECT_GT(applied, 0) << "no notice ever settled an operation";
  EXPECT_GT(already_final, 0) << "no duplicate or late notice was ever ignored";
  EXPECT_GT(duplicates, 0);
  EXPECT_GT(late, 0);
  EXPECT_GT(strangers_taken, 5) << "the engine rarely took the notice about another's operation";
  EXPECT_GT(mismatches, 0) << "no mismatched notice ever met an open operation";
}

TEST(PspWebhookSim, ApplyingDuplicatesIsCaughtByEnginePspAgreement) {
  int caught = 0;
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    RunConfig config = webhook_config(seed);
    config.planted.plant(engine::Defect::kWebhookNotDeduplicated);
    const RunResult r = run_simulation(config);
    if (!r.failures.empty()) {
      EXPECT_EQ(r.failures.front().property, kEnginePspAgreement) << r.failures.front().detail;
      ++caught;
    }
  }
  EXPECT_GT(caught, 0);
}

}  // namespace
}  // namespace reckon::sim
