#pragma once
// The provider's answers that are neither a result nor a failure (docs/psp-dialect.md): 409
// in_progress and 429 rate_limited (nothing done), 202 processing (done, the outcome by
// lookup). Only simulated providers send them (adapter-check's and `reckon psp-sim`); the
// engine decodes each as Ambiguous. A 429's Retry-After travels beside the response.

#include "engine/http.h"

namespace reckon::sim {

enum class PspNotYet { kInProgress, kRateLimited, kProcessing };

engine::HttpResponse encode_psp_not_yet(PspNotYet answer);

}  // namespace reckon::sim
