#include "sim/merchant_spelling.h"

#include "engine/check.h"
#include "sim/card_numbers.h"

namespace reckon::sim {
namespace {

constexpr std::string_view kTokenPrefix = "tok_";
constexpr std::string_view kAnotherCard = "_again";
// Every visible ASCII character that is not a letter or digit, `"` and `\` inside it (the key
// starts with the plain key, so never with `"`, which would make it an sf-string).
constexpr std::string_view kPunctuation = "!#$%&'()*+,-./:;<=>?@[\\]^_`{|}~\"";

char hex_digit(uint64_t v) {
  return "0123456789abcdef"[v & 15];
}

std::string uuid_v4(PrngStream& stream) {
  std::string out;
  const uint64_t hi = stream.next_u64();
  const uint64_t lo = stream.next_u64();
  for (int i = 0; i < 32; ++i) {
    uint64_t nibble = (i < 16 ? hi >> (60 - 4 * i) : lo >> (60 - 4 * (i - 16))) & 15;
    if (i == 12) nibble = 4;                 // version 4
    if (i == 16) nibble = 8 | (nibble & 3);  // variant 10xx
    if (i == 8 || i == 12 || i == 16 || i == 20) out += '-';
    out += hex_digit(nibble);
  }
  return out;
}

// `length` digits, the first not 0; with `luhn`, the last is the check digit of the rest.
std::string digit_run(PrngStream& stream, size_t length, bool luhn) {
  std::string digits(1, static_cast<char>('1' + stream.below(9)));
  while (digits.size() < length) digits += static_cast<char>('0' + stream.below(10));
  if (luhn) {
    for (char last = '0'; last <= '9'; ++last) {
      digits.back() = last;
      if (passes_luhn(digits)) break;
    }
    RECKON_CHECK(passes_luhn(digits), "one of ten check digits passes Luhn");
  }
  return digits;
}

bool is_separator(char c) {
  return c == ' ' || c == '-' || c == '_';
}

}  // namespace

MerchantSpelling draw_merchant_spelling(PrngStream& stream) {
  constexpr KeyStyle kKeys[] = {KeyStyle::kPlain,     KeyStyle::kPlain,       KeyStyle::kUuid,
                                KeyStyle::kTimestamp, KeyStyle::kPunctuation, KeyStyle::kLongest};
  constexpr TokenStyle kTokens[] = {TokenStyle::kPlain,          TokenStyle::kPlain,
                                    TokenStyle::kMixedCase,      TokenStyle::kTwelveDigitRun,
                                    TokenStyle::kDigitRunNoCard, TokenStyle::kLongest};
  MerchantSpelling s;
  s.key = kKeys[stream.below(std::size(kKeys))];
  s.token = kTokens[stream.below(std::size(kTokens))];
  s.quoted_quarters = stream.chance({1, 2}) ? 0 : static_cast<int>(stream.between(1, 4));
  return s;
}

std::string spell_key(KeyStyle style, const std::string& plain, PrngStream& stream) {
  std::string key;
  switch (style) {
    case KeyStyle::kPlain:
      key = plain;
      break;
    case KeyStyle::kUuid:
      key = plain + "." + uuid_v4(stream);
      break;
    case KeyStyle::kTimestamp:
      // docs/api.md: the key is not scanned for card numbers; a millisecond time is 13 digits
      // and one in ten passes Luhn. This one always does.
      key = plain + "." + digit_run(stream, 13, true);
      break;
    case KeyStyle::kPunctuation:
      key = plain + std::string(kPunctuation);
      break;
    case KeyStyle::kLongest:
      key = plain + ".";
      while (key.size() < kLongestKey) key += "Zz9~"[key.size() % 4];
      break;
  }
  RECKON_CHECK(is_valid_key(key), "a spelled key follows docs/api.md's key rule");
  return key;
}

std::string spell_token(TokenStyle style, const std::string& plain, PrngStream& stream) {
  RECKON_CHECK(plain.compare(0, kTokenPrefix.size(), kTokenPrefix) == 0,
               "a plain token starts with tok_");
  std::string token;
  switch (style) {
    case TokenStyle::kPlain:
      token = plain;
      break;
    case TokenStyle::kMixedCase:
      // Both ends of every range docs/api.md allows (a-z, A-Z, 0-9), and the underscore.
      token = plain + "_VisaGOLD_AZaz09";
      break;
    case TokenStyle::kTwelveDigitRun:
      token = plain + "x" + digit_run(stream, 12, true);
      break;
    case TokenStyle::kDigitRunNoCard: {
      // About one 19-digit run in twenty has no Luhn-valid window; 13 digits, nine in ten. A
      // 20-digit run is drawn whole-run Luhn-valid (one in forty has no valid 13..19 window):
      // docs/api.md judges windows of 13 to 19 digits only, so a scanner that also tries the
      // whole run refuses a legitimate token.
      const auto length = static_cast<size_t>(stream.between(13, 20));
      std::string run;
      for (int tries = 0; tries < 2000 && (run.empty() || has_card_number_window(run)); ++tries) {
        const bool drawn_length = tries < 1000;
        run = digit_run(stream, drawn_length ? length : 13, drawn_length && length == 20);
      }
      RECKON_CHECK(!has_card_number_window(run), "a run without a card number was found");
      token = plain + "x" + run;
      break;
    }
    case TokenStyle::kLongest:
      token = plain + "_";
      while (token.size() < kLongestToken) token += "Zz"[token.size() % 2];
      break;
  }
  RECKON_CHECK(is_valid_token(token) && !holds_card_number(token),
               "a spelled token follows docs/api.md's token rule and holds no card number");
  return token;
}

std::string another_card_token(const std::string& token) {
  std::string other =
      token.size() + kAnotherCard.size() <= kLongestToken
          ? token + std::string(kAnotherCard)
          : token.substr(0, kLongestToken - kAnotherCard.size()) + std::string(kAnotherCard);
  RECKON_CHECK(other != token && is_valid_token(other) && !holds_card_number(other),
               "another card's token is a distinct valid token");
  return other;
}

std::string key_header_value(const std::string& key, bool quoted) {
  if (!quoted) return key;
  std::string out = "\"";
  for (char c : key) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

bool is_valid_key(std::string_view key) {
  if (key.empty() || key.size() > kLongestKey) return false;
  for (char c : key) {
    if (c < 0x21 || c > 0x7E) return false;
  }
  return true;
}

bool is_valid_token(std::string_view token) {
  if (token.size() <= kTokenPrefix.size() || token.size() > kLongestToken ||
      token.substr(0, kTokenPrefix.size()) != kTokenPrefix) {
    return false;
  }
  for (char c : token.substr(kTokenPrefix.size())) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

// The widest reading of docs/api.md (any number of separators between two digits joins
// them), so that what this file calls "no card number" is none under any reading.
bool holds_card_number(std::string_view text) {
  std::string run;
  for (size_t i = 0; i <= text.size(); ++i) {
    const char c = i < text.size() ? text[i] : '\0';
    if (c >= '0' && c <= '9') {
      run += c;
    } else if (is_separator(c) && !run.empty()) {
      continue;
    } else {
      if (run.size() >= 13 && has_card_number_window(run)) return true;
      run.clear();
    }
  }
  return false;
}

}  // namespace reckon::sim
