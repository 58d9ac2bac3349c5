// reckon sweep: a range of seeds, a summary, a JSON report.
#include <cstdio>
#include <fstream>
#include <iostream>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/seed_range.h"

namespace reckon::cli {
namespace {

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

}  // namespace

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

}  // namespace reckon::cli
