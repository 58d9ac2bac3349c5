#pragma once
// The merchant's webhook endpoint: receives the engine's outbox deliveries over the
// simulated network (so loss, duplication, partitions and latency apply to them like to
// any message) and keeps every one, duplicates included. It answers 200 to each: a
// merchant deduplicates on the event id, so a redelivery is harmless.
//
// The property checker judges these receipts against the engine's outbox
// (outbox-delivered, sim/properties.h).

#include <set>
#include <string>
#include <vector>

#include "engine/ports.h"
#include "sim/event_queue.h"
#include "sim/trace.h"

namespace reckon::sim {

inline constexpr const char* kWebhookNodeName = "merchant-webhook";

struct WebhookReceipt {
  std::string event_id;
  std::string body;
  TimeUs at_us = 0;
};

class WebhookNode {
 public:
  WebhookNode(EventQueue& queue, Trace& trace) : queue_(queue), trace_(trace) {}

  // A delivery arrived; returns the HTTP status the endpoint answers.
  int receive(const engine::WebhookDelivery& delivery);

  // Every delivery in arrival order, redeliveries and network duplicates included.
  const std::vector<WebhookReceipt>& receipts() const { return receipts_; }
  bool received(const std::string& event_id) const { return ids_.count(event_id) != 0; }
  size_t distinct_events() const { return ids_.size(); }

 private:
  EventQueue& queue_;
  Trace& trace_;
  std::vector<WebhookReceipt> receipts_;
  std::set<std::string> ids_;
};

}  // namespace reckon::sim
