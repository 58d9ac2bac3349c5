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
      if (d.last_ambiguous && d.attempts < rules_.attempts_max) {
        fail(key, now_us,
             "the operation under PSP key " + key + " was looked up after " +
                 std::to_string(d.attempts) + " ambiguous attempt(s); the engine retries up to " +
                 std::to_string(rules_.attempts_max) + " (psp_attempts_max) before giving up");
      }
    }
    d.attempts = 0;  // a re-send after the lookup is a new drive
    d.awaiting = true;
    return;
  }
  if (d.attempts > 0 && !d.last_ambiguous && !d.awaiting) d.attempts = 0;
  if (d.attempts > 0 && d.last_ambiguous && !d.awaiting) judge_retry_gap(key, d, now_us);
  ++d.attempts;
  d.awaiting = true;
  if (d.attempts == rules_.attempts_max + 1) {
    fail(key, now_us,
         "attempt " + std::to_string(d.attempts) + " of the operation under PSP key " + key +
             ", each after an ambiguous answer: more than psp_attempts_max (" +
             std::to_string(rules_.attempts_max) + ")");
  }
}

void PspAttempts::judge_retry_gap(const std::string& key, const Drive& d, TimeUs now_us) {
  ++retry_gaps_judged_;
  const TimeUs due_us = rules_.backoff_us * d.attempts;
  const TimeUs gap_us = now_us - d.answered_us;
  if (gap_us < due_us || gap_us > due_us + rules_.late_timer_max_us) {
    fail(key, now_us,
         "attempt " + std::to_string(d.attempts + 1) + " of the operation under PSP key " + key +
             " left " + std::to_string(gap_us) + " us after attempt " + std::to_string(d.attempts) +
             "'s ambiguous answer; docs/architecture.md: " + std::to_string(rules_.backoff_us) +
             " us x " + std::to_string(d.attempts) + " = " + std::to_string(due_us) +
             " us (late timers allow " + std::to_string(rules_.late_timer_max_us) + " us more)");
  }
}

void PspAttempts::answered(const std::string& key, engine::PspOutcome outcome, uint64_t incarnation,
                           TimeUs now_us) {
  auto it = drives_.find(key);
  if (it == drives_.end() || it->second.incarnation != incarnation) return;
  Drive& d = it->second;
  d.awaiting = false;
  d.last_ambiguous = outcome == engine::PspOutcome::kAmbiguous;
  d.answered_us = now_us;
}

}  // namespace reckon::sim
