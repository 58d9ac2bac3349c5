#include "sim/event_queue.h"

#include <gtest/gtest.h>

#include <string>

namespace reckon::sim {
namespace {

TEST(EventQueue, RunsInTimeOrderThenInsertionOrder) {
  EventQueue q;
  std::string order;
  q.schedule_at(30, [&] { order += "c"; });
  q.schedule_at(10, [&] { order += "a"; });
  q.schedule_at(20, [&] { order += "b1"; });
  q.schedule_at(20, [&] { order += "b2"; });
  q.schedule_at(20, [&] { order += "b3"; });
  while (q.run_next()) {
  }
  EXPECT_EQ(order, "ab1b2b3c");
  EXPECT_EQ(q.now_us(), 30);
  EXPECT_EQ(q.events_run(), 5u);
}

TEST(EventQueue, EventsScheduledWhileRunningKeepTheOrder) {
  EventQueue q;
  std::string order;
  q.schedule_at(10, [&] {
    order += "a";
    q.schedule_after(0, [&] { order += "c"; });  // same time, after everything already queued
    q.schedule_after(5, [&] { order += "d"; });
  });
  q.schedule_at(10, [&] { order += "b"; });
  while (q.run_next()) {
  }
  EXPECT_EQ(order, "abcd");
  EXPECT_EQ(q.now_us(), 15);
}

TEST(EventQueue, TimeNeverGoesBackwards) {
  EventQueue q;
  TimeUs last = -1;
  for (int i = 0; i < 100; ++i)
    q.schedule_at((i * 37) % 101, [&] {
      EXPECT_GE(q.now_us(), last);
      last = q.now_us();
    });
  while (q.run_next()) {
  }
  EXPECT_TRUE(q.empty());
  EXPECT_FALSE(q.run_next());
}

TEST(EventQueueDeathTest, SchedulingInThePastAborts) {
  EventQueue q;
  q.schedule_at(10, [] {});
  q.run_next();
  EXPECT_DEATH(q.schedule_at(5, [] {}), "past");
}

}  // namespace
}  // namespace reckon::sim
