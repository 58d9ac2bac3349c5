#pragma once
// The engine accepts only opaque card tokens. A card number (PAN) must never be stored,
// logged or traced, so anything that looks like one is refused before it goes anywhere.

#include <string_view>

namespace reckon::engine {

// True if `text` contains a run of 13 to 19 digits (spaces, dashes and underscores allowed
// between digits) that passes the Luhn check.
bool contains_card_number(std::string_view text);

// True for tokens of the form "tok_" followed by 1-60 characters of [A-Za-z0-9_].
bool is_card_token(std::string_view token);

}  // namespace reckon::engine
