#pragma once
// The simulated PSP's front door: where a request that crossed the network meets the PSP.
// Here the PSP misbehaves as the fault plan says (5xx before or after processing, slow
// answers, lookups that lag behind writes), every misbehaviour a recorded decision; then
// the answer goes back over the network.

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "engine/http.h"
#include "engine/psp.h"
#include "sim/event_queue.h"
#include "sim/fault_injector.h"
#include "sim/psp_node.h"
#include "sim/trace.h"

namespace reckon::sim {

class PspEndpoint {
 public:
  using Reply = std::function<void(const engine::PspReply&)>;

  PspEndpoint(EventQueue& queue, Trace& trace, FaultInjector& faults, PspNode& psp,
              std::function<void()> after_processed)
      : queue_(queue),
        trace_(trace),
        faults_(faults),
        psp_(psp),
        after_processed_(std::move(after_processed)) {}

  // A request arrived; `reply` sends the answer back (it may be called later, or, for a
  // request rejected before processing, with an ambiguous 5xx).
  void receive(const engine::PspRequest& request, const std::string& what, Reply reply);
  // The same over HTTP: the request as the engine's codec wrote it, read by the provider's
  // own (sim/psp_dialect.h); the answer is the reply as the provider writes it, with the
  // reply it stands for (for the trace). An unreadable request is answered 400 and recorded
  // as inadmissible.
  using HttpReply =
      std::function<void(const engine::PspReply& reply, const engine::HttpResponse& http)>;
  void receive_http(const engine::HttpRequest& http, const std::string& what, HttpReply reply);
  // Called when the PSP finishes an operation under a key it had not seen (the webhook
  // sender listens here); repeats of a key and lookups are not new operations.
  using NewOperation =
      std::function<void(const engine::PspRequest& request, const engine::PspReply& reply)>;
  void on_new_operation(NewOperation listener) { on_new_operation_ = std::move(listener); }
  // When the PSP first processed a request with this key (nullopt: never).
  std::optional<TimeUs> first_processed_us(const std::string& key) const {
    auto it = first_processed_us_.find(key);
    if (it == first_processed_us_.end()) return std::nullopt;
    return it->second;
  }

 private:
  engine::PspReply answer(const engine::PspRequest& request, const std::string& what);

  EventQueue& queue_;
  Trace& trace_;
  FaultInjector& faults_;
  PspNode& psp_;
  std::function<void()> after_processed_;
  NewOperation on_new_operation_;
  // When the PSP first processed each key; lookups lag behind this by lookup_lag_us.
  std::map<std::string, TimeUs> first_processed_us_;
};

}  // namespace reckon::sim
