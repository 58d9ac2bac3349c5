// Card-number detection (Luhn over 13..19 digit windows) and the card-token format.

#include "engine/card_token.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <string>
#include <vector>

#include "tests/support/engine_fixture.h"

namespace reckon::test {
namespace {

using engine::contains_card_number;
using engine::is_card_token;

// Independent reference: the Luhn check digit that makes `payload` + digit valid.
char luhn_check_digit(const std::string& payload) {
  int sum = 0;
  // Positions counted from the right of the final number: the check digit is position 0,
  // so the payload's last digit is doubled.
  for (size_t i = 0; i < payload.size(); ++i) {
    int d = payload[payload.size() - 1 - i] - '0';
    if (i % 2 == 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return static_cast<char>('0' + (10 - sum % 10) % 10);
}

bool luhn_ok(const std::string& digits) {
  return luhn_check_digit(digits.substr(0, digits.size() - 1)) == digits.back();
}

// Independent reference for a run of digits: does any 13..19 window pass Luhn?
bool reference_run_has_pan(const std::string& digits) {
  for (size_t len = 13; len <= 19; ++len) {
    for (size_t start = 0; start + len <= digits.size(); ++start) {
      if (luhn_ok(digits.substr(start, len))) return true;
    }
  }
  return false;
}

TEST(CardToken, LuhnReferenceAgreesWithKnownTestCards) {
  EXPECT_EQ(luhn_check_digit("424242424242424"), '2');
  EXPECT_EQ(luhn_check_digit("37828224631000"), '5');
  EXPECT_EQ(luhn_check_digit("601111111111111"), '7');
}

TEST(CardToken, DetectsValidCardNumbers) {
  for (const char* pan :
       {"4242424242424242", "4111111111111111", "4111 1111 1111 1111", "378282246310005",
        "3782 822463 10005", "6011-1111-1111-1117", "5555555555554444", "4222222222222",
        "6011000990139424", "3566002020360505", "4000056655665556", "6304000000000000018"}) {
    SCOPED_TRACE(pan);
    EXPECT_TRUE(contains_card_number(pan));
  }
}

TEST(CardToken, DetectsCardNumbersEmbeddedInText) {
  EXPECT_TRUE(contains_card_number("card: 4242424242424242, exp 12/30"));
  EXPECT_TRUE(contains_card_number("tok_4242424242424242"));
  EXPECT_TRUE(contains_card_number("my card is 4111 1111 1111 1111 thanks"));
  EXPECT_TRUE(contains_card_number("x6011-1111-1111-1117y"));
  EXPECT_TRUE(contains_card_number("tok_4012_8888_8888_1881"));  // underscores separate too
  // Glued to other digits: a window of the run is still a PAN.
  EXPECT_TRUE(contains_card_number("99424242424242424299"));
}

TEST(CardToken, IgnoresLuhnInvalidShortAndOrdinaryText) {
  for (const char* text :
       {"4111111111111113", "6011111111111118", "378282246310006", "1234567890123",
        "4111 1111 1111 1113", "424242424242",  // 12 digits, even though Luhn-valid
        "", "hello world", "amount 4999 USD", "call 555 123 4567", "order 2024-01-15 ref 1234567",
        "tok_abc_123", "ch_0123456789ab", "4242-4242-4242", "42424242.42424242"}) {
    SCOPED_TRACE(text);
    EXPECT_FALSE(contains_card_number(text));
  }
  ASSERT_TRUE(luhn_ok("424242424242")) << "the 12-digit case must be Luhn-valid to mean anything";
}

TEST(CardToken, RecognisesCardTokens) {
  EXPECT_TRUE(is_card_token("tok_abc_123"));
  EXPECT_TRUE(is_card_token("tok_a"));
  EXPECT_TRUE(is_card_token("tok_" + std::string(60, 'Z')));
  EXPECT_TRUE(is_card_token("tok_visa"));

  EXPECT_FALSE(is_card_token("tok_"));
  EXPECT_FALSE(is_card_token("tok"));
  EXPECT_FALSE(is_card_token(""));
  EXPECT_FALSE(is_card_token("tok_abc 123"));
  EXPECT_FALSE(is_card_token(" tok_abc"));
  EXPECT_FALSE(is_card_token("tok abc"));
  EXPECT_FALSE(is_card_token("tok_abc-123"));
  EXPECT_FALSE(is_card_token("TOK_abc"));
  EXPECT_FALSE(is_card_token("card_abc"));
  EXPECT_FALSE(is_card_token("4242424242424242"));
  EXPECT_FALSE(is_card_token("tok_" + std::string(61, 'a')));
}

// Digits of length n as a generator.
rc::Gen<std::string> digit_string(size_t min_len, size_t max_len) {
  return rc::gen::mapcat(rc::gen::inRange(min_len, max_len + 1), [](size_t n) {
    return rc::gen::container<std::string>(n, rc::gen::inRange('0', static_cast<char>('9' + 1)));
  });
}

TEST(CardToken, PropertyAnyLuhnValidNumberOf13To19DigitsIsDetected) {
  check_property([] {
    const std::string payload = *digit_string(12, 18);
    const std::string pan = payload + luhn_check_digit(payload);
    RC_ASSERT(contains_card_number(pan));
    // Wrapped in text, and grouped in fours with spaces or dashes.
    const std::string prefix =
        *rc::gen::elementOf(std::vector<std::string>{"", "card ", "x", "pan="});
    const std::string suffix =
        *rc::gen::elementOf(std::vector<std::string>{"", " exp 12/30", "!", "y"});
    RC_ASSERT(contains_card_number(prefix + pan + suffix));
    const char sep = *rc::gen::element(' ', '-');
    std::string grouped;
    for (size_t i = 0; i < pan.size(); ++i) {
      if (i > 0 && i % 4 == 0) grouped += sep;
      grouped += pan[i];
    }
    RC_ASSERT(contains_card_number(prefix + grouped + suffix));
  });
}

TEST(CardToken, PropertyWrongCheckDigitIsNotDetectedUnlessAnotherWindowIsValid) {
  check_property([] {
    const std::string payload = *digit_string(12, 18);
    const char right = luhn_check_digit(payload);
    const char wrong = static_cast<char>('0' + (right - '0' + *rc::gen::inRange(1, 10)) % 10);
    const std::string number = payload + wrong;
    RC_ASSERT(!luhn_ok(number));
    RC_CLASSIFY(reference_run_has_pan(number), "some other window is valid");
    RC_ASSERT(contains_card_number(number) == reference_run_has_pan(number));
  });
}

TEST(CardToken, PropertyDetectionMatchesTheReferenceOnDigitRuns) {
  check_property([] {
    const std::string digits = *digit_string(0, 24);
    RC_ASSERT(contains_card_number(digits) ==
              (digits.size() >= 13 && reference_run_has_pan(digits)));
    RC_ASSERT(contains_card_number("a" + digits + "b") == contains_card_number(digits));
  });
}

}  // namespace
}  // namespace reckon::test
