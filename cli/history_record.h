#pragma once
// reckon sweep / merge --history FILE: open (or create) the history before the sweep, so a
// bad file costs nothing, then record the finished report and add its "history" object.

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "reports/history.h"

namespace reckon::cli {

// nullptr with `error` naming --history, the file and the problem.
std::unique_ptr<reports::History> open_history_for_sweep(const std::string& path,
                                                         std::string& error);

// Appends `report` (one scenario's or a suite's) with the current UTC time and `label`, and
// sets report["history"] to what it says against the earlier sweeps.
// `runs`: the runs of a report that has no "runs" array (reports/run_log.h).
bool record_history(reports::History& history, nlohmann::json& report, const std::string& label,
                    std::string& error, const reports::RunLog* runs = nullptr);

}  // namespace reckon::cli
