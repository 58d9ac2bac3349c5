// Every property that claims to catch a class of bug is shown catching a planted instance
// of it, and the correct engine passes the same seeds.
#include <gtest/gtest.h>

#include <set>

#include "sim/properties.h"
#include "sim/sweep.h"

namespace reckon::sim {
namespace {

constexpr uint64_t kFirstSeed = 1;
constexpr uint64_t kLastSeed = 40;

SweepResult sweep_with(std::optional<engine::Defect> defect) {
  SweepConfig config;
  config.first_seed = kFirstSeed;
  config.last_seed = kLastSeed;
  if (defect) config.run.planted.plant(*defect);
  return run_sweep(config, {});
}

std::set<std::string> failed_properties(const SweepResult& sweep) {
  std::set<std::string> out;
  for (const auto& s : sweep.seeds) {
    for (const auto& f : s.result.failures) out.insert(f.property);
  }
  return out;
}

TEST(PlantedDefects, CorrectEnginePassesTheSeedRange) {
  const SweepResult sweep = sweep_with(std::nullopt);
  EXPECT_EQ(sweep.failed_seeds(), 0);
  int crashes = 0;
  int decisions = 0;
  for (const auto& s : sweep.seeds) {
    for (const auto& f : s.result.failures) {
      ADD_FAILURE() << "seed " << s.result.seed << ": " << f.property << ": " << f.detail;
    }
    crashes += static_cast<int>(s.result.stats.engine_crashes);
    decisions += static_cast<int>(s.result.stats.fault_decisions);
  }
  // The range really exercises faults: otherwise passing would prove nothing.
  EXPECT_GT(crashes, 0);
  EXPECT_GT(decisions, 100);
}

TEST(PlantedDefects, PspKeyPerAttemptIsCaughtAsADoubleCharge) {
  const SweepResult sweep = sweep_with(engine::Defect::kPspKeyPerAttempt);
  EXPECT_GT(sweep.failed_seeds(), 0);
  EXPECT_TRUE(failed_properties(sweep).count(kNoDoubleCharge));
}

TEST(PlantedDefects, TimeoutAsDeclineIsCaught) {
  const SweepResult sweep = sweep_with(engine::Defect::kTimeoutAsDecline);
  EXPECT_GT(sweep.failed_seeds(), 0);
  const auto props = failed_properties(sweep);
  // The customer, told "declined", pays again while the first authorization stands.
  EXPECT_TRUE(props.count(kNoDoubleCharge));
  EXPECT_TRUE(props.count(kEnginePspAgreement));
}

TEST(PlantedDefects, RefundCapOffByOneIsCaughtByRefundWithinCapture) {
  const SweepResult sweep = sweep_with(engine::Defect::kRefundCapOffByOne);
  EXPECT_GT(sweep.failed_seeds(), 0);
  EXPECT_TRUE(failed_properties(sweep).count(kRefundWithinCapture));
  // The correct engine passes the same seeds: CorrectEnginePassesTheSeedRange.
}

TEST(PlantedDefects, CaptureEntryOffByOneIsCaughtAsAnUnbalancedTransaction) {
  const SweepResult sweep = sweep_with(engine::Defect::kCaptureEntryOffByOne);
  EXPECT_GT(sweep.failed_seeds(), 0);
  EXPECT_TRUE(failed_properties(sweep).count(kLedgerBalanced));
}

// UNKNOWN operations are rare in the default run (three ambiguous attempts in a row), so
// this sweep makes every PSP call a single attempt with lossy answers.
TEST(PlantedDefects, RecoverySkippingUnknownIsCaughtByLiveness) {
  SweepConfig config;
  config.first_seed = kFirstSeed;
  config.last_seed = kLastSeed;
  config.run.psp_attempts_max = 1;
  config.run.faults.network.response_loss = {15, 100};
  const SweepResult correct = run_sweep(config, {});
  EXPECT_EQ(correct.failed_seeds(), 0);
  config.run.planted.plant(engine::Defect::kRecoverySkipsUnknown);
  const SweepResult planted = run_sweep(config, {});
  EXPECT_GT(planted.failed_seeds(), 0);
  EXPECT_TRUE(failed_properties(planted).count(kLiveness));
}

TEST(PlantedDefects, EveryDefectIsListedWithTheProperty) {
  for (const auto& d : engine::all_defects()) {
    EXPECT_EQ(engine::find_defect(d.name), d.defect);
    EXPECT_FALSE(d.caught_by.empty());
  }
  EXPECT_FALSE(engine::find_defect("no-such-defect").has_value());
}

TEST(PlantedDefects, FailureNamesSeedPropertyAndPayment) {
  const SweepResult sweep = sweep_with(engine::Defect::kPspKeyPerAttempt);
  for (const auto& s : sweep.seeds) {
    if (s.result.passed()) continue;
    const Failure& f = s.result.failures.front();
    EXPECT_FALSE(f.property.empty());
    EXPECT_FALSE(f.payment.empty());
    EXPECT_FALSE(f.detail.empty());
    return;
  }
  FAIL() << "no failing seed";
}

}  // namespace
}  // namespace reckon::sim
