#include "sim/crashpoint_sweep.h"

#include "sim/world.h"

namespace reckon::sim {

int CrashPointSweep::failed() const {
  int n = baseline.passed() ? 0 : 1;
  for (const auto& r : runs) n += r.result.passed() ? 0 : 1;
  return n;
}

CrashPointSweep run_crash_points(const RunConfig& config, bool all_passes) {
  CrashPointSweep out;
  RunConfig base = config;
  base.forced_crash_point.clear();
  out.baseline = run_simulation(base);
  // The baseline's passes decide what to force; the map is ordered, so the runs are too.
  for (const auto& [point, passes] : out.baseline.crash_point_passes) {
    const int64_t last = all_passes ? passes : 1;
    for (int64_t pass = 1; pass <= last; ++pass) {
      RunConfig forced = base;
      forced.forced_crash_point = point;
      forced.forced_crash_pass = pass;
      out.runs.push_back(CrashPointRun{point, pass, run_simulation(forced)});
    }
  }
  return out;
}

}  // namespace reckon::sim
