#include "sim/psp_reply_reading.h"

#include "sim/properties.h"

namespace reckon::sim {
namespace {

std::string said(const engine::PspReply& r) {
  std::string out(engine::to_string(r.outcome));
  if (r.outcome == engine::PspOutcome::kSucceeded || r.outcome == engine::PspOutcome::kDeclined) {
    out += " (authorization '" + r.psp_charge_id + "', state " +
           std::string(engine::to_string(r.state)) + ", operation " +
           std::string(engine::to_string(r.looked_up_op)) + ", amount " +
           std::to_string(r.amount_minor) + ")";
  }
  return out;
}

// docs/psp-dialect.md: a succeeded or declined answer carries the authorization, its state
// and the amount, and a lookup's also the operation the key belonged to (the field means
// nothing in the answer to any other call); a failed or not-found one only its outcome (and
// free text).
bool same_reading(engine::PspOp op, const engine::PspReply& meant, const engine::PspReply& read) {
  if (meant.outcome != read.outcome) return false;
  if (meant.outcome != engine::PspOutcome::kSucceeded &&
      meant.outcome != engine::PspOutcome::kDeclined) {
    return true;
  }
  if (op == engine::PspOp::kLookup && meant.looked_up_op != read.looked_up_op) return false;
  return meant.psp_charge_id == read.psp_charge_id && meant.state == read.state &&
         meant.amount_minor == read.amount_minor;
}

}  // namespace

void PspReplyReading::judge(const std::string& key, engine::PspOp op, const engine::PspReply& meant,
                            const engine::PspReply& read, TimeUs now_us) {
  ++replies_judged_;
  if (same_reading(op, meant, read)) return;
  const std::string rule = meant.outcome == engine::PspOutcome::kAmbiguous
                               ? "an answer that does not say (a 5xx, or a body that breaks the "
                                 "dialect) is ambiguous, never a decline or a success"
                               : "a definite answer is read as written";
  failures_.push_back(Failure{kPspReplyReadAsWritten, key,
                              "the PSP answered the operation under key " + key + " meaning " +
                                  said(meant) + "; the engine read " + said(read) +
                                  " (docs/psp-dialect.md: " + rule + ")",
                              now_us});
}

}  // namespace reckon::sim
