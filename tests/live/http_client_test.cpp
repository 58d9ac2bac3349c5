// live::KeepAliveConnection, the blocking client of `reckon load`, over a real socket: the
// request goes out as given, answers come back in order on the kept connection, and a
// server that is gone is status 0 naming the step that failed.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include "live/address.h"
#include "live/http_exchange.h"
#include "live/http_server.h"
#include "live/json_log.h"

namespace reckon::live {
namespace {

engine::HttpRequest charge_request(const std::string& key) {
  return {"POST",
          "/v1/charges",
          {{"authorization", "Bearer sk_test"}, {"idempotency-key", key}},
          R"({"amount":100})"};
}

TEST(KeepAliveConnection, SendsEachRequestAsGivenAndReadsItsAnswer) {
  boost::asio::io_context io;
  JsonLog log("http-client-test");
  std::vector<engine::HttpRequest> received;  // touched on the server thread only
  HttpServer server(
      io,
      [&](const engine::HttpRequest& request, Reply reply) {
        received.push_back(request);
        reply(engine::HttpResponse{received.size() == 2 ? 503 : 201,
                                   "{\"n\":" + std::to_string(received.size()) + "}"});
      },
      log);
  std::string error;
  ASSERT_TRUE(server.listen(*parse_host_port("127.0.0.1:0", true, error), error)) << error;
  const auto server_endpoint =
      boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), server.port());
  auto work = boost::asio::make_work_guard(io);
  std::thread serving([&] { io.run(); });

  KeepAliveConnection client(server_endpoint, std::chrono::seconds(5));
  std::vector<HttpAnswer> answers;
  for (const char* key : {"k1", "k2", "k3"})
    answers.push_back(client.exchange(charge_request(key)));
  work.reset();
  io.stop();
  serving.join();

  ASSERT_EQ(answers.size(), 3u);
  EXPECT_EQ(answers[0].status, 201);
  EXPECT_EQ(answers[0].body, "{\"n\":1}");
  EXPECT_EQ(answers[1].status, 503);
  EXPECT_EQ(answers[2].status, 201);
  EXPECT_EQ(answers[2].body, "{\"n\":3}");
  ASSERT_EQ(received.size(), 3u);
  EXPECT_EQ(received[1].method, "POST");
  EXPECT_EQ(received[1].target, "/v1/charges");
  ASSERT_NE(received[1].header("idempotency-key"), nullptr);
  EXPECT_EQ(*received[1].header("idempotency-key"), "k2");
  EXPECT_EQ(*received[1].header("authorization"), "Bearer sk_test");
  EXPECT_EQ(received[1].body, R"({"amount":100})");
}

TEST(KeepAliveConnection, AServerThatNeverAnswersIsStatusZeroAfterTheTimeout) {
  boost::asio::io_context server_io;
  boost::asio::ip::tcp::acceptor acceptor(server_io,
                                          {boost::asio::ip::make_address("127.0.0.1"), 0});
  boost::asio::ip::tcp::socket held(server_io);
  std::thread accepting([&] { acceptor.accept(held); });  // accepts, then reads nothing
  KeepAliveConnection client(acceptor.local_endpoint(), std::chrono::milliseconds(200));
  // Without the deadline this call would wait for ever (ctest's timeout would end the test).
  const HttpAnswer answer = client.exchange(charge_request("k"));
  accepting.join();
  EXPECT_EQ(answer.status, 0);
  EXPECT_EQ(answer.body.rfind("read: ", 0), 0u) << answer.body;
}

TEST(KeepAliveConnection, NoListenerIsStatusZeroNamingTheConnect) {
  // Port 1 on loopback: nothing listens there, the connection is refused.
  KeepAliveConnection client(
      boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 1),
      std::chrono::seconds(5));
  for (int attempt = 0; attempt < 2; ++attempt) {  // a failed connection is opened again
    const HttpAnswer answer = client.exchange(charge_request("k"));
    EXPECT_EQ(answer.status, 0);
    EXPECT_EQ(answer.body.rfind("connect: ", 0), 0u) << answer.body;
  }
}

}  // namespace
}  // namespace reckon::live
