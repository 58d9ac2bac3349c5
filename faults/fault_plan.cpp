#include "faults/fault_plan.h"

namespace reckon::faults {

FaultPlan default_fault_plan() {
  // The struct's defaults (network loss, duplicates, tail latency, crashes, crash points,
  // declines, misbehaving clients), plus what makes `reckon sweep` alone a fair first check:
  // PSP 5xx and refusals, and engine-PSP partitions, so that authorizations go unknown and
  // recovery meets every outcome (all 12 transitions within seeds 1..200,
  // ctest suite.default); and a low rate of every storage fault the fast suite has.
  FaultPlan plan;
  plan.psp.error_before_processing = {2, 100};
  plan.psp.error_after_processing = {2, 100};
  plan.psp.refusal = {5, 100};  // unknown -> failed needs a refused re-send: ~1 seed in 30
  plan.network.partition_interval_mean_us = 1'000'000;
  plan.network.partition_max_us = 3'000'000;
  plan.storage.sync_failure = {1, 500};
  plan.storage.disk_full = {1, 1000};
  plan.storage.crash_at_sync = {1, 500};
  plan.storage.torn_write = {1, 4};
  plan.clients.void_after_capture = {1, 10};
  plan.clients.webhook_endpoint_error = {1, 20};
  return plan;
}

FaultPlan quiet_fault_plan() {
  FaultPlan plan;
  plan.network.request_loss = Ratio::never();
  plan.network.response_loss = Ratio::never();
  plan.network.duplicate = Ratio::never();
  plan.network.latency.tail = Ratio::never();
  plan.network.reorder = Ratio::never();
  plan.network.partition_interval_mean_us = 0;
  plan.psp = PspFaults{};
  plan.psp.decline = Ratio::never();
  plan.storage = StorageFaults{};
  plan.clients.key_reuse_other_body = Ratio::never();
  plan.clients.over_capture = Ratio::never();
  plan.clients.void_after_capture = Ratio::never();
  plan.clock = ClockFaults{};
  plan.process.engine_crash_interval_mean_us = 0;
  plan.process.crash_point_rate = Ratio::never();
  return plan;
}

bool may_withhold_answers(const FaultPlan& plan) {
  const NetworkFaults& net = plan.network;
  const PspFaults& psp = plan.psp;
  const StorageFaults& disk = plan.storage;
  const Ratio rates[] = {net.request_loss,
                         net.response_loss,
                         net.reorder,
                         net.latency.tail,
                         plan.process.crash_point_rate,
                         psp.error_before_processing,
                         psp.error_after_processing,
                         psp.refusal,
                         psp.slow,
                         psp.garbled_reply,
                         disk.sync_failure,
                         disk.disk_full,
                         disk.torn_write,
                         disk.crash_at_sync,
                         plan.clock.late_timer};
  for (const Ratio& rate : rates) {
    if (!rate.is_zero()) return true;
  }
  return net.partition_interval_mean_us != 0 || plan.process.engine_crash_interval_mean_us != 0 ||
         !plan.process.crash_points.empty() || psp.lookup_lag_us != 0 ||
         plan.clock.skew_min_us != 0 || plan.clock.skew_max_us != 0;
}

namespace {

std::optional<std::string> validate_network(const NetworkFaults& net) {
  if (!net.request_loss.valid()) return "network.request_loss must be num/den with num <= den";
  if (!net.response_loss.valid()) return "network.response_loss must be num/den with num <= den";
  if (!net.duplicate.valid()) return "network.duplicate must be num/den with num <= den";
  if (!net.latency.tail.valid()) return "network.latency.tail must be num/den with num <= den";
  if (net.latency.min_us < 0 || net.latency.max_us < net.latency.min_us) {
    return "network.latency needs 0 <= min_us <= max_us";
  }
  if (net.latency.shape == LatencyShape::kLongTail &&
      net.latency.tail_max_us < net.latency.max_us) {
    return "network.latency.tail_max_us must be >= max_us";
  }
  if (!net.response_duplicate.valid()) {
    return "network.response_duplicate must be num/den with num <= den";
  }
  if (!net.reorder.valid()) return "network.reorder must be num/den with num <= den";
  if (net.reorder_min_us < 0 || net.reorder_max_us < net.reorder_min_us) {
    return "network reorder delay needs 0 <= min <= max";
  }
  if (net.partition_interval_mean_us < 0) return "network.partition_interval_mean_us < 0";
  if (net.partition_min_us < 0 || net.partition_max_us < net.partition_min_us) {
    return "network partition duration needs 0 <= min <= max";
  }
  return std::nullopt;
}

std::optional<std::string> validate_settlement(const SettlementFaults& set) {
  for (const Ratio* r :
       {&set.missing_line, &set.duplicate_line, &set.amount_drift, &set.wrong_currency,
        &set.wrong_status, &set.late_line, &set.unexpected_fee, &set.unknown_chargeback,
        &set.rounding, &set.payout_drift, &set.fee_drift, &set.authorization_reference,
        &set.missing_payout}) {
    if (!r->valid()) return "settlement rates must be num/den with num <= den";
  }
  if (set.cutoff_ms < 0 || set.cutoff_ms >= 86'400'000) {
    return "settlement.cutoff_ms must be a time of day in [0, 86400000)";
  }
  if (set.fee_bps < 0 || set.fee_bps > 10'000) return "settlement.fee_bps must be 0..10000";
  return std::nullopt;
}

}  // namespace

std::optional<std::string> validate(const FaultPlan& plan) {
  if (auto problem = validate_network(plan.network)) return problem;
  const auto& psp = plan.psp;
  for (const Ratio* r : {&psp.decline, &psp.error_before_processing, &psp.error_after_processing,
                         &psp.slow, &psp.refusal, &psp.garbled_reply}) {
    if (!r->valid()) return "psp rates must be num/den with num <= den";
  }
  if (psp.slow_min_us < 0 || psp.slow_max_us < psp.slow_min_us) {
    return "psp slow delay needs 0 <= min <= max";
  }
  if (psp.lookup_lag_us < 0) return "psp.lookup_lag_us < 0";
  if (psp.authorization_expiry_us < 0) return "psp.authorization_expiry_us < 0";
  const auto& st = plan.storage;
  for (const Ratio* r : {&st.sync_failure, &st.disk_full, &st.torn_write, &st.crash_at_sync}) {
    if (!r->valid()) return "storage rates must be num/den with num <= den";
  }
  const auto& cl = plan.clients;
  for (const Ratio* r : {&cl.key_reuse_other_body, &cl.over_capture, &cl.concurrent_same_key,
                         &cl.give_up, &cl.void_after_capture, &cl.webhook_endpoint_error}) {
    if (!r->valid()) return "client misbehaviour rates must be num/den with num <= den";
  }
  const auto& clock = plan.clock;
  constexpr int64_t kMaxSkewUs = 366LL * 86'400'000'000;
  if (clock.skew_max_us < clock.skew_min_us || clock.skew_min_us < -kMaxSkewUs ||
      clock.skew_max_us > kMaxSkewUs) {
    return "clock skew needs min <= max, each within a year";
  }
  if (!clock.late_timer.valid()) return "clock.late_timer must be num/den with num <= den";
  if (clock.late_timer_min_us < 0 || clock.late_timer_max_us < clock.late_timer_min_us) {
    return "clock late timer delay needs 0 <= min <= max";
  }
  if (plan.swarm_interval_scale < 1 || plan.swarm_interval_scale > 1'000'000) {
    return "swarm_interval_scale must be 1 .. 1000000";
  }
  const auto& proc = plan.process;
  if (proc.engine_crash_interval_mean_us < 0) return "process.engine_crash_interval_mean_us < 0";
  if (!proc.crash_point_rate.valid())
    return "process.crash_point_rate must be num/den with num <= den";
  if (proc.restart_delay_min_us < 0 || proc.restart_delay_max_us < proc.restart_delay_min_us) {
    return "process restart delay needs 0 <= min <= max";
  }
  return validate_settlement(plan.settlement);
}

}  // namespace reckon::faults
