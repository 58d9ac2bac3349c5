#pragma once
// Sharding a sweep across machines: "--shard I/N" (0-based, 0 <= I < N) keeps the seeds
// whose index in the range is I modulo N. Seed first+k belongs to shard k % N, so every
// seed is in exactly one shard and the shards together are the whole range.

#include <cstdint>
#include <optional>
#include <string>

namespace reckon::cli {

struct Shard {
  uint64_t index = 0;
  uint64_t count = 1;
};

inline constexpr uint64_t kMaxShards = 100'000;

// Parses "I/N". On failure returns nullopt and sets `error` to a message naming --shard.
std::optional<Shard> parse_shard(const std::string& text, std::string& error);

// How many of the `total` seeds of a range fall into `shard`.
uint64_t seeds_in_shard(uint64_t total, const Shard& shard);

}  // namespace reckon::cli
