#pragma once
// The simulated PSP's webhooks: when the PSP first finishes an operation it notifies the
// engine with a signed POST (engine/psp_webhook.h) over the simulated network, so loss,
// duplication, latency and engine-psp partitions reach webhooks like any message. Like a
// real provider it resends until a 2xx, with backoff, for a bounded number of attempts.
//
// Faults, each a recorded decision on the event id: psp_webhook_duplicate sends the first
// delivery twice at once; psp_webhook_late holds the first delivery back, so it can arrive
// after the engine has booked the operation, or after notices of later operations;
// psp_webhook_forged sends a forged copy first (sim/psp_notice_forgery.h), whose answer must
// be the refusal docs/psp-dialect.md names (property forged-webhook-refused).
//
// INVARIANT: one event per operation key, its id fixed, whatever the number of deliveries.

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "engine/http.h"
#include "engine/psp.h"
#include "oracle/psp_webhook_retry.h"
#include "sim/event_queue.h"
#include "sim/fault_injector.h"
#include "sim/network.h"
#include "sim/psp_notice_answer_check.h"
#include "sim/trace.h"

namespace reckon::sim {

class EngineNode;

struct PspWebhookSenderConfig {
  std::string secret;             // shared with the engine (EngineConfig)
  TimeUs first_delay_us = 2'000;  // the PSP's own queue before the first delivery
  TimeUs timeout_us = 250'000;    // the PSP's patience per delivery
  oracle::PspWebhookRetryPolicy retry;
  uint64_t run_seed = 0;  // draws the stranger notice's key (stream "psp-stranger-notice")
};

struct PspWebhookStats {
  uint64_t events = 0;
  uint64_t deliveries = 0;    // POSTs sent, duplicates and retries included
  uint64_t acknowledged = 0;  // events that got a 2xx
  uint64_t abandoned = 0;     // events the PSP gave up on
  // Acknowledged deliveries by the engine's disposition: applied, already_final,
  // unknown_operation, mismatch. Every delivery counts, duplicates included.
  std::map<std::string, uint64_t> dispositions;
};

class PspWebhookSender {
 public:
  PspWebhookSender(PspWebhookSenderConfig config, EventQueue& queue, Trace& trace, Network& network,
                   FaultInjector& faults, EngineNode& engine);

  // The PSP finished `request` for the first time with a definitive `reply`.
  void operation_finished(const engine::PspRequest& request, const engine::PspReply& reply);

  const PspWebhookStats& stats() const { return stats_; }
  // Told of every 4xx answer to a notice: the PSP signed and formed it as docs/psp-dialect.md
  // says, so the engine has no ground to refuse it (property psp-webhook-accepted).
  void on_refusal(std::function<void(const std::string& event_id, const std::string& detail)> fn) {
    on_refusal_ = std::move(fn);
  }
  // Told of every 2xx answer to a genuine notice, as the engine gives it (before the network
  // carries it back), with what the notice said and the disposition the engine claimed.
  void on_acknowledged(
      std::function<void(const NoticeFacts& notice, const std::string& disposition)> fn) {
    on_acknowledged_ = std::move(fn);
  }
  // Told of every answer to a forged notice other than its documented refusal (or a 503).
  void on_forgery_not_refused(
      std::function<void(const std::string& event_id, const std::string& detail)> fn) {
    on_forgery_not_refused_ = std::move(fn);
  }

 private:
  struct Event {
    std::string id;
    engine::HttpRequest http;  // signed once; every delivery sends these bytes
    NoticeFacts facts;         // what the notice says
    int attempt = 0;
    bool acknowledged = false;
    uint64_t awaiting = 0;  // the delivery whose answer (or timeout) decides a retry
  };

  // A numbered, signed notice of `request`'s outcome, kept until acknowledged.
  Event& new_event(const engine::PspRequest& request, const engine::PspReply& reply);
  // One POST of `event_id`; `retries` false for a fault's extra copy.
  void deliver(const std::string& event_id, bool retries);
  void answered(const std::string& event_id, uint64_t delivery,
                const engine::HttpResponse& response);
  void retry_later(Event& event);
  // Sends forgery `kind` of the event's notice once, and judges its answer.
  void deliver_forgery(const std::string& event_id, int kind);

  PspWebhookSenderConfig config_;
  EventQueue& queue_;
  Trace& trace_;
  Network& network_;
  FaultInjector& faults_;
  EngineNode& engine_;
  // Once per run, with the first operation: a notice about an operation someone else made on
  // the PSP account (its dashboard, another system), under a key the engine never sent, as
  // long as docs/psp-dialect.md allows (1, 128 or between). The engine must take it: 200
  // `unknown_operation`, never a refusal.
  void send_stranger_notice();
  bool stranger_sent_ = false;
  // Once per run, with the first authorization, capture or refund: a signed notice under its
  // key whose amount is one minor unit more (a PSP reporting another operation under the
  // key). docs/psp-dialect.md: 200 `mismatch` and nothing booked (`already_final` once the
  // operation is booked), never `applied`.
  void send_mismatched_notice(const engine::PspRequest& request, const engine::PspReply& reply);
  bool mismatch_sent_ = false;
  uint64_t next_event_ = 1;
  uint64_t next_delivery_ = 1;
  std::map<std::string, Event> events_;
  PspWebhookStats stats_;
  std::function<void(const std::string&, const std::string&)> on_refusal_;
  std::function<void(const std::string&, const std::string&)> on_forgery_not_refused_;
  std::function<void(const NoticeFacts&, const std::string&)> on_acknowledged_;
};

}  // namespace reckon::sim
