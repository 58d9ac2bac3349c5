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

engine::HttpResponse answer(int status, const std::string& id) {
  return engine::HttpResponse{status, R"({"id":")" + id + R"(","object":"charge"})"};
}

TEST(ChargeCreators, AnsweredCreationsNameTheKeysMerchant) {
  sim::ChargeCreators creators;
  creators.observe(create("Bearer sk_test_reckon_merchant_1"), answer(201, "ch_a"));
  creators.observe(create("bearer   sk_test_reckon_merchant_2"), answer(402, "ch_b"));
  EXPECT_EQ(creators.merchant_of("ch_a"), "merchant_1");
  EXPECT_EQ(creators.merchant_of("ch_b"), "merchant_2");
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

}  // namespace
}  // namespace reckon::test
