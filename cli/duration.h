#pragma once
// Durations on the command line (--budget): a positive integer and a unit, e.g. 500ms,
// 30s, 5m, 2h. A bare number is rejected: the unit is always explicit.

#include <chrono>
#include <optional>
#include <string>

namespace reckon::cli {

std::optional<std::chrono::milliseconds> parse_duration(const std::string& text);

}  // namespace reckon::cli
