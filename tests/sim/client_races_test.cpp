// The clients' races against the engine's own state (sim/client_races.cpp): the fast
// scenarios capture-void-race and refund-while-unknown pass over their seeds AND the races
// really happen in them (counted from the trace), so the scenarios are not vacuous; the
// capture-void-exclusive property catches the planted defect that lets a void past a capture
// in flight, and each of its checks is shown to fire.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "faults/scenario.h"
#include "sim/properties.h"
#include "sim/scenario_run.h"
#include "sim/world.h"
#include "tests/support/engine_fixture.h"

namespace reckon {
namespace {

constexpr uint64_t kFirstSeed = 1;
constexpr uint64_t kLastSeed = 20;

sim::RunConfig scenario_config(const std::string& relative) {
  faults::ScenarioError error;
  const auto path = std::filesystem::path(RECKON_SCENARIOS_DIR) / relative;
  auto s = faults::load_scenario(path.string(), error);
  EXPECT_TRUE(s.has_value()) << error.str();
  if (!s) return {};
  auto c = sim::run_config_for(*s, error);
  EXPECT_TRUE(c.has_value()) << error.str();
  return c.value_or(sim::RunConfig{});
}

bool has(const std::string& line, const std::string& text) {
  return line.find(text) != std::string::npos;
}

// What the trace says about the races of one sweep over seeds 1..20.
struct RaceCounts {
  int races = 0;
  int capture_won = 0;  // race_done capture=200, the void refused 409
  int void_won = 0;     // race_done void=200, the capture refused 409
  int undecided = 0;
  int refunds_while_unknown = 0;   // refunds sent on a 503 that named an UNKNOWN charge
  int refunded_while_unknown = 0;  // orders whose refund, sent so, succeeded
  int refused_while_unknown = 0;   // ... was refused 409: the charge turned out declined
  // Refunds sent so whose arrival made the engine ask the PSP by key first: the charge was
  // still UNKNOWN when the refund reached the engine.
  int refunds_resolved_first = 0;
  int refund_races = 0;
  int refund_one_served = 0;  // refund_race_done with exactly one 200 and the other 400/409
  int unexpected = 0;
  int failed_seeds = 0;
};

// The message id after "send " in a trace line ("... send msg30 to=..."), or "".
std::string sent_message(const std::string& line) {
  const size_t at = line.find(" send msg");
  if (at == std::string::npos) return "";
  const size_t begin = at + 6;
  return line.substr(begin, line.find(' ', begin) - begin);
}

// Counts refunds sent on an UNKNOWN answer whose arrival at the engine (the line "engine-0
// recv msgN") is followed at once by a PSP lookup the engine sends: settle_when_resolved.
int refunds_resolved_first(const std::vector<std::string>& trace) {
  int n = 0;
  for (size_t i = 0; i + 1 < trace.size(); ++i) {
    if (!has(trace[i], " refund_while_unknown ") || !has(trace[i + 1], "/refund ")) continue;
    const std::string received = " engine-0 recv " + sent_message(trace[i + 1]);
    for (size_t j = i + 2; j + 1 < trace.size(); ++j) {
      if (!trace[j].ends_with(received)) continue;
      n += has(trace[j + 1], " engine-0 send ") && has(trace[j + 1], " psp_lookup ");
      break;
    }
  }
  return n;
}

RaceCounts sweep(sim::RunConfig config) {
  RaceCounts n;
  config.keep_trace = true;
  for (uint64_t seed = kFirstSeed; seed <= kLastSeed; ++seed) {
    config.seed = seed;
    const sim::RunResult r = sim::run_simulation(config);
    for (const auto& f : r.failures) {
      ADD_FAILURE() << config.scenario << " seed " << seed << ": " << f.property << ": "
                    << f.detail;
    }
    n.failed_seeds += r.passed() ? 0 : 1;
    n.unexpected += r.stats.unexpected_responses;
    n.refunds_resolved_first += refunds_resolved_first(r.trace);
    for (const auto& line : r.trace) {
      n.races += has(line, " race charge=");
      if (has(line, " race_done ")) {
        if (has(line, " capture=200 void=409")) {
          ++n.capture_won;
        } else if (has(line, " capture=409 void=200")) {
          ++n.void_won;
        } else {
          ++n.undecided;
        }
      }
      n.refunds_while_unknown += has(line, " refund_while_unknown ") && has(line, "status=unknown");
      n.refunded_while_unknown += has(line, "outcome=refunded-while-unknown");
      n.refused_while_unknown += has(line, "outcome=refund-while-unknown-409");
      n.refund_races += has(line, " refund_race charge=");
      n.refund_one_served +=
          has(line, " refund_race_done ") &&
          (has(line, "first=200 second=400") || has(line, "first=400 second=200") ||
           has(line, "first=200 second=409") || has(line, "first=409 second=200"));
    }
  }
  return n;
}

// The seeds of a negative scenario that fail, each of which must fail first with `property`
// and a detail holding `detail`.
struct Caught {
  int seeds = 0;
  uint64_t first_seed = 0;
};

Caught caught_by(const std::string& scenario, const char* property, const std::string& detail) {
  sim::RunConfig config = scenario_config(scenario);
  Caught c;
  for (uint64_t seed = kFirstSeed; seed <= kLastSeed; ++seed) {
    config.seed = seed;
    const sim::RunResult r = sim::run_simulation(config);
    if (r.passed()) continue;
    EXPECT_EQ(r.failures.front().property, property) << r.failures.front().detail;
    EXPECT_TRUE(has(r.failures.front().detail, detail)) << r.failures.front().detail;
    ++c.seeds;
    if (c.first_seed == 0) c.first_seed = seed;
  }
  return c;
}

TEST(ClientRaces, CaptureVoidRacesHappenAndExactlyOneSideWins) {
  const RaceCounts n = sweep(scenario_config("fast/capture-void-race.toml"));
  EXPECT_EQ(n.failed_seeds, 0);
  EXPECT_EQ(n.unexpected, 0) << "every race answer is 200 or 409";
  // The scenario is not vacuous: races happen, and each side wins some of them (the other
  // side refused 409 by the engine).
  EXPECT_GT(n.races, 20);
  EXPECT_GT(n.capture_won, 0);
  EXPECT_GT(n.void_won, 0);
  EXPECT_EQ(n.capture_won + n.void_won + n.undecided, n.races) << "every race is judged";
  std::cout << "[ races    ] capture-void-race seeds " << kFirstSeed << ".." << kLastSeed << ": "
            << n.races << " races, capture won " << n.capture_won << ", void won " << n.void_won
            << ", no winner " << n.undecided << "\n";
}

TEST(ClientRaces, RefundsAreSentWhileTheChargeIsUnknownAndSucceed) {
  const RaceCounts n = sweep(scenario_config("fast/refund-while-unknown.toml"));
  EXPECT_EQ(n.failed_seeds, 0);
  EXPECT_EQ(n.unexpected, 0);
  EXPECT_GT(n.refunds_while_unknown, 10);
  EXPECT_GT(n.refunded_while_unknown, 0) << "some refunds sent while UNKNOWN went through";
  EXPECT_GT(n.refunds_resolved_first, 0) << "some reached the engine while still UNKNOWN";
  EXPECT_GT(n.refused_while_unknown, 0) << "some found the charge declined and were refused";
  std::cout << "[ races    ] refund-while-unknown seeds " << kFirstSeed << ".." << kLastSeed << ": "
            << n.refunds_while_unknown << " refunds sent while UNKNOWN, "
            << n.refunded_while_unknown << " of the orders refunded, " << n.refused_while_unknown
            << " refused (declined), " << n.refunds_resolved_first
            << " reached the engine while UNKNOWN (a lookup first)\n";
}

TEST(ClientRaces, RefundsRacingRefundsServeOneAndRefuseTheOther) {
  const RaceCounts n = sweep(scenario_config("fast/refund-race.toml"));
  EXPECT_EQ(n.failed_seeds, 0);
  EXPECT_EQ(n.unexpected, 0);
  EXPECT_GT(n.refund_races, 10);
  EXPECT_GT(n.refund_one_served, 0) << "some races are decided by the engine's cap";
  std::cout << "[ races    ] refund-race seeds " << kFirstSeed << ".." << kLastSeed << ": "
            << n.refund_races << " refund races, " << n.refund_one_served
            << " with one served and the other refused\n";
}

// A cap blind to refunds under way admits both; refund-within-capture names the charge.
TEST(ClientRaces, ACapBlindToRefundsUnderWayIsCaughtByRefundWithinCapture) {
  const Caught c = caught_by("negative/refund-cap-ignores-pending.toml", sim::kRefundWithinCapture,
                             "the engine committed to refunding");
  EXPECT_GT(c.seeds, 0);
}

// The knobs are off by default: the default run draws nothing for them and races nothing.
TEST(ClientRaces, DefaultRunsNeitherRaceNorRefundWhileUnknown) {
  sim::RunConfig config;
  const RaceCounts n = sweep(config);
  EXPECT_EQ(n.races, 0);
  EXPECT_EQ(n.refunds_while_unknown, 0);
  EXPECT_EQ(n.refund_races, 0);
}

// The engine's side of capture-void-exclusive: with the void admitted past a capture in
// flight, both reach the PSP; the property names the charge with two live settlements.
TEST(ClientRaces, AVoidPastACaptureInFlightIsCaughtByCaptureVoidExclusive) {
  const Caught c = caught_by("negative/void-ignores-capture-in-flight.toml",
                             sim::kCaptureVoidExclusive, "more than one capture or void");
  EXPECT_GT(c.seeds, 0);
  std::cout << "[ races    ] void-ignores-capture-in-flight: caught on " << c.seeds << "/"
            << (kLastSeed - kFirstSeed + 1) << " seeds, first seed " << c.first_seed << "\n";
}

// The client's side: two 200s for one race break the property; any other pair does not.
// (No engine defect can produce two 200s against the simulated PSP, which refuses to void a
// captured charge and to capture a voided one: the engine books only what the PSP did.)
TEST(ClientRaces, TheVerdictHasOneWinnerAtMost) {
  using sim::RaceVerdict;
  EXPECT_EQ(sim::race_verdict(200, 200), RaceVerdict::kBothWon);
  EXPECT_EQ(sim::race_verdict(200, 409), RaceVerdict::kCaptureWon);
  EXPECT_EQ(sim::race_verdict(200, 0), RaceVerdict::kCaptureWon);
  EXPECT_EQ(sim::race_verdict(409, 200), RaceVerdict::kVoidWon);
  EXPECT_EQ(sim::race_verdict(402, 200), RaceVerdict::kVoidWon);
  EXPECT_EQ(sim::race_verdict(409, 409), RaceVerdict::kNoWinner);
  EXPECT_EQ(sim::race_verdict(0, 0), RaceVerdict::kNoWinner);
}

// The end-of-run side: a race the void won on a charge that ends captured is a failure, and
// the same race on a voided charge is not.
TEST(ClientRaces, ARaceWinnerTheChargeContradictsFails) {
  test::EngineHarness h;
  h.psp.use_model();
  const auto created = h.post("/v1/charges", "auth-1", test::charge_body(5000, "USD", "tok_a"));
  ASSERT_TRUE(created.has_value());
  ASSERT_EQ(created->status, 201) << created->body;
  const std::string captured = test::parse_body(*created).value("id", "");
  const auto capture = h.post("/v1/charges/" + captured + "/capture", "cap-1", "{}");
  ASSERT_TRUE(capture.has_value());
  ASSERT_EQ(capture->status, 200) << capture->body;

  std::vector<sim::Failure> failures;
  sim::PropertyChecker checker(failures);
  checker.check_race_outcomes(h.engine().db().handle(), {{captured, /*capture_won=*/true, 1}}, 2);
  EXPECT_TRUE(failures.empty());
  checker.check_race_outcomes(h.engine().db().handle(), {{captured, /*capture_won=*/false, 1}}, 2);
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0].property, sim::kCaptureVoidExclusive);
  EXPECT_TRUE(has(failures[0].detail, "the charge ends captured")) << failures[0].detail;
}

}  // namespace
}  // namespace reckon
