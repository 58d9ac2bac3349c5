#pragma once
// Writes a RunConfig back as a scenario file (docs/scenarios.md) that `reckon run
// --scenario FILE` turns into the same run: every knob of the workload, the engine and the
// fault plan is written out, and a decision list (RunConfig::replay_decisions) becomes a
// [replay] table. `reckon shrink` writes its result with it.

#include <string>

#include "sim/run_types.h"

namespace reckon::sim {

struct ScenarioText {
  std::string description;  // one line
  std::string seeds;        // e.g. "7..7"
  std::string comment;      // lines written as '# ...' at the top; may be empty
};

// The TOML text. Durations the format keeps in milliseconds must be whole milliseconds;
// otherwise returns false with `error` naming the knob.
bool scenario_toml(const RunConfig& config, const ScenarioText& text, std::string& out,
                   std::string& error);

}  // namespace reckon::sim
