#pragma once
// The transition x fault matrix of a sweep or a suite (docs/report-format.md, "coverage"):
// which charge status transitions occurred, how often, in how many runs, and under which
// fault kinds (sim/transition_coverage.h defines "under"). Built from the runs' own counts,
// so a sweep, its --jobs N run and the merge of its shards give the same matrix; summed
// over scenario reports for a suite.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "faults/required_coverage.h"
#include "sim/transition_coverage.h"

namespace reckon::reports {

// One run's transitions as JSON (runs[].transitions), and back.
nlohmann::json run_transitions_json(const sim::TransitionCounts& counts);
sim::TransitionCounts transitions_from_json(const nlohmann::json& transitions);

class TransitionMatrix {
 public:
  void add_run(const sim::TransitionCounts& counts);
  // Adds a report's "coverage" object (its "transitions" array); absent: nothing.
  void add_coverage(const nlohmann::json& coverage);

  // {"transitions": [...], "fault_kinds": [...], "uncovered": [...]}: every legal transition
  // in the order of engine/state_machine.h, then any other observed one.
  nlohmann::json to_json() const;

 private:
  struct Cell {
    int64_t count = 0;
    int64_t runs = 0;
    int64_t fault_free = 0;
    std::map<std::string, int64_t> under;
  };
  std::map<sim::TransitionKey, Cell> cells_;
};

// A required item the matrix does not have: a transition that never occurred (`under`
// empty), or one that never occurred under the fault kind `under`.
struct CoverageGap {
  std::string from;
  std::string to;
  std::string under;
  int line = 0;  // in the required file
  std::string describe() const;
};

// The gaps of `coverage` (a report's "coverage" object) against the required file.
std::vector<CoverageGap> coverage_gaps(const nlohmann::json& coverage,
                                       const faults::RequiredCoverage& required);
// Records the verdict in `coverage` as "required": {"items", "met", "missing"}.
void add_required(nlohmann::json& coverage, const faults::RequiredCoverage& required,
                  const std::vector<CoverageGap>& gaps);

}  // namespace reckon::reports
