#pragma once
// `reckon crashpoints`: runs a seed once to learn which crash points it passes, then reruns
// it once per crash point passed, crashing the engine at that point's first pass (or at
// every pass, with all_passes). Each rerun must keep every property.

#include <cstdint>
#include <string>
#include <vector>

#include "sim/run_types.h"

namespace reckon::sim {

struct CrashPointRun {
  std::string point;
  int64_t pass = 0;
  RunResult result;
};

struct CrashPointSweep {
  RunResult baseline;  // the run without forced crashes
  std::vector<CrashPointRun> runs;
  int failed() const;
};

CrashPointSweep run_crash_points(const RunConfig& config, bool all_passes);

}  // namespace reckon::sim
