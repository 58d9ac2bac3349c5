// The reckon command: parses arguments and dispatches to a subcommand (cli/commands.h).
#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/seed_range.h"

namespace reckon::cli {

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
