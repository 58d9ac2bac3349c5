// The operations that settle a charge after its authorization: void (release the hold of an
// uncaptured authorization) and refund (give back captured money, in one or several parts).
// Both run through start_idempotent, so they get the Idempotency-Key rules, their own PSP
// key, and the drive/finalize path with its crash points and recovery.
#include "engine/engine.h"
#include "engine/request_validation.h"
#include "engine/state_machine.h"

namespace reckon::engine {
namespace {

bool unresolved(const ChargeRow& charge) {
  return charge.status == "pending" || charge.status == "unknown";
}

HttpResponse charge_unresolved() {
  return error_response(409, "charge_unresolved",
                        "the charge's authorization is still being resolved");
}

}  // namespace

void PaymentEngine::void_charge(const HttpRequest& request, const std::string& merchant,
                                const std::string& charge_id, Responder respond) {
  auto factory = [this, &merchant, &charge_id](const nlohmann::json& body) -> OperationStart {
    OperationStart start;
    if ((start.refusal = refuse_unknown_fields(body, {}))) return start;
    auto charge = merchant_charge(charge_id, merchant, start.refusal);
    if (!charge) return start;
    if (unresolved(*charge) && !config_.planted.has(Defect::kUnresolvedRefusedAsSettled)) {
      start.refusal = charge_unresolved();
      return start;
    }
    // A capture or void already under way settles the authorization; a second is refused.
    // Planted (void-ignores-capture-in-flight): only the status is looked at.
    const bool settling = !config_.planted.has(Defect::kVoidIgnoresCaptureInFlight) &&
                          has_settlement(*db_, charge_id);
    // Planted (void-of-captured-charge): a captured charge is taken for a voidable one.
    const bool voidable =
        is_legal_transition(charge->status, "voided") ||
        (config_.planted.has(Defect::kVoidOfCapturedCharge) && charge->status == "captured");
    if (!voidable || settling) {
      start.refusal = error_response(409, "charge_not_voidable",
                                     "charge is " + charge->status + " and cannot be voided");
      return start;
    }
    start.operation = OperationRow{
        new_id("op"), charge_id, "void", charge->amount_minor, "pending", "", 0, "", ""};
    return start;
  };
  start_idempotent(request, merchant, "void", factory, std::move(respond));
}

void PaymentEngine::refund_charge(const HttpRequest& request, const std::string& merchant,
                                  const std::string& charge_id, Responder respond) {
  auto factory = [this, &merchant, &charge_id](const nlohmann::json& body) -> OperationStart {
    OperationStart start;
    if ((start.refusal = refuse_unknown_fields(body, {"amount"}))) return start;
    auto charge = merchant_charge(charge_id, merchant, start.refusal);
    if (!charge) return start;
    if (unresolved(*charge) && !config_.planted.has(Defect::kUnresolvedRefusedAsSettled)) {
      start.refusal = charge_unresolved();
      return start;
    }
    if (charge->status != "captured") {
      start.refusal = error_response(409, "charge_not_refundable",
                                     "charge is " + charge->status + " and cannot be refunded");
      return start;
    }
    auto amount = amount_field(body, "amount", /*required=*/false, start.refusal);
    if (start.refusal) return start;
    // INVARIANT: refunds that succeeded or may still succeed never exceed the capture. The
    // sum is read inside the transaction that inserts this refund (BEGIN IMMEDIATE), so two
    // concurrent refunds cannot both fit under the cap.
    const int64_t refundable_minor =
        charge->captured_minor -
        refunds_committed_minor(*db_, charge_id,
                                !config_.planted.has(Defect::kRefundCapIgnoresPending));
    // (Below zero only with a planted defect; the simulator's refund-within-capture catches it.)
    // Planted (refund-rest-of-nothing): the rest of nothing goes on as a refund of zero.
    if (!amount && refundable_minor <= 0 && !config_.planted.has(Defect::kRefundRestOfNothing)) {
      start.refusal = error_response(409, "charge_not_refundable",
                                     "everything captured is refunded or being refunded");
      return start;
    }
    const int64_t refund_minor = amount.value_or(refundable_minor);
    const int64_t cap_minor =
        refundable_minor + (config_.planted.has(Defect::kRefundCapOffByOne) ? 1 : 0);
    if (refund_minor > cap_minor) {
      start.refusal = error_response(400, "amount_exceeds_refundable",
                                     "field 'amount' exceeds the refundable amount (" +
                                         std::to_string(refundable_minor) + " minor units)");
      return start;
    }
    start.operation =
        OperationRow{new_id("op"), charge_id, "refund", refund_minor, "pending", "", 0, "", ""};
    return start;
  };
  start_idempotent(request, merchant, "refund", factory, std::move(respond));
}

}  // namespace reckon::engine
