#include "engine/operation_effects.h"

#include "engine/check.h"

namespace reckon::engine {

bool is_final(const std::string& status) {
  return status == "succeeded" || status == "declined" || status == "failed";
}

std::vector<LedgerEntry> success_entries(const ChargeRow& charge, const OperationRow& op) {
  if (op.kind == "authorize" && charge.capture_requested) {
    return {{"psp_receivable", op.amount_minor}, {"merchant_payable", -op.amount_minor}};
  }
  if (op.kind == "authorize") {
    return {{"customer_hold", op.amount_minor}, {"merchant_pending", -op.amount_minor}};
  }
  if (op.kind == "void") {  // the whole hold is released; nothing was taken
    return {{"merchant_pending", charge.amount_minor}, {"customer_hold", -charge.amount_minor}};
  }
  if (op.kind == "refund") {  // the reverse of the capture's receivable and payable
    return {{"merchant_payable", op.amount_minor}, {"psp_receivable", -op.amount_minor}};
  }
  RECKON_CHECK(op.kind == "capture", "operation kinds are authorize, capture, void, refund");
  return {{"merchant_pending", charge.amount_minor},
          {"customer_hold", -charge.amount_minor},
          {"psp_receivable", op.amount_minor},
          {"merchant_payable", -op.amount_minor}};
}

void apply_success(ChargeRow& charge, const OperationRow& op, const PspReply& reply) {
  if (op.kind == "authorize") {
    charge.psp_charge_id = reply.psp_charge_id;
    charge.status = charge.capture_requested ? "captured" : "authorized";
    if (charge.capture_requested) charge.captured_minor = op.amount_minor;
  } else if (op.kind == "capture") {
    charge.status = "captured";
    charge.captured_minor = op.amount_minor;
  } else if (op.kind == "void") {
    charge.status = "voided";
  } else {
    // Rule: a partial refund leaves the charge `captured` (amount_refunded > 0); the refund
    // that brings amount_refunded to amount_captured makes it `refunded`.
    charge.refunded_minor += op.amount_minor;
    if (charge.refunded_minor == charge.captured_minor) charge.status = "refunded";
  }
}

PspOp psp_op_for(const std::string& kind) {
  if (kind == "authorize") return PspOp::kAuthorize;
  if (kind == "capture") return PspOp::kCapture;
  if (kind == "void") return PspOp::kVoid;
  RECKON_CHECK(kind == "refund", "operation kinds are authorize, capture, void, refund");
  return PspOp::kRefund;
}

}  // namespace reckon::engine
