#pragma once
// Shrinking a failing run: fewer and weaker fault decisions and a smaller workload, as long
// as the same property still fails. Works in replay mode on the decision list (a decision
// removed is a fault that does not happen), so every candidate is one deterministic run.
//
// The steps, repeated while any of them makes progress:
//  1. workload: fewer clients, then fewer payments per client. The event stream changes with
//     the workload (message ids shift), so a candidate is the smaller workload replayed with
//     the current list, accepted only if the property still fails; its recorded decisions
//     (those that found their site) become the current list.
//  2. decisions: ddmin-style removal of chunks (halves, quarters, ... single decisions).
//  3. values: delays, downtimes and partition durations halved while the property fails.
// After every accepted candidate the list is the candidate run's own recorded decisions, so
// it holds only decisions that fired and replays to exactly that run.

#include <cstdint>
#include <functional>
#include <string>

#include "sim/run_types.h"

namespace reckon::sim {

struct ShrinkSize {
  uint64_t decisions = 0;
  int clients = 0;
  int payments = 0;  // per client
  uint64_t trace_events = 0;
};

struct ShrinkResult {
  RunConfig config;  // the smallest failing run found: replay_decisions set
  RunResult run;     // that run's result (fails with the property)
  ShrinkSize before;
  ShrinkSize after;
  uint64_t runs = 0;           // simulations run by the search
  bool stopped_early = false;  // `stop` said so before the search was done
  // False when replaying the recorded decisions of a recorded run did not fail with the
  // property (replay broken): then nothing was shrunk and `run` is that replay.
  bool reproduced = true;
};

// Whether a result fails with `property`.
bool fails_with(const RunResult& r, const std::string& property);

// `failed` is the result of running `failing`, and must fail with `property`. If `failing`
// records (no replay_decisions), the search starts by replaying its recorded decisions.
// `stop` is asked before each run (empty: never stop): the time budget lives with the caller.
ShrinkResult shrink_failure(const RunConfig& failing, const RunResult& failed,
                            const std::string& property, const std::function<bool()>& stop);

}  // namespace reckon::sim
