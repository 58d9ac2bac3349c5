#pragma once
// Sums of money for the checkers: 128 bits, so entries near int64's limits cannot wrap an
// unbalanced sum to zero (the engine's own sums are judged, not trusted; docs/ledger.md).

#include <string>

namespace reckon::oracle {

// __extension__: GCC and Clang both provide the type; -Wpedantic only notes it is not ISO.
__extension__ typedef __int128 WideSum;

// `value` in decimal (std::to_string has no 128-bit overload).
inline std::string wide_to_string(WideSum value) {
  if (value == 0) return "0";
  const bool negative = value < 0;
  std::string digits;
  for (; value != 0; value /= 10) {
    const auto digit = static_cast<int>(value % 10);
    digits.insert(digits.begin(), static_cast<char>('0' + (negative ? -digit : digit)));
  }
  return negative ? "-" + digits : digits;
}

}  // namespace reckon::oracle
