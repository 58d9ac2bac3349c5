// Every property that claims to catch a class of bug is shown catching a planted instance
// of it, and the correct engine passes the same seeds.
#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <set>

#include "faults/scenario.h"
#include "sim/properties.h"
#include "sim/scenario_run.h"
#include "sim/sweep.h"

namespace reckon::sim {
namespace {

constexpr uint64_t kFirstSeed = 1;
constexpr uint64_t kLastSeed = 40;

// The configuration a defect's sweep needs: the default run, or (for defects that only show
// on UNKNOWN operations, which the default run rarely makes) single PSP attempts with lossy
// answers; for the reconciliation defect, settlement lines in a wrong currency.
// A scenario file's run, by its path under scenarios/.
RunConfig scenario_run(const std::string& relative) {
  faults::ScenarioError error;
  auto scenario = faults::load_scenario(std::string(RECKON_SCENARIOS_DIR) + "/" + relative, error);
  EXPECT_TRUE(scenario.has_value()) << error.str();
  if (!scenario) return {};
  auto config = run_config_for(*scenario, error);
  EXPECT_TRUE(config.has_value()) << error.str();
  return config.value_or(RunConfig{});
}

SweepConfig config_for(std::optional<engine::Defect> defect) {
  SweepConfig config;
  config.first_seed = kFirstSeed;
  config.last_seed = kLastSeed;
  if (defect == engine::Defect::kRecoverySkipsUnknown ||
      defect == engine::Defect::kCaptureTimeoutRegressesStatus ||
      defect == engine::Defect::kRecoveryMarksUnknownFailed) {
    config.run.psp_attempts_max = 1;
    config.run.faults.network.response_loss = {15, 100};
  }
  // The reconciliation job's defect shows only on settlement lines in a wrong currency,
  // which the default run never writes (scenarios/negative/recon-ignores-currency.toml).
  if (defect == engine::Defect::kReconIgnoresCurrency) {
    config.run.faults.settlement.wrong_currency = {1, 5};
  }
  // Booking a webhook twice shows only when the PSP sends webhooks, and most readily when
  // it sends some twice (scenarios/negative/webhook-not-deduplicated.toml).
  // A refused webhook about a decline shows only when the PSP sends webhooks
  // (scenarios/negative/webhook-refuses-declines.toml).
  if (defect == engine::Defect::kWebhookRefusesDeclines) {
    config.run.faults.psp.webhooks = true;
  }
  // An unsigned notice arrives only as a forgery
  // (scenarios/negative/webhook-unsigned-accepted.toml).
  if (defect == engine::Defect::kWebhookUnsignedAccepted) {
    config.run.faults.psp.webhooks = true;
    config.run.faults.psp.webhook_forged = {1, 1};
  }
  if (defect == engine::Defect::kWebhookNotDeduplicated) {
    config.run.faults.psp.webhooks = true;
    config.run.faults.psp.webhook_duplicate = {1, 2};
  }
  // Likewise the payout defect shows only on drifted payouts
  // (scenarios/negative/recon-ignores-payouts.toml).
  if (defect == engine::Defect::kReconIgnoresPayouts) {
    config.run.faults.settlement.payout_drift = {1, 5};
  }
  // The void admitted past a capture in flight shows only when clients race a capture
  // against a void, which the default run never does (capture_void_race is off).
  // A refusal without resolving shows only on a request for an UNKNOWN charge: refunds sent
  // while the charge is unknown (scenarios/fast/refund-while-unknown.toml).
  // The same for a refusal that takes an unresolved charge for a settled one, and for a
  // waiting request forgotten when its lookup is lost (more loss, so lookups go unanswered).
  if (defect == engine::Defect::kSettleWithoutResolving ||
      defect == engine::Defect::kUnresolvedRefusedAsSettled) {
    config.run.client.auto_capture = {1, 1};
    config.run.client.refund_while_unknown = {1, 2};
    config.run.psp_attempts_max = 1;
    config.run.faults.network.response_loss = {15, 100};
  }
  // The forgotten waiter needs its lookup to go unanswered while the engine lives on: no
  // crash may take the waiting request with it first. The negative scenario's own run (its
  // plan names no fault but 30% response loss), without its plant.
  if (defect == engine::Defect::kLookupTimeoutDropsWaiter) {
    config.run = scenario_run("negative/waiter-forgotten-on-lookup-timeout.toml");
  }
  // A refund of the rest racing a refund of everything, judged where no storage fault can
  // explain a 503 (scenarios/negative/refund-rest-of-nothing.toml).
  if (defect == engine::Defect::kRefundRestOfNothing) {
    config.run = scenario_run("negative/refund-rest-of-nothing.toml");
    config.run.planted = {};
  }
  // A notice acknowledged though unstored needs notices settling operations while commits
  // fail (scenarios/negative/webhook-ack-unstored.toml).
  if (defect == engine::Defect::kWebhookAckUnstored) {
    config.run = scenario_run("fast/webhooks-under-storage-faults.toml");
  }
  // A notice with another amount settles an operation only while it is UNKNOWN and nothing
  // drives it: lost answers and single attempts (scenarios/negative/webhook-amount-unchecked.toml).
  if (defect == engine::Defect::kWebhookAmountUnchecked) {
    config.run = scenario_run("negative/webhook-amount-unchecked.toml");
    config.run.planted = {};
  }
  // A request that meets a lookup in flight and must then ask once more: the negative
  // scenario's run (single attempts, frequent recovery lookups, lossy and slow answers).
  if (defect == engine::Defect::kUnresolvedWithoutOwnLookup) {
    config.run = scenario_run("negative/unresolved-without-own-lookup.toml");
    config.run.planted = {};
  }
  // A notice's answer exists only when the PSP sends notices.
  if (defect == engine::Defect::kNoticeAnswerWithoutDisposition) {
    config.run.faults.psp.webhooks = true;
  }
  // A 503 psp_outcome_unknown needs single attempts and lost answers, and no storage fault
  // that could excuse a body without the charge (scenarios/negative/unknown-outcome-...).
  if (defect == engine::Defect::kUnknownOutcomeWithoutCharge) {
    config.run = scenario_run("negative/unknown-outcome-without-charge.toml");
    config.run.planted = {};
  }
  // A misdated timing detail needs a timing discrepancy: lines moved to the next day's
  // report (scenarios/negative/recon-timing-detail-misdated.toml).
  if (defect == engine::Defect::kReconTimingDetailMisdated) {
    config.run.faults.settlement.late_line = {1, 5};
  }
  // A rounding booked to the wrong account needs rounding lines
  // (scenarios/negative/recon-rounding-as-suspense.toml).
  if (defect == engine::Defect::kReconRoundingAsSuspense) {
    config.run.faults.settlement.rounding = {1, 5};
  }
  // An unreadable reply exists only when the PSP garbles some
  // (scenarios/negative/garbled-reply-as-decline.toml).
  if (defect == engine::Defect::kGarbledReplyAsDecline) {
    config.run.faults.psp.garbled_reply = {15, 100};
  }
  if (defect == engine::Defect::kVoidIgnoresCaptureInFlight) {
    config.run.client.capture_void_race = {1, 2};
  }
  // A refund cap blind to refunds under way shows only when two refunds of one charge are
  // in flight at once (scenarios/negative/refund-cap-ignores-pending.toml).
  if (defect == engine::Defect::kRefundCapIgnoresPending) {
    config.run.client.refund_after_capture = {2, 3};
    config.run.client.refund_race = {1, 2};
  }
  // A replay's fresh body differs from the stored one only once the charge moved on: copies
  // of requests held back past the capture or refund
  // (scenarios/negative/replay-returns-fresh-response.toml).
  if (defect == engine::Defect::kReplayReturnsFreshResponse) {
    config.run.faults.network.duplicate = {10, 100};
    config.run.faults.network.reorder = {10, 100};
    config.run.faults.network.reorder_min_us = 100'000;
    config.run.faults.network.reorder_max_us = 2'000'000;
  }
  // A request racing its own key's first request: only with concurrent_same_key, which the
  // default run leaves off (scenarios/negative/in-flight-key-replays-placeholder.toml).
  if (defect == engine::Defect::kInFlightKeyReplaysPlaceholder) {
    config.run.faults.clients.concurrent_same_key = {1, 2};
  }
  // Expiry shows only when merchants hold authorizations past it: holds of up to nine days
  // with the default 7-day expiry, recovery passes spaced out so that ten virtual days stay
  // cheap (scenarios/fast/long-hold.toml).
  // A key kept past its retention shows only when a merchant reuses a key more than a day
  // after its answer: the same long holds, and keys reused 1 in 2 orders.
  if (defect == engine::Defect::kIdempotencyKeyKeptForever) {
    config.run.faults.clients.key_reuse_other_body = {1, 2};
  }
  // A record left behind shows only as service refused: the new request's every attempt is
  // answered 503, which only a run with no fault to blame may call a failure. So no other
  // fault, keys reused 25 to 47 h after their answer, and the key purge once a day so it
  // does not delete the record first (scenarios/fast/key-reuse-past-retention.toml).
  if (defect == engine::Defect::kExpiredKeyNotDeleted) {
    config.run.faults = faults::quiet_fault_plan();
    config.run.faults.clients.key_reuse_other_body = {1, 2};
    config.run.clients = 3;
    config.run.client.payments = 3;
    config.run.client.hold_min_us = 90'000'000'000;
    config.run.client.hold_max_us = 169'200'000'000;
    config.run.recovery_interval_us = 86'400'000'000;
    config.run.outbox_poll_interval_us = 60'000'000;
    config.run.liveness_timeout_us = 90'000'000'000;  // longer than the daily recovery pass
  }
  // Keys never purged show only in runs longer than their 24 h retention: the same long holds
  // (scenarios/negative/key-purge-never-runs.toml).
  if (defect == engine::Defect::kExpiryNotEnforced ||
      defect == engine::Defect::kExpiredAuthorizationKept ||
      defect == engine::Defect::kIdempotencyKeyKeptForever ||
      defect == engine::Defect::kKeyPurgeNeverRuns) {
    config.run.client.hold_max_us = 9LL * 86'400'000'000;
    config.run.recovery_interval_us = 600'000'000;
    config.run.outbox_poll_interval_us = 60'000'000;
    config.run.clients = 3;
    config.run.client.payments = 3;
    config.run.faults.process.engine_crash_interval_mean_us = 86'400'000'000;  // a day
    config.run.faults.network.partition_interval_mean_us = 86'400'000'000;
    config.run.liveness_timeout_us = 3'600'000'000;  // several 10-minute recovery passes
  }
  return config;
}

// Seeds 1..40 with the defect planted (none: the correct engine, default settings).
SweepResult sweep_with(std::optional<engine::Defect> defect) {
  SweepConfig config = config_for(defect);
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
  int key_reuses = 0;
  int over_captures = 0;
  uint64_t webhook_gaps = 0;
  for (const auto& s : sweep.seeds) {
    webhook_gaps += s.result.stats.webhook_retry_gaps_judged;
    for (const auto& f : s.result.failures) {
      ADD_FAILURE() << "seed " << s.result.seed << ": " << f.property << ": " << f.detail;
    }
    crashes += static_cast<int>(s.result.stats.engine_crashes);
    decisions += static_cast<int>(s.result.stats.fault_decisions);
    for (const auto& d : s.result.decisions) {
      key_reuses += d.kind == "client_key_reuse";
      over_captures += d.kind == "client_over_capture";
    }
    // Misbehaving clients get the refusals they must get (422, 400), nothing unexpected.
    EXPECT_EQ(s.result.stats.unexpected_responses, 0) << "seed " << s.result.seed;
  }
  // The range really exercises faults and client misbehaviour: otherwise passing would
  // prove nothing.
  EXPECT_GT(crashes, 0);
  EXPECT_GT(decisions, 100);
  EXPECT_GT(key_reuses, 0);
  EXPECT_GT(over_captures, 0);
  EXPECT_GT(webhook_gaps, 40U);  // webhook-retry-schedule had redeliveries to judge
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

// The gallery, whole: every defect `reckon bugs` lists is caught within seeds 1..40 by the
// property it names, and the correct engine passes the same seeds with the same settings
// (the default settings: CorrectEnginePassesTheSeedRange; the UNKNOWN-heavy and racing ones:
// below).
TEST(PlantedDefects, EveryDefectIsCaughtByItsNamedProperty) {
  for (const auto& d : engine::all_defects()) {
    const SweepResult sweep = sweep_with(d.defect);
    int caught = 0;
    uint64_t first = 0;
    for (const auto& s : sweep.seeds) {
      const auto& failures = s.result.failures;
      if (!failures.empty() && failures.front().property == d.caught_by) {
        ++caught;
        if (first == 0) first = s.result.seed;
      }
    }
    EXPECT_GT(caught, 0) << d.name << " was never caught by " << d.caught_by << " in seeds "
                         << kFirstSeed << ".." << kLastSeed;
    std::cout << "[ gallery  ] " << d.name << ": " << d.caught_by << " on " << caught << "/"
              << (kLastSeed - kFirstSeed + 1) << " seeds, first seed " << first << "\n";
  }
}

// The correct engine passes the seeds with the settings a defect's sweep uses, and its
// well-behaved clients get no answer a correct engine never gives.
void expect_correct_engine_passes(const SweepConfig& config) {
  const SweepResult sweep = run_sweep(config, {});
  EXPECT_EQ(sweep.failed_seeds(), 0);
  for (const auto& s : sweep.seeds) {
    for (const auto& f : s.result.failures) {
      ADD_FAILURE() << "seed " << s.result.seed << ": " << f.property << ": " << f.detail;
    }
    EXPECT_EQ(s.result.stats.unexpected_responses, 0) << "seed " << s.result.seed;
  }
}

TEST(PlantedDefects, CorrectEnginePassesTheUnknownHeavySeedRange) {
  expect_correct_engine_passes(config_for(engine::Defect::kRecoverySkipsUnknown));
}

TEST(PlantedDefects, CorrectEnginePassesTheRacingSeedRange) {
  expect_correct_engine_passes(config_for(engine::Defect::kVoidIgnoresCaptureInFlight));
}

TEST(PlantedDefects, CorrectEnginePassesWithCopiesHeldBack) {
  expect_correct_engine_passes(config_for(engine::Defect::kReplayReturnsFreshResponse));
}

TEST(PlantedDefects, CorrectEnginePassesTheLongHoldSeedRange) {
  expect_correct_engine_passes(config_for(engine::Defect::kExpiryNotEnforced));
}

// The same long holds with keys reused 1 in 2 orders: past their retention the reuses are
// new charges (the gallery shows idempotency-key-kept-forever failing this very config).
TEST(PlantedDefects, CorrectEnginePassesWithKeysReusedPastRetention) {
  expect_correct_engine_passes(config_for(engine::Defect::kIdempotencyKeyKeptForever));
}

// Beyond the gallery: these defects are caught by their property alone, as described.
TEST(PlantedDefects, AnEditedLedgerEntryIsCaughtByAppendOnly) {
  const SweepResult sweep = sweep_with(engine::Defect::kLedgerEntryUpdated);
  EXPECT_EQ(failed_properties(sweep), std::set<std::string>{kLedgerAppendOnly});
  for (const auto& s : sweep.seeds) {
    if (s.result.passed()) continue;
    EXPECT_NE(s.result.failures.front().detail.find("was changed"), std::string::npos)
        << s.result.failures.front().detail;
    break;
  }
}

TEST(PlantedDefects, AFingerprintWithoutTheAmountIsCaughtByClientConsistency) {
  const SweepResult sweep = sweep_with(engine::Defect::kFingerprintIgnoresAmount);
  // The replayed first answer describes another amount (client-consistency) and is not the
  // 422 idempotency_key_reused docs/api.md gives a reused key (invalid-request-refused).
  EXPECT_EQ(failed_properties(sweep),
            (std::set<std::string>{kClientConsistency, kInvalidRequestRefused}));
}

// An outbox event written in its own transaction after the state change is lost by a crash
// between the two; the default run's crash points find it, and the correct engine passes
// the same seeds (CorrectEnginePassesTheSeedRange). Prints seeds to the first failure.
TEST(PlantedDefects, AnOutboxEventOutsideTheTransactionIsCaughtByOutboxDelivered) {
  const SweepResult sweep = sweep_with(engine::Defect::kOutboxOutsideTransaction);
  EXPECT_EQ(failed_properties(sweep), std::set<std::string>{kOutboxDelivered});
  uint64_t first = 0;
  for (const auto& s : sweep.seeds) {
    if (s.result.passed()) continue;
    if (first == 0) first = s.result.seed;
    EXPECT_NE(s.result.failures.front().detail.find("has 0 outbox events, expected 1"),
              std::string::npos)
        << s.result.failures.front().detail;
  }
  ASSERT_NE(first, 0u) << "never caught in seeds " << kFirstSeed << ".." << kLastSeed;
  std::cout << "[ outbox   ] outbox-outside-transaction: " << sweep.failed_seeds() << "/"
            << (kLastSeed - kFirstSeed + 1) << " seeds fail, first seed " << first << "\n";
}

// A key answered while still in flight gets its record's placeholder: no status, no body.
// answer-documented sees it as it leaves the engine, before any client judges it (the
// clients' concurrent-same-key check, sim/client_node.cpp, would name the two requests).
TEST(PlantedDefects, AKeyAnsweredWhileInFlightIsCaughtAsAnUndocumentedAnswer) {
  const SweepResult sweep = sweep_with(engine::Defect::kInFlightKeyReplaysPlaceholder);
  const std::set<std::string> failed = failed_properties(sweep);
  EXPECT_EQ(failed, std::set<std::string>{kAnswerDocumented});
  int named = 0;
  for (const auto& s : sweep.seeds) {
    if (s.result.passed()) continue;
    named += s.result.failures.front().detail.find("was answered 0 without an error code") !=
             std::string::npos;
  }
  EXPECT_GT(named, 0) << "no failure named the answer without a status";
}

TEST(PlantedDefects, EveryDefectIsListedWithTheProperty) {
  for (const auto& d : engine::all_defects()) {
    EXPECT_EQ(engine::find_defect(d.name), d.defect);
    EXPECT_FALSE(d.caught_by.empty());
    const bool known = std::any_of(std::begin(kAllProperties), std::end(kAllProperties),
                                   [&](const char* p) { return d.caught_by == p; });
    EXPECT_TRUE(known) << d.name << " names an unknown property " << d.caught_by;
  }
  EXPECT_FALSE(engine::find_defect("no-such-defect").has_value());
}

// Each defect has a bit of its own: planting one plants no other (a 33rd defect once
// wrapped onto the first's bit in a 32-bit set).
TEST(PlantedDefects, PlantingOneDefectPlantsNoOther) {
  for (const auto& planted : engine::all_defects()) {
    engine::PlantedDefects set;
    set.plant(planted.defect);
    for (const auto& other : engine::all_defects()) {
      EXPECT_EQ(set.has(other.defect), other.defect == planted.defect)
          << "planting " << planted.name << " reports " << other.name;
    }
  }
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
