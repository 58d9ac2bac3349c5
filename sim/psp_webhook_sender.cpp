#include "sim/psp_webhook_sender.h"

#include <algorithm>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "engine/check.h"
#include "sim/engine_node.h"
#include "sim/error_body.h"
#include "sim/prng.h"
#include "sim/psp_dialect.h"
#include "sim/psp_notice.h"
#include "sim/psp_notice_forgery.h"

namespace reckon::sim {

PspWebhookSender::PspWebhookSender(PspWebhookSenderConfig config, EventQueue& queue, Trace& trace,
                                   Network& network, FaultInjector& faults, EngineNode& engine)
    : config_(std::move(config)),
      queue_(queue),
      trace_(trace),
      network_(network),
      faults_(faults),
      engine_(engine) {
  RECKON_CHECK(!config_.secret.empty(), "PSP webhooks are signed with a shared secret");
}

PspWebhookSender::Event& PspWebhookSender::new_event(const engine::PspRequest& request,
                                                     const engine::PspReply& reply) {
  const std::string id = "pspevt_" + std::to_string(next_event_++);
  ++stats_.events;
  Event& e = events_[id];
  e.id = id;
  e.http = signed_psp_notice(id, request, reply, config_.secret);
  e.facts = NoticeFacts{id, request.idempotency_key, std::string(dialect_name(reply.outcome)),
                        std::string(dialect_name(request.op)), request.amount_minor};
  return e;
}

void PspWebhookSender::operation_finished(const engine::PspRequest& request,
                                          const engine::PspReply& reply) {
  Event& e = new_event(request, reply);
  const TimeUs late_us = faults_.psp_webhook_late_us(e.id);
  const bool twice = faults_.psp_webhook_duplicate(e.id);
  const std::optional<int> forgery = faults_.psp_webhook_forgery(e.id, forgery_count());
  queue_.schedule_after(config_.first_delay_us + late_us, [this, id = e.id, twice, forgery] {
    if (forgery) deliver_forgery(id, *forgery);
    if (twice) deliver(id, /*retries=*/false);
    deliver(id, /*retries=*/true);
  });
  if (!std::exchange(stranger_sent_, true)) send_stranger_notice();
  if (request.op != engine::PspOp::kVoid && !std::exchange(mismatch_sent_, true)) {
    send_mismatched_notice(request, reply);
  }
}

void PspWebhookSender::send_mismatched_notice(const engine::PspRequest& request,
                                              const engine::PspReply& reply) {
  engine::PspRequest other = request;
  other.amount_minor = request.amount_minor + 1;
  engine::PspReply claimed = reply;
  claimed.amount_minor = other.amount_minor;
  Event& e = new_event(other, claimed);
  trace_.record(queue_.now_us(), "psp", "psp_mismatched_notice",
                e.id + " key=" + other.idempotency_key);
  queue_.schedule_after(config_.first_delay_us,
                        [this, id = e.id] { deliver(id, /*retries=*/true); });
}

void PspWebhookSender::send_stranger_notice() {
  // docs/psp-dialect.md: PSP-Idempotency-Key is 1-128 of [A-Za-z0-9_.-].
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-";
  PrngStream stream(config_.run_seed, "psp-stranger-notice");
  const uint64_t shape = stream.below(3);
  const auto length = shape == 0 ? 128 : shape == 1 ? 1 : stream.between(2, 127);
  engine::PspRequest request;
  request.op = engine::PspOp::kCapture;
  request.amount_minor = 1250;
  request.currency = "USD";
  request.psp_charge_id = "psp_elsewhere";
  while (request.idempotency_key.size() < static_cast<size_t>(length)) {
    request.idempotency_key += kAlphabet[stream.below(kAlphabet.size())];
  }
  engine::PspReply reply;
  reply.outcome = engine::PspOutcome::kSucceeded;
  reply.psp_charge_id = request.psp_charge_id;
  reply.state = engine::PspChargeState::kCaptured;
  reply.amount_minor = request.amount_minor;
  Event& e = new_event(request, reply);
  trace_.record(queue_.now_us(), "psp", "psp_stranger_notice",
                e.id + " key_length=" + std::to_string(length));
  queue_.schedule_after(config_.first_delay_us,
                        [this, id = e.id] { deliver(id, /*retries=*/true); });
}

namespace {

// The `disposition` of the engine's 200 `{"received": true, "disposition": D}`, or "?".
std::string disposition_of(const engine::HttpResponse& response) {
  const auto body = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object()) return "?";
  const auto d = body.find("disposition");
  return d != body.end() && d->is_string() ? d->get<std::string>() : "?";
}

// docs/psp-dialect.md, "Webhooks": a signed, well-formed notice is answered 200
// {"received": true, "disposition": D} with D from the table there, 409 operation_in_flight
// while the engine's own call of the operation is out (the PSP resends later), or 503 while
// its storage fails. "" for those; else what is wrong with the answer.
std::string undocumented_answer(const engine::HttpResponse& response) {
  if (response.status == 200) {
    const auto body = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
    if (!body.is_object()) return "answered 200 with a body that is not a JSON object";
    const auto received = body.find("received");
    if (received == body.end() || *received != true) {
      return "answered 200 without \"received\": true";
    }
    static constexpr std::string_view kDispositions[] = {"applied", "already_final", "mismatch",
                                                         "unknown_operation"};
    const std::string d = disposition_of(response);
    if (std::find(std::begin(kDispositions), std::end(kDispositions), d) ==
        std::end(kDispositions)) {
      return "answered 200 with disposition '" + d + "', which docs/psp-dialect.md does not list";
    }
    return "";
  }
  if (response.status == 409 && error_code_of(response.body) == "operation_in_flight") return "";
  if (response.status == 503) return "";
  if (response.status >= 400 && response.status < 500) return "refused it";
  return "answered " + std::to_string(response.status) +
         ", which docs/psp-dialect.md does not give a signed notice";
}

}  // namespace

