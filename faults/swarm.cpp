#include "faults/swarm.h"

#include <algorithm>

#include "faults/fault_kinds.h"

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

// A mean gap scaled by 4, 2, 1 or 1/2: a longer gap is a rarer fault.
int64_t scaled_gap(int64_t base_us, uint64_t choice) {
  static constexpr int64_t kNum[] = {4, 2, 1, 1};
  static constexpr int64_t kDen[] = {1, 1, 1, 2};
  return base_us * kNum[choice] / kDen[choice];
}

// Skew has no rate: on, it spans +-(intensity+1) * 250 ms unless the plan sets a range.
void select_skew(ClockFaults& c, bool on, uint64_t intensity) {
  const bool configured = c.skew_min_us != 0 || c.skew_max_us != 0;
  const int64_t span_us = (static_cast<int64_t>(intensity) + 1) * 250'000;
  if (!on) {
    c.skew_min_us = c.skew_max_us = 0;
  } else if (!configured) {
    c.skew_min_us = -span_us;
    c.skew_max_us = span_us;
  }
}

}  // namespace

FaultPlan swarm_select(const FaultPlan& plan, const std::function<uint64_t(uint64_t)>& below,
                       std::vector<std::string>& enabled) {
  FaultPlan out = plan;
  enabled.clear();
  // INVARIANT: the kinds are visited in the registry's fixed order and each costs exactly
  // two draws, so a seed's selection never depends on which kinds the plan had on.
  for (const FaultKind& kind : fault_kinds()) {
    if (!kind.swarm) continue;
    const bool on = below(2) == 1;
    const uint64_t intensity = below(4);
    switch (kind.shape) {
      case KnobShape::kRate: {
        Ratio& slot = kind.rate(out);
        const Ratio base = slot.is_zero() ? kind.swarm_rate : slot;
        slot = on ? scaled(base, intensity) : Ratio::never();
        break;
      }
      case KnobShape::kMeanInterval: {
        int64_t& mean_us = kind.mean_us(out);
        const int64_t base = mean_us > 0 ? mean_us : kind.swarm_mean_us * plan.swarm_interval_scale;
        mean_us = on ? scaled_gap(base, intensity) : 0;
        break;
      }
      case KnobShape::kSkewRange:
        select_skew(out.clock, on, intensity);
        break;
      case KnobShape::kScheduled:
        break;  // never a swarm kind: the schedule is the scenario's
    }
    if (on) enabled.emplace_back(kind.name);
  }
  // The PSP sends webhooks when the plan does or when a webhook fault is on.
  const PspFaults& psp = out.psp;
  out.psp.webhooks = psp.webhooks || !psp.webhook_duplicate.is_zero() ||
                     !psp.webhook_late.is_zero() || !psp.webhook_forged.is_zero();
  return out;
}

}  // namespace reckon::faults
