#include "sim/webhook_node.h"

#include "engine/check.h"

namespace reckon::sim {

int WebhookNode::receive(const engine::WebhookDelivery& delivery) {
  RECKON_CHECK(!delivery.event_id.empty(), "every delivery names its event");
  const bool again = !ids_.insert(delivery.event_id).second;
  receipts_.push_back(WebhookReceipt{delivery.event_id, delivery.body, queue_.now_us()});
  trace_.record(queue_.now_us(), kWebhookNodeName, "event",
                "id=" + delivery.event_id + (again ? " again=1" : ""));
  return 200;
}

}  // namespace reckon::sim
