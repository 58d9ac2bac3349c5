#include "adapters/card_data.h"

#include <string>
#include <vector>

namespace reckon::adapters {
namespace {

// Luhn's check (ISO/IEC 7812-1 annex B) over a run of digits; stated here, not taken from
// engine/card_token.h: a checker never judges with the code it judges.
bool luhn_valid(const std::string& digits) {
  int sum = 0;
  bool twice = false;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    int d = *it - '0';
    if (twice) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
    twice = !twice;
  }
  return sum % 10 == 0;
}

// A card number as the card brands issue them: 15-19 digits (ISO/IEC 7812), a Visa,
// Mastercard, American Express or Discover prefix, and a valid Luhn digit. The prefixes
// keep a millisecond timestamp (13 digits, starting with 1) or a counter from counting.
bool looks_like_card_number(const std::string& digits) {
  if (digits.size() < 15 || digits.size() > 19 || !luhn_valid(digits)) return false;
  const int two = std::stoi(digits.substr(0, 2));
  const int four = std::stoi(digits.substr(0, 4));
  return digits[0] == '4' || (two >= 51 && two <= 55) || (four >= 2221 && four <= 2720) ||
         two == 34 || two == 37 || four == 6011 || two == 65;
}

// A card number among groups of digits written with single spaces or dashes between them, as
// people write them ("4242 4242 4242 4242"): any run of consecutive whole groups, so a number
// next to other digits ("amount 1250 4242 ...", a date before it) is still found. A group is
// never split: a long digit run holds some Luhn-valid window by chance.
std::string card_number_in_groups(const std::vector<std::string>& groups) {
  for (size_t first = 0; first < groups.size(); ++first) {
    std::string digits;
    for (size_t last = first; last < groups.size() && digits.size() < 19; ++last) {
      digits += groups[last];
      if (looks_like_card_number(digits)) return digits;
    }
  }
  return "";
}

// The first card number in `text`.
std::string card_number_in(const std::string& text) {
  std::vector<std::string> groups;
  std::string group;
  auto flush = [&]() {
    if (!group.empty()) groups.push_back(group);
    group.clear();
    std::string found = card_number_in_groups(groups);
    groups.clear();
    return found;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (ch >= '0' && ch <= '9') {
      group += ch;
      continue;
    }
    const bool separator = (ch == ' ' || ch == '-') && !group.empty() && i + 1 < text.size() &&
                           text[i + 1] >= '0' && text[i + 1] <= '9';
    if (separator) {
      groups.push_back(group);
      group.clear();
      continue;
    }
    if (std::string found = flush(); !found.empty()) return found;
  }
  return flush();
}

// Whether `token` stands in `text` as a whole word: a token's own characters (letters, digits,
// '_') do not continue it, so tok_c1_o1 is not found inside tok_c1_o10.
bool holds_token(const std::string& text, const std::string& token) {
  auto word = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  };
  for (size_t at = text.find(token); at != std::string::npos; at = text.find(token, at + 1)) {
    const size_t end = at + token.size();
    if (end == text.size() || !word(text[end])) return true;
  }
  return false;
}

// Whether text[at, at + size) stands alone: no character of the key alphabet
// ([A-Za-z0-9_.-], docs/psp-dialect.md) continues it on either side.
bool stands_alone(const std::string& text, size_t at, size_t size) {
  auto key_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-';
  };
  return (at == 0 || !key_char(text[at - 1])) &&
         (at + size == text.size() || !key_char(text[at + size]));
}

}  // namespace

std::optional<std::string> card_data_in(const std::string& where, const std::string& text,
                                        const std::vector<std::string>& tokens,
                                        const std::vector<std::string>& identifiers) {
  for (const std::string& token : tokens) {
    if (holds_token(text, token)) return where + " holds the card token '" + token + "'";
  }
  // Idempotency keys (the harness's, and the provider keys the adapter sent) may hold a
  // Luhn-valid digit run by chance; an adapter may log them (docs/adapters.md), so each is
  // blanked before the card-number scan where it stands alone as a key: a short key (a
  // counter '1') is never blanked out of the middle of a card number.
  std::string scanned = text;
  for (const std::string& id : identifiers) {
    if (id.empty()) continue;
    for (size_t at = scanned.find(id); at != std::string::npos; at = scanned.find(id, at + 1)) {
      if (stands_alone(scanned, at, id.size())) scanned.replace(at, id.size(), id.size(), ' ');
    }
  }
  if (const std::string pan = card_number_in(scanned); !pan.empty()) {
    return where + " holds a card number (" + pan.substr(0, 6) + "..." +
           pan.substr(pan.size() - 4) + ")";
  }
  return std::nullopt;
}

std::optional<std::string> card_data_in_output(const std::string& stderr_text,
                                               const std::string& results_text,
                                               const std::vector<std::string>& tokens,
                                               const std::vector<std::string>& identifiers) {
  if (auto found = card_data_in("the adapter's stderr", stderr_text, tokens, identifiers)) {
    return found;
  }
  return card_data_in("a message the adapter wrote on stdout", results_text, tokens, identifiers);
}

std::string message_beyond_the_request(const nlohmann::json& message) {
  // A request's headers and body are what the provider is sent: an authorization's body
  // carries the card token on purpose. Everything else (the path, extra fields) is not.
  nlohmann::json rest = message;
  rest.erase("headers");
  rest.erase("body");
  return rest.dump();
}

}  // namespace reckon::adapters
