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

// The largest amount the engine takes in anywhere (the API's `amount`, a settlement report's
// gross, fee and net): under one billion major units of its currency, 10^(9 + exponent) - 1
// minor units (USD 999,999,999.99). INVARIANT: with every amount bounded so, each sum,
// difference and product of money the engine computes (a fee at up to 10,000 bps, a
// charge's captures and refunds) stays far inside int64.
inline constexpr int kMaxAmountMajorDigits = 9;
int64_t max_amount_minor(const CurrencyInfo& currency);

struct Money {
  int64_t amount_minor = 0;
  std::string currency;
};

}  // namespace reckon::engine
