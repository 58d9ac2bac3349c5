#include "cli/subcommands.h"

#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>
#include <string>

#include "cli/adapter_check_command.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/seed_range.h"
#include "sim/psp_route.h"

namespace reckon::cli {
namespace {

// Runs a simulation command; an external part of the run (an adapter) that broke its
// contract ends it with exit 2 and the part's message and problem, as adapter-check does.
int with_external_parts(const char* command, const std::function<int()>& body) {
  try {
    return body();
  } catch (const sim::ExternalPartError& e) {
    std::cerr << command << ": adapter: " << e.what() << "\n";
    return kExitBadInput;
  }
}

Subcommand add_run(CLI::App& app) {
  struct Options {
    CommonOptions common;
    std::string seed;
    std::string trace_file;
    std::string decisions_file;
  };
  auto o = std::make_shared<Options>();
  auto* run = app.add_subcommand("run", "Run one seed and check every property");
  run->add_option("--seed", o->seed, "The run's seed (unsigned 64-bit)")->required();
  run->add_option("--trace", o->trace_file, "Write the trace, one event per line, to FILE");
  run->add_option("--decisions", o->decisions_file,
                  "Write the run's fault decisions to FILE (for reckon replay)");
  add_common(run, o->common);
  return {run, [o] {
            auto seed = parse_seed(o->seed);
            if (!seed) {
              std::cerr << "reckon run: --seed '" << o->seed << "': expected an unsigned integer\n";
              return kExitBadInput;
            }
            return with_external_parts("reckon run", [&] {
              return do_run(*seed, o->common, o->trace_file, o->decisions_file);
            });
          }};
}

Subcommand add_sweep(CLI::App& app) {
  struct Options {
    CommonOptions common;
    SweepOptions sweep;
  };
  auto o = std::make_shared<Options>();
  SweepOptions& s = o->sweep;
  auto* sweep = app.add_subcommand("sweep", "Run a range of seeds and report");
  sweep->add_option("--seeds", s.seeds,
                    "Seed range A..B, inclusive (default: the scenario's, or 1..100)");
  sweep->add_option("--report", s.report, "Write the JSON report to FILE ('' for none)");
  add_common(sweep, o->common);
  sweep->add_option("--junit", s.junit, "Also write JUnit XML to FILE");
  sweep->add_option("--suite", s.suite,
                    "Sweep every scenario of a library folder (fast, slow, negative, regressions)");
  sweep->add_option("--html", s.html, "Also write a self-contained HTML report to FILE");
  sweep->add_option("--jobs", s.jobs, "Worker processes on this machine (default 1)")
      ->check(CLI::Range(1, 256));
  sweep->add_option("--budget", s.budget,
                    "Stop starting seeds after DURATION (e.g. 30s, 5m); exit 4 if seeds are left");
  sweep->add_option("--shard", s.shard,
                    "Run shard I/N of the range: seeds whose index is I modulo N (0-based)");
  sweep->add_option("--history", s.history,
                    "Append the results to a history file (SQLite; created if absent)");
  sweep->add_option("--history-label", s.history_label,
                    "A label recorded with the sweep in --history, e.g. a commit sha");
  sweep->add_option("--require-coverage", s.require_coverage,
                    "Exit 5 unless every transition (x fault kind) FILE requires occurred");
  sweep->add_flag("--coverage-matrix", s.coverage_matrix,
                  "Print the transition x fault kind matrix after the summary");
  return {sweep, [o] {
            return with_external_parts("reckon sweep",
                                       [&] { return do_sweep(o->sweep, o->common); });
          }};
}

Subcommand add_merge(CLI::App& app) {
  auto o = std::make_shared<MergeOptions>();
  auto* merge = app.add_subcommand("merge", "Merge shard JSON reports into one report");
  merge->add_option("files", o->inputs, "Shard reports (reckon sweep --shard --report)")
      ->required();
  merge->add_option("--report", o->report, "Write the merged JSON to FILE ('' for none)");
  merge->add_option("--junit", o->junit, "Also write JUnit XML to FILE");
  merge->add_option("--html", o->html, "Also write a self-contained HTML report to FILE");
  merge->add_option("--format", o->format, "Output format")->check(CLI::IsMember({"text", "json"}));
  merge->add_option("--history", o->history,
                    "Append the merged results to a history file (SQLite; created if absent)");
  merge->add_option("--history-label", o->history_label,
                    "A label recorded with the merged sweep in --history, e.g. a commit sha");
  merge->add_option("--require-coverage", o->require_coverage,
                    "Exit 5 unless every transition (x fault kind) FILE requires occurred");
  merge->add_flag("--coverage-matrix", o->coverage_matrix,
                  "Print the transition x fault kind matrix after the summary");
  return {merge, [o] { return do_merge(*o); }};
}

Subcommand add_history(CLI::App& app) {
  auto o = std::make_shared<HistoryOptions>();
  auto* history = app.add_subcommand("history", "Recent sweeps and new, known and fixed failures");
  history->add_option("--db", o->db, "The history file (sweep --history FILE)")->required();
  history->add_option("--last", o->last, "How many recent sweeps to list (default 10)")
      ->check(CLI::Range(1, 1000000));
  history->add_option("--format", o->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}));
  history->add_option("--seed", o->seed, "Show this seed's record over time");
  history->add_option("--scenario", o->scenario, "With --seed: only this scenario");
  return {history, [o] { return do_history(*o); }};
}

