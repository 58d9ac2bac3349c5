#include "live/webhook_http_client.h"

#include "live/address.h"
#include "live/http_exchange.h"

namespace reckon::live {

std::optional<WebhookUrl> parse_webhook_url(const std::string& text, std::string& error) {
  constexpr std::string_view kScheme = "http://";
  if (text.rfind(kScheme, 0) != 0) {
    error = "'" + text + "' must start with http://";
    return std::nullopt;
  }
  const size_t slash = text.find('/', kScheme.size());
  WebhookUrl url;
  if (slash != std::string::npos) url.target = text.substr(slash);
  const auto server =
      parse_http_url(slash == std::string::npos ? text : text.substr(0, slash), error);
  if (!server) return std::nullopt;
  url.server = *server;
  return url;
}

void HttpWebhookTransport::deliver(const engine::WebhookDelivery& delivery,
                                   std::function<void(const engine::WebhookReply&)> done) {
  std::string error;
  const auto url = parse_webhook_url(delivery.endpoint, error);
  if (!url) return done(engine::WebhookReply{0, "bad endpoint: " + error});
  engine::HttpRequest request;
  request.method = "POST";
  request.target = url->target;
  request.headers["content-type"] = "application/json";
  request.headers["webhook-id"] = delivery.event_id;
  request.body = delivery.body;
  durability_.after_durable([this, server = url->server, request = std::move(request),
                             done = std::move(done)]() mutable {
    http_exchange(io_, server, request, timeout_, [done = std::move(done)](const HttpAnswer& a) {
      done(engine::WebhookReply{a.status, a.status == 0 ? a.body : ""});
    });
  });
}

}  // namespace reckon::live
