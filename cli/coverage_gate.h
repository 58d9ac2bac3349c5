#pragma once
// The coverage gate (reckon sweep|merge --require-coverage FILE): the transitions (and
// transition x fault kind pairs) a sweep must have seen. A gap exits 5 (kExitCoverageGap)
// when nothing more serious happened: a weak test suite is not a failed property (1), and a
// script must be able to tell the two apart. docs/report-format.md, ci/required-transitions.toml.

#include <optional>
#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "faults/required_coverage.h"

namespace reckon::cli {

// Judges `coverage` (a report's or a suite's "coverage" object), records the verdict in it
// ("required") and names every gap on `err`, prefixed by `command`. True when met.
bool apply_coverage_gate(nlohmann::json& coverage, const faults::RequiredCoverage& required,
                         const std::string& command, std::ostream& err);

// The exit code once the gate has judged: a gap turns a pass into kExitCoverageGap; every
// other verdict (3, 1, 4: they explain a gap, or matter more) stands.
int exit_code_with_gate(int code, bool coverage_met);

}  // namespace reckon::cli
