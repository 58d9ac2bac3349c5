// The merchant API of the payment engine, end to end through PaymentEngine::handle with a
// fake clock and a scriptable PSP: status codes, error codes, the Idempotency-Key rules,
// PSP outcomes (decline, ambiguity, recovery by key), capture and restart.

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "engine/planted.h"
#include "tests/support/engine_fixture.h"

namespace reckon::test {
namespace {

using engine::Defect;
using engine::EngineConfig;

constexpr const char* kCharges = "/v1/charges";

std::string capture_target(const std::string& charge_id) {
  return std::string(kCharges) + "/" + charge_id + "/capture";
}

// A harness whose PSP is the idempotent model (auto replies).
struct ModelHarness : EngineHarness {
  explicit ModelHarness(EngineConfig config = {}) : EngineHarness(std::move(config)) {
    psp.use_model();
  }
};

// Creates an authorized (or captured) charge and returns its id.
std::string create_charge(EngineHarness& h, const std::string& key, int64_t amount = 4999,
                          const std::string& token = "tok_visa", bool capture = false) {
  auto r = h.post(kCharges, key, charge_body(amount, "USD", token, capture));
  EXPECT_TRUE(r.has_value());
  if (!r) return "";
  EXPECT_EQ(r->status, 201) << r->body;
  return parse_body(*r).value("id", "");
}

std::string charge_status(EngineHarness& h, const std::string& charge_id) {
  auto rows = query_rows(h.db(), "SELECT status FROM charges WHERE id = '" + charge_id + "'");
  return rows.size() == 1 ? rows[0][0] : "<missing>";
}

// The one charge in the database (for flows whose client response carries no charge).
std::string only_charge_id(EngineHarness& h) {
  auto rows = query_rows(h.db(), "SELECT id FROM charges");
  EXPECT_EQ(rows.size(), 1u);
  return rows.empty() ? "" : rows[0][0];
}

void expect_nothing_written(EngineHarness& h) {
  EXPECT_EQ(h.count("charges"), 0);
  EXPECT_EQ(h.count("operations"), 0);
  EXPECT_EQ(h.count("idempotency_keys"), 0);
  EXPECT_EQ(h.count("ledger_entries"), 0);
  EXPECT_EQ(h.psp.call_count(), 0u);
}

void expect_error(const std::optional<HttpResponse>& r, int status, const std::string& code) {
  ASSERT_TRUE(r.has_value()) << "no response (engine still waiting)";
  EXPECT_EQ(r->status, status) << r->body;
  EXPECT_EQ(error_code(*r), code) << r->body;
}

// ---------------------------------------------------------------------------------------
// Creating charges

TEST(EngineApi, CreateChargeReturns201Authorized) {
  ModelHarness h;
  auto r = h.post(kCharges, "key-1", charge_body(4999, "USD", "tok_visa"));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 201) << r->body;
  const auto j = parse_body(*r);
  EXPECT_EQ(j["status"], "authorized");
  EXPECT_EQ(j["amount"], 4999);
  EXPECT_EQ(j["currency"], "USD");
  EXPECT_EQ(j["capture"], false);
  EXPECT_EQ(j["amount_captured"], 0);
  EXPECT_EQ(j["object"], "charge");
  EXPECT_EQ(j["id"].get<std::string>().rfind("ch_", 0), 0u);

  ASSERT_EQ(h.psp.call_count(), 1u);
  const auto& req = h.psp.request(0);
  EXPECT_EQ(req.op, PspOp::kAuthorize);
  EXPECT_EQ(req.amount_minor, 4999);
  EXPECT_EQ(req.currency, "USD");
  EXPECT_EQ(req.card_token, "tok_visa");
  EXPECT_FALSE(req.capture);

  EXPECT_EQ(charge_status(h, j["id"]), "authorized");
  EXPECT_EQ(query_int(h.db(), "SELECT COUNT(*) FROM idempotency_keys WHERE state = 'done'"), 1);
}

TEST(EngineApi, CreateChargeWithCaptureReturns201Captured) {
  ModelHarness h;
  auto r = h.post(kCharges, "key-1", charge_body(1200, "EUR", "tok_visa", true));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 201) << r->body;
  const auto j = parse_body(*r);
  EXPECT_EQ(j["status"], "captured");
  EXPECT_EQ(j["capture"], true);
  EXPECT_EQ(j["amount_captured"], 1200);
  ASSERT_EQ(h.psp.call_count(), 1u);
  EXPECT_TRUE(h.psp.request(0).capture);
}

TEST(EngineApi, GetChargeReturnsTheCharge) {
  ModelHarness h;
  const std::string id = create_charge(h, "key-1");
  auto r = h.get(std::string(kCharges) + "/" + id);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 200);
  const auto j = parse_body(*r);
  EXPECT_EQ(j["id"], id);
  EXPECT_EQ(j["status"], "authorized");
}

TEST(EngineApi, GetUnknownChargeIs404) {
  ModelHarness h;
  expect_error(h.get("/v1/charges/ch_doesnotexist"), 404, "charge_not_found");
}

// Found by the live smoke test: a path with bytes that are not UTF-8 made the error body's
// JSON encoding throw, which took the whole server down.
TEST(EngineApi, APathThatIsNotUtf8GetsA404NotAnException) {
  ModelHarness h;
  expect_error(h.get("/v1/charges/\x98\x99"), 404, "charge_not_found");
  expect_error(h.post("/v1/charges/\xff/capture", "k", "{}"), 404, "charge_not_found");
}

TEST(EngineApi, UnknownRouteIs404) {
  ModelHarness h;
  expect_error(h.get("/v1/refunds"), 404, "route_not_found");
  expect_error(h.post("/v1/charges/ch_1/explode", "k", "{}"), 404, "route_not_found");
}

// ---------------------------------------------------------------------------------------
// Idempotency-Key rules

TEST(EngineApi, MissingIdempotencyKeyIs400) {
  ModelHarness h;
  expect_error(h.post(kCharges, "", charge_body(100, "USD", "tok_visa")), 400,
               "idempotency_key_missing");
  expect_nothing_written(h);
}

TEST(EngineApi, MalformedIdempotencyKeyIs400) {
  ModelHarness h;
  expect_error(h.post(kCharges, "has space", charge_body(100, "USD", "tok_visa")), 400,
               "idempotency_key_invalid");
  expect_error(h.post(kCharges, std::string(256, 'k'), charge_body(100, "USD", "tok_visa")), 400,
               "idempotency_key_invalid");
  expect_nothing_written(h);
  // 255 characters is the limit, and allowed.
  auto r = h.post(kCharges, std::string(255, 'k'), charge_body(100, "USD", "tok_visa"));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 201) << r->body;
}

