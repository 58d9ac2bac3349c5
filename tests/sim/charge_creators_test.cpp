// sim::ChargeCreators learns a charge's merchant from the key that created it (docs/api.md,
// "Authentication"), never from the engine's tables.

#include "sim/charge_creators.h"

#include <gtest/gtest.h>

#include <string>

namespace reckon::test {
namespace {

engine::HttpRequest create(const std::string& authorization) {
  engine::HttpRequest r;
  r.method = "POST";
  r.target = "/v1/charges";
  r.headers["authorization"] = authorization;
  return r;
}

// docs/api.md: a 201 is the charge; a 402 and a 503 psp_outcome_unknown carry it beside the
// error.
engine::HttpResponse answer(int status, const std::string& id) {
  const std::string charge = R"({"id":")" + id + R"(","object":"charge"})";
  if (status == 201 || status == 409) return engine::HttpResponse{status, charge};
  return engine::HttpResponse{status,
                              R"({"error":{"code":"x","message":"y"},"charge":)" + charge + "}"};
}

TEST(ChargeCreators, AnsweredCreationsNameTheKeysMerchant) {
  sim::ChargeCreators creators;
  creators.observe(create("Bearer sk_test_reckon_merchant_1"), answer(201, "ch_a"));
  creators.observe(create("bearer   sk_test_reckon_merchant_2"), answer(402, "ch_b"));
  creators.observe(create("BEARER sk_test_reckon_merchant_2"), answer(503, "ch_d"));
  EXPECT_EQ(creators.merchant_of("ch_a"), "merchant_1");
  EXPECT_EQ(creators.merchant_of("ch_b"), "merchant_2");
  EXPECT_EQ(creators.merchant_of("ch_d"), "merchant_2");
  EXPECT_EQ(creators.merchant_of("ch_c"), std::nullopt);
}

TEST(ChargeCreators, OnlyCreationsCount) {
  sim::ChargeCreators creators;
  auto capture = create("Bearer sk_test_reckon_merchant_1");
  capture.target = "/v1/charges/ch_a/capture";
  creators.observe(capture, answer(200, "ch_a"));
  creators.observe(create("Bearer sk_test_reckon_merchant_1"), answer(409, "ch_b"));
  creators.observe(create("Bearer sk_unknown"), answer(201, "ch_c"));
  creators.observe(create("Bearersk_test_reckon_merchant_1"), answer(201, "ch_d"));
  for (const char* id : {"ch_a", "ch_b", "ch_c", "ch_d"}) {
    EXPECT_EQ(creators.merchant_of(id), std::nullopt) << id;
  }
}

TEST(ChargeCreators, AChargeAnsweredToTwoMerchantsHasNoCreator) {
  sim::ChargeCreators creators;
  creators.observe(create("Bearer sk_test_reckon_merchant_1"), answer(201, "ch_a"));
  creators.observe(create("Bearer sk_test_reckon_merchant_1"), answer(201, "ch_a"));  // replay
  EXPECT_EQ(creators.merchant_of("ch_a"), "merchant_1");
  creators.observe(create("Bearer sk_test_reckon_merchant_2"), answer(201, "ch_a"));
  EXPECT_EQ(creators.merchant_of("ch_a"), std::nullopt);
}

TEST(ChargeCreators, TheCreationsCardTokenIsKept) {
  sim::ChargeCreators creators;
  auto r = create("Bearer sk_test_reckon_merchant_1");
  r.body = R"({"amount":500,"currency":"USD","source":"tok_c1_o2"})";
  creators.observe(r, answer(503, "ch_a"));
  EXPECT_EQ(creators.source_of("ch_a"), "tok_c1_o2");
  EXPECT_EQ(creators.source_of("ch_b"), std::nullopt);
  // Paid again with the same card after a decline: the token no longer names one charge.
  creators.observe(r, answer(201, "ch_c"));
  EXPECT_EQ(creators.source_of("ch_a"), std::nullopt);
  EXPECT_EQ(creators.source_of("ch_c"), std::nullopt);
}

TEST(ChargeCreators, TheCreationsRequestIsKept) {
  sim::ChargeCreators creators;
  auto r = create("Bearer sk_test_reckon_merchant_1");
  r.body = R"({"amount":500,"currency":"KWD","source":"tok_a","capture":true})";
  creators.observe(r, answer(201, "ch_a"));
  r.body = R"({"amount":500,"source":"tok_b"})";
  creators.observe(r, answer(201, "ch_b"));
  const auto a = creators.creation_of("ch_a");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->currency, "KWD");
  EXPECT_TRUE(a->capture);
  const auto b = creators.creation_of("ch_b");
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->currency, "");
  EXPECT_FALSE(b->capture);  // docs/api.md: capture defaults to false
  EXPECT_EQ(creators.creation_of("ch_c"), std::nullopt);
}

}  // namespace
}  // namespace reckon::test
