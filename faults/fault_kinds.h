#pragma once
// The fault-kind registry: one entry per kind of fault, the single statement of its
// scenario key, its swarm name and default, the decision kinds it records, the PRNG stream
// it draws from and what it does. The scenario reader and writer, swarm, the injector's
// recording check, shrink and docs/scenarios.md's table all read it, so that adding a kind
// is one entry and no reader, writer or document can miss it.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "faults/fault_plan.h"

namespace reckon::faults {

// How a kind is switched on in a scenario.
enum class KnobShape {
  kRate,          // a probability per opportunity: a ratio string
  kMeanInterval,  // a mean gap between faults in milliseconds, 0: off
  kSkewRange,     // [min_ms, max_ms], either end negative; [0, 0]: off
  kScheduled,     // no knob of its own: a [[faults.schedule]] entry of this `key`
};

struct FaultKind {
  // Swarm's name for the kind (the trace's `swarm kinds=` list); often its decision kind,
  // not always (partitions records partition, crashes crash, crash_points crash_point).
  std::string_view name;
  std::string_view table;  // its table under [faults]: "network", "network.latency", ...
  std::string_view key;    // its key in that table (kScheduled: the schedule's kind)
  KnobShape shape;
  Ratio& (*rate)(FaultPlan&) = nullptr;       // kRate
  int64_t& (*mean_us)(FaultPlan&) = nullptr;  // kMeanInterval
  bool swarm = false;                         // swarm mode switches it on and off
  Ratio swarm_rate = Ratio::never();          // swarm's rate when the plan has it off
  int64_t swarm_mean_us = 0;                  // likewise, before swarm_interval_scale
  std::string_view decisions[2] = {};         // the decision kinds it records ("": none)
  // Its decisions' values are durations in microseconds that shrink may shorten.
  bool shortenable = false;
  // Its decisions' subject names a link between two nodes, "a|b" (partitions).
  bool link_subject = false;
  // Only the PSP's webhooks give it opportunities: on in a scenario, it needs
  // `webhooks = true` (a fault with nothing to fault would silently do nothing).
  bool needs_webhooks = false;
  std::string_view stream;  // the PRNG stream its draws come from (sim/prng.h)
  std::string_view what;    // one line, for docs/scenarios.md
};

// Every kind. INVARIANT: the swarm kinds come in swarm's draw order and each new kind is
// appended, so that a seed's swarm selection (two draws per kind) never changes.
std::span<const FaultKind> fault_kinds();

// The kind named `name` (FaultKind::name), or nullptr.
const FaultKind* find_fault_kind(std::string_view name);

// Whether `kind` is a decision kind some registered fault kind records.
bool is_decision_kind(std::string_view kind);

// The registered kind that records decisions of `decision_kind`, or nullptr. (Two kinds may
// record one decision kind, as duplicate and response_duplicate do; they agree on its shape.)
const FaultKind* recording_kind(std::string_view decision_kind);

// Whether decisions of `decision_kind` are timed: drawn for a moment of the run (a crash, a
// partition, a scheduled fault) rather than at an opportunity, so replay schedules them
// instead of matching them to an opportunity by subject.
bool is_timed_decision(std::string_view decision_kind);

// Whether a decision of `decision_kind` may carry a negative value (a clock skew).
bool allows_negative_value(std::string_view decision_kind);

// `table`.`key` as a scenario file spells it, e.g. "faults.psp.slow".
std::string scenario_key(const FaultKind& kind);

}  // namespace reckon::faults
