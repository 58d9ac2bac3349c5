#pragma once
// The engine's authorization expiry default (engine/expiry.cpp implements expiry). The
// checkers state the documented value on their own (oracle/charge_rules.h), so a wrong
// default here is caught rather than followed.

#include <cstdint>

namespace reckon::engine {

// An uncaptured authorization holds the customer's money this long (7 days).
inline constexpr int64_t kDefaultAuthorizationExpiryUs = 7LL * 24 * 3600 * 1'000'000;

}  // namespace reckon::engine
