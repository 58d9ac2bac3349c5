#pragma once
// Property webhook-retry-schedule (docs/properties.md): the engine redelivers a merchant
// webhook event on the schedule docs/api.md ("Webhooks") gives it, judged from the engine's
// own sends and the answers it was given, as the engine's host sees them (sim::EngineNode):
//
// - after the n-th attempt of an event failed (a timeout or a status outside 2xx), the next
//   attempt leaves no earlier than min(0.2 s * 2^(n-1), 10 s) after that answer, and, when
//   the dispatcher was free to send it, no later than that plus one dispatcher interval
//   (docs/architecture.md: the outbox is polled every 0.1 s unless configured) and the
//   late-timer range of the plan;
// - an event whose delivery was answered 2xx is never sent again.
//
// A gap is judged only when this checker knows what the engine knows: the answer was taken
// without a crash or a storage fault while the engine recorded it (either may lose the record,
// and docs/api.md then resends at once), and no restart lies between the answer and the
// next attempt (a new incarnation has a new clock skew). An event whose record may have been
// lost is not judged again: the engine's count of its attempts is then unknown. The rule is
// restated here from docs/, never read from engine/.

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "oracle/charge_rules.h"
#include "sim/event_queue.h"
#include "sim/run_types.h"

namespace reckon::sim {

struct WebhookRetryRules {
  TimeUs first_retry_us = oracle::kWebhookFirstRetryUs;
  TimeUs longest_retry_us = oracle::kWebhookLongestRetryUs;
  // The dispatcher's interval: the scenario's, else the documented default.
  TimeUs poll_interval_us = oracle::kDefaultOutboxPollIntervalUs;
  TimeUs late_timer_max_us = 0;         // [faults.clock] late timers: a pass may start this late
  size_t batch = oracle::kOutboxBatch;  // a pass sends at most this many events per merchant
};

class WebhookRetrySchedule {
 public:
  WebhookRetrySchedule(WebhookRetryRules rules, std::vector<Failure>& failures)
      : rules_(rules), failures_(failures) {}

  // The engine of incarnation `incarnation` sent event `event_id`.
  void sent(const std::string& event_id, TimeUs now_us, uint64_t incarnation);
  // The engine took the answer `status` (0: timeout) to its attempt. `recorded_for_sure` is
  // false when the engine crashed or a storage fault was drawn while it handled the answer.
  void answered(const std::string& event_id, TimeUs now_us, int status, uint64_t incarnation,
                bool recorded_for_sure);

  uint64_t gaps_judged() const { return gaps_judged_; }

 private:
  struct EventHistory {
    int64_t failed_attempts = 0;
    bool acknowledged = false;
    bool known = true;      // false: the engine's record of an answer may be lost
    bool answered = false;  // an answer since the last send
    TimeUs answered_us = 0;
    uint64_t incarnation = 0;  // of the last answer
  };
  // The documented wait after the n-th failed attempt.
  TimeUs documented_wait_us(int64_t failed_attempts) const;
  size_t sends_between(TimeUs from_us, TimeUs to_us) const;
  void fail(const std::string& event_id, TimeUs at_us, const std::string& detail);

  WebhookRetryRules rules_;
  std::vector<Failure>& failures_;
  std::map<std::string, EventHistory> events_;
  std::deque<TimeUs> send_times_;  // every send, in time order
  uint64_t gaps_judged_ = 0;
};

}  // namespace reckon::sim
