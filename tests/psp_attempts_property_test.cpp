// psp-attempts-as-configured on hand-made call histories: too many attempts and giving up
// early fail; definitive answers, lookups that start a new drive and restarts do not.
#include <gtest/gtest.h>

#include "sim/properties.h"
#include "sim/psp_attempts_property.h"

namespace reckon::sim {
namespace {

using engine::PspOp;
using engine::PspOutcome;

struct Checked {
  std::vector<Failure> failures;
  PspAttempts attempts{3, failures};

  void call(PspOp op, PspOutcome answer, uint64_t life = 0) {
    engine::PspRequest request;
    request.op = op;
    request.idempotency_key = "psp_key_1";
    attempts.sent(request, 0, life);
    attempts.answered("psp_key_1", answer, life);
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

}  // namespace
}  // namespace reckon::sim