TEST(EngineApi, SameKeySameBodyReplaysTheStoredResponseByteForByte) {
  ModelHarness h;
  const std::string body = charge_body(4999, "USD", "tok_visa");
  auto first = h.post(kCharges, "key-1", body);
  ASSERT_TRUE(first.has_value());
  ASSERT_EQ(first->status, 201);
  h.clock.advance(10'000'000);  // time passes; the replay must not change

  auto second = h.post(kCharges, "key-1", body);
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->status, first->status);
  EXPECT_EQ(second->body, first->body);
  EXPECT_EQ(h.psp.call_count(), 1u) << "a replay must not reach the PSP";
  EXPECT_EQ(h.count("charges"), 1);

  // Same content with another key order and spacing is the same request.
  auto third =
      h.post(kCharges, "key-1", R"({ "source":"tok_visa", "currency":"USD", "amount":4999 })");
  ASSERT_TRUE(third.has_value());
  EXPECT_EQ(third->status, first->status);
  EXPECT_EQ(third->body, first->body);
}

TEST(EngineApi, AKeyPastItsRetentionWindowIsANewRequest) {
  EngineConfig config;
  config.idempotency_retention_us = 3'600'000'000;  // one hour
  ModelHarness h(config);
  const std::string body = charge_body(4999, "USD", "tok_visa");
  auto first = h.post(kCharges, "key-1", body);
  ASSERT_TRUE(first.has_value());
  ASSERT_EQ(first->status, 201);

  h.clock.advance(3'599'000'000);  // inside the window: the stored response
  auto replay = h.post(kCharges, "key-1", body);
  ASSERT_TRUE(replay.has_value());
  EXPECT_EQ(replay->body, first->body);
  EXPECT_EQ(h.count("charges"), 1);

  h.clock.advance(1'000'000);  // the window is over: a new charge, with its own PSP key
  auto fresh = h.post(kCharges, "key-1", body);
  ASSERT_TRUE(fresh.has_value());
  EXPECT_EQ(fresh->status, 201);
  EXPECT_NE(parse_body(*fresh)["id"], parse_body(*first)["id"]);
  EXPECT_EQ(h.count("charges"), 2);
  EXPECT_EQ(h.psp.call_count(), 2u);
  const auto keys = query_rows(h.db(), "SELECT DISTINCT psp_key FROM operations");
  EXPECT_EQ(keys.size(), 2u) << "a reused merchant key must not reuse the PSP key";
}

TEST(EngineApi, RecoveryForgetsCompletedKeysPastRetentionButNeverInFlightOnes) {
  EngineConfig config;
  config.idempotency_retention_us = 1'000'000;
  EngineHarness h(config);  // manual PSP
  auto done = h.post_async(kCharges, "done-key", charge_body(100, "USD", "tok_a"));
  ASSERT_TRUE(h.psp.reply(0, psp_succeeded("psp_1")));
  ASSERT_TRUE(done->has_value());
  auto waiting = h.post_async(kCharges, "waiting-key", charge_body(100, "USD", "tok_b"));
  ASSERT_FALSE(waiting->has_value());
  EXPECT_EQ(h.count("idempotency_keys"), 2);

  h.clock.advance(5'000'000);
  h.engine().run_recovery();
  const auto left = query_rows(h.db(), "SELECT key, state FROM idempotency_keys");
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0][0], "waiting-key");
  EXPECT_EQ(left[0][1], "in_flight");
}

TEST(EngineApi, SameKeyDifferentBodyIs422) {
  ModelHarness h;
  create_charge(h, "key-1", 4999);
  expect_error(h.post(kCharges, "key-1", charge_body(5000, "USD", "tok_visa")), 422,
               "idempotency_key_reused");
  // Another route under the same key is another request too.
  expect_error(h.post(capture_target("ch_x"), "key-1", "{}"), 422, "idempotency_key_reused");
  EXPECT_EQ(h.count("charges"), 1);
  EXPECT_EQ(h.psp.call_count(), 1u);
}

TEST(EngineApi, SameKeyWhileInFlightIs409) {
  EngineHarness h;  // manual PSP: calls stay pending until answered
  const std::string body = charge_body(4999, "USD", "tok_visa");
  auto first = h.post_async(kCharges, "key-1", body);
  EXPECT_FALSE(first->has_value()) << "the engine waits for the PSP";
  ASSERT_EQ(h.psp.pending_calls().size(), 1u);

  expect_error(h.post(kCharges, "key-1", body), 409, "request_in_progress");
  // A different body under an in-flight key is still a reuse.
  expect_error(h.post(kCharges, "key-1", charge_body(1, "USD", "tok_visa")), 422,
               "idempotency_key_reused");
  EXPECT_EQ(h.psp.call_count(), 1u) << "the in-flight retry must not reach the PSP";

  ASSERT_TRUE(h.psp.reply(0, psp_succeeded("psp_1")));
  ASSERT_TRUE(first->has_value());
  EXPECT_EQ((*first)->status, 201);
  auto replay = h.post(kCharges, "key-1", body);
  ASSERT_TRUE(replay.has_value());
  EXPECT_EQ(replay->status, 201);
  EXPECT_EQ(replay->body, (*first)->body);
}

// ---------------------------------------------------------------------------------------
// Validation: refused before anything is written

TEST(EngineApi, InvalidJsonIs400) {
  ModelHarness h;
  expect_error(h.post(kCharges, "k1", "{\"amount\": 100,"), 400, "body_invalid_json");
  expect_error(h.post(kCharges, "k2", "not json"), 400, "body_invalid_json");
  expect_error(h.post(kCharges, "k3", "[1, 2]"), 400, "body_not_object");
  expect_nothing_written(h);
}

TEST(EngineApi, UnknownFieldIs400) {
  ModelHarness h;
  expect_error(
      h.post(kCharges, "k1", R"({"amount":100,"currency":"USD","source":"tok_visa","tip":5})"), 400,
      "field_unknown");
  expect_nothing_written(h);
}

