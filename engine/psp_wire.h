#pragma once
// The provider dialect (docs/psp-dialect.md), the engine's side of it: requests written,
// replies read. Pure translation, no I/O: live mode's PSP client and the simulated engine
// node both call the PSP through it. The provider's side (reading requests, writing replies)
// is the simulated provider's own, sim/psp_dialect.h. encode_psp_reply remains for the PSP
// webhook's body (engine/psp_webhook.h), which carries a reply.
//
// INVARIANT: a reply that cannot be decoded is Ambiguous, never Declined or Failed: the
// engine must not conclude that nothing happened from an answer it could not read.

#include <optional>
#include <string>

#include "engine/http.h"
#include "engine/planted.h"
#include "engine/psp.h"

namespace reckon::engine {

// The PSP's own idempotency header (distinct from the merchant-facing Idempotency-Key).
inline constexpr const char* kPspIdempotencyHeader = "psp-idempotency-key";

// PSP keys (and the ids that travel next to them) are 1-128 of [A-Za-z0-9_.-]: they go in
// headers and logs, so no header injection and no ambiguity.
bool valid_psp_key(const std::string& key);

HttpRequest encode_psp_request(const PspRequest& request);

HttpResponse encode_psp_reply(const PspReply& reply);
// The engine's side. 5xx, unknown statuses and malformed bodies decode to Ambiguous with
// `detail` saying why.
// `planted` only for the planted defect garbled-reply-as-decline.
PspReply decode_psp_reply(int status, const std::string& body, const PlantedDefects& planted = {});

}  // namespace reckon::engine
