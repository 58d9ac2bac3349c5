#pragma once
// What a person watching `reckon sweep` sees: on a terminal, one progress line redrawn in
// place (seeds done, failures, rate, time left) with each failure printed above it as it
// happens; elsewhere (CI logs, pipes) one plain line per seed, in seed order. At the end a
// summary table and every failure with its replay command, from the JSON report, so that
// `reckon merge` prints the same summary as a single sweep.

#include <chrono>
#include <cstdint>
#include <optional>
#include <ostream>

#include <nlohmann/json.hpp>

#include "reports/report.h"
#include "sim/sweep.h"

namespace reckon::reports {

class SweepProgress {
 public:
  // `terminal`: draw the progress line; otherwise print plain lines. `deadline`: the
  // --budget end, which caps the time-left estimate.
  SweepProgress(std::ostream& out, bool terminal, uint64_t planned, ReplayContext replay,
                std::optional<std::chrono::steady_clock::time_point> deadline);
  void seed_done(const sim::SeedOutcome& s);
  // Clears the progress line (terminal) so the summary starts on a clean line.
  void finish();
  double elapsed_seconds() const;

 private:
  void draw(bool force);
  std::ostream& out_;
  bool terminal_;
  uint64_t planned_;
  ReplayContext replay_;
  std::optional<std::chrono::steady_clock::time_point> deadline_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_{};
  uint64_t done_ = 0;
  uint64_t failed_ = 0;
};

// The summary table (seeds, coverage, payments, failures per property) and every failure
// with seed, scenario, property, payment and replay command, read from a sweep report (its
// runs from `runs` when it has no "runs" array: reports/run_log.h).
void print_summary(std::ostream& out, const nlohmann::json& report, const RunLog* runs = nullptr);

// One line on the transition coverage of a report's (or suite's) "coverage" object: how many
// legal transitions occurred, and the names of those that did not. Nothing when absent.
void print_coverage_line(std::ostream& out, const nlohmann::json& coverage);
// The transition x fault matrix (reckon sweep --coverage-matrix): a row per transition, a
// column per fault kind (lettered, with a legend), occurrences in the cells.
void print_transition_matrix(std::ostream& out, const nlohmann::json& coverage);

}  // namespace reckon::reports
