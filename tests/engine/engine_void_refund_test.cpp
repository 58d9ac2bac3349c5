// Void and refund through PaymentEngine::handle: status codes, error codes, the PSP
// requests each sends (with its own key), the ledger entries each books, the refund cap,
// and recovery of ambiguous voids and refunds.

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "engine/planted.h"
#include "tests/support/engine_fixture.h"

namespace reckon::test {
namespace {

using engine::Defect;
using engine::EngineConfig;

struct ModelHarness : EngineHarness {
  explicit ModelHarness(EngineConfig config = {}) : EngineHarness(std::move(config)) {
    psp.use_model();
  }
};

std::string target(const std::string& charge_id, const std::string& action) {
  return "/v1/charges/" + charge_id + "/" + action;
}

std::string create(EngineHarness& h, const std::string& key, int64_t amount, bool capture,
                   const std::string& token = "tok_visa") {
  auto r = h.post("/v1/charges", key, charge_body(amount, "USD", token, capture));
  EXPECT_TRUE(r.has_value());
  if (!r) return "";
  EXPECT_EQ(r->status, 201) << r->body;
  return parse_body(*r).value("id", "");
}

std::string status_of(EngineHarness& h, const std::string& id) {
  auto rows = query_rows(h.db(), "SELECT status FROM charges WHERE id = '" + id + "'");
  return rows.size() == 1 ? rows[0][0] : "<missing>";
}

void expect_error(const std::optional<HttpResponse>& r, int status, const std::string& code) {
  ASSERT_TRUE(r.has_value()) << "no response (engine still waiting)";
  EXPECT_EQ(r->status, status) << r->body;
  EXPECT_EQ(error_code(*r), code) << r->body;
}

// account -> balance over the whole ledger
std::map<std::string, int64_t> balances(EngineHarness& h) {
  std::map<std::string, int64_t> out;
  for (const auto& row : query_rows(
           h.db(), "SELECT account, SUM(amount_minor) FROM ledger_entries GROUP BY account")) {
    out[row[0]] = std::stoll(row[1]);
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Void

TEST(EngineVoid, VoidOfAnAuthorizationReleasesTheHold) {
  ModelHarness h;
  const std::string id = create(h, "key-1", 4999, false);
  auto r = h.post(target(id, "void"), "void-1", "");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 200) << r->body;
  const auto j = parse_body(*r);
  EXPECT_EQ(j["status"], "voided");
  EXPECT_EQ(j["amount_captured"], 0);
  EXPECT_EQ(status_of(h, id), "voided");

  const auto voids = h.psp.requests_of(PspOp::kVoid);
  ASSERT_EQ(voids.size(), 1u);
  EXPECT_EQ(voids[0].psp_charge_id, query_rows(h.db(), "SELECT psp_charge_id FROM charges")[0][0]);
  EXPECT_NE(voids[0].idempotency_key, h.psp.request(0).idempotency_key)
      << "the void is its own operation with its own PSP key";
  EXPECT_EQ(h.psp.state_of(voids[0].psp_charge_id), PspChargeState::kVoided);

  EXPECT_TRUE(ledger_imbalances(h.db()).empty());
  const auto b = balances(h);
  EXPECT_EQ(b.at("customer_hold"), 0) << "the hold is released";
  EXPECT_EQ(b.at("merchant_pending"), 0);
  EXPECT_EQ(b.count("psp_receivable"), 0u);
  EXPECT_EQ(query_int(h.db(), "SELECT COUNT(*) FROM ledger_transactions WHERE kind = 'void'"), 1);

  auto replay = h.post(target(id, "void"), "void-1", "{}");
  ASSERT_TRUE(replay.has_value());
  EXPECT_EQ(replay->status, 200);
  EXPECT_EQ(replay->body, r->body);
  EXPECT_EQ(h.psp.requests_of(PspOp::kVoid).size(), 1u) << "a replay never reaches the PSP";
}

TEST(EngineVoid, VoidNeedsAnIdempotencyKey) {
  ModelHarness h;
  const std::string id = create(h, "key-1", 4999, false);
  expect_error(h.post(target(id, "void"), "", "{}"), 400, "idempotency_key_missing");
  expect_error(h.post(target(id, "void"), "void-1", R"({"amount":10})"), 400, "field_unknown");
  EXPECT_EQ(status_of(h, id), "authorized");
}

TEST(EngineVoid, VoidOfCapturedDeclinedOrVoidedChargeIs409) {
  ModelHarness h;
  const std::string captured = create(h, "key-1", 4999, true);
  expect_error(h.post(target(captured, "void"), "void-1", "{}"), 409, "charge_not_voidable");

  h.psp.decline_token("tok_declined");
  auto d = h.post("/v1/charges", "key-2", charge_body(100, "USD", "tok_declined"));
  expect_error(d, 402, "payment_declined");
  const std::string declined = parse_body(*d)["charge"]["id"];
  expect_error(h.post(target(declined, "void"), "void-2", "{}"), 409, "charge_not_voidable");

  const std::string voided = create(h, "key-3", 300, false, "tok_other");
  auto v = h.post(target(voided, "void"), "void-3", "{}");
  ASSERT_TRUE(v.has_value());
  ASSERT_EQ(v->status, 200);
  expect_error(h.post(target(voided, "void"), "void-4", "{}"), 409, "charge_not_voidable");
  expect_error(h.post(target(voided, "capture"), "cap-1", "{}"), 409, "charge_not_capturable");
  expect_error(h.post(target(voided, "refund"), "ref-1", "{}"), 409, "charge_not_refundable");
  EXPECT_EQ(h.psp.requests_of(PspOp::kVoid).size(), 1u);
  // The refusals stored nothing under their keys.
  EXPECT_EQ(query_int(h.db(), "SELECT COUNT(*) FROM idempotency_keys WHERE key = 'void-4'"), 0);
}

TEST(EngineVoid, VoidOfAMissingChargeIs404AndOfADeclinedPendingOneIs409AfterItEnds) {
  EngineHarness h;  // manual PSP
  expect_error(h.post(target("ch_nope", "void"), "void-1", "{}"), 404, "charge_not_found");
  auto pending = h.post_async("/v1/charges", "key-1", charge_body(4999, "USD", "tok_visa"));
  ASSERT_FALSE(pending->has_value());
  const std::string id = query_rows(h.db(), "SELECT id FROM charges")[0][0];
  auto v = h.post_async(target(id, "void"), "void-1", "{}");
  EXPECT_FALSE(v->has_value()) << "the void waits for the authorization to end";
  PspReply declined;
  declined.outcome = PspOutcome::kDeclined;
  ASSERT_TRUE(h.psp.reply(0, declined));
  ASSERT_TRUE(v->has_value());
  expect_error(**v, 409, "charge_not_voidable");
  EXPECT_EQ(h.psp.call_count(), 1u) << "nothing to void at the PSP";
}

TEST(EngineVoid, CaptureWhileAVoidIsInFlightIs409AndViceVersa) {
  EngineHarness h;  // manual PSP
  auto created = h.post_async("/v1/charges", "key-1", charge_body(4999, "USD", "tok_visa"));
  ASSERT_TRUE(h.psp.reply(0, psp_succeeded("psp_1")));
  const std::string id = parse_body(**created)["id"];
  auto v = h.post_async(target(id, "void"), "void-1", "{}");
  ASSERT_FALSE(v->has_value());
  expect_error(h.post(target(id, "capture"), "cap-1", "{}"), 409, "charge_not_capturable");
  expect_error(h.post(target(id, "void"), "void-2", "{}"), 409, "charge_not_voidable");
  ASSERT_TRUE(h.psp.reply(1, psp_succeeded("psp_1", PspChargeState::kVoided)));
  ASSERT_TRUE(v->has_value());
  EXPECT_EQ((*v)->status, 200);
  EXPECT_EQ(status_of(h, id), "voided");
}

TEST(EngineVoid, VoidFailedAtThePspIs402AndLeavesTheChargeAuthorized) {
  EngineHarness h;  // manual PSP
  auto created = h.post_async("/v1/charges", "key-1", charge_body(4999, "USD", "tok_visa"));
  ASSERT_TRUE(h.psp.reply(0, psp_succeeded("psp_1")));
  const std::string id = parse_body(**created)["id"];
  auto v = h.post_async(target(id, "void"), "void-1", "{}");
  PspReply failed;
  failed.outcome = PspOutcome::kFailed;
  ASSERT_TRUE(h.psp.reply(1, failed));
  expect_error(*v, 402, "void_failed");
  EXPECT_EQ(status_of(h, id), "authorized");
  EXPECT_EQ(h.count("ledger_transactions"), 1);
}

TEST(EngineVoid, AmbiguousVoidIsResolvedByRecoveryUnderTheSameKey) {
  ModelHarness h;
  const std::string id = create(h, "key-1", 4999, false);
  h.psp.script_op(PspOp::kVoid, std::vector<Fate>(3, Fate::kLoseReply));
  expect_error(h.post(target(id, "void"), "void-1", "{}"), 503, "psp_outcome_unknown");
  EXPECT_EQ(status_of(h, id), "authorized") << "an unknown void leaves the charge as is";
  expect_error(h.post(target(id, "void"), "void-1", "{}"), 409, "request_in_progress");
  expect_error(h.post(target(id, "capture"), "cap-1", "{}"), 409, "charge_not_capturable");
  const auto voids = h.psp.requests_of(PspOp::kVoid);
  ASSERT_EQ(voids.size(), 3u);
  EXPECT_EQ(voids[0].idempotency_key, voids[2].idempotency_key);

  h.recover();
  EXPECT_EQ(status_of(h, id), "voided");
  auto retry = h.post(target(id, "void"), "void-1", "{}");
  ASSERT_TRUE(retry.has_value());
  EXPECT_EQ(retry->status, 200) << retry->body;
  EXPECT_TRUE(ledger_imbalances(h.db()).empty());
}

// ---------------------------------------------------------------------------------------
// Refund

TEST(EngineRefund, FullRefundByDefaultMakesTheChargeRefunded) {
  ModelHarness h;
  const std::string id = create(h, "key-1", 4999, true);
  auto r = h.post(target(id, "refund"), "ref-1", "");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 200) << r->body;
  const auto j = parse_body(*r);
  EXPECT_EQ(j["status"], "refunded");
  EXPECT_EQ(j["amount_captured"], 4999);
  EXPECT_EQ(j["amount_refunded"], 4999);

  const auto refunds = h.psp.requests_of(PspOp::kRefund);
  ASSERT_EQ(refunds.size(), 1u);
  EXPECT_EQ(refunds[0].amount_minor, 4999);
  EXPECT_NE(refunds[0].idempotency_key, h.psp.request(0).idempotency_key);
  EXPECT_EQ(h.psp.state_of(refunds[0].psp_charge_id), PspChargeState::kRefunded);

  EXPECT_TRUE(ledger_imbalances(h.db()).empty());
  const auto b = balances(h);
  EXPECT_EQ(b.at("psp_receivable"), 0);
  EXPECT_EQ(b.at("merchant_payable"), 0);
  expect_error(h.post(target(id, "refund"), "ref-2", "{}"), 409, "charge_not_refundable");
}

TEST(EngineRefund, SeveralPartialRefundsUpToTheCapture) {
  ModelHarness h;
  const std::string id = create(h, "key-1", 5000, false);
  auto cap = h.post(target(id, "capture"), "cap-1", R"({"amount":3000})");
  ASSERT_TRUE(cap.has_value());
  ASSERT_EQ(cap->status, 200);

  auto r1 = h.post(target(id, "refund"), "ref-1", R"({"amount":1000})");
  ASSERT_TRUE(r1.has_value());
  EXPECT_EQ(r1->status, 200) << r1->body;
  EXPECT_EQ(parse_body(*r1)["status"], "captured") << "a partial refund stays captured";
  EXPECT_EQ(parse_body(*r1)["amount_refunded"], 1000);

  // More than what is left (2000) is refused, and stores nothing.
  expect_error(h.post(target(id, "refund"), "ref-2", R"({"amount":2001})"), 400,
               "amount_exceeds_refundable");
  EXPECT_EQ(query_int(h.db(), "SELECT COUNT(*) FROM idempotency_keys WHERE key = 'ref-2'"), 0);

  auto r2 = h.post(target(id, "refund"), "ref-2", R"({"amount":1500})");
  ASSERT_TRUE(r2.has_value());
  EXPECT_EQ(parse_body(*r2)["amount_refunded"], 2500);
  auto r3 = h.post(target(id, "refund"), "ref-3", "{}");  // the rest: 500
  ASSERT_TRUE(r3.has_value());
  EXPECT_EQ(r3->status, 200) << r3->body;
  EXPECT_EQ(parse_body(*r3)["status"], "refunded");
  EXPECT_EQ(parse_body(*r3)["amount_refunded"], 3000);

  const auto refunds = h.psp.requests_of(PspOp::kRefund);
  ASSERT_EQ(refunds.size(), 3u);
  std::set<std::string> keys;
  for (const auto& r : refunds) keys.insert(r.idempotency_key);
  EXPECT_EQ(keys.size(), 3u) << "each refund has its own PSP key";
  EXPECT_EQ(refunds[2].amount_minor, 500);
  EXPECT_TRUE(ledger_imbalances(h.db()).empty());
  EXPECT_EQ(balances(h).at("psp_receivable"), 0);
  expect_error(h.post(target(id, "refund"), "ref-4", R"({"amount":1})"), 409,
               "charge_not_refundable");
}

TEST(EngineRefund, RefundOfUncapturedDeclinedOrMissingChargeIsRefused) {
  ModelHarness h;
  const std::string authorized = create(h, "key-1", 4999, false);
  expect_error(h.post(target(authorized, "refund"), "ref-1", "{}"), 409, "charge_not_refundable");
  expect_error(h.post(target("ch_nope", "refund"), "ref-2", "{}"), 404, "charge_not_found");
  expect_error(h.post(target(authorized, "refund"), "ref-3", R"({"amount":0})"), 409,
               "charge_not_refundable");
  const std::string captured = create(h, "key-2", 100, true, "tok_two");
  expect_error(h.post(target(captured, "refund"), "ref-4", R"({"amount":-1})"), 400,
               "amount_invalid");
  expect_error(h.post(target(captured, "refund"), "ref-5", R"({"amount":1,"reason":"x"})"), 400,
               "field_unknown");
  expect_error(h.post(target(captured, "refund"), "", "{}"), 400, "idempotency_key_missing");
  EXPECT_EQ(h.psp.requests_of(PspOp::kRefund).size(), 0u);
}

TEST(EngineRefund, PendingRefundsCountAgainstTheCap) {
  EngineHarness h;  // manual PSP: the first refund stays in flight
  auto created =
      h.post_async("/v1/charges", "key-1", charge_body(1000, "USD", "tok_visa", /*capture=*/true));
  ASSERT_TRUE(h.psp.reply(0, psp_succeeded("psp_1", PspChargeState::kCaptured, 1000)));
  const std::string id = parse_body(**created)["id"];
  auto first = h.post_async(target(id, "refund"), "ref-1", R"({"amount":600})");
  ASSERT_FALSE(first->has_value());
  expect_error(h.post(target(id, "refund"), "ref-2", R"({"amount":401})"), 400,
               "amount_exceeds_refundable");
  auto second = h.post_async(target(id, "refund"), "ref-3", R"({"amount":400})");
  ASSERT_FALSE(second->has_value());
  expect_error(h.post(target(id, "refund"), "ref-4", "{}"), 409, "charge_not_refundable");
  ASSERT_TRUE(h.psp.reply(2, psp_succeeded("psp_1", PspChargeState::kCaptured, 400)));
  ASSERT_TRUE(h.psp.reply(1, psp_succeeded("psp_1", PspChargeState::kRefunded, 600)));
  EXPECT_EQ(parse_body(**first)["status"], "refunded");
  EXPECT_EQ(parse_body(**second)["status"], "captured");
  EXPECT_EQ(status_of(h, id), "refunded");
  EXPECT_EQ(query_int(h.db(), "SELECT refunded_minor FROM charges"), 1000);
  EXPECT_TRUE(ledger_imbalances(h.db()).empty());
}

TEST(EngineRefund, FailedRefundFreesItsShareOfTheCap) {
  EngineHarness h;  // manual PSP
  auto created =
      h.post_async("/v1/charges", "key-1", charge_body(1000, "USD", "tok_visa", /*capture=*/true));
  ASSERT_TRUE(h.psp.reply(0, psp_succeeded("psp_1", PspChargeState::kCaptured, 1000)));
  const std::string id = parse_body(**created)["id"];
  auto first = h.post_async(target(id, "refund"), "ref-1", "{}");
  PspReply failed;
  failed.outcome = PspOutcome::kFailed;
  ASSERT_TRUE(h.psp.reply(1, failed));
  expect_error(**first, 402, "refund_failed");
  EXPECT_EQ(status_of(h, id), "captured");
  auto again = h.post_async(target(id, "refund"), "ref-2", "{}");
  ASSERT_EQ(h.psp.request(2).amount_minor, 1000);
  ASSERT_TRUE(h.psp.reply(2, psp_succeeded("psp_1", PspChargeState::kRefunded, 1000)));
  EXPECT_EQ((*again)->status, 200);
}

TEST(EngineRefund, AmbiguousRefundIsResolvedByRecoveryAndNeverRefundedTwice) {
  ModelHarness h;
  const std::string id = create(h, "key-1", 4999, true);
  h.psp.script_op(PspOp::kRefund, std::vector<Fate>(3, Fate::kLoseReply));
  expect_error(h.post(target(id, "refund"), "ref-1", R"({"amount":999})"), 503,
               "psp_outcome_unknown");
  // The unknown refund still counts against the cap.
  expect_error(h.post(target(id, "refund"), "ref-2", R"({"amount":4001})"), 400,
               "amount_exceeds_refundable");
  h.recover();
  EXPECT_EQ(query_int(h.db(), "SELECT refunded_minor FROM charges"), 999);
  const auto refunds = h.psp.requests_of(PspOp::kRefund);
  EXPECT_EQ(h.psp.refunded_minor(refunds[0].psp_charge_id), 999);
  auto retry = h.post(target(id, "refund"), "ref-1", R"({"amount":999})");
  ASSERT_TRUE(retry.has_value());
  EXPECT_EQ(retry->status, 200) << retry->body;
  EXPECT_TRUE(ledger_imbalances(h.db()).empty());
}

TEST(EngineRefund, RefundAfterRestartIsRecoveredByLookup) {
  ModelHarness h;
  const std::string id = create(h, "key-1", 4999, true);
  h.psp.script_op(PspOp::kRefund, {Fate::kHold});
  auto first = h.post_async(target(id, "refund"), "ref-1", R"({"amount":100})");
  ASSERT_FALSE(first->has_value());
  h.restart();
  h.recover();
  EXPECT_EQ(query_int(h.db(), "SELECT refunded_minor FROM charges"), 100);
  EXPECT_EQ(h.engine().unresolved_operation_count(), 0u);
  EXPECT_EQ(h.psp.requests_of(PspOp::kRefund).size(), 1u) << "found by lookup, not re-sent";
}

TEST(EngineRefund, PlantedOffByOneAdmitsOneUnitMoreThanCaptured) {
  EngineConfig config;
  config.planted.plant(Defect::kRefundCapOffByOne);
  ModelHarness h(config);
  const std::string id = create(h, "key-1", 1000, true);
  auto r = h.post(target(id, "refund"), "ref-1", R"({"amount":1001})");
  expect_error(r, 402, "refund_failed");  // the PSP refuses what the engine let through
  ASSERT_EQ(h.psp.requests_of(PspOp::kRefund).size(), 1u);
  EXPECT_EQ(h.psp.requests_of(PspOp::kRefund)[0].amount_minor, 1001);
  EXPECT_EQ(query_int(h.db(), "SELECT refunded_minor FROM charges"), 0);
}

}  // namespace
}  // namespace reckon::test
