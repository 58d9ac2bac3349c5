#include "oracle/currencies.h"

#include <array>
#include <utility>

namespace reckon::oracle {

namespace {

// From the ISO 4217 list (column "Minor unit"). Three-decimal currencies are the Gulf
// dinars; zero-decimal ones the yen and the won.
constexpr std::array<std::pair<std::string_view, int>, 14> kMinorUnits{{
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

std::optional<int> iso4217_minor_units(std::string_view code) {
  for (const auto& [c, units] : kMinorUnits) {
    if (c == code) return units;
  }
  return std::nullopt;
}

std::vector<std::string_view> iso4217_codes() {
  std::vector<std::string_view> codes;
  for (const auto& [code, units] : kMinorUnits) codes.push_back(code);
  return codes;
}

long long minor_units_per_major(int exponent) {
  long long unit = 1;
  for (int i = 0; i < exponent; ++i) unit *= 10;
  return unit;
}

}  // namespace reckon::oracle
