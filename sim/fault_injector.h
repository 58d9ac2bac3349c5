#pragma once
// Draws every fault of a run from the seed, as a decision, and records it in the decision
// log and the trace at the moment it is drawn. Each fault family has its own PRNG stream,
// so turning one family on or off does not move the draws of another.
//
// In replay mode the decisions come from a recorded list instead of the streams: a fault
// happens exactly where the list says (matched by kind and subject) and nowhere else. The
// same list therefore gives the same trace, and a list with decisions removed gives a run
// with fewer faults: this is what shrinking works on.
//
// INVARIANT: every subject names its fault site the same way in both modes: a message id,
// or a site plus the count of earlier opportunities at it ("engine-0.db#12").

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "faults/decision_log.h"
#include "faults/fault_plan.h"
#include "sim/event_queue.h"
#include "sim/prng.h"
#include "sim/trace.h"

namespace reckon::sim {

enum class MessageKind { kRequest, kResponse };

// What the simulated PSP does with one request, beyond its normal answer.
enum class PspMisbehaviour { kNone, kErrorBeforeProcessing, kErrorAfterProcessing };

// What a merchant client does wrong at one opportunity (faults::ClientFaults).
enum class ClientMisbehaviour {
  kKeyReuseOtherBody,
  kOverCapture,
  kConcurrentSameKey,
  kGiveUp,
  kVoidAfterCapture
};

// A fault at a point in virtual time: a random crash or partition.
struct TimedFault {
  TimeUs at_us = 0;
  std::string subject;  // crash: the node; partition: "a|b"
  int64_t value = 0;    // crash: restart delay; partition: duration
};

class FaultInjector {
 public:
  FaultInjector(uint64_t run_seed, faults::FaultPlan plan, EventQueue& queue, Trace& trace);

  // Switches to replay mode: from now on faults come only from `decisions`.
  void replay(const std::vector<faults::Decision>& decisions);
  bool replaying() const { return replaying_; }
  const faults::FaultPlan& plan() const { return plan_; }

  // Network faults for one message.
  bool lose(MessageKind kind, const std::string& message);
  bool duplicate(MessageKind kind, const std::string& message);
  // Extra delay that lets later messages overtake this one; 0 when not reordered.
  TimeUs reorder_delay_us(const std::string& message);
  // One delivery's latency; a long-tail hit is the decision `latency_tail` on `delivery`
  // ("msg12", or "msg12.copy" for a duplicate's second delivery), valued the whole latency.
  TimeUs latency_us(const std::string& delivery);

  // The next random partition of one of `links` (nullopt: none), drawn now; it is recorded
  // by record_partition when it happens.
  std::optional<TimedFault> next_partition(const std::vector<std::string>& links);
  void record_partition(const std::string& kind, const TimedFault& fault);

  // The next random engine crash (nullopt: none); recorded by record_crash when it happens.
  std::optional<TimedFault> next_crash(const std::string& node);
  void record_crash(const std::string& kind, const TimedFault& fault);
  // A scheduled fault's values (restart delay) for the record; replay takes them from the list.
  TimeUs scheduled_restart_delay_us();
  // The faults that were scheduled explicitly, in replay mode (kind, fault).
  std::vector<std::pair<std::string, TimedFault>> replayed_scheduled_faults() const;
  // Downtime after a crash that is not a timed fault (crash point, power loss, failed start).
  TimeUs restart_delay_us();

  // Whether the engine crashes at this pass of a named crash point (recorded if so);
  // `forced` (reckon crashpoints) crashes without a draw.
  bool crash_at_point(const std::string& node, std::string_view point, int64_t pass, bool forced);

  // PSP misbehaviour for one request the PSP received, and extra answer delay (0: none).
  PspMisbehaviour psp_misbehaviour(const std::string& request);
  // Which of `kinds` garblings the PSP's reply to `request` gets (sim/psp_dialect.h,
  // garble_psp_reply), or nullopt: the reply as the dialect writes it.
  std::optional<int> psp_garbled_reply(const std::string& request, int kinds);
  TimeUs psp_slow_us(const std::string& request);
  // Whether the PSP refuses this new authorization as a request it will not process.
  bool psp_refuses(const std::string& request);
  TimeUs psp_lookup_lag_us() const { return stopped_ ? 0 : plan_.psp.lookup_lag_us; }

  // PSP webhook faults on one event (its id is the subject): sent twice at once, or held
  // back so it arrives after later events (0: on time).
  bool psp_webhook_duplicate(const std::string& event_id);
  TimeUs psp_webhook_late_us(const std::string& event_id);
  // psp_webhook_forged: the kind of forged copy sent before the event's first delivery
  // (sim/psp_notice_forgery.h, below `kinds`), or nullopt.
  std::optional<int> psp_webhook_forgery(const std::string& event_id, int kinds);

