#include "live/psp_webhook_sender.h"

#include <algorithm>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "engine/check.h"
#include "engine/psp_webhook.h"
#include "live/http_exchange.h"

namespace reckon::live {

PspWebhookSender::PspWebhookSender(boost::asio::io_context& io, PspWebhookSenderConfig config,
                                   JsonLog& log)
    : io_(io), config_(std::move(config)), log_(log) {
  RECKON_CHECK(!config_.secret.empty(), "PSP webhooks are signed with a shared secret");
}

void PspWebhookSender::processed(const engine::PspRequest& request, const engine::PspReply& reply) {
  if (request.op == engine::PspOp::kLookup) return;  // a lookup changes nothing to notify
  // Like the simulated PSP: only the first processing of a key is an operation finishing;
  // a retry under the same key returns the stored result and is not notified again.
  if (!seen_keys_.insert(request.idempotency_key).second) return;
  if (!engine::is_definitive_outcome(reply.outcome)) return;
  const engine::PspWebhookEvent notice =
      engine::psp_webhook_event("pspevt_" + std::to_string(next_event_++), request, reply);
  auto event = std::make_shared<Event>();
  event->id = notice.id;
  event->http = engine::encode_psp_webhook(notice, config_.secret);
  event->http.target = config_.url.target;
  // Posted: the first delivery leaves once the request that finished the operation has
  // been handled, never from inside the PSP's processing.
  boost::asio::post(io_, [this, event] { deliver(event); });
}

void PspWebhookSender::deliver(std::shared_ptr<Event> event) {
  ++event->deliveries;
  http_exchange(
      io_, config_.url.server, event->http, config_.timeout,
      [this, event](const HttpAnswer& answer) { answered(event, answer.status, answer.body); });
}

void PspWebhookSender::answered(std::shared_ptr<Event> event, int status, const std::string& body) {
  const bool acknowledged = status >= 200 && status < 300;
  nlohmann::json fields = {
      {"event_id", event->id}, {"delivery", event->deliveries}, {"status", status}};
  if (status == 0) {
    fields["error"] = body;  // what went wrong locally (connect, read, deadline)
  } else {
    // What the engine made of it (engine/psp_webhook_receiver.cpp): a disposition on a
    // 2xx, an error code otherwise. Only these named fields reach the log.
    const auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (json.is_object() && json.contains("disposition") && json["disposition"].is_string()) {
      fields["disposition"] = json["disposition"];
    } else if (json.is_object() && json.contains("error") && json["error"].is_object() &&
               json["error"].contains("code") && json["error"]["code"].is_string()) {
      fields["error_code"] = json["error"]["code"];
    }
  }
  if (acknowledged) return log_.info("psp_webhook_delivered", fields);
  const auto delay_us = config_.retry.delay_after_us(event->deliveries);
  if (!delay_us) return log_.warn("psp_webhook_abandoned", fields);
  const std::chrono::microseconds delay{*delay_us};
  fields["retry_in_ms"] = *delay_us / 1000;
  log_.warn("psp_webhook_refused", fields);
  auto timer = std::make_shared<boost::asio::steady_timer>(io_, delay);
  timer->async_wait([this, timer, event](const boost::system::error_code& ec) {
    if (!ec) deliver(event);
  });
}

}  // namespace reckon::live
