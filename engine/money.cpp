#include "engine/money.h"

#include <array>
#include <cstdlib>

namespace reckon::engine {
namespace {

// Sorted by code. Exponents from ISO 4217; a subset large enough to exercise 0, 2 and 3.
constexpr std::array<CurrencyInfo, 14> kCurrencies{{
    {"AUD", 2},
    {"BHD", 3},
    {"CAD", 2},
    {"CHF", 2},
    {"EUR", 2},
    {"GBP", 2},
    {"JOD", 3},
    {"JPY", 0},
    {"KRW", 0},
    {"KWD", 3},
    {"NOK", 2},
    {"OMR", 3},
    {"SEK", 2},
    {"USD", 2},
}};

}  // namespace

std::optional<CurrencyInfo> find_currency(std::string_view code) {
  for (const auto& c : kCurrencies) {
    if (c.code == code) return c;
  }
  return std::nullopt;
}

std::string format_money(int64_t amount_minor, const CurrencyInfo& currency) {
  const bool negative = amount_minor < 0;
  // Widen before negating so INT64_MIN is formatted rather than overflowed.
  unsigned long long magnitude = negative ? 0ULL - static_cast<unsigned long long>(amount_minor)
                                          : static_cast<unsigned long long>(amount_minor);
  unsigned long long scale = 1;
  for (int i = 0; i < currency.exponent; ++i) scale *= 10;
  std::string out = negative ? "-" : "";
  out += std::to_string(magnitude / scale);
  if (currency.exponent > 0) {
    std::string frac = std::to_string(magnitude % scale);
    out += '.';
    out += std::string(static_cast<size_t>(currency.exponent) - frac.size(), '0') + frac;
  }
  out += ' ';
  out += currency.code;
  return out;
}

}  // namespace reckon::engine