  // Whether a client misbehaves at this opportunity; `subject` names it the same way in every
  // run ("client-0:o3"), so the decision replays.
  bool client_misbehaves(ClientMisbehaviour kind, const std::string& subject);
  // The merchant's webhook endpoint answering a delivery of `event_id` (each delivery is its
  // own opportunity): 0, or the status that is not 2xx it answers instead (recorded as
  // client_webhook_endpoint_error, the value the status).
  int webhook_endpoint_error(const std::string& event_id);

  // Clock faults on an engine node. The skew (recorded as clock_skew) is drawn at each start
  // of `node`; nullopt when skew is off (nothing drawn) or faults have stopped (the node
  // keeps the skew it had). The lateness (recorded as timer_late) is drawn per timer; 0: on time.
  std::optional<TimeUs> clock_skew_us(const std::string& node);
  TimeUs timer_late_us(const std::string& node);

  // Storage faults in the engine node's VFS.
  bool sync_fails(const std::string& path);
  bool disk_full(const std::string& path);
  bool crash_at_sync(const std::string& path);
  // At a crash: how many bytes of the last unsynced write of `path` reach the disk.
  int64_t torn_bytes(const std::string& path, int64_t write_bytes);
  // When the last storage fault of any kind was injected; -1: none yet. What a request's
  // "storage unavailable" answer can be blamed on.
  TimeUs last_storage_fault_us() const { return last_storage_fault_us_; }

  // A fault written into a settlement report line (kind "settlement_<name>"): with
  // probability `rate` a value in [min_value, max_value], else nullopt. Reports are written
  // after the run, so these are not silenced by stop_faults().
  std::optional<int64_t> settlement_fault(const std::string& kind, const std::string& subject,
                                          Ratio rate, int64_t min_value, int64_t max_value);

  // The liveness phase: from now on no fault is injected (latency stays, without tail).
  void stop_faults();
  bool faults_stopped() const { return stopped_; }

  const faults::DecisionLog& log() const { return log_; }

 private:
  // The heart of both modes: in record mode `draw` decides (a value: inject; nullopt:
  // don't); in replay mode the list decides. An injected fault is recorded.
  // "site#n", the n-th opportunity for a fault of one family at one site, kept as its
  // parts: the text is built only when a decision is recorded or replayed, not for each of
  // the many opportunities where nothing happens.
  struct Opportunity {
    const std::string& site;
    uint64_t number;
  };
  static const std::string& subject_text(const std::string& subject) { return subject; }
  static std::string subject_text(const Opportunity& subject);

  template <typename Subject, typename Draw>
  std::optional<int64_t> decide(std::string_view kind, const Subject& subject, Draw draw);
  // Whether a fault of this kind can happen at all: its rate is not zero (record), or the
  // list holds one (replay). Sites of impossible kinds are not even counted: cheap, and
  // consistent between the modes, since a kind that never fired has nothing to match.
  bool possible(const char* kind, Ratio rate) const;
  // Notes the time of an injected storage fault; returns `injected`.
  bool storage_fault(bool injected);
  // Counts one more opportunity for a fault of this family at this site.
  Opportunity opportunity(std::string_view family, const std::string& site);
  void record(std::string_view kind, const std::string& subject, int64_t value);
  std::optional<TimedFault> next_timed(const std::string& kind);

  faults::FaultPlan plan_;
  EventQueue& queue_;
  Trace& trace_;
  PrngStream network_stream_;
  PrngStream reorder_stream_;
  PrngStream latency_stream_;
  PrngStream partition_stream_;
  PrngStream process_stream_;
  PrngStream restart_stream_;
  PrngStream crash_point_stream_;
  PrngStream psp_stream_;
  PrngStream storage_stream_;
  PrngStream settlement_stream_;
  PrngStream client_stream_;
  PrngStream clock_stream_;
  PrngStream webhook_stream_;
  PrngStream endpoint_stream_;
  faults::DecisionLog log_;
  bool stopped_ = false;
  TimeUs last_storage_fault_us_ = -1;
  // family -> site -> opportunities so far
  std::map<std::string, std::map<std::string, uint64_t, std::less<>>, std::less<>> opportunities_;

  bool replaying_ = false;
  std::map<std::pair<std::string, std::string>, int64_t> replay_sites_;
  std::set<std::string, std::less<>> replay_kinds_;
  std::map<std::string, std::vector<faults::Decision>> replay_timed_;  // by kind, in order
  std::map<std::string, size_t> replay_timed_next_;
};

}  // namespace reckon::sim
