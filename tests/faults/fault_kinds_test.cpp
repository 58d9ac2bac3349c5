// Each fault kind: switched on alone, it is injected, recorded as a decision in the trace,
// the correct engine keeps every property through it, and the same seed replays it to the
// same trace hash.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "faults/swarm.h"
#include "sim/prng.h"
#include "sim/properties.h"
#include "sim/world.h"

namespace reckon::sim {
namespace {

struct KindCase {
  const char* kind;  // as it appears in the trace: "kind=<name>"
  std::function<void(faults::FaultPlan&)> enable;
};

int count_decisions(const RunResult& r, const std::string& kind) {
  int n = 0;
  for (const auto& line : r.trace) {
    n += line.find(" faults fault ") != std::string::npos &&
         line.find(" kind=" + kind + " ") != std::string::npos;
  }
  return n;
}

const std::vector<KindCase>& cases() {
  static const std::vector<KindCase> all = {
      {"request_loss",
       [](faults::FaultPlan& p) {
         p.network.request_loss = {1, 10};
       }},
      {"response_loss",
       [](faults::FaultPlan& p) {
         p.network.response_loss = {1, 10};
       }},
      {"duplicate",
       [](faults::FaultPlan& p) {
         p.network.duplicate = {1, 5};
       }},
      {"reorder",
       [](faults::FaultPlan& p) {
         p.network.reorder = {1, 5};
       }},
      {"partition", [](faults::FaultPlan& p) { p.network.partition_interval_mean_us = 400'000; }},
      {"crash", [](faults::FaultPlan& p) { p.process.engine_crash_interval_mean_us = 500'000; }},
      {"crash_point",
       [](faults::FaultPlan& p) {
         p.process.crash_point_rate = {1, 5};
       }},
      {"psp_error_before_processing",
       [](faults::FaultPlan& p) {
         p.psp.error_before_processing = {1, 5};
       }},
      {"psp_error_after_processing",
       [](faults::FaultPlan& p) {
         p.psp.error_after_processing = {1, 5};
       }},
      {"psp_slow",
       [](faults::FaultPlan& p) {
         p.psp.slow = {1, 5};
       }},
      {"psp_garbled_reply",
       [](faults::FaultPlan& p) {
         p.psp.garbled_reply = {1, 5};
       }},
      {"client_void_after_capture",
       [](faults::FaultPlan& p) {
         p.clients.void_after_capture = {1, 2};
       }},
      {"client_webhook_endpoint_error",
       [](faults::FaultPlan& p) {
         p.clients.webhook_endpoint_error = {1, 3};
       }},
      {"psp_refusal",
       [](faults::FaultPlan& p) {
         p.psp.refusal = {1, 5};
       }},
      {"sync_failure",
       [](faults::FaultPlan& p) {
         p.storage.sync_failure = {1, 20};
       }},
      {"disk_full",
       [](faults::FaultPlan& p) {
         p.storage.disk_full = {1, 20};
       }},
      {"crash_at_sync",
       [](faults::FaultPlan& p) {
         p.storage.crash_at_sync = {1, 30};
       }},
      {"torn_write",
       [](faults::FaultPlan& p) {
         p.storage.torn_write = {1, 1};
         p.storage.crash_at_sync = {1, 30};
       }},
      {"clock_skew",
       [](faults::FaultPlan& p) {
         p.clock.skew_min_us = -300'000;
         p.clock.skew_max_us = 300'000;
       }},
      {"timer_late",
       [](faults::FaultPlan& p) {
         p.clock.late_timer = {1, 3};
       }},
      {"latency_tail",
       [](faults::FaultPlan& p) {
         p.network.latency = {faults::LatencyShape::kLongTail, 500, 8'000, {1, 10}, 400'000};
       }},
      {"psp_webhook_duplicate",
       [](faults::FaultPlan& p) {
         p.psp.webhooks = true;
         p.psp.webhook_duplicate = {1, 2};
       }},
      {"psp_webhook_late",
       [](faults::FaultPlan& p) {
         p.psp.webhooks = true;
         p.psp.webhook_late = {1, 2};
       }},
      {"psp_webhook_forged",
       [](faults::FaultPlan& p) {
         p.psp.webhooks = true;
         p.psp.webhook_forged = {1, 2};
       }},
  };
  return all;
}

RunConfig config_with(const KindCase& c, uint64_t seed) {
  RunConfig config;
  config.seed = seed;
  config.keep_trace = true;
  config.faults = faults::quiet_fault_plan();
  c.enable(config.faults);
  return config;
}

TEST(FaultKinds, EachKindIsInjectedRecordedAndReplayed) {
  for (const auto& c : cases()) {
    int decisions = 0;
    for (uint64_t seed = 1; seed <= 3; ++seed) {
      const RunConfig config = config_with(c, seed);
      const RunResult first = run_simulation(config);
      for (const auto& f : first.failures) {
        ADD_FAILURE() << c.kind << " seed " << seed << ": " << f.property << ": " << f.detail;
      }
      decisions += count_decisions(first, c.kind);
      const RunResult again = run_simulation(config);
      EXPECT_EQ(first.trace_hash, again.trace_hash) << c.kind << " seed " << seed;
      // And from the decision list alone (reckon replay --decisions).
      RunConfig replay = config;
      replay.replay_decisions = first.decisions;
      EXPECT_EQ(run_simulation(replay).trace_hash, first.trace_hash)
          << c.kind << " seed " << seed << " from its decisions";
    }
    EXPECT_GT(decisions, 0) << c.kind << " was never injected";
  }
}

TEST(FaultKinds, QuietPlanInjectsNothing) {
  RunConfig config;
  config.seed = 9;
  config.keep_trace = true;
  config.faults = faults::quiet_fault_plan();
  const RunResult r = run_simulation(config);
  EXPECT_TRUE(r.passed());
  EXPECT_EQ(r.stats.fault_decisions, 0u);
  EXPECT_EQ(r.stats.engine_crashes, 0u);
}

TEST(FaultKinds, LookupLagIsToleratedByRecovery) {
  RunConfig config;
  config.seed = 4;
  config.keep_trace = true;
  config.faults = faults::quiet_fault_plan();
  config.faults.network.response_loss = {1, 5};
  config.faults.psp.lookup_lag_us = 2'000'000;
  config.psp_attempts_max = 1;
  int lagged = 0;
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    config.seed = seed;
    const RunResult r = run_simulation(config);
    EXPECT_TRUE(r.passed()) << seed << ": " << (r.passed() ? "" : r.failures[0].detail);
    for (const auto& line : r.trace) lagged += line.find(" psp lookup_lag ") != std::string::npos;
  }
  EXPECT_GT(lagged, 0) << "no lookup ever hit the lag";
}

TEST(FaultKinds, SwarmSwitchesKindsPerSeedAndRecordsThem) {
  std::set<std::string> selections;
  int settlement_decisions = 0;
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    RunConfig config;
    config.seed = seed;
    config.swarm = true;
    config.keep_trace = true;
    const RunResult r = run_simulation(config);
    EXPECT_TRUE(r.passed()) << seed << ": " << (r.passed() ? "" : r.failures[0].detail);
    std::string joined;
    for (const auto& k : r.swarm_kinds) joined += k + ",";
    selections.insert(joined);
    for (const auto& d : r.decisions) settlement_decisions += d.kind.starts_with("settlement_");
    bool traced = false;
    for (const auto& line : r.trace)
      traced = traced || line.find(" world swarm kinds=") != std::string::npos;
    EXPECT_TRUE(traced);
  }
  EXPECT_GT(selections.size(), 5u) << "swarm picked nearly the same kinds for every seed";
  // The default plan has no settlement faults: swarm alone switched them on, and the
  // reconciliation job still flagged exactly what they injected (every seed passed).
  EXPECT_GT(settlement_decisions, 0);
}

// Swarm's draw for one seed, as the world makes it.
faults::FaultPlan swarm_plan(uint64_t seed, std::vector<std::string>& kinds) {
  PrngStream stream(seed, "swarm");
  return faults::swarm_select(
      faults::FaultPlan{}, [&](uint64_t n) { return stream.below(n); }, kinds);
}

TEST(FaultKinds, SwarmSwitchesSettlementKindsOnForSomeSeedsAndOffForOthers) {
  const std::vector<std::pair<std::string, Ratio faults::SettlementFaults::*>> kinds = {
      {"settlement_missing_line", &faults::SettlementFaults::missing_line},
      {"settlement_duplicate_line", &faults::SettlementFaults::duplicate_line},
      {"settlement_amount_drift", &faults::SettlementFaults::amount_drift},
      {"settlement_wrong_currency", &faults::SettlementFaults::wrong_currency},
      {"settlement_wrong_status", &faults::SettlementFaults::wrong_status},
      {"settlement_late_line", &faults::SettlementFaults::late_line},
      {"settlement_unexpected_fee", &faults::SettlementFaults::unexpected_fee},
      {"settlement_unknown_chargeback", &faults::SettlementFaults::unknown_chargeback},
      {"settlement_rounding", &faults::SettlementFaults::rounding},
      {"settlement_payout_drift", &faults::SettlementFaults::payout_drift},
      {"settlement_fee_drift", &faults::SettlementFaults::fee_drift},
      {"settlement_authorization_reference", &faults::SettlementFaults::authorization_reference},
      {"settlement_missing_payout", &faults::SettlementFaults::missing_payout}};
  std::map<std::string, int> on;
  std::map<std::string, std::set<std::string>> rates;
  constexpr int kSeeds = 40;
  for (uint64_t seed = 1; seed <= kSeeds; ++seed) {
    std::vector<std::string> enabled;
    const faults::FaultPlan plan = swarm_plan(seed, enabled);
    std::vector<std::string> again;
    const faults::FaultPlan same = swarm_plan(seed, again);
    EXPECT_EQ(enabled, again) << "seed " << seed;
    for (const auto& [name, rate] : kinds) {
      const bool listed = std::find(enabled.begin(), enabled.end(), name) != enabled.end();
      // Listed exactly when its rate is on; the same seed draws the same rate.
      EXPECT_EQ(listed, !(plan.settlement.*rate).is_zero()) << name << " seed " << seed;
      EXPECT_EQ((plan.settlement.*rate).str(), (same.settlement.*rate).str()) << name;
      on[name] += listed ? 1 : 0;
      if (listed) rates[name].insert((plan.settlement.*rate).str());
    }
  }
  for (const auto& [name, rate] : kinds) {
    EXPECT_GT(on[name], 0) << name << " never switched on in " << kSeeds << " seeds";
    EXPECT_LT(on[name], kSeeds) << name << " never switched off in " << kSeeds << " seeds";
    EXPECT_GT(rates[name].size(), 1u) << name << " always at the same intensity";
  }
}

TEST(FaultKinds, ScheduledFaultsHappenAtTheirTime) {
  RunConfig config;
  config.seed = 2;
  config.keep_trace = true;
  config.faults = faults::quiet_fault_plan();
  faults::ScheduledFault crash;
  crash.kind = faults::ScheduledFault::Kind::kCrash;
  crash.at_us = 150'000;
  faults::ScheduledFault cut;
  cut.kind = faults::ScheduledFault::Kind::kPartition;
  cut.at_us = 50'000;
  cut.node_a = "engine-0";
  cut.node_b = "psp";
  cut.duration_us = 400'000;
  config.schedule = {crash, cut};
  const RunResult r = run_simulation(config);
  EXPECT_TRUE(r.passed());
  bool crashed = false;
  bool partitioned = false;
  for (const auto& line : r.trace) {
    crashed = crashed || (line.starts_with("t=150000 faults fault ") &&
                          line.find("kind=scheduled_crash") != std::string::npos);
    partitioned = partitioned || (line.starts_with("t=50000 faults fault ") &&
                                  line.find("kind=scheduled_partition") != std::string::npos);
  }
  EXPECT_TRUE(crashed);
  EXPECT_TRUE(partitioned);
  EXPECT_EQ(r.stats.engine_crashes, 1u);
}

// The trace without its fault lines: what the nodes did.
std::vector<std::string> behaviour(const RunResult& r) {
  std::vector<std::string> out;
  for (const auto& line : r.trace) {
    if (line.find(" faults fault ") == std::string::npos) out.push_back(line);
  }
  return out;
}

// `config` replaying `r`'s decisions, those of `kind` with value 0 (no skew, on time).
RunConfig zeroed(RunConfig config, const RunResult& r, const std::string& kind) {
  std::vector<faults::Decision> decisions = r.decisions;
  for (auto& d : decisions) {
    if (d.kind == kind) d.value = 0;
  }
  config.replay_decisions = decisions;
  return config;
}

// A skewed engine clock (a new skew at every restart) and late engine timers, with
// authorizations expiring while clients capture: the correct engine keeps every property,
// the decisions replay to the same trace, and they matter (without the late timers the
// trace differs; a skew can be negative, and replays as such).
TEST(FaultKinds, ClockSkewAndLateTimersReplayFromTheirDecisions) {
  int late = 0;
  int skews = 0;
  int negative_skews = 0;
  int skew_felt = 0;
  int late_felt = 0;
  for (uint64_t seed = 1; seed <= 3; ++seed) {
    RunConfig config;
    config.seed = seed;
    config.keep_trace = true;
    config.faults = faults::quiet_fault_plan();
    config.faults.clock.skew_min_us = -250'000;
    config.faults.clock.skew_max_us = 250'000;
    config.faults.clock.late_timer = {1, 3};
    config.faults.network.response_loss = {1, 10};
    config.faults.process.engine_crash_interval_mean_us = 400'000;
    config.authorization_expiry_us = 40'000;
    config.client.auto_capture = Ratio::never();
    const RunResult r = run_simulation(config);
    EXPECT_TRUE(r.passed()) << seed << ": " << (r.passed() ? "" : r.failures[0].detail);
    late += count_decisions(r, "timer_late");
    for (const auto& d : r.decisions) {
      if (d.kind != "clock_skew") continue;
      ++skews;
      negative_skews += d.value < 0;
    }
    RunConfig replay = config;
    replay.replay_decisions = r.decisions;
    EXPECT_EQ(run_simulation(replay).trace_hash, r.trace_hash) << seed;
    // The decisions matter: with the same decisions but their values zeroed (so every fault
    // line still matches), what the nodes do differs. Fault lines themselves are left out
    // of the comparison, since they name the values.
    late_felt += behaviour(run_simulation(zeroed(config, r, "timer_late"))) != behaviour(r);
    skew_felt += behaviour(run_simulation(zeroed(config, r, "clock_skew"))) != behaviour(r);
  }
  EXPECT_GT(late_felt, 0) << "no run changed when its timers were on time";
  EXPECT_GT(skew_felt, 0) << "no run changed when its clock skews were zeroed";
  EXPECT_GT(late, 0);
  EXPECT_GT(skews, 3) << "each engine start draws a skew";
  EXPECT_GT(negative_skews, 0);
}

// The PSP lets uncaptured authorizations lapse on its own clock: a capture after that is
// refused (kFailed) and the engine keeps the charge authorized until its own expiry voids
// it; engine and PSP still agree at the end of the run.
TEST(FaultKinds, PspAuthorizationExpiryRefusesLateCaptures) {
  int refused = 0;
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    RunConfig config;
    config.seed = seed;
    config.keep_trace = true;
    config.faults = faults::quiet_fault_plan();
    config.faults.psp.authorization_expiry_us = 1'000;  // before any capture can arrive
    config.authorization_expiry_us = 200'000;
    config.client.auto_capture = Ratio::never();
    const RunResult r = run_simulation(config);
    EXPECT_TRUE(r.passed()) << seed << ": " << (r.passed() ? "" : r.failures[0].detail);
    EXPECT_EQ(r.stats.captured, 0) << seed;
    for (const auto& line : r.trace) {
      refused += line.find(" psp process psp_capture ") != std::string::npos &&
                 line.find(" outcome=failed") != std::string::npos;
    }
  }
  EXPECT_GT(refused, 0) << "no capture reached a lapsed authorization";
}

// Two requests with one key at once: the engine answers the second 409 request_in_progress
// while the first is in flight (or the first's answer once it is done), charges once, and
// the client judges the answer (client-consistency). Replays to the same trace.
TEST(FaultKinds, ConcurrentRequestsWithOneKeyGet409WhileTheFirstIsInFlight) {
  int in_flight_409 = 0;
  int decisions = 0;
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    RunConfig config;
    config.seed = seed;
    config.keep_trace = true;
    config.faults = faults::quiet_fault_plan();
    config.faults.clients.concurrent_same_key = {1, 1};
    const RunResult r = run_simulation(config);
    EXPECT_TRUE(r.passed()) << seed << ": " << (r.passed() ? "" : r.failures[0].detail);
    decisions += count_decisions(r, "client_concurrent_same_key");
    for (const auto& line : r.trace) {
      in_flight_409 += line.find(" concurrent_response ") != std::string::npos &&
                       line.find(" status=409") != std::string::npos;
    }
    RunConfig replay = config;
    replay.replay_decisions = r.decisions;
    EXPECT_EQ(run_simulation(replay).trace_hash, r.trace_hash) << seed;
  }
  EXPECT_GT(decisions, 0);
  EXPECT_GT(in_flight_409, 0) << "no second request ever met the first in flight";
}

// A client that gives up on an ambiguous call leaves the payment to recovery: with recovery
// the run is live; with recovery planted to skip UNKNOWN operations, liveness fails.
TEST(FaultKinds, ClientsThatGiveUpLeaveRecoveryToFinaliseThePayment) {
  auto config_for = [](uint64_t seed) {
    RunConfig config;
    config.seed = seed;
    config.keep_trace = true;
    config.faults = faults::quiet_fault_plan();
    config.faults.network.response_loss = {1, 4};
    config.faults.clients.give_up = {1, 1};
    config.psp_attempts_max = 1;
    return config;
  };
  int gave_up = 0;
  int caught = 0;
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    const RunConfig config = config_for(seed);
    const RunResult r = run_simulation(config);
    EXPECT_TRUE(r.passed()) << seed << ": " << (r.passed() ? "" : r.failures[0].detail);
    gave_up += count_decisions(r, "client_gives_up");
    RunConfig replay = config;
    replay.replay_decisions = r.decisions;
    EXPECT_EQ(run_simulation(replay).trace_hash, r.trace_hash) << seed;
    RunConfig broken = config;
    broken.planted.plant(engine::Defect::kRecoverySkipsUnknown);
    const RunResult b = run_simulation(broken);
    caught += !b.passed() && b.failures[0].property == std::string(kLiveness);
  }
  EXPECT_GT(gave_up, 0);
  EXPECT_GT(caught, 0) << "no run needed recovery after a client gave up";
}

// A fault-free plan guarantees answers; each knob that can withhold or delay one, alone,
// takes the guarantee away; knobs that cannot (declines, settlement faults, client key
// reuse, PSP webhooks) leave it.
TEST(FaultKinds, OnlyAnswerDelayingFaultsTakeAwayTheAnswerGuarantee) {
  using faults::FaultPlan;
  EXPECT_FALSE(faults::may_withhold_answers(faults::quiet_fault_plan()));
  EXPECT_TRUE(faults::may_withhold_answers(faults::default_fault_plan()));
  const Ratio some{1, 10};
  const std::vector<std::function<void(FaultPlan&)>> withholding = {
      [&](FaultPlan& p) { p.network.request_loss = some; },
      [&](FaultPlan& p) { p.network.response_loss = some; },
      [&](FaultPlan& p) { p.network.reorder = some; },
      [&](FaultPlan& p) { p.network.latency.tail = some; },
      [&](FaultPlan& p) { p.network.partition_interval_mean_us = 1'000'000; },
      [&](FaultPlan& p) { p.process.engine_crash_interval_mean_us = 1'000'000; },
      [&](FaultPlan& p) { p.process.crash_point_rate = some; },
      [&](FaultPlan& p) { p.process.crash_points = {"after_pending"}; },
      [&](FaultPlan& p) { p.psp.error_before_processing = some; },
      [&](FaultPlan& p) { p.psp.error_after_processing = some; },
      [&](FaultPlan& p) { p.psp.refusal = some; },
      [&](FaultPlan& p) { p.psp.slow = some; },
      [&](FaultPlan& p) { p.psp.garbled_reply = some; },
      [&](FaultPlan& p) { p.psp.lookup_lag_us = 1'000; },
      [&](FaultPlan& p) { p.storage.sync_failure = some; },
      [&](FaultPlan& p) { p.storage.disk_full = some; },
      [&](FaultPlan& p) { p.storage.torn_write = some; },
      [&](FaultPlan& p) { p.storage.crash_at_sync = some; },
      [&](FaultPlan& p) { p.clock.late_timer = some; },
      [&](FaultPlan& p) { p.clock.skew_max_us = 1'000; },
  };
  for (size_t i = 0; i < withholding.size(); ++i) {
    FaultPlan plan = faults::quiet_fault_plan();
    withholding[i](plan);
    EXPECT_TRUE(faults::may_withhold_answers(plan)) << "knob " << i;
  }
  FaultPlan harmless = faults::quiet_fault_plan();
  harmless.psp.decline = some;
  harmless.psp.webhooks = true;
  harmless.psp.webhook_duplicate = some;
  harmless.settlement.missing_line = some;
  harmless.clients.key_reuse_other_body = some;
  harmless.clients.over_capture = some;
  EXPECT_FALSE(faults::may_withhold_answers(harmless));
}

}  // namespace
}  // namespace reckon::sim
