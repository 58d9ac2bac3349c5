#pragma once
// What a simulation run takes and what it gives back.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/planted.h"
#include "faults/decision_log.h"
#include "faults/fault_plan.h"
#include "faults/scenario.h"
#include "sim/client_node.h"
#include "sim/event_queue.h"
#include "sim/probe_client.h"
#include "sim/psp_node.h"
#include "sim/psp_route.h"
#include "sim/transition_coverage.h"

namespace reckon::sim {

struct RunConfig {
  uint64_t seed = 1;
  std::string scenario = "default";  // names the run in reports
  int clients = 4;
  ClientConfig client;
  ProbeConfig probe;  // the careless merchant's requests (sim/probe_client.h)
  faults::FaultPlan faults = faults::default_fault_plan();
  // Swarm mode: each seed switches on a random subset of the plan's fault kinds.
  bool swarm = false;
  std::vector<faults::ScheduledFault> schedule;
  int psp_attempts_max = 3;
  TimeUs psp_timeout_us = 250'000;
  // Unset: the engine's own defaults (faults::EngineKnobs).
  std::optional<TimeUs> authorization_expiry_us;
  std::optional<TimeUs> recovery_interval_us;
  std::optional<TimeUs> outbox_poll_interval_us;
  engine::PlantedDefects planted;
  // Unset: the engine node calls the PSP itself. Set: each run builds its route with this
  // (`--adapter CMD`: an external adapter between the engine and the provider).
  PspRouteFactory psp_route;
  // A negative scenario's expectation: some seed must fail with this property.
  faults::Expectation expect;
  // Properties whose failures count; empty: every property.
  std::vector<std::string> properties;
  bool keep_trace = false;
  // After the clients finish, faults stop; the engine then has this long (virtual) to
  // bring every payment to a final state.
  TimeUs liveness_timeout_us = 60'000'000;
  // `reckon crashpoints`: crash the engine at exactly this pass of this crash point.
  // Replay: take every fault from this decision list instead of drawing it.
  std::optional<std::vector<faults::Decision>> replay_decisions;
  std::string forced_crash_point;
  int64_t forced_crash_pass = 0;
  // Test seam for the determinism check: when > 0, the run records one stray trace event
  // ("world perturbed") after this many events. run_seed clears it for the first run of a
  // check, so only the second run diverges. Nothing but tests sets it.
  uint64_t test_perturb_after_events = 0;
};

// A property that did not hold: which, where, and what was seen.
struct Failure {
  std::string property;
  std::string payment;  // the order's card token or the engine charge id it concerns
  std::string detail;
  TimeUs at_us = 0;
};

struct RunStats {
  int orders = 0;
  int authorized = 0;
  int captured = 0;
  int declined = 0;
  int abandoned = 0;
  int unexpected_responses = 0;
  uint64_t engine_crashes = 0;
  uint64_t fault_decisions = 0;
  uint64_t psp_charges = 0;
  uint64_t psp_webhook_events = 0;         // operations the PSP notified the engine of
  uint64_t psp_webhook_deliveries = 0;     // POSTs of those notices: retries and copies included
  uint64_t webhook_retry_gaps_judged = 0;  // redelivery gaps webhook-retry-schedule judged
  uint64_t psp_drives_judged = 0;          // ended drives psp-attempts-as-configured judged
  uint64_t ledger_entries = 0;
  uint64_t events = 0;
  uint64_t messages = 0;
  TimeUs virtual_duration_us = 0;
};

struct RunResult {
  uint64_t seed = 0;
  std::string trace_hash;
  uint64_t trace_lines = 0;
  RunStats stats;
  std::vector<Failure> failures;
  std::string scenario;
  std::vector<faults::Decision> decisions;  // every fault injected, in order
  // How many times the engine passed each named crash point during the run.
  std::map<std::string, int64_t> crash_point_passes;
  std::vector<std::string> swarm_kinds;  // with swarm: the fault kinds this seed switched on
  // The charge status transitions the property checker observed, by the fault kinds
  // injected while each charge was live (sim/transition_coverage.h).
  TransitionCounts transitions;
  std::vector<std::string> trace;  // only with RunConfig::keep_trace
  bool passed() const { return failures.empty(); }
};

}  // namespace reckon::sim
