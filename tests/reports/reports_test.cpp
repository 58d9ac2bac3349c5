// The report formats: the JSON round trip the workers rely on, JUnit XML checked against a
// JUnit schema, the HTML report's structure, and reading traces back for its timelines.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "reports/console.h"
#include "reports/html.h"
#include "reports/junit.h"
#include "reports/merge.h"
#include "reports/outcome_json.h"
#include "reports/report.h"
#include "reports/run_log.h"
#include "reports/trace_events.h"
#include "reports/xml_escape.h"
#include "sim/world.h"
#include "tests/support/run_reckon.h"

namespace reckon::reports {
namespace {

sim::RunConfig planted_config() {
  sim::RunConfig run;
  run.planted.plant(*engine::find_defect("psp-key-per-attempt"));
  return run;
}

// A small sweep with failures: seeds 1..8 with the key-per-attempt defect planted.
struct PlantedSweep {
  sim::SweepResult sweep;
  ReplayContext replay{" --plant psp-key-per-attempt"};
  nlohmann::json json;
  PlantedSweep() {
    sim::SweepConfig config;
    config.first_seed = 1;
    config.last_seed = 8;
    config.run = planted_config();
    sweep = sim::run_sweep(config, {});
    SweepMeta meta;
    meta.first_seed = 1;
    meta.last_seed = 8;
    meta.planned = 8;
    meta.config = {{"clients", 4},
                   {"payments", 5},
                   {"plants", {"psp-key-per-attempt"}},
                   {"check_determinism", false},
                   {"replay_args", replay.extra_args}};
    json = sweep_json(sweep, replay, meta);
  }
};

const PlantedSweep& planted() {
  static const PlantedSweep sweep;
  return sweep;
}

TEST(OutcomeJson, RoundTripsEveryField) {
  sim::RunConfig run = planted_config();
  run.seed = 2;
  sim::SeedOutcome outcome = sim::run_seed(run, true);
  ASSERT_FALSE(outcome.result.failures.empty());
  const ReplayContext replay{" --plant psp-key-per-attempt"};
  const nlohmann::json json = run_json(outcome, replay);
  EXPECT_EQ(run_json(outcome_from_json(json), replay), json);
  EXPECT_THROW(outcome_from_json(nlohmann::json{{"seed", 1}}), nlohmann::json::exception);
}

TEST(SweepJson, KeepsTheOriginalFieldsAndAddsCoverage) {
  const auto& j = planted().json;
  EXPECT_EQ(j["schema_version"], 1);
  for (const char* key : {"seeds", "passed", "failed_seeds", "nondeterministic_seeds", "payments",
                          "failures", "runs", "coverage", "config", "scenario"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_FALSE(j.contains("shard"));
  EXPECT_EQ(j["coverage"]["planned"], 8);
  EXPECT_EQ(j["coverage"]["unrun"], 0);
}

// A sweep report streamed through a RunLog (reckon sweep: the runs on disk, memory flat) is
// the report built in memory, byte for byte, and every reader sees the same runs in it.
TEST(SweepReportBuilder, StreamsTheSameReportAsTheOneBuiltInMemory) {
  const auto& p = planted();
  SweepReportBuilder builder(p.replay);
  for (const auto& seed : p.sweep.seeds) builder.add(seed);
  SweepMeta meta;
  meta.first_seed = 1;
  meta.last_seed = 8;
  meta.planned = 8;
  meta.config = p.json["config"];
  const nlohmann::json skeleton = builder.report(meta);
  EXPECT_FALSE(skeleton.contains("runs"));
  ASSERT_EQ(builder.runs().size(), 8u);
  std::ostringstream streamed;
  write_report_json(streamed, skeleton, &builder.runs());
  EXPECT_EQ(streamed.str(), p.json.dump(2));
  EXPECT_EQ(render_junit(skeleton, &builder.runs()), render_junit(p.json));
  EXPECT_EQ(render_html(skeleton, {}, &builder.runs()), render_html(p.json, {}));
  std::ostringstream summary_streamed;
  std::ostringstream summary_in_memory;
  print_summary(summary_streamed, skeleton, &builder.runs());
  print_summary(summary_in_memory, p.json);
  EXPECT_EQ(summary_streamed.str(), summary_in_memory.str());
  EXPECT_NE(summary_streamed.str().find("engine crashes"), std::string::npos);
  EXPECT_EQ(builder.payments(), p.json["payments"].get<int64_t>());
}

TEST(RunLog, GivesBackEveryRunInOrderAndAnEmptyLogWritesAnEmptyArray) {
  RunLog log;
  for (int i = 0; i < 3; ++i) log.append({{"seed", i}, {"text", "a\nb \"runs\": []"}});
  std::vector<int> seen;
  log.for_each([&](const nlohmann::json& run) { seen.push_back(run.at("seed").get<int>()); });
  EXPECT_EQ(seen, (std::vector<int>{0, 1, 2}));
  // Spliced into a report whose other strings also spell the key the splice looks for.
  nlohmann::json with_runs = {
      {"config", {{"replay_args", "\n  \"runs\": []"}}}, {"passed", false}, {"scenario", "runs"}};
  std::ostringstream spliced;
  write_report_json(spliced, with_runs, &log);
  with_runs["runs"] = nlohmann::json::array();
  log.for_each([&](const nlohmann::json& run) { with_runs["runs"].push_back(run); });
  EXPECT_EQ(spliced.str(), with_runs.dump(2));
  const nlohmann::json report = {{"passed", true}, {"scenario", "x"}};
  RunLog empty;
  std::ostringstream out;
  write_report_json(out, report, &empty);
  EXPECT_EQ(out.str(),
            nlohmann::json({{"passed", true}, {"runs", nlohmann::json::array()}, {"scenario", "x"}})
                .dump(2));
}

TEST(XmlEscape, EscapesMarkupAndDropsForbiddenControls) {
  EXPECT_EQ(xml_escape("a<b>&\"c'\x01\n"), "a&lt;b&gt;&amp;&quot;c&#39;\n");
}

// Tiny structural check of JUnit XML, independent of xmllint: one testcase per run, a
// failure per failed property, carrying the property as type and the replay command.
TEST(Junit, OneTestcasePerSeedWithFailuresCarryingPropertyAndReplay) {
  const auto& j = planted().json;
  const std::string xml = render_junit(j);
  const std::regex testcase("<testcase name=\"seed ([0-9]+)\" classname=\"reckon\\.default\">");
  size_t cases = 0;
  for (auto it = std::sregex_iterator(xml.begin(), xml.end(), testcase);
       it != std::sregex_iterator(); ++it) {
    EXPECT_EQ((*it)[1], std::to_string(j["runs"][cases]["seed"].get<int>()));
    ++cases;
  }
  EXPECT_EQ(cases, j["runs"].size());
  size_t failures = 0;
  for (size_t at = 0; (at = xml.find("<failure type=\"", at)) != std::string::npos; ++at) {
    ++failures;
    const size_t end = xml.find("</failure>", at);
    ASSERT_NE(end, std::string::npos);
    EXPECT_NE(xml.substr(at, end - at).find("replay: reckon run --seed "), std::string::npos);
    EXPECT_NE(xml.substr(at, end - at).find("--plant psp-key-per-attempt"), std::string::npos);
  }
  EXPECT_EQ(failures, j["failures"].size());
  EXPECT_NE(xml.find("<testsuites name=\"reckon\" tests=\"8\" failures=\"" +
                     std::to_string(j["failed_seeds"].get<int>()) + "\""),
            std::string::npos);
}

TEST(Junit, ValidatesAgainstTheJunitSchema) {
  if (std::system("command -v xmllint >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "xmllint not installed (ci/install-deps.sh installs libxml2-utils)";
  }
  const std::string path = reckon::testing::temp_path("junit.xml");
  std::ofstream(path) << render_junit(planted().json);
  const std::string command =
      "xmllint --noout --nonet --schema " RECKON_TEST_DATA "/junit.xsd " + path + " 2>&1";
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
}

TEST(Junit, ANondeterministicSeedIsADeterminismFailure) {
  sim::RunConfig run;
  run.seed = 3;
  sim::SweepResult sweep;
  sweep.seeds.push_back(sim::run_seed(run, true));
  sweep.seeds[0].deterministic = false;  // as if the second run had diverged
  sweep.seeds[0].second_trace_hash = "0000000000000000";
  SweepMeta meta;
  meta.first_seed = 3;
  meta.last_seed = 3;
  meta.planned = 1;
  meta.config = {{"replay_args", " --clients 2"}};
  const std::string xml = render_junit(sweep_json(sweep, ReplayContext{" --clients 2"}, meta));
  EXPECT_NE(xml.find("<failure type=\"determinism\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("replay: reckon run --seed 3 --clients 2 --check-determinism"),
            std::string::npos)
      << xml;
  if (std::system("command -v xmllint >/dev/null 2>&1") == 0) {
    const std::string path = reckon::testing::temp_path("junit-determinism.xml");
    std::ofstream(path) << xml;
    const std::string command =
        "xmllint --noout --nonet --schema " RECKON_TEST_DATA "/junit.xsd " + path + " 2>&1";
    EXPECT_EQ(std::system(command.c_str()), 0) << command;
  }
}

TEST(TraceEvents, ParsesLinesIntoNodeKindAndFields) {
  auto e = parse_trace_line("t=89204 engine-0 send msg3 to=psp psp_authorize key=rk_e4 amount=3");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->t_us, 89204);
  EXPECT_EQ(e->node, "engine-0");
  EXPECT_EQ(e->kind, "send");
  EXPECT_EQ(e->subject, "msg3");
  EXPECT_EQ(e->fields.at("to"), "psp");
  EXPECT_EQ(e->fields.at("key"), "rk_e4");
  EXPECT_EQ(lane_of(*e), "engine-0");
  EXPECT_EQ(lane_of(*parse_trace_line("t=0 world begin seed=2")), "faults");
  EXPECT_FALSE(parse_trace_line("trace hash 0123"));
  EXPECT_FALSE(parse_trace_line("t=12x psp recv msg1"));
}

TEST(TraceEvents, FollowsAPaymentFromClientThroughEngineToPsp) {
  sim::RunConfig run = planted_config();
  // Seed 5's first failure is a client's order charged twice (in other seeds it may be the
  // probing merchant's follow-up create, or a PSP request, which this test does not follow).
  run.seed = 5;
  run.keep_trace = true;
  const sim::RunResult result = sim::run_simulation(run);
  ASSERT_FALSE(result.failures.empty());
  const std::string payment = result.failures[0].payment;
  ASSERT_EQ(payment.rfind("tok_c", 0), 0u) << payment;
  const auto events = parse_trace(result.trace);
  ASSERT_EQ(events.size(), result.trace.size());
  const auto mine = payment_events(events, payment);
  bool client_send = false;
  int psp_authorizations = 0;
  bool other_order = false;
  const std::string client = "client-" + payment.substr(5, payment.find("_o") - 5);
  // The order number: the digits after `_o` (a merchant's token may go on after them).
  const size_t number_at = payment.find("_o") + 2;
  const std::string number =
      payment.substr(number_at, payment.find_first_not_of("0123456789", number_at) - number_at);
  for (size_t i : mine) {
    const auto& e = events[i];
    if (e.node == client && e.kind == "send") client_send = true;
    if (e.node == "psp" && e.kind == "process" && e.rest.find("psp_authorize") == 0) {
      ++psp_authorizations;
    }
    // Keys are <till>-o<n>-<step>, on their client's lines; the till's other client sends
    // the same strings for its own orders, which are not this payment's.
    if (e.fields.count("key") && e.fields.at("key").rfind("till-", 0) == 0 &&
        (e.node != client || e.fields.at("key").find("-o" + number + "-") == std::string::npos)) {
      other_order = true;
    }
  }
  EXPECT_TRUE(client_send);
  // The property says two authorizations succeeded for the order: both are in its view.
  EXPECT_GE(psp_authorizations, 2);
  EXPECT_FALSE(other_order);
}

// Client-0 and client-1 are till 0's two clients, one per merchant: they send the same key
// strings, and client-1's order 3 is not client-0's (an older trace's client-<i> keys are read
// too).
TEST(TraceEvents, FollowsAChargeIdBackToItsAuthorization) {
  for (const std::string till : {"till-0", ""}) {
    const std::string key0 = till.empty() ? "client-0" : till;
    const std::string key1 = till.empty() ? "client-1" : till;
    const std::vector<std::string> lines = {
        "t=1 client-0 send msg0 to=engine-0 POST /v1/charges key=" + key0 + "-o3-pay1 attempt=1",
        "t=2 engine-0 recv msg0",
        "t=2 engine-0 send msg1 to=psp psp_authorize key=rk_aa amount=5 USD",
        "t=3 client-1 send msg2 to=engine-0 POST /v1/charges key=" + key1 + "-o3-pay1 attempt=1",
        "t=4 psp recv msg1",
        "t=4 psp process psp_authorize key=rk_aa amount=5 USD outcome=succeeded",
        "t=4 psp send msg3 to=engine-0 psp_reply outcome=succeeded",
        "t=5 engine-0 recv msg3",
        "t=5 engine-0 send msg4 to=client-0 status=201",
        "t=6 client-0 recv msg4",
        "t=6 client-0 response key=" + key0 + "-o3-pay1 status=201",
        "t=6 client-0 send msg5 to=engine-0 POST /v1/charges/ch_77/capture key=" + key0 +
            "-o3-capture attempt=1",
        "t=7 faults fault n=0 kind=request_loss on=msg2 value=0",
    };
    const auto events = parse_trace(lines);
    EXPECT_EQ(payment_events(events, "ch_77"),
              (std::vector<size_t>{0, 1, 2, 4, 5, 6, 7, 8, 9, 10, 11}))
        << key0;
    // From the card token: the same lines, and never client-1's request under the same key.
    EXPECT_EQ(payment_events(events, "tok_c0_o3"),
              (std::vector<size_t>{0, 1, 2, 4, 5, 6, 7, 8, 9, 10, 11}))
        << key0;
  }
}

TEST(Html, IsSelfContainedAndShowsWhatFailedAndHowToReplay) {
  const auto& j = planted().json;
  std::map<uint64_t, SeedTrace> traces;
  for (const auto& r : j["runs"]) {
    if (r["passed"].get<bool>()) continue;
    sim::RunConfig run = planted_config();
    run.seed = r["seed"].get<uint64_t>();
    run.keep_trace = true;
    auto again = sim::run_simulation(run);
    traces[run.seed] = SeedTrace{again.trace, again.trace_hash};
  }
  ASSERT_FALSE(traces.empty());
  const std::string html = render_html(j, traces);
  // No network: nothing fetched, linked or imported from elsewhere.
  for (const char* banned : {"http://", "https://", "src=", "@import", "<link", "//cdn"}) {
    EXPECT_EQ(html.find(banned), std::string::npos) << banned;
  }
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("<style>"), std::string::npos);
  EXPECT_NE(html.find("<script>"), std::string::npos);
  const auto& f = j["failures"][0];
  EXPECT_NE(html.find(f["property"].get<std::string>()), std::string::npos);
  EXPECT_NE(html.find(xml_escape(f["replay"].get<std::string>())), std::string::npos);
  EXPECT_NE(html.find("id=\"seed-" + f["seed"].dump() + "\""), std::string::npos);
  for (const char* lane : {"data-lane=\"client-0\"", "data-lane=\"engine-0\"", "data-lane=\"psp\"",
                           "data-lane=\"faults\""}) {
    EXPECT_NE(html.find(lane), std::string::npos) << lane;
  }
  EXPECT_NE(html.find("class=\"sequence\""), std::string::npos);
  EXPECT_NE(html.find("Payment " + f["payment"].get<std::string>()), std::string::npos);
  // Every failing seed has its section; every traced one a timeline.
  size_t timelines = 0;
  for (size_t at = 0; (at = html.find("<svg class=\"timeline\"", at)) != std::string::npos; ++at) {
    ++timelines;
  }
  EXPECT_EQ(timelines, traces.size());
}

TEST(Html, KeepsAHugeTraceReadable) {
  nlohmann::json report = planted().json;
  nlohmann::json failing;
  for (const auto& r : report["runs"]) {
    if (!r["passed"].get<bool>()) failing = r;
  }
  ASSERT_FALSE(failing.is_null());
  // A synthetic run of 60000 events, most of them another client's traffic.
  SeedTrace trace;
  for (int i = 0; i < 30000; ++i) {
    trace.lines.push_back("t=" + std::to_string(i * 10) + " client-1 send msg" + std::to_string(i) +
                          " to=engine-0 POST /v1/charges key=client-1-o" + std::to_string(i) +
                          "-pay1 attempt=1");
    trace.lines.push_back("t=" + std::to_string(i * 10 + 5) + " engine-0 recv msg" +
                          std::to_string(i));
  }
  trace.trace_hash = failing["trace_hash"];
  const std::string html = render_html(report, {{failing["seed"].get<uint64_t>(), trace}});
  EXPECT_NE(html.find("only the failing payment's and the faults are drawn"), std::string::npos);
  EXPECT_NE(html.find("the first 40000 lines are left out"), std::string::npos);
  EXPECT_LT(html.size(), 8u << 20);
}

TEST(Merge, RebuildsTheWholeReportFromShards) {
  const auto& whole = planted().json;
  // Split the whole report's runs into two shard reports, as two machines would write them.
  std::vector<NamedReport> shards;
  for (uint64_t i = 0; i < 2; ++i) {
    sim::SweepResult part;
    for (const auto& s : planted().sweep.seeds) {
      if ((s.result.seed - 1) % 2 == i) part.seeds.push_back(s);
    }
    SweepMeta meta;
    meta.first_seed = 1;
    meta.last_seed = 8;
    meta.planned = 4;
    meta.shard_index = i;
    meta.shard_count = 2;
    meta.config = whole["config"];
    shards.push_back({"shard" + std::to_string(i), sweep_json(part, planted().replay, meta)});
  }
  std::string error;
  auto merged = merge_reports({shards[1], shards[0]}, error);
  ASSERT_TRUE(merged) << error;
  EXPECT_EQ(merged->dump(2), whole.dump(2));
  EXPECT_FALSE(merge_reports({shards[0]}, error));
  EXPECT_NE(error.find("shard 1/2 is missing"), std::string::npos) << error;
}

}  // namespace
}  // namespace reckon::reports
