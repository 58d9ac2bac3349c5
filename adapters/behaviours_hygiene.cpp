// The behaviour of what an adapter writes besides the protocol: its logs (stderr) and the
// free-text fields of its results must hold no card data. A card token is a credential at
// the provider (it charges the card), and a card number must never be written anywhere
// (PCI DSS requirement 3.4; docs/adapters.md). The harness hands an adapter no secret of
// its own, so tokens and card numbers are what is looked for.
#include <string>
#include <vector>

#include "adapters/behaviours.h"
#include "adapters/judge.h"

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

// The first card number in `text`: digit runs, with single spaces or dashes between groups
// as people write them, read as one number.
std::string card_number_in(const std::string& text) {
  std::string digits;
  auto flush = [&digits]() {
    std::string found = looks_like_card_number(digits) ? digits : "";
    digits.clear();
    return found;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (ch >= '0' && ch <= '9') {
      digits += ch;
      continue;
    }
    const bool separator = (ch == ' ' || ch == '-') && !digits.empty() && i + 1 < text.size() &&
                           text[i + 1] >= '0' && text[i + 1] <= '9';
    if (separator) continue;
    if (std::string found = flush(); !found.empty()) return found;
  }
  return flush();
}

// Where card data was written, or nothing.
Problem card_data_in(const std::string& where, const std::string& text,
                     const std::vector<std::string>& tokens) {
  for (const std::string& token : tokens) {
    if (text.find(token) != std::string::npos) {
      return where + " holds the card token '" + token + "'";
    }
  }
  if (const std::string pan = card_number_in(text); !pan.empty()) {
    return where + " holds a card number (" + pan.substr(0, 6) + "..." +
           pan.substr(pan.size() - 4) + ")";
  }
  return std::nullopt;
}

}  // namespace

void add_hygiene_behaviours(std::vector<Behaviour>& out) {
  out.push_back(Behaviour{
      "no-card-data-in-logs", "hygiene",
      "loss, duplicates, 5xx, declines: no card token or card number in stderr or in a result",
      [](const Capabilities&) { return plan_mixed(); }, nullptr,
      [](CheckContext& c) {
        Session& s = c.session;
        std::vector<OpRun> runs;
        for (int i = 0; i < 3; ++i) runs.push_back(s.run(authorize_op(s, 1999, "USD", i == 2)));
        const std::string held = s.direct_authorize(5000, "USD", false);
        runs.push_back(s.run(capture_op(s, held, 5000, "USD", 5000)));
        runs.push_back(s.run(refund_op(s, held, 1000, "USD", 5000, 0)));
        runs.push_back(s.run(void_op(s, s.direct_authorize(700, "USD", false))));
        runs.push_back(s.run(lookup_op(runs[0].operation["idempotency_key"])));
        s.advance_ms(2'000);  // late answers and duplicates play out
        if (auto p = card_data_in("the adapter's stderr", s.adapter_log(), s.tokens())) {
          return Verdict::fail(*p);
        }
        for (const OpRun& r : runs) {
          const std::string where = "the result of " + r.describe();
          if (auto p = card_data_in(where, r.result.dump(), s.tokens())) return Verdict::fail(*p);
        }
        return Verdict::pass();
      }});
}

}  // namespace reckon::adapters
