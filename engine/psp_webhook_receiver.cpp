// Receiving PSP webhooks (engine/psp_webhook.h): a signed notice that the PSP finished an
// operation, applied like a lookup's answer when, and only when, nothing else is settling
// that operation.
//
// INVARIANT: a webhook changes state only for an operation that is pending or unknown and
// not in flight here. A duplicate, a late notice about an operation already booked, or one
// racing the engine's own call therefore changes nothing. Duplicates and late notices are
// acknowledged (2xx, so the PSP stops resending) with a disposition saying why they were
// ignored; a notice racing the engine's own call gets 409, so the PSP resends it later.
#include <nlohmann/json.hpp>

#include "engine/check.h"
#include "engine/engine.h"
#include "engine/ledger.h"
#include "engine/operation_effects.h"
#include "engine/psp_webhook.h"

namespace reckon::engine {
namespace {

HttpResponse acknowledged(std::string_view disposition) {
  return HttpResponse{200, nlohmann::json{{"received", true}, {"disposition", disposition}}.dump()};
}

}  // namespace

void PaymentEngine::receive_psp_webhook(const HttpRequest& request, Responder respond) {
  if (config_.planted.has(Defect::kNoticeAnswerWithoutDisposition)) {
    // GCOVR_EXCL_START: planted defect only (ci/coverage.sh)
    respond = [respond](const HttpResponse& r) {  // planted: the disposition dropped
      respond(r.status == 200 ? HttpResponse{200, R"({"received":true})"} : r);  // planted
    };
    // GCOVR_EXCL_STOP
  }
  if (config_.psp_webhook_secret.empty()) {
    return respond(
        error_response(404, "route_not_found", "PSP webhooks are not enabled (no shared secret)"));
  }
  const std::string* signature = request.header(kPspSignatureHeader);
  // Planted (webhook-unsigned-accepted): the signature is checked only when one is sent.
  const bool unsigned_passes =
      config_.planted.has(Defect::kWebhookUnsignedAccepted) && signature == nullptr;
  if (!unsigned_passes &&
      !psp_webhook_signature_valid(config_.psp_webhook_secret, request.body, signature)) {
    return respond(error_response(401, "invalid_signature",
                                  "header 'PSP-Signature' is missing or does not sign the body"));
  }
  std::string error;
  const auto event = decode_psp_webhook(request.body, error);
  if (!event) return respond(error_response(400, "invalid_webhook", error));
  // Planted (webhook-refuses-declines): an outcome allow-list that forgot "declined".
  if (config_.planted.has(Defect::kWebhookRefusesDeclines) &&
      event->reply.outcome == PspOutcome::kDeclined) {
    // GCOVR_EXCL_START: planted defect only (ci/coverage.sh)
    return respond(error_response(400, "invalid_webhook", "field 'outcome' is not allowed"));
    // GCOVR_EXCL_STOP
  }
  const auto op = load_operation_by_psp_key(*db_, event->idempotency_key);
  if (!op) return respond(acknowledged("unknown_operation"));
  // Planted (webhook-amount-unchecked): the amount is not compared.
  const bool amount_checked = !config_.planted.has(Defect::kWebhookAmountUnchecked);
  if (event->reply.looked_up_op != psp_op_for(op->kind) ||
      (amount_checked && op->kind != "void" && event->reply.amount_minor != op->amount_minor)) {
    // Signed, so from the PSP, yet not about this operation: never booked; recovery's
    // lookup by key settles the operation from the PSP's own record.
    return respond(acknowledged("mismatch"));
  }
  if (is_final(op->status)) {
    if (config_.planted.has(Defect::kWebhookNotDeduplicated) &&
        event->reply.outcome == PspOutcome::kSucceeded && op->status == "succeeded") {
      // GCOVR_EXCL_START: planted defect only (ci/coverage.sh)
      book_success_again(*op);  // planted: the duplicate is booked like the first notice
      return respond(acknowledged("applied"));
      // GCOVR_EXCL_STOP
    }
    return respond(acknowledged("already_final"));
  }
  // The attempt or lookup in flight may yet end unanswered; refusing (not acknowledging)
  // makes the PSP resend, and a resend after that attempt ends settles the operation.
  if (in_flight_.count(op->id) != 0) {
    return respond(error_response(409, "operation_in_flight",
                                  "the engine is settling this operation now; resend later"));
  }
  // The webhook drives the operation now, as a lookup would: no other path may book it
  // until finalize releases it. finalize answers this responder with the operation's own
  // response; a 503 there means the outcome could not be stored, so the PSP must resend.
  // Planted (webhook-ack-unstored): a notice whose outcome could not be stored is acknowledged.
  const bool ack_unstored = config_.planted.has(Defect::kWebhookAckUnstored);
  in_flight_[op->id] = [respond, ack_unstored](const HttpResponse& outcome) {
    if (outcome.status == 503 && !ack_unstored) return respond(outcome);
    respond(acknowledged("applied"));
  };
  finalize(op->id, op->attempts, event->reply.outcome, event->reply);
}

// GCOVR_EXCL_START: planted defect only (ci/coverage.sh)
void PaymentEngine::book_success_again(const OperationRow& op) {
  auto charge = load_charge(*db_, op.charge_id);
  RECKON_CHECK(charge.has_value(), "an operation's charge exists");
  const int64_t now_us = ports_.clock->now_us();
  const auto entries = success_entries(*charge, op);
  (void)in_transaction(*db_, [&] {
    return post_ledger_transaction(*db_, charge->id, op.kind, charge->currency, entries, now_us);
  });
}
// GCOVR_EXCL_STOP

}  // namespace reckon::engine
