#pragma once
// One HTTP/1.1 exchange on its own connection with one deadline for all of it, as the
// engine's outbound transports (PSP, webhooks) make them.
//
// INVARIANT: `done` runs exactly once, on the io_context: with the status and body of the
// answer, or with status 0 and what went wrong (connect, write, read, deadline), which the
// caller treats as ambiguous: the request may have been processed.

#include <chrono>
#include <functional>
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

}  // namespace reckon::live
