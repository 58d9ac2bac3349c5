#include "sim/card_numbers.h"

#include "engine/check.h"

namespace reckon::sim {
namespace {

// ISO/IEC 7812-1: from the rightmost digit (the check digit) leftwards, every second digit
// is doubled, and a doubled digit over 9 counts as the sum of its digits (minus 9).
int luhn_sum(const std::string& digits, bool check_digit_present) {
  int sum = 0;
  bool doubled = !check_digit_present;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    int d = *it - '0';
    if (doubled) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
    doubled = !doubled;
  }
  return sum;
}

}  // namespace

bool passes_luhn(const std::string& digits) {
  return !digits.empty() && luhn_sum(digits, true) % 10 == 0;
}

bool has_card_number_window(const std::string& digits, size_t longest) {
  for (size_t length = 13; length <= longest; ++length) {
    for (size_t start = 0; start + length <= digits.size(); ++start) {
      if (passes_luhn(digits.substr(start, length))) return true;
    }
  }
  return false;
}

std::string draw_card_number(PrngStream& stream) {
  const auto length = static_cast<size_t>(stream.between(13, 19));
  // About one draw in twenty has no shorter card number inside it (each of the up to 27
  // shorter windows passes Luhn one time in ten); 200 draws fail to find one with odds
  // below 1e-4, and then the last draw serves.
  std::string digits;
  for (int draw = 0; draw < 200; ++draw) {
    digits.assign(1, static_cast<char>('1' + stream.below(9)));  // no leading zero
    while (digits.size() + 1 < length) digits += static_cast<char>('0' + stream.below(10));
    digits += static_cast<char>('0' + (10 - luhn_sum(digits, false) % 10) % 10);
    if (!has_card_number_window(digits, length - 1)) break;
  }
  RECKON_CHECK(passes_luhn(digits), "a drawn card number passes Luhn");
  return digits;
}

std::string grouped_card_number(const std::string& digits, char separator) {
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (separator != '\0' && i > 0 && i % 4 == 0) out += separator;
    out += digits[i];
  }
  return out;
}

}  // namespace reckon::sim
