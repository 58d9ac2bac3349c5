// Suite sweeps (reckon sweep --suite) as reports: shards of a suite merge into the report one
// process writes, byte for byte, with the same JUnit and HTML; and the suite's HTML file has
// a table of its scenarios and each scenario's failing seeds with the single-scenario views.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>

#include "tests/support/run_reckon.h"

namespace reckon {
namespace {

using reckon::testing::read_file;
using reckon::testing::run_reckon;
using reckon::testing::temp_path;

// The negative suite: every scenario plants a defect, so there are failures to draw, and each
// has an expectation that the merge must recompute.
constexpr const char* kSuite = "sweep --suite negative --seeds 1..5";

TEST(SuiteReports, ShardsOfASuiteMergeIntoTheSingleProcessReport) {
  const std::string whole = temp_path("suite-whole.json");
  const std::string whole_junit = temp_path("suite-whole.xml");
  const std::string whole_html = temp_path("suite-whole.html");
  const auto w = run_reckon(std::string(kSuite) + " --report " + whole + " --junit " + whole_junit +
                            " --html " + whole_html);
  ASSERT_NE(w.exit_code, 2) << w.output;
  std::string files;
  for (int i = 0; i < 3; ++i) {
    const std::string shard = temp_path("suite-shard-" + std::to_string(i) + ".json");
    const auto s =
        run_reckon(std::string(kSuite) + " --shard " + std::to_string(i) + "/3 --report " + shard);
    ASSERT_NE(s.exit_code, 2) << s.output;
    EXPECT_EQ(nlohmann::json::parse(read_file(shard))["scenarios"][0]["shard"]["index"], i);
    files = " " + shard + files;  // out of order on purpose
  }
  const std::string merged = temp_path("suite-merged.json");
  const std::string junit = temp_path("suite-merged.xml");
  const std::string html = temp_path("suite-merged.html");
  const auto m =
      run_reckon("merge" + files + " --report " + merged + " --junit " + junit + " --html " + html);
  EXPECT_EQ(m.exit_code, w.exit_code) << m.output;
  EXPECT_EQ(read_file(merged), read_file(whole));
  EXPECT_EQ(read_file(junit), read_file(whole_junit));
  EXPECT_EQ(read_file(html), read_file(whole_html));
  EXPECT_NE(m.output.find("suite negative: "), std::string::npos) << m.output;
}

TEST(SuiteReports, MergeRefusesMixedOrIncompleteSuiteShards) {
  const std::string a = temp_path("suite-mix-0.json");
  const std::string one = temp_path("suite-mix-one.json");
  ASSERT_NE(
      run_reckon("sweep --suite regressions --seeds 1..2 --shard 0/2 --report " + a).exit_code, 2);
  ASSERT_NE(run_reckon("sweep --seeds 1..2 --shard 1/2 --report " + one).exit_code, 2);
  auto r = run_reckon("merge " + a + " --report ''");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("shard 1/2 is missing"), std::string::npos) << r.output;
  r = run_reckon("merge " + a + " " + one + " --report ''");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("'" + one + "' is one scenario's report, not a suite's"),
            std::string::npos)
      << r.output;
}

TEST(SuiteReports, SuiteHtmlHasEveryScenarioAndTheFailureViews) {
  const std::string report = temp_path("suite-html.json");
  const std::string html = temp_path("suite-html.html");
  const auto r = run_reckon(std::string(kSuite) + " --report " + report + " --html " + html);
  ASSERT_NE(r.exit_code, 2) << r.output;
  const auto json = nlohmann::json::parse(read_file(report));
  const std::string page = read_file(html);
  EXPECT_NE(page.find("<h1>Reckon suite report: negative</h1>"), std::string::npos);
  EXPECT_EQ(page.find("src=\"http"), std::string::npos);
  int drawn = 0;
  const auto& scenarios = json.at("scenarios");
  ASSERT_FALSE(scenarios.empty());
  for (size_t i = 0; i < scenarios.size(); ++i) {
    const auto& s = scenarios[i];
    const std::string name = s.at("scenario").get<std::string>();
    EXPECT_NE(page.find("<a href=\"#scenario-" + std::to_string(i) + "\">" + name + "</a>"),
              std::string::npos)
        << name;
    EXPECT_NE(page.find("<h2>Scenario " + name + "</h2>"), std::string::npos) << name;
    const std::string expected = s["expect"].at("property").get<std::string>();
    EXPECT_NE(page.find("must fail with " + expected), std::string::npos) << name;
    // The first failing seed of each scenario is drawn: its property, replay and timeline.
    for (const auto& run : s.at("runs")) {
      if (run.at("passed").get<bool>()) continue;
      const std::string id =
          "id=\"scenario-" + std::to_string(i) + "-seed-" + run.at("seed").dump() + "\"";
      const size_t at = page.find(id);
      ASSERT_NE(at, std::string::npos) << id;
      const size_t end = page.find("</section>", at);
      const std::string section = page.substr(at, end - at);
      EXPECT_NE(section.find(run["failures"][0].at("property").get<std::string>()),
                std::string::npos);
      EXPECT_NE(section.find("reckon run --seed " + run.at("seed").dump() + " --scenario "),
                std::string::npos);
      EXPECT_NE(section.find("<svg class=\"timeline\""), std::string::npos) << id;
      ++drawn;
      break;
    }
  }
  EXPECT_GT(drawn, 0) << "no scenario of the negative suite failed on seeds 1..5";
}

}  // namespace
}  // namespace reckon
