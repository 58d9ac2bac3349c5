#pragma once
// A fault plan: which kinds of fault are on and how hard they hit. Plans are data; the
// simulator draws each fault as a recorded decision from the run's seed.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "faults/ratio.h"

namespace reckon::faults {

enum class LatencyShape { kFixed, kUniform, kLongTail };

// One-way network latency. kLongTail: uniform in [min_us, max_us], except with probability
// `tail` uniform in (max_us, tail_max_us], which is what makes callers time out.
struct LatencySpec {
  LatencyShape shape = LatencyShape::kLongTail;
  int64_t min_us = 500;
  int64_t max_us = 8'000;
  Ratio tail = {2, 100};
  int64_t tail_max_us = 600'000;
};

struct NetworkFaults {
  Ratio request_loss = {2, 100};      // a request never arrives
  Ratio response_loss = {3, 100};     // the request was processed, the answer never arrives
  Ratio duplicate = {2, 100};         // a message is delivered twice
  Ratio response_duplicate = {0, 1};  // additionally, a response is delivered twice
  // A message held back by an extra delay in [reorder_min_us, reorder_max_us], so later
  // messages overtake it.
  Ratio reorder = {0, 1};
  int64_t reorder_min_us = 10'000;
  int64_t reorder_max_us = 300'000;
  LatencySpec latency;
  // Random partitions: mean virtual time between them (0: none), each cutting one link
  // (engine-psp, engine-webhook, or one client-engine) for a duration drawn from the range.
  int64_t partition_interval_mean_us = 0;
  int64_t partition_min_us = 100'000;
  int64_t partition_max_us = 2'000'000;
};

// How the simulated PSP misbehaves. Every draw is a recorded decision.
struct PspFaults {
  Ratio decline = {5, 100};                // a definitive decline of an authorization
  Ratio error_before_processing = {0, 1};  // 5xx, nothing done: ambiguous to the caller
  Ratio error_after_processing = {0, 1};   // 5xx after doing it: ambiguous to the caller
  // An authorization refused as a request the PSP will not process (a definitive 4xx such as
  // "processing_error"): nothing is charged, and the key keeps that answer (lookups say failed).
  Ratio refusal = {0, 1};
  Ratio slow = {0, 1};  // an answer held back
  // A reply after doing it whose body breaks docs/psp-dialect.md (a field missing or of the
  // wrong type, an outcome it does not name, cut short, empty, not an object), as a broken
  // proxy or a provider bug sends: unreadable, so ambiguous to the caller.
  Ratio garbled_reply = {0, 1};
  int64_t slow_min_us = 100'000;
  int64_t slow_max_us = 1'000'000;
  // Lookups by key do not see operations younger than this (an eventually consistent index).
  int64_t lookup_lag_us = 0;
  // Uncaptured authorizations lapse this long after the PSP made them, on the PSP's own
  // (unskewed) clock; 0: never. Not a drawn fault (nothing random), so nothing is recorded.
  int64_t authorization_expiry_us = 0;
  // The PSP notifies the engine of every operation it finishes with a signed webhook
  // (engine/psp_webhook.h), resent until acknowledged. Off: outcomes reach the engine only
  // as replies and lookups.
  bool webhooks = false;
  Ratio webhook_duplicate = {0, 1};  // an event's first delivery sent twice at once
  Ratio webhook_late = {0, 1};       // an event's first delivery held back, to arrive late
  // Before an event's first delivery, a forged copy (no or a wrong signature, a body changed
  // after signing, or a signed body the dialect cannot read: sim/psp_notice_forgery.h).
  Ratio webhook_forged = {0, 1};
  int64_t webhook_late_min_us = 100'000;
  int64_t webhook_late_max_us = 3'000'000;
};

// Disk faults inside the durability VFS of the engine's node.
struct StorageFaults {
  Ratio sync_failure = {0, 1};  // xSync fails, nothing becomes durable
  Ratio disk_full = {0, 1};     // a write that grows a file fails with SQLITE_FULL
  Ratio torn_write = {0, 1};    // at a crash, part of the last unsynced write reaches disk
  // Power fails while the engine syncs a file: the sync fails, the node crashes on the
  // spot, and what was written since the last sync is lost (or torn, with torn_write).
  Ratio crash_at_sync = {0, 1};
};

struct ProcessFaults {
  // Mean virtual time between engine crashes; 0 turns crashes off. Each gap is drawn
  // uniformly from [mean/2, 3*mean/2].
  int64_t engine_crash_interval_mean_us = 3'000'000;
  // Each time the engine passes a named crash point (engine/crash_points.h), it crashes
  // there with this probability.
  Ratio crash_point_rate = {1, 60};
  // Which named crash points may fire; empty: all of them.
  std::vector<std::string> crash_points;
  int64_t restart_delay_min_us = 50'000;
  int64_t restart_delay_max_us = 800'000;
};

// The PSP's daily settlement reports (docs/reconciliation.md): how they are cut, and the
// faults written into them. Each line gets at most one fault, drawn in this order.
struct SettlementFaults {
  // The PSP's daily cut-off, milliseconds after the time of day at which the run starts
  // (each seed draws its start day and time of day: sim/epoch.h). Runs last seconds, so the
  // default cut-off falls one second into the run: later events land in the next day's
  // report.
  int64_t cutoff_ms = 1'000;
  int64_t fee_bps = 290;              // the agreed fee on captures, in basis points
  Ratio missing_line = {0, 1};        // a capture or refund left out of every report
  Ratio duplicate_line = {0, 1};      // a line written twice
  Ratio amount_drift = {0, 1};        // gross off by 1..5 minor units
  Ratio wrong_currency = {0, 1};      // another currency's code on the line
  Ratio wrong_status = {0, 1};        // a capture reported as a refund, or the reverse
  Ratio late_line = {0, 1};           // a line moved to the next day's report
  Ratio unexpected_fee = {0, 1};      // an extra fee line the fee schedule does not have
  Ratio unknown_chargeback = {0, 1};  // an extra chargeback line the ledger knows nothing of
  Ratio rounding = {0, 1};            // gross written with the wrong number of decimals
  // Per payout (one per day and currency, after the lines): paid out 1..5 minor units off
  // minus the net of the day's lines.
  Ratio payout_drift = {0, 1};
  // A capture line whose own fee column is 1..5 minor units off the fee schedule (drawn last
  // of the per-line faults, so adding it kept the others' draws).
  Ratio fee_drift = {0, 1};
  // A two-step payment's capture line written under its authorization's merchant reference
  // instead of the capture's own key (a PSP that reports the payment's first reference):
  // the line matches nothing the ledger settled, and the capture is missing from the report.
  // Drawn after every other per-line fault, on captures of two-step payments only.
  Ratio authorization_reference = {0, 1};
  // A day's payout in one currency left out (rate per payout, never the day's last
  // currency's, so the day still pays out; only where that currency's lines net nonzero).
  Ratio missing_payout = {0, 1};
};

// How merchant clients misbehave, beyond their normal retries. Each misbehaviour is a
// recorded decision, like a fault: a correct engine must refuse it without harm.
struct ClientFaults {
  // After an order's authorization is answered, the client sends its key again with another
  // amount (a merchant bug reusing keys): the answer must be 422, never the first response.
  Ratio key_reuse_other_body = {1, 10};
  // A separate capture asks for one minor unit more than was authorized: the answer must be
  // a refusal (400); the client then captures the right amount under a new key.
  Ratio over_capture = {1, 10};
  // With an authorization's first attempt the client sends a second request with the same
  // key and body (a double click, two app servers): while the first is in flight the engine
  // must answer the second 409 request_in_progress; once the first is done, its stored answer.
  // Off in the default plan, so that the default run's draws (and trace hashes) stay put.
  Ratio concurrent_same_key = {0, 1};
  // After an ambiguous call (a timeout or a 503) the client stops retrying and drops the
  // order: only the engine's recovery can finalise the payment (liveness). Off by default.
  Ratio give_up = {0, 1};
  // After a capture succeeds, the client voids the charge as well (a merchant cancelling an
  // order already captured): the engine must refuse it 409 charge_not_voidable, never send it
  // to the PSP. On in the default plan; off unless set in scenario files.
  Ratio void_after_capture = {0, 1};
  // The merchant's webhook endpoint answers a delivery with a status that is not 2xx (a 3xx
  // redirect, a 4xx, a 5xx: a deploy, a bug, a proxy): the engine must keep the event
  // undelivered and send it again (docs/api.md, "Webhooks").
  Ratio webhook_endpoint_error = {0, 1};
};

// The engine node's clock and timers (docs/scenarios.md, [faults.clock]). Both are off by
// default, and draw nothing when off, so plans without them keep their trace hashes.
struct ClockFaults {
  // At each engine start the node's clock is offset from virtual time by a skew drawn from
  // [skew_min_us, skew_max_us] (either may be negative: a clock behind). [0, 0]: no skew,
  // nothing drawn. A restart draws a new skew, so the engine's clock can step back.
  int64_t skew_min_us = 0;
  int64_t skew_max_us = 0;
  // Each engine timer (Clock::after) fires late, with this probability, by an extra delay
  // in [late_timer_min_us, late_timer_max_us].
  Ratio late_timer = {0, 1};
  int64_t late_timer_min_us = 1'000;
  int64_t late_timer_max_us = 100'000;
};

struct FaultPlan {
  // Swarm mode switches on kinds the plan has off at default intensities; the default gaps
  // between random crashes (3 s) and partitions (5 s) are multiplied by this. A scenario
  // whose virtual horizon is days (holds past the authorization expiry) sets it so that a
  // swarm seed crashes hourly, not a hundred thousand times.
  int64_t swarm_interval_scale = 1;
  NetworkFaults network;
  ProcessFaults process;
  PspFaults psp;
  StorageFaults storage;
  SettlementFaults settlement;
  ClientFaults clients;
  ClockFaults clock;
};

// The plan the default sweep uses: every fault kind of the first slice on, moderately.
FaultPlan default_fault_plan();
// A plan with every fault off: the liveness phase, and a baseline.
FaultPlan quiet_fault_plan();

// Whether a fault of the plan can withhold the engine's final answer to a client or delay it
// past the client's timeout: lost, reordered or partitioned messages, the latency tail,
// engine crashes, PSP errors, refusals, slow answers or lookup lag, any storage fault, late
// timers or a skewed clock. Without any of these, every request a client sends gets its
// final answer within its retries (a 409 while its own key is in flight resolves at once).
bool may_withhold_answers(const FaultPlan& plan);

// A message naming the first impossible value, or nullopt when the plan is valid.
std::optional<std::string> validate(const FaultPlan& plan);

}  // namespace reckon::faults
