#include "live/http_server.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "live/request_framing.h"

namespace reckon::live {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = boost::asio::ip::tcp;

constexpr size_t kHeaderLimit = 8 * 1024;
constexpr size_t kBodyLimit = 64 * 1024;
constexpr auto kReadTimeout = std::chrono::seconds(30);
// A client that opens a connection and never finishes the TLS handshake loses it after this.
constexpr auto kHandshakeTimeout = std::chrono::seconds(10);
// How long a TLS close (close_notify both ways) may take before the socket is just closed.
constexpr auto kTlsShutdownTimeout = std::chrono::seconds(2);

using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string path_only(std::string_view target) {
  return std::string(target.substr(0, target.find('?')));
}

// One HTTP connection. `Stream` is PlainStream or TlsStream; the request handling is the
// same for both, and only starting (the handshake) and closing differ.
template <class Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

 public:
  // `stream_args`: what the stream needs besides the socket (the TLS context).
  template <class... StreamArgs>
  Session(const Handler& handler, JsonLog& log, std::shared_ptr<size_t> in_flight,
          std::shared_ptr<bool> stopping, tcp::socket socket, StreamArgs&... stream_args)
      : stream_(std::move(socket), stream_args...),
        handler_(handler),
        log_(log),
        in_flight_(std::move(in_flight)),
        stopping_(std::move(stopping)) {}

  void start() {
    if constexpr (kTls) {
      beast::get_lowest_layer(stream_).expires_after(kHandshakeTimeout);
      stream_.async_handshake(
          boost::asio::ssl::stream_base::server,
          [self = this->shared_from_this()](beast::error_code ec) {
            if (ec) {
              // Plain HTTP to this port, an old TLS version, a silent
              // client: nothing was requested, so nothing is answered.
              self->log_.warn("tls_handshake_failed", {{"error", ec.message()}});
              return self->close_socket();
            }
            self->handshake_done_ = true;
            self->read_next();
          });
    } else {
      read_next();
    }
  }

