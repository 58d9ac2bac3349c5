#pragma once
// Authorization expiry defaults, shared by the engine's config and the scenario format so the
// two can never disagree (engine/expiry.cpp implements expiry).

#include <cstdint>

namespace reckon::engine {

// An uncaptured authorization holds the customer's money this long (7 days).
inline constexpr int64_t kDefaultAuthorizationExpiryUs = 7LL * 24 * 3600 * 1'000'000;

}  // namespace reckon::engine