TEST(EngineApi, InvalidAmountIs400) {
  ModelHarness h;
  int n = 0;
  for (const char* amount :
       {"0", "-5", "\"100\"", "10.5", "100.0", "1e3", "null", "true", "9223372036854775808"}) {
    const std::string body =
        std::string(R"({"currency":"USD","source":"tok_visa","amount":)") + amount + "}";
    SCOPED_TRACE(body);
    expect_error(h.post(kCharges, "k" + std::to_string(++n), body), 400, "amount_invalid");
  }
  expect_error(h.post(kCharges, "k-missing", R"({"currency":"USD","source":"tok_visa"})"), 400,
               "amount_missing");
  expect_nothing_written(h);
}

TEST(EngineApi, UnknownCurrencyIs400) {
  ModelHarness h;
  int n = 0;
  for (const char* currency : {"\"XYZ\"", "\"usd\"", "\"\"", "840", "null"}) {
    const std::string body =
        std::string(R"({"amount":100,"source":"tok_visa","currency":)") + currency + "}";
    SCOPED_TRACE(body);
    expect_error(h.post(kCharges, "k" + std::to_string(++n), body), 400, "currency_invalid");
  }
  expect_error(h.post(kCharges, "k-missing", R"({"amount":100,"source":"tok_visa"})"), 400,
               "currency_invalid");
  expect_nothing_written(h);
}

TEST(EngineApi, InvalidSourceOrCaptureIs400) {
  ModelHarness h;
  expect_error(h.post(kCharges, "k1", charge_body(100, "USD", "visa")), 400, "source_invalid");
  expect_error(h.post(kCharges, "k2", R"({"amount":100,"currency":"USD"})"), 400, "source_invalid");
  expect_error(
      h.post(kCharges, "k3", R"({"amount":100,"currency":"USD","source":"tok_a","capture":1})"),
      400, "capture_invalid");
  expect_nothing_written(h);
}

TEST(EngineApi, CardNumberIsRefusedAndNothingIsWritten) {
  ModelHarness h;
  const std::string pan = "4242424242424242";
  auto r = h.post(kCharges, "key-1", charge_body(4999, "USD", pan));
  expect_error(r, 400, "card_number_refused");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->body.find(pan), std::string::npos) << "the refusal must not echo the PAN";
  expect_nothing_written(h);

  // Anywhere in the body or the target: a token embedding a PAN (also with underscores as
  // separators), a spaced PAN in a nested value, a PAN as a charge id or a list cursor.
  expect_error(h.post(kCharges, "key-2", charge_body(4999, "USD", "tok_" + pan)), 400,
               "card_number_refused");
  expect_error(h.post(kCharges, "key-2", charge_body(4999, "USD", "tok_4012_8888_8888_1881")), 400,
               "card_number_refused");
  for (const std::string& target :
       std::vector<std::string>{"/v1/charges/" + pan, "/v1/charges?starting_after=" + pan,
                                "/v1/charges/4111-1111-1111-1111/capture", "/v1/" + pan}) {
    SCOPED_TRACE(target);
    const auto got =
        target.find("capture") != std::string::npos ? h.post(target, "key-9", "{}") : h.get(target);
    expect_error(got, 400, "card_number_refused");
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->body.find(pan), std::string::npos) << "the refusal must not echo the PAN";
    EXPECT_EQ(got->body.find("4111"), std::string::npos) << "the refusal must not echo the PAN";
  }
  expect_error(
      h.post(kCharges, "key-3",
             R"({"amount":1,"currency":"USD","source":"tok_a","x":{"y":["4111 1111 1111 1111"]}})"),
      400, "card_number_refused");
  expect_nothing_written(h);

  // Nothing was stored under the key, so it can still be used for a proper request.
  auto ok = h.post(kCharges, "key-1", charge_body(4999, "USD", "tok_visa"));
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->status, 201) << ok->body;
}

