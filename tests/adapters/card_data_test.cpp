// adapters::card_data_in: what an adapter writes holds no card token and no card number
// (docs/adapters.md, "Output hygiene"; PCI DSS 3.4).

#include "adapters/card_data.h"

#include <gtest/gtest.h>

#include <string>

namespace reckon::test {
namespace {

std::string found(const std::string& text, const std::vector<std::string>& identifiers = {}) {
  return adapters::card_data_in("the log", text, {"tok_c1_o1"}, identifiers).value_or("");
}

TEST(CardData, ACardNumberIsFoundAsPeopleWriteIt) {
  EXPECT_EQ(found("card 4242424242424242"), "the log holds a card number (424242...4242)");
  EXPECT_NE(found("card 4242 4242 4242 4242 ok"), "");
  EXPECT_NE(found("card 4242-4242-4242-4242"), "");
  // Next to other digits, written as groups: the groups that make it up are found.
  EXPECT_NE(found("amount 1250 4242 4242 4242 4242"), "");
  EXPECT_NE(found("on 2026-01-01 4242-4242-4242-4242"), "");
}

TEST(CardData, DigitsThatAreNoCardNumberAreNot) {
  EXPECT_EQ(found("amount 1250 at 1765000000000"), "");  // a millisecond timestamp
  EXPECT_EQ(found("4242424242424241"), "");              // Luhn fails
  EXPECT_EQ(found("12345678901234567890123456"), "");    // one long run is never split
  EXPECT_EQ(found("9242424242424242"), "");              // no issuer's prefix
}

TEST(CardData, TokensAreFoundAsWholeWords) {
  EXPECT_EQ(found("body {\"card_token\":\"tok_c1_o1\"}"),
            "the log holds the card token 'tok_c1_o1'");
  EXPECT_EQ(found("tok_c1_o10 is another merchant's"), "");
}

TEST(CardData, TheKeysHandedToTheAdapterAreNotCardNumbers) {
  // A hex key may hold a Luhn-valid run with an issuer's prefix by chance.
  EXPECT_NE(found("retrying rk_4242424242424242"), "");
  EXPECT_EQ(found("retrying rk_4242424242424242", {"rk_4242424242424242"}), "");
  // A key is blanked only where it stands alone: a short provider key ('1', '42') taken out
  // of the middle of a card number would hide the number.
  EXPECT_NE(found("card 4242 4242 4242 4242 key 1", {"1", "42"}), "");
  EXPECT_NE(found("card 4242-4242-4242-4242", {"4242"}), "");
}

}  // namespace
}  // namespace reckon::test
