// Scenario files: strict parsing with errors that name file, line and key; every file of
// the library loads; fast scenarios pass; negative scenarios fail for the reason they state.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "cli/seed_range.h"
#include "faults/scenario.h"
#include "sim/scenario_run.h"
#include "sim/world.h"

namespace reckon {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> scenario_files(const std::string& folder) {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(fs::path(RECKON_SCENARIOS_DIR) / folder)) {
    if (entry.path().extension() == ".toml") out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

faults::Scenario load_or_fail(const fs::path& path) {
  faults::ScenarioError error;
  auto s = faults::load_scenario(path.string(), error);
  EXPECT_TRUE(s.has_value()) << error.str();
  return s.value_or(faults::Scenario{});
}

sim::RunConfig config_or_fail(const faults::Scenario& s, uint64_t seed) {
  faults::ScenarioError error;
  auto c = sim::run_config_for(s, error);
  EXPECT_TRUE(c.has_value()) << error.str();
  sim::RunConfig config = c.value_or(sim::RunConfig{});
  config.seed = seed;
  return config;
}

faults::ScenarioError parse_error(const std::string& text) {
  faults::ScenarioError error;
  auto s = faults::parse_scenario(text, "bad.toml", error);
  if (s) {
    auto c = sim::run_config_for(*s, error);
    EXPECT_FALSE(c.has_value()) << "accepted:\n" << text;
  }
  return error;
}

TEST(ScenarioParse, ReadsEverySection) {
  faults::ScenarioError error;
  auto s = faults::parse_scenario(R"(
description = "all sections"
seeds = "3..9"
[workload]
clients = 2
payments_per_client = 7
client_timeout_ms = 123
[engine]
psp_attempts_max = 2
psp_timeout_ms = 99
authorization_expiry_ms = 40
[faults.network]
response_loss = "1/10"
latency = { shape = "uniform", min_us = 10, max_us = 20 }
[faults.process]
crash_interval_mean_ms = 500
[faults.psp]
lookup_lag_ms = 40
[faults.clients]
key_reuse_other_body = "1/3"
[[faults.schedule]]
at_ms = 5
kind = "crash"
[expect]
outcome = "pass"
)",
                                  "x/all.toml", error);
  ASSERT_TRUE(s) << error.str();
  EXPECT_EQ(s->name, "all");
  EXPECT_EQ(s->seeds, "3..9");
  EXPECT_EQ(s->workload.clients, 2);
  EXPECT_EQ(s->workload.payments_per_client, 7);
  EXPECT_EQ(s->workload.client_timeout_us, 123'000);
  EXPECT_EQ(s->engine.psp_attempts_max, 2);
  EXPECT_EQ(s->engine.psp_timeout_us, 99'000);
  EXPECT_EQ(s->engine.authorization_expiry_us, 40'000);
  EXPECT_EQ(s->faults.network.response_loss.num, 1u);
  EXPECT_EQ(s->faults.network.response_loss.den, 10u);
  EXPECT_EQ(s->faults.network.request_loss.num, 0u);  // off unless the file turns it on
  EXPECT_EQ(s->faults.network.latency.shape, faults::LatencyShape::kUniform);
  EXPECT_EQ(s->faults.process.engine_crash_interval_mean_us, 500'000);
  EXPECT_EQ(s->faults.psp.lookup_lag_us, 40'000);
  EXPECT_EQ(s->faults.clients.key_reuse_other_body.den, 3u);
  EXPECT_EQ(s->faults.clients.over_capture.num, 0u);  // off unless the file turns it on
  ASSERT_EQ(s->schedule.size(), 1u);
  EXPECT_EQ(s->schedule[0].at_us, 5'000);
}

TEST(ScenarioParse, ErrorsNameFileLineAndKey) {
  struct Case {
    const char* text;
    int line;
    const char* key;
    const char* says;
  };
  const Case cases[] = {
      {"description = \"d\"\nbogus = 1\n", 2, "bogus", "unknown key"},
      // Liveness waits for the recovery pass that resolves what faults left unresolved.
      {"description = \"d\"\n[engine]\nrecovery_interval_ms = 600000\n[run]\n"
       "liveness_timeout_ms = 600000\n",
       5, "run.liveness_timeout_ms", "longer than engine.recovery_interval_ms (600000)"},
      {"description = \"d\"\n[engine]\nrecovery_interval_ms = 86400000\n", 3,
       "run.liveness_timeout_ms", "(60000) must be longer"},
      {"description = \"d\"\n[workload]\nclients = \"four\"\n", 3, "workload.clients", "integer"},
      {"description = \"d\"\n[workload]\nclients = 0\n", 3, "workload.clients", "between"},
      {"description = \"d\"\n[faults.network]\nrequest_loss = \"3/2\"\n", 3,
       "faults.network.request_loss", "num/den"},
      {"description = \"d\"\n[faults.network]\nrequest_loss = 0.5\n", 3,
       "faults.network.request_loss", "ratio"},
      {"description = \"d\"\n[faults.network]\nlatency = { shape = \"gauss\" }\n", 3,
       "faults.network.latency.shape", "long_tail"},
      {"description = \"d\"\n[faults.process]\nrestart_delay_ms = [9, 1]\n", 3,
       "faults.process.restart_delay_ms", "min_ms <= max_ms"},
      // Knobs whose microseconds would overflow int64 are refused, not wrapped (issue 19).
      {"description = \"d\"\n[faults.network]\nreorder_ms = [0, 9223372036854775807]\n", 3,
       "faults.network.reorder_ms", "max_ms <= 86400000"},
      {"description = \"d\"\n[faults.process]\nrestart_delay_ms = [9000000000000000, "
       "9000000000000000]\n",
       3, "faults.process.restart_delay_ms", "max_ms <= 86400000"},
      {"description = \"d\"\n[faults.clock]\nskew_ms = [-9223372036854775807, 0]\n", 3,
       "faults.clock.skew_ms", "within a year"},
      {"description = \"d\"\n[[faults.schedule]]\nat_ms = 1\nkind = \"explode\"\n", 2,
       "faults.schedule.kind", "crash"},
      {"description = \"d\"\n[[faults.schedule]]\nat_ms = 1\nkind = \"partition\"\n"
       "between = [\"engine-0\", \"bank\"]\nduration_ms = 5\n",
       2, "faults.schedule.between", "no node 'bank'"},
      {"description = \"d\"\n[expect]\noutcome = \"fail\"\nproperty = \"no-such\"\n", 4,
       "expect.property", "no property named"},
      {"description = \"d\"\n[expect]\noutcome = \"fail\"\n", 2, "expect.property", "must name"},
      {"description = \"d\"\n[engine]\nplant = [\"nope\"]\n", 3, "engine.plant", "no defect"},
      {"description = \"d\"\n[engine]\nauthorization_expiry_ms = 0\n", 3,
       "engine.authorization_expiry_ms", "between 1 and"},
      {"description = \"d\"\n[workload]\ncurrencies = [\"XXX\"]\n", 3, "workload.currencies",
       "currency table"},
      {"description = \"d\"\n[workload\n", 2, "", "not valid TOML"},
      {"description = \"d\"\n[faults.clients]\nover_capture = \"2/1\"\n", 3,
       "faults.clients.over_capture", "num/den"},
      {"description = \"d\"\n[faults.clients]\nkey_reuse = \"1/2\"\n", 3,
       "faults.clients.key_reuse", "unknown key"},
      {"seeds = \"1..2\"\n", 0, "description", "required"},
      {"description = \"d\"\n[faults.clock]\nskew_ms = 30\n", 3, "faults.clock.skew_ms",
       "two integers"},
      {"description = \"d\"\n[faults.clock]\nskew_ms = [30, -30]\n", 3, "faults.clock.skew_ms",
       "min_ms <= max_ms"},
      {"description = \"d\"\n[faults.clock]\nlate_timer_ms = [-1, 5]\n", 3,
       "faults.clock.late_timer_ms", "0 <= min_ms"},
      {"description = \"d\"\n[faults.clock]\nlate = \"1/2\"\n", 3, "faults.clock.late",
       "unknown key"},
      {"description = \"d\"\n[faults.psp]\nauthorization_expiry_ms = -5\n", 3,
       "faults.psp.authorization_expiry_ms", "between"},
      {"description = \"d\"\n[replay]\ndecisions = [{ at_us = 0, kind = \"timer_late\", "
       "subject = \"engine-0#1\", value = -4 }]\n",
       3, "replay.decisions.value", "only a clock_skew"},
      {"description = \"d\"\n[replay]\ndecisions = [{ at_us = 9223372036854775807, kind = "
       "\"timer_late\", subject = \"engine-0#1\", value = 4 }]\n",
       3, "replay.decisions.at_us", "between 0 and 31622400000000"},
  };
  for (const auto& c : cases) {
    const faults::ScenarioError e = parse_error(c.text);
    const std::string all = e.str();
    EXPECT_EQ(e.file, "bad.toml") << c.text;
    EXPECT_EQ(e.line, c.line) << c.text << "\n" << all;
    EXPECT_EQ(e.key, c.key) << c.text << "\n" << all;
    EXPECT_NE(all.find(c.says), std::string::npos) << c.text << "\n" << all;
  }
}

TEST(ScenarioRun, OrdersUseTheWorkloadsCurrencies) {
  faults::ScenarioError error;
  auto s = faults::parse_scenario(
      "description = \"d\"\n[workload]\ncurrencies = [\"BHD\", \"KRW\"]\n", "c.toml", error);
  ASSERT_TRUE(s) << error.str();
  sim::RunConfig config = config_or_fail(*s, 3);
  config.keep_trace = true;
  const sim::RunResult r = sim::run_simulation(config);
  EXPECT_TRUE(r.passed());
  int bhd = 0;
  int krw = 0;
  int other = 0;
  for (const auto& line : r.trace) {
    if (line.find(" psp_authorize ") == std::string::npos ||
        line.find(" send ") == std::string::npos) {
      continue;
    }
    bhd += line.find(" BHD") != std::string::npos;
    krw += line.find(" KRW") != std::string::npos;
    other += line.find(" USD") != std::string::npos || line.find(" JPY") != std::string::npos ||
             line.find(" KWD") != std::string::npos;
  }
  EXPECT_GT(bhd, 0);
  EXPECT_GT(krw, 0);
  EXPECT_EQ(other, 0);
}

TEST(ScenarioRun, TheRefundMixComesFromTheWorkload) {
  faults::ScenarioError error;
  auto s = faults::parse_scenario(
      "description = \"d\"\n[workload]\nauto_capture = \"1/1\"\nrefund_after_capture = "
      "\"1/1\"\nrefunds_max = 6\n",
      "r.toml", error);
  ASSERT_TRUE(s) << error.str();
  sim::RunConfig config = config_or_fail(*s, 3);
  config.keep_trace = true;
  const sim::RunResult r = sim::run_simulation(config);
  EXPECT_TRUE(r.passed());
  int sixth_refunds = 0;
  // The key is client-N-oM-refund6, perhaps followed by the merchant's own spelling.
  for (const auto& line : r.trace) sixth_refunds += line.find("-refund6") != std::string::npos;
  EXPECT_GT(sixth_refunds, 0) << "refunds_max = 6 lets an order be refunded in six parts";

  auto bad = faults::parse_scenario("description = \"d\"\n[workload]\nrefunds_max = 0\n",
                                    "bad.toml", error);
  EXPECT_FALSE(bad);
  EXPECT_NE(error.str().find("refunds_max"), std::string::npos) << error.str();
}

// `[replay]` decision lists (written by reckon shrink) accept only known decision kinds;
// every kind the simulator can record must be one of them, or a shrunk scenario of that
// run would not parse. Swarm switches on every random fault kind (client misbehaviour
// included); the settlement faults are turned on explicitly.
TEST(ScenarioParse, ClockFaultsAndPspExpiryAreRead) {
  faults::ScenarioError error;
  auto s = faults::parse_scenario(R"(
description = "clock"
[faults.psp]
authorization_expiry_ms = 45
[faults.clock]
skew_ms = [-30, 20]
late_timer = "1/10"
late_timer_ms = [2, 50]
[replay]
decisions = [{ at_us = 0, kind = "clock_skew", subject = "engine-0#1", value = -17000 }]
)",
                                  "clock.toml", error);
  ASSERT_TRUE(s.has_value()) << error.str();
  EXPECT_EQ(s->faults.psp.authorization_expiry_us, 45'000);
  EXPECT_EQ(s->faults.clock.skew_min_us, -30'000);
  EXPECT_EQ(s->faults.clock.skew_max_us, 20'000);
  EXPECT_EQ(s->faults.clock.late_timer.str(), "1/10");
  EXPECT_EQ(s->faults.clock.late_timer_min_us, 2'000);
  EXPECT_EQ(s->faults.clock.late_timer_max_us, 50'000);
  ASSERT_TRUE(s->replay.has_value());
  EXPECT_EQ(s->replay->at(0).value, -17'000);
}

TEST(ScenarioParse, EveryDecisionKindTheSimulatorRecordsIsAccepted) {
  std::set<std::string> kinds;
  for (uint64_t seed = 1; seed <= 30; ++seed) {
    sim::RunConfig config;
    config.seed = seed;
    config.swarm = true;
    auto& st = config.faults.settlement;
    for (Ratio* r : {&st.missing_line, &st.duplicate_line, &st.amount_drift, &st.wrong_currency,
                     &st.wrong_status, &st.late_line, &st.unexpected_fee, &st.unknown_chargeback,
                     &st.rounding, &st.authorization_reference, &st.missing_payout}) {
      *r = {1, 10};
    }
    for (const auto& d : sim::run_simulation(config).decisions) kinds.insert(d.kind);
  }
  EXPECT_GT(kinds.size(), 10u) << "the runs exercise most fault kinds";
  for (const auto& kind : kinds) {
    EXPECT_TRUE(faults::is_decision_kind(kind)) << "'" << kind << "' is recorded but not accepted";
  }
}

TEST(ScenarioParse, RatiosAreStrict) {
  EXPECT_TRUE(faults::parse_ratio("0/1"));
  EXPECT_TRUE(faults::parse_ratio("1/1"));
  EXPECT_TRUE(faults::parse_ratio("3/100"));
  for (const char* bad : {"", "/", "1/", "/2", "1/0", "2/1", "1.5/2", " 1/2", "1/2 ", "-1/2"}) {
    EXPECT_FALSE(faults::parse_ratio(bad)) << bad;
  }
}

TEST(ScenarioLibrary, HasTheRequiredShape) {
  size_t total = 0;
  for (const char* folder : {"fast", "slow", "negative", "regressions"}) {
    const auto files = scenario_files(folder);
    EXPECT_FALSE(files.empty()) << folder;
    total += files.size();
    for (const auto& path : files) {
      const faults::Scenario s = load_or_fail(path);
      EXPECT_FALSE(s.description.empty()) << path;
      std::string error;
      EXPECT_TRUE(cli::parse_seed_range(s.seeds, error)) << path << ": " << error;
      config_or_fail(s, 1);
      EXPECT_EQ(s.expect.fail, std::string(folder) == "negative") << path;
    }
  }
  EXPECT_GE(total, 25u);
}

// The fast library passes on the first seeds of each scenario (CI sweeps them all).
TEST(ScenarioLibrary, FastAndRegressionScenariosPass) {
  for (const char* folder : {"fast", "regressions"}) {
    for (const auto& path : scenario_files(folder)) {
      const faults::Scenario s = load_or_fail(path);
      for (uint64_t seed = 1; seed <= 4; ++seed) {
        const sim::RunResult r = sim::run_simulation(config_or_fail(s, seed));
        for (const auto& f : r.failures) {
          ADD_FAILURE() << path.filename() << " seed " << seed << ": " << f.property << ": "
                        << f.detail;
        }
      }
    }
  }
}

TEST(ScenarioLibrary, NegativeScenariosFailForTheStatedReason) {
  for (const auto& path : scenario_files("negative")) {
    const faults::Scenario s = load_or_fail(path);
    std::string error;
    const auto range = cli::parse_seed_range(s.seeds, error);
    ASSERT_TRUE(range) << error;
    bool caught = false;
    for (uint64_t seed = range->first; seed <= range->last && !caught; ++seed) {
      const sim::RunResult r = sim::run_simulation(config_or_fail(s, seed));
      for (const auto& f : r.failures) caught = caught || f.property == s.expect.property;
    }
    EXPECT_TRUE(caught) << path.filename() << " never failed with " << s.expect.property;
  }
}

// ... and for no other: the same settings and seeds without the planted defect pass.
TEST(ScenarioLibrary, NegativeScenariosPassWithoutTheirDefect) {
  for (const auto& path : scenario_files("negative")) {
    const faults::Scenario s = load_or_fail(path);
    std::string error;
    const auto range = cli::parse_seed_range(s.seeds, error);
    ASSERT_TRUE(range) << error;
    for (uint64_t seed = range->first; seed <= range->last; ++seed) {
      sim::RunConfig config = config_or_fail(s, seed);
      config.planted = engine::PlantedDefects{};
      config.expect = faults::Expectation{};
      for (const auto& f : sim::run_simulation(config).failures) {
        ADD_FAILURE() << path.filename() << " without its defect, seed " << seed << ": "
                      << f.property << ": " << f.detail;
      }
    }
  }
}

}  // namespace
}  // namespace reckon