// docs/api.md: an amount is under 10^9 major units of its currency (issue 19, item 10: an
// amount of 4e16 USD was captured, and a fee schedule over it overflowed int64).
TEST(EngineApi, AmountsPastTheCurrencysMaximumAreRefused) {
  ModelHarness h;
  const std::pair<const char*, int64_t> limits[] = {
      {"USD", 99'999'999'999}, {"JPY", 999'999'999}, {"KWD", 999'999'999'999}};
  int n = 0;
  for (const auto& [currency, max] : limits) {
    SCOPED_TRACE(currency);
    auto at_max =
        h.post(kCharges, "max-" + std::to_string(++n), charge_body(max, currency, "tok_visa"));
    ASSERT_TRUE(at_max.has_value());
    EXPECT_EQ(at_max->status, 201) << at_max->body;
    expect_error(
        h.post(kCharges, "over-" + std::to_string(n), charge_body(max + 1, currency, "tok_visa")),
        400, "amount_invalid");
  }
  expect_error(h.post(kCharges, "huge", charge_body(40'000'000'000'001'000, "USD", "tok_visa")),
               400, "amount_invalid");
}

// docs/api.md, "Card numbers": the Idempotency-Key is the merchant's opaque identifier, not
// card data. Issue 19: UUIDv4 keys whose digits join (across '-') into a Luhn-valid run, and
// millisecond timestamps, were refused 400 card_number_refused at random.
TEST(EngineApi, KeysHoldingLuhnValidDigitRunsAreKeys) {
  ModelHarness h;
  for (const std::string key :
       {"44d50172-6227-4051-813b-c6bad8a9f8f4", "order-1700000000004", "order-4242424242424242"}) {
    SCOPED_TRACE(key);
    auto r = h.post(kCharges, key, charge_body(4999, "USD", "tok_visa"));
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->status, 201) << r->body;
  }
}

// The IETF Idempotency-Key draft sends the key as a structured-field string: `"abc"` is the
// key `abc`, so a retry in either form replays the first answer.
TEST(EngineApi, AStructuredFieldStringKeyIsTheSameKeyAsItsBareForm) {
  ModelHarness h;
  auto bare = h.post(kCharges, "order-17", charge_body(4999, "USD", "tok_visa"));
  auto quoted = h.post(kCharges, "\"order-17\"", charge_body(4999, "USD", "tok_visa"));
  ASSERT_TRUE(bare.has_value() && quoted.has_value());
  EXPECT_EQ(bare->status, 201) << bare->body;
  EXPECT_EQ(quoted->body, bare->body);
  EXPECT_EQ(h.count("charges"), 1);
  auto escaped = h.post(kCharges, R"("a\"b")", charge_body(4999, "USD", "tok_visa"));
  ASSERT_TRUE(escaped.has_value());
  EXPECT_EQ(escaped->status, 201) << escaped->body;
  for (const std::string& bad : {std::string(R"("a"b")"), std::string(R"("a\x")"),
                                 std::string("\"\""), std::string("a b"), std::string("\"a b\"")}) {
    SCOPED_TRACE(bad);
    expect_error(h.post(kCharges, bad, charge_body(4999, "USD", "tok_visa")), 400,
                 "idempotency_key_invalid");
  }
}

// ENGINE BUG (left failing on purpose; do not "fix" the test): a deeply nested JSON body
// crashes the engine process. refuse_card_numbers() walks the parsed body with the unbounded
// recursion json_has_card_number() (engine/request_validation.cpp:14-27), so a ~400 KB body
// like {"a":[[[[...]]]]} overflows the stack (SIGSEGV) before any refusal is sent. Expected:
// a 400 refusal and a live process. The request runs in a death-test child so that the
// crash fails only this test instead of killing the test binary.
// Found by this test: an unbounded recursive walk of the body overflowed the stack at
// about 50,000 levels. Bodies are now bounded in size (413) and depth (400) before parsing.
TEST(EngineApiDeathTest, DeeplyNestedBodyIsRefusedWithoutCrashing) {
  TempDbPath path;  // shared with the child; removed here even if the child crashes
  const size_t depth = 200'000;
  const std::string body = "{\"a\":" + std::string(depth, '[') + std::string(depth, ']') + "}";
  EXPECT_EXIT(
      {
        bool refused = false;
        {
          EngineHarness h(EngineConfig{}, path.path());
          h.psp.use_model();
          auto r = h.post(kCharges, "key-1", body);
          refused = r.has_value() && r->status == 413 && h.count("charges") == 0 &&
                    r->body.find("body_too_large") != std::string::npos;
        }
        std::exit(refused ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
}

TEST(EngineApi, BodyNestedBeyondTheLimitIs400BodyTooDeep) {
  ModelHarness h;
  const size_t depth = 30'000;  // under the size limit, far over the depth limit
  const std::string body = "{\"a\":" + std::string(depth, '[') + std::string(depth, ']') + "}";
  expect_error(h.post(kCharges, "key-1", body), 400, "body_too_deep");
  EXPECT_EQ(h.count("charges"), 0);
}

TEST(EngineApi, CardNumberSentAsAJsonNumberIsRefused) {
  ModelHarness h;
  const std::string body =
      R"({"amount": 4242424242424242, "currency": "USD", "source": "tok_visa"})";
  expect_error(h.post(kCharges, "key-1", body), 400, "card_number_refused");
  EXPECT_EQ(h.count("charges"), 0);
}

// ---------------------------------------------------------------------------------------
// PSP outcomes

TEST(EngineApi, PspDeclineIs402AndChargeDeclined) {
  ModelHarness h;
  h.psp.decline_token("tok_declined");
  const std::string body = charge_body(4999, "USD", "tok_declined");
  auto r = h.post(kCharges, "key-1", body);
  expect_error(r, 402, "payment_declined");
  const auto j = parse_body(*r);
  EXPECT_EQ(j["charge"]["status"], "declined");
  const std::string id = j["charge"]["id"];
  EXPECT_EQ(charge_status(h, id), "declined");
  EXPECT_EQ(h.count("ledger_entries"), 0) << "a decline books nothing";

  auto replay = h.post(kCharges, "key-1", body);
  ASSERT_TRUE(replay.has_value());
  EXPECT_EQ(replay->status, 402);
  EXPECT_EQ(replay->body, r->body);
  EXPECT_EQ(h.psp.call_count(), 1u);
}

TEST(EngineApi, AmbiguousFirstAttemptIsRetriedUnderTheSameKeyAndCollapses) {
  ModelHarness h;
  // The PSP authorizes on the first attempt but the reply is lost; the retry collapses.
  h.psp.script_token("tok_visa", {Fate::kLoseReply});
  auto r = h.post(kCharges, "key-1", charge_body(4999, "USD", "tok_visa"));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 201) << r->body;
  const auto auths = h.psp.requests_of(PspOp::kAuthorize);
  ASSERT_EQ(auths.size(), 2u);
  EXPECT_EQ(auths[0].idempotency_key, auths[1].idempotency_key);
  EXPECT_EQ(h.psp.successful_authorizations("tok_visa"), 1) << "no double charge";
}

TEST(EngineApi, AmbiguousOnEveryAttemptIs503UnknownThenRecoveryResolvesByLookup) {
  ModelHarness h;
  const int attempts = h.config().psp_attempts_max;
  // The PSP authorizes on every attempt (collapsed by key) but no reply arrives.
  h.psp.script_token("tok_visa",
                     std::vector<Fate>(static_cast<size_t>(attempts), Fate::kLoseReply));
  const std::string body = charge_body(4999, "USD", "tok_visa");
  const int64_t t0 = h.clock.now_us();
  auto r = h.post(kCharges, "key-1", body);
  expect_error(r, 503, "psp_outcome_unknown");

  const auto auths = h.psp.requests_of(PspOp::kAuthorize);
  ASSERT_EQ(auths.size(), static_cast<size_t>(attempts));
  const std::string op_key = query_rows(h.db(), "SELECT psp_key FROM operations")[0][0];
  for (const auto& a : auths) EXPECT_EQ(a.idempotency_key, op_key) << "one key per operation";
  // Backoff between attempts: 50ms after the first, 100ms after the second.
  EXPECT_GE(h.clock.now_us() - t0, h.config().psp_retry_backoff_us * (attempts - 1) * attempts / 2);

  const std::string id = only_charge_id(h);
  EXPECT_EQ(charge_status(h, id), "unknown");
  // The 503 names the charge, so the merchant may read, void or refund it meanwhile.
  const auto unknown = parse_body(*r);
  ASSERT_TRUE(unknown.contains("charge")) << r->body;
  EXPECT_EQ(unknown["charge"].value("id", ""), id);
  EXPECT_EQ(unknown["charge"].value("status", ""), "unknown");
  EXPECT_EQ(query_rows(h.db(), "SELECT status, attempts FROM operations")[0],
            (std::vector<std::string>{"unknown", std::to_string(attempts)}));
  EXPECT_EQ(h.engine().unresolved_operation_count(), 1u);
  EXPECT_EQ(h.count("ledger_entries"), 0);
  // The 503 was not stored: a retry is told the request is still in progress.
  expect_error(h.post(kCharges, "key-1", body), 409, "request_in_progress");

  const size_t calls_before = h.psp.call_count();
  h.recover();
  ASSERT_EQ(h.psp.call_count(), calls_before + 1);
  EXPECT_EQ(h.psp.request(calls_before).op, PspOp::kLookup);
  EXPECT_EQ(h.psp.request(calls_before).idempotency_key, op_key);

  EXPECT_EQ(charge_status(h, id), "authorized");
  EXPECT_EQ(h.engine().unresolved_operation_count(), 0u);
  EXPECT_EQ(h.count("ledger_transactions"), 1);
  EXPECT_EQ(h.psp.successful_authorizations("tok_visa"), 1);

  auto retry = h.post(kCharges, "key-1", body);
  ASSERT_TRUE(retry.has_value());
  EXPECT_EQ(retry->status, 201) << retry->body;
  const auto stored = query_rows(
      h.db(), "SELECT response_status, response_body FROM idempotency_keys WHERE key = 'key-1'");
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0][0], "201");
  EXPECT_EQ(retry->body, stored[0][1]);
  const auto j = parse_body(*retry);
  EXPECT_EQ(j["id"], id);
  EXPECT_EQ(j["status"], "authorized");
}

TEST(EngineApi, RecoveryResendsUnderTheSameKeyWhenThePspNeverSawTheOperation) {
  ModelHarness h;
  const int attempts = h.config().psp_attempts_max;
  // Every attempt is lost on the way to the PSP.
  h.psp.script_token("tok_visa", std::vector<Fate>(static_cast<size_t>(attempts), Fate::kDrop));
  const std::string body = charge_body(4999, "USD", "tok_visa");
  expect_error(h.post(kCharges, "key-1", body), 503, "psp_outcome_unknown");
  const std::string op_key = query_rows(h.db(), "SELECT psp_key FROM operations")[0][0];
  EXPECT_FALSE(h.psp.model_knows_key(op_key));

  const size_t first = h.psp.call_count();
  h.recover();
  ASSERT_EQ(h.psp.call_count(), first + 2) << "a lookup, then the re-sent authorize";
  EXPECT_EQ(h.psp.request(first).op, PspOp::kLookup);
  EXPECT_EQ(h.psp.request(first).idempotency_key, op_key);
  EXPECT_EQ(h.psp.request(first + 1).op, PspOp::kAuthorize);
  EXPECT_EQ(h.psp.request(first + 1).idempotency_key, op_key);
  EXPECT_EQ(h.psp.request(first + 1).amount_minor, 4999);

  EXPECT_EQ(charge_status(h, only_charge_id(h)), "authorized");
  EXPECT_EQ(h.psp.successful_authorizations("tok_visa"), 1);
  auto retry = h.post(kCharges, "key-1", body);
  ASSERT_TRUE(retry.has_value());
  EXPECT_EQ(retry->status, 201);
}

TEST(EngineApi, RecoveryBooksADeclineFoundByLookup) {
  ModelHarness h;
  h.psp.decline_token("tok_declined");
  h.psp.script_token("tok_declined", std::vector<Fate>(3, Fate::kLoseReply));
  const std::string body = charge_body(4999, "USD", "tok_declined");
  expect_error(h.post(kCharges, "key-1", body), 503, "psp_outcome_unknown");
  h.recover();
  EXPECT_EQ(charge_status(h, only_charge_id(h)), "declined");
  expect_error(h.post(kCharges, "key-1", body), 402, "payment_declined");
  EXPECT_EQ(h.count("ledger_entries"), 0);
}

TEST(EngineApi, RecoveryLeavesTheOperationUnresolvedWhileLookupIsAmbiguous) {
  ModelHarness h;
  h.psp.script_token("tok_visa", std::vector<Fate>(3, Fate::kLoseReply));
  const std::string body = charge_body(4999, "USD", "tok_visa");
  expect_error(h.post(kCharges, "key-1", body), 503, "psp_outcome_unknown");
  h.psp.script_op(PspOp::kLookup, {Fate::kDrop});
  h.recover();
  EXPECT_EQ(h.engine().unresolved_operation_count(), 1u);
  EXPECT_EQ(charge_status(h, only_charge_id(h)), "unknown");
  h.recover();  // the next pass asks again and gets an answer
  EXPECT_EQ(h.engine().unresolved_operation_count(), 0u);
  EXPECT_EQ(charge_status(h, only_charge_id(h)), "authorized");
}

TEST(EngineApi, RecoverySkipsOperationsInFlightInThisProcess) {
  EngineHarness h;  // manual PSP
  auto first = h.post_async(kCharges, "key-1", charge_body(4999, "USD", "tok_visa"));
  ASSERT_FALSE(first->has_value());
  h.engine().run_recovery();
  EXPECT_EQ(h.psp.call_count(), 1u) << "recovery must not drive an in-flight operation";
  ASSERT_TRUE(h.psp.reply(0, psp_succeeded("psp_1")));
  ASSERT_TRUE(first->has_value());
  EXPECT_EQ((*first)->status, 201);
}

TEST(EngineApi, PspFailedAuthorizeIs402Failed) {
  EngineHarness h;  // manual PSP
  auto r = h.post_async(kCharges, "key-1", charge_body(4999, "USD", "tok_visa"));
  PspReply failed;
  failed.outcome = PspOutcome::kFailed;
  failed.detail = "invalid request";
  ASSERT_TRUE(h.psp.reply(0, failed));
  ASSERT_TRUE(r->has_value());
  expect_error(*r, 402, "payment_failed");
  EXPECT_EQ(charge_status(h, only_charge_id(h)), "failed");
  EXPECT_EQ(h.count("ledger_entries"), 0);
}

TEST(EngineApi, RecoveryLoopRunsNowAndThenPeriodically) {
  ModelHarness h;
  h.psp.script_token("tok_visa", std::vector<Fate>(3, Fate::kLoseReply));
  const std::string body = charge_body(4999, "USD", "tok_visa");
  expect_error(h.post(kCharges, "key-1", body), 503, "psp_outcome_unknown");
  h.psp.script_op(PspOp::kLookup, {Fate::kDrop});  // the first pass learns nothing

  const size_t before = h.psp.call_count();
  h.engine().start_recovery_loop();
  h.engine().start_recovery_loop();  // idempotent: still one loop
  EXPECT_EQ(h.psp.call_count(), before + 1) << "the first pass runs at once";
  h.clock.advance(h.psp.latency_us);
  EXPECT_EQ(h.engine().unresolved_operation_count(), 1u);

  h.clock.advance(h.config().recovery_interval_us);  // the next pass asks again
  EXPECT_EQ(h.psp.call_count(), before + 2);
  EXPECT_EQ(h.engine().unresolved_operation_count(), 0u);
  EXPECT_EQ(charge_status(h, only_charge_id(h)), "authorized");

  h.clock.advance(h.config().recovery_interval_us * 3);  // nothing left to ask about
  EXPECT_EQ(h.psp.call_count(), before + 2);
  auto retry = h.post(kCharges, "key-1", body);
  ASSERT_TRUE(retry.has_value());
  EXPECT_EQ(retry->status, 201);
}

// ---------------------------------------------------------------------------------------
// Capture

TEST(EngineApi, CaptureFull) {
  ModelHarness h;
  const std::string id = create_charge(h, "key-1", 4999);
  auto r = h.post(capture_target(id), "cap-1", "");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 200) << r->body;
  const auto j = parse_body(*r);
  EXPECT_EQ(j["status"], "captured");
  EXPECT_EQ(j["amount_captured"], 4999);
  EXPECT_EQ(j["amount"], 4999);
  const auto captures = h.psp.requests_of(PspOp::kCapture);
  ASSERT_EQ(captures.size(), 1u);
  EXPECT_EQ(captures[0].amount_minor, 4999);
  EXPECT_EQ(captures[0].psp_charge_id,
            query_rows(h.db(), "SELECT psp_charge_id FROM charges")[0][0]);
  EXPECT_NE(captures[0].idempotency_key, h.psp.request(0).idempotency_key)
      << "the capture is its own operation with its own key";
  EXPECT_EQ(charge_status(h, id), "captured");

  auto replay = h.post(capture_target(id), "cap-1", "{}");  // "" and "{}" are the same body
  ASSERT_TRUE(replay.has_value());
  EXPECT_EQ(replay->status, 200);
  EXPECT_EQ(replay->body, r->body);
}

