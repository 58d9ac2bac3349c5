#include "oracle/charge_rules.h"

#include <algorithm>

namespace reckon::oracle {

bool is_charge_status(std::string_view status) {
  return std::find(kChargeStatuses.begin(), kChargeStatuses.end(), status) != kChargeStatuses.end();
}

std::string charge_amounts_problem(std::string_view status, int64_t amount, int64_t captured,
                                   int64_t refunded) {
  if (amount <= 0) return "amount " + std::to_string(amount) + " is not positive";
  if (captured < 0 || captured > amount) {
    return "amount_captured " + std::to_string(captured) + " outside 0.." + std::to_string(amount);
  }
  if (refunded < 0 || refunded > captured) {
    return "amount_refunded " + std::to_string(refunded) + " outside 0.." +
           std::to_string(captured);
  }
  if (status == "captured") {
    if (captured == 0) return "captured with nothing captured";
    if (refunded == captured) return "captured, yet everything captured is refunded";
    return "";
  }
  if (status == "refunded") {
    return captured > 0 && refunded == captured ? ""
                                                : "refunded without all of the capture refunded";
  }
  if (captured != 0 || refunded != 0) {
    return std::string(status) + " with amounts captured or refunded";
  }
  return "";
}

bool is_documented_transition(std::string_view from, std::string_view to) {
  return std::any_of(kDocumentedTransitions.begin(), kDocumentedTransitions.end(),
                     [&](const Transition& t) { return t.from == from && t.to == to; });
}

bool is_live_operation_status(std::string_view status) {
  return status == "pending" || status == "unknown";
}

bool outcome_owes_event(std::string_view operation_kind, std::string_view operation_status) {
  if (operation_status == "succeeded") return true;
  const bool refused = operation_status == "declined" || operation_status == "failed";
  return refused && operation_kind == "authorize";
}

bool is_ledger_account(std::string_view account) {
  return account == kCustomerHold || account == kMerchantPending || account == kPspReceivable ||
         account == kMerchantPayable || account == "psp_fees" || account == "settlement_suspense" ||
         account == "rounding_differences";
}

bool is_ledger_transaction_kind(std::string_view kind) {
  return kind == "authorize" || kind == "capture" || kind == "void" || kind == "refund" ||
         kind == "settlement" || kind == "settlement_correction";
}

std::string_view merchant_of_test_key(std::string_view api_key) {
  if (api_key == kMerchant1ApiKey) return "merchant_1";
  if (api_key == kMerchant2ApiKey) return "merchant_2";
  return {};
}

}  // namespace reckon::oracle
