#include "cli/scenario_select.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "sim/scenario_run.h"

namespace reckon::cli {
namespace {

namespace fs = std::filesystem;

constexpr const char* kFolders[] = {"fast", "slow", "negative", "regressions"};

std::optional<faults::Scenario> load(const fs::path& path, std::string& error) {
  faults::ScenarioError e;
  auto s = faults::load_scenario(path.string(), e);
  if (!s) error = e.str();
  return s;
}

}  // namespace

std::string scenarios_dir() {
  if (const char* env = std::getenv("RECKON_SCENARIOS_DIR"); env && *env) return env;
  if (fs::is_directory(RECKON_SOURCE_SCENARIOS_DIR)) return RECKON_SOURCE_SCENARIOS_DIR;
  return "scenarios";
}

std::optional<std::vector<LibraryEntry>> load_library(const std::string& folder,
                                                      std::string& error) {
  const fs::path root = scenarios_dir();
  if (!fs::is_directory(root)) {
    error = "no scenario library at '" + root.string() + "' (set RECKON_SCENARIOS_DIR)";
    return std::nullopt;
  }
  std::vector<LibraryEntry> out;
  for (const char* f : kFolders) {
    if (!folder.empty() && folder != f) continue;
    if (!fs::is_directory(root / f)) continue;
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(root / f)) {
      if (entry.path().extension() == ".toml") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& path : files) {
      auto s = load(path, error);
      if (!s) return std::nullopt;
      out.push_back(LibraryEntry{f, std::move(*s)});
    }
  }
  if (!folder.empty() &&
      std::find(std::begin(kFolders), std::end(kFolders), folder) == std::end(kFolders)) {
    error = "no scenario folder '" + folder + "' (fast, slow, negative, regressions)";
    return std::nullopt;
  }
  return out;
}

std::optional<faults::Scenario> resolve_scenario(const std::string& arg, std::string& error) {
  if (arg.ends_with(".toml") || fs::is_regular_file(arg)) {
    if (!fs::is_regular_file(arg)) {
      error = "--scenario '" + arg + "': no such file";
      return std::nullopt;
    }
    return load(arg, error);
  }
  const fs::path root = scenarios_dir();
  std::vector<fs::path> matches;
  if (arg.find('/') != std::string::npos) {
    if (fs::is_regular_file(root / (arg + ".toml"))) matches.push_back(root / (arg + ".toml"));
  } else {
    for (const char* f : kFolders) {
      if (fs::is_regular_file(root / f / (arg + ".toml"))) {
        matches.push_back(root / f / (arg + ".toml"));
      }
    }
  }
  if (matches.empty()) {
    error = "--scenario '" + arg + "': no such file, and no scenario of that name in " +
            root.string() + " (reckon list shows them)";
    return std::nullopt;
  }
  if (matches.size() > 1) {
    error = "--scenario '" + arg + "' is ambiguous: name it as folder/name";
    return std::nullopt;
  }
  return load(matches.front(), error);
}

std::optional<sim::RunConfig> scenario_run_config(const faults::Scenario& s, std::string& error) {
  faults::ScenarioError e;
  auto config = sim::run_config_for(s, e);
  if (!config) error = e.str();
  return config;
}

}  // namespace reckon::cli
