// Merchant API keys (Authorization: Bearer) and the merchant-scoped charge list: 401 for a
// missing or unknown key, no merchant sees another's charges or idempotency keys, and
// GET /v1/charges pages in creation order with a validated limit and cursor.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/auth.h"
#include "tests/support/engine_fixture.h"

namespace reckon::test {
namespace {

using engine::EngineConfig;

struct ModelHarness : EngineHarness {
  explicit ModelHarness(EngineConfig config = {}) : EngineHarness(std::move(config)) {
    psp.use_model();
  }
};

void expect_error(const std::optional<HttpResponse>& r, int status, const std::string& code) {
  ASSERT_TRUE(r.has_value()) << "no response (engine still waiting)";
  EXPECT_EQ(r->status, status) << r->body;
  EXPECT_EQ(error_code(*r), code) << r->body;
}

std::string create(EngineHarness& h, const std::string& key, const std::string& token) {
  auto r = h.post("/v1/charges", key, charge_body(1000, "USD", token));
  EXPECT_TRUE(r.has_value());
  if (!r) return "";
  EXPECT_EQ(r->status, 201) << r->body;
  return parse_body(*r).value("id", "");
}

HttpRequest with_authorization(HttpRequest r, const std::string& value) {
  r.headers["authorization"] = value;
  return r;
}

std::vector<std::string> ids_of(const HttpResponse& r) {
  std::vector<std::string> out;
  const auto body = parse_body(r);
  for (const auto& c : body["data"]) out.push_back(c["id"]);
  return out;
}

// ---------------------------------------------------------------------------------------
// Authentication

TEST(EngineAuth, MissingKeyIs401AndNothingIsWritten) {
  ModelHarness h;
  h.api_key = "";
  expect_error(h.post("/v1/charges", "key-1", charge_body(1000, "USD", "tok_visa")), 401,
               "unauthorized");
  expect_error(h.get("/v1/charges"), 401, "unauthorized");
  expect_error(h.get("/v1/charges/ch_x"), 401, "unauthorized");
  expect_error(h.get("/v1/nothing"), 401, "unauthorized");  // authentication comes first
  EXPECT_EQ(h.count("charges"), 0);
  EXPECT_EQ(h.count("idempotency_keys"), 0);
  EXPECT_EQ(h.psp.call_count(), 0u);
}

TEST(EngineAuth, WrongOrMalformedKeyIs401AndNotEchoed) {
  ModelHarness h;
  const auto post =
      EngineHarness::post_request("/v1/charges", "key-1", charge_body(1000, "USD", "tok_visa"));
  for (const std::string& value : std::vector<std::string>{
           "Bearer sk_test_wrong", "Bearer ", "Bearer", "Bearersk_test_reckon_merchant_1",
           "Basic c2tfdGVzdA==", std::string(engine::kTestApiKey1),
           "Bearer sk_test_reckon_merchant_1 ", "Bear sk_test_reckon_merchant_1"}) {
    SCOPED_TRACE(value);
    auto r = *h.send(with_authorization(post, value));
    expect_error(r, 401, "unauthorized");
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->body.find("sk_test"), std::string::npos) << "a key is never echoed";
  }
  EXPECT_EQ(h.count("charges"), 0);
}

// RFC 9110 §11.1: the scheme name is case-insensitive, and one or more spaces separate it
// from the credentials (issue 19: `bearer` was refused).
TEST(EngineAuth, TheSchemeNameIsCaseInsensitive) {
  ModelHarness h;
  int n = 0;
  for (const char* value :
       {"bearer sk_test_reckon_merchant_1", "BEARER sk_test_reckon_merchant_1",
        "bEaReR sk_test_reckon_merchant_1", "Bearer  sk_test_reckon_merchant_1"}) {
    SCOPED_TRACE(value);
    auto r = *h.send(
        with_authorization(EngineHarness::post_request("/v1/charges", "key-" + std::to_string(++n),
                                                       charge_body(1000, "USD", "tok_visa")),
                           value));
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->status, 201) << r->body;
  }
}

TEST(EngineAuth, ConfiguredKeysReplaceTheDefaults) {
  EngineConfig config;
  config.api_keys = {{"sk_live_only", "merchant_9"}};
  ModelHarness h(config);
  expect_error(h.post("/v1/charges", "key-1", charge_body(1000, "USD", "tok_visa")), 401,
               "unauthorized");
  h.api_key = "sk_live_only";
  const std::string id = create(h, "key-1", "tok_visa");
  EXPECT_EQ(query_rows(h.db(), "SELECT merchant FROM charges")[0][0], "merchant_9");
  auto r = h.get("/v1/charges/" + id);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 200);
}

