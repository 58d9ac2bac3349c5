// The reckon command: parses arguments and dispatches to a subcommand (cli/commands.h).
#include <CLI/CLI.hpp>

#include <iostream>
#include <utility>
#include <vector>

#include "cli/allocator.h"
#include "cli/exit_codes.h"
#include "cli/live_commands.h"
#include "cli/subcommands.h"

namespace reckon::cli {

int main(int argc, char** argv) {
  tune_allocator_for_simulation();
  CLI::App app{"reckon: deterministic simulation testing for payment systems"};
  app.require_subcommand(0, 1);
  std::vector<Subcommand> commands = add_simulation_commands(app);
  add_live_commands(app);
  for (Subcommand& c : add_search_commands(app)) commands.push_back(std::move(c));

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
  for (const Subcommand& c : commands) {
    if (*c.app) return c.run();
  }
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
