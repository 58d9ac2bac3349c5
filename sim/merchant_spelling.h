#pragma once
// How real merchants spell idempotency keys and card tokens. Each till's two clients draw a
// spelling once (from the till's stream, spelling.till.<t>, apart from the rest of their
// workload), and so a run
// mixes UUIDs, millisecond timestamps, keys of every visible ASCII character and keys of
// exactly the longest length, sent bare or as RFC 8941 strings, with tokens at the edges of
// the token rule. Every spelling is legitimate by docs/api.md: an engine that refuses one
// fails legitimate-request-honoured, and one that reads a quoted key as another key makes a
// second charge for one order.
// Every spelling starts with the plain key or token (`till-1-o5-pay1`, `tok_c3_o5`), so a
// report still finds a payment's requests in the trace.
//
// The rules are stated here from docs/api.md, not taken from the engine: a key is 1 to 255
// characters 0x21..0x7E; a token is `tok_` and 1 to 60 letters, digits or underscores; only
// 13 to 19 digits passing Luhn (spaces, dashes or underscores between them) are card numbers.

#include <string>
#include <string_view>

#include "sim/prng.h"

namespace reckon::sim {

enum class KeyStyle {
  kPlain,        // till-1-o5-pay1
  kUuid,         // then a UUIDv4: digit runs joined by dashes, sometimes Luhn-valid ones
  kTimestamp,    // then a 13-digit millisecond time passing Luhn
  kPunctuation,  // then every visible ASCII punctuation character
  kLongest,      // the plain key padded to exactly 255 characters
};

enum class TokenStyle {
  kPlain,           // tok_c3_o5
  kMixedCase,       // tok_c3_o5_VisaGOLD_AZaz09
  kTwelveDigitRun,  // 12 digits passing Luhn: one short of a card number
  kDigitRunNoCard,  // 13 to 20 digits of which no 13..19-digit window passes Luhn (20: the
                    // whole run does)
  kLongest,         // padded so the order's second card's token is exactly 64 characters
};

struct MerchantSpelling {
  KeyStyle key = KeyStyle::kPlain;
  TokenStyle token = TokenStyle::kPlain;
  // The share of requests whose key goes out as an sf-string (`"..."`), 0..4 quarters.
  int quoted_quarters = 0;
};

constexpr size_t kLongestKey = 255;
constexpr size_t kLongestToken = 64;  // "tok_" and 60 characters

MerchantSpelling draw_merchant_spelling(PrngStream& stream);
// A key in `style` for the request whose plain key is `plain`; distinct plain keys give
// distinct keys (each starts with its plain key and a separator the plain key never holds).
std::string spell_key(KeyStyle style, const std::string& plain, PrngStream& stream);
// The token of an order whose plain token is `plain` (`tok_c3_o5`, unique per order).
std::string spell_token(TokenStyle style, const std::string& plain, PrngStream& stream);
// Another card of the same customer: a distinct token, still within the token rule.
std::string another_card_token(const std::string& token);
// The Idempotency-Key header for `key`: itself, or an sf-string (`"` and `\` escaped).
std::string key_header_value(const std::string& key, bool quoted);

// docs/api.md's rules, stated here for the spelling's own checks and the tests.
bool is_valid_key(std::string_view key);
bool is_valid_token(std::string_view token);
// A run of 13 to 19 digits passing Luhn, spaces, dashes or underscores allowed between the
// digits, anywhere in `text`.
bool holds_card_number(std::string_view text);

}  // namespace reckon::sim
