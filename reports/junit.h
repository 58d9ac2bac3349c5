#pragma once
// JUnit XML from a sweep report: one <testcase> per seed (classname reckon.<scenario>,
// name "seed N"), a <failure> per failed property carrying the property as its type, the
// detail, the payment and the replay command, and a "determinism" failure for a seed whose
// two runs differed. Checked against tests/data/junit.xsd by the tests.

#include <string>

#include <nlohmann/json.hpp>

namespace reckon::reports {

std::string render_junit(const nlohmann::json& report);

}  // namespace reckon::reports
