#pragma once
// The inverse of run_json: a seed's outcome rebuilt from its JSON object. Worker processes
// (reckon sweep --jobs) and shard reports (reckon merge) carry outcomes as JSON; rebuilding
// them exactly is what makes a report the same however the seeds were spread.

#include <nlohmann/json.hpp>

#include "sim/sweep.h"

namespace reckon::reports {

// Throws nlohmann::json::exception when a field is missing or has the wrong type. The
// trace is not part of the JSON: the result's trace is empty.
sim::SeedOutcome outcome_from_json(const nlohmann::json& run);

}  // namespace reckon::reports
