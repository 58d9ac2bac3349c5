#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace reckon::cli {

struct SeedRange {
  uint64_t first = 0;
  uint64_t last = 0;  // inclusive
};

inline constexpr uint64_t kMaxSeedsPerSweep = 100'000'000;

// Parses "A..B" (inclusive) or a single "N". On failure returns nullopt and sets `error`
// to a message naming the problem.
std::optional<SeedRange> parse_seed_range(const std::string& text, std::string& error);
// Parses a decimal uint64 with nothing else around it.
std::optional<uint64_t> parse_seed(const std::string& text);

}  // namespace reckon::cli
