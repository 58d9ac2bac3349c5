#pragma once
#include "faults/fault_plan.h"
#include "sim/event_queue.h"
#include "sim/prng.h"

namespace reckon::sim {

// One message's latency, drawn with our own integer functions (no std distributions).
// The body is ordinary network delay; the tail is a fault, so the caller records it as a
// decision and may replace it from a replay list.
struct LatencyDraw {
  TimeUs body_us = 0;
  bool tail = false;   // the long tail hit this message
  TimeUs tail_us = 0;  // its whole latency when it did (> the spec's max_us)
};

// INVARIANT: the number of draws depends only on the spec's shape, never on the outcome,
// so whether the tail hits (or a replay list says it did) never moves later draws.
LatencyDraw draw_latency(const faults::LatencySpec& spec, PrngStream& stream);

}  // namespace reckon::sim
