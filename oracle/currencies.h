#pragma once
// ISO 4217 minor units of the currencies the simulated world trades in, as the standard
// states them (the list the engine accepts is in docs/api.md). The simulated PSP, the clients
// and the settlement writer take exponents from here, never from the engine's table.

#include <optional>
#include <string_view>
#include <vector>

namespace reckon::oracle {

// The number of decimal places of `code`'s minor unit (USD 2, JPY 0, KWD 3), or nullopt when
// the code is not one the harness knows.
std::optional<int> iso4217_minor_units(std::string_view code);

// Every code the harness knows, in alphabetical order: the currencies docs/api.md accepts.
std::vector<std::string_view> iso4217_codes();

// 10^exponent: minor units per major unit.
long long minor_units_per_major(int exponent);

}  // namespace reckon::oracle
