// reconciliation-exact in the simulator: with every settlement fault on, the job flags
// exactly what was injected over a seed range; with its planted defect it does not; the
// faults are recorded decisions that replay to the same trace.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "faults/ratio.h"
#include "sim/properties.h"
#include "sim/settlement.h"
#include "sim/sweep.h"
#include "sim/world.h"

namespace reckon::sim {
namespace {

constexpr uint64_t kFirstSeed = 1;
constexpr uint64_t kLastSeed = 30;

const char* const kSettlementKinds[] = {
    "settlement_missing_line",   "settlement_duplicate_line",
    "settlement_amount_drift",   "settlement_wrong_currency",
    "settlement_wrong_status",   "settlement_late_line",
    "settlement_unexpected_fee", "settlement_unknown_chargeback",
    "settlement_rounding",       "settlement_payout_drift",
    "settlement_fee_drift",      "settlement_authorization_reference",
    "settlement_missing_payout"};

// The default run's faults plus every settlement fault at 1/12 per line, and a drifted
// payout at 1/4 per payout (a run writes only a few: one per day and currency).
RunConfig settlement_config() {
  RunConfig c;
  auto& s = c.faults.settlement;
  for (Ratio* r : {&s.missing_line, &s.duplicate_line, &s.amount_drift, &s.wrong_currency,
                   &s.wrong_status, &s.late_line, &s.unexpected_fee, &s.unknown_chargeback,
                   &s.rounding, &s.fee_drift, &s.authorization_reference}) {
    *r = {1, 12};
  }
  s.payout_drift = {1, 4};
  s.missing_payout = {1, 4};
  return c;
}

SweepResult sweep(const RunConfig& run) {
  SweepConfig config;
  config.first_seed = kFirstSeed;
  config.last_seed = kLastSeed;
  config.run = run;
  return run_sweep(config, {});
}

TEST(ReconciliationExact, CorrectJobFlagsExactlyTheInjectedDiscrepancies) {
  const SweepResult result = sweep(settlement_config());
  std::map<std::string, int> kinds;
  int reconciled_seeds = 0;
  for (const auto& s : result.seeds) {
    for (const auto& f : s.result.failures) {
      ADD_FAILURE() << "seed " << s.result.seed << ": " << f.property << ": " << f.detail;
    }
    for (const auto& d : s.result.decisions) {
      if (d.kind.starts_with("settlement_")) ++kinds[d.kind];
    }
    reconciled_seeds += s.result.passed() ? 1 : 0;
  }
  EXPECT_EQ(reconciled_seeds, static_cast<int>(kLastSeed - kFirstSeed + 1));
  // Every kind of settlement fault was injected somewhere in the range: otherwise passing
  // would prove nothing about its class.
  for (const char* kind : kSettlementKinds) EXPECT_GT(kinds[kind], 0) << kind;
}

// Sweeps the settlement configuration with `defect` planted; every failure must be
// reconciliation-exact and its detail contain each of `expected`. Returns the failures.
int caught_with(engine::Defect defect, const std::vector<std::string>& expected) {
  RunConfig run = settlement_config();
  run.planted.plant(defect);
  const SweepResult result = sweep(run);
  int caught = 0;
  for (const auto& s : result.seeds) {
    for (const auto& f : s.result.failures) {
      EXPECT_EQ(f.property, kReconciliationExact) << f.detail;
      if (f.property != kReconciliationExact) continue;
      ++caught;
      for (const auto& text : expected) {
        EXPECT_NE(f.detail.find(text), std::string::npos) << f.detail;
      }
    }
  }
  return caught;
}

// The correct job passes the same seeds: CorrectJobFlagsExactlyTheInjectedDiscrepancies.
TEST(ReconciliationExact, PlantedIgnoresCurrencyIsCaught) {
  EXPECT_GT(caught_with(engine::Defect::kReconIgnoresCurrency, {"currency-mismatch"}), 0);
}

TEST(ReconciliationExact, PlantedIgnoresPayoutsIsCaught) {
  // Only missed payouts: the rest of the job still flags exactly what was injected. Where no
  // payout drifted, the summary gives it away: payouts never checked are never counted as
  // matched (docs/reconciliation.md, "The summary").
  RunConfig run = settlement_config();
  run.planted.plant(engine::Defect::kReconIgnoresPayouts);
  const SweepResult result = sweep(run);
  int missed_payouts = 0;
  int miscounted = 0;
  for (const auto& s : result.seeds) {
    for (const auto& f : s.result.failures) {
      EXPECT_EQ(f.property, kReconciliationExact) << f.detail;
      const bool missed = f.detail.find("not flagged (or misclassified): payout-mismatch payout") !=
                              std::string::npos &&
                          f.detail.find(" 0 extra)") != std::string::npos;
      const bool counted = f.detail.find("matched lines and payouts") != std::string::npos;
      EXPECT_TRUE(missed || counted) << f.detail;
      missed_payouts += missed ? 1 : 0;
      miscounted += counted ? 1 : 0;
    }
  }
  EXPECT_GT(missed_payouts, 0);
  // Where no payout drifted, the summary alone gives it away. Seeds 1..30 with payouts
  // drifting 1 in 4 may have no such seed, so the summary is judged on its own as well:
  // with no payout fault at all, every seed's summary is short by its payouts.
  RunConfig undrifted = run;
  undrifted.faults.settlement.payout_drift = Ratio::never();
  undrifted.faults.settlement.missing_payout = Ratio::never();
  for (const auto& s : sweep(undrifted).seeds) {
    for (const auto& f : s.result.failures) {
      EXPECT_NE(f.detail.find("matched lines and payouts"), std::string::npos) << f.detail;
      miscounted += 1;
    }
  }
  EXPECT_GT(miscounted, 0);
}

TEST(ReconciliationExact, EveryDayAndCurrencyIsPaidOut) {
  // The PSP writes one payout per day and currency with lines, after them.
  RunConfig run;
  run.keep_trace = true;
  run.seed = 3;
  const RunResult r = run_simulation(run);
  ASSERT_TRUE(r.passed()) << r.failures[0].detail;
  int reports = 0;
  for (const auto& line : r.trace)
    reports += line.find(" psp settlement_report ") != std::string::npos;
  EXPECT_GT(reports, 0);
  // The payouts are checked, not only counted: with one drifted, the run reports it.
  run.faults.settlement.payout_drift = {1, 1};
  const RunResult drifted = run_simulation(run);
  ASSERT_TRUE(drifted.passed()) << drifted.failures[0].detail;
  int mismatches = 0;
  int payout_decisions = 0;
  for (const auto& line : drifted.trace) {
    mismatches += line.find("reconcile class=payout-mismatch type=payout") != std::string::npos;
  }
  for (const auto& d : drifted.decisions) payout_decisions += d.kind == "settlement_payout_drift";
  EXPECT_GT(payout_decisions, 1);
  EXPECT_EQ(mismatches, payout_decisions);
}

TEST(ReconciliationExact, QuietReportsReconcileWithNoDiscrepancy) {
  // No settlement faults: the reports must reconcile cleanly, and the trace says so.
  RunConfig run;
  run.keep_trace = true;
  run.seed = 3;
  const RunResult r = run_simulation(run);
  EXPECT_TRUE(r.passed());
  bool reconciled = false;
  for (const auto& line : r.trace) {
    if (line.find("engine-0 reconciled ") == std::string::npos) continue;
    reconciled = true;
    EXPECT_NE(line.find("discrepancies=0"), std::string::npos) << line;
    EXPECT_EQ(line.find("lines=0 "), std::string::npos) << "no lines were reconciled: " << line;
  }
  EXPECT_TRUE(reconciled);
}

TEST(ReconciliationExact, SettlementFaultsReplayToTheSameTrace) {
  RunConfig run = settlement_config();
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    run.seed = seed;
    run.replay_decisions.reset();
    const RunResult recorded = run_simulation(run);
    run.replay_decisions = recorded.decisions;
    const RunResult replayed = run_simulation(run);
    EXPECT_EQ(replayed.trace_hash, recorded.trace_hash) << "seed " << seed;
    EXPECT_TRUE(replayed.passed()) << "seed " << seed;
    // Removing the settlement decisions gives a run whose reports are clean.
    std::vector<faults::Decision> without;
    for (const auto& d : recorded.decisions) {
      if (!d.kind.starts_with("settlement_")) without.push_back(d);
    }
    run.replay_decisions = without;
    const RunResult clean = run_simulation(run);
    EXPECT_TRUE(clean.passed()) << "seed " << seed;
    for (const auto& d : clean.decisions) EXPECT_FALSE(d.kind.starts_with("settlement_"));
  }
}

}  // namespace
}  // namespace reckon::sim
