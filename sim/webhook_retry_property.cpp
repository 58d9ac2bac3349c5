#include "sim/webhook_retry_property.h"

#include <algorithm>

#include "sim/properties.h"

namespace reckon::sim {

TimeUs WebhookRetrySchedule::documented_wait_us(int64_t failed_attempts) const {
  TimeUs wait = rules_.first_retry_us;
  for (int64_t n = 1; n < failed_attempts && wait < rules_.longest_retry_us; ++n) wait *= 2;
  return std::min(wait, rules_.longest_retry_us);
}

size_t WebhookRetrySchedule::sends_between(TimeUs from_us, TimeUs to_us) const {
  const auto first = std::upper_bound(send_times_.begin(), send_times_.end(), from_us);
  const auto last = std::lower_bound(send_times_.begin(), send_times_.end(), to_us);
  return first < last ? static_cast<size_t>(last - first) : 0;
}

void WebhookRetrySchedule::fail(const std::string& event_id, TimeUs at_us,
                                const std::string& detail) {
  failures_.push_back(Failure{kWebhookRetrySchedule, event_id, detail, at_us});
}

void WebhookRetrySchedule::sent(const std::string& event_id, TimeUs now_us, uint64_t incarnation) {
  EventHistory& e = events_[event_id];
  const bool judged = e.known && e.answered && e.incarnation == incarnation;
  if (e.answered && e.incarnation != incarnation) {
    // Across a restart: the wait was counted on the old incarnation's clock. The count stays
    // known (the answer was recorded), the gap is not judged.
  } else if (judged && e.acknowledged) {
    fail(event_id, now_us,
         "event " + event_id + " sent again at t=" + std::to_string(now_us) +
             "us, after its delivery was answered 2xx at t=" + std::to_string(e.answered_us) +
             "us and recorded (docs/api.md: an event counts as delivered on a 2xx)");
  } else if (judged) {
    ++gaps_judged_;
    const TimeUs wait = documented_wait_us(e.failed_attempts);
    const TimeUs earliest = e.answered_us + wait;
    const TimeUs latest = earliest + rules_.poll_interval_us + rules_.late_timer_max_us;
    const std::string what = "attempt " + std::to_string(e.failed_attempts + 1) + " of event " +
                             event_id + " left " + std::to_string(now_us - e.answered_us) +
                             "us after attempt " + std::to_string(e.failed_attempts) +
                             " failed; docs/api.md's schedule waits " + std::to_string(wait) + "us";
    if (now_us < earliest) {
      fail(event_id, now_us, what + " (too early)");
    } else if (now_us > latest && sends_between(earliest, now_us) < rules_.batch) {
      fail(event_id, now_us,
           what + ", and the dispatcher, polling every " + std::to_string(rules_.poll_interval_us) +
               "us, was free to send it (too late)");
    }
  }
  e.answered = false;
  send_times_.push_back(now_us);
}

void WebhookRetrySchedule::answered(const std::string& event_id, TimeUs now_us, int status,
                                    uint64_t incarnation, bool recorded_for_sure) {
  EventHistory& e = events_[event_id];
  if (!recorded_for_sure) e.known = false;
  if (!e.known) return;
  e.answered = true;
  e.answered_us = now_us;
  e.incarnation = incarnation;
  if (status >= 200 && status < 300) {
    e.acknowledged = true;
  } else {
    ++e.failed_attempts;
  }
}

}  // namespace reckon::sim
