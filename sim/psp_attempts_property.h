#pragma once
// Property psp-attempts-as-configured (docs/properties.md): the engine retries an ambiguous
// PSP answer the way docs/architecture.md ("The engine") says, judged from the PSP calls its
// host (sim::EngineNode) carries and the answers it hands back:
//
// - a drive of an operation (its first send, or a re-send after a lookup found nothing) makes
//   at most `psp_attempts_max` attempts under the operation's key, each after an ambiguous
//   answer to the one before;
// - it gives up (the operation becomes unknown, and recovery looks it up) only after all of
//   them: a lookup of an operation whose drive in the same incarnation stopped after fewer
//   ambiguous attempts fails;
// - attempt n+1 leaves 50 ms x n after attempt n's ambiguous answer (the engine's timers are
//   virtual, so exactly that), later only by the plan's late-timer range.
//
// An operation is its PSP idempotency key (docs/api.md: one per operation, reused on every
// attempt). A restart ends every drive: the new incarnation's recovery starts afresh. The
// count comes from the scenario (`psp_attempts_max`), which the simulator gave the engine;
// nothing is read from engine/.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/psp.h"
#include "oracle/charge_rules.h"
#include "sim/event_queue.h"
#include "sim/run_types.h"

namespace reckon::sim {

struct PspAttemptRules {
  int attempts_max = 3;  // the scenario's psp_attempts_max
  TimeUs backoff_us = oracle::kPspRetryBackoffUs;
  TimeUs late_timer_max_us = 0;  // [faults.clock] late timers: a retry may leave this late
};

class PspAttempts {
 public:
  PspAttempts(PspAttemptRules rules, std::vector<Failure>& failures)
      : rules_(rules), failures_(failures) {}

  void sent(const engine::PspRequest& request, TimeUs now_us, uint64_t incarnation);
  // The engine of `incarnation` took this answer (a timeout is kAmbiguous) at `now_us`.
  void answered(const std::string& key, engine::PspOutcome outcome, uint64_t incarnation,
                TimeUs now_us);

  uint64_t drives_judged() const { return drives_judged_; }
  uint64_t retry_gaps_judged() const { return retry_gaps_judged_; }

 private:
  struct Drive {
    uint64_t incarnation = 0;
    int attempts = 0;             // sends of the operation since the drive began
    bool last_ambiguous = false;  // the latest answer of this drive
    bool awaiting = false;        // a send not yet answered
    TimeUs answered_us = 0;       // when the latest answer was taken
  };
  void fail(const std::string& key, TimeUs at_us, const std::string& detail);
  void judge_retry_gap(const std::string& key, const Drive& d, TimeUs now_us);

  PspAttemptRules rules_;
  std::vector<Failure>& failures_;
  std::map<std::string, Drive> drives_;  // by PSP idempotency key
  uint64_t drives_judged_ = 0;
  uint64_t retry_gaps_judged_ = 0;
};

}  // namespace reckon::sim
