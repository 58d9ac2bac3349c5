#pragma once
// JUnit XML from a sweep report: one <testcase> per seed (classname reckon.<scenario>,
// name "seed N"), a <failure> per failed property carrying the property as its type, the
// detail, the payment and the replay command, and a "determinism" failure for a seed whose
// two runs differed. Checked against tests/data/junit.xsd by the tests.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/run_log.h"

namespace reckon::reports {

// `runs`: the runs of a report that has no "runs" array (reports/run_log.h).
std::string render_junit(const nlohmann::json& report, const RunLog* runs = nullptr);
// Several scenarios' sweep reports as one document, a <testsuite> each (reckon sweep --suite).
std::string render_junit_suite(const std::vector<nlohmann::json>& reports);

}  // namespace reckon::reports
