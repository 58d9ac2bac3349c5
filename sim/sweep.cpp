#include "sim/sweep.h"

#include <algorithm>

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

std::optional<TraceDivergence> first_divergence(const std::vector<std::string>& first,
                                                const std::vector<std::string>& second) {
  const size_t common = std::min(first.size(), second.size());
  size_t i = 0;
  while (i < common && first[i] == second[i]) ++i;
  if (i == first.size() && i == second.size()) return std::nullopt;
  TraceDivergence d;
  d.event_index = i;
  if (i < first.size()) d.first = first[i];
  if (i < second.size()) d.second = second[i];
  return d;
}

SeedOutcome run_seed(const RunConfig& config, bool check_determinism) {
  SeedOutcome out;
  RunConfig first = config;
  first.test_perturb_after_events = 0;
  first.keep_trace = config.keep_trace || check_determinism;
  out.result = run_simulation(first);
  if (check_determinism) {
    out.determinism_checked = true;
    RunConfig second = config;
    second.keep_trace = true;
    const RunResult again = run_simulation(second);
    out.second_trace_hash = again.trace_hash;
    out.deterministic = again.trace_hash == out.result.trace_hash;
    if (!out.deterministic) out.divergence = first_divergence(out.result.trace, again.trace);
    if (!config.keep_trace) std::vector<std::string>().swap(out.result.trace);
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
