#include "sim/engine_node.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "engine/check.h"
#include "engine/psp_wire.h"
#include "sim/psp_attempts_property.h"
#include "sim/psp_notice.h"
#include "sim/webhook_order_property.h"
#include "sim/webhook_retry_property.h"

namespace reckon::sim {

std::string describe(const engine::PspRequest& r) {
  std::string out = "psp_";
  out += engine::to_string(r.op);
  out += " key=" + r.idempotency_key;
  if (r.op != engine::PspOp::kLookup) {
    out += " amount=" + std::to_string(r.amount_minor) + " " + r.currency;
  }
  return out;
}

EngineNode::EngineNode(uint64_t run_seed, EngineNodeConfig config, EventQueue& queue, Trace& trace,
                       Network& network, FaultInjector& faults, DurableVfs& vfs, PspEndpoint& psp,
                       WebhookNode& webhook)
    : config_(std::move(config)),
      queue_(queue),
      trace_(trace),
      network_(network),
      faults_(faults),
      vfs_(vfs),
      psp_(psp),
      webhook_(webhook),
      stream_(run_seed, "engine") {}

template <typename Fn>
void EngineNode::enter_engine(Fn&& fn) {
  try {
    fn();
  } catch (const SimulatedCrash& crash) {
    power_lost_ = false;
    return crash_now(crash.point, faults_.restart_delay_us());
  } catch (const engine::UncertainCommit& uncertain) {
    // The engine stops itself rather than answer from a state the disk may not hold.
    trace_.record(queue_.now_us(), config_.name, "uncertain_commit", uncertain.what());
    power_lost_ = false;
    return crash_now("uncertain_commit", faults_.restart_delay_us());
  }
  if (power_lost_ && engine_) {
    power_lost_ = false;
    crash_now("power_loss", faults_.restart_delay_us());
  }
}

void EngineNode::power_lost() {
  trace_.record(queue_.now_us(), config_.name, "power_loss", "");
  power_lost_ = true;
}

void EngineNode::reached(std::string_view point_name) {
  const int64_t pass = ++passes_[std::string(point_name)];
  const bool forced = point_name == config_.forced_crash_point && pass == config_.forced_crash_pass;
  if (faults_.crash_at_point(config_.name, point_name, pass, forced)) {
    throw SimulatedCrash{std::string(point_name)};
  }
}

void EngineNode::start() {
  RECKON_CHECK(engine_ == nullptr, "start() on a running engine");
  ++incarnation_;
  unanswered_.clear();  // the dead incarnation's requests died with it
  if (const auto skew = faults_.clock_skew_us(config_.name)) skew_us_ = *skew;
  most_behind_us_ = std::max(most_behind_us_, -skew_us_);
  engine::EnginePorts ports;
  ports.clock = this;
  ports.random = this;
  ports.psp = this;
  ports.crash_points = this;
  ports.webhooks = this;
  ports.storage = {config_.name + ".db", vfs_.name()};
  engine::Status status;
  try {
    engine_ = engine::PaymentEngine::open(ports, config_.engine, status);
  } catch (const engine::UncertainCommit& uncertain) {
    status = engine::Status::error(SQLITE_IOERR, uncertain.what());  // handled as below
  }
  if (!engine_) {
    // A storage fault while setting up the database: the process exits and is restarted,
    // as a supervisor would.
    trace_.record(queue_.now_us(), config_.name, "start_failed", "error=" + status.message);
    power_lost_ = false;
    vfs_.crash(config_.name);
    ++incarnation_;
    queue_.schedule_after(faults_.restart_delay_us(), [this] { start(); });
    return;
  }
  trace_.record(queue_.now_us(), config_.name, "start",
                "incarnation=" + std::to_string(incarnation_));
  enter_engine([this] {
    engine_->start_recovery_loop();
    engine_->start_outbox_dispatcher();
  });
}

void EngineNode::crash(const std::string& kind, const TimedFault& fault) {
  if (!engine_) return;  // already down: nothing to crash, nothing recorded
  faults_.record_crash(kind, fault);
  crash_now(kind, fault.value);
}

void EngineNode::crash_now(const std::string& cause, TimeUs downtime_us) {
  RECKON_CHECK(engine_ != nullptr, "only a running engine crashes");
  trace_.record(queue_.now_us(), config_.name, "crash", "cause=" + cause);
  ++crashes_;
  // Order matters: first the files lose what was not synced and every open handle dies,
  // then the engine object (and its SQLite connection) is destroyed.
  vfs_.crash(config_.name);
  engine_.reset();
  calls_.clear();
  deliveries_.clear();
  delivery_events_.clear();
  call_keys_.clear();
  ++incarnation_;  // callbacks of the dead incarnation are now stale
  if (route_) route_->engine_restarted();
  queue_.schedule_after(downtime_us, [this] { start(); });
}

void EngineNode::schedule_crashes() {
  const auto next = faults_.next_crash(config_.name);
  if (!next) return;
  queue_.schedule_at(next->at_us, [this, fault = *next] {
    if (faults_.faults_stopped()) return;
    crash("crash", fault);
    schedule_crashes();
  });
}

void EngineNode::receive(const engine::HttpRequest& request,
                         std::function<void(const engine::HttpResponse&)> reply) {
  if (!engine_) {
    trace_.record(queue_.now_us(), config_.name, "drop", "reason=down");
    return;
  }
  const uint64_t incarnation = incarnation_;
  const uint64_t request_id = ++requests_received_;
  unanswered_[request_id] = Unanswered{queue_.now_us(), request.method + " " + request.target};
  auto guarded_reply = [this, incarnation, request, request_id, received_us = queue_.now_us(),
                        reply = std::move(reply)](const engine::HttpResponse& response) {
    if (incarnation != incarnation_ || power_lost_) return;
    unanswered_.erase(request_id);
    note_notice_applied(request, response);
    if (observer_) observer_(request, response, received_us);
    reply(response);
  };
  enter_engine([&] { engine_->handle(request, std::move(guarded_reply)); });
}

void EngineNode::after(int64_t delay_us, std::function<void()> action) {
  const uint64_t incarnation = incarnation_;
  // A late timer: the process was descheduled, or the timer wheel was coarse. The engine's
  // retry backoff, recovery and expiry passes must not depend on timers being punctual.
  delay_us += faults_.timer_late_us(config_.name);
  queue_.schedule_after(delay_us, [this, incarnation, action = std::move(action)] {
    if (incarnation == incarnation_ && engine_ && !power_lost_) enter_engine(action);
  });
}

void EngineNode::call(const engine::PspRequest& request,
                      std::function<void(const engine::PspReply&)> done) {
  if (power_lost_) return;  // the process is already dead; nothing leaves it
  const uint64_t call_id = next_call_id_++;
  const uint64_t incarnation = incarnation_;
  calls_.emplace(call_id, std::move(done));
  call_keys_.emplace(call_id, PendingCall{request.idempotency_key, queue_.now_us(), request.op});
  if (request.op == engine::PspOp::kAuthorize) {
    auto& keys = authorization_keys_[request.card_token];
    if (std::find(keys.begin(), keys.end(), request.idempotency_key) == keys.end()) {
      keys.push_back(request.idempotency_key);
    }
  }
  if (psp_attempts_ != nullptr) psp_attempts_->sent(request, queue_.now_us(), incarnation);
  if (route_) {
    route_->carry(request, [this, call_id, incarnation](const engine::PspReply& reply) {
      if (incarnation == incarnation_) finish_call(call_id, reply);
    });
    return;
  }
  const std::string what = describe(request);
  // Over the dialect, as in live mode: the engine's codec writes the request and reads the
  // answer (engine/psp_wire.h); the simulated provider reads and writes with its own.
  const engine::HttpRequest http = engine::encode_psp_request(request);
  network_.send(
      config_.name, "psp", MessageKind::kRequest, what, [this, http, call_id, incarnation, what] {
        psp_.receive_http(
            http, what,
            [this, call_id, incarnation](const engine::PspReply& reply,
                                         const engine::HttpResponse& answer) {
              network_.send("psp", config_.name, MessageKind::kResponse,
                            "psp_reply outcome=" + std::string(engine::to_string(reply.outcome)),
                            [this, call_id, incarnation, answer, meant = reply] {
                              if (incarnation != incarnation_) return;
                              finish_call(call_id,
                                          engine::decode_psp_reply(answer.status, answer.body,
                                                                   config_.engine.planted),
                                          &meant);
                            });
            });
      });
  queue_.schedule_after(config_.psp_timeout_us, [this, call_id, incarnation] {
    if (incarnation != incarnation_ || calls_.count(call_id) == 0) return;
    engine::PspReply timeout;
    timeout.outcome = engine::PspOutcome::kAmbiguous;
    timeout.detail = "timeout";
    trace_.record(queue_.now_us(), config_.name, "psp_timeout", "call=" + std::to_string(call_id));
    finish_call(call_id, timeout);
  });
}

template <typename Reply>
void EngineNode::finish(std::map<uint64_t, std::function<void(const Reply&)>>& pending,
                        uint64_t call_id, const Reply& reply) {
  auto it = pending.find(call_id);
  if (it == pending.end()) return;  // already timed out, or a duplicate reply
  auto done = std::move(it->second);
  pending.erase(it);
  enter_engine([&] { done(reply); });
}

void EngineNode::finish_call(uint64_t call_id, const engine::PspReply& reply,
                             const engine::PspReply* meant) {
  const auto key = call_keys_.find(call_id);
  if (key == call_keys_.end()) return;  // timed out already, or a duplicate reply
  if (meant != nullptr && psp_readings_ != nullptr) {
    psp_readings_->judge(key->second.key, key->second.op, *meant, reply, queue_.now_us());
  }
  // Before the engine acts on it: a lookup's answer may start a new drive at once. Whether
  // the answer was ambiguous is the PSP's own reading when there is one, not the engine's.
  if (psp_attempts_ != nullptr) {
    const engine::PspOutcome outcome = meant != nullptr ? meant->outcome : reply.outcome;
    psp_attempts_->answered(key->second.key, outcome, incarnation_, queue_.now_us());
  }
  auto [span, first] = last_psp_call_ended_.try_emplace(key->second.key);
  if (first || key->second.sent_us >= span->second.sent_us)
    span->second = PspCallSpan{key->second.sent_us, queue_.now_us()};
  if (reply.outcome == engine::PspOutcome::kSucceeded) note_success_taken(key->second.key);
  call_keys_.erase(key);
  finish(calls_, call_id, reply);
}

void EngineNode::note_success_taken(const std::string& key) {
  const TimeUs engine_us = now_us();
  auto [it, first] = success_taken_.try_emplace(key, SuccessTaken{engine_us, engine_us});
  if (!first) it->second.last_engine_us = engine_us;
}

void EngineNode::note_notice_applied(const engine::HttpRequest& request,
                                     const engine::HttpResponse& response) {
  if (request.target != kPspNoticePath || response.status != 200) return;
  const auto answer = nlohmann::json::parse(response.body, nullptr, false);
  if (!answer.is_object() || answer.value("disposition", "") != "applied") return;
  const auto notice = nlohmann::json::parse(request.body, nullptr, false);
  if (!notice.is_object() || notice.value("outcome", "") != "succeeded") return;
  const auto key = notice.find("idempotency_key");
  if (key != notice.end() && key->is_string()) note_success_taken(key->get<std::string>());
}

void EngineNode::deliver(const engine::WebhookDelivery& delivery,
                         std::function<void(const engine::WebhookReply&)> done) {
  if (power_lost_) return;  // the process is already dead; nothing leaves it
  const uint64_t call_id = next_call_id_++;
  const uint64_t incarnation = incarnation_;
  deliveries_.emplace(call_id, std::move(done));
  delivery_events_.emplace(call_id, delivery.event_id);
  if (retries_ != nullptr) retries_->sent(delivery.event_id, queue_.now_us(), incarnation);
  if (send_order_ != nullptr) send_order_->sent(delivery, queue_.now_us());
  network_.send(config_.name, kWebhookNodeName, MessageKind::kRequest,
                "webhook event=" + delivery.event_id, [this, delivery, call_id, incarnation] {
                  const int status = webhook_.receive(delivery);
                  network_.send(kWebhookNodeName, config_.name, MessageKind::kResponse,
                                "webhook_reply status=" + std::to_string(status),
                                [this, call_id, incarnation, status] {
                                  if (incarnation == incarnation_) {
                                    finish_delivery(call_id, engine::WebhookReply{status, ""});
                                  }
                                });
                });
  queue_.schedule_after(config_.webhook_timeout_us, [this, call_id, incarnation] {
    if (incarnation != incarnation_ || deliveries_.count(call_id) == 0) return;
    trace_.record(queue_.now_us(), config_.name, "webhook_timeout",
                  "call=" + std::to_string(call_id));
    finish_delivery(call_id, engine::WebhookReply{0, "timeout"});
  });
}

void EngineNode::finish_delivery(uint64_t call_id, const engine::WebhookReply& reply) {
  const auto event = delivery_events_.find(call_id);
  if (event == delivery_events_.end()) return;  // timed out already, or a duplicate reply
  const std::string event_id = event->second;
  delivery_events_.erase(event);
  const uint64_t incarnation = incarnation_;
  const size_t decisions = faults_.log().size();
  finish(deliveries_, call_id, reply);
  if (retries_ == nullptr) return;
  // Any fault drawn while the engine took the answer (a storage fault, a crash) may have
  // lost its record of it.
  const bool recorded_for_sure =
      incarnation_ == incarnation && !power_lost_ && faults_.log().size() == decisions;
  retries_->answered(event_id, queue_.now_us(), reply.status, incarnation, recorded_for_sure);
}

}  // namespace reckon::sim
