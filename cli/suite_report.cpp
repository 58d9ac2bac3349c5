#include "cli/suite_report.h"

#include <algorithm>
#include <iostream>

#include "cli/common_options.h"
#include "cli/exit_codes.h"
#include "reports/junit.h"
#include "reports/transition_matrix.h"

namespace reckon::cli {
namespace {

int expectation_exit_code_quiet(const nlohmann::json& json) {
  return json.at("expect").at("met").get<bool>() ? kExitPassed : kExitPropertyFailed;
}

}  // namespace

int suite_exit_code(const std::vector<nlohmann::json>& reports) {
  int code = kExitPassed;
  for (const auto& r : reports) {
    if (r.at("nondeterministic_seeds").get<int>() > 0) return kExitNondeterministic;
    const int c = r.contains("expect") ? expectation_exit_code_quiet(r) : exit_code_for_report(r);
    if (c == kExitPropertyFailed) code = c;  // a failure outranks the budget
    if (c != kExitPassed && code == kExitPassed) code = c;
  }
  return code;
}

nlohmann::json combine_suite(const std::string& suite, const std::vector<nlohmann::json>& reports) {
  // A negative scenario runs a planted defect: its transitions are not the engine's.
  reports::TransitionMatrix matrix;
  int counted = 0;
  for (const auto& r : reports) {
    if (r.contains("expect") || !r.contains("coverage")) continue;
    matrix.add_coverage(r.at("coverage"));
    ++counted;
  }
  nlohmann::json coverage = matrix.to_json();
  coverage["scenarios"] = counted;
  return {{"schema_version", reports.front().at("schema_version")},
          {"suite", suite},
          {"passed", suite_exit_code(reports) == kExitPassed},
          {"coverage", coverage},
          {"scenarios", reports}};
}

void print_suite_line(std::ostream& out, const nlohmann::json& r) {
  const auto& seeds = r.at("seeds");
  std::string name = r.value("scenario", "default");
  name.resize(std::max<size_t>(name.size(), 34), ' ');
  std::string verdict;
  if (r.contains("expect")) {
    verdict =
        r["expect"].at("met").get<bool>()
            ? "pass (expected " + r["expect"].at("property").get<std::string>() + " caught)"
            : "FAIL (expected " + r["expect"].at("property").get<std::string>() + " never failed)";
  } else {
    const int failed = r.at("failed_seeds").get<int>();
    verdict = failed == 0 ? "pass" : "FAIL (" + std::to_string(failed) + " seeds)";
  }
  out << "  " << name << " seeds " << seeds.at("first").get<uint64_t>() << ".."
      << seeds.at("last").get<uint64_t>() << "  " << verdict << "\n";
  if (r.contains("expect")) return;
  for (const auto& f : r.at("failures")) {
    out << "    FAILED " << f.at("property").get<std::string>()
        << " seed=" << f.at("seed").get<uint64_t>() << ": " << f.at("detail").get<std::string>()
        << "\n      replay: " << f.at("replay").get<std::string>() << "\n";
  }
}

bool write_suite_outputs(const nlohmann::json& suite, const OutputPaths& paths,
                         std::string& error) {
  const std::vector<nlohmann::json> reports =
      suite.at("scenarios").get<std::vector<nlohmann::json>>();
  if (!paths.json.empty() && !write_file_atomically(paths.json, suite.dump(2) + "\n")) {
    error = "cannot write report to '" + paths.json + "'";
    return false;
  }
  if (!paths.junit.empty() &&
      !write_file_atomically(paths.junit, reports::render_junit_suite(reports))) {
    error = "cannot write --junit file '" + paths.junit + "'";
    return false;
  }
  if (paths.html.empty()) return true;
  std::vector<std::map<uint64_t, reports::SeedTrace>> traces;
  for (const auto& r : reports) {
    CommonOptions options;
    sim::RunConfig run;
    reports::ReplayContext replay;
    if (!options_from_config(r.at("config"), options, error) ||
        !build_run_config(options, run, replay, error)) {
      error = r.value("scenario", "default") + ": " + error;
      return false;
    }
    // A negative scenario fails by design: one drawn seed shows the check firing.
    traces.push_back(failing_traces(r, run, r.contains("expect") ? 1 : kMaxHtmlTimelines));
  }
  if (!write_file_atomically(paths.html, reports::render_suite_html(suite, traces))) {
    error = "cannot write --html file '" + paths.html + "'";
    return false;
  }
  return true;
}

}  // namespace reckon::cli
