#include "cli/seed_range.h"

#include <charconv>

namespace reckon::cli {

std::optional<uint64_t> parse_seed(const std::string& text) {
  uint64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

std::optional<SeedRange> parse_seed_range(const std::string& text, std::string& error) {
  const size_t dots = text.find("..");
  const std::string a = dots == std::string::npos ? text : text.substr(0, dots);
  const std::string b = dots == std::string::npos ? text : text.substr(dots + 2);
  auto first = parse_seed(a);
  auto last = parse_seed(b);
  if (!first || !last) {
    error = "--seeds '" + text + "': expected A..B with A and B unsigned integers, e.g. 1..100";
    return std::nullopt;
  }
  if (*first > *last) {
    error = "--seeds '" + text + "': the first seed is greater than the last";
    return std::nullopt;
  }
  if (*last - *first >= kMaxSeedsPerSweep) {
    error = "--seeds '" + text + "': more than " + std::to_string(kMaxSeedsPerSweep) +
            " seeds in one sweep; shard it";
    return std::nullopt;
  }
  return SeedRange{*first, *last};
}

}  // namespace reckon::cli
