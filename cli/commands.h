#pragma once
// The reckon subcommands. Each returns the process exit code (cli/exit_codes.h).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli/common_options.h"
#include "faults/decision_file.h"

namespace reckon::cli {

// reckon sweep's own options (CommonOptions has those it shares with run).
struct SweepOptions {
  std::string seeds;                          // '' : the scenario's seeds, or 1..100
  std::string report = "reckon-report.json";  // '' for none
  std::string junit;                          // '' for none
  std::string html;                           // '' for none
  int jobs = 1;
  std::string budget;            // '' for none, else a duration (cli/duration.h)
  std::string shard;             // '' for none, else I/N (cli/shard.h)
  std::string suite;             // '' for none, else a library folder: sweep every scenario in it
  std::string history;           // '' for none, else a history SQLite file to append to
  std::string history_label;     // recorded with the sweep, e.g. a commit sha
  std::string require_coverage;  // '' for none, else a required-coverage file (cli/coverage_gate.h)
  bool coverage_matrix = false;  // print the transition x fault matrix after the summary
};

// reckon merge: shard reports in, one report (and its JUnit / HTML) out.
struct MergeOptions {
  std::vector<std::string> inputs;
  std::string report = "reckon-report.json";
  std::string junit;
  std::string html;
  std::string format = "text";
  std::string history;  // record the merged result (cli/history_record.h)
  std::string history_label;
  std::string require_coverage;  // as for sweep
  bool coverage_matrix = false;
};

// reckon history (cli/history_command.cpp): 0 shown, 2 bad input (missing file, not a
// history database, another schema version).
struct HistoryOptions {
  std::string db;
  int last = 10;
  std::string format = "text";
  std::string seed;      // '' : the sweeps and the latest comparison; else this seed's record
  std::string scenario;  // with --seed: only this scenario
};
int do_history(const HistoryOptions& o);

int do_run(uint64_t seed, const CommonOptions& o, const std::string& trace_file,
           const std::string& decisions_file);
int do_sweep(const SweepOptions& s, const CommonOptions& o);
int do_merge(const MergeOptions& m);
int do_bugs();

struct CrashpointsOptions {
  std::string seed;
  std::string scenario;
  std::string format = "text";
  bool all_passes = false;
};

struct ReplayOptions {
  std::string decisions;
  std::string trace;
  bool print = false;  // print the trace readably (implied by any filter below)
  std::string node;
  std::string payment;
  std::optional<int64_t> from_ms;
  std::optional<int64_t> to_ms;
};

int do_list(const std::string& folder);
int do_replay(const ReplayOptions& o);
// The run a decision file describes, in replay mode (cli/replay_command.cpp).
std::optional<sim::RunConfig> run_config_from_decisions(const faults::DecisionFile& f,
                                                        std::string& error);

// reckon shrink (cli/shrink_command.cpp): 0 a shrunk reproduction was written, 1 the run does
// not fail (nothing to shrink), 2 bad input.
struct ShrinkOptions {
  std::string seed;
  std::string decisions;  // a decision file instead of --seed
  CommonOptions run;      // scenario, plants, clients, payments, swarm, format
  std::string property;   // '' : the first property that failed
  std::string out;        // '' : shrunk-<seed>.toml
  std::string budget;     // '' : none
};
int do_shrink(const ShrinkOptions& o);
CLI::App* add_shrink_command(CLI::App& app, ShrinkOptions& o);
// Writes a run's decision list for `reckon replay`.
bool write_decisions(const std::string& path, const sim::RunResult& r, const CommonOptions& o,
                     std::string& error);
int do_crashpoints(const CrashpointsOptions& o);
// reckon ledger verify --db FILE: 0 ok, 1 bad ledger, 2 bad input (cli/ledger_command.cpp).
int do_ledger_verify(const std::string& db_path);
// reckon audit --db FILE [--merchant M]: the audit log as JSON lines, oldest first; 0 ok,
// 2 bad input (cli/audit_command.cpp).
int do_audit(const std::string& db_path, const std::string& merchant);

// reckon reconcile (cli/reconcile_command.cpp): 0 ran (discrepancies in the output), 1 the
// job failed and booked nothing, 2 bad input (malformed report, missing database).
struct ReconcileOptions {
  std::string db;
  std::vector<std::string> reports;
  std::string format = "text";
  std::string cutoff = "22:00";
  int64_t fee_bps = 290;
  int64_t clock_tolerance_ms = 0;  // how far the engine's clock may run behind the PSP's
};
int do_reconcile(const ReconcileOptions& o);

}  // namespace reckon::cli
