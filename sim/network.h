#pragma once
// The simulated network: every message between nodes passes here and may be delayed,
// lost or duplicated, each fault a recorded decision. Delivery is a closure the receiver
// provides; a node that is down when its message arrives drops it itself.

#include <functional>
#include <map>
#include <string>
#include <utility>

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

  // Cuts the link between a and b (both directions) until `until_us`. Messages sent over a
  // cut link vanish; the partition is the recorded decision, its drops are consequences.
  void cut(const std::string& a, const std::string& b, TimeUs until_us);
  bool is_cut(const std::string& a, const std::string& b) const;

  uint64_t messages_sent() const { return next_message_id_; }

 private:
  // `delivery` names this copy of message `id` for the latency_tail decision.
  void schedule_delivery(uint64_t id, const std::string& to, const std::string& delivery,
                         TimeUs extra_delay_us, std::function<void()> deliver);
  static std::pair<std::string, std::string> link(const std::string& a, const std::string& b);

  EventQueue& queue_;
  Trace& trace_;
  FaultInjector& faults_;
  uint64_t next_message_id_ = 0;
  std::map<std::pair<std::string, std::string>, TimeUs> cut_until_us_;
};

}  // namespace reckon::sim
