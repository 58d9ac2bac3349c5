#include "sim/prng.h"

#include <xxhash.h>

namespace reckon::sim {
namespace {

__extension__ typedef unsigned __int128 u128;  // GCC/Clang; Lemire needs 64x64->128

uint64_t rotl(uint64_t x, int k) {
  return (x << k) | (x >> (64 - k));
}

}  // namespace

uint64_t splitmix64_next(uint64_t& state) {
  state += 0x9e3779b97f4a7c15ULL;
  uint64_t z = state;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

uint64_t stream_name_hash(std::string_view name) {
  return XXH3_64bits(name.data(), name.size());
}

PrngStream::PrngStream(uint64_t seed_material) {
  uint64_t sm = seed_material;
  for (auto& word : s_) word = splitmix64_next(sm);
  // INVARIANT: xoshiro's state must not be all zero; SplitMix64 output never is in practice,
  // but the check costs nothing.
  RECKON_CHECK((s_[0] | s_[1] | s_[2] | s_[3]) != 0, "xoshiro state is all zero");
}

PrngStream::PrngStream(uint64_t run_seed, std::string_view stream_name)
    : PrngStream(run_seed ^ rotl(stream_name_hash(stream_name), 17)) {}

PrngStream PrngStream::from_raw_seed(uint64_t seed) {
  return PrngStream(seed);
}

uint64_t PrngStream::next_u64() {
  const uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

uint64_t PrngStream::below(uint64_t bound) {
  RECKON_CHECK(bound > 0, "PrngStream::below needs a positive bound");
  // Lemire: multiply into 128 bits; reject the low part that would bias small results.
  u128 m = static_cast<u128>(next_u64()) * bound;
  uint64_t low = static_cast<uint64_t>(m);
  if (low < bound) {
    const uint64_t threshold = (0 - bound) % bound;
    while (low < threshold) {
      m = static_cast<u128>(next_u64()) * bound;
      low = static_cast<uint64_t>(m);
    }
  }
  return static_cast<uint64_t>(m >> 64);
}

int64_t PrngStream::between(int64_t lo, int64_t hi) {
  RECKON_CHECK(lo <= hi, "PrngStream::between needs lo <= hi");
  const uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
  if (span == UINT64_MAX) return static_cast<int64_t>(next_u64());
  return static_cast<int64_t>(static_cast<uint64_t>(lo) + below(span + 1));
}

bool PrngStream::chance(Ratio ratio) {
  RECKON_CHECK(ratio.den > 0 && ratio.num <= ratio.den, "ratio must be num/den with num <= den");
  if (ratio.num == 0) return false;
  if (ratio.num == ratio.den) return true;
  return below(ratio.den) < ratio.num;
}

}  // namespace reckon::sim
