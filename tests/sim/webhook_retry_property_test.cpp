// webhook-retry-schedule on hand-made histories: each clause of the rule fails on the
// history that breaks it, and the cases the checker cannot know are left alone.
#include <gtest/gtest.h>

#include "sim/properties.h"
#include "sim/webhook_retry_property.h"

namespace reckon::sim {
namespace {

constexpr uint64_t kFirstLife = 0;

struct Checked {
  std::vector<Failure> failures;
  WebhookRetrySchedule schedule{WebhookRetryRules{}, failures};
};

// Sends event "evt" at `first_us`, then lets `failed` attempts fail, each answered 250 ms
// after its send (a timeout) and retried exactly on the documented schedule.
TimeUs fail_on_schedule(Checked& c, TimeUs first_us, int failed) {
  TimeUs t = first_us;
  TimeUs wait = 200'000;
  for (int n = 1; n <= failed; ++n) {
    c.schedule.sent("evt", t, kFirstLife);
    t += 250'000;
    c.schedule.answered("evt", t, 0, kFirstLife, true);
    if (n < failed) {
      t += wait + 50'000;  // within one 0.1 s pass of the due time
      wait = std::min<TimeUs>(wait * 2, 10'000'000);
    }
  }
  return t;  // the last failure's answer
}

TEST(WebhookRetrySchedule, RetriesOnTheDocumentedScheduleHold) {
  Checked c;
  const TimeUs answered = fail_on_schedule(c, 1'000'000, 9);  // waits 0.2 s ... 10 s (capped)
  c.schedule.sent("evt", answered + 10'000'000 + 20'000, kFirstLife);
  c.schedule.answered("evt", answered + 10'300'000, 200, kFirstLife, true);
  EXPECT_TRUE(c.failures.empty()) << c.failures.front().detail;
  EXPECT_EQ(c.schedule.gaps_judged(), 9U);
}

TEST(WebhookRetrySchedule, ARetryBeforeItsWaitFails) {
  Checked c;
  const TimeUs answered = fail_on_schedule(c, 0, 2);  // the next wait is 0.4 s
  c.schedule.sent("evt", answered + 399'999, kFirstLife);
  ASSERT_EQ(c.failures.size(), 1U);
  EXPECT_EQ(c.failures[0].property, kWebhookRetrySchedule);
  EXPECT_NE(c.failures[0].detail.find("too early"), std::string::npos);
}

TEST(WebhookRetrySchedule, ARetryPastItsWaitAndAPassFailsUnlessTheDispatcherWasBusy) {
  Checked late;
  TimeUs answered = fail_on_schedule(late, 0, 1);
  late.schedule.sent("evt", answered + 200'000 + 100'001, kFirstLife);
  ASSERT_EQ(late.failures.size(), 1U);
  EXPECT_NE(late.failures[0].detail.find("too late"), std::string::npos);

  Checked busy;  // 32 other sends in between: a full batch may have held it back
  answered = fail_on_schedule(busy, 0, 1);
  for (int i = 0; i < 32; ++i) {
    busy.schedule.sent("other-" + std::to_string(i), answered + 250'000, kFirstLife);
  }
  busy.schedule.sent("evt", answered + 400'000, kFirstLife);
  EXPECT_TRUE(busy.failures.empty());
}

TEST(WebhookRetrySchedule, AnAcknowledgedEventSentAgainFails) {
  Checked c;
  c.schedule.sent("evt", 0, kFirstLife);
  c.schedule.answered("evt", 10'000, 204, kFirstLife, true);
  c.schedule.sent("evt", 5'000'000, kFirstLife);
  ASSERT_EQ(c.failures.size(), 1U);
  EXPECT_NE(c.failures[0].detail.find("2xx"), std::string::npos);
}

TEST(WebhookRetrySchedule, WhatTheEngineMayHaveLostIsNotJudged) {
  Checked unsure;  // a storage fault while the engine took the answer: resent at once
  unsure.schedule.sent("evt", 0, kFirstLife);
  unsure.schedule.answered("evt", 250'000, 0, kFirstLife, false);
  unsure.schedule.sent("evt", 300'000, kFirstLife);
  unsure.schedule.answered("evt", 310'000, 200, kFirstLife, true);
  unsure.schedule.sent("evt", 400'000, kFirstLife);
  EXPECT_TRUE(unsure.failures.empty());

  Checked restarted;  // the wait was counted on the crashed incarnation's clock
  const TimeUs answered = fail_on_schedule(restarted, 0, 3);
  restarted.schedule.sent("evt", answered + 1'000, kFirstLife + 1);
  EXPECT_TRUE(restarted.failures.empty());
  EXPECT_EQ(restarted.schedule.gaps_judged(), 2U);
}

}  // namespace
}  // namespace reckon::sim
