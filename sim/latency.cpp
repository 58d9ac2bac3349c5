#include "sim/latency.h"

namespace reckon::sim {

LatencyDraw draw_latency(const faults::LatencySpec& spec, PrngStream& stream) {
  LatencyDraw draw;
  switch (spec.shape) {
    case faults::LatencyShape::kFixed:
      draw.body_us = spec.min_us;
      return draw;
    case faults::LatencyShape::kUniform:
      draw.body_us = stream.between(spec.min_us, spec.max_us);
      return draw;
    case faults::LatencyShape::kLongTail: {
      const bool hit = stream.chance(spec.tail);
      draw.body_us = stream.between(spec.min_us, spec.max_us);
      // A spec whose tail ends at or below its body has no room for a tail.
      const bool room = spec.tail_max_us > spec.max_us;
      const TimeUs tail_us = stream.between(room ? spec.max_us + 1 : spec.max_us,
                                            room ? spec.tail_max_us : spec.max_us);
      draw.tail = hit && room;
      draw.tail_us = tail_us;
      return draw;
    }
  }
  return draw;
}

}  // namespace reckon::sim
