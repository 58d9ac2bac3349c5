#pragma once
// The simulated PSP's webhook notice on the wire (docs/psp-dialect.md, "Webhooks"), written
// from the dialect's documentation alone: a JSON body with the event id, the operation's
// idempotency key and the reply fields, POSTed to /v1/psp/webhooks and signed
// `PSP-Signature: sha256=<hex HMAC-SHA256 of the body under the shared secret>`.
// It shares no code with the engine's decoder, so a bug on either side shows as a refused
// or misread notice instead of cancelling out.

#include <string>
#include <string_view>

#include "engine/http.h"
#include "engine/psp.h"
#include "sim/psp_dialect.h"

namespace reckon::sim {

// Where the PSP POSTs its notices (docs/psp-dialect.md).
inline constexpr std::string_view kPspNoticePath = "/v1/psp/webhooks";

// The notice that the PSP finished `request` (not a lookup) with the definitive `reply`:
// the operation and amount named are the request's.
engine::HttpRequest signed_psp_notice(const std::string& event_id,
                                      const engine::PspRequest& request,
                                      const engine::PspReply& reply, std::string_view secret);

// The `PSP-Signature` value of `body` under `secret`: "sha256=" and 64 lowercase hex digits.
std::string psp_notice_signature(std::string_view secret, std::string_view body);

}  // namespace reckon::sim
