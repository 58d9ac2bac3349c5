#include "sim/webhook_order_property.h"

#include <nlohmann/json.hpp>

#include <optional>

#include "sim/properties.h"

namespace reckon::sim {
namespace {

// Where an event's type stands in its charge's life (docs/state-machine.md), or nullopt for
// the types whose order with their charge's other events no rule fixes.
std::optional<int> stage_of(const std::string& type) {
  if (type == "payment.authorized") return 0;
  if (type == "payment.captured" || type == "payment.voided") return 1;
  if (type == "payment.refunded") return 2;
  return std::nullopt;
}

}  // namespace

void WebhookSendOrder::sent(const engine::WebhookDelivery& delivery, TimeUs now_us) {
  if (!seen_.insert(delivery.event_id).second) return;  // a resend
  // A body that is not the documented event is webhook-event-faithful's to report.
  const auto body = nlohmann::json::parse(delivery.body, nullptr, false);
  if (!body.is_object() || !body.contains("type") || !body["type"].is_string() ||
      !body.contains("data") || !body["data"].is_object() || !body["data"].contains("charge") ||
      !body["data"]["charge"].is_string()) {
    return;
  }
  const std::string type = body["type"].get<std::string>();
  const auto stage = stage_of(type);
  if (!stage) return;
  const std::string charge = body["data"]["charge"].get<std::string>();
  ++judged_;
  auto [it, first_of_charge] = latest_.try_emplace(charge);
  FirstSend& latest = it->second;
  if (!first_of_charge && latest.stage > *stage) {
    failures_.push_back(
        Failure{kWebhookSendOrder, charge,
                "event " + delivery.event_id + " (" + type + ") of charge " + charge +
                    " was first sent at t=" + std::to_string(now_us) + "us, after event " +
                    latest.event_id + " (" + latest.type +
                    "), committed later, was first sent at t=" + std::to_string(latest.at_us) +
                    "us (docs/api.md: events of one charge are sent in commit order)",
                now_us});
    return;
  }
  if (first_of_charge || *stage > latest.stage) {
    latest = FirstSend{*stage, delivery.event_id, type, now_us};
  }
}

}  // namespace reckon::sim
