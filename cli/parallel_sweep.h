#pragma once
// Runs a sweep's seeds on local cores. Each worker is a fork()ed process, never a thread:
// a run registers its durability VFS as SQLite's process-wide default, so two runs cannot
// share a process. Worker w of J runs the plan's positions k with k % J == w, in order,
// and sends each outcome back as one JSON line over a pipe; the parent puts them back in
// seed order. So the outcomes, and the report built from them, do not depend on J.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>

#include "sim/sweep.h"

namespace reckon::cli {

struct SweepPlan {
  sim::RunConfig run;  // run.seed is overwritten per seed
  bool check_determinism = false;
  // The seeds: position k (0 <= k < count) is seed first + offset + k * stride.
  uint64_t first = 1;
  uint64_t offset = 0;
  uint64_t stride = 1;
  uint64_t count = 0;
  int jobs = 1;
  // No seed starts at or after the deadline; the seed in progress finishes.
  std::optional<std::chrono::steady_clock::time_point> deadline;
  // false: each outcome is only handed to on_seed, never kept, so that a long sweep's
  // memory does not grow with its seeds (PlanResult::sweep stays empty).
  bool keep_outcomes = true;

  uint64_t seed_at(uint64_t k) const { return first + offset + k * stride; }
};

struct PlanResult {
  sim::SweepResult sweep;  // the seeds that ran, in seed order (when keep_outcomes)
  uint64_t ran = 0;
  uint64_t planned = 0;
  uint64_t unrun() const { return planned - ran; }
};

// `on_seed` (may be empty) is told of each outcome, in seed order, as soon as every
// earlier seed that will run has been told. A worker that dies (an invariant broke inside
// a run) stops reckon the way the same failure would with --jobs 1: a message, then abort.
PlanResult run_plan(const SweepPlan& plan,
                    const std::function<void(const sim::SeedOutcome&)>& on_seed);

}  // namespace reckon::cli
