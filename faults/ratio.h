#pragma once
// A probability as an integer ratio: num out of den. Probabilities are never floats, so a
// fault plan means the same thing on every machine and compiler.

#include <cstdint>
#include <string>

namespace reckon {

struct Ratio {
  uint64_t num = 0;
  uint64_t den = 1;

  static constexpr Ratio never() { return {0, 1}; }
  static constexpr Ratio always() { return {1, 1}; }
  static constexpr Ratio per_mille(uint64_t n) { return {n, 1000}; }
  bool is_zero() const { return num == 0; }
  bool valid() const { return den > 0 && num <= den; }
  std::string str() const { return std::to_string(num) + "/" + std::to_string(den); }
};

}  // namespace reckon
