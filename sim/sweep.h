#pragma once
// A sweep runs one RunConfig over a range of seeds. Seeds are independent; each outcome
// depends on its seed alone, never on which seeds ran before it in the process.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sim/run_types.h"

namespace reckon::sim {

struct SweepConfig {
  uint64_t first_seed = 1;
  uint64_t last_seed = 100;  // inclusive
  RunConfig run;             // run.seed is overwritten per seed
  bool check_determinism = false;
};

// Where two runs of one seed first differ: the index of the first trace event (line, from
// 0) that is not the same in both, and that event in each run ("" where a trace ended).
struct TraceDivergence {
  uint64_t event_index = 0;
  std::string first;
  std::string second;
};

struct SeedOutcome {
  RunResult result;
  bool determinism_checked = false;
  bool deterministic = true;
  std::string second_trace_hash;              // when checked
  std::optional<TraceDivergence> divergence;  // when checked and not deterministic
};

// The first event where two traces differ; nullopt when they are the same.
std::optional<TraceDivergence> first_divergence(const std::vector<std::string>& first,
                                                const std::vector<std::string>& second);

struct SweepResult {
  std::vector<SeedOutcome> seeds;
  int failed_seeds() const;
  int nondeterministic_seeds() const;
};

// Runs every seed in order; `progress` (may be empty) is told after each seed.
SweepResult run_sweep(const SweepConfig& config,
                      const std::function<void(const SeedOutcome&)>& progress);

// Runs one seed, twice when check_determinism, comparing trace hashes; both runs keep their
// traces, so that a mismatch names the first divergent event (the traces are dropped after
// unless config.keep_trace).
SeedOutcome run_seed(const RunConfig& config, bool check_determinism);

}  // namespace reckon::sim
