#pragma once
// An external PSP adapter between the simulated engine and the simulated provider
// (`reckon run|sweep --adapter CMD`, docs/adapters.md "Inside the simulation"). Each engine
// PSP call becomes one `operation` of protocol v1; every `http` request the adapter asks for
// crosses the world's network from the engine's node to the provider's front door, where the
// fault plan applies as it does to the engine's own calls; `wait` and `timeout_ms` pass in the
// world's virtual time; the `result` is the engine's reply. The protocol is turn by turn, so
// calls the engine makes while one is in progress queue behind it, in order.
//
// The adapter is part of the engine's process: when the engine crashes, the operation in
// progress and the queue are abandoned, and the adapter is killed and started again (hello,
// the same capabilities, reset with the run's seed) before its next operation.

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/link.h"
#include "adapters/protocol.h"
#include "engine/http.h"
#include "sim/psp_route.h"

namespace reckon::adapters {

class AdapterRoute : public sim::PspRoute {
 public:
  // `link` speaks to an adapter that declared `caps` in its handshake; the route resets it
  // with the world's seed. Throws AdapterError.
  AdapterRoute(std::unique_ptr<AdapterLink> link, Capabilities caps,
               const sim::PspRouteWorld& world);

  void carry(const engine::PspRequest& request, Done done) override;
  void engine_restarted() override;
  // The first card token the engine handed the adapter (in the order it did), else the first
  // card number, found in everything the adapter wrote to stderr and in its results' text.
  std::string log_problem() override;

 private:
  struct Call {
    engine::PspRequest request;
    Done done;
  };

  void start_next();
  void restart_adapter();
  void reset_adapter();
  nlohmann::json talk(const nlohmann::json& message);
  // The adapter's message for the operation in progress: carried out, or its result taken.
  void handle(const nlohmann::json& answer);
  void send_http(const MessageReader& m);
  void answer_http(const engine::HttpResponse& response, uint64_t exchange);
  void finish(const engine::PspReply& reply);
  static void keep(std::string& into, const std::string& text);
  std::string describe() const;

  std::unique_ptr<AdapterLink> link_;
  Capabilities caps_;
  sim::PspRouteWorld world_;
  std::deque<Call> waiting_;
  std::optional<Call> current_;
  std::string current_id_;
  uint64_t next_op_ = 1;
  int messages_ = 0;         // the adapter's messages for the operation in progress
  uint64_t generation_ = 0;  // bumped when the engine restarts: older events are stale
  uint64_t exchanges_sent_ = 0;
  uint64_t exchange_ = 0;            // the http request the adapter waits on (0: none)
  bool restart_due_ = false;         // the engine restarted since the adapter was last started
  bool starting_ = false;            // start_next is already scheduled
  std::vector<std::string> tokens_;  // the card tokens of the calls carried, first seen first
  std::set<std::string> keys_;       // their PSP idempotency keys (not card numbers)
  std::string stderr_;               // what the adapter wrote to stderr (bounded)
  std::string results_;  // its stdout messages, one per line, requests without headers and
                         // body (message_beyond_the_request; bounded)
};

// Builds a route per run: starts `command` (docs/adapters.md, "The out-of-process protocol"),
// reads its hello, and hands it to an AdapterRoute. Throws AdapterError when the adapter
// cannot be started or its handshake is wrong.
sim::PspRouteFactory adapter_route_factory(std::string command, int reply_timeout_ms,
                                           int start_timeout_ms);
// The same with adapter-check's default wall-clock limits: 10 s per answer, 30 s for the
// handshake.
inline constexpr int kDefaultReplyTimeoutMs = 10'000;
inline constexpr int kDefaultStartTimeoutMs = 30'000;
inline sim::PspRouteFactory adapter_route_factory(std::string command) {
  return adapter_route_factory(std::move(command), kDefaultReplyTimeoutMs, kDefaultStartTimeoutMs);
}

}  // namespace reckon::adapters
