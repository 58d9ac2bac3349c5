#include "sim/network.h"

namespace reckon::sim {

void Network::send(const std::string& from, const std::string& to, MessageKind kind,
                   const std::string& what, std::function<void()> deliver) {
  const uint64_t id = next_message_id_++;
  const std::string subject = "msg" + std::to_string(id);
  trace_.record(queue_.now_us(), from, "send", subject + " to=" + to + " " + what);
  if (faults_.lose(kind, subject)) return;
  if (faults_.duplicate(subject)) schedule_delivery(id, to, deliver);
  schedule_delivery(id, to, std::move(deliver));
}

void Network::schedule_delivery(uint64_t id, const std::string& to, std::function<void()> deliver) {
  const TimeUs latency = faults_.latency_us();
  queue_.schedule_after(latency, [this, id, to, deliver = std::move(deliver)] {
    trace_.record(queue_.now_us(), to, "recv", "msg" + std::to_string(id));
    deliver();
  });
}

}  // namespace reckon::sim
