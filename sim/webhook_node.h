#pragma once
// The merchant's webhook endpoint: receives the engine's outbox deliveries over the
// simulated network (so loss, duplication, partitions and latency apply to them like to
// any message) and keeps every one, duplicates included. It takes each with a 2xx (200, 201,
// 202 or 204, as real endpoints do, drawn from the seed's stream "merchant-webhook") unless
// the fault client_webhook_endpoint_error makes it answer a status that is not 2xx: then the
// event counts as received but not acknowledged. A merchant deduplicates on the event id, so
// a redelivery is harmless.
//
// The property checker judges these receipts against the engine's outbox
// (outbox-delivered, sim/properties.h).

#include <set>
#include <string>
#include <vector>

#include "engine/ports.h"
#include "sim/event_queue.h"
#include "sim/fault_injector.h"
#include "sim/prng.h"
#include "sim/trace.h"

namespace reckon::sim {

inline constexpr const char* kWebhookNodeName = "merchant-webhook";

struct WebhookReceipt {
  std::string event_id;
  std::string body;
  TimeUs at_us = 0;
  std::string endpoint;  // the URL the engine delivered it to: one merchant's endpoint
};

class WebhookNode {
 public:
  WebhookNode(uint64_t run_seed, EventQueue& queue, Trace& trace, FaultInjector& faults)
      : queue_(queue),
        trace_(trace),
        faults_(faults),
        success_stream_(run_seed, "merchant-webhook") {}

  // A delivery arrived; returns the HTTP status the endpoint answers.
  int receive(const engine::WebhookDelivery& delivery);

  // Every delivery in arrival order, redeliveries and network duplicates included.
  const std::vector<WebhookReceipt>& receipts() const { return receipts_; }
  bool received(const std::string& event_id) const { return ids_.count(event_id) != 0; }
  // Whether some delivery of the event was answered 2xx (the engine may still not have heard).
  bool acknowledged(const std::string& event_id) const {
    return acknowledged_.count(event_id) != 0;
  }
  size_t distinct_events() const { return ids_.size(); }

 private:
  EventQueue& queue_;
  Trace& trace_;
  FaultInjector& faults_;
  PrngStream success_stream_;
  std::vector<WebhookReceipt> receipts_;
  std::set<std::string> ids_;
  std::set<std::string> acknowledged_;
};

}  // namespace reckon::sim
