#include "sim/psp_attempts_property.h"

#include "sim/properties.h"

namespace reckon::sim {

void PspAttempts::fail(const std::string& key, TimeUs at_us, const std::string& detail) {
  failures_.push_back(Failure{kPspAttemptsAsConfigured, key, detail, at_us});
}

void PspAttempts::sent(const engine::PspRequest& request, TimeUs now_us, uint64_t incarnation) {
  Drive& d = drives_[request.idempotency_key];
  if (d.incarnation != incarnation) d = Drive{incarnation};
  const std::string& key = request.idempotency_key;
  if (request.op == engine::PspOp::kLookup) {
    if (d.attempts > 0 && !d.awaiting) {
      ++drives_judged_;
      if (d.last_ambiguous && d.attempts < attempts_max_) {
        fail(key, now_us,
             "the operation under PSP key " + key + " was looked up after " +
                 std::to_string(d.attempts) + " ambiguous attempt(s); the engine retries up to " +
                 std::to_string(attempts_max_) + " (psp_attempts_max) before giving up");
      }
    }
    d.attempts = 0;  // a re-send after the lookup is a new drive
    d.awaiting = true;
    return;
  }
  if (d.attempts > 0 && !d.last_ambiguous && !d.awaiting) d.attempts = 0;
  ++d.attempts;
  d.awaiting = true;
  if (d.attempts == attempts_max_ + 1) {
    fail(key, now_us,
         "attempt " + std::to_string(d.attempts) + " of the operation under PSP key " + key +
             ", each after an ambiguous answer: more than psp_attempts_max (" +
             std::to_string(attempts_max_) + ")");
  }
}

void PspAttempts::answered(const std::string& key, engine::PspOutcome outcome,
                           uint64_t incarnation) {
  auto it = drives_.find(key);
  if (it == drives_.end() || it->second.incarnation != incarnation) return;
  Drive& d = it->second;
  d.awaiting = false;
  d.last_ambiguous = outcome == engine::PspOutcome::kAmbiguous;
}

}  // namespace reckon::sim
