#pragma once
// When one PSP call was sent and when it ended, in virtual time: what a judge needs to tell
// a call the engine made for a request from one that was already on its way.

#include <optional>
#include <string>
#include <vector>

#include "sim/event_queue.h"

namespace reckon::sim {

struct PspCallSpan {
  TimeUs sent_us = 0;
  TimeUs ended_us = 0;  // its answer reached the engine, or the engine's node timed it out
};

// A charge's authorization at the PSP, as the world saw it: the PSP keys of the authorize
// calls that carried the card token the charge was created with, and of the calls under
// them that ended, the one sent last. No keys: the world cannot tell which calls are the
// charge's (its creation was never answered, or its token never reached the PSP).
struct AuthorizationCalls {
  std::vector<std::string> keys;
  std::optional<PspCallSpan> last_ended;
};

}  // namespace reckon::sim
