#include "sim/network.h"

#include <algorithm>

namespace reckon::sim {

void Network::send(const std::string& from, const std::string& to, MessageKind kind,
                   const std::string& what, std::function<void()> deliver) {
  const uint64_t id = next_message_id_++;
  const std::string subject = "msg" + std::to_string(id);
  trace_.record(queue_.now_us(), from, "send", subject + " to=" + to + " " + what);
  if (is_cut(from, to)) {
    trace_.record(queue_.now_us(), from, "cut", subject + " to=" + to);
    return;
  }
  if (faults_.lose(kind, subject)) return;
  if (faults_.duplicate(kind, subject)) schedule_delivery(id, to, subject + ".copy", 0, deliver);
  schedule_delivery(id, to, subject, faults_.reorder_delay_us(subject), std::move(deliver));
}

std::pair<std::string, std::string> Network::link(const std::string& a, const std::string& b) {
  return a < b ? std::make_pair(a, b) : std::make_pair(b, a);
}

void Network::cut(const std::string& a, const std::string& b, TimeUs until_us) {
  TimeUs& until = cut_until_us_[link(a, b)];
  until = std::max(until, until_us);
  trace_.record(queue_.now_us(), "network", "partition",
                a + "|" + b + " until=" + std::to_string(until));
}

bool Network::is_cut(const std::string& a, const std::string& b) const {
  auto it = cut_until_us_.find(link(a, b));
  return it != cut_until_us_.end() && queue_.now_us() < it->second;
}

void Network::schedule_delivery(uint64_t id, const std::string& to, const std::string& delivery,
                                TimeUs extra_delay_us, std::function<void()> deliver) {
  const TimeUs latency = faults_.latency_us(delivery) + extra_delay_us;
  queue_.schedule_after(latency, [this, id, to, deliver = std::move(deliver)] {
    trace_.record(queue_.now_us(), to, "recv", "msg" + std::to_string(id));
    deliver();
  });
}

}  // namespace reckon::sim
