#pragma once
// reckon's subcommands other than the live ones (cli/live_commands.h): each registers its
// options on the app and says how to run it once the arguments are parsed.

#include <functional>
#include <vector>

namespace CLI {
class App;
}

namespace reckon::cli {

struct Subcommand {
  CLI::App* app = nullptr;  // parsed when *app is true
  std::function<int()> run;
};

// Registers, in the order `reckon --help` lists them: run, sweep, merge, history, bugs,
// ledger, audit, reconcile, replay, list and crashpoints.
std::vector<Subcommand> add_simulation_commands(CLI::App& app);
// Registers shrink and adapter-check (listed after the live commands).
std::vector<Subcommand> add_search_commands(CLI::App& app);

}  // namespace reckon::cli
