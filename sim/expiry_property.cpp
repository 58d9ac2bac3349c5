// authorization-expiry-enforced, the end-of-run side (the client's side, "a capture sent
// after the expiry is refused 409", is judged where the answer arrives: sim/client_node.cpp).
//
// docs/state-machine.md, "Authorization expiry": an uncaptured authorization holds the
// customer's money for the expiry (7 days unless configured); then the recovery job voids
// it. So an authorization the client held and never settled must, once the expiry and a
// recovery pass are behind it, be voided at the PSP. Judged on the PSP's
// records of the order's own card token, not on what the engine says it did.
#include <algorithm>

#include "sim/properties.h"

namespace reckon::sim {

void PropertyChecker::check_expired_authorizations(const PspNode& psp,
                                                   const std::vector<HeldAuthorization>& held,
                                                   TimeUs expired_within_us,
                                                   TimeUs voided_within_us, TimeUs now_us) {
  for (const auto& h : held) {
    // Expired by then, and no capture or void of it in flight: a pass after that voids it.
    const TimeUs void_due_us =
        std::max(h.answered_at_us + expired_within_us, h.settled_at_us) + voided_within_us;
    if (now_us < void_due_us) continue;  // its time has not come
    for (const PspCharge* charge : psp.successful_charges_for(h.card_token)) {
      // This PSP voids any authorized charge it is asked to (sim/psp_node.cpp), so a
      // charge still authorized was never asked.
      if (charge->state != engine::PspChargeState::kAuthorized) continue;
      fail(kAuthorizationExpiryEnforced, h.charge_id,
           "charge " + h.charge_id + " (PSP " + charge->psp_charge_id + ", token " + h.card_token +
               ") was answered authorized " + std::to_string(now_us - h.answered_at_us) +
               "us ago, its last capture or void settled " +
               std::to_string(now_us - h.settled_at_us) +
               "us ago, and it is still held at the PSP (never voided), though the expiry (" +
               std::to_string(expired_within_us) + "us) and then a recovery pass (" +
               std::to_string(voided_within_us) + "us) are behind it",
           now_us);
      return;
    }
  }
}

}  // namespace reckon::sim
