// The provider dialect between its two independent codecs: what the engine writes
// (engine/psp_wire.h) the provider reads (sim/psp_dialect.h) and the other way round, and
// anything malformed or contradictory is refused (requests) or Ambiguous (replies), never
// a definitive outcome the engine might book.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "engine/psp_wire.h"
#include "sim/event_queue.h"
#include "sim/fault_injector.h"
#include "sim/properties.h"
#include "sim/psp_dialect.h"
#include "sim/psp_endpoint.h"
#include "sim/psp_node.h"
#include "sim/psp_not_yet.h"
#include "sim/trace.h"

namespace reckon::engine {
namespace {

PspRequest authorize_request() {
  PspRequest r;
  r.op = PspOp::kAuthorize;
  r.idempotency_key = "rk_00ff";
  r.amount_minor = 1250;
  r.currency = "KWD";
  r.card_token = "tok_abc";
  r.capture = true;
  return r;
}

TEST(PspWire, EveryOperationRoundTrips) {
  for (PspOp op :
       {PspOp::kAuthorize, PspOp::kCapture, PspOp::kVoid, PspOp::kRefund, PspOp::kLookup}) {
    PspRequest r = authorize_request();
    r.op = op;
    if (op != PspOp::kAuthorize) {
      r.psp_charge_id = "psp_7";
      r.card_token.clear();
      r.currency.clear();
      r.capture = false;
    }
    if (op == PspOp::kVoid || op == PspOp::kLookup) r.amount_minor = 0;
    if (op == PspOp::kLookup) r.psp_charge_id.clear();
    std::string error;
    const auto decoded = sim::read_psp_request(encode_psp_request(r), error);
    ASSERT_TRUE(decoded) << to_string(op) << ": " << error;
    EXPECT_EQ(decoded->op, r.op);
    EXPECT_EQ(decoded->idempotency_key, r.idempotency_key);
    EXPECT_EQ(decoded->amount_minor, r.amount_minor);
    EXPECT_EQ(decoded->currency, r.currency);
    EXPECT_EQ(decoded->card_token, r.card_token);
    EXPECT_EQ(decoded->capture, r.capture);
    EXPECT_EQ(decoded->psp_charge_id, r.psp_charge_id);
  }
}

RC_GTEST_PROP(PspWire, RepliesRoundTrip, ()) {
  PspReply reply;
  reply.outcome = *rc::gen::element(PspOutcome::kSucceeded, PspOutcome::kDeclined,
                                    PspOutcome::kFailed, PspOutcome::kNotFound);
  reply.state = *rc::gen::element(PspChargeState::kNone, PspChargeState::kAuthorized,
                                  PspChargeState::kCaptured, PspChargeState::kDeclined,
                                  PspChargeState::kVoided, PspChargeState::kRefunded);
  reply.looked_up_op = *rc::gen::element(PspOp::kAuthorize, PspOp::kCapture, PspOp::kRefund);
  reply.amount_minor = *rc::gen::inRange<int64_t>(0, int64_t{1} << 50);
  reply.psp_charge_id = "psp_" + std::to_string(*rc::gen::inRange(0, 100000));
  reply.detail = *rc::gen::container<std::string>(rc::gen::inRange<char>(' ', '~'));
  const HttpResponse http = sim::write_psp_reply(reply);
  const PspReply back = decode_psp_reply(http.status, http.body);
  RC_ASSERT(back.outcome == reply.outcome);
  RC_ASSERT(back.state == reply.state);
  RC_ASSERT(back.looked_up_op == reply.looked_up_op);
  RC_ASSERT(back.amount_minor == reply.amount_minor);
  RC_ASSERT(back.psp_charge_id == reply.psp_charge_id);
  RC_ASSERT(back.detail == reply.detail);
}

TEST(PspWire, InvalidUtf8InADetailIsReplacedNotThrown) {
  PspReply reply;
  reply.outcome = PspOutcome::kFailed;
  reply.detail = "bad \x98 byte";
  const HttpResponse http = sim::write_psp_reply(reply);
  const PspReply back = decode_psp_reply(http.status, http.body);
  EXPECT_EQ(back.outcome, PspOutcome::kFailed);
  EXPECT_EQ(back.detail.find('\x98'), std::string::npos);
}

TEST(PspWire, UnreadableRepliesAreAmbiguousNeverDeclined) {
  PspReply declined;
  declined.outcome = PspOutcome::kDeclined;
  const std::string body = sim::write_psp_reply(declined).body;
  EXPECT_EQ(decode_psp_reply(500, body).outcome, PspOutcome::kAmbiguous);
  EXPECT_EQ(decode_psp_reply(502, "<html>bad gateway</html>").outcome, PspOutcome::kAmbiguous);
  EXPECT_EQ(decode_psp_reply(402, "").outcome, PspOutcome::kAmbiguous);
  EXPECT_EQ(decode_psp_reply(402, "[1,2]").outcome, PspOutcome::kAmbiguous);
  // A status that contradicts the body's outcome: believe neither.
  EXPECT_EQ(decode_psp_reply(200, body).outcome, PspOutcome::kAmbiguous);
  // An outcome the dialect does not define.
  std::string odd = body;
  odd.replace(odd.find("declined"), 8, "maybe");
  EXPECT_EQ(decode_psp_reply(402, odd).outcome, PspOutcome::kAmbiguous);
  EXPECT_EQ(decode_psp_reply(402, body).outcome, PspOutcome::kDeclined);
}

// 409 in progress, 429 rate limited, 202 processing: not done yet, or not known to be done.
// The engine must read each as it reads a 5xx (docs/psp-dialect.md), never as an outcome.
TEST(PspWire, NotYetAnswersAreAmbiguous) {
  using sim::PspNotYet;
  const std::pair<PspNotYet, int> answers[] = {
      {PspNotYet::kInProgress, 409}, {PspNotYet::kRateLimited, 429}, {PspNotYet::kProcessing, 202}};
  for (const auto& [answer, status] : answers) {
    const HttpResponse http = sim::encode_psp_not_yet(answer);
    EXPECT_EQ(http.status, status);
    EXPECT_EQ(decode_psp_reply(http.status, http.body).outcome, PspOutcome::kAmbiguous)
        << http.body;
  }
}

TEST(PspWire, MalformedRequestsAreRefusedWithAReason) {
  HttpRequest good = encode_psp_request(authorize_request());
  std::string error;
  ASSERT_TRUE(sim::read_psp_request(good, error));

  HttpRequest no_key = good;
  no_key.headers.erase(kPspIdempotencyHeader);
  EXPECT_FALSE(sim::read_psp_request(no_key, error));
  EXPECT_NE(error.find("PSP-Idempotency-Key"), std::string::npos);

  HttpRequest bad_key = good;
  bad_key.headers[kPspIdempotencyHeader] = "key with spaces\r\nX: y";
  EXPECT_FALSE(sim::read_psp_request(bad_key, error));

  HttpRequest zero = good;
  zero.body = R"({"amount":0,"currency":"USD","card_token":"tok_a"})";
  EXPECT_FALSE(sim::read_psp_request(zero, error));
  EXPECT_NE(error.find("amount"), std::string::npos);

  HttpRequest float_amount = good;
  float_amount.body = R"({"amount":10.5,"currency":"USD","card_token":"tok_a"})";
  EXPECT_FALSE(sim::read_psp_request(float_amount, error));

  HttpRequest not_json = good;
  not_json.body = "amount=10";
  EXPECT_FALSE(sim::read_psp_request(not_json, error));
  EXPECT_NE(error.find("JSON"), std::string::npos);

  // docs/psp-dialect.md: a request with a body says it is JSON; media types are
  // case-insensitive and may carry parameters.
  HttpRequest no_type = good;
  no_type.headers.erase("content-type");
  EXPECT_FALSE(sim::read_psp_request(no_type, error));
  EXPECT_NE(error.find("Content-Type"), std::string::npos);

  HttpRequest form = good;
  form.headers["content-type"] = "application/x-www-form-urlencoded";
  EXPECT_FALSE(sim::read_psp_request(form, error));
  EXPECT_NE(error.find("Content-Type"), std::string::npos);

  HttpRequest json_like = good;
  json_like.headers["content-type"] = "application/jsonp";
  EXPECT_FALSE(sim::read_psp_request(json_like, error));

  HttpRequest with_charset = good;
  with_charset.headers["content-type"] = "Application/JSON ; charset=utf-8";
  EXPECT_TRUE(sim::read_psp_request(with_charset, error)) << error;

  HttpRequest wrong_route = good;
  wrong_route.target = "/v1/authorizations/psp_1/explode";
  EXPECT_FALSE(sim::read_psp_request(wrong_route, error));
  EXPECT_NE(error.find("no route"), std::string::npos);
}

// An engine whose codec writes a request the provider cannot read is caught, not excused:
// the simulated provider answers 400 and psp-request-admissible fails naming what broke.
TEST(PspWire, AnUnreadableRequestFailsPspRequestAdmissible) {
  sim::EventQueue queue;
  sim::Trace trace(/*keep_lines=*/false);
  sim::FaultInjector faults(1, faults::FaultPlan{}, queue, trace);
  sim::PspNode psp(1, sim::PspConfig{});
  sim::PspEndpoint endpoint(queue, trace, faults, psp, [] {});
  HttpRequest sent = encode_psp_request(authorize_request());
  sent.headers.erase("content-type");  // what a slip in the engine's codec would send
  std::optional<HttpResponse> answer;
  endpoint.receive_http(sent, "msg1",
                        [&](const PspReply&, const HttpResponse& http) { answer = http; });
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 400);
  ASSERT_EQ(psp.inadmissible().size(), 1u);
  EXPECT_NE(psp.inadmissible()[0].detail.find("Content-Type"), std::string::npos);

  std::vector<sim::Failure> failures;
  sim::PropertyChecker checker(failures);
  checker.check_psp(psp, queue.now_us());
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0].property, sim::kPspRequestAdmissible);
  EXPECT_NE(failures[0].detail.find("Content-Type"), std::string::npos);
  EXPECT_NE(failures[0].detail.find("rk_00ff"), std::string::npos);
}

}  // namespace
}  // namespace reckon::engine
