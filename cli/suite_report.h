#pragma once
// A suite report (reckon sweep --suite FOLDER, or reckon merge of its shards): one scenario
// report each, combined into {"suite", "passed", "scenarios"}, with the suite's exit code,
// console lines and JUnit / HTML files. Sweep and merge share this, so a merged suite is
// written exactly as a single process writes it.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/report_outputs.h"

namespace reckon::cli {

// The worst outcome across a suite's scenarios: determinism first, then failures (a
// negative scenario fails when its expected property never failed), then the budget.
int suite_exit_code(const std::vector<nlohmann::json>& reports);

// {"schema_version", "suite", "passed", "coverage", "scenarios"}; "coverage" is the transition
// x fault matrix summed over the scenarios that are not negative (reports/transition_matrix.h).
nlohmann::json combine_suite(const std::string& suite, const std::vector<nlohmann::json>& reports);

// One console line for a scenario of the suite, and its failures with replay commands.
void print_suite_line(std::ostream& out, const nlohmann::json& report);

// JSON, JUnit (a <testsuite> per scenario) and HTML (reports/html.h render_suite_html, with
// timelines re-run from each scenario's "config"). False with `error` naming the file.
bool write_suite_outputs(const nlohmann::json& suite, const OutputPaths& paths, std::string& error);

}  // namespace reckon::cli
