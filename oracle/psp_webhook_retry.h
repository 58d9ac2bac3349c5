#pragma once
// The PSP's side of webhook delivery: how it resends a notice it was not thanked for
// (docs/psp-dialect.md). A rule of the provider, not of the engine: the engine only receives
// notices, so this lives with the checkers' statements, where the simulated PSP and
// `reckon psp-sim` both follow it.

#include <cstdint>
#include <optional>

namespace reckon::oracle {

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

}  // namespace reckon::oracle
