#pragma once
// Card numbers for the careless merchant to send (docs/api.md, "Card numbers": 13 to 19
// digits passing Luhn, with spaces, dashes or underscores allowed between them). Drawn per
// probe, so a scanner that only knows one number, one length or one way of writing it is
// caught. The check digit is computed here, not by the engine's scanner.

#include <cstddef>
#include <string>

#include "sim/prng.h"

namespace reckon::sim {

// 13 to 19 digits whose last is the Luhn check digit of the others and, nearly always, with
// no shorter card number inside: a scanner that stops a digit short of the number's length
// then finds nothing else to refuse.
std::string draw_card_number(PrngStream& stream);
// Whether some window of 13..`longest` consecutive digits of `digits` passes Luhn.
bool has_card_number_window(const std::string& digits, size_t longest = 19);
// `digits` in groups of four joined by `separator` ('\0': no separator).
std::string grouped_card_number(const std::string& digits, char separator);
// The Luhn check of a digit string, stated from ISO/IEC 7812-1 (for the tests).
bool passes_luhn(const std::string& digits);

}  // namespace reckon::sim
