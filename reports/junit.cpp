#include "reports/junit.h"

#include <sstream>

#include "reports/xml_escape.h"

namespace reckon::reports {
namespace {

std::string attr(const std::string& name, const std::string& value) {
  return " " + name + "=\"" + xml_escape(value) + "\"";
}

std::string replay_for(const nlohmann::json& report, uint64_t seed) {
  std::string args;
  if (report.contains("config")) args = report["config"].value("replay_args", "");
  return "reckon run --seed " + std::to_string(seed) + args;
}

void testcase(std::ostream& out, const nlohmann::json& report, const nlohmann::json& run,
              const std::string& classname) {
  const uint64_t seed = run.at("seed").get<uint64_t>();
  out << "    <testcase" << attr("name", "seed " + std::to_string(seed))
      << attr("classname", classname) << ">\n";
  for (const auto& f : run.at("failures")) {
    const std::string property = f.at("property").get<std::string>();
    const std::string payment = f.at("payment").get<std::string>();
    const std::string replay = f.at("replay").get<std::string>();
    out << "      <failure" << attr("type", property)
        << attr("message", property + " seed=" + std::to_string(seed) +
                               (payment.empty() ? "" : " payment=" + payment) + ": " +
                               f.at("detail").get<std::string>())
        << ">"
        << xml_escape("property: " + property + "\nseed: " + std::to_string(seed) + "\npayment: " +
                      payment + "\nat: t=" + std::to_string(f.at("at_us").get<int64_t>()) +
                      "us\ndetail: " + f.at("detail").get<std::string>() + "\nreplay: " + replay)
        << "</failure>\n";
  }
  if (run.contains("determinism") && !run["determinism"].at("deterministic").get<bool>()) {
    const std::string replay = replay_for(report, seed) + " --check-determinism";
    out << "      <failure" << attr("type", "determinism")
        << attr("message", "seed " + std::to_string(seed) + " gave two different trace hashes")
        << ">"
        << xml_escape("trace hashes: " + run.at("trace_hash").get<std::string>() + " / " +
                      run["determinism"].at("second_trace_hash").get<std::string>() +
                      "\nreplay: " + replay)
        << "</failure>\n";
  }
  out << "      <system-out>"
      << xml_escape("trace hash " + run.at("trace_hash").get<std::string>() +
                    "\nreplay: " + replay_for(report, seed))
      << "</system-out>\n";
  out << "    </testcase>\n";
}

// One <testsuite> for one scenario's sweep report. A negative scenario (its report has
// "expect") is one test case: the expected property must have failed on some seed.
void testsuite(std::ostringstream& out, const nlohmann::json& report, const RunLog* runs,
               int& tests, int& failing) {
  const std::string scenario = report.value("scenario", "default");
  const std::string classname = "reckon." + scenario;
  int suite_failing = 0;
  uint64_t suite_tests = run_count(report, runs);
  const bool negative = report.contains("expect");
  if (negative) {
    suite_tests = 1;
    suite_failing = report["expect"].at("met").get<bool>() ? 0 : 1;
  } else {
    for_each_run(report, runs, [&](const nlohmann::json& r) {
      suite_failing += r.at("passed").get<bool>() ? 0 : 1;
    });
  }
  tests += static_cast<int>(suite_tests);
  failing += suite_failing;
  out << "  <testsuite" << attr("name", classname) << attr("tests", std::to_string(suite_tests))
      << attr("failures", std::to_string(suite_failing)) << attr("errors", "0")
      << attr("skipped", "0") << ">\n";
  out << "    <properties>\n";
  const auto& seeds = report.at("seeds");
  out << "      <property" << attr("name", "seeds")
      << attr("value", std::to_string(seeds.at("first").get<uint64_t>()) + ".." +
                           std::to_string(seeds.at("last").get<uint64_t>()))
      << "/>\n";
  out << "      <property" << attr("name", "scenario") << attr("value", scenario) << "/>\n";
  if (report.contains("coverage")) {
    out << "      <property" << attr("name", "unrun_seeds")
        << attr("value", std::to_string(report["coverage"].at("unrun").get<uint64_t>())) << "/>\n";
  }
  if (report.contains("shard")) {
    out << "      <property" << attr("name", "shard")
        << attr("value", std::to_string(report["shard"].at("index").get<uint64_t>()) + "/" +
                             std::to_string(report["shard"].at("count").get<uint64_t>()))
        << "/>\n";
  }
  out << "    </properties>\n";
  if (negative) {
    const std::string property = report["expect"].at("property").get<std::string>();
    out << "    <testcase" << attr("classname", classname)
        << attr("name", "expected failure of " + property) << ">\n";
    if (suite_failing > 0) {
      out << "      <failure" << attr("type", property)
          << attr("message", property + " never failed: the check did not fire") << "/>\n";
    }
    out << "    </testcase>\n";
  } else {
    for_each_run(report, runs,
                 [&](const nlohmann::json& r) { testcase(out, report, r, classname); });
  }
  out << "  </testsuite>\n";
}

std::string render(const std::vector<nlohmann::json>& reports, const RunLog* runs) {
  std::ostringstream suites;
  int tests = 0;
  int failing = 0;
  for (const auto& report : reports) testsuite(suites, report, runs, tests, failing);
  std::ostringstream out;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << "<testsuites" << attr("name", "reckon") << attr("tests", std::to_string(tests))
      << attr("failures", std::to_string(failing)) << attr("errors", "0") << ">\n";
  out << suites.str() << "</testsuites>\n";
  return out.str();
}

}  // namespace

std::string render_junit(const nlohmann::json& report, const RunLog* runs) {
  return render({report}, runs);
}

std::string render_junit_suite(const std::vector<nlohmann::json>& reports) {
  return render(reports, nullptr);
}

}  // namespace reckon::reports
