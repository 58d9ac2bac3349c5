// The probing merchant's card numbers (sim/card_numbers.h): valid by ISO/IEC 7812-1's Luhn
// check, of every length docs/api.md names, written the ways it names.
#include <gtest/gtest.h>

#include <set>

#include "sim/card_numbers.h"

namespace reckon::sim {
namespace {

TEST(CardNumbers, TheLuhnCheckAgreesWithPublishedNumbers) {
  EXPECT_TRUE(passes_luhn("79927398713"));  // the textbook example
  EXPECT_TRUE(passes_luhn("4242424242424242"));
  EXPECT_TRUE(passes_luhn("4012888888881881"));
  EXPECT_TRUE(passes_luhn("378282246310005"));  // 15 digits
  EXPECT_FALSE(passes_luhn("79927398710"));
  EXPECT_FALSE(passes_luhn("4242424242424241"));
  EXPECT_FALSE(passes_luhn(""));
}

TEST(CardNumbers, DrawsPassLuhnInEveryLength) {
  PrngStream stream(1, "probe");
  std::set<size_t> lengths;
  for (int i = 0; i < 500; ++i) {
    const std::string n = draw_card_number(stream);
    ASSERT_TRUE(passes_luhn(n)) << n;
    ASSERT_NE(n[0], '0') << n;
    lengths.insert(n.size());
  }
  EXPECT_EQ(lengths, (std::set<size_t>{13, 14, 15, 16, 17, 18, 19}));
}

TEST(CardNumbers, GroupsOfFour) {
  EXPECT_EQ(grouped_card_number("4242424242424242", ' '), "4242 4242 4242 4242");
  EXPECT_EQ(grouped_card_number("3782822463100051", '-'), "3782-8224-6310-0051");
  EXPECT_EQ(grouped_card_number("1234567890123", '_'), "1234_5678_9012_3");
  EXPECT_EQ(grouped_card_number("1234567890123", '\0'), "1234567890123");
}

}  // namespace
}  // namespace reckon::sim
