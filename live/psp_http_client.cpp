#include "live/psp_http_client.h"

#include <memory>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "engine/psp_wire.h"

namespace reckon::live {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;

// One exchange. Owned by its own completion handlers until `done` has run.
class PspExchange : public std::enable_shared_from_this<PspExchange> {
 public:
  PspExchange(boost::asio::io_context& io, std::function<void(const engine::PspReply&)> done)
      : stream_(io), done_(std::move(done)) {}

  void start(const boost::asio::ip::tcp::endpoint& psp, const engine::HttpRequest& request,
             std::chrono::milliseconds timeout) {
    request_.method(request.method == "GET" ? http::verb::get : http::verb::post);
    request_.target(request.target);
    request_.version(11);
    request_.set(http::field::host, psp.address().to_string());
    for (const auto& [name, value] : request.headers) request_.set(name, value);
    request_.body() = request.body;
    request_.prepare_payload();
    // One deadline for the whole exchange, like an HTTP client with a request timeout.
    stream_.expires_after(timeout);
    stream_.async_connect(psp, [self = shared_from_this()](beast::error_code ec) {
      if (ec) return self->finish_ambiguous("connect: " + ec.message());
      self->send();
    });
  }

 private:
  void send() {
    http::async_write(stream_, request_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->finish_ambiguous("write: " + ec.message());
      self->receive();
    });
  }

  void receive() {
    http::async_read(stream_, buffer_, response_,
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       if (ec) return self->finish_ambiguous("read: " + ec.message());
                       self->finish(engine::decode_psp_reply(
                           static_cast<int>(self->response_.result_int()), self->response_.body()));
                     });
  }

  void finish_ambiguous(std::string detail) {
    engine::PspReply reply;
    reply.outcome = engine::PspOutcome::kAmbiguous;
    reply.detail = std::move(detail);
    finish(reply);
  }

  void finish(const engine::PspReply& reply) {
    beast::error_code ignored;
    stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
    auto done = std::move(done_);
    done(reply);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  http::response<http::string_body> response_;
  std::function<void(const engine::PspReply&)> done_;
};

}  // namespace

void HttpPspTransport::call(const engine::PspRequest& request,
                            std::function<void(const engine::PspReply&)> done) {
  auto exchange = std::make_shared<PspExchange>(io_, std::move(done));
  engine::HttpRequest http_request = engine::encode_psp_request(request);
  durability_.after_durable([this, exchange, http_request = std::move(http_request)] {
    exchange->start(psp_, http_request, timeout_);
  });
}

}  // namespace reckon::live
