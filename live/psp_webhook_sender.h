#pragma once
// psp-sim's webhooks in live mode: when the PSP first processes a request under a key it
// had not seen, with a definitive outcome, it notifies the engine with a signed POST
// (engine/psp_webhook.h) over real HTTP, resending on any non-2xx or no answer with
// backoff, for a bounded number of deliveries: the live twin of sim/psp_webhook_sender.h
// (same event ids, same body, same backoff), without its faults.
//
// The notice goes out whether or not the PSP's own answer does: a withheld answer
// (psp-sim --timeout) is exactly the case a webhook exists for.
//
// INVARIANT: one event per key, signed once; every delivery of it sends the same bytes.
// Deliveries of one event are sequential: the next leaves only after the previous one is
// answered or timed out. The secret is never logged.

#include <chrono>
#include <cstdint>
#include <memory>
#include <set>
#include <string>

#include <boost/asio/io_context.hpp>

#include "engine/http.h"
#include "engine/psp.h"
#include "engine/psp_webhook.h"
#include "live/json_log.h"
#include "live/webhook_http_client.h"
#include "oracle/psp_webhook_retry.h"

namespace reckon::live {

struct PspWebhookSenderConfig {
  WebhookUrl url;      // the engine's POST /v1/psp/webhooks
  std::string secret;  // shared with the engine (serve --psp-webhook-secret-file)
  std::chrono::milliseconds timeout{2000};  // deadline of one delivery
  oracle::PspWebhookRetryPolicy retry;
};

class PspWebhookSender {
 public:
  // REQUIRES: config.secret is not empty.
  PspWebhookSender(boost::asio::io_context& io, PspWebhookSenderConfig config, JsonLog& log);

  // The PSP processed `request` (any operation) and decided `reply`. Notifies the engine
  // when the key is new to the PSP, the operation is not a lookup, and the outcome is
  // definitive (succeeded, declined, failed).
  void processed(const engine::PspRequest& request, const engine::PspReply& reply);

 private:
  struct Event {
    std::string id;
    engine::HttpRequest http;
    int deliveries = 0;
  };

  void deliver(std::shared_ptr<Event> event);
  void answered(std::shared_ptr<Event> event, int status, const std::string& body);

  boost::asio::io_context& io_;
  PspWebhookSenderConfig config_;
  JsonLog& log_;
  std::set<std::string> seen_keys_;  // every key the PSP processed, whatever the outcome
  uint64_t next_event_ = 1;
};

}  // namespace reckon::live