TEST(EngineApi, CapturePartial) {
  ModelHarness h;
  const std::string id = create_charge(h, "key-1", 4999);
  auto r = h.post(capture_target(id), "cap-1", R"({"amount":1000})");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 200) << r->body;
  const auto j = parse_body(*r);
  EXPECT_EQ(j["status"], "captured");
  EXPECT_EQ(j["amount_captured"], 1000);
  EXPECT_EQ(j["amount"], 4999);
  // A charge is captured once.
  expect_error(h.post(capture_target(id), "cap-2", R"({"amount":1000})"), 409,
               "charge_not_capturable");
}

TEST(EngineApi, CaptureBeyondAuthorizationIs400) {
  ModelHarness h;
  const std::string id = create_charge(h, "key-1", 4999);
  expect_error(h.post(capture_target(id), "cap-1", R"({"amount":5000})"), 400,
               "amount_exceeds_authorization");
  expect_error(h.post(capture_target(id), "cap-2", R"({"amount":0})"), 400, "amount_invalid");
  expect_error(h.post(capture_target(id), "cap-3", R"({"amount":10,"x":1})"), 400, "field_unknown");
  EXPECT_EQ(h.psp.requests_of(PspOp::kCapture).size(), 0u);
  EXPECT_EQ(charge_status(h, id), "authorized");
  // The refusals stored nothing: the key is still free.
  auto r = h.post(capture_target(id), "cap-1", R"({"amount":4999})");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 200) << r->body;
}

