#pragma once
// Turns run and sweep results into what people and CI read: a console summary and a JSON
// document. Reports only read results; they never influence a run.

#include <optional>
#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "reports/run_log.h"
#include "reports/transition_matrix.h"
#include "sim/sweep.h"

namespace reckon::reports {

inline constexpr int kJsonSchemaVersion = 1;

// How to rerun a seed: everything but the seed, e.g. " --plant timeout-as-decline".
struct ReplayContext {
  std::string extra_args;
  std::string replay_command(uint64_t seed) const;
};

// What a sweep report says about itself beyond its runs (docs/report-format.md). Every field
// is a function of the command's arguments and results, never of timing or of --jobs, so
// the report of a seed range is the same however it was run.
struct SweepMeta {
  uint64_t first_seed = 1;
  uint64_t last_seed = 1;  // inclusive; the whole range even for a shard
  uint64_t planned = 0;    // seeds this report was asked to run (its shard's share)
  uint64_t shard_index = 0;
  uint64_t shard_count = 1;  // 1: not sharded, no "shard" field
  nlohmann::json config;     // the run options (config_json in the CLI); null: omitted
  std::string scenario = "default";
};

nlohmann::json run_json(const sim::SeedOutcome& outcome, const ReplayContext& replay);

// A sweep's JSON report built seed by seed, so that memory does not grow with the seeds:
// each run goes to a RunLog on disk as it is added; the failures, the counts and the
// transition matrix are kept as they accumulate. report() has no "runs" array: readers
// take the runs from runs() (for_each_run, write_report_json).
class SweepReportBuilder {
 public:
  // `log_runs` false: the runs are only counted (the caller keeps them: sweep_json).
  explicit SweepReportBuilder(ReplayContext replay, bool log_runs = true);
  void add(const sim::SeedOutcome& outcome);
  nlohmann::json report(const SweepMeta& meta) const;
  const RunLog& runs() const;
  int64_t payments() const { return payments_; }
  uint64_t virtual_duration_us() const { return virtual_duration_us_; }

 private:
  ReplayContext replay_;
  std::optional<RunLog> runs_;
  uint64_t ran_ = 0;
  nlohmann::json failures_ = nlohmann::json::array();
  TransitionMatrix matrix_;
  int64_t payments_ = 0;
  uint64_t virtual_duration_us_ = 0;
  int failed_seeds_ = 0;
  int nondeterministic_seeds_ = 0;
};

// The whole report, runs included, of seeds already in memory (tests, merge).
nlohmann::json sweep_json(const sim::SweepResult& sweep, const ReplayContext& replay,
                          uint64_t first_seed, uint64_t last_seed);
nlohmann::json sweep_json(const sim::SweepResult& sweep, const ReplayContext& replay,
                          const SweepMeta& meta);

// Where two runs of a seed first differed: the event's index and both versions of it.
void print_divergence(std::ostream& out, const sim::TraceDivergence& d, const std::string& indent);

// A negative scenario passes when some seed fails with the property it names: records in
// the report's "expect" object whether that happened (docs/report-format.md).
void add_expectation(nlohmann::json& report, const std::string& property);

// One run, for people: the stats, the trace hash, and any failure with its replay command.
void print_run(std::ostream& out, const sim::SeedOutcome& outcome, const ReplayContext& replay);
// A sweep's summary table and every failure with its replay command.
void print_sweep_summary(std::ostream& out, const sim::SweepResult& sweep,
                         const ReplayContext& replay);

}  // namespace reckon::reports
