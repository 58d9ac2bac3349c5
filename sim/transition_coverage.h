#pragma once
// Which charge status transitions a run made, and under which fault kinds (issue 6,
// docs/report-format.md "coverage").
//
// "Under a fault kind": a transition of a charge happened under kind K when the run recorded
// a decision of kind K (faults/decision_log.h) at or after the virtual time the charge was
// created and at or before the event in which the transition was observed. That is, a fault
// of that kind was injected while the charge was live. It is a window, not a cause: engine
// crashes and disk faults hit every live charge, and message faults name messages rather
// than charges, so "while the charge was live" is the attribution every kind supports alike.
// A transition with no decision in its window counts as fault-free.

#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "faults/decision_log.h"
#include "sim/event_queue.h"

namespace reckon::sim {

struct TransitionTally {
  int64_t count = 0;                     // times the transition occurred
  int64_t fault_free = 0;                // of those, with no decision in the window
  std::map<std::string, int64_t> under;  // fault kind -> occurrences with that kind in the window
  bool operator==(const TransitionTally&) const = default;
};

using TransitionKey = std::pair<std::string, std::string>;  // (from, to)
using TransitionCounts = std::map<TransitionKey, TransitionTally>;

// Told by the property checker (sim/properties.h) what it observes; reads the run's decision
// log, which is in time order.
class TransitionRecorder {
 public:
  explicit TransitionRecorder(const faults::DecisionLog& log) : log_(log) {}

  // The charge was first seen; `created_us` is its creation time as the engine stored it.
  void charge_seen(const std::string& charge, TimeUs created_us);
  // The charge's status changed from `from` to `to` (observed, so after the commit).
  void transition(const std::string& charge, const std::string& from, const std::string& to);

  const TransitionCounts& counts() const { return counts_; }

 private:
  const faults::DecisionLog& log_;
  std::map<std::string, TimeUs> created_us_;
  TransitionCounts counts_;
};

}  // namespace reckon::sim