TEST(EngineApi, CaptureOfDeclinedChargeIs409) {
  ModelHarness h;
  h.psp.decline_token("tok_declined");
  auto r = h.post(kCharges, "key-1", charge_body(4999, "USD", "tok_declined"));
  expect_error(r, 402, "payment_declined");
  const std::string id = parse_body(*r)["charge"]["id"];
  expect_error(h.post(capture_target(id), "cap-1", "{}"), 409, "charge_not_capturable");
}

TEST(EngineApi, CaptureOfAutoCapturedChargeIs409) {
  ModelHarness h;
  const std::string id = create_charge(h, "key-1", 4999, "tok_visa", /*capture=*/true);
  expect_error(h.post(capture_target(id), "cap-1", "{}"), 409, "charge_not_capturable");
}

TEST(EngineApi, CaptureWaitsForAPendingAuthorizationThenRuns) {
  EngineHarness h;  // manual PSP
  auto created = h.post_async(kCharges, "key-1", charge_body(4999, "USD", "tok_visa"));
  ASSERT_FALSE(created->has_value());
  const std::string id = only_charge_id(h);
  EXPECT_EQ(charge_status(h, id), "pending");
  auto capture = h.post_async(capture_target(id), "cap-1", "{}");
  EXPECT_FALSE(capture->has_value()) << "the capture waits for the authorization";
  EXPECT_EQ(h.psp.pending_calls(), std::vector<size_t>{0}) << "no lookup while it is driven";

  ASSERT_TRUE(h.psp.reply(0, psp_succeeded("psp_1")));
  ASSERT_TRUE(created->has_value());
  EXPECT_EQ((*created)->status, 201);
  ASSERT_EQ(h.psp.pending_calls(), std::vector<size_t>{1});
  EXPECT_EQ(h.psp.request(1).op, PspOp::kCapture);
  ASSERT_TRUE(h.psp.reply(1, psp_succeeded("psp_1", PspChargeState::kCaptured)));
  ASSERT_TRUE(capture->has_value());
  EXPECT_EQ((*capture)->status, 200) << (*capture)->body;
  EXPECT_EQ(charge_status(h, id), "captured");
}

