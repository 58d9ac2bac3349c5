#pragma once
// A sweep runs one RunConfig over a range of seeds. Seeds are independent; each outcome
// depends on its seed alone, never on which seeds ran before it in the process.

#include <cstdint>
#include <functional>
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

struct SeedOutcome {
  RunResult result;
  bool determinism_checked = false;
  bool deterministic = true;
  std::string second_trace_hash;  // when checked
};

struct SweepResult {
  std::vector<SeedOutcome> seeds;
  int failed_seeds() const;
  int nondeterministic_seeds() const;
};

// Runs every seed in order; `progress` (may be empty) is told after each seed.
SweepResult run_sweep(const SweepConfig& config,
                      const std::function<void(const SeedOutcome&)>& progress);

// Runs one seed, twice when check_determinism, comparing trace hashes.
SeedOutcome run_seed(const RunConfig& config, bool check_determinism);

}  // namespace reckon::sim
