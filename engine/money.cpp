#include "engine/money.h"

#include <array>

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

int64_t max_amount_minor(const CurrencyInfo& currency) {
  int64_t limit = 1;
  for (int i = 0; i < kMaxAmountMajorDigits + currency.exponent; ++i) limit *= 10;
  return limit - 1;
}

std::optional<CurrencyInfo> find_currency(std::string_view code) {
  for (const auto& c : kCurrencies) {
    if (c.code == code) return c;
  }
  return std::nullopt;
}

}  // namespace reckon::engine