// The reply to every authorize attempt is lost: the charge is unknown. A capture first asks
// the PSP by the authorization's key, finds it authorized, then captures.
TEST(EngineApi, CaptureOfAnUnknownChargeFirstResolvesItByLookup) {
  ModelHarness h;
  const int attempts = h.config().psp_attempts_max;
  h.psp.script_token("tok_visa",
                     std::vector<Fate>(static_cast<size_t>(attempts), Fate::kLoseReply));
  expect_error(h.post(kCharges, "key-1", charge_body(4999, "USD", "tok_visa")), 503,
               "psp_outcome_unknown");
  const std::string id = only_charge_id(h);
  ASSERT_EQ(charge_status(h, id), "unknown");
  const std::string op_key = query_rows(h.db(), "SELECT psp_key FROM operations")[0][0];

  const size_t calls_before = h.psp.call_count();
  auto r = h.post(capture_target(id), "cap-1", "{}");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 200) << r->body;
  ASSERT_EQ(h.psp.call_count(), calls_before + 2);
  EXPECT_EQ(h.psp.request(calls_before).op, PspOp::kLookup);
  EXPECT_EQ(h.psp.request(calls_before).idempotency_key, op_key);
  EXPECT_EQ(h.psp.request(calls_before + 1).op, PspOp::kCapture);
  EXPECT_EQ(charge_status(h, id), "captured");
  EXPECT_EQ(h.count("ledger_transactions"), 2) << "the authorization and the capture";
  EXPECT_EQ(h.psp.successful_authorizations("tok_visa"), 1);
  EXPECT_EQ(h.engine().unresolved_operation_count(), 0u);
}

// When the lookup gives no clear answer either, the capture is refused and stores nothing.
TEST(EngineApi, CaptureOfAChargeTheLookupCannotResolveIs409) {
  EngineHarness h;  // manual PSP
  auto created = h.post_async(kCharges, "key-1", charge_body(4999, "USD", "tok_visa"));
  ASSERT_TRUE(h.psp.reply(0, psp_ambiguous()));
  for (int attempt = 2; attempt <= h.config().psp_attempts_max; ++attempt) {
    h.settle();  // the backoff timer sends the next attempt
    ASSERT_EQ(h.psp.pending_calls().size(), 1u);
    ASSERT_TRUE(h.psp.reply(h.psp.pending_calls()[0], psp_ambiguous()));
  }
  ASSERT_TRUE(created->has_value());
  EXPECT_EQ((*created)->status, 503);
  const std::string id = only_charge_id(h);
  EXPECT_EQ(charge_status(h, id), "unknown");

  auto capture = h.post_async(capture_target(id), "cap-1", "{}");
  EXPECT_FALSE(capture->has_value()) << "the capture waits for the lookup";
  ASSERT_EQ(h.psp.pending_calls().size(), 1u);
  const size_t lookup = h.psp.pending_calls()[0];
  EXPECT_EQ(h.psp.request(lookup).op, PspOp::kLookup);
  ASSERT_TRUE(h.psp.reply(lookup, psp_ambiguous()));
  ASSERT_TRUE(capture->has_value());
  expect_error(**capture, 409, "charge_unresolved");
  EXPECT_EQ(charge_status(h, id), "unknown");
  EXPECT_EQ(h.count("idempotency_keys"), 1) << "only the charge's key; the refusal stored nothing";
}

TEST(EngineApi, CaptureOfMissingChargeIs404) {
  ModelHarness h;
  expect_error(h.post(capture_target("ch_nope"), "cap-1", "{}"), 404, "charge_not_found");
}

TEST(EngineApi, CaptureWhileAnotherCaptureIsInFlightIs409) {
  EngineHarness h;  // manual PSP
  auto created = h.post_async(kCharges, "key-1", charge_body(4999, "USD", "tok_visa"));
  ASSERT_TRUE(h.psp.reply(0, psp_succeeded("psp_1")));
  ASSERT_TRUE(created->has_value());
  const std::string id = parse_body(**created)["id"];
  auto cap = h.post_async(capture_target(id), "cap-1", R"({"amount":100})");
  ASSERT_FALSE(cap->has_value());
  expect_error(h.post(capture_target(id), "cap-2", R"({"amount":200})"), 409,
               "charge_not_capturable");
  ASSERT_TRUE(h.psp.reply(1, psp_succeeded("psp_1", PspChargeState::kCaptured, 100)));
  ASSERT_TRUE(cap->has_value());
  EXPECT_EQ((*cap)->status, 200);
}

TEST(EngineApi, CaptureDeclinedByThePspLeavesTheChargeCapturable) {
  EngineHarness h;  // manual PSP
  auto created = h.post_async(kCharges, "key-1", charge_body(4999, "USD", "tok_visa"));
  ASSERT_TRUE(h.psp.reply(0, psp_succeeded("psp_1")));
  ASSERT_TRUE(created->has_value());
  const std::string id = parse_body(**created)["id"];

  auto cap = h.post_async(capture_target(id), "cap-1", "{}");
  ASSERT_EQ(h.psp.request(1).op, PspOp::kCapture);
  EXPECT_EQ(h.psp.request(1).psp_charge_id, "psp_1");
  ASSERT_TRUE(h.psp.reply(1, psp_declined("psp_1")));
  ASSERT_TRUE(cap->has_value());
  expect_error(*cap, 402, "capture_declined");
  EXPECT_EQ(charge_status(h, id), "authorized");
  EXPECT_EQ(h.count("ledger_transactions"), 1) << "only the authorization is booked";

  auto again = h.post_async(capture_target(id), "cap-2", "{}");
  ASSERT_TRUE(h.psp.reply(2, psp_succeeded("psp_1", PspChargeState::kCaptured, 4999)));
  ASSERT_TRUE(again->has_value());
  EXPECT_EQ((*again)->status, 200);
  EXPECT_EQ(charge_status(h, id), "captured");
  EXPECT_TRUE(ledger_imbalances(h.db()).empty());
}

TEST(EngineApi, AmbiguousCaptureIsResolvedByRecovery) {
  ModelHarness h;
  const std::string id = create_charge(h, "key-1", 4999);
  h.psp.script_op(PspOp::kCapture, std::vector<Fate>(3, Fate::kLoseReply));
  const std::string body = R"({"amount":2000})";
  expect_error(h.post(capture_target(id), "cap-1", body), 503, "psp_outcome_unknown");
  const auto captures = h.psp.requests_of(PspOp::kCapture);
  ASSERT_EQ(captures.size(), 3u);
  EXPECT_EQ(captures[0].idempotency_key, captures[2].idempotency_key);
  EXPECT_EQ(charge_status(h, id), "authorized") << "an unknown capture leaves the charge as is";
  expect_error(h.post(capture_target(id), "cap-1", body), 409, "request_in_progress");
  expect_error(h.post(capture_target(id), "cap-2", body), 409, "charge_not_capturable");

  h.recover();
  EXPECT_EQ(charge_status(h, id), "captured");
  auto retry = h.post(capture_target(id), "cap-1", body);
  ASSERT_TRUE(retry.has_value());
  EXPECT_EQ(retry->status, 200) << retry->body;
  EXPECT_EQ(parse_body(*retry)["amount_captured"], 2000);
  EXPECT_TRUE(ledger_imbalances(h.db()).empty());
}

