#include "sim/webhook_node.h"

#include <array>

#include "engine/check.h"

namespace reckon::sim {

int WebhookNode::receive(const engine::WebhookDelivery& delivery) {
  RECKON_CHECK(!delivery.event_id.empty(), "every delivery names its event");
  const bool again = !ids_.insert(delivery.event_id).second;
  receipts_.push_back(
      WebhookReceipt{delivery.event_id, delivery.body, queue_.now_us(), delivery.endpoint});
  // docs/api.md: any 2xx acknowledges, the class's bounds included (a merchant's framework
  // may answer an unusual one).
  static constexpr std::array<int, 6> kSuccesses{200, 201, 202, 203, 204, 299};
  const int success = kSuccesses[success_stream_.below(kSuccesses.size())];
  const int error = faults_.webhook_endpoint_error(delivery.event_id);
  const int status = error != 0 ? error : success;
  if (error == 0) acknowledged_.insert(delivery.event_id);
  trace_.record(
      queue_.now_us(), kWebhookNodeName, "event",
      "id=" + delivery.event_id + (again ? " again=1" : "") + " status=" + std::to_string(status));
  return status;
}

}  // namespace reckon::sim
