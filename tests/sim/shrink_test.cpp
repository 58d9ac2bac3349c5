// reckon shrink: a failing run becomes a smaller one that fails with the same property,
// written as a scenario with a [replay] decision list that reproduces it.
#include <gtest/gtest.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "engine/planted.h"
#include "faults/scenario.h"
#include "sim/scenario_run.h"
#include "sim/scenario_writer.h"
#include "sim/shrink.h"
#include "sim/world.h"
#include "tests/support/run_reckon.h"

namespace reckon::sim {
namespace {

using reckon::testing::read_file;
using reckon::testing::run_reckon;
using reckon::testing::temp_path;

RunConfig planted(uint64_t seed, const char* defect) {
  RunConfig c;
  c.seed = seed;
  c.planted.plant(*engine::find_defect(defect));
  return c;
}

// The first seed in 1..40 on which the defect makes `property` fail; 0 if none.
// The first seed in 1..40 that fails with `property` after more than a handful of fault
// decisions: a failure that is already minimal (two decisions that both matter) leaves the
// shrinker nothing to take away, and these tests are about what it takes away.
uint64_t first_failing_seed(const char* defect, const std::string& property) {
  constexpr size_t kDecisionsWorthShrinking = 5;
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    const RunResult r = run_simulation(planted(seed, defect));
    if (fails_with(r, property) && r.decisions.size() >= kDecisionsWorthShrinking) return seed;
  }
  return 0;
}

// --- the [replay] table of a scenario ----------------------------------------------------

TEST(ScenarioReplay, ParsesADecisionListInTimeOrder) {
  faults::ScenarioError error;
  auto s = faults::parse_scenario(R"(description = "replayed"
[replay]
decisions = [
  { at_us = 10, kind = "response_loss", subject = "msg4", value = 0 },
  { at_us = 900, kind = "crash", subject = "engine-0", value = 5000 },
]
)",
                                  "r.toml", error);
  ASSERT_TRUE(s) << error.str();
  ASSERT_TRUE(s->replay);
  ASSERT_EQ(s->replay->size(), 2u);
  EXPECT_EQ((*s->replay)[1].kind, "crash");
  EXPECT_EQ((*s->replay)[1].value, 5000);
  EXPECT_EQ((*s->replay)[1].index, 1u);
  auto config = run_config_for(*s, error);
  ASSERT_TRUE(config) << error.str();
  ASSERT_TRUE(config->replay_decisions);
  EXPECT_EQ(config->replay_decisions->size(), 2u);

  auto empty =
      faults::parse_scenario("description = \"x\"\n[replay]\ndecisions = []\n", "e.toml", error);
  ASSERT_TRUE(empty) << error.str();
  ASSERT_TRUE(empty->replay);  // replay mode with no faults at all, not "no [replay]"
  EXPECT_TRUE(empty->replay->empty());
  auto none = faults::parse_scenario("description = \"x\"\n", "n.toml", error);
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->replay);
}