// ---------------------------------------------------------------------------------------
// Restart

TEST(EngineApi, RestartRecoversAnOperationThePspCompleted) {
  ModelHarness h;
  // The PSP authorizes, the process dies before the reply arrives.
  h.psp.script_token("tok_visa", {Fate::kHold});
  const std::string body = charge_body(4999, "USD", "tok_visa");
  auto first = h.post_async(kCharges, "key-1", body);
  ASSERT_FALSE(first->has_value());
  const std::string op_key = query_rows(h.db(), "SELECT psp_key FROM operations")[0][0];

  h.restart();
  EXPECT_FALSE(first->has_value()) << "the dead process never answers";
  EXPECT_EQ(h.engine().unresolved_operation_count(), 1u);
  expect_error(h.post(kCharges, "key-1", body), 409, "request_in_progress");

  const size_t before = h.psp.call_count();
  h.recover();
  ASSERT_EQ(h.psp.call_count(), before + 1);
  EXPECT_EQ(h.psp.request(before).op, PspOp::kLookup);
  EXPECT_EQ(h.psp.request(before).idempotency_key, op_key);
  EXPECT_EQ(h.engine().unresolved_operation_count(), 0u);
  EXPECT_EQ(charge_status(h, only_charge_id(h)), "authorized");
  EXPECT_EQ(h.psp.successful_authorizations("tok_visa"), 1);
  EXPECT_TRUE(ledger_imbalances(h.db()).empty());

  auto retry = h.post(kCharges, "key-1", body);
  ASSERT_TRUE(retry.has_value());
  EXPECT_EQ(retry->status, 201);
  EXPECT_FALSE(first->has_value());
}

TEST(EngineApi, RestartResendsAnOperationThePspNeverSaw) {
  EngineHarness h;  // manual PSP: the request is pending when the process dies
  const std::string body = charge_body(4999, "USD", "tok_visa");
  auto first = h.post_async(kCharges, "key-1", body);
  ASSERT_FALSE(first->has_value());
  const std::string key0 = h.psp.request(0).idempotency_key;

  h.restart();
  // The old engine's callback is gone: answering it now does nothing.
  EXPECT_FALSE(h.psp.reply(0, psp_succeeded("psp_late")));
  EXPECT_FALSE(first->has_value());
  EXPECT_EQ(charge_status(h, only_charge_id(h)), "pending");

  h.psp.use_model();  // the PSP never saw key0
  h.recover();
  ASSERT_EQ(h.psp.call_count(), 3u);
  EXPECT_EQ(h.psp.request(1).op, PspOp::kLookup);
  EXPECT_EQ(h.psp.request(1).idempotency_key, key0);
  EXPECT_EQ(h.psp.request(2).op, PspOp::kAuthorize);
  EXPECT_EQ(h.psp.request(2).idempotency_key, key0);
  EXPECT_EQ(charge_status(h, only_charge_id(h)), "authorized");
  auto retry = h.post(kCharges, "key-1", body);
  ASSERT_TRUE(retry.has_value());
  EXPECT_EQ(retry->status, 201);
}

TEST(EngineApi, RestartKeepsCompletedResponses) {
  ModelHarness h;
  const std::string body = charge_body(4999, "USD", "tok_visa");
  auto first = h.post(kCharges, "key-1", body);
  ASSERT_TRUE(first.has_value());
  h.restart();
  auto replay = h.post(kCharges, "key-1", body);
  ASSERT_TRUE(replay.has_value());
  EXPECT_EQ(replay->status, first->status);
  EXPECT_EQ(replay->body, first->body);
  EXPECT_EQ(h.psp.call_count(), 1u);
}

// ---------------------------------------------------------------------------------------
// Planted defects change behaviour

TEST(EngineApi, PlantedPspKeyPerAttemptSendsDifferentKeysAndDoubleCharges) {
  EngineConfig config;
  config.planted.plant(Defect::kPspKeyPerAttempt);
  ModelHarness h(config);
  const int attempts = h.config().psp_attempts_max;
  h.psp.script_token("tok_visa",
                     std::vector<Fate>(static_cast<size_t>(attempts), Fate::kLoseReply));
  expect_error(h.post(kCharges, "key-1", charge_body(4999, "USD", "tok_visa")), 503,
               "psp_outcome_unknown");
  const auto auths = h.psp.requests_of(PspOp::kAuthorize);
  ASSERT_EQ(auths.size(), static_cast<size_t>(attempts));
  std::set<std::string> keys;
  for (const auto& a : auths) keys.insert(a.idempotency_key);
  EXPECT_EQ(keys.size(), auths.size()) << "the defect derives a fresh key per attempt";

  h.recover();  // the lookup uses yet another key: NotFound, and the authorize is re-sent
  EXPECT_EQ(charge_status(h, only_charge_id(h)), "authorized");
  EXPECT_GT(h.psp.successful_authorizations("tok_visa"), 1)
      << "with the defect the customer is authorized more than once";
}

TEST(EngineApi, WithoutPlantedDefectTheSameFlowChargesOnce) {
  ModelHarness h;
  h.psp.script_token("tok_visa", std::vector<Fate>(3, Fate::kLoseReply));
  expect_error(h.post(kCharges, "key-1", charge_body(4999, "USD", "tok_visa")), 503,
               "psp_outcome_unknown");
  h.recover();
  EXPECT_EQ(h.psp.successful_authorizations("tok_visa"), 1);
}

TEST(EngineApi, PlantedTimeoutAsDeclineTurnsAnAmbiguousReplyInto402) {
  EngineConfig config;
  config.planted.plant(Defect::kTimeoutAsDecline);
  ModelHarness h(config);
  h.psp.script_token("tok_visa", {Fate::kLoseReply});
  auto r = h.post(kCharges, "key-1", charge_body(4999, "USD", "tok_visa"));
  expect_error(r, 402, "payment_declined");
  EXPECT_EQ(charge_status(h, only_charge_id(h)), "declined");
  EXPECT_EQ(h.psp.requests_of(PspOp::kAuthorize).size(), 1u) << "no retry";
  EXPECT_EQ(h.psp.successful_authorizations("tok_visa"), 1)
      << "the PSP holds an authorization the engine calls declined";
}

}  // namespace
}  // namespace reckon::test
