#pragma once
// The transition coverage a sweep must reach (reckon sweep --require-coverage FILE): a small
// TOML file naming charge status transitions (engine/state_machine.h) that must occur, and
// optionally fault kinds each must also occur under (sim/transition_coverage.h says what
// "under" means). Format and an example: docs/report-format.md, ci/required-transitions.toml.
//
//   [[transition]]                  # required
//   from = "pending"
//   to = "unknown"
//   under = ["response_loss"]       # optional: fault kinds (decision kinds)
//
//   [[exempt]]                      # named, but not required: why the sweep cannot reach it
//   from = "pending"
//   to = "failed"
//   reason = "..."

#include <optional>
#include <string>
#include <vector>

namespace reckon::faults {

struct RequiredTransition {
  std::string from;
  std::string to;
  std::vector<std::string> under;  // fault kinds, each must be seen with the transition
  int line = 0;                    // in the file, for messages
};

struct ExemptTransition {
  std::string from;
  std::string to;
  std::string reason;
};

struct RequiredCoverage {
  std::string path;
  std::vector<RequiredTransition> transitions;
  std::vector<ExemptTransition> exempt;
};

// Reads and checks the file: statuses exist, each transition is legal, each fault kind is a
// decision kind, no transition is named twice, no unknown key. On failure returns nullopt
// with `error` naming the file, line and key.
std::optional<RequiredCoverage> load_required_coverage(const std::string& path, std::string& error);

}  // namespace reckon::faults
