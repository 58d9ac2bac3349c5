#pragma once
// Options shared by the commands that run seeds (run, sweep), and how they become a
// RunConfig plus the arguments a replay command must repeat.

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "reports/report.h"
#include "sim/run_types.h"
#include "sim/sweep.h"

namespace reckon::cli {

struct CommonOptions {
  std::string format = "text";
  std::vector<std::string> plants;
  bool check_determinism = false;
  int clients = 4;
  int payments = 5;
  std::string scenario;  // a scenario file or library name; empty: the default run
  // Whether --clients / --payments were given: only then do they override a scenario.
  bool swarm = false;  // every seed switches a random subset of the plan's fault kinds on
  bool clients_given = false;
  bool payments_given = false;
  // An external PSP adapter's command (docs/adapters.md, "Inside the simulation"); empty:
  // the engine calls the simulated PSP itself.
  std::string adapter;
};

void add_common(CLI::App* cmd, CommonOptions& o);
// `text` as one POSIX shell word (single-quoted), for the commands reports print.
std::string shell_quoted(const std::string& text);
// Builds the run config from the options; returns false with `error` set on bad input.
bool build_run_config(const CommonOptions& o, sim::RunConfig& run, reports::ReplayContext& replay,
                      std::string& error);
// The seed range a sweep runs when --seeds is not given: the scenario's, or 1..100.
std::string default_seeds(const CommonOptions& o);
// The exit code a set of seed outcomes earns (cli/exit_codes.h).
int exit_code_for(const sim::SweepResult& sweep);
// The exit code a sweep report earns: 3 if a seed was nondeterministic, else 1 if a property
// failed, else 4 if seeds were left unrun (--budget), else 0.
int exit_code_for_report(const nlohmann::json& report);

// The options as the report's "config" object (docs/report-format.md), and back: `reckon
// merge` rebuilds the run config from it to re-run failing seeds for the HTML report.
nlohmann::json config_json(const CommonOptions& o, const reports::ReplayContext& replay);
bool options_from_config(const nlohmann::json& config, CommonOptions& o, std::string& error);

}  // namespace reckon::cli
