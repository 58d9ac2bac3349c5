#pragma once
// One seed of adapter-check: a fresh simulated world (event queue, network, the PSP's front
// door and the PSP itself) and the adapter, reset for the seed. Operations go to the
// adapter; every HTTP request it asks for crosses the simulated network to the simulated
// PSP in the provider dialect (docs/psp-dialect.md) and the answer, or a timeout at the
// adapter's deadline in virtual time, comes back. Faults are the plan's, each a recorded
// decision of the FaultInjector, so one seed always gives the same run.

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/link.h"
#include "adapters/protocol.h"
#include "engine/http.h"
#include "engine/psp.h"
#include "faults/fault_plan.h"
#include "sim/event_queue.h"
#include "sim/fault_injector.h"
#include "sim/network.h"
#include "sim/psp_endpoint.h"
#include "sim/psp_node.h"
#include "sim/trace.h"

namespace reckon::adapters {

// One HTTP request the adapter sent, as the harness saw it.
struct Exchange {
  std::string method;
  std::string path;
  std::string psp_key;                        // the PSP-Idempotency-Key header ('' if none)
  std::optional<engine::PspRequest> request;  // decoded in the dialect, or nullopt
  std::string decode_error;                   // why it does not decode ('' if it does)
  bool timed_out = false;
  int status = 0;       // when answered
  int64_t sent_us = 0;  // virtual time the adapter sent it
};

// One operation, start to result.
struct OpRun {
  std::string id;
  std::string op;
  nlohmann::json operation;
  std::vector<Exchange> exchanges;
  nlohmann::json result;  // the adapter's result message
  std::string outcome;
  std::string describe() const { return id + " (" + op + ")"; }
  // The result's field, or '' / fallback when absent.
  std::string text(const char* field) const;
  int64_t integer(const char* field, int64_t fallback) const;
};

// The plan every behaviour starts from: no faults, 1-5 ms latency, no declines.
faults::FaultPlan quiet_adapter_plan();

class Session {
 public:
  // Resets the adapter for `seed`. Throws AdapterError.
  Session(AdapterLink& link, const Capabilities& caps, uint64_t seed,
          const faults::FaultPlan& plan);
  // With an on_end watcher: reads what the adapter wrote to stderr until now and tells it.
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Called once as the session ends, with everything it kept (its stderr, results, keys):
  // adapter-check judges every behaviour's logs this way, not only the hygiene behaviour's.
  void on_end(std::function<void(const Session&)> watcher) { on_end_ = std::move(watcher); }

  // Sends one operation ("type" and "id" are added) and carries the adapter's requests
  // until its result. Throws AdapterError when the adapter breaks the protocol.
  // `crash_after_first_request`: the adapter's first request is carried to the provider,
  // then the adapter is restarted (restart_adapter) before it reads the answer and the
  // operation is sent again to the new process; the run returned is the second one, with
  // the first request's exchange first in `exchanges`.
  OpRun run(nlohmann::json operation, bool crash_after_first_request = false);
  // Lets virtual time pass (late answers, duplicates and lookup lag play out).
  void advance_ms(int64_t ms);
  // The provider's front door answers the next requests of operations (not lookups or
  // settlement reports) with these statuses, in order, then serves normally again
  // (docs/psp-dialect.md): 409 a request with this key is in progress (not processed), 429
  // rate limited with Retry-After: 1 (not processed), 202 accepted and still processing
  // (processed; the outcome is found by lookup), 200 the provider's normal answer, only
  // 1.5 s late (its slowest documented time), or kGarbledAnswer + k (k < sim::kGarbleKinds):
  // processed, and the normal answer's body garbled the k-th way of sim/psp_dialect.h (its
  // status kept), an answer docs/psp-dialect.md calls unreadable; or kJustBeforeDeadline /
  // kJustAfterDeadline: processed, and the normal answer arrives 1 ms before / 1 ms after
  // the deadline the adapter gave that request (its `timeout_ms`).
  static constexpr int kGarbledAnswer = 1000;
  static constexpr int kJustBeforeDeadline = 2001;
  static constexpr int kJustAfterDeadline = 2002;
  void script_front_door(std::vector<int> statuses);
  // The same for the next lookups: kGarbledAnswer + k only (the lookup's answer, garbled).
  void script_lookups(std::vector<int> statuses);

