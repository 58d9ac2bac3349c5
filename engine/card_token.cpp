#include "engine/card_token.h"

#include <string>

namespace reckon::engine {
namespace {

bool luhn_valid(const std::string& digits) {
  int sum = 0;
  bool double_it = false;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    int d = *it - '0';
    if (double_it) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double_it = !double_it;
  }
  return sum % 10 == 0;
}

// Every window of 13..19 consecutive digits of a run is checked: a PAN glued to other
// digits is still a PAN.
bool run_has_card_number(const std::string& digits) {
  for (size_t len = 13; len <= 19 && len <= digits.size(); ++len) {
    for (size_t start = 0; start + len <= digits.size(); ++start) {
      if (luhn_valid(digits.substr(start, len))) return true;
    }
  }
  return false;
}

}  // namespace

bool contains_card_number(std::string_view text) {
  std::string run;
  for (size_t i = 0; i <= text.size(); ++i) {
    const char c = i < text.size() ? text[i] : '\0';
    if (c >= '0' && c <= '9') {
      run += c;
    } else if ((c == ' ' || c == '-' || c == '_') && !run.empty()) {
      // Separators inside a card number, as people type them, or as a token's name might
      // glue them in (tok_4012_8888_8888_1881 carries a PAN).
      continue;
    } else {
      if (run.size() >= 13 && run_has_card_number(run)) return true;
      run.clear();
    }
  }
  return false;
}

bool is_card_token(std::string_view token) {
  if (token.size() < 5 || token.size() > 64 || token.substr(0, 4) != "tok_") return false;
  for (char c : token.substr(4)) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace reckon::engine
