// Golden values pin the PRNG streams: if one of these changes, every recorded seed in
// every user's CI changes meaning, so a change here must be deliberate.
#include "sim/prng.h"

#include <gtest/gtest.h>

#include <map>

namespace reckon::sim {
namespace {

TEST(Prng, SplitMix64MatchesTheReferenceSequence) {
  uint64_t state = 0;
  // Reference values of SplitMix64 seeded with 0 (Vigna's splitmix64.c).
  EXPECT_EQ(splitmix64_next(state), 0xe220a8397b1dcdafULL);
  EXPECT_EQ(splitmix64_next(state), 0x6e789e6aa1b965f4ULL);
}

TEST(Prng, NamedStreamsArePinned) {
  PrngStream latency(42, "network.latency");
  EXPECT_EQ(latency.next_u64(), 0x169b419cd25f803fULL);
  EXPECT_EQ(latency.next_u64(), 0xe4bdb2b043e04ce6ULL);
  EXPECT_EQ(latency.next_u64(), 0xa19883655977ce3aULL);
  PrngStream psp(42, "psp");
  EXPECT_EQ(psp.next_u64(), 0x12d38e19f01ea897ULL);
  EXPECT_EQ(stream_name_hash("faults.network"), 0x71a92e46716a6fa6ULL);
}

TEST(Prng, RangesArePinned) {
  PrngStream below(7, "client.0");
  const uint64_t expected_below[] = {484, 372, 794, 765, 421};
  for (uint64_t e : expected_below) EXPECT_EQ(below.below(1000), e);
  PrngStream between(7, "client.0");
  const int64_t expected_between[] = {0, -1, 3, 3, -1};
  for (int64_t e : expected_between) EXPECT_EQ(between.between(-5, 5), e);
}

TEST(Prng, StreamsAreIndependentOfEachOther) {
  // Drawing from one stream never moves another: that is what lets a new component get a
  // stream without perturbing existing seeds.
  PrngStream a1(9, "a");
  PrngStream b1(9, "b");
  const uint64_t b_first = b1.next_u64();
  PrngStream a2(9, "a");
  for (int i = 0; i < 1000; ++i) a2.next_u64();
  PrngStream b2(9, "b");
  EXPECT_EQ(b2.next_u64(), b_first);
  EXPECT_NE(PrngStream(9, "a").next_u64(), PrngStream(10, "a").next_u64());
  EXPECT_NE(a1.next_u64(), PrngStream(9, "b").next_u64());
}

TEST(Prng, BelowIsUniformEnough) {
  PrngStream s(1, "uniformity");
  std::map<uint64_t, int> counts;
  const int draws = 60'000;
  for (int i = 0; i < draws; ++i) ++counts[s.below(6)];
  ASSERT_EQ(counts.size(), 6u);
  for (const auto& [value, n] : counts) {
    EXPECT_GT(n, draws / 6 - 600) << value;
    EXPECT_LT(n, draws / 6 + 600) << value;
  }
}

TEST(Prng, BetweenCoversBothEnds) {
  PrngStream s(3, "ends");
  bool lo = false;
  bool hi = false;
  for (int i = 0; i < 1000; ++i) {
    const int64_t v = s.between(10, 13);
    ASSERT_GE(v, 10);
    ASSERT_LE(v, 13);
    lo = lo || v == 10;
    hi = hi || v == 13;
  }
  EXPECT_TRUE(lo && hi);
  EXPECT_EQ(s.between(5, 5), 5);
  s.between(INT64_MIN, INT64_MAX);  // full range must not divide by zero
}

TEST(Prng, ChanceHonoursItsRatio) {
  PrngStream s(5, "chance");
  int hits = 0;
  for (int i = 0; i < 100'000; ++i) hits += s.chance(Ratio{1, 4}) ? 1 : 0;
  EXPECT_GT(hits, 24'000);
  EXPECT_LT(hits, 26'000);
  for (int i = 0; i < 100; ++i) {
    EXPECT_FALSE(s.chance(Ratio::never()));
    EXPECT_TRUE(s.chance(Ratio::always()));
  }
}

}  // namespace
}  // namespace reckon::sim
