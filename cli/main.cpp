// The reckon command: parses arguments and dispatches to a subcommand (cli/commands.h).
#include <CLI/CLI.hpp>

#include <functional>
#include <iostream>

#include "cli/adapter_check_command.h"
#include "cli/allocator.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/live_commands.h"
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

}  // namespace

int main(int argc, char** argv) {
  tune_allocator_for_simulation();
  CLI::App app{"reckon: deterministic simulation testing for payment systems"};
  app.require_subcommand(0, 1);
  CommonOptions run_opts;
  CommonOptions sweep_opts;
  std::string seed_text;
  std::string trace_file;
  SweepOptions sweep_args;
  MergeOptions merge_args;

  auto* run = app.add_subcommand("run", "Run one seed and check every property");
  run->add_option("--seed", seed_text, "The run's seed (unsigned 64-bit)")->required();
  run->add_option("--trace", trace_file, "Write the trace, one event per line, to FILE");
  std::string decisions_file;
  run->add_option("--decisions", decisions_file,
                  "Write the run's fault decisions to FILE (for reckon replay)");
  add_common(run, run_opts);

  auto* sweep = app.add_subcommand("sweep", "Run a range of seeds and report");
  sweep->add_option("--seeds", sweep_args.seeds,
                    "Seed range A..B, inclusive (default: the scenario's, or 1..100)");
  sweep->add_option("--report", sweep_args.report, "Write the JSON report to FILE ('' for none)");
  add_common(sweep, sweep_opts);
  sweep->add_option("--junit", sweep_args.junit, "Also write JUnit XML to FILE");
  sweep->add_option("--suite", sweep_args.suite,
                    "Sweep every scenario of a library folder (fast, slow, negative, regressions)");
  sweep->add_option("--html", sweep_args.html, "Also write a self-contained HTML report to FILE");
  sweep->add_option("--jobs", sweep_args.jobs, "Worker processes on this machine (default 1)")
      ->check(CLI::Range(1, 256));
  sweep->add_option("--budget", sweep_args.budget,
                    "Stop starting seeds after DURATION (e.g. 30s, 5m); exit 4 if seeds are left");
  sweep->add_option("--shard", sweep_args.shard,
                    "Run shard I/N of the range: seeds whose index is I modulo N (0-based)");
  sweep->add_option("--history", sweep_args.history,
                    "Append the results to a history file (SQLite; created if absent)");
  sweep->add_option("--history-label", sweep_args.history_label,
                    "A label recorded with the sweep in --history, e.g. a commit sha");
  sweep->add_option("--require-coverage", sweep_args.require_coverage,
                    "Exit 5 unless every transition (x fault kind) FILE requires occurred");
  sweep->add_flag("--coverage-matrix", sweep_args.coverage_matrix,
                  "Print the transition x fault kind matrix after the summary");

  auto* merge = app.add_subcommand("merge", "Merge shard JSON reports into one report");
  merge->add_option("files", merge_args.inputs, "Shard reports (reckon sweep --shard --report)")
      ->required();
  merge->add_option("--report", merge_args.report, "Write the merged JSON to FILE ('' for none)");
  merge->add_option("--junit", merge_args.junit, "Also write JUnit XML to FILE");
  merge->add_option("--html", merge_args.html, "Also write a self-contained HTML report to FILE");
  merge->add_option("--format", merge_args.format, "Output format")
      ->check(CLI::IsMember({"text", "json"}));
  merge->add_option("--history", merge_args.history,
                    "Append the merged results to a history file (SQLite; created if absent)");
  merge->add_option("--history-label", merge_args.history_label,
                    "A label recorded with the merged sweep in --history, e.g. a commit sha");
  merge->add_option("--require-coverage", merge_args.require_coverage,
                    "Exit 5 unless every transition (x fault kind) FILE requires occurred");
  merge->add_flag("--coverage-matrix", merge_args.coverage_matrix,
                  "Print the transition x fault kind matrix after the summary");

  HistoryOptions history_args;
  auto* history = app.add_subcommand("history", "Recent sweeps and new, known and fixed failures");
  history->add_option("--db", history_args.db, "The history file (sweep --history FILE)")
      ->required();
  history->add_option("--last", history_args.last, "How many recent sweeps to list (default 10)")
      ->check(CLI::Range(1, 1000000));
  history->add_option("--format", history_args.format, "Output format")
      ->check(CLI::IsMember({"text", "json"}));
  history->add_option("--seed", history_args.seed, "Show this seed's record over time");
  history->add_option("--scenario", history_args.scenario, "With --seed: only this scenario");

  auto* bugs = app.add_subcommand("bugs", "List the defects that --plant can plant");

  std::string ledger_db;
  auto* ledger = app.add_subcommand("ledger", "Check an engine database's ledger");
  ledger->require_subcommand(1);
  auto* ledger_verify =
      ledger->add_subcommand("verify", "Check balance, zero sum per currency and the hash chain");
  ledger_verify->add_option("--db", ledger_db, "The engine's SQLite file (opened read-only)")
      ->required();

  std::string audit_db;
  std::string audit_merchant;
  auto* audit = app.add_subcommand(
      "audit", "Print an engine database's audit log (who did what) as JSON lines");
  audit->add_option("--db", audit_db, "The engine's SQLite file (never written)")->required();
  audit->add_option("--merchant", audit_merchant, "Only this merchant's rows");

  ReconcileOptions recon_args;
  auto* reconcile = app.add_subcommand(
      "reconcile", "Reconcile the ledger with PSP settlement reports; book fees and corrections");
  reconcile->add_option("--db", recon_args.db, "The engine's SQLite file")->required();
  reconcile->add_option("--report", recon_args.reports, "A settlement report (CSV); repeatable")
      ->required();
  reconcile->add_option("--format", recon_args.format, "Output format")
      ->check(CLI::IsMember({"text", "json"}));
  reconcile->add_option("--cutoff", recon_args.cutoff, "The PSP's daily cut-off, HH:MM UTC");
  reconcile->add_option("--fee-bps", recon_args.fee_bps, "The agreed capture fee, basis points");
  reconcile->add_option("--clock-tolerance-ms", recon_args.clock_tolerance_ms,
                        "How far the engine's clock may run behind the PSP's: a booking that "
                        "close before a cut-off also counts as the next day's (default 0)");

  ReplayOptions replay_args;
  auto* replay = app.add_subcommand("replay", "Rerun a run from its recorded fault decisions");
  replay
      ->add_option("--decisions", replay_args.decisions,
                   "Decision list written by reckon run --decisions")
      ->required();
  replay->add_option("--trace", replay_args.trace, "Write the trace to FILE");
  replay->add_flag("--print", replay_args.print, "Print the trace readably (ms, node, event)");
  replay->add_option("--node", replay_args.node,
                     "Only this node's lines (engine-0, psp, client-3; 'client-' for all clients)");
  replay->add_option("--payment", replay_args.payment,
                     "Only lines mentioning TEXT (order key like client-2-o1, charge id, PSP key) "
                     "and the receipt of the messages they sent");
  replay->add_option("--from-ms", replay_args.from_ms, "Only lines at or after this virtual time")
      ->check(CLI::NonNegativeNumber);
  replay->add_option("--to-ms", replay_args.to_ms, "Only lines at or before this virtual time")
      ->check(CLI::NonNegativeNumber);

  std::string list_folder;
  auto* list = app.add_subcommand("list", "List the scenario library with descriptions");
  list->add_option("--folder", list_folder, "Only this folder (fast, slow, negative, regressions)");

  CrashpointsOptions crash_args;
  auto* crashpoints = app.add_subcommand(
      "crashpoints", "Rerun a seed once per crash point it passes, crashing the engine there");
  crashpoints->add_option("--seed", crash_args.seed, "The seed")->required();
  crashpoints->add_option("--scenario", crash_args.scenario, "Scenario file or name");
  crashpoints->add_flag("--all-passes", crash_args.all_passes,
                        "Crash at every pass of each point, not only the first");
  crashpoints->add_option("--format", crash_args.format, "Output format")
      ->check(CLI::IsMember({"text", "json"}));

  add_live_commands(app);
  ShrinkOptions shrink_args;
  auto* shrink = add_shrink_command(app, shrink_args);
  AdapterCheckOptions adapter_check_args;
  auto* adapter_check = add_adapter_check_command(app, adapter_check_args);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitBadInput;
  }
  if (*run) {
    auto seed = parse_seed(seed_text);
    if (!seed) {
      std::cerr << "reckon run: --seed '" << seed_text << "': expected an unsigned integer\n";
      return kExitBadInput;
    }
    return with_external_parts("reckon run",
                               [&] { return do_run(*seed, run_opts, trace_file, decisions_file); });
  }
  if (*sweep) {
    return with_external_parts("reckon sweep", [&] { return do_sweep(sweep_args, sweep_opts); });
  }
  if (*merge) return do_merge(merge_args);
  if (*history) return do_history(history_args);
  if (*bugs) return do_bugs();
  if (*ledger) return do_ledger_verify(ledger_db);
  if (*audit) return do_audit(audit_db, audit_merchant);
  if (*reconcile) return do_reconcile(recon_args);
  if (*replay) return do_replay(replay_args);
  if (*list) return do_list(list_folder);
  if (*crashpoints) return do_crashpoints(crash_args);
  if (*shrink) return do_shrink(shrink_args);
  if (*adapter_check) return do_adapter_check(adapter_check_args);
  if (const int code = run_live_command(); code >= 0) return code;
  std::cerr << "reckon: no command given; try reckon --help "
               "(commands: run, sweep, replay, shrink, merge, history, list, crashpoints, bugs, "
               "ledger, audit, "
               "reconcile, adapter-check, serve, psp-sim, load, check-live)\n";
  return kExitBadInput;
}

}  // namespace reckon::cli

int main(int argc, char** argv) {
  return reckon::cli::main(argc, argv);
}
