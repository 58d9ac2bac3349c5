#include "sim/sweep.h"

#include "engine/check.h"
#include "sim/world.h"

namespace reckon::sim {

int SweepResult::failed_seeds() const {
  int n = 0;
  for (const auto& s : seeds) n += s.result.passed() ? 0 : 1;
  return n;
}

int SweepResult::nondeterministic_seeds() const {
  int n = 0;
  for (const auto& s : seeds) n += s.deterministic ? 0 : 1;
  return n;
}

SeedOutcome run_seed(const RunConfig& config, bool check_determinism) {
  SeedOutcome out;
  out.result = run_simulation(config);
  if (check_determinism) {
    out.determinism_checked = true;
    const RunResult again = run_simulation(config);
    out.second_trace_hash = again.trace_hash;
    out.deterministic = again.trace_hash == out.result.trace_hash;
  }
  return out;
}

SweepResult run_sweep(const SweepConfig& config,
                      const std::function<void(const SeedOutcome&)>& progress) {
  RECKON_CHECK(config.first_seed <= config.last_seed, "sweep seed range is ordered");
  SweepResult sweep;
  RunConfig run = config.run;
  for (uint64_t seed = config.first_seed;; ++seed) {
    run.seed = seed;
    sweep.seeds.push_back(run_seed(run, config.check_determinism));
    if (progress) progress(sweep.seeds.back());
    if (seed == config.last_seed) break;
  }
  return sweep;
}

}  // namespace reckon::sim
