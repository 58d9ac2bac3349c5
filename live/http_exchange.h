#pragma once
// Reckon's HTTP client, in two shapes over one way of writing a request:
//  - http_exchange: one asynchronous exchange on its own connection with one deadline for
//    all of it, as the engine's outbound transports (PSP, webhooks) make them;
//  - KeepAliveConnection: blocking exchanges one after another on one kept-alive
//    connection, as a command-line client makes them (`reckon load`).
//
// INVARIANT: `done` runs exactly once, on the io_context: with the status and body of the
// answer, or with status 0 and what went wrong (connect, write, read, deadline), which the
// caller treats as ambiguous: the request may have been processed.

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "engine/http.h"

namespace reckon::live {

struct HttpAnswer {
  int status = 0;    // 0: no answer
  std::string body;  // the answer's body, or what went wrong
};

void http_exchange(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& server,
                   const engine::HttpRequest& request, std::chrono::milliseconds timeout,
                   std::function<void(const HttpAnswer&)> done);

// INVARIANT: after any failure (status 0) the connection is closed and the next exchange
// opens a new one, so a half-read answer never leaks into the next exchange.
class KeepAliveConnection {
 public:
  // `timeout` bounds the connect, and each exchange's write and read together: a server that
  // accepts and never answers is status 0 ("read: ...") once it has passed.
  KeepAliveConnection(const boost::asio::ip::tcp::endpoint& server,
                      std::chrono::milliseconds timeout);
  ~KeepAliveConnection();
  KeepAliveConnection(const KeepAliveConnection&) = delete;
  KeepAliveConnection& operator=(const KeepAliveConnection&) = delete;

  // The answer, or status 0 and what went wrong (the request may have been processed).
  HttpAnswer exchange(const engine::HttpRequest& request);

 private:
  struct Open;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::endpoint server_;
  std::chrono::milliseconds timeout_;
  std::unique_ptr<Open> open_;  // nullptr: no connection yet, or the last one failed
};

}  // namespace reckon::live
