#pragma once
// The engine's webhook transport in live mode: each delivery is one HTTP/1.1 POST of the
// event to the merchant's endpoint (http://HOST:PORT/path), with a deadline. It leaves only
// after the commit that wrote the event is durable (GroupCommit), like a PSP call.
//
// INVARIANT: `done` runs exactly once, on the io_context; no answer (connect failure,
// reset, deadline) is status 0, which the dispatcher retries.

#include <chrono>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "engine/ports.h"
#include "live/group_commit.h"

namespace reckon::live {

struct WebhookUrl {
  boost::asio::ip::tcp::endpoint server;
  std::string target = "/";  // path (and query) to POST to
};

// "http://HOST:PORT[/path]", HOST an IP address; nullopt and `error` naming the problem.
std::optional<WebhookUrl> parse_webhook_url(const std::string& text, std::string& error);

class HttpWebhookTransport final : public engine::WebhookTransport {
 public:
  HttpWebhookTransport(boost::asio::io_context& io, std::chrono::milliseconds timeout,
                       GroupCommit& durability)
      : io_(io), timeout_(timeout), durability_(durability) {}

  void deliver(const engine::WebhookDelivery& delivery,
               std::function<void(const engine::WebhookReply&)> done) override;

 private:
  boost::asio::io_context& io_;
  std::chrono::milliseconds timeout_;
  GroupCommit& durability_;
};

}  // namespace reckon::live
