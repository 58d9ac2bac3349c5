#pragma once
// Deterministic randomness for the simulator and the fault model.
//
// INVARIANT: every random draw on a simulated path goes through a PrngStream. Streams are
// derived from (run seed, stream name), so adding a component with its own stream never
// perturbs the draws of another. std::*_distribution is implementation-defined and is
// never used; ranges and ratios are drawn with the functions below.

#include <cstdint>
#include <string_view>

#include "engine/check.h"
#include "faults/ratio.h"

namespace reckon::sim {

using reckon::Ratio;

// SplitMix64: used only to expand seeds into xoshiro state.
uint64_t splitmix64_next(uint64_t& state);

// Stable 64-bit hash of a stream name (XXH3), so names, not declaration order, pick streams.
uint64_t stream_name_hash(std::string_view name);

// xoshiro256** (Blackman and Vigna), seeded through SplitMix64.
class PrngStream {
 public:
  PrngStream(uint64_t run_seed, std::string_view stream_name);
  static PrngStream from_raw_seed(uint64_t seed);

  uint64_t next_u64();
  // Uniform in [0, bound). REQUIRES: bound > 0. Unbiased (Lemire's method with rejection).
  uint64_t below(uint64_t bound);
  // Uniform in [lo, hi], both inclusive. REQUIRES: lo <= hi.
  int64_t between(int64_t lo, int64_t hi);
  // True with probability ratio.num / ratio.den. REQUIRES: den > 0 and num <= den.
  bool chance(Ratio ratio);

 private:
  explicit PrngStream(uint64_t seed_material);
  uint64_t s_[4];
};

}  // namespace reckon::sim
