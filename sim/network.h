#pragma once
// The simulated network: every message between nodes passes here and may be delayed,
// lost or duplicated, each fault a recorded decision. Delivery is a closure the receiver
// provides; a node that is down when its message arrives drops it itself.

#include <functional>
#include <string>

#include "sim/event_queue.h"
#include "sim/fault_injector.h"
#include "sim/trace.h"

namespace reckon::sim {

class Network {
 public:
  Network(EventQueue& queue, Trace& trace, FaultInjector& faults)
      : queue_(queue), trace_(trace), faults_(faults) {}

  // Sends one message; `deliver` runs at the receiver on arrival (twice if duplicated).
  // `what` names the message in the trace (for example "POST /v1/charges key=k1").
  void send(const std::string& from, const std::string& to, MessageKind kind,
            const std::string& what, std::function<void()> deliver);

  uint64_t messages_sent() const { return next_message_id_; }

 private:
  void schedule_delivery(uint64_t id, const std::string& to, std::function<void()> deliver);

  EventQueue& queue_;
  Trace& trace_;
  FaultInjector& faults_;
  uint64_t next_message_id_ = 0;
};

}  // namespace reckon::sim
