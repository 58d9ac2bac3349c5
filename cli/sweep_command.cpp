// reckon sweep: a range of seeds (optionally one shard of it, on several cores, within a
// time budget), a summary, and JSON / JUnit / HTML reports.
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "cli/commands.h"
#include "cli/duration.h"
#include "cli/exit_codes.h"
#include "cli/parallel_sweep.h"
#include "cli/report_outputs.h"
#include "cli/seed_range.h"
#include "cli/shard.h"
#include "reports/console.h"

namespace reckon::cli {
namespace {

// Turns the sweep's arguments into a plan; false with `error` naming the bad argument.
bool make_plan(const SweepOptions& s, const CommonOptions& o, SweepPlan& plan,
               reports::ReplayContext& replay, reports::SweepMeta& meta, std::string& error) {
  auto range = parse_seed_range(s.seeds, error);
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
  return true;
}

}  // namespace

int do_sweep(const SweepOptions& s, const CommonOptions& o) {
  std::string error;
  SweepPlan plan;
  reports::ReplayContext replay;
  reports::SweepMeta meta;
  if (!make_plan(s, o, plan, replay, meta, error) ||
      !check_writable(OutputPaths{s.report, s.junit, s.html}, error)) {
    std::cerr << "reckon sweep: " << error << "\n";
    return kExitBadInput;
  }
  const bool text = o.format == "text";
  // Text: progress on stdout (a bar on a terminal, plain lines otherwise). JSON: stdout is
  // the document, so only a terminal on stderr gets a bar.
  std::optional<reports::SweepProgress> progress;
  if (text) {
    progress.emplace(std::cout, ::isatty(STDOUT_FILENO) == 1, plan.count, replay, plan.deadline);
  } else if (::isatty(STDERR_FILENO) == 1) {
    progress.emplace(std::cerr, true, plan.count, replay, plan.deadline);
  }
  auto on_seed = [&](const sim::SeedOutcome& outcome) {
    if (progress) progress->seed_done(outcome);
  };
  PlanResult result = run_plan(plan, on_seed);
  const nlohmann::json json = reports::sweep_json(result.sweep, replay, meta);
  if (progress) progress->finish();
  if (text) {
    reports::print_summary(std::cout, json);
    const double secs = progress->elapsed_seconds();
    char line[128];
    std::snprintf(line, sizeof line, "  wall time        %.1fs, %.1f seeds/s, --jobs %d\n", secs,
                  secs > 0 ? static_cast<double>(result.sweep.seeds.size()) / secs : 0.0, s.jobs);
    std::cout << line;
  } else {
    std::cout << json.dump(2) << "\n";
  }
  if (!write_outputs(json, plan.run, OutputPaths{s.report, s.junit, s.html}, error)) {
    std::cerr << "reckon sweep: " << error << "\n";
    return kExitBadInput;
  }
  if (text) {
    for (const auto* path : {&s.report, &s.junit, &s.html}) {
      if (!path->empty()) std::cout << "report written to " << *path << "\n";
    }
  }
  return exit_code_for_report(json);
}

}  // namespace reckon::cli
