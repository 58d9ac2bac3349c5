// sim::PspReplyReading judges the engine's reading of a PSP answer against the simulated
// PSP's own reading of what it wrote (docs/psp-dialect.md).

#include "sim/psp_reply_reading.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace reckon::test {
namespace {

engine::PspReply reply(engine::PspOutcome outcome, int64_t amount = 1250) {
  engine::PspReply r;
  r.outcome = outcome;
  r.psp_charge_id = "psp_1";
  r.state = engine::PspChargeState::kAuthorized;
  r.amount_minor = amount;
  return r;
}

std::vector<sim::Failure> judged(const engine::PspReply& meant, const engine::PspReply& read) {
  std::vector<sim::Failure> failures;
  sim::PspReplyReading reading(failures);
  reading.judge("rk_1", engine::PspOp::kCapture, meant, read, 7);
  EXPECT_EQ(reading.replies_judged(), 1U);
  return failures;
}

TEST(PspReplyReading, AnAnswerReadAsWrittenPasses) {
  EXPECT_TRUE(
      judged(reply(engine::PspOutcome::kSucceeded), reply(engine::PspOutcome::kSucceeded)).empty());
  EXPECT_TRUE(
      judged(reply(engine::PspOutcome::kAmbiguous), reply(engine::PspOutcome::kAmbiguous)).empty());
  // A failed or not-found answer carries no authorization to compare.
  EXPECT_TRUE(
      judged(reply(engine::PspOutcome::kFailed), reply(engine::PspOutcome::kFailed, 0)).empty());
}

TEST(PspReplyReading, AnAmbiguousAnswerReadAsDefiniteFails) {
  const auto failures =
      judged(reply(engine::PspOutcome::kAmbiguous), reply(engine::PspOutcome::kDeclined));
  ASSERT_EQ(failures.size(), 1U);
  EXPECT_EQ(failures[0].property, "psp-reply-read-as-written");
  EXPECT_EQ(failures[0].payment, "rk_1");
  EXPECT_NE(failures[0].detail.find("meaning ambiguous; the engine read declined"),
            std::string::npos)
      << failures[0].detail;
}

TEST(PspReplyReading, ADefiniteAnswerReadWithAnotherFieldFails) {
  EXPECT_EQ(judged(reply(engine::PspOutcome::kSucceeded), reply(engine::PspOutcome::kSucceeded, 1))
                .size(),
            1U);
  engine::PspReply other_state = reply(engine::PspOutcome::kSucceeded);
  other_state.state = engine::PspChargeState::kCaptured;
  EXPECT_EQ(judged(reply(engine::PspOutcome::kSucceeded), other_state).size(), 1U);
  EXPECT_EQ(
      judged(reply(engine::PspOutcome::kDeclined), reply(engine::PspOutcome::kAmbiguous)).size(),
      1U);
}

}  // namespace
}  // namespace reckon::test
