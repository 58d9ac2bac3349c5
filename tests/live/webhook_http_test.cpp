// The live webhook transport over real sockets: the event is POSTed to the endpoint's path
// with its id in Webhook-Id, the endpoint's status comes back, and no answer is status 0.
#include <gtest/gtest.h>

#include <chrono>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "live/address.h"
#include "live/group_commit.h"
#include "live/http_server.h"
#include "live/json_log.h"
#include "live/webhook_http_client.h"

namespace reckon::live {
namespace {

TEST(WebhookHttp, ParsesEndpointUrls) {
  std::string error;
  auto url = parse_webhook_url("http://127.0.0.1:9000/hooks/reckon?x=1", error);
  ASSERT_TRUE(url.has_value()) << error;
  EXPECT_EQ(url->server.port(), 9000);
  EXPECT_EQ(url->target, "/hooks/reckon?x=1");
  url = parse_webhook_url("http://127.0.0.1:9000", error);
  ASSERT_TRUE(url.has_value()) << error;
  EXPECT_EQ(url->target, "/");
  EXPECT_FALSE(parse_webhook_url("https://127.0.0.1:9000/x", error));
  EXPECT_NE(error.find("http://"), std::string::npos) << error;
  EXPECT_FALSE(parse_webhook_url("http://merchant.example:80/x", error));
  EXPECT_NE(error.find("not an IP address"), std::string::npos) << error;
}

TEST(WebhookHttp, PostsTheEventAndReportsTheEndpointsStatus) {
  boost::asio::io_context io;
  JsonLog log("webhook-test");
  std::vector<engine::HttpRequest> received;
  std::vector<int> answers = {503, 200};
  HttpServer server(
      io,
      [&](const engine::HttpRequest& request, Reply reply) {
        received.push_back(request);
        const int status = answers.at(received.size() - 1);
        reply(engine::HttpResponse{status, "{}"});
      },
      log);
  std::string error;
  ASSERT_TRUE(server.listen(*parse_host_port("127.0.0.1:0", true, error), error)) << error;
  GroupCommit durability(io, "", log);
  HttpWebhookTransport transport(io, std::chrono::milliseconds(2'000), durability);
  const engine::WebhookDelivery delivery{
      "http://127.0.0.1:" + std::to_string(server.port()) + "/hooks", "evt_0123456789abcdef",
      R"({"id":"evt_0123456789abcdef","type":"payment.captured"})"};
  std::vector<engine::WebhookReply> replies;
  std::function<void(const engine::WebhookReply&)> on_reply = [&](const auto& reply) {
    replies.push_back(reply);
    if (replies.size() == 1) return transport.deliver(delivery, on_reply);  // the retry
    io.stop();
  };
  transport.deliver(delivery, on_reply);
  io.run_for(std::chrono::seconds(10));
  ASSERT_EQ(replies.size(), 2u);
  EXPECT_EQ(replies[0].status, 503);
  EXPECT_EQ(replies[1].status, 200);
  ASSERT_EQ(received.size(), 2u);
  EXPECT_EQ(received[0].method, "POST");
  EXPECT_EQ(received[0].target, "/hooks");
  EXPECT_EQ(*received[0].header("webhook-id"), "evt_0123456789abcdef");
  EXPECT_EQ(*received[0].header("content-type"), "application/json");
  EXPECT_EQ(received[0].body, delivery.body);
}

TEST(WebhookHttp, NoListenerIsStatusZero) {
  boost::asio::io_context io;
  JsonLog log("webhook-test");
  GroupCommit durability(io, "", log);
  HttpWebhookTransport transport(io, std::chrono::milliseconds(2'000), durability);
  // Port 1 on loopback: nothing listens there, the connection is refused.
  std::optional<engine::WebhookReply> reply;
  transport.deliver({"http://127.0.0.1:1/hooks", "evt_1", "{}"},
                    [&](const engine::WebhookReply& r) { reply = r; });
  io.run_for(std::chrono::seconds(5));
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 0);
  EXPECT_FALSE(reply->detail.empty());
}

}  // namespace
}  // namespace reckon::live
