#pragma once
// Virtual time and the single event queue of a simulation run.
//
// INVARIANT: events run in (time_us, sequence) order; sequence is the insertion counter,
// so two events at the same virtual time run in the order they were scheduled. Nothing
// here depends on addresses or the wall clock.

#include <cstdint>
#include <functional>
#include <queue>
#include <vector>

namespace reckon::sim {

using TimeUs = int64_t;  // virtual microseconds since the start of the run

class EventQueue {
 public:
  using Action = std::function<void()>;

  TimeUs now_us() const { return now_us_; }
  uint64_t events_run() const { return events_run_; }
  bool empty() const { return heap_.empty(); }
  size_t pending() const { return heap_.size(); }
  TimeUs next_time_us() const;

  // REQUIRES: at_us >= now_us().
  void schedule_at(TimeUs at_us, Action action);
  void schedule_after(TimeUs delay_us, Action action);

  // Runs the earliest event, advancing virtual time to it. Returns false when empty.
  bool run_next();

 private:
  struct Event {
    TimeUs at_us;
    uint64_t sequence;
    Action action;
  };
  struct Later {
    bool operator()(const Event& a, const Event& b) const {
      if (a.at_us != b.at_us) return a.at_us > b.at_us;
      return a.sequence > b.sequence;
    }
  };

  std::priority_queue<Event, std::vector<Event>, Later> heap_;
  TimeUs now_us_ = 0;
  uint64_t next_sequence_ = 0;
  uint64_t events_run_ = 0;
};

}  // namespace reckon::sim