Subcommand add_ledger(CLI::App& app) {
  auto db = std::make_shared<std::string>();
  auto* ledger = app.add_subcommand("ledger", "Check an engine database's ledger");
  ledger->require_subcommand(1);
  auto* verify =
      ledger->add_subcommand("verify", "Check balance, zero sum per currency and the hash chain");
  verify->add_option("--db", *db, "The engine's SQLite file (opened read-only)")->required();
  return {ledger, [db] { return do_ledger_verify(*db); }};
}

Subcommand add_audit(CLI::App& app) {
  struct Options {
    std::string db;
    std::string merchant;
  };
  auto o = std::make_shared<Options>();
  auto* audit = app.add_subcommand(
      "audit", "Print an engine database's audit log (who did what) as JSON lines");
  audit->add_option("--db", o->db, "The engine's SQLite file (never written)")->required();
  audit->add_option("--merchant", o->merchant, "Only this merchant's rows");
  return {audit, [o] { return do_audit(o->db, o->merchant); }};
}

Subcommand add_reconcile(CLI::App& app) {
  auto o = std::make_shared<ReconcileOptions>();
  auto* reconcile = app.add_subcommand(
      "reconcile", "Reconcile the ledger with PSP settlement reports; book fees and corrections");
  reconcile->add_option("--db", o->db, "The engine's SQLite file")->required();
  reconcile->add_option("--report", o->reports, "A settlement report (CSV); repeatable")
      ->required();
  reconcile->add_option("--format", o->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}));
  reconcile->add_option("--cutoff", o->cutoff, "The PSP's daily cut-off, HH:MM UTC");
  reconcile->add_option("--fee-bps", o->fee_bps, "The agreed capture fee, basis points");
  reconcile->add_option("--clock-tolerance-ms", o->clock_tolerance_ms,
                        "How far the engine's clock may run behind the PSP's: a booking that "
                        "close before a cut-off also counts as the next day's (default 0)");
  return {reconcile, [o] { return do_reconcile(*o); }};
}

Subcommand add_replay(CLI::App& app) {
  auto o = std::make_shared<ReplayOptions>();
  auto* replay = app.add_subcommand("replay", "Rerun a run from its recorded fault decisions");
  replay->add_option("--decisions", o->decisions, "Decision list written by reckon run --decisions")
      ->required();
  replay->add_option("--trace", o->trace, "Write the trace to FILE");
  replay->add_flag("--print", o->print, "Print the trace readably (ms, node, event)");
  replay->add_option("--node", o->node,
                     "Only this node's lines (engine-0, psp, client-3; 'client-' for all clients)");
  replay->add_option(
      "--payment", o->payment,
      "Only lines mentioning TEXT (card token like tok_c2_o1, order key like till-1-o1, "
      "charge id, PSP key) "
      "and the receipt of the messages they sent");
  replay->add_option("--from-ms", o->from_ms, "Only lines at or after this virtual time")
      ->check(CLI::NonNegativeNumber);
  replay->add_option("--to-ms", o->to_ms, "Only lines at or before this virtual time")
      ->check(CLI::NonNegativeNumber);
  return {replay,
          [o] { return with_external_parts("reckon replay", [&] { return do_replay(*o); }); }};
}

Subcommand add_list(CLI::App& app) {
  auto folder = std::make_shared<std::string>();
  auto* list = app.add_subcommand("list", "List the scenario library with descriptions");
  list->add_option("--folder", *folder, "Only this folder (fast, slow, negative, regressions)");
  return {list, [folder] { return do_list(*folder); }};
}

Subcommand add_crashpoints(CLI::App& app) {
  auto o = std::make_shared<CrashpointsOptions>();
  auto* crashpoints = app.add_subcommand(
      "crashpoints", "Rerun a seed once per crash point it passes, crashing the engine there");
  crashpoints->add_option("--seed", o->seed, "The seed")->required();
  crashpoints->add_option("--scenario", o->scenario, "Scenario file or name");
  crashpoints->add_flag("--all-passes", o->all_passes,
                        "Crash at every pass of each point, not only the first");
  crashpoints->add_option("--format", o->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}));
  return {crashpoints, [o] { return do_crashpoints(*o); }};
}

}  // namespace

std::vector<Subcommand> add_simulation_commands(CLI::App& app) {
  std::vector<Subcommand> out;
  out.push_back(add_run(app));
  out.push_back(add_sweep(app));
  out.push_back(add_merge(app));
  out.push_back(add_history(app));
  out.push_back({app.add_subcommand("bugs", "List the defects that --plant can plant"),
                 [] { return do_bugs(); }});
  out.push_back(add_ledger(app));
  out.push_back(add_audit(app));
  out.push_back(add_reconcile(app));
  out.push_back(add_replay(app));
  out.push_back(add_list(app));
  out.push_back(add_crashpoints(app));
  return out;
}

std::vector<Subcommand> add_search_commands(CLI::App& app) {
  auto shrink = std::make_shared<ShrinkOptions>();
  auto check = std::make_shared<AdapterCheckOptions>();
  return {{add_shrink_command(app, *shrink),
           [shrink] {
             return with_external_parts("reckon shrink", [&] { return do_shrink(*shrink); });
           }},
          {add_adapter_check_command(app, *check), [check] { return do_adapter_check(*check); }}};
}

}  // namespace reckon::cli
