#pragma once
// Draws every fault of a run from the seed, as a decision, and records it in the decision
// log and the trace at the moment it is drawn. Each fault family has its own PRNG stream,
// so turning one family on or off does not move the draws of another.

#include <string>
#include <string_view>

#include "faults/decision_log.h"
#include "faults/fault_plan.h"
#include "sim/event_queue.h"
#include "sim/prng.h"
#include "sim/trace.h"

namespace reckon::sim {

enum class MessageKind { kRequest, kResponse };

// What the simulated PSP does with one request, beyond its normal answer.
enum class PspMisbehaviour { kNone, kErrorBeforeProcessing, kErrorAfterProcessing };

class FaultInjector {
 public:
  FaultInjector(uint64_t run_seed, faults::FaultPlan plan, EventQueue& queue, Trace& trace);

  const faults::FaultPlan& plan() const { return plan_; }

  // Network faults for one message.
  bool lose(MessageKind kind, const std::string& message);
  bool duplicate(MessageKind kind, const std::string& message);
  // Extra delay that lets later messages overtake this one; 0 when not reordered.
  TimeUs reorder_delay_us(const std::string& message);
  TimeUs latency_us();

  // Random partitions: the delay until the next one (0: none), and its duration.
  TimeUs next_partition_delay_us();
  TimeUs partition_duration_us();
  // Picks one of `link_count` links to cut.
  uint64_t pick_link(uint64_t link_count);
  void record_partition(const std::string& a, const std::string& b, TimeUs duration_us,
                        bool scheduled);

  // Process faults: the virtual delay until the engine's next crash (0: none), and the
  // downtime before it restarts.
  TimeUs next_crash_delay_us();
  TimeUs restart_delay_us();
  void record_crash(const std::string& node, bool scheduled);
  // Whether the engine crashes at this pass of a named crash point (recorded if so).
  bool crash_at_point(const std::string& node, std::string_view point);
  void record_forced_crash(const std::string& node, std::string_view point, int64_t pass);

  // PSP misbehaviour for one request the PSP received, and extra answer delay (0: none).
  PspMisbehaviour psp_misbehaviour(const std::string& request);
  TimeUs psp_slow_us(const std::string& request);
  TimeUs psp_lookup_lag_us() const { return stopped_ ? 0 : plan_.psp.lookup_lag_us; }

  // Storage faults in the engine node's VFS.
  bool sync_fails(const std::string& path);
  bool disk_full(const std::string& path);
  // Power loss in the middle of syncing `path`.
  bool crash_at_sync(const std::string& path);
  // At a crash: how many bytes of the last unsynced write of `path` reach the disk.
  int64_t torn_bytes(const std::string& path, int64_t write_bytes);

  // The liveness phase: from now on no fault is injected (latency stays, without tail).
  void stop_faults();
  bool faults_stopped() const { return stopped_; }

  const faults::DecisionLog& log() const { return log_; }

 private:
  void record(const std::string& kind, const std::string& subject, int64_t value);

  faults::FaultPlan plan_;
  EventQueue& queue_;
  Trace& trace_;
  PrngStream network_stream_;
  PrngStream reorder_stream_;
  PrngStream latency_stream_;
  PrngStream partition_stream_;
  PrngStream process_stream_;
  PrngStream crash_point_stream_;
  PrngStream psp_stream_;
  PrngStream storage_stream_;
  faults::DecisionLog log_;
  bool stopped_ = false;
};

}  // namespace reckon::sim
