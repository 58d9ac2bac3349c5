#include "faults/swarm.h"

#include <algorithm>

namespace reckon::faults {
namespace {

// A rate scaled by 1/4, 1/2, 1 or 2, kept a valid probability.
Ratio scaled(Ratio base, uint64_t choice) {
  static constexpr uint64_t kNum[] = {1, 1, 1, 2};
  static constexpr uint64_t kDen[] = {4, 2, 1, 1};
  Ratio r{base.num * kNum[choice], base.den * kDen[choice]};
  if (r.num > r.den) r.num = r.den;
  return r;
}

}  // namespace

FaultPlan swarm_select(const FaultPlan& plan, const std::function<uint64_t(uint64_t)>& below,
                       std::vector<std::string>& enabled) {
  FaultPlan out = plan;
  enabled.clear();
  // INVARIANT: the kinds are visited in this fixed order and each costs exactly two draws,
  // so a seed's selection never depends on which kinds the plan had on.
  auto rate = [&](const char* name, Ratio& slot, Ratio fallback) {
    const bool on = below(2) == 1;
    const uint64_t intensity = below(4);
    const Ratio base = slot.is_zero() ? fallback : slot;
    slot = on ? scaled(base, intensity) : Ratio::never();
    if (on) enabled.emplace_back(name);
  };
  auto interval = [&](const char* name, int64_t& mean_us, int64_t fallback_us) {
    const bool on = below(2) == 1;
    const uint64_t intensity = below(4);
    const int64_t base = mean_us > 0 ? mean_us : fallback_us;
    // The mean gap scaled by 4, 2, 1 or 1/2: a longer gap is a rarer fault.
    static constexpr int64_t kNum[] = {4, 2, 1, 1};
    static constexpr int64_t kDen[] = {1, 1, 1, 2};
    mean_us = on ? base * kNum[intensity] / kDen[intensity] : 0;
    if (on) enabled.emplace_back(name);
  };
  rate("request_loss", out.network.request_loss, {2, 100});
  rate("response_loss", out.network.response_loss, {3, 100});
  rate("duplicate", out.network.duplicate, {2, 100});
  rate("reorder", out.network.reorder, {3, 100});
  rate("latency_tail", out.network.latency.tail, {2, 100});
  interval("partitions", out.network.partition_interval_mean_us,
           5'000'000 * plan.swarm_interval_scale);
  interval("crashes", out.process.engine_crash_interval_mean_us,
           3'000'000 * plan.swarm_interval_scale);
  rate("crash_points", out.process.crash_point_rate, {1, 60});
  rate("psp_decline", out.psp.decline, {5, 100});
  rate("psp_error_before_processing", out.psp.error_before_processing, {3, 100});
  rate("psp_error_after_processing", out.psp.error_after_processing, {3, 100});
  rate("psp_slow", out.psp.slow, {3, 100});
  rate("sync_failure", out.storage.sync_failure, {1, 200});
  rate("disk_full", out.storage.disk_full, {1, 500});
  rate("torn_write", out.storage.torn_write, {1, 2});
  rate("crash_at_sync", out.storage.crash_at_sync, {1, 100});
  rate("client_key_reuse", out.clients.key_reuse_other_body, {1, 10});
  rate("client_over_capture", out.clients.over_capture, {1, 10});
  rate("client_concurrent_same_key", out.clients.concurrent_same_key, {1, 10});
  rate("client_gives_up", out.clients.give_up, {1, 10});
  // Appended last, so the kinds above keep the draws (and selections) they had.
  rate("timer_late", out.clock.late_timer, {1, 10});
  {
    // Skew has no rate: on, it spans +-(intensity+1) * 250 ms unless the plan sets a range.
    const bool on = below(2) == 1;
    const int64_t intensity = static_cast<int64_t>(below(4));
    auto& c = out.clock;
    const bool configured = c.skew_min_us != 0 || c.skew_max_us != 0;
    const int64_t span_us = (intensity + 1) * 250'000;
    if (!on) {
      c.skew_min_us = c.skew_max_us = 0;
    } else if (!configured) {
      c.skew_min_us = -span_us;
      c.skew_max_us = span_us;
    }
    if (on) enabled.emplace_back("clock_skew");
  }
  // PSP webhooks: the PSP sends them when the plan does or when either webhook fault is on.
  rate("psp_webhook_duplicate", out.psp.webhook_duplicate, {1, 4});
  rate("psp_webhook_late", out.psp.webhook_late, {1, 4});
  out.psp.webhooks =
      out.psp.webhooks || !out.psp.webhook_duplicate.is_zero() || !out.psp.webhook_late.is_zero();
  // Appended after the webhook faults, so the kinds above keep their draws.
  rate("psp_refusal", out.psp.refusal, {3, 100});
  rate("client_void_after_capture", out.clients.void_after_capture, {1, 10});
  rate("client_webhook_endpoint_error", out.clients.webhook_endpoint_error, {1, 10});
  // The settlement report faults, after the clock and webhook ones (same reason). Their rates are
  // per report line (per payout for payout_drift); the fallback hits about one line in 20.
  auto& se = out.settlement;
  rate("settlement_missing_line", se.missing_line, {1, 20});
  rate("settlement_duplicate_line", se.duplicate_line, {1, 20});
  rate("settlement_amount_drift", se.amount_drift, {1, 20});
  rate("settlement_wrong_currency", se.wrong_currency, {1, 20});
  rate("settlement_wrong_status", se.wrong_status, {1, 20});
  rate("settlement_late_line", se.late_line, {1, 20});
  rate("settlement_unexpected_fee", se.unexpected_fee, {1, 20});
  rate("settlement_unknown_chargeback", se.unknown_chargeback, {1, 20});
  rate("settlement_rounding", se.rounding, {1, 20});
  rate("settlement_payout_drift", se.payout_drift, {1, 5});
  // Last, so every kind above keeps its draws. A forged notice needs the PSP's webhooks.
  rate("psp_webhook_forged", out.psp.webhook_forged, {1, 4});
  out.psp.webhooks = out.psp.webhooks || !out.psp.webhook_forged.is_zero();
  // After the forgeries, for the same reason.
  rate("settlement_fee_drift", se.fee_drift, {1, 20});
  rate("settlement_authorization_reference", se.authorization_reference, {1, 20});
  rate("psp_garbled_reply", out.psp.garbled_reply, {2, 100});
  // Last, so every kind above keeps its draws (rate per payout, as payout_drift).
  rate("settlement_missing_payout", se.missing_payout, {1, 5});
  return out;
}

}  // namespace reckon::faults
