#include "live/http_exchange.h"

#include <memory>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace reckon::live {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;

http::request<http::string_body> to_beast(const boost::asio::ip::tcp::endpoint& server,
                                          const engine::HttpRequest& request) {
  http::request<http::string_body> out;
  out.method(request.method == "GET" ? http::verb::get : http::verb::post);
  out.target(request.target);
  out.version(11);
  out.set(http::field::host, server.address().to_string());
  for (const auto& [name, value] : request.headers) out.set(name, value);
  out.body() = request.body;
  out.prepare_payload();
  return out;
}

// One exchange. Owned by its own completion handlers until `done` has run.
class Exchange : public std::enable_shared_from_this<Exchange> {
 public:
  Exchange(boost::asio::io_context& io, std::function<void(const HttpAnswer&)> done)
      : stream_(io), done_(std::move(done)) {}

  void start(const boost::asio::ip::tcp::endpoint& server, const engine::HttpRequest& request,
             std::chrono::milliseconds timeout) {
    request_ = to_beast(server, request);
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

struct KeepAliveConnection::Open {
  explicit Open(boost::asio::io_context& io) : stream(io) {}
  beast::tcp_stream stream;
  beast::flat_buffer buffer;
};

KeepAliveConnection::KeepAliveConnection(const boost::asio::ip::tcp::endpoint& server,
                                         std::chrono::milliseconds timeout)
    : server_(server), timeout_(timeout) {}

KeepAliveConnection::~KeepAliveConnection() = default;

HttpAnswer KeepAliveConnection::exchange(const engine::HttpRequest& request) {
  // Asynchronous operations run to completion on the connection's own io_context: Beast
  // applies a stream's deadline to asynchronous operations only, and a blocking call on a
  // stalled server would wait for ever.
  beast::error_code failed;
  if (!open_) {
    auto fresh = std::make_unique<Open>(io_);
    fresh->stream.expires_after(timeout_);
    fresh->stream.async_connect(server_, [&failed](beast::error_code ec) { failed = ec; });
    io_.restart();
    io_.run();
    if (failed) return HttpAnswer{0, "connect: " + failed.message()};
    beast::error_code ignored;  // Nagle off is an optimisation: its failure is no failure
    fresh->stream.socket().set_option(boost::asio::ip::tcp::no_delay(true), ignored);
    open_ = std::move(fresh);
  }
  auto beast_request = to_beast(server_, request);
  beast_request.keep_alive(true);
  http::response<http::string_body> response;
  std::string step = "write";
  open_->stream.expires_after(timeout_);
  http::async_write(open_->stream, beast_request, [&](beast::error_code ec, size_t) {
    if (ec) {
      failed = ec;
      return;
    }
    step = "read";
    http::async_read(open_->stream, open_->buffer, response,
                     [&failed](beast::error_code read_ec, size_t) { failed = read_ec; });
  });
  io_.restart();
  io_.run();
  if (failed) {
    open_.reset();
    return HttpAnswer{0, step + ": " + failed.message()};
  }
  if (!response.keep_alive()) open_.reset();
  return HttpAnswer{static_cast<int>(response.result_int()), std::move(response.body())};
}

}  // namespace reckon::live
