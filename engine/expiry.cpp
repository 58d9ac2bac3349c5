// Authorization expiry: an uncaptured authorization holds the customer's money only for
// EngineConfig::authorization_expiry_us; then the engine refuses to capture it and voids it.
#include "engine/audit.h"
#include "engine/check.h"
#include "engine/engine.h"
#include "engine/psp_key.h"

namespace reckon::engine {

bool PaymentEngine::authorization_expired(const std::string& charge_id) {
  // GCOVR_EXCL_START: planted defect only (ci/coverage.sh)
  if (config_.planted.has(Defect::kExpiryNotEnforced)) return false;
  // GCOVR_EXCL_STOP
  const auto authorized_at = authorized_at_us(*db_, charge_id);
  return authorized_at &&
         ports_.clock->now_us() - *authorized_at >= config_.authorization_expiry_us;
}

void PaymentEngine::expire_authorizations() {
  // GCOVR_EXCL_START: planted defects only (ci/coverage.sh)
  if (config_.planted.has(Defect::kExpiryNotEnforced) ||
      config_.planted.has(Defect::kExpiredAuthorizationKept)) {
    return;
  }
  // GCOVR_EXCL_STOP
  // Bounded per pass, like the key purge: one pass never holds the write lock for long.
  constexpr int64_t kExpiryBatch = 100;
  const int64_t now_us = ports_.clock->now_us();
  for (const auto& charge :
       expired_authorizations(*db_, now_us - config_.authorization_expiry_us, kExpiryBatch)) {
    // The void is an operation like a client's, so a crash before or after the PSP call
    // leaves it pending or unknown and the next pass resolves it by its key. It has no
    // client key: the engine asked for it, and no client waits on it.
    OperationRow op{new_id("op"),    charge.id, "void", charge.amount_minor, "pending", "", 0,
                    charge.merchant, ""};
    op.psp_key = derive_psp_key(charge.merchant, "authorization-expiry", "void", op.id);
    Status s = in_transaction(*db_, [&] {
      Status w = insert_operation(*db_, op, now_us);
      if (w.ok) {
        w = append_audit(*db_, {now_us, charge.merchant, std::string(kEngineActor), "void",
                                charge.id, op.id, ""});
      }
      return w;
    });
    if (!s.ok) return;  // storage trouble: the next pass tries again
    RECKON_CHECK(in_flight_.count(op.id) == 0, "a new operation is not in flight");
    in_flight_[op.id] = nullptr;
    drive_operation(op.id, 1);
  }
}

}  // namespace reckon::engine