TEST(ScenarioReplay, RejectsBadDecisionsNamingLineAndKey) {
  const std::pair<const char*, const char*> bad[] = {
      {"[replay]\n", "bad.toml:2: replay.decisions: is required"},
      {"[replay]\ndecisions = [\n{ at_us = 1, kind = \"meteor\", subject = \"x\", value = 0 "
       "},\n]\n",
       "bad.toml:4: replay.decisions.kind: 'meteor' is not a decision kind"},
      {"[replay]\ndecisions = [{ at_us = 1, kind = \"crash\", subject = \"engine-0\" }]\n",
       "replay.decisions.value: is required"},
      {"[replay]\ndecisions = [{ at_us = 1, kind = \"crash\", subject = \"e\", value = -3 }]\n",
       "replay.decisions.value: must be between 0"},
      {"[replay]\ndecisions = [{ at_us = 1, kind = \"partition\", subject = \"psp\", value = 3 "
       "}]\n",
       "replay.decisions.subject: a partition names two nodes"},
      {"[replay]\ndecisions = [\n{ at_us = 5, kind = \"crash\", subject = \"e\", value = 0 },\n"
       "{ at_us = 4, kind = \"crash\", subject = \"e\", value = 0 },\n]\n",
       "bad.toml:5: replay.decisions.at_us: goes back in time"},
      {"[replay]\ndecisions = [{ at_us = 1, kind = \"crash\", subject = \"e\", value = 0, x = 1 "
       "}]\n",
       "replay.decisions.x: unknown key"},
      {"[replay]\ndecisions = [1, 2]\n", "replay.decisions: must be an array of tables"},
      {"[replay]\ndecisions = []\nseed = 4\n", "replay.seed: unknown key"},
      {"[replay]\ndecisions = []\n[[faults.schedule]]\nat_ms = 5\nkind = \"crash\"\n",
       "faults.schedule: a scenario with [replay] takes every fault from replay.decisions"},
  };
  for (const auto& [body, says] : bad) {
    faults::ScenarioError error;
    const std::string text = std::string("description = \"x\"\n") + body;
    EXPECT_FALSE(faults::parse_scenario(text, "bad.toml", error)) << text;
    EXPECT_NE(error.str().find(says), std::string::npos) << text << "\n -> " << error.str();
  }
}

// --- writing a run as a scenario -----------------------------------------------------------

TEST(ScenarioWriter, TheWrittenScenarioIsTheSameRun) {
  RunConfig config = planted(3, "psp-key-per-attempt");
  config.clients = 2;
  config.client.payments = 3;
  config.scenario = "written";
  // Knobs that change the run without being decisions must be written too: PSP webhooks.
  config.faults.psp.webhooks = true;
  config.faults.psp.webhook_duplicate = {1, 3};
  config.faults.psp.webhook_late = {1, 3};
  config.faults.psp.webhook_late_min_us = 50'000;
  config.faults.psp.webhook_late_max_us = 500'000;
  config.faults.swarm_interval_scale = 1200;  // read by swarm mode only, still written
  const RunResult recorded = run_simulation(config);
  ASSERT_GT(recorded.decisions.size(), 0u);
  config.replay_decisions = recorded.decisions;
  const RunResult replayed = run_simulation(config);
  EXPECT_EQ(replayed.trace_hash, recorded.trace_hash);

  std::string toml;
  std::string error;
  ASSERT_TRUE(scenario_toml(config, ScenarioText{"a run, written back", "3..3", "a comment\nx"},
                            toml, error))
      << error;
  EXPECT_EQ(toml.rfind("# a comment\n# x\n", 0), 0u) << toml;
  faults::ScenarioError e;
  auto s = faults::parse_scenario(toml, "written.toml", e);
  ASSERT_TRUE(s) << e.str() << "\n" << toml;
  auto back = run_config_for(*s, e);
  ASSERT_TRUE(back) << e.str();
  back->seed = 3;
  EXPECT_EQ(back->faults.swarm_interval_scale, 1200) << toml;
  EXPECT_EQ(run_simulation(*back).trace_hash, replayed.trace_hash) << toml;

  config.psp_timeout_us = 250'500;  // not a whole millisecond: the format cannot say it
  EXPECT_FALSE(scenario_toml(config, ScenarioText{"x", "3..3", ""}, toml, error));
  EXPECT_NE(error.find("engine.psp_timeout is 250500us"), std::string::npos) << error;
}

// --- the search ------------------------------------------------------------------------------

struct PlantedCase {
  const char* defect;
  const char* property;
};

// Named by the defect in test output (not by the bytes of two pointers).
void PrintTo(const PlantedCase& c, std::ostream* os) {
  *os << c.defect;
}

class ShrinkPlanted : public ::testing::TestWithParam<PlantedCase> {};

