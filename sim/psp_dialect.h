#pragma once
// The provider's side of the PSP dialect (docs/psp-dialect.md), stated for the simulated
// provider alone: it reads the engine's requests and writes its replies as a real provider
// would, so the engine's own codec (engine/psp_wire.h) runs in every simulated call and a
// slip in it meets a reader that was not written with it. `reckon psp-sim` and
// adapter-check's provider speak through it too.

#include <optional>
#include <string>
#include <string_view>

#include "engine/http.h"
#include "engine/psp.h"

namespace reckon::sim {

// The request as the provider reads it, or nullopt with `error` naming what breaks the
// dialect (the provider answers that 400 invalid_request).
std::optional<engine::PspRequest> read_psp_request(const engine::HttpRequest& http,
                                                   std::string& error);

// The wire names of docs/psp-dialect.md (outcome, state, operation).
std::string_view dialect_name(engine::PspOp op);
std::string_view dialect_name(engine::PspOutcome outcome);
std::string_view dialect_name(engine::PspChargeState state);

// The provider's answer to a request it processed: the status the outcome calls for and the
// reply body of docs/psp-dialect.md, "Replies". An ambiguous outcome (a simulated server
// error) is a 503 with the same body shape.
engine::HttpResponse write_psp_reply(const engine::PspReply& reply);
// The same for a request at `site` ("operation:key"): an ambiguous outcome (a server error)
// gets one of 500, 502, 503 and 504, as real providers and their proxies answer (any 5xx
// is ambiguous), picked by a hash of the site, so no random draw is added to a run.
engine::HttpResponse write_psp_reply(const engine::PspReply& reply, const std::string& site);

// The 400 for a request that does not parse.
engine::HttpResponse write_psp_invalid_request(const std::string& error);

// The ways a reply's body can break docs/psp-dialect.md, as a broken proxy or a provider bug
// sends it (fault psp_garbled_reply): each required field left out, the amount as a string,
// an outcome the dialect does not name, the body cut in half, empty, or a JSON array, a state
// or an operation the dialect does not name, an outcome the status contradicts (a 200
// saying declined), or a text field (outcome, state, operation, authorization_id, detail)
// of another JSON type.
inline constexpr int kGarbleKinds = 19;
// `reply` with its body garbled the `kind`-th way (0 <= kind < kGarbleKinds); the status
// stays. None of them is a reply a caller may read as an outcome.
engine::HttpResponse garble_psp_reply(engine::HttpResponse reply, int kind);

}  // namespace reckon::sim
