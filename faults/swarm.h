#pragma once
// Swarm testing (Groce et al.): rather than every fault at once, each seed switches on a
// random subset of fault kinds at random intensities. Runs then explore configurations
// where one kind of fault is frequent and the others absent, which finds more bugs.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "faults/fault_plan.h"

namespace reckon::faults {

// Draws the subset. `below(n)` returns a uniform draw in [0, n) from the run's "swarm"
// stream. Each kind is on with probability 1/2; an enabled kind keeps the plan's rate (or
// a default when the plan has it off) scaled by 1/4, 1/2, 1 or 2. The kinds are the
// registry's swarm kinds (faults/fault_kinds.h), visited in its order; `enabled` receives
// the names of those switched on, in that order.
FaultPlan swarm_select(const FaultPlan& plan, const std::function<uint64_t(uint64_t)>& below,
                       std::vector<std::string>& enabled);

}  // namespace reckon::faults
