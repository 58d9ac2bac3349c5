#pragma once
// The simulated PSP: the source of truth for what each customer was charged. It honours
// its own idempotency keys (a repeated key returns the first result and charges nothing),
// declines some authorizations, captures and voids authorizations, refunds captures (in
// parts; never more than was captured), and answers lookups by key.

#include <map>
#include <set>
#include <string>
#include <vector>

#include "engine/psp.h"
#include "sim/prng.h"

namespace reckon::sim {

struct PspCharge {
  std::string psp_charge_id;
  std::string idempotency_key;
  std::string card_token;
  std::string currency;
  int64_t authorized_minor = 0;
  int64_t captured_minor = 0;
  int64_t refunded_minor = 0;  // INVARIANT: <= captured_minor
  engine::PspChargeState state = engine::PspChargeState::kNone;
  int64_t authorized_at_us = 0;  // on the PSP's own clock (virtual time, never skewed)
};

// A money movement the PSP settles: a capture (also an authorization captured in the same
// call) or a refund, in the order the PSP did them.
struct PspSettledEvent {
  std::string idempotency_key;  // the engine's key for the operation: the merchant reference
  std::string psp_reference;    // the charge id for a capture, "<charge id>-r<n>" for a refund
  bool refund = false;
  int64_t amount_minor = 0;
  std::string currency;
  // The key the authorization was made under: the same as idempotency_key for an
  // authorization captured in the same call, the first request's key otherwise.
  std::string authorization_key;
  std::string psp_charge_id;  // the PSP's id of the charge the money moved on
};

// A request the PSP refused because the engine's own records should have ruled it out: a
// capture, void or refund of an authorization that is not in a state to take it, an amount
// beyond what it holds, or a key reused with other parameters. What only the PSP could know
// (its own lapse of an authorization, a refusal drawn as a fault) is not one.
struct PspInadmissible {
  std::string idempotency_key;
  std::string psp_charge_id;
  std::string detail;
};

struct PspConfig {
  Ratio decline = {5, 100};
  // An uncaptured authorization lapses this long after it was made (0: never). A lapsed
  // authorization keeps state kAuthorized (it is never captured, so it agrees with an
  // engine that still holds it), but a capture is refused definitively (kFailed) and a
  // void succeeds: the PSP has already released the hold, the void only confirms it.
  int64_t authorization_expiry_us = 0;
};

class PspNode {
 public:
  PspNode(uint64_t run_seed, PspConfig config);

  // Processes one request that reached the PSP at `now_us` (its own clock; only
  // authorization expiry reads it). Deterministic given the PSP's stream.
  // A new authorization refused without being processed (the psp_refusal fault): the key
  // keeps the refusal, so retries and lookups get it too.
  engine::PspReply refuse(const engine::PspRequest& request, int64_t now_us);
  engine::PspReply process(const engine::PspRequest& request, int64_t now_us = 0);

  // From now on every new authorization for this card token is declined, as providers'
  // test cards that always decline (the drawn decline ratio still applies to the others).
  void always_decline(const std::string& card_token) { declined_tokens_.insert(card_token); }
  // Whether any request (a refused one too) came under this key.
  bool knows_key(const std::string& idempotency_key) const {
    return by_key_.count(idempotency_key) != 0;
  }

  // Charges for a card token that took money (authorized, captured, or refunded since: a
  // refund does not undo a double charge), in creation order. Voided ones took nothing.
  std::vector<const PspCharge*> successful_charges_for(const std::string& card_token) const;
  const std::map<std::string, PspCharge>& charges() const { return charges_; }
  const PspCharge* charge_for_key(const std::string& idempotency_key) const;
  // psp_charge_ids in the order the PSP created them.
  const std::vector<std::string>& creation_order() const { return creation_order_; }
  const std::vector<PspSettledEvent>& settled_events() const { return settled_; }
  const std::vector<PspInadmissible>& inadmissible() const { return inadmissible_; }
  // A request the provider could not read as docs/psp-dialect.md writes it (answered 400
  // invalid_request): the engine's codec broke the dialect, which is inadmissible too.
  void record_unreadable(const std::string& idempotency_key, const std::string& detail) {
    inadmissible_.push_back(PspInadmissible{idempotency_key, "", "unreadable request: " + detail});
  }

 private:
  struct KeyRecord {
    engine::PspRequest request;
    engine::PspReply reply;
  };

  engine::PspReply authorize(const engine::PspRequest& request);
  engine::PspReply capture(const engine::PspRequest& request);
  bool lapsed(const PspCharge& charge) const;
  engine::PspReply void_authorization(const engine::PspRequest& request);
  engine::PspReply refund(const engine::PspRequest& request);
  engine::PspReply lookup(const engine::PspRequest& request) const;
  static bool same_operation(const engine::PspRequest& a, const engine::PspRequest& b);

  PspConfig config_;
  PrngStream stream_;
  uint64_t next_charge_number_ = 1;
  int64_t now_us_ = 0;  // the time of the request being processed
  std::map<std::string, KeyRecord> by_key_;
  std::map<std::string, PspCharge> charges_;                          // by psp_charge_id
  std::map<std::string, std::vector<std::string>> charges_by_token_;  // token -> ids
  std::vector<std::string> creation_order_;
  std::vector<PspSettledEvent> settled_;
  std::vector<PspInadmissible> inadmissible_;
  // Records a refusal of what the engine should never have sent; returns the reply.
  engine::PspReply inadmissible(const engine::PspRequest& request, std::string detail);
  std::map<std::string, int> refunds_by_charge_;
  std::set<std::string> declined_tokens_;
};

}  // namespace reckon::sim
