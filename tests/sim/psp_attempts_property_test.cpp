// psp-attempts-as-configured on hand-made call histories: too many attempts, giving up early
// and retrying off docs/architecture.md's backoff fail; definitive answers, lookups that start
// a new drive and restarts do not.
#include <gtest/gtest.h>

#include "sim/properties.h"
#include "sim/psp_attempts_property.h"

namespace reckon::sim {
namespace {

using engine::PspOp;
using engine::PspOutcome;

struct Checked {
  std::vector<Failure> failures;
  PspAttempts attempts;
  TimeUs now_us = 0;
  int ambiguous_in_row = 0;  // of the drive under way: what the documented wait multiplies

  explicit Checked(PspAttemptRules rules = {}) : attempts(rules, failures) {}

  // Sends `op` after the documented wait (a second when nothing is retried), or after
  // `gap_us` when given, and answers it at once.
  void call(PspOp op, PspOutcome answer, uint64_t life = 0, TimeUs gap_us = -1) {
    const bool retry = op != PspOp::kLookup && ambiguous_in_row > 0;
    now_us += gap_us >= 0 ? gap_us
              : retry     ? oracle::kPspRetryBackoffUs * ambiguous_in_row
                          : 1'000'000;
    engine::PspRequest request;
    request.op = op;
    request.idempotency_key = "psp_key_1";
    attempts.sent(request, now_us, life);
    attempts.answered("psp_key_1", answer, life, now_us);
    const bool ambiguous = answer == PspOutcome::kAmbiguous && op != PspOp::kLookup;
    ambiguous_in_row = ambiguous ? ambiguous_in_row + 1 : 0;
  }
};

TEST(PspAttempts, ThreeAmbiguousAttemptsThenALookupHold) {
  Checked c;
  for (int i = 0; i < 3; ++i) c.call(PspOp::kAuthorize, PspOutcome::kAmbiguous);
  c.call(PspOp::kLookup, PspOutcome::kNotFound);
  // The re-send is a new drive of up to three attempts.
  c.call(PspOp::kAuthorize, PspOutcome::kAmbiguous);
  c.call(PspOp::kAuthorize, PspOutcome::kAmbiguous);
  c.call(PspOp::kAuthorize, PspOutcome::kSucceeded);
  EXPECT_TRUE(c.failures.empty()) << c.failures.front().detail;
  EXPECT_EQ(c.attempts.drives_judged(), 1U);
}

TEST(PspAttempts, AFourthAttemptFails) {
  Checked c;
  for (int i = 0; i < 4; ++i) c.call(PspOp::kCapture, PspOutcome::kAmbiguous);
  ASSERT_EQ(c.failures.size(), 1U);
  EXPECT_EQ(c.failures[0].property, kPspAttemptsAsConfigured);
  EXPECT_NE(c.failures[0].detail.find("attempt 4"), std::string::npos);
}

TEST(PspAttempts, GivingUpAfterTwoAmbiguousAttemptsFails) {
  Checked c;
  c.call(PspOp::kRefund, PspOutcome::kAmbiguous);
  c.call(PspOp::kRefund, PspOutcome::kAmbiguous);
  c.call(PspOp::kLookup, PspOutcome::kAmbiguous);
  ASSERT_EQ(c.failures.size(), 1U);
  EXPECT_NE(c.failures[0].detail.find("after 2 ambiguous"), std::string::npos);
}

TEST(PspAttempts, ADefinitiveAnswerOrARestartEndsADriveEarly) {
  Checked definitive;
  definitive.call(PspOp::kAuthorize, PspOutcome::kAmbiguous);
  definitive.call(PspOp::kAuthorize, PspOutcome::kDeclined);
  definitive.call(PspOp::kLookup, PspOutcome::kSucceeded);
  EXPECT_TRUE(definitive.failures.empty());

  Checked restarted;
  restarted.call(PspOp::kVoid, PspOutcome::kAmbiguous, 0);
  restarted.call(PspOp::kLookup, PspOutcome::kNotFound, 1);
  for (int i = 0; i < 3; ++i) restarted.call(PspOp::kVoid, PspOutcome::kAmbiguous, 1);
  EXPECT_TRUE(restarted.failures.empty());
}

TEST(PspAttempts, ARetryBeforeTheBackoffFails) {
  Checked c;
  c.call(PspOp::kCapture, PspOutcome::kAmbiguous);
  c.call(PspOp::kCapture, PspOutcome::kAmbiguous);             // after 50 ms: on time
  c.call(PspOp::kCapture, PspOutcome::kSucceeded, 0, 99'999);  // the second wait is 100 ms
  ASSERT_EQ(c.failures.size(), 1U);
  EXPECT_EQ(c.failures[0].property, kPspAttemptsAsConfigured);
  EXPECT_NE(c.failures[0].detail.find("attempt 3"), std::string::npos);
  EXPECT_NE(c.failures[0].detail.find("left 99999 us"), std::string::npos);
  EXPECT_EQ(c.attempts.retry_gaps_judged(), 2U);
}

TEST(PspAttempts, ARetryLaterThanLateTimersAllowFails) {
  PspAttemptRules rules;
  rules.late_timer_max_us = 10'000;
  Checked late_by_the_range(rules);
  late_by_the_range.call(PspOp::kVoid, PspOutcome::kAmbiguous);
  late_by_the_range.call(PspOp::kVoid, PspOutcome::kSucceeded, 0, 60'000);
  EXPECT_TRUE(late_by_the_range.failures.empty());

  Checked later(rules);
  later.call(PspOp::kVoid, PspOutcome::kAmbiguous);
  later.call(PspOp::kVoid, PspOutcome::kSucceeded, 0, 60'001);
  ASSERT_EQ(later.failures.size(), 1U);
  EXPECT_NE(later.failures[0].detail.find("left 60001 us"), std::string::npos);
}

TEST(PspAttempts, AResendAfterALookupOrARestartIsNotARetry) {
  Checked c;
  c.call(PspOp::kRefund, PspOutcome::kAmbiguous);
  c.call(PspOp::kRefund, PspOutcome::kAmbiguous);
  c.call(PspOp::kRefund, PspOutcome::kAmbiguous);
  c.call(PspOp::kLookup, PspOutcome::kNotFound, 0, 0);
  c.call(PspOp::kRefund, PspOutcome::kAmbiguous, 0, 0);  // a new drive: sent at once
  c.call(PspOp::kRefund, PspOutcome::kAmbiguous, 1, 0);  // a new incarnation: a new drive
  EXPECT_TRUE(c.failures.empty()) << c.failures.front().detail;
}

}  // namespace
}  // namespace reckon::sim
