#pragma once
// A decision list on disk: everything needed to rerun a run from its fault decisions alone
// (`reckon replay --decisions FILE`): the seed, the scenario, the CLI's run options and the
// decisions. JSON, documented in docs/trace-format.md.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "faults/decision_log.h"

namespace reckon::faults {

inline constexpr int kDecisionFileVersion = 1;

struct DecisionFile {
  uint64_t seed = 0;
  std::string scenario;  // a scenario path or name; empty: the default run
  std::vector<std::string> plants;
  int clients = 0;  // 0: the scenario's (or default) value
  int payments = 0;
  std::string trace_hash;  // of the run that produced the list
  std::string adapter;     // the run's --adapter command; empty: none (docs/adapters.md)
  std::vector<Decision> decisions;
};

std::string to_json(const DecisionFile& file);
// Parses and validates; on failure returns nullopt and sets `error` naming the problem
// (and the decision's index when one is at fault).
std::optional<DecisionFile> parse_decision_file(const std::string& text, std::string& error);

bool write_decision_file(const std::string& path, const DecisionFile& file, std::string& error);
std::optional<DecisionFile> read_decision_file(const std::string& path, std::string& error);

}  // namespace reckon::faults