TEST(EngineAuth, AMerchantNeverSeesAnothersCharges) {
  ModelHarness h;
  const std::string mine = create(h, "key-1", "tok_one");
  h.api_key = std::string(engine::kTestApiKey2);
  expect_error(h.get("/v1/charges/" + mine), 404, "charge_not_found");
  expect_error(h.post("/v1/charges/" + mine + "/capture", "cap-1", "{}"), 404, "charge_not_found");
  expect_error(h.post("/v1/charges/" + mine + "/void", "void-1", "{}"), 404, "charge_not_found");
  expect_error(h.post("/v1/charges/" + mine + "/refund", "ref-1", "{}"), 404, "charge_not_found");
  auto list = h.get("/v1/charges");
  ASSERT_TRUE(list.has_value());
  EXPECT_EQ(list->status, 200);
  EXPECT_TRUE(ids_of(*list).empty());
  expect_error(h.get("/v1/charges?starting_after=" + mine), 400, "starting_after_invalid");
  EXPECT_EQ(query_rows(h.db(), "SELECT status FROM charges")[0][0], "authorized");
}

TEST(EngineAuth, IdempotencyKeysAreScopedByMerchant) {
  ModelHarness h;
  const std::string body = charge_body(1000, "USD", "tok_one");
  auto first = h.post("/v1/charges", "shared-key", body);
  ASSERT_TRUE(first.has_value());
  ASSERT_EQ(first->status, 201);
  // The same key and body from another merchant is that merchant's own new request.
  h.api_key = std::string(engine::kTestApiKey2);
  auto second = h.post("/v1/charges", "shared-key", charge_body(2000, "USD", "tok_two"));
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->status, 201) << "not a 422: the first merchant's key is not visible";
  EXPECT_NE(parse_body(*second)["id"], parse_body(*first)["id"]);
  EXPECT_EQ(h.count("charges"), 2);
  const auto keys = h.psp.requests_of(PspOp::kAuthorize);
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_NE(keys[0].idempotency_key, keys[1].idempotency_key) << "PSP keys differ by merchant";
}

// ---------------------------------------------------------------------------------------
// GET /v1/charges

TEST(EngineList, ListsTheMerchantsChargesInCreationOrder) {
  ModelHarness h;
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    ids.push_back(create(h, "key-" + std::to_string(i), "tok_" + std::to_string(i)));
    h.clock.advance(10);
  }
  h.api_key = std::string(engine::kTestApiKey2);
  create(h, "other-1", "tok_other");
  h.api_key = std::string(engine::kTestApiKey1);

  auto r = h.get("/v1/charges");
  ASSERT_TRUE(r.has_value());
  ASSERT_EQ(r->status, 200) << r->body;
  const auto j = parse_body(*r);
  EXPECT_EQ(j["object"], "list");
  EXPECT_EQ(j["has_more"], false);
  EXPECT_EQ(ids_of(*r), ids);
  EXPECT_EQ(j["data"][0]["amount_refunded"], 0);
}

TEST(EngineList, PagesWithLimitAndStartingAfter) {
  ModelHarness h;
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(create(h, "key-" + std::to_string(i), "tok_a"));
  std::vector<std::string> seen;
  std::string cursor;
  for (int page = 0; page < 3; ++page) {
    const std::string q =
        "/v1/charges?limit=2" + (cursor.empty() ? "" : "&starting_after=" + cursor);
    auto r = h.get(q);
    ASSERT_TRUE(r.has_value());
    ASSERT_EQ(r->status, 200) << r->body;
    const auto page_ids = ids_of(*r);
    seen.insert(seen.end(), page_ids.begin(), page_ids.end());
    EXPECT_EQ(parse_body(*r)["has_more"], page < 2) << q;
    if (!page_ids.empty()) cursor = page_ids.back();
  }
  EXPECT_EQ(seen, ids);
  auto last = h.get("/v1/charges?starting_after=" + cursor);
  ASSERT_TRUE(last.has_value());
  EXPECT_TRUE(ids_of(*last).empty());
}

TEST(EngineList, ChargesCreatedInTheSameMicrosecondHaveATotalOrder) {
  EngineHarness h;  // manual PSP: every create commits its pending charge at the same time
  for (int i = 0; i < 4; ++i) {
    h.post_async("/v1/charges", "key-" + std::to_string(i), charge_body(100, "USD", "tok_a"));
  }
  std::vector<std::string> ids;
  for (const auto& row : query_rows(h.db(), "SELECT id FROM charges ORDER BY id")) {
    ids.push_back(row[0]);
  }
  auto first = h.get("/v1/charges?limit=2");
  auto rest = h.get("/v1/charges?starting_after=" + ids_of(*first).back());
  std::vector<std::string> seen = ids_of(*first);
  for (const auto& id : ids_of(*rest)) seen.push_back(id);
  EXPECT_EQ(seen, ids);
}

TEST(EngineList, InvalidParametersAre400) {
  ModelHarness h;
  for (const char* limit : {"0", "101", "-1", "abc", "", "1.5", "1000"}) {
    SCOPED_TRACE(limit);
    expect_error(h.get(std::string("/v1/charges?limit=") + limit), 400, "limit_invalid");
  }
  expect_error(h.get("/v1/charges?starting_after=ch_nope"), 400, "starting_after_invalid");
  expect_error(h.get("/v1/charges?sort=desc"), 400, "parameter_unknown");
  expect_error(h.get("/v1/charges?limit=1&limit=2"), 400, "parameter_unknown");
  auto ok = h.get("/v1/charges?limit=100");
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->status, 200);
}

}  // namespace
}  // namespace reckon::test
