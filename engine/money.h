#pragma once
// Money is an int64 count of minor units plus an ISO 4217 currency. No floating point.
//
// The currency table is versioned: a scenario or a stored charge that names a currency
// the table does not know is rejected, never guessed.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace reckon::engine {

inline constexpr std::string_view kCurrencyTableVersion = "iso4217-reckon-1";

struct CurrencyInfo {
  std::string_view code;
  int exponent;  // minor units per major unit = 10^exponent (0 for JPY, 2 for USD, 3 for KWD)
};

// The known currency with this code, or nullopt.
std::optional<CurrencyInfo> find_currency(std::string_view code);

struct Money {
  int64_t amount_minor = 0;
  std::string currency;
};

}  // namespace reckon::engine