TEST_P(ShrinkPlanted, KeepsThePropertyFailingWithFewerDecisions) {
  const auto [defect, property] = GetParam();
  const uint64_t seed = first_failing_seed(defect, property);
  ASSERT_NE(seed, 0u) << defect << " never failed with " << property << " on seeds 1..40";
  const RunConfig config = planted(seed, defect);
  const RunResult failed = run_simulation(config);
  const ShrinkResult r = shrink_failure(config, failed, property, {});
  ASSERT_TRUE(r.reproduced);
  EXPECT_FALSE(r.stopped_early);
  EXPECT_TRUE(fails_with(r.run, property));
  EXPECT_EQ(r.before.decisions, failed.decisions.size());
  ASSERT_GT(r.before.decisions, 0u) << "seed " << seed << " failed without faults";
  EXPECT_LT(r.after.decisions, r.before.decisions) << defect << " seed " << seed;
  EXPECT_LE(r.after.clients, r.before.clients);
  EXPECT_LE(r.after.payments, r.before.payments);
  EXPECT_GT(r.runs, 1u);
  // The result is a plain replay: run again, it fails the same way, byte for byte.
  ASSERT_TRUE(r.config.replay_decisions);
  EXPECT_EQ(r.config.replay_decisions->size(), r.after.decisions);
  const RunResult again = run_simulation(r.config);
  EXPECT_TRUE(fails_with(again, property));
  EXPECT_EQ(again.trace_hash, r.run.trace_hash);
  // 1-minimal: dropping any one remaining decision makes the failure go away.
  for (size_t i = 0; i < r.config.replay_decisions->size(); ++i) {
    RunConfig fewer = r.config;
    fewer.replay_decisions->erase(fewer.replay_decisions->begin() + static_cast<ptrdiff_t>(i));
    EXPECT_FALSE(fails_with(run_simulation(fewer), property))
        << "decision " << i << " of the result is not needed";
  }
}

INSTANTIATE_TEST_SUITE_P(Defects, ShrinkPlanted,
                         ::testing::Values(PlantedCase{"psp-key-per-attempt", "no-double-charge"},
                                           PlantedCase{"timeout-as-decline", "no-double-charge"},
                                           PlantedCase{"refund-cap-off-by-one",
                                                       "refund-within-capture"}),
                         [](const ::testing::TestParamInfo<PlantedCase>& p) {
                           std::string name = p.param.defect;
                           std::erase(name, '-');
                           return name;
                         });

TEST(Shrink, StopsWhenToldAndKeepsAFailingRun) {
  const uint64_t seed = first_failing_seed("psp-key-per-attempt", "no-double-charge");
  ASSERT_NE(seed, 0u);
  const RunConfig config = planted(seed, "psp-key-per-attempt");
  const RunResult failed = run_simulation(config);
  int asked = 0;
  const ShrinkResult r =
      shrink_failure(config, failed, "no-double-charge", [&asked] { return ++asked > 3; });
  EXPECT_TRUE(r.stopped_early);
  EXPECT_LE(r.runs, 4u);  // the replay of the recorded list, then three candidates
  EXPECT_TRUE(fails_with(r.run, "no-double-charge"));
}

// --- the command -----------------------------------------------------------------------------

