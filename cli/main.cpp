// The reckon command: run one seed, or sweep a range of seeds, and report.
#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>

#include "cli/exit_codes.h"
#include "cli/seed_range.h"
#include "engine/planted.h"
#include "reports/report.h"
#include "sim/sweep.h"

namespace reckon::cli {
namespace {

struct CommonOptions {
  std::string format = "text";
  std::vector<std::string> plants;
  bool check_determinism = false;
  int clients = 4;
  int payments = 5;
};

void add_common(CLI::App* cmd, CommonOptions& o) {
  cmd->add_option("--format", o.format, "Output format")->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--plant", o.plants,
                  "Plant a known engine defect (repeatable); `reckon bugs` lists them");
  cmd->add_flag("--check-determinism", o.check_determinism,
                "Run each seed twice and compare trace hashes");
  cmd->add_option("--clients", o.clients, "Merchant clients per run")->check(CLI::Range(1, 1000));
  cmd->add_option("--payments", o.payments, "Orders per client")->check(CLI::Range(1, 100000));
}

// Builds the run config from the options; returns false with `error` set on bad input.
bool build_run_config(const CommonOptions& o, sim::RunConfig& run, reports::ReplayContext& replay,
                      std::string& error) {
  run.clients = o.clients;
  run.client.payments = o.payments;
  for (const auto& name : o.plants) {
    auto defect = engine::find_defect(name);
    if (!defect) {
      error = "--plant '" + name + "': no such defect; `reckon bugs` lists them";
      return false;
    }
    run.planted.plant(*defect);
    replay.extra_args += " --plant " + name;
  }
  if (o.clients != 4) replay.extra_args += " --clients " + std::to_string(o.clients);
  if (o.payments != 5) replay.extra_args += " --payments " + std::to_string(o.payments);
  return true;
}

int exit_code_for(const sim::SweepResult& sweep) {
  if (sweep.nondeterministic_seeds() > 0) return kExitNondeterministic;
  if (sweep.failed_seeds() > 0) return kExitPropertyFailed;
  return kExitPassed;
}

int do_run(uint64_t seed, const CommonOptions& o, const std::string& trace_file) {
  sim::RunConfig run;
  reports::ReplayContext replay;
  std::string error;
  if (!build_run_config(o, run, replay, error)) {
    std::cerr << "reckon run: " << error << "\n";
    return kExitBadInput;
  }
  run.seed = seed;
  run.keep_trace = !trace_file.empty();
  sim::SeedOutcome outcome = sim::run_seed(run, o.check_determinism);
  if (!trace_file.empty()) {
    std::ofstream out(trace_file, std::ios::trunc);
    for (const auto& line : outcome.result.trace) out << line << '\n';
    if (!out) {
      std::cerr << "reckon run: cannot write trace to '" << trace_file << "'\n";
      return kExitBadInput;
    }
  }
  if (o.format == "json") {
    std::cout << reports::run_json(outcome, replay).dump(2) << "\n";
  } else {
    reports::print_run(std::cout, outcome, replay);
  }
  sim::SweepResult one;
  one.seeds.push_back(std::move(outcome));
  return exit_code_for(one);
}

// Writes the report next to its final name and renames it, so a reader never sees half.
bool write_report(const std::string& path, const nlohmann::json& report) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << report.dump(2) << "\n";
    if (!out) return false;
  }
  return std::rename(tmp.c_str(), path.c_str()) == 0;
}

int do_sweep(const std::string& seeds_text, const CommonOptions& o, const std::string& report) {
  std::string error;
  auto range = parse_seed_range(seeds_text, error);
  sim::SweepConfig config;
  reports::ReplayContext replay;
  if (!range || !build_run_config(o, config.run, replay, error)) {
    std::cerr << "reckon sweep: " << error << "\n";
    return kExitBadInput;
  }
  config.first_seed = range->first;
  config.last_seed = range->last;
  config.check_determinism = o.check_determinism;
  const bool text = o.format == "text";
  auto progress = [&](const sim::SeedOutcome& s) {
    if (!text) return;
    const bool ok = s.result.passed() && s.deterministic;
    std::cout << "seed " << s.result.seed << " " << (ok ? "pass" : "FAIL") << " hash "
              << s.result.trace_hash << "\n";
  };
  sim::SweepResult sweep = sim::run_sweep(config, progress);
  nlohmann::json json = reports::sweep_json(sweep, replay, range->first, range->last);
  if (text) {
    reports::print_sweep_summary(std::cout, sweep, replay);
  } else {
    std::cout << json.dump(2) << "\n";
  }
  if (!report.empty()) {
    if (!write_report(report, json)) {
      std::cerr << "reckon sweep: cannot write report to '" << report << "'\n";
      return kExitBadInput;
    }
    if (text) std::cout << "report written to " << report << "\n";
  }
  return exit_code_for(sweep);
}

int do_bugs() {
  for (const auto& d : engine::all_defects()) {
    std::cout << d.name << "\n  caught by: " << d.caught_by << "\n  " << d.description << "\n";
  }
  return kExitPassed;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"reckon: deterministic simulation testing for payment systems"};
  app.require_subcommand(0, 1);
  CommonOptions run_opts;
  CommonOptions sweep_opts;
  std::string seed_text;
  std::string trace_file;
  std::string seeds = "1..100";
  std::string report = "reckon-report.json";

  auto* run = app.add_subcommand("run", "Run one seed and check every property");
  run->add_option("--seed", seed_text, "The run's seed (unsigned 64-bit)")->required();
  run->add_option("--trace", trace_file, "Write the trace, one event per line, to FILE");
  add_common(run, run_opts);

  auto* sweep = app.add_subcommand("sweep", "Run a range of seeds and report");
  sweep->add_option("--seeds", seeds, "Seed range A..B, inclusive (default 1..100)");
  sweep->add_option("--report", report, "Write the JSON report to FILE ('' for none)");
  add_common(sweep, sweep_opts);

  auto* bugs = app.add_subcommand("bugs", "List the defects that --plant can plant");

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
    return do_run(*seed, run_opts, trace_file);
  }
  if (*sweep) return do_sweep(seeds, sweep_opts, report);
  if (*bugs) return do_bugs();
  std::cerr << "reckon: no command given; try reckon --help (commands: run, sweep, bugs)\n";
  return kExitBadInput;
}

}  // namespace reckon::cli

int main(int argc, char** argv) {
  return reckon::cli::main(argc, argv);
}
