#pragma once
// PSP -> engine webhooks: the PSP's notice that it finished an operation, POSTed to the
// engine at kPspWebhookPath and signed with a secret the two share.
//
// A webhook is a hint, never the only path to the truth: it may be lost, duplicated,
// delayed past later events, or arrive while the engine is still asking the PSP itself.
// The engine applies one only to an operation that is unresolved and not being driven,
// exactly as it would apply a lookup's answer; everything else is acknowledged and
// ignored, so duplicates and late arrivals change nothing (engine/psp_webhook_receiver.cpp).
//
// Body: the PSP dialect's reply body (docs/psp-dialect.md) plus the event's id and the
// operation's PSP idempotency key:
//   {"id": "pspevt_7", "idempotency_key": "...", "outcome": "succeeded",
//    "authorization_id": "psp_3", "state": "captured", "operation": "capture",
//    "amount": 1250, "detail": ""}
// Header: PSP-Signature: sha256=<hex HMAC-SHA256 of the raw body under the secret>.

#include <optional>
#include <string>
#include <string_view>

#include "engine/http.h"
#include "engine/psp.h"

namespace reckon::engine {

inline constexpr const char* kPspWebhookPath = "/v1/psp/webhooks";
inline constexpr const char* kPspSignatureHeader = "psp-signature";

struct PspWebhookEvent {
  std::string id;               // the PSP's event id: the same on every delivery of one event
  std::string idempotency_key;  // the operation's PSP key (PspRequest::idempotency_key)
  // The operation's definitive outcome: kSucceeded, kDeclined or kFailed, with the
  // operation in reply.looked_up_op and the authorization's state after it.
  PspReply reply;
};

// Whether a webhook may carry `outcome`: only a definitive one (succeeded, declined, failed).
bool is_definitive_outcome(PspOutcome outcome);

// The notice that the PSP finished `request` with `reply`: the operation and amount named
// are the request's. REQUIRES: `request` is not a lookup; the reply's outcome is definitive.
PspWebhookEvent psp_webhook_event(std::string id, const PspRequest& request, const PspReply& reply);

// The signed POST the PSP sends. REQUIRES: the event's outcome is definitive.
HttpRequest encode_psp_webhook(const PspWebhookEvent& event, std::string_view secret);

// The engine's side: the event, or nullopt with `error` naming the field at fault.
std::optional<PspWebhookEvent> decode_psp_webhook(const std::string& body, std::string& error);

// "sha256=<64 hex>" over `body`.
std::string psp_webhook_signature(std::string_view secret, std::string_view body);
// Whether `header` is the signature of `body` (constant-time in the signature's bytes).
bool psp_webhook_signature_valid(std::string_view secret, std::string_view body,
                                 const std::string* header);

}  // namespace reckon::engine
