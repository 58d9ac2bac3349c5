#include "cli/shard.h"

#include "cli/seed_range.h"

namespace reckon::cli {

std::optional<Shard> parse_shard(const std::string& text, std::string& error) {
  const size_t slash = text.find('/');
  std::optional<uint64_t> index;
  std::optional<uint64_t> count;
  if (slash != std::string::npos) {
    index = parse_seed(text.substr(0, slash));
    count = parse_seed(text.substr(slash + 1));
  }
  if (!index || !count) {
    error = "--shard '" + text + "': expected I/N with 0 <= I < N, e.g. 0/4";
    return std::nullopt;
  }
  if (*count == 0 || *count > kMaxShards) {
    error = "--shard '" + text + "': N must be between 1 and " + std::to_string(kMaxShards);
    return std::nullopt;
  }
  if (*index >= *count) {
    error = "--shard '" + text + "': I must be less than N (shards are numbered from 0)";
    return std::nullopt;
  }
  return Shard{*index, *count};
}

uint64_t seeds_in_shard(uint64_t total, const Shard& shard) {
  if (shard.index >= total) return 0;
  return (total - shard.index + shard.count - 1) / shard.count;
}

}  // namespace reckon::cli
