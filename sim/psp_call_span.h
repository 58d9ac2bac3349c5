#pragma once
// When one PSP call was sent and when it ended, in virtual time: what a judge needs to tell
// a call the engine made for a request from one that was already on its way.

#include "sim/event_queue.h"

namespace reckon::sim {

struct PspCallSpan {
  TimeUs sent_us = 0;
  TimeUs ended_us = 0;  // its answer reached the engine, or the engine's node timed it out
};

}  // namespace reckon::sim
