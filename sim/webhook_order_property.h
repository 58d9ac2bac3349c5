#pragma once
// Property webhook-send-order (docs/properties.md): docs/api.md, "Webhooks": "Events of one
// charge are sent in commit order, but a retried event may arrive after a later one". So the
// first send of each event, as the engine's host sees it leave (sim::EngineNode), comes no
// earlier than the first send of every event of the same charge committed before it.
//
// Which event was committed first is not read from the engine's store: docs/state-machine.md
// fixes it by the event's type alone. A charge is authorized before it is captured or voided,
// and captured before it is refunded, so `payment.authorized` precedes `payment.captured` and
// `payment.voided`, which precede `payment.refunded`. (Refunds of one charge have no order
// the rules fix, nor has `payment.failed`, a declined charge's only event.) A resend is not
// judged: a retried event may go after a later one.

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "engine/ports.h"
#include "sim/event_queue.h"
#include "sim/run_types.h"

namespace reckon::sim {

class WebhookSendOrder {
 public:
  explicit WebhookSendOrder(std::vector<Failure>& failures) : failures_(failures) {}

  // The engine started delivering `delivery` (its body is the event docs/api.md describes).
  void sent(const engine::WebhookDelivery& delivery, TimeUs now_us);

  size_t first_sends_judged() const { return judged_; }

 private:
  struct FirstSend {
    int stage = 0;
    std::string event_id;
    std::string type;
    TimeUs at_us = 0;
  };

  std::vector<Failure>& failures_;
  std::set<std::string> seen_;  // event ids sent at least once
  // Per charge, the first send of the latest stage seen so far.
  std::map<std::string, FirstSend> latest_;
  size_t judged_ = 0;
};

}  // namespace reckon::sim
