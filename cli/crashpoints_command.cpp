// reckon crashpoints: rerun a seed once per crash point it passes, crashing there.
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/scenario_select.h"
#include "cli/seed_range.h"
#include "sim/crashpoint_sweep.h"

namespace reckon::cli {
namespace {

nlohmann::json result_json(const sim::CrashPointSweep& sweep, uint64_t seed,
                           const std::string& scenario_arg) {
  nlohmann::json runs = nlohmann::json::array();
  for (const auto& r : sweep.runs) {
    nlohmann::json failures = nlohmann::json::array();
    for (const auto& f : r.result.failures) {
      failures.push_back({{"property", f.property}, {"payment", f.payment}, {"detail", f.detail}});
    }
    runs.push_back({{"point", r.point},
                    {"pass", r.pass},
                    {"passed", r.result.passed()},
                    {"trace_hash", r.result.trace_hash},
                    {"failures", failures}});
  }
  return {{"seed", seed},
          {"scenario", scenario_arg.empty() ? "default" : scenario_arg},
          {"baseline_trace_hash", sweep.baseline.trace_hash},
          {"baseline_passed", sweep.baseline.passed()},
          {"crash_point_passes", sweep.baseline.crash_point_passes},
          {"runs", runs},
          {"failed", sweep.failed()}};
}

}  // namespace

int do_crashpoints(const CrashpointsOptions& o) {
  auto seed = parse_seed(o.seed);
  if (!seed) {
    std::cerr << "reckon crashpoints: --seed '" << o.seed << "': expected an unsigned integer\n";
    return kExitBadInput;
  }
  sim::RunConfig config;
  if (!o.scenario.empty()) {
    std::string error;
    auto s = resolve_scenario(o.scenario, error);
    auto c = s ? scenario_run_config(*s, error) : std::nullopt;
    if (!c) {
      std::cerr << "reckon crashpoints: " << error << "\n";
      return kExitBadInput;
    }
    config = *c;
  }
  config.seed = *seed;
  const sim::CrashPointSweep sweep = sim::run_crash_points(config, o.all_passes);
  if (o.format == "json") {
    std::cout << result_json(sweep, *seed, o.scenario).dump(2) << "\n";
  } else {
    std::cout << "seed " << *seed << " passes ";
    for (const auto& [point, passes] : sweep.baseline.crash_point_passes) {
      std::cout << point << "x" << passes << " ";
    }
    std::cout << "\n";
    for (const auto& r : sweep.runs) {
      std::cout << (r.result.passed() ? "  pass " : "  FAIL ") << r.point << " pass " << r.pass
                << "  hash " << r.result.trace_hash << "\n";
      for (const auto& f : r.result.failures) {
        std::cout << "    FAILED " << f.property << ": " << f.detail << "\n";
      }
    }
    std::cout << sweep.runs.size() << " crash runs, " << sweep.failed() << " failed\n";
  }
  return sweep.failed() == 0 ? kExitPassed : kExitPropertyFailed;
}

}  // namespace reckon::cli
