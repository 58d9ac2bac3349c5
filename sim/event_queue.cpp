#include "sim/event_queue.h"

#include <utility>

#include "engine/check.h"

namespace reckon::sim {

TimeUs EventQueue::next_time_us() const {
  RECKON_CHECK(!heap_.empty(), "next_time_us on an empty queue");
  return heap_.top().at_us;
}

void EventQueue::schedule_at(TimeUs at_us, Action action) {
  RECKON_CHECK(at_us >= now_us_, "an event may not be scheduled in the past");
  heap_.push(Event{at_us, next_sequence_++, std::move(action)});
}

void EventQueue::schedule_after(TimeUs delay_us, Action action) {
  RECKON_CHECK(delay_us >= 0, "negative delay");
  schedule_at(now_us_ + delay_us, std::move(action));
}

bool EventQueue::run_next() {
  if (heap_.empty()) return false;
  // priority_queue::top is const; the action is moved out through a copy of the handle.
  Event event = heap_.top();
  heap_.pop();
  RECKON_CHECK(event.at_us >= now_us_, "virtual time went backwards");
  now_us_ = event.at_us;
  ++events_run_;
  event.action();
  return true;
}

}  // namespace reckon::sim
