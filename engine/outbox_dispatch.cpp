// The outbox dispatcher: delivers committed events to each merchant's webhook endpoint,
// at least once, retrying with exponential backoff until an answer in 2xx.
//
// INVARIANT: an event is marked delivered only after its endpoint answered 2xx; a timeout
// or any other status leaves it undelivered with a later next attempt. A crash between
// the 2xx and the mark (crash point during_outbox_delivery) resends it after restart under
// the same event id, which the merchant deduplicates on.
#include <algorithm>
#include <iterator>
#include <map>
#include <string>

#include "engine/check.h"
#include "engine/engine.h"
#include "engine/outbox.h"

namespace reckon::engine {
namespace {

int64_t retry_delay_us(const EngineConfig& config, int64_t attempts) {
  RECKON_CHECK(attempts >= 1, "a retry follows at least one attempt");
  int64_t delay_us = config.webhook_retry_base_us;
  for (int64_t i = 1; i < attempts && delay_us < config.webhook_retry_max_us; ++i) delay_us *= 2;
  return std::min(delay_us, config.webhook_retry_max_us);
}

// GCOVR_EXCL_START: planted defect only (ci/coverage.sh)
// Planted (event-to-another-merchant): the endpoint of the merchant after `merchant` in name
// order, wrapping around.
const std::string& planted_next_endpoint(const std::map<std::string, std::string>& endpoints,
                                         const std::string& merchant) {
  auto next = std::next(endpoints.find(merchant));
  return (next == endpoints.end() ? endpoints.begin() : next)->second;
}
// GCOVR_EXCL_STOP

}  // namespace

void PaymentEngine::dispatch_outbox() {
  RECKON_CHECK(ports_.webhooks != nullptr, "the dispatcher needs the webhooks port");
  const int64_t now_us = ports_.clock->now_us();
  // std::map: merchants in name order, so the sends (and a simulated trace) are ordered.
  for (const auto& [merchant, owner_endpoint] : config_.webhook_endpoints) {
    const bool planted_misroute = config_.planted.has(Defect::kEventToAnotherMerchant);  // planted
    const std::string& endpoint =
        planted_misroute ? planted_next_endpoint(config_.webhook_endpoints, merchant)  // planted
                         : owner_endpoint;
    auto due = due_outbox_events(*db_, merchant, now_us, config_.outbox_batch);
    if (config_.planted.has(Defect::kEventsNewestFirst)) {
      // GCOVR_EXCL_START: planted defect only (ci/coverage.sh)
      std::reverse(due.begin(), due.end());  // planted: newest first
      // GCOVR_EXCL_STOP
    }
    for (const auto& event : due) {
      if (!delivering_.insert(event.event_id).second) continue;  // already on its way
      const std::string id = event.event_id;
      const int64_t attempts = event.attempts + 1;
      ports_.webhooks->deliver(WebhookDelivery{endpoint, id, event.body},
                               [this, id, attempts](const WebhookReply& reply) {
                                 on_webhook_reply(id, attempts, reply);
                               });
    }
  }
}

void PaymentEngine::on_webhook_reply(const std::string& event_id, int64_t attempts,
                                     const WebhookReply& reply) {
  RECKON_CHECK(delivering_.count(event_id) == 1, "a reply answers an event being delivered");
  const bool acknowledged = config_.planted.has(Defect::kWebhookAnyAnswerDelivered)
                                ? reply.status != 0  // planted: any answer at all
                                : reply.status >= 200 && reply.status < 300;
  if (acknowledged) crash_point("during_outbox_delivery");
  delivering_.erase(event_id);
  const int64_t now_us = ports_.clock->now_us();
  const std::optional<int64_t> delivered_us =
      acknowledged ? std::optional<int64_t>(now_us) : std::nullopt;
  const int64_t next_attempt_us = config_.planted.has(Defect::kWebhookRetryNoBackoff)
                                      ? now_us  // planted: no backoff
                                      : now_us + retry_delay_us(config_, attempts);
  Status s = in_transaction(*db_, [&] {
    return record_outbox_attempt(*db_, event_id, attempts, delivered_us, next_attempt_us);
  });
  (void)s;  // not recorded: the event stays due and the next pass sends it again
}

void PaymentEngine::start_outbox_dispatcher() {
  if (dispatcher_started_ || ports_.webhooks == nullptr) return;
  dispatcher_started_ = true;
  run_periodically(config_.outbox_poll_interval_us, &PaymentEngine::dispatch_outbox);
}

int64_t PaymentEngine::undelivered_event_count() {
  int64_t n = 0;
  for (const auto& [merchant, endpoint] : config_.webhook_endpoints) {
    n += undelivered_outbox_count(*db_, merchant);
  }
  return n;
}

}  // namespace reckon::engine
