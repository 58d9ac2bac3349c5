// reckon run: one seed, every property, the trace hash.
#include <fstream>
#include <iostream>

#include "cli/commands.h"
#include "cli/exit_codes.h"

namespace reckon::cli {

int do_run(uint64_t seed, const CommonOptions& o, const std::string& trace_file,
           const std::string& decisions_file) {
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
  if (!decisions_file.empty() && !write_decisions(decisions_file, outcome.result, o, error)) {
    std::cerr << "reckon run: " << error << "\n";
    return kExitBadInput;
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

}  // namespace reckon::cli
