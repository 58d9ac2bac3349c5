#pragma once
// A small HTTP/1.1 server on Boost.Beast for the live services (`reckon serve`,
// `reckon psp-sim`). It turns each request into an engine::HttpRequest (header names
// lower-cased), hands it to the service's handler, and writes the answer back; connections
// are kept alive. Single-threaded: everything runs on the io_context's thread, which is
// what the engine requires.
//
// Limits enforced before the handler sees anything: 8 KiB of headers, 64 KiB of body,
// 30 s to receive a request; violations get a JSON error (400/413) and the connection
// closes.
//
// With a TLS context (live/tls_context.h) every connection is HTTPS only: the TLS handshake
// must finish within 10 s or the connection closes, and then the same request handling runs
// over the encrypted stream (one Session template, two stream types).

#include <cstdint>
#include <functional>
#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "engine/http.h"
#include "live/json_log.h"

namespace boost::asio::ssl {
class context;
}

namespace reckon::live {

// A response with this status is never written: the connection is closed instead (how
// psp-sim models an answer that never arrives).
inline constexpr int kCloseWithoutAnswer = 0;

using Reply = std::function<void(const engine::HttpResponse&)>;
// Must call `reply` exactly once, now or later, on the io_context's thread.
using Handler = std::function<void(const engine::HttpRequest&, Reply reply)>;

class HttpServer {
 public:
  // `tls` null: plain HTTP.
  HttpServer(boost::asio::io_context& io, Handler handler, JsonLog& log,
             std::shared_ptr<boost::asio::ssl::context> tls = nullptr);
  ~HttpServer();

  bool listen(const boost::asio::ip::tcp::endpoint& endpoint, std::string& error);
  uint16_t port() const;
  // Stops accepting; connections finish the request they are serving, then close.
  void stop_accepting();
  // Requests received and not yet answered.
  size_t requests_in_flight() const { return *in_flight_; }

 private:
  void accept_next();

  boost::asio::io_context& io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  Handler handler_;
  JsonLog& log_;
  std::shared_ptr<boost::asio::ssl::context> tls_;
  std::shared_ptr<size_t> in_flight_ = std::make_shared<size_t>(0);
  std::shared_ptr<bool> stopping_ = std::make_shared<bool>(false);
};

}  // namespace reckon::live
