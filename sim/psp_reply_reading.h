#pragma once
// Property psp-reply-read-as-written (docs/properties.md): the engine reads every answer of
// the simulated PSP as the PSP wrote it (docs/psp-dialect.md). The PSP's own reading of what
// it wrote is the rule: a definite answer (succeeded, declined, failed, not found) must be read
// as that outcome, with the authorization id, state, operation and amount the PSP wrote; a
// 5xx, or an answer the fault plan garbled after the PSP did the operation, must be read as
// ambiguous ("never a decline": the operation becomes UNKNOWN and recovery asks again by key).
// Judged where the engine's host hands the engine what its PSP client decoded
// (sim::EngineNode), against what the simulated PSP meant; nothing is read from engine/ code.

#include <cstdint>
#include <string>
#include <vector>

#include "engine/psp.h"
#include "sim/event_queue.h"
#include "sim/run_types.h"

namespace reckon::sim {

class PspReplyReading {
 public:
  explicit PspReplyReading(std::vector<Failure>& failures) : failures_(failures) {}

  // The engine read `read` from the answer the PSP wrote meaning `meant`, to its call `op`
  // under PSP key `key`.
  void judge(const std::string& key, engine::PspOp op, const engine::PspReply& meant,
             const engine::PspReply& read, TimeUs now_us);

  uint64_t replies_judged() const { return replies_judged_; }

 private:
  std::vector<Failure>& failures_;
  uint64_t replies_judged_ = 0;
};

}  // namespace reckon::sim
