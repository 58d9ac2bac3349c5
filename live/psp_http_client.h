#pragma once
// The engine's PSP transport in live mode: each call is one HTTP/1.1 exchange in the
// provider dialect (engine/psp_wire.h) on its own connection, with a deadline. A request
// leaves only after the commit that decided it is durable (GroupCommit).
//
// INVARIANT: `done` runs exactly once, on the io_context. A connect failure, a reset, a
// deadline or an unreadable reply is Ambiguous: the request may have been processed.

#include <chrono>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "engine/ports.h"
#include "live/group_commit.h"

namespace reckon::live {

class HttpPspTransport final : public engine::PspTransport {
 public:
  HttpPspTransport(boost::asio::io_context& io, boost::asio::ip::tcp::endpoint psp,
                   std::chrono::milliseconds timeout, GroupCommit& durability)
      : io_(io), psp_(psp), timeout_(timeout), durability_(durability) {}

  void call(const engine::PspRequest& request,
            std::function<void(const engine::PspReply&)> done) override;

 private:
  boost::asio::io_context& io_;
  boost::asio::ip::tcp::endpoint psp_;
  std::chrono::milliseconds timeout_;
  GroupCommit& durability_;
};

}  // namespace reckon::live
