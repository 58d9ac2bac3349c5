// Keys and tokens as real merchants spell them (sim/merchant_spelling.h): every spelling is
// legitimate by docs/api.md, distinct plain names stay distinct, and the styles reach the
// edges they exist for (255-character keys, Luhn-valid digit runs in keys, 12-digit runs
// and card-number-free long runs in tokens, 64-character tokens, quoted keys).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cctype>
#include <set>
#include <string>

#include "sim/card_numbers.h"
#include "sim/merchant_spelling.h"

namespace reckon::sim {
namespace {

constexpr KeyStyle kKeyStyles[] = {KeyStyle::kPlain, KeyStyle::kUuid, KeyStyle::kTimestamp,
                                   KeyStyle::kPunctuation, KeyStyle::kLongest};
constexpr TokenStyle kTokenStyles[] = {TokenStyle::kPlain, TokenStyle::kMixedCase,
                                       TokenStyle::kTwelveDigitRun, TokenStyle::kDigitRunNoCard,
                                       TokenStyle::kLongest};

// The longest run of digits in `text` (no separators).
std::string longest_digit_run(const std::string& text) {
  std::string best, run;
  for (char c : text + "x") {
    if (c >= '0' && c <= '9') {
      run += c;
    } else {
      if (run.size() > best.size()) best = run;
      run.clear();
    }
  }
  return best;
}

TEST(MerchantSpelling, EveryKeyStyleGivesValidDistinctKeys) {
  PrngStream stream(1, "test");
  for (KeyStyle style : kKeyStyles) {
    std::set<std::string> keys;
    for (int client = 0; client < 12; ++client) {
      for (int order = 1; order <= 40; ++order) {
        const std::string plain =
            "client-" + std::to_string(client) + "-o" + std::to_string(order) + "-pay1";
        const std::string key = spell_key(style, plain, stream);
        ASSERT_TRUE(is_valid_key(key)) << key;
        ASSERT_TRUE(keys.insert(key).second) << "two requests share the key " << key;
      }
    }
  }
}

TEST(MerchantSpelling, KeyStylesReachTheirEdges) {
  PrngStream stream(2, "test");
  EXPECT_EQ(spell_key(KeyStyle::kLongest, "client-0-o1-pay1", stream).size(), 255u);
  const std::string punctuation = spell_key(KeyStyle::kPunctuation, "client-0-o1-pay1", stream);
  for (char c = 0x21; c <= 0x7E; ++c) {
    if (!std::isalnum(static_cast<unsigned char>(c))) {
      EXPECT_NE(punctuation.find(c), std::string::npos) << "missing '" << c << "'";
    }
  }
  EXPECT_EQ(punctuation.rfind("client-0-o1-pay1", 0), 0u) << "starts with the plain key";
  // The timestamp's 13 digits pass Luhn: the engine must not scan keys (docs/api.md).
  const std::string stamped = spell_key(KeyStyle::kTimestamp, "client-0-o1-pay1", stream);
  EXPECT_EQ(longest_digit_run(stamped).size(), 13u);
  EXPECT_TRUE(passes_luhn(longest_digit_run(stamped))) << stamped;
  EXPECT_TRUE(holds_card_number(stamped));
  const std::string plain_and_dot = "client-0-o1-pay1.";
  const std::string uuid = spell_key(KeyStyle::kUuid, "client-0-o1-pay1", stream);
  ASSERT_EQ(uuid.size(), plain_and_dot.size() + 36) << uuid;
  EXPECT_EQ(uuid[plain_and_dot.size() + 14], '4') << uuid;  // version 4
}

TEST(MerchantSpelling, QuotedKeysEscapeQuotesAndBackslashes) {
  EXPECT_EQ(key_header_value("order-17", false), "order-17");
  EXPECT_EQ(key_header_value("order-17", true), "\"order-17\"");
  EXPECT_EQ(key_header_value("a\"b\\c", true), "\"a\\\"b\\\\c\"");
}

TEST(MerchantSpelling, EveryTokenStyleGivesValidDistinctTokensWithoutCardNumbers) {
  PrngStream stream(3, "test");
  for (TokenStyle style : kTokenStyles) {
    std::set<std::string> tokens;
    for (int client = 0; client < 12; ++client) {
      for (int order = 1; order <= 40; ++order) {
        const std::string plain = "tok_c" + std::to_string(client) + "_o" + std::to_string(order);
        const std::string token = spell_token(style, plain, stream);
        ASSERT_TRUE(is_valid_token(token)) << token;
        ASSERT_FALSE(holds_card_number(token)) << token;
        ASSERT_TRUE(tokens.insert(token).second) << token;
        const std::string other = another_card_token(token);
        ASSERT_TRUE(is_valid_token(other)) << other;
        ASSERT_TRUE(tokens.insert(other).second) << other;
      }
    }
  }
}

TEST(MerchantSpelling, TokenStylesReachTheirEdges) {
  PrngStream stream(4, "test");
  const std::string twelve = spell_token(TokenStyle::kTwelveDigitRun, "tok_c0_o1", stream);
  EXPECT_EQ(longest_digit_run(twelve).size(), 12u);
  EXPECT_TRUE(passes_luhn(longest_digit_run(twelve))) << twelve;
  const std::string no_card = spell_token(TokenStyle::kDigitRunNoCard, "tok_c0_o1", stream);
  EXPECT_GE(longest_digit_run(no_card).size(), 13u) << no_card;
  EXPECT_EQ(spell_token(TokenStyle::kLongest, "tok_c0_o1", stream).size(), 64u);
  EXPECT_EQ(another_card_token(spell_token(TokenStyle::kLongest, "tok_c0_o1", stream)).size(), 64u);
}

TEST(MerchantSpelling, TheRulesAreDocsApiMds) {
  EXPECT_FALSE(is_valid_key(""));
  EXPECT_TRUE(is_valid_key(std::string(255, '~')));
  EXPECT_FALSE(is_valid_key(std::string(256, 'k')));
  EXPECT_FALSE(is_valid_key("a b"));
  EXPECT_FALSE(is_valid_key("a\x7f"));
  EXPECT_TRUE(is_valid_key("!"));
  EXPECT_FALSE(is_valid_token("tok_"));
  EXPECT_TRUE(is_valid_token("tok_" + std::string(60, 'Z')));
  EXPECT_FALSE(is_valid_token("tok_" + std::string(61, 'Z')));
  EXPECT_FALSE(is_valid_token("tok_a-b"));
  EXPECT_TRUE(holds_card_number("4242 4242 4242 4242"));
  EXPECT_TRUE(holds_card_number("tok_4012_8888_8888_1881"));
  EXPECT_FALSE(holds_card_number("424242424242"));      // 12 digits
  EXPECT_FALSE(holds_card_number("8226161561168607"));  // no 13..16-digit window passes Luhn
  EXPECT_TRUE(holds_card_number("4242424242424241"));   // its first 14 digits pass
}

RC_GTEST_PROP(MerchantSpelling, DrawnSpellingsAreAlwaysLegitimate, (uint64_t seed)) {
  PrngStream stream(seed, "spelling");
  const MerchantSpelling s = draw_merchant_spelling(stream);
  RC_ASSERT(s.quoted_quarters >= 0 && s.quoted_quarters <= 4);
  const std::string key = spell_key(s.key, "client-1-o2-refund1", stream);
  RC_ASSERT(is_valid_key(key));
  const std::string token = spell_token(s.token, "tok_c1_o2", stream);
  RC_ASSERT(is_valid_token(token) && !holds_card_number(token));
}

}  // namespace
}  // namespace reckon::sim
