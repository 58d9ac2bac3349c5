#include "sim/transition_coverage.h"

#include <algorithm>
#include <set>

#include "engine/check.h"

namespace reckon::sim {

void TransitionRecorder::charge_seen(const std::string& charge, TimeUs created_us) {
  created_us_.try_emplace(charge, created_us);
}

void TransitionRecorder::transition(const std::string& charge, const std::string& from,
                                    const std::string& to) {
  RECKON_CHECK(from != to, "a transition changes the status");
  auto created = created_us_.find(charge);
  RECKON_CHECK(created != created_us_.end(), "a charge is seen before it changes");
  // INVARIANT: decisions are appended in time order, so the window is a suffix of the log.
  const auto& decisions = log_.decisions();
  auto first =
      std::lower_bound(decisions.begin(), decisions.end(), created->second,
                       [](const faults::Decision& d, TimeUs at_us) { return d.at_us < at_us; });
  std::set<std::string> kinds;
  for (auto it = first; it != decisions.end(); ++it) kinds.insert(it->kind);
  TransitionTally& tally = counts_[{from, to}];
  ++tally.count;
  if (kinds.empty()) ++tally.fault_free;
  for (const auto& kind : kinds) ++tally.under[kind];
}

}  // namespace reckon::sim
