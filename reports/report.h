#pragma once
// Turns run and sweep results into what people and CI read: a console summary and a JSON
// document. Reports only read results; they never influence a run.

#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "sim/sweep.h"

namespace reckon::reports {

inline constexpr int kJsonSchemaVersion = 1;

// How to rerun a seed: everything but the seed, e.g. " --plant timeout-as-decline".
struct ReplayContext {
  std::string extra_args;
  std::string replay_command(uint64_t seed) const;
};

nlohmann::json run_json(const sim::SeedOutcome& outcome, const ReplayContext& replay);
nlohmann::json sweep_json(const sim::SweepResult& sweep, const ReplayContext& replay,
                          uint64_t first_seed, uint64_t last_seed);

// One run, for people: the stats, the trace hash, and any failure with its replay command.
void print_run(std::ostream& out, const sim::SeedOutcome& outcome, const ReplayContext& replay);
// A sweep's summary table and every failure with its replay command.
void print_sweep_summary(std::ostream& out, const sim::SweepResult& sweep,
                         const ReplayContext& replay);

}  // namespace reckon::reports
