#pragma once
// The engine's view of a payment service provider: operations keyed by an idempotency key
// the engine derives per operation, and a taxonomy of outcomes in which "ambiguous" is
// never confused with "declined".

#include <cstdint>
#include <string>
#include <string_view>

namespace reckon::engine {

enum class PspOp { kAuthorize, kCapture, kVoid, kRefund, kLookup };

struct PspRequest {
  PspOp op = PspOp::kAuthorize;
  // INVARIANT: the same logical operation carries the same key on every attempt,
  // including attempts made by the recovery job after a restart.
  std::string idempotency_key;
  int64_t amount_minor = 0;
  std::string currency;
  std::string card_token;
  bool capture = false;       // authorize: capture in the same call
  std::string psp_charge_id;  // capture, void, refund: the charge it concerns
  // What the engine's records say of the charge when it asks (capture, void, refund): the
  // authorized amount, and what was captured and refunded so far. Not sent in the dialect
  // (the provider knows its own); an adapter may need them (docs/adapters.md: a capture's
  // `authorized_minor`, a refund's `captured_minor` and `refunded_minor`).
  int64_t authorized_minor = 0;
  int64_t captured_minor = 0;
  int64_t refunded_minor = 0;
};

enum class PspOutcome {
  kSucceeded,  // the PSP did it
  kDeclined,   // the PSP definitively refused it; nothing was charged
  kFailed,     // the PSP definitively did not do it (invalid request)
  kAmbiguous,  // no answer, or an answer that does not say: it may or may not have happened
  kNotFound,   // lookup: the PSP has no operation under this key
};

// What the PSP says a charge is in (for replies and lookups). A partially refunded charge
// stays kCaptured; kRefunded means everything captured was refunded.
enum class PspChargeState { kNone, kAuthorized, kCaptured, kDeclined, kVoided, kRefunded };

struct PspReply {
  PspOutcome outcome = PspOutcome::kAmbiguous;
  std::string psp_charge_id;
  PspChargeState state = PspChargeState::kNone;
  PspOp looked_up_op = PspOp::kAuthorize;  // lookup: which operation the key belonged to
  int64_t amount_minor = 0;
  std::string detail;
};

std::string_view to_string(PspOp op);
std::string_view to_string(PspOutcome outcome);
std::string_view to_string(PspChargeState state);

}  // namespace reckon::engine