  // Kills the adapter process as a crash would and starts it again: hello (the same
  // capabilities, or an AdapterError), then reset with this session's seed. Virtual time,
  // the network and the PSP go on; whatever the adapter kept in memory is gone.
  void restart_adapter();

  // Set-up done at the PSP directly, without the adapter or faults: an authorization
  // (captured if `capture`), its charge id ('' when declined).
  std::string direct(const engine::PspRequest& request);
  std::string direct_authorize(int64_t amount_minor, const std::string& currency, bool capture);

  std::string new_key();
  std::string new_token();
  // Every card token this session handed out (in operations or set-up at the PSP).
  const std::vector<std::string>& tokens() const { return tokens_; }
  // What the adapter wrote to stderr during this session's operations (at most 4 MiB).
  const std::string& adapter_log() const { return adapter_log_; }
  // Every message the adapter wrote on stdout in this session but the handshake, one JSON
  // line each: results whole, the others without a request's headers and body
  // (message_beyond_the_request); at most 4 MiB.
  const std::string& results_log() const { return results_log_; }
  // Every idempotency key the session handed the adapter and every provider key the adapter
  // sent: identifiers, which docs/adapters.md lets an adapter log (never card numbers).
  std::vector<std::string> identifiers() const { return {keys_.begin(), keys_.end()}; }
  uint64_t seed() const { return seed_; }
  const Capabilities& caps() const { return caps_; }
  const sim::PspNode& psp() const { return psp_; }
  // Every message the adapter wrote in this session, as parsed and dumped: the transcript
  // two runs of one seed must share.
  const std::vector<std::string>& transcript() const { return transcript_; }
  // Off: the transcript is not kept (long benchmark sessions).
  void keep_transcript(bool keep) { keep_transcript_ = keep; }

 private:
  nlohmann::json talk(const nlohmann::json& message, const std::string& waiting_for);
  Exchange carry(const MessageReader& m, const OpRun& op);
  void deliver_to_psp(const engine::HttpRequest& http, const std::string& what, uint64_t exchange);
  void answer_adapter(const engine::HttpResponse& response, const std::string& what,
                      uint64_t exchange, std::string retry_after = "");
  void scripted_answer(int status, const engine::PspRequest& request, const std::string& what,
                       uint64_t exchange);
  engine::HttpResponse settlement_report(const std::string& date) const;
  void keep_adapter_log();
  void reset_adapter();
  std::string draw_key();

  AdapterLink& link_;
  Capabilities caps_;
  uint64_t seed_;
  sim::EventQueue queue_;
  sim::Trace trace_{false};
  sim::FaultInjector faults_;
  sim::PspNode psp_;
  sim::PspEndpoint endpoint_;
  sim::Network network_;
  uint64_t next_op_ = 1;
  uint64_t next_key_ = 1;
  uint64_t exchange_counter_ = 0;
  // The exchange the adapter waits on, and its answer once it came.
  uint64_t open_exchange_ = 0;
  int64_t open_exchange_deadline_us_ = 0;  // when the adapter gives up on it
  bool resolved_ = false;
  bool timed_out_ = false;
  engine::HttpResponse response_;
  std::string response_retry_after_;   // the answer's Retry-After header ('' if none)
  std::vector<int> scripted_;          // front-door answers still to give, first first
  std::vector<int> scripted_lookups_;  // the same for lookups
  std::vector<std::string> transcript_;
  std::vector<std::string> tokens_;
  std::string adapter_log_;
  std::string results_log_;
  std::set<std::string> keys_;
  std::function<void(const Session&)> on_end_;
  bool keep_transcript_ = true;
};

}  // namespace reckon::adapters
