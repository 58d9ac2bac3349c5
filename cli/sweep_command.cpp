// reckon sweep: a range of seeds (optionally one shard of it, on several cores, within a
// time budget), a summary, and JSON / JUnit / HTML reports.
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "cli/coverage_gate.h"
#include "cli/duration.h"
#include "cli/exit_codes.h"
#include "cli/history_record.h"
#include "cli/parallel_sweep.h"
#include "cli/report_outputs.h"
#include "cli/scenario_select.h"
#include "cli/seed_range.h"
#include "cli/shard.h"
#include "cli/suite_report.h"
#include "reports/console.h"
#include "reports/report.h"
#include "reports/run_log.h"

namespace reckon::cli {
namespace {

// Turns the sweep's arguments into a plan; false with `error` naming the bad argument.
bool make_plan(const SweepOptions& s, const CommonOptions& o, SweepPlan& plan,
               reports::ReplayContext& replay, reports::SweepMeta& meta, std::string& error) {
  auto range = parse_seed_range(s.seeds.empty() ? default_seeds(o) : s.seeds, error);
  if (!range) return false;
  Shard shard;
  if (!s.shard.empty()) {
    auto parsed = parse_shard(s.shard, error);
    if (!parsed) return false;
    shard = *parsed;
  }
  if (!s.budget.empty()) {
    auto budget = parse_duration(s.budget);
    if (!budget) {
      error = "--budget '" + s.budget + "': expected a positive duration with a unit, e.g. 30s, " +
              "5m, 2h or 500ms";
      return false;
    }
    plan.deadline = std::chrono::steady_clock::now() + *budget;
  }
  if (!build_run_config(o, plan.run, replay, error)) return false;
  const uint64_t total = range->last - range->first + 1;
  plan.check_determinism = o.check_determinism;
  plan.first = range->first;
  plan.offset = shard.index;
  plan.stride = shard.count;
  plan.count = seeds_in_shard(total, shard);
  plan.jobs = s.jobs;
  meta.first_seed = range->first;
  meta.last_seed = range->last;
  meta.planned = plan.count;
  meta.shard_index = shard.index;
  meta.shard_count = shard.count;
  meta.config = config_json(o, replay);
  meta.scenario = plan.run.scenario;
  return true;
}

// --require-coverage FILE, read before any seed runs: false with `error` naming the problem.
bool load_required(const std::string& path, std::optional<faults::RequiredCoverage>& required,
                   std::string& error) {
  if (path.empty()) return true;
  required = faults::load_required_coverage(path, error);
  if (!required) error = "--require-coverage " + error;
  return required.has_value();
}

// --history and --require-coverage, both opened before any seed runs so that a bad file
// costs nothing; false with `error` naming the flag and the problem.
bool open_history_and_gate(const SweepOptions& s, std::unique_ptr<reports::History>& history,
                           std::optional<faults::RequiredCoverage>& required, std::string& error) {
  if (!s.history.empty() && !(history = open_history_for_sweep(s.history, error))) return false;
  return load_required(s.require_coverage, required, error);
}

int expectation_exit_code(const nlohmann::json& json) {
  if (json.at("nondeterministic_seeds").get<int>() > 0) return kExitNondeterministic;
  const auto& expect = json.at("expect");
  if (expect.at("met").get<bool>()) {
    std::cerr << "reckon sweep: expected failure of " << expect.at("property").get<std::string>()
              << " seen: the negative scenario passes\n";
    return kExitPassed;
  }
  std::cerr << "reckon sweep: expected " << expect.at("property").get<std::string>()
            << " to fail on some seed, but it never did: the check did not fire\n";
  return kExitPropertyFailed;
}

// reckon sweep --suite FOLDER: every scenario of a library folder, each over its own seeds
// (or --seeds), one combined JSON report and one JUnit document with a suite per scenario.
int do_suite(const SweepOptions& s, const CommonOptions& o) {
  std::string error;
  auto library = load_library(s.suite, error);
  if (library && library->empty()) error = "--suite '" + s.suite + "': the folder has no scenarios";
  const OutputPaths outputs{s.report, s.junit, s.html};
  if (!library || library->empty() || !check_writable(outputs, error)) {
    std::cerr << "reckon sweep: " << error << "\n";
    return kExitBadInput;
  }
  if (!o.scenario.empty()) {
    std::cerr << "reckon sweep: --suite runs every scenario of the folder: --scenario applies to "
                 "one scenario at a time (drop it, or sweep --scenario NAME)\n";
    return kExitBadInput;
  }
  std::unique_ptr<reports::History> history;
  std::optional<faults::RequiredCoverage> required;
  if (!open_history_and_gate(s, history, required, error)) {
    std::cerr << "reckon sweep: " << error << "\n";
    return kExitBadInput;
  }
  const bool text = o.format == "text";
  std::vector<nlohmann::json> reports;
  if (text) std::cout << "suite " << s.suite << ": " << library->size() << " scenarios\n";
  for (const auto& entry : *library) {
    CommonOptions one = o;
    std::filesystem::path path(entry.scenario.path);
    one.scenario = entry.folder + "/" + path.stem().string();
    SweepOptions sweep = s;
    sweep.suite.clear();
    SweepPlan plan;
    reports::ReplayContext replay;
    reports::SweepMeta meta;
    if (!make_plan(sweep, one, plan, replay, meta, error)) {
      std::cerr << "reckon sweep: " << one.scenario << ": " << error << "\n";
      return kExitBadInput;
    }
    PlanResult result = run_plan(plan, [](const sim::SeedOutcome&) {});
    nlohmann::json json = reports::sweep_json(result.sweep, replay, meta);
    if (plan.run.expect.fail) reports::add_expectation(json, plan.run.expect.property);
    if (text) print_suite_line(std::cout, json);
    reports.push_back(std::move(json));
  }
  nlohmann::json combined = combine_suite(s.suite, reports);
  std::ostringstream gate;
  const bool coverage_met =
      !required || apply_coverage_gate(combined["coverage"], *required, "reckon sweep", gate);
  const int code = exit_code_with_gate(suite_exit_code(reports), coverage_met);
  if (history && !record_history(*history, combined, s.history_label, error)) {
    std::cerr << "reckon sweep: " << error << "\n";
    return kExitBadInput;
  }
  if (!text) std::cout << combined.dump(2) << "\n";
  if (!write_suite_outputs(combined, outputs, error)) {
    std::cerr << "reckon sweep: " << error << "\n";
    return kExitBadInput;
  }
  if (text) {
    reports::print_coverage_line(std::cout, combined["coverage"]);
    if (s.coverage_matrix) reports::print_transition_matrix(std::cout, combined["coverage"]);
    std::cout << "suite " << s.suite << ": " << (code == kExitPassed ? "PASS" : "FAIL") << "\n";
    if (combined.contains("history"))
      reports::print_history_comparison(std::cout, combined["history"]);
    for (const auto* p : {&s.report, &s.junit, &s.html}) {
      if (!p->empty()) std::cout << "report written to " << *p << "\n";
    }
  }
  std::cout << std::flush;
  std::cerr << gate.str();
  return code;
}

// CPU seconds of this process and of the worker processes it has waited for.
double cpu_seconds() {
  double total = 0;
  for (const int who : {RUSAGE_SELF, RUSAGE_CHILDREN}) {
    rusage usage{};
    ::getrusage(who, &usage);
    for (const timeval& t : {usage.ru_utime, usage.ru_stime}) {
      total += static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
    }
  }
  return total;
}

// Payments per wall second, and time compression: simulated seconds per CPU second, the
// figure that does not depend on --jobs (docs/performance.md).
void print_speed(std::ostream& out, const reports::SweepReportBuilder& sweep, double wall_seconds,
                 double cpu_secs) {
  const auto payments = static_cast<double>(sweep.payments());
  const double virtual_seconds = static_cast<double>(sweep.virtual_duration_us()) / 1e6;
  char line[160];
  std::snprintf(line, sizeof line,
                "  speed            %.0f payments/s, %.0f payments per CPU second, time "
                "compression %.0fx\n",
                wall_seconds > 0 ? payments / wall_seconds : 0.0,
                cpu_secs > 0 ? payments / cpu_secs : 0.0,
                cpu_secs > 0 ? virtual_seconds / cpu_secs : 0.0);
  out << line;
}

// Runs the plan's seeds and writes what the sweep reports. Throws reports::RunLogError when
// the runs cannot be kept in a temporary file.
int sweep_and_report(const SweepOptions& s, const CommonOptions& o, SweepPlan& plan,
                     const reports::ReplayContext& replay, const reports::SweepMeta& meta,
                     reports::History* history,
                     const std::optional<faults::RequiredCoverage>& required) {
  std::string error;
  const bool text = o.format == "text";
  // The runs go to the builder's log as they finish: memory stays flat however many seeds.
  reports::SweepReportBuilder builder(replay);
  // Text: progress on stdout (a bar on a terminal, plain lines otherwise). JSON: stdout is
  // the document, so only a terminal on stderr gets a bar.
  std::optional<reports::SweepProgress> progress;
  if (text) {
    progress.emplace(std::cout, ::isatty(STDOUT_FILENO) == 1, plan.count, replay, plan.deadline);
  } else if (::isatty(STDERR_FILENO) == 1) {
    progress.emplace(std::cerr, true, plan.count, replay, plan.deadline);
  }
  auto on_seed = [&](const sim::SeedOutcome& outcome) {
    builder.add(outcome);
    if (progress) progress->seed_done(outcome);
  };
  plan.keep_outcomes = false;
  const double cpu_before = cpu_seconds();
  run_plan(plan, on_seed);
  const double cpu_used = cpu_seconds() - cpu_before;
  const reports::RunLog* runs = &builder.runs();
  nlohmann::json json = builder.report(meta);
  if (plan.run.expect.fail) reports::add_expectation(json, plan.run.expect.property);
  std::ostringstream gate;
  const bool coverage_met =
      !required || apply_coverage_gate(json["coverage"], *required, "reckon sweep", gate);
  if (history != nullptr && !record_history(*history, json, s.history_label, error, runs)) {
    std::cerr << "reckon sweep: " << error << "\n";
    return kExitBadInput;
  }
  if (progress) progress->finish();
  if (text) {
    reports::print_summary(std::cout, json, runs);
    const double secs = progress->elapsed_seconds();
    char line[128];
    std::snprintf(line, sizeof line, "  wall time        %.1fs, %.1f seeds/s, --jobs %d\n", secs,
                  secs > 0 ? static_cast<double>(runs->size()) / secs : 0.0, s.jobs);
    std::cout << line;
    print_speed(std::cout, builder, secs, cpu_used);
    if (s.coverage_matrix) reports::print_transition_matrix(std::cout, json["coverage"]);
    if (history != nullptr) reports::print_history_comparison(std::cout, json["history"]);
  } else {
    reports::write_report_json(std::cout, json, runs);
    std::cout << "\n";
  }
  if (!write_outputs(json, plan.run, OutputPaths{s.report, s.junit, s.html}, error, runs)) {
    std::cerr << "reckon sweep: " << error << "\n";
    return kExitBadInput;
  }
  if (text) {
    for (const auto* path : {&s.report, &s.junit, &s.html}) {
      if (!path->empty()) std::cout << "report written to " << *path << "\n";
    }
  }
  std::cout << std::flush;
  std::cerr << gate.str();
  const int code =
      json.contains("expect") ? expectation_exit_code(json) : exit_code_for_report(json);
  return exit_code_with_gate(code, coverage_met);
}

}  // namespace

int do_sweep(const SweepOptions& s, const CommonOptions& o) {
  if (!s.suite.empty()) return do_suite(s, o);
  std::string error;
  SweepPlan plan;
  reports::ReplayContext replay;
  reports::SweepMeta meta;
  if (!make_plan(s, o, plan, replay, meta, error) ||
      !check_writable(OutputPaths{s.report, s.junit, s.html}, error)) {
    std::cerr << "reckon sweep: " << error << "\n";
    return kExitBadInput;
  }
  std::unique_ptr<reports::History> history;
  std::optional<faults::RequiredCoverage> required;
  if (!open_history_and_gate(s, history, required, error)) {
    std::cerr << "reckon sweep: " << error << "\n";
    return kExitBadInput;
  }
  try {
    return sweep_and_report(s, o, plan, replay, meta, history.get(), required);
  } catch (const reports::RunLogError& e) {
    // Nothing half-written: every output is written to FILE.tmp and renamed when whole.
    std::cerr << "reckon sweep: " << e.what() << "\n";
    return kExitBadInput;
  }
}

}  // namespace reckon::cli
