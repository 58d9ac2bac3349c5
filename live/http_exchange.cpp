#include "live/http_exchange.h"

#include <memory>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace reckon::live {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;

// One exchange. Owned by its own completion handlers until `done` has run.
class Exchange : public std::enable_shared_from_this<Exchange> {
 public:
  Exchange(boost::asio::io_context& io, std::function<void(const HttpAnswer&)> done)
      : stream_(io), done_(std::move(done)) {}

  void start(const boost::asio::ip::tcp::endpoint& server, const engine::HttpRequest& request,
             std::chrono::milliseconds timeout) {
    request_.method(request.method == "GET" ? http::verb::get : http::verb::post);
    request_.target(request.target);
    request_.version(11);
    request_.set(http::field::host, server.address().to_string());
    for (const auto& [name, value] : request.headers) request_.set(name, value);
    request_.body() = request.body;
    request_.prepare_payload();
    // One deadline for the whole exchange, like an HTTP client with a request timeout.
    stream_.expires_after(timeout);
    stream_.async_connect(server, [self = shared_from_this()](beast::error_code ec) {
      if (ec) return self->finish(HttpAnswer{0, "connect: " + ec.message()});
      self->send();
    });
  }

 private:
  void send() {
    http::async_write(stream_, request_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->finish(HttpAnswer{0, "write: " + ec.message()});
      self->receive();
    });
  }

  void receive() {
    http::async_read(
        stream_, buffer_, response_, [self = shared_from_this()](beast::error_code ec, size_t) {
          if (ec) return self->finish(HttpAnswer{0, "read: " + ec.message()});
          self->finish(
              HttpAnswer{static_cast<int>(self->response_.result_int()), self->response_.body()});
        });
  }

  void finish(const HttpAnswer& answer) {
    beast::error_code ignored;
    stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
    auto done = std::move(done_);
    done(answer);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  http::response<http::string_body> response_;
  std::function<void(const HttpAnswer&)> done_;
};

}  // namespace

void http_exchange(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& server,
                   const engine::HttpRequest& request, std::chrono::milliseconds timeout,
                   std::function<void(const HttpAnswer&)> done) {
  std::make_shared<Exchange>(io, std::move(done))->start(server, request, timeout);
}

}  // namespace reckon::live