TEST(ShrinkCli, WritesAScenarioThatFailsWithTheSameProperty) {
  const uint64_t seed = first_failing_seed("timeout-as-decline", "no-double-charge");
  ASSERT_NE(seed, 0u);
  const std::string out = temp_path("shrunk.toml");
  std::remove(out.c_str());
  const std::string s = std::to_string(seed);
  const auto r = run_reckon("shrink --seed " + s + " --plant timeout-as-decline --out " + out);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("shrunk seed " + s + ": no-double-charge still fails"), std::string::npos)
      << r.output;
  for (const char* row : {"fault decisions", "clients", "payments per client", "trace events"}) {
    EXPECT_NE(r.output.find(row), std::string::npos) << row << "\n" << r.output;
  }
  EXPECT_NE(r.output.find("reproduce: reckon run --scenario " + out + " --seed " + s),
            std::string::npos)
      << r.output;
  const std::string toml = read_file(out);
  EXPECT_NE(toml.find("[replay]"), std::string::npos) << toml;
  EXPECT_NE(toml.find("plant = [\"timeout-as-decline\"]"), std::string::npos) << toml;
  const auto run = run_reckon("run --scenario " + out + " --seed " + s);
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(run.output.find("FAILED no-double-charge"), std::string::npos) << run.output;
  // With [expect] outcome = "fail", sweeping it (as scenarios/regressions/ is swept) passes.
  EXPECT_EQ(run_reckon("sweep --scenario " + out + " --report ''").exit_code, 0);

  const auto json = run_reckon(
      "shrink --seed " + s + " --plant timeout-as-decline --format json " + "--out " + out,
      /*merge_stderr=*/false);
  ASSERT_EQ(json.exit_code, 0) << json.output;
  const auto j = nlohmann::json::parse(json.output);
  EXPECT_EQ(j.at("property"), "no-double-charge");
  EXPECT_LT(j.at("after").at("decisions").get<int>(), j.at("before").at("decisions").get<int>());
  EXPECT_GT(j.at("runs").get<int>(), 1);
}

TEST(ShrinkCli, ShrinksADecisionFile) {
  const uint64_t seed = first_failing_seed("psp-key-per-attempt", "no-double-charge");
  ASSERT_NE(seed, 0u);
  const std::string decisions = temp_path("failing.json");
  const std::string out = temp_path("from-decisions.toml");
  const std::string s = std::to_string(seed);
  ASSERT_EQ(run_reckon("run --seed " + s + " --plant psp-key-per-attempt --decisions " + decisions)
                .exit_code,
            1);
  const auto r = run_reckon("shrink --decisions " + decisions + " --out " + out);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(run_reckon("run --scenario " + out + " --seed " + s).exit_code, 1);
}

TEST(ShrinkCli, APassingRunHasNothingToShrink) {
  const auto r = run_reckon("shrink --seed 1 --clients 1 --payments 2");
  ASSERT_EQ(run_reckon("run --seed 1 --clients 1 --payments 2").exit_code, 0);
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("seed 1 passes"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("nothing to shrink"), std::string::npos) << r.output;
  // A failing seed, but not with the property asked for.
  const uint64_t seed = first_failing_seed("refund-cap-off-by-one", "refund-within-capture");
  ASSERT_NE(seed, 0u);
  const auto other = run_reckon("shrink --seed " + std::to_string(seed) +
                                " --plant refund-cap-off-by-one --property liveness");
  EXPECT_EQ(other.exit_code, 1) << other.output;
  EXPECT_NE(other.output.find("not liveness"), std::string::npos) << other.output;
}

TEST(ShrinkCli, BadInputExitsTwoNamingTheProblem) {
  const std::pair<std::string, const char*> bad[] = {
      {"shrink", "--seed N or as --decisions FILE"},
      {"shrink --seed 1 --decisions x.json", "one of them"},
      {"shrink --seed x", "--seed 'x'"},
      {"shrink --seed 1 --property nope", "--property 'nope': no such property"},
      {"shrink --seed 1 --budget 5", "--budget '5'"},
      {"shrink --seed 1 --plant nope", "--plant 'nope'"},
      {"shrink --seed 1 --scenario no-such-scenario", "no-such-scenario"},
      {"shrink --decisions /nonexistent/d.json", "cannot read '/nonexistent/d.json'"},
      {"shrink --decisions d.json --plant psp-key-per-attempt", "go with --seed"},
  };
  for (const auto& [args, says] : bad) {
    const auto r = run_reckon(args);
    EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.output;
    EXPECT_NE(r.output.find(says), std::string::npos) << args << "\n" << r.output;
  }
}

}  // namespace
}  // namespace reckon::sim
