#pragma once
// One simulation run: builds every node from the seed, runs the safety phase (workload
// with faults) and then the liveness phase (faults off, recovery finishes), checking the
// properties throughout. Stops at the first failed property.

#include "sim/run_types.h"

namespace reckon::sim {

RunResult run_simulation(const RunConfig& config);

}  // namespace reckon::sim