 private:
  void read_next() {
    if (*stopping_) return close();
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    parser_->body_limit(kBodyLimit);
    beast::get_lowest_layer(stream_).expires_after(kReadTimeout);
    http::async_read(
        stream_, buffer_, *parser_,
        [self = this->shared_from_this()](beast::error_code ec, size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == boost::asio::error::operation_aborted || ec == boost::asio::error::connection_reset ||
        ec == boost::asio::ssl::error::stream_truncated) {
      return close();
    }
    if (ec == http::error::body_limit) {
      return write_error(413, "body_too_large", "request body exceeds 65536 bytes");
    }
    if (ec == http::error::header_limit) {
      return write_error(431, "headers_too_large", "request headers exceed 8192 bytes");
    }
    if (ec) return write_error(400, "malformed_http", "malformed HTTP request: " + ec.message());
    const auto& message = parser_->get();
    std::vector<std::pair<std::string, std::string>> fields;
    for (const auto& field : message) {
      fields.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    if (auto refusal = refuse_header_block(fields)) {
      return write_error(refusal->status, refusal->code, refusal->message);  // and close
    }
    engine::HttpRequest request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    for (const auto& [name, value] : fields) request.headers[lower(name)] = value;
    request.body = message.body();
    keep_alive_ = message.keep_alive();
    beast::get_lowest_layer(stream_)
        .expires_never();  // the handler may take a while (PSP call); no read deadline
    ++*in_flight_;
    const auto started = std::chrono::steady_clock::now();
    auto self = this->shared_from_this();
    handler_(request, [self, started, method = request.method,
                       path = loggable_path(path_only(request.target))](
                          const engine::HttpResponse& response) {
      --*self->in_flight_;
      const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                              std::chrono::steady_clock::now() - started)
                              .count();
      self->log_.info("request", {{"method", method},
                                  {"path", path},
                                  {"status", response.status},
                                  {"duration_us", micros}});
      if (response.status == kCloseWithoutAnswer) return self->close();
      self->write(response);
    });
  }

  void write_error(int status, std::string_view code, const std::string& message) {
    keep_alive_ = false;
    log_.warn("bad_request", {{"status", status}, {"code", code}});
    write(engine::error_response(status, code, message));
  }

  void write(const engine::HttpResponse& response) {
    auto out = std::make_shared<http::response<http::string_body>>();
    out->result(static_cast<unsigned>(response.status));
    out->version(11);
    out->set(http::field::content_type, "application/json");
    // RFC 9110 §11.6.1: a 401 names the scheme that would be accepted.
    if (response.status == 401) out->set(http::field::www_authenticate, "Bearer realm=\"reckon\"");
    // RFC 6585 §4: a 429 may say when to come back. The only 429s served are psp-sim's rate
    // limits, which hold for no longer than a second (docs/psp-dialect.md).
    if (response.status == 429) out->set(http::field::retry_after, "1");
    out->keep_alive(keep_alive_ && !*stopping_);
    out->body() = response.body;
    out->prepare_payload();
    http::async_write(stream_, *out,
                      [self = this->shared_from_this(), out](beast::error_code ec, size_t) {
                        if (ec || !out->keep_alive()) return self->close();
                        self->read_next();
                      });
  }

  // TLS: send close_notify (bounded by a deadline), then close the socket.
  void close() {
    if constexpr (kTls) {
      if (handshake_done_) {
        handshake_done_ = false;  // close once
        beast::get_lowest_layer(stream_).expires_after(kTlsShutdownTimeout);
        stream_.async_shutdown(
            [self = this->shared_from_this()](beast::error_code) { self->close_socket(); });
        return;
      }
    }
    close_socket();
  }

  void close_socket() {
    auto& socket = beast::get_lowest_layer(stream_).socket();
    beast::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
  }

  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  const Handler& handler_;
  JsonLog& log_;
  std::shared_ptr<size_t> in_flight_;
  std::shared_ptr<bool> stopping_;
  bool keep_alive_ = true;
  bool handshake_done_ = false;  // TLS only: whether close() owes the peer a close_notify
};

}  // namespace

HttpServer::HttpServer(boost::asio::io_context& io, Handler handler, JsonLog& log,
                       std::shared_ptr<boost::asio::ssl::context> tls)
    : io_(io), acceptor_(io), handler_(std::move(handler)), log_(log), tls_(std::move(tls)) {}

HttpServer::~HttpServer() {
  *stopping_ = true;
}

bool HttpServer::listen(const tcp::endpoint& endpoint, std::string& error) {
  beast::error_code ec;
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(boost::asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(boost::asio::socket_base::max_listen_connections, ec);
  if (ec) {
    error = "cannot listen on " + endpoint.address().to_string() + ":" +
            std::to_string(endpoint.port()) + ": " + ec.message();
    return false;
  }
  accept_next();
  return true;
}

uint16_t HttpServer::port() const {
  return acceptor_.local_endpoint().port();
}

void HttpServer::stop_accepting() {
  *stopping_ = true;
  beast::error_code ignored;
  acceptor_.close(ignored);
}

void HttpServer::accept_next() {
  acceptor_.async_accept(io_, [this](beast::error_code ec, tcp::socket socket) {
    if (ec == boost::asio::error::operation_aborted || *stopping_) return;
    if (ec) {  // e.g. out of descriptors: keep serving the others
      log_.warn("accept_failed", {{"error", ec.message()}});
      return accept_next();
    }
    beast::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    if (tls_) {
      std::make_shared<Session<TlsStream>>(handler_, log_, in_flight_, stopping_, std::move(socket),
                                           *tls_)
          ->start();
    } else {
      std::make_shared<Session<PlainStream>>(handler_, log_, in_flight_, stopping_,
                                             std::move(socket))
          ->start();
    }
    accept_next();
  });
}

}  // namespace reckon::live
