#pragma once
// Turns a parsed scenario into the RunConfig of one seed, checking the names that only the
// simulator knows (properties, planted defects, nodes of scheduled partitions).

#include <optional>
#include <string>

#include "faults/scenario.h"
#include "sim/run_types.h"

namespace reckon::sim {

// The property names a scenario may list or expect (sim/properties.h).
const std::vector<std::string>& known_properties();

// On failure returns nullopt and sets `error` (file, line and key of the bad value).
std::optional<RunConfig> run_config_for(const faults::Scenario& scenario,
                                        faults::ScenarioError& error);

}  // namespace reckon::sim
