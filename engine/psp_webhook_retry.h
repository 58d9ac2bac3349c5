#pragma once
// The PSP's side of webhook delivery: how it resends a notice it was not thanked for. Kept
// apart from the engine's decoder (engine/psp_webhook.h) so that the simulated PSP can follow
// the policy without seeing how the engine reads a notice.

#include <cstdint>
#include <optional>

namespace reckon::engine {

// How the PSP resends a notice until it gets a 2xx: after the n-th failed delivery it
// waits base * 2^(n-1), at most max, and after deliveries_max deliveries it gives up.
// The simulated PSP and `reckon psp-sim` both follow it (docs/psp-dialect.md).
struct PspWebhookRetryPolicy {
  int64_t base_us = 250'000;
  int64_t max_us = 4'000'000;
  int deliveries_max = 12;

  // The wait after `deliveries` (>= 1) failed deliveries, or nullopt: give up.
  std::optional<int64_t> delay_after_us(int deliveries) const;
};

}  // namespace reckon::engine
