#pragma once
// Merging shard reports (reckon sweep --shard I/N --report FILE) into the report one
// process would have written for the whole range: the same JSON, byte for byte. Every
// shard of the same range, config and scenario must be there, each exactly once.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace reckon::reports {

struct NamedReport {
  std::string name;  // the file it came from, for error messages
  nlohmann::json report;
};

// Returns nullopt with `error` naming the file and the problem when the inputs do not
// make one whole sweep.
std::optional<nlohmann::json> merge_reports(const std::vector<NamedReport>& inputs,
                                            std::string& error);

// Shard reports of a suite (reckon sweep --suite X --shard I/N): every input must be a suite
// report of the same suite and scenarios; each scenario's shards are merged as above and a
// negative scenario's "expect" is recomputed. Returns the merged scenario reports, in the
// suite's order, and sets `suite` to its name.
std::optional<std::vector<nlohmann::json>> merge_suite_reports(
    const std::vector<NamedReport>& inputs, std::string& suite, std::string& error);

}  // namespace reckon::reports
