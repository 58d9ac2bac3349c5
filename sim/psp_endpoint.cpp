#include "sim/psp_endpoint.h"

#include "sim/psp_dialect.h"

namespace reckon::sim {
namespace {

engine::PspReply server_error(const char* when) {
  engine::PspReply r;
  r.outcome = engine::PspOutcome::kAmbiguous;  // a 5xx does not say whether it happened
  r.detail = std::string("server error ") + when;
  return r;
}

}  // namespace

void PspEndpoint::receive(const engine::PspRequest& request, const std::string& what, Reply reply) {
  // The fault site: operation and key, without spaces, so traces and decision lists stay
  // one token per field.
  const std::string site =
      std::string(engine::to_string(request.op)) + ":" + request.idempotency_key;
  const PspMisbehaviour misbehaviour = faults_.psp_misbehaviour(site);
  engine::PspReply r;
  if (misbehaviour == PspMisbehaviour::kErrorBeforeProcessing) {
    r = server_error("before processing");
  } else {
    r = answer(request, what);
    if (misbehaviour == PspMisbehaviour::kErrorAfterProcessing)
      r = server_error("after processing");
  }
  const TimeUs slow_us = faults_.psp_slow_us(site);
  if (slow_us == 0) return reply(r);
  queue_.schedule_after(slow_us, [reply = std::move(reply), r] { reply(r); });
}

void PspEndpoint::receive_http(const engine::HttpRequest& http, const std::string& what,
                               HttpReply reply) {
  std::string error;
  const auto request = read_psp_request(http, error);
  if (!request) {
    const std::string* key = http.header("psp-idempotency-key");
    psp_.record_unreadable(key != nullptr ? *key : "",
                           error + " (" + http.method + " " + http.target + ")");
    trace_.record(queue_.now_us(), "psp", "unreadable", what + " error=" + error);
    if (after_processed_) after_processed_();
    // The PSP did nothing, but its 400 `invalid_request` body is not a reply: docs/psp-dialect.md
    // has a body that breaks the reply's shape read as ambiguous, and that is what it means to
    // the caller (psp-reply-read-as-written, psp-attempts-as-configured).
    engine::PspReply refused;
    refused.outcome = engine::PspOutcome::kAmbiguous;
    refused.detail = error;
    return reply(refused, write_psp_invalid_request(error));
  }
  // A garbled body is drawn when the PSP answers, after it did the operation (fault
  // psp_garbled_reply); the caller cannot read it, so it may not know what happened.
  const std::string site =
      std::string(engine::to_string(request->op)) + ":" + request->idempotency_key;
  const auto garbling = faults_.psp_garbled_reply(site, kGarbleKinds);
  receive(*request, what, [reply = std::move(reply), garbling, site](const engine::PspReply& r) {
    if (!garbling) {
      return reply(r, write_psp_reply(r, site));
    }
    engine::PspReply unreadable = r;
    unreadable.outcome = engine::PspOutcome::kAmbiguous;
    reply(unreadable, garble_psp_reply(write_psp_reply(r), *garbling));
  });
}

engine::PspReply PspEndpoint::answer(const engine::PspRequest& request, const std::string& what) {
  const TimeUs now_us = queue_.now_us();
  bool first = false;  // the PSP has not seen this key before: a new operation
  if (request.op == engine::PspOp::kLookup) {
    auto seen = first_processed_us_.find(request.idempotency_key);
    const TimeUs lag_us = faults_.psp_lookup_lag_us();
    if (seen != first_processed_us_.end() && now_us - seen->second < lag_us) {
      trace_.record(now_us, "psp", "lookup_lag", what);
      engine::PspReply not_yet;
      not_yet.outcome = engine::PspOutcome::kNotFound;
      return not_yet;
    }
  } else {
    first = first_processed_us_.emplace(request.idempotency_key, now_us).second;
  }
  // Only an authorization the PSP has not seen may be refused unprocessed; a key it knows
  // keeps its first answer.
  const bool refused = first && request.op == engine::PspOp::kAuthorize &&
                       faults_.psp_refuses(std::string(engine::to_string(request.op)) + ":" +
                                           request.idempotency_key);
  const engine::PspReply r = refused ? psp_.refuse(request, now_us) : psp_.process(request, now_us);
  trace_.record(now_us, "psp", "process",
                what + " outcome=" + std::string(engine::to_string(r.outcome)));
  after_processed_();
  // Only an operation the PSP finished one way or the other is announced (docs/psp-dialect.md,
  // "Webhooks"): succeeded, declined or failed; never a lookup's not-found or an ambiguity.
  const bool finished = r.outcome == engine::PspOutcome::kSucceeded ||
                        r.outcome == engine::PspOutcome::kDeclined ||
                        r.outcome == engine::PspOutcome::kFailed;
  if (first && finished && on_new_operation_) {
    on_new_operation_(request, r);
  }
  return r;
}

}  // namespace reckon::sim