void PspWebhookSender::deliver(const std::string& event_id, bool retries) {
  Event& event = events_.at(event_id);
  if (event.acknowledged) return;  // a retry scheduled before a late acknowledgement
  const uint64_t delivery = next_delivery_++;
  ++stats_.deliveries;
  if (retries) {
    ++event.attempt;
    event.awaiting = delivery;
  }
  network_.send(
      "psp", engine_.name(), MessageKind::kRequest, "psp_webhook event=" + event_id,
      [this, event_id, delivery, http = event.http] {
        engine_.receive(http, [this, event_id, delivery](const engine::HttpResponse& response) {
          if (response.status >= 200 && response.status < 300 && on_acknowledged_) {
            on_acknowledged_(events_.at(event_id).facts, disposition_of(response));
          }
          network_.send(
              engine_.name(), "psp", MessageKind::kResponse,
              "psp_webhook_reply status=" + std::to_string(response.status),
              [this, event_id, delivery, response] { answered(event_id, delivery, response); });
        });
      });
  if (!retries) return;
  queue_.schedule_after(config_.timeout_us, [this, event_id, delivery] {
    Event& e = events_.at(event_id);
    if (e.acknowledged || e.awaiting != delivery) return;
    trace_.record(queue_.now_us(), "psp", "psp_webhook_timeout", event_id);
    retry_later(e);
  });
}

void PspWebhookSender::answered(const std::string& event_id, uint64_t delivery,
                                const engine::HttpResponse& response) {
  const int status = response.status;
  if (status >= 200 && status < 300) {
    // What the engine made of it (engine/psp_webhook_receiver.cpp), for tests and the trace.
    const std::string disposition = disposition_of(response);
    ++stats_.dispositions[disposition];
    trace_.record(queue_.now_us(), "psp", "psp_webhook_ack",
                  event_id + " disposition=" + disposition);
  }
  if (const std::string problem = undocumented_answer(response); !problem.empty() && on_refusal_) {
    on_refusal_(event_id, "the engine " + problem + " (a correctly signed PSP notice " + event_id +
                              "): " + std::to_string(status) + " " + response.body);
  }
  Event& event = events_.at(event_id);
  if (event.acknowledged) return;
  if (status >= 200 && status < 300) {
    event.acknowledged = true;
    ++stats_.acknowledged;
    return;
  }
  // Only the awaited delivery's refusal schedules a retry; an extra copy's does not.
  if (event.awaiting == delivery) retry_later(event);
}

void PspWebhookSender::deliver_forgery(const std::string& event_id, int kind) {
  const ForgedNotice forged = forge_notice(kind, events_.at(event_id).http, config_.secret);
  network_.send(
      "psp", engine_.name(), MessageKind::kRequest,
      "psp_webhook_forged event=" + event_id + " forgery=" + forged.name, [this, event_id, forged] {
        engine_.receive(
            forged.http, [this, event_id, forged](const engine::HttpResponse& response) {
              network_.send(engine_.name(), "psp", MessageKind::kResponse,
                            "psp_webhook_forged_reply status=" + std::to_string(response.status),
                            [this, event_id, forged, response] {
                              if (response.status == 503) return;  // not served now
                              const std::string code = error_code_of(response.body);
                              if ((response.status == forged.status && code == forged.code &&
                                   error_has_message(response.body)) ||
                                  !on_forgery_not_refused_) {
                                return;
                              }
                              on_forgery_not_refused_(
                                  event_id,
                                  "a forged copy of PSP notice " + event_id + " (" + forged.name +
                                      ") must be refused " + std::to_string(forged.status) + " " +
                                      forged.code + " with a message" + "; answered " +
                                      std::to_string(response.status) + " " + response.body);
                            });
            });
      });
}

void PspWebhookSender::retry_later(Event& event) {
  event.awaiting = 0;  // nothing awaited until the retry goes out
  const auto delay_us = config_.retry.delay_after_us(event.attempt);
  if (!delay_us) {
    ++stats_.abandoned;
    trace_.record(queue_.now_us(), "psp", "psp_webhook_abandoned", event.id);
    return;
  }
  queue_.schedule_after(*delay_us, [this, id = event.id] { deliver(id, /*retries=*/true); });
}

}  // namespace reckon::sim
