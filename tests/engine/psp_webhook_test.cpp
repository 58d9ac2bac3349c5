// PSP -> engine webhooks (engine/psp_webhook.h): signed notices that settle an unresolved
// operation like a lookup would, and change nothing when they are duplicates, late, or
// race the engine's own call. Each refusal names its cause.

#include <gtest/gtest.h>

#include <string>

#include "engine/planted.h"
#include "engine/psp_webhook.h"
#include "oracle/psp_webhook_retry.h"
#include "tests/support/engine_fixture.h"

namespace reckon::test {
namespace {

using engine::Defect;
using engine::EngineConfig;
using engine::PspWebhookEvent;

constexpr const char* kCharges = "/v1/charges";
constexpr const char* kSecret = "whsec_test_0123456789";

EngineConfig webhook_config() {
  EngineConfig c;
  c.psp_webhook_secret = kSecret;
  return c;
}

std::string charge_status(EngineHarness& h) {
  auto rows = query_rows(h.db(), "SELECT status FROM charges");
  return rows.size() == 1 ? rows[0][0] : "<not one charge>";
}

std::string operation_key(EngineHarness& h, const std::string& kind) {
  auto rows = query_rows(h.db(), "SELECT psp_key FROM operations WHERE kind = '" + kind + "'");
  return rows.size() == 1 ? rows[0][0] : "<not one operation>";
}

PspWebhookEvent event_for(const std::string& key, PspReply reply, PspOp op, int64_t amount,
                          const std::string& id = "pspevt_1") {
  PspWebhookEvent e;
  e.id = id;
  e.idempotency_key = key;
  e.reply = std::move(reply);
  e.reply.looked_up_op = op;
  e.reply.amount_minor = amount;
  return e;
}

// The engine's disposition of an acknowledged webhook, or "<status> <error code>".
std::string deliver(EngineHarness& h, const HttpRequest& request) {
  auto slot = h.send(request);
  if (!slot->has_value()) return "<no answer>";
  const HttpResponse& r = **slot;
  if (r.status != 200) return std::to_string(r.status) + " " + error_code(r);
  return parse_body(r).value("disposition", "<none>");
}

std::string deliver(EngineHarness& h, const PspWebhookEvent& e) {
  return deliver(h, engine::encode_psp_webhook(e, kSecret));
}

// An authorization of 4999 USD whose every PSP attempt went unanswered: UNKNOWN.
void make_unknown_authorization(EngineHarness& h) {
  auto created = h.post_async(kCharges, "key-1", charge_body(4999, "USD", "tok_visa"));
  ASSERT_TRUE(h.psp.reply(0, psp_ambiguous()));
  for (int attempt = 2; attempt <= h.config().psp_attempts_max; ++attempt) {
    h.settle();
    ASSERT_EQ(h.psp.pending_calls().size(), 1u);
    ASSERT_TRUE(h.psp.reply(h.psp.pending_calls()[0], psp_ambiguous()));
  }
  ASSERT_TRUE(created->has_value());
  ASSERT_EQ((*created)->status, 503);
  ASSERT_EQ(charge_status(h), "unknown");
}

TEST(PspWebhook, SettlesAnUnknownAuthorizationAndItsDuplicateChangesNothing) {
  EngineHarness h(webhook_config());
  make_unknown_authorization(h);
  const auto e =
      event_for(operation_key(h, "authorize"), psp_succeeded("psp_9", PspChargeState::kAuthorized),
                PspOp::kAuthorize, 4999);
  const size_t calls = h.psp.call_count();
  EXPECT_EQ(deliver(h, e), "applied");
  EXPECT_EQ(h.psp.call_count(), calls) << "the notice settles it; no lookup is needed";
  EXPECT_EQ(charge_status(h), "authorized");
  EXPECT_EQ(h.engine().unresolved_operation_count(), 0u);
  EXPECT_EQ(h.count("ledger_transactions"), 1);
  EXPECT_EQ(deliver(h, e), "already_final");
  EXPECT_EQ(h.count("ledger_transactions"), 1) << "a duplicate books nothing";
  // The client's retry gets the outcome the webhook booked.
  auto retry = h.post(kCharges, "key-1", charge_body(4999, "USD", "tok_visa"));
  ASSERT_TRUE(retry.has_value());
  EXPECT_EQ(retry->status, 201) << retry->body;
}

TEST(PspWebhook, ADeclineNoticeSettlesAnUnknownAuthorizationAsDeclined) {
  EngineHarness h(webhook_config());
  make_unknown_authorization(h);
  EXPECT_EQ(deliver(h, event_for(operation_key(h, "authorize"), psp_declined("psp_9"),
                                 PspOp::kAuthorize, 4999)),
            "applied");
  EXPECT_EQ(charge_status(h), "declined");
  EXPECT_EQ(h.count("ledger_transactions"), 0);
}

TEST(PspWebhook, ALateNoticeNeverRegressesACapturedCharge) {
  EngineHarness h(webhook_config());
  h.psp.use_model();
  auto created = h.post(kCharges, "key-1", charge_body(4999, "USD", "tok_visa"));
  ASSERT_EQ(created->status, 201);
  const std::string id = parse_body(*created).value("id", "");
  ASSERT_EQ(h.post(std::string(kCharges) + "/" + id + "/capture", "cap-1", "{}")->status, 200);
  ASSERT_EQ(charge_status(h), "captured");
  // The authorization's notice, for the charge the PSP made, arrives after the capture.
  const std::string psp_charge_id = query_rows(h.db(), "SELECT psp_charge_id FROM charges")[0][0];
  EXPECT_EQ(deliver(h, event_for(operation_key(h, "authorize"),
                                 psp_succeeded(psp_charge_id, PspChargeState::kAuthorized),
                                 PspOp::kAuthorize, 4999)),
            "already_final");
  EXPECT_EQ(charge_status(h), "captured");
  EXPECT_EQ(h.count("ledger_transactions"), 2);
}

TEST(PspWebhook, RefusedForLaterWhileTheEngineIsStillWaitingForThePsp) {
  EngineHarness h(webhook_config());
  auto created = h.post_async(kCharges, "key-1", charge_body(4999, "USD", "tok_visa"));
  ASSERT_EQ(h.psp.pending_calls().size(), 1u);
  const auto e =
      event_for(operation_key(h, "authorize"), psp_succeeded("psp_9", PspChargeState::kAuthorized),
                PspOp::kAuthorize, 4999);
  EXPECT_EQ(deliver(h, e), "409 operation_in_flight");
  EXPECT_EQ(charge_status(h), "pending");
  ASSERT_TRUE(h.psp.reply(0, psp_succeeded("psp_9", PspChargeState::kAuthorized)));
  ASSERT_TRUE(created->has_value());
  EXPECT_EQ((*created)->status, 201);
  EXPECT_EQ(h.count("ledger_transactions"), 1);
}

TEST(PspWebhook, RefusesForgeriesAndMalformedNotices) {
  EngineHarness h(webhook_config());
  make_unknown_authorization(h);
  const std::string key = operation_key(h, "authorize");
  const auto good =
      event_for(key, psp_succeeded("psp_9", PspChargeState::kAuthorized), PspOp::kAuthorize, 4999);

  HttpRequest unsigned_request = engine::encode_psp_webhook(good, kSecret);
  unsigned_request.headers.erase(engine::kPspSignatureHeader);
  EXPECT_EQ(deliver(h, unsigned_request), "401 invalid_signature");
  EXPECT_EQ(deliver(h, engine::encode_psp_webhook(good, "another secret")),
            "401 invalid_signature");
  HttpRequest tampered = engine::encode_psp_webhook(good, kSecret);
  tampered.body.replace(tampered.body.find("4999"), 4, "4998");
  EXPECT_EQ(deliver(h, tampered), "401 invalid_signature");

  auto signed_body = [](const std::string& body) {
    HttpRequest r =
        engine::encode_psp_webhook(event_for("k", psp_succeeded(), PspOp::kAuthorize, 1), kSecret);
    r.body = body;
    r.headers[engine::kPspSignatureHeader] = engine::psp_webhook_signature(kSecret, body);
    return r;
  };
  EXPECT_EQ(deliver(h, signed_body("not json")), "400 invalid_webhook");
  EXPECT_EQ(deliver(h, signed_body(R"({"id":"e1","idempotency_key":"k","outcome":"maybe"})")),
            "400 invalid_webhook");
  EXPECT_EQ(deliver(h, signed_body(R"({"id":"e 1","idempotency_key":"k","outcome":"failed"})")),
            "400 invalid_webhook");
  auto lookup = good;
  lookup.reply.looked_up_op = PspOp::kLookup;
  EXPECT_EQ(deliver(h, lookup), "400 invalid_webhook");

  // Signed but not about this operation: acknowledged, never booked.
  EXPECT_EQ(deliver(h, event_for(key, good.reply, PspOp::kAuthorize, 5000)), "mismatch");
  EXPECT_EQ(deliver(h, event_for(key, good.reply, PspOp::kCapture, 4999)), "mismatch");
  EXPECT_EQ(deliver(h, event_for("no-such-key", good.reply, PspOp::kAuthorize, 4999)),
            "unknown_operation");
  EXPECT_EQ(charge_status(h), "unknown") << "nothing above may settle the charge";
  EXPECT_EQ(h.count("ledger_transactions"), 0);
}

TEST(PspWebhook, TheRouteIsClosedWithoutASecret) {
  EngineHarness h;  // no psp_webhook_secret
  const auto e = event_for("k", psp_succeeded(), PspOp::kAuthorize, 1);
  EXPECT_EQ(deliver(h, engine::encode_psp_webhook(e, kSecret)), "404 route_not_found");
}

TEST(PspWebhook, SignatureIsHmacSha256InHex) {
  // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
  EXPECT_EQ(engine::psp_webhook_signature("Jefe", "what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(PspWebhook, RetryPolicyDoublesToItsMaxThenGivesUp) {
  const oracle::PspWebhookRetryPolicy policy;  // 0.25 s doubling to 4 s, 12 deliveries
  EXPECT_EQ(policy.delay_after_us(1), 250'000);
  EXPECT_EQ(policy.delay_after_us(2), 500'000);
  EXPECT_EQ(policy.delay_after_us(5), 4'000'000);
  EXPECT_EQ(policy.delay_after_us(11), 4'000'000);
  EXPECT_EQ(policy.delay_after_us(12), std::nullopt);
}

TEST(PspWebhook, CodecRoundTrips) {
  const auto e = event_for("op-key_1.x", psp_succeeded("psp_4", PspChargeState::kCaptured),
                           PspOp::kCapture, 1250, "pspevt_42");
  std::string error;
  const auto back = engine::decode_psp_webhook(engine::encode_psp_webhook(e, kSecret).body, error);
  ASSERT_TRUE(back.has_value()) << error;
  EXPECT_EQ(back->id, "pspevt_42");
  EXPECT_EQ(back->idempotency_key, "op-key_1.x");
  EXPECT_EQ(back->reply.outcome, PspOutcome::kSucceeded);
  EXPECT_EQ(back->reply.state, PspChargeState::kCaptured);
  EXPECT_EQ(back->reply.looked_up_op, PspOp::kCapture);
  EXPECT_EQ(back->reply.psp_charge_id, "psp_4");
  EXPECT_EQ(back->reply.amount_minor, 1250);
}

// The planted defect books a duplicate notice again: the ledger then holds the capture
// twice, which the simulator's engine-psp-agreement catches (negative scenario
// webhook-not-deduplicated).
TEST(PspWebhook, PlantedNotDeduplicatedBooksTheDuplicate) {
  EngineConfig config = webhook_config();
  config.planted.plant(Defect::kWebhookNotDeduplicated);
  EngineHarness h(config);
  make_unknown_authorization(h);
  const auto e =
      event_for(operation_key(h, "authorize"), psp_succeeded("psp_9", PspChargeState::kAuthorized),
                PspOp::kAuthorize, 4999);
  EXPECT_EQ(deliver(h, e), "applied");
  EXPECT_EQ(deliver(h, e), "applied");
  EXPECT_EQ(h.count("ledger_transactions"), 2);
}

}  // namespace
}  // namespace reckon::test
