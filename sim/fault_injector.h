#pragma once
// Draws every fault of a run from the seed, as a decision, and records it in the decision
// log and the trace at the moment it is drawn. Each fault family has its own PRNG stream,
// so turning one family on or off does not move the draws of another.

#include <string>

#include "faults/decision_log.h"
#include "faults/fault_plan.h"
#include "sim/event_queue.h"
#include "sim/prng.h"
#include "sim/trace.h"

namespace reckon::sim {

enum class MessageKind { kRequest, kResponse };

class FaultInjector {
 public:
  FaultInjector(uint64_t run_seed, faults::FaultPlan plan, EventQueue& queue, Trace& trace);

  // Network faults for one message.
  bool lose(MessageKind kind, const std::string& message);
  bool duplicate(const std::string& message);
  TimeUs latency_us();

  // Process faults: the virtual delay until the engine's next crash (0: none), and the
  // downtime before it restarts.
  TimeUs next_crash_delay_us();
  TimeUs restart_delay_us();
  void record_crash(const std::string& node);
  // Whether the engine crashes at this pass of a named crash point (recorded if so).
  bool crash_at_point(const std::string& node, std::string_view point);

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
  PrngStream latency_stream_;
  PrngStream process_stream_;
  PrngStream crash_point_stream_;
  faults::DecisionLog log_;
  bool stopped_ = false;
};

}  // namespace reckon::sim
