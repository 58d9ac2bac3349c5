#pragma once
// Forged PSP notices (fault psp_webhook_forged): what an attacker on the path, or a broken
// PSP, could POST to /v1/psp/webhooks, each refused by a rule of docs/psp-dialect.md
// ("Webhooks"): a missing or wrong signature gets 401 `invalid_signature`; a correctly
// signed body the dialect cannot read gets 400 `invalid_webhook`. Neither may change
// anything: a forgery that was booked would move money the PSP never moved.

#include <string>

#include "engine/http.h"

namespace reckon::sim {

struct ForgedNotice {
  std::string name;  // what was forged, for traces and failures
  engine::HttpRequest http;
  int status = 0;    // the documented refusal
  std::string code;  // its `error.code`
};

// How many kinds of forgery there are; a decision's value picks one.
int forgery_count();
// Forgery `kind` of the genuine, signed `notice`; `secret` is the shared one (a forged body
// the PSP signed itself is still refused when the dialect cannot read it).
ForgedNotice forge_notice(int kind, const engine::HttpRequest& notice, const std::string& secret);

}  // namespace reckon::sim
