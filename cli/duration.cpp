#include "cli/duration.h"

#include <charconv>
#include <cstdint>

namespace reckon::cli {

std::optional<std::chrono::milliseconds> parse_duration(const std::string& text) {
  uint64_t value = 0;
  const char* begin = text.data();
  const char* end = begin + text.size();
  auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ec != std::errc() || ptr == begin || value == 0) return std::nullopt;
  const std::string unit(ptr, end);
  uint64_t ms_per_unit = 0;
  if (unit == "ms") ms_per_unit = 1;
  if (unit == "s") ms_per_unit = 1000;
  if (unit == "m") ms_per_unit = 60'000;
  if (unit == "h") ms_per_unit = 3'600'000;
  // A week is far beyond any CI job; the bound also keeps the multiplication exact.
  if (ms_per_unit == 0 || value > 7 * 24 * 3'600'000ULL / ms_per_unit) return std::nullopt;
  return std::chrono::milliseconds(static_cast<int64_t>(value * ms_per_unit));
}

}  // namespace reckon::cli
