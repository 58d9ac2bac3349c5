// reckon merge: shard reports of one sweep into the report of the whole sweep (the same
// JSON a single process writes), plus its JUnit XML and HTML report, and the same summary
// and exit code as the sweep.
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "cli/coverage_gate.h"
#include "cli/exit_codes.h"
#include "cli/history_record.h"
#include "cli/report_outputs.h"
#include "cli/suite_report.h"
#include "reports/console.h"
#include "reports/merge.h"

namespace reckon::cli {
namespace {

// Shards of a suite sweep: the suite report one process writes, with its JUnit and HTML.
int merge_suite(const MergeOptions& m, const std::vector<reports::NamedReport>& inputs,
                reports::History* history, const faults::RequiredCoverage* required) {
  std::string error;
  std::string suite;
  auto merged = reports::merge_suite_reports(inputs, suite, error);
  if (!merged) {
    std::cerr << "reckon merge: " << error << "\n";
    return kExitBadInput;
  }
  nlohmann::json combined = combine_suite(suite, *merged);
  std::ostringstream gate;
  const bool coverage_met =
      required == nullptr ||
      apply_coverage_gate(combined["coverage"], *required, "reckon merge", gate);
  if (history && !record_history(*history, combined, m.history_label, error)) {
    std::cerr << "reckon merge: " << error << "\n";
    return kExitBadInput;
  }
  if (m.format == "json") {
    std::cout << combined.dump(2) << "\n";
  } else {
    std::cout << "suite " << suite << ": " << merged->size() << " scenarios\n";
    for (const auto& r : *merged) print_suite_line(std::cout, r);
    reports::print_coverage_line(std::cout, combined["coverage"]);
    if (m.coverage_matrix) reports::print_transition_matrix(std::cout, combined["coverage"]);
  }
  if (!write_suite_outputs(combined, OutputPaths{m.report, m.junit, m.html}, error)) {
    std::cerr << "reckon merge: " << error << "\n";
    return kExitBadInput;
  }
  const int code = exit_code_with_gate(suite_exit_code(*merged), coverage_met);
  if (m.format == "text") {
    std::cout << "suite " << suite << ": " << (code == kExitPassed ? "PASS" : "FAIL") << "\n";
    if (history) reports::print_history_comparison(std::cout, combined.at("history"));
    for (const auto* path : {&m.report, &m.junit, &m.html}) {
      if (!path->empty()) std::cout << "report written to " << *path << "\n";
    }
  }
  std::cout << std::flush;
  std::cerr << gate.str();
  return code;
}

}  // namespace

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
  std::unique_ptr<reports::History> history;
  if (!m.history.empty() && !(history = open_history_for_sweep(m.history, error))) {
    std::cerr << "reckon merge: " << error << "\n";
    return kExitBadInput;
  }
  std::optional<faults::RequiredCoverage> required;
  if (!m.require_coverage.empty() &&
      !(required = faults::load_required_coverage(m.require_coverage, error))) {
    std::cerr << "reckon merge: --require-coverage " << error << "\n";
    return kExitBadInput;
  }
  if (!inputs.empty() && inputs.front().report.contains("scenarios")) {
    return merge_suite(m, inputs, history.get(), required ? &*required : nullptr);
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
  std::ostringstream gate;
  const bool coverage_met =
      !required || apply_coverage_gate((*merged)["coverage"], *required, "reckon merge", gate);
  if (history && !record_history(*history, *merged, m.history_label, error)) {
    std::cerr << "reckon merge: " << error << "\n";
    return kExitBadInput;
  }
  if (m.format == "json") {
    std::cout << merged->dump(2) << "\n";
  } else {
    reports::print_summary(std::cout, *merged);
    if (m.coverage_matrix) reports::print_transition_matrix(std::cout, merged->at("coverage"));
    if (history) reports::print_history_comparison(std::cout, merged->at("history"));
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
  std::cout << std::flush;
  std::cerr << gate.str();
  return exit_code_with_gate(exit_code_for_report(*merged), coverage_met);
}

}  // namespace reckon::cli
