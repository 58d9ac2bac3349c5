#pragma once
// answer-documented: every answer the engine gives is one its documentation gives the
// request's route. docs/api.md ("Routes", "Errors by route", "Idempotency", "Authentication")
// lists, per route, the success status and every refusal's status and code; docs/psp-dialect.md
// ("Webhooks") does the same for the PSP's notice route. A status or code outside those lists
// (a 504 for a failed commit, a 500, a 409 where the table says 400) breaks every client that
// was written from the documentation, even when the engine's state is right.
//
// The rule is read from the documents alone: the route is recognised from the request's method
// and target as docs/api.md writes them, never by the engine's router.

#include <string>

#include "engine/http.h"

namespace reckon::sim {

// "" when `response` is a documented answer to `request`; otherwise what is wrong with it,
// naming the request, the status and the code.
std::string undocumented_answer(const engine::HttpRequest& request,
                                const engine::HttpResponse& response);

}  // namespace reckon::sim
