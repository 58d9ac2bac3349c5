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

}  // namespace reckon::reports
