#pragma once
#include "faults/fault_plan.h"
#include "sim/event_queue.h"
#include "sim/prng.h"

namespace reckon::sim {

// One latency draw from the spec, with our own integer functions (no std distributions).
TimeUs draw_latency_us(const faults::LatencySpec& spec, PrngStream& stream);

}  // namespace reckon::sim
