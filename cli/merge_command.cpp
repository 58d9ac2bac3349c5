// reckon merge: shard reports of one sweep into the report of the whole sweep (the same
// JSON a single process writes), plus its JUnit XML and HTML report, and the same summary
// and exit code as the sweep.
#include <fstream>
#include <iostream>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/report_outputs.h"
#include "reports/console.h"
#include "reports/merge.h"

namespace reckon::cli {

int do_merge(const MergeOptions& m) {
  std::string error;
  if (!check_writable(OutputPaths{m.report, m.junit, m.html}, error)) {
    std::cerr << "reckon merge: " << error << "\n";
    return kExitBadInput;
  }
  std::vector<reports::NamedReport> inputs;
  for (const auto& path : m.inputs) {
    std::ifstream in(path);
    if (!in) {
      std::cerr << "reckon merge: cannot read '" << path << "'\n";
      return kExitBadInput;
    }
    auto json = nlohmann::json::parse(in, nullptr, false);
    if (json.is_discarded() || !json.is_object()) {
      std::cerr << "reckon merge: '" << path << "' is not a JSON object\n";
      return kExitBadInput;
    }
    inputs.push_back({path, std::move(json)});
  }
  auto merged = reports::merge_reports(inputs, error);
  CommonOptions options;
  sim::RunConfig run;
  reports::ReplayContext replay;
  if (!merged || !options_from_config(merged->at("config"), options, error) ||
      !build_run_config(options, run, replay, error)) {
    std::cerr << "reckon merge: " << error << "\n";
    return kExitBadInput;
  }
  if (m.format == "json") {
    std::cout << merged->dump(2) << "\n";
  } else {
    reports::print_summary(std::cout, *merged);
  }
  if (!write_outputs(*merged, run, OutputPaths{m.report, m.junit, m.html}, error)) {
    std::cerr << "reckon merge: " << error << "\n";
    return kExitBadInput;
  }
  if (m.format == "text") {
    for (const auto* path : {&m.report, &m.junit, &m.html}) {
      if (!path->empty()) std::cout << "report written to " << *path << "\n";
    }
  }
  return exit_code_for_report(*merged);
}

}  // namespace reckon::cli
