#include "sim/latency.h"

namespace reckon::sim {

TimeUs draw_latency_us(const faults::LatencySpec& spec, PrngStream& stream) {
  switch (spec.shape) {
    case faults::LatencyShape::kFixed:
      return spec.min_us;
    case faults::LatencyShape::kUniform:
      return stream.between(spec.min_us, spec.max_us);
    case faults::LatencyShape::kLongTail:
      // Two draws always, so the stream advances the same way whether or not the tail hits.
      const bool tail = stream.chance(spec.tail);
      const TimeUs body_us = stream.between(spec.min_us, spec.max_us);
      if (!tail || spec.tail_max_us <= spec.max_us) return body_us;
      return stream.between(spec.max_us + 1, spec.tail_max_us);
  }
  return spec.min_us;
}

}  // namespace reckon::sim
