#pragma once
// Finding scenario files: by path, or by name inside the scenario library
// ($RECKON_SCENARIOS_DIR, else the source tree's scenarios/, else ./scenarios).

#include <optional>
#include <string>
#include <vector>

#include "faults/scenario.h"
#include "sim/run_types.h"

namespace reckon::cli {

std::string scenarios_dir();

struct LibraryEntry {
  std::string folder;  // fast, slow, negative, regressions
  faults::Scenario scenario;
};

// Every scenario in the library (optionally one folder), sorted by folder then name. Stops
// at the first file that does not parse and sets `error` naming it.
std::optional<std::vector<LibraryEntry>> load_library(const std::string& folder,
                                                      std::string& error);

// `arg` is a path to a .toml file, "folder/name", or a bare name found in the library.
std::optional<faults::Scenario> resolve_scenario(const std::string& arg, std::string& error);

// The scenario as a RunConfig, or an error naming file, line and key.
std::optional<sim::RunConfig> scenario_run_config(const faults::Scenario& s, std::string& error);

}  // namespace reckon::cli
