#include "sim/engine_node.h"

#include "engine/check.h"

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
                       Network& network, FaultInjector& faults, DurableVfs& vfs, PspNode& psp,
                       std::function<void()> after_psp_processed)
    : config_(std::move(config)),
      queue_(queue),
      trace_(trace),
      network_(network),
      faults_(faults),
      vfs_(vfs),
      psp_(psp),
      after_psp_processed_(std::move(after_psp_processed)),
      stream_(run_seed, "engine") {}

template <typename Fn>
void EngineNode::enter_engine(Fn&& fn) {
  try {
    fn();
  } catch (const SimulatedCrash& crash) {
    crash_now(crash.point);
  }
}

void EngineNode::reached(std::string_view point_name) {
  if (faults_.crash_at_point(config_.name, point_name)) {
    throw SimulatedCrash{std::string(point_name)};
  }
}

void EngineNode::start() {
  RECKON_CHECK(engine_ == nullptr, "start() on a running engine");
  ++incarnation_;
  engine::EnginePorts ports;
  ports.clock = this;
  ports.random = this;
  ports.psp = this;
  ports.crash_points = this;
  ports.storage = {config_.name + ".db", vfs_.name()};
  engine::Status status;
  engine_ = engine::PaymentEngine::open(ports, config_.engine, status);
  RECKON_CHECK(engine_ != nullptr, "the engine opens its durable database after a crash");
  trace_.record(queue_.now_us(), config_.name, "start",
                "incarnation=" + std::to_string(incarnation_));
  enter_engine([this] { engine_->start_recovery_loop(); });
}

void EngineNode::crash() {
  if (!engine_) return;
  faults_.record_crash(config_.name);
  crash_now("random");
}

void EngineNode::crash_now(const std::string& cause) {
  RECKON_CHECK(engine_ != nullptr, "only a running engine crashes");
  trace_.record(queue_.now_us(), config_.name, "crash", "cause=" + cause);
  ++crashes_;
  // Order matters: first the files lose what was not synced and every open handle dies,
  // then the engine object (and its SQLite connection) is destroyed.
  vfs_.crash(config_.name);
  engine_.reset();
  calls_.clear();
  ++incarnation_;  // callbacks of the dead incarnation are now stale
  const TimeUs downtime_us = faults_.restart_delay_us();
  queue_.schedule_after(downtime_us, [this] { start(); });
}

void EngineNode::schedule_crashes() {
  const TimeUs delay_us = faults_.next_crash_delay_us();
  if (delay_us <= 0) return;
  queue_.schedule_after(delay_us, [this] {
    if (faults_.faults_stopped()) return;
    crash();
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
  auto guarded_reply = [this, incarnation,
                        reply = std::move(reply)](const engine::HttpResponse& response) {
    if (incarnation != incarnation_) return;
    reply(response);
  };
  enter_engine([&] { engine_->handle(request, std::move(guarded_reply)); });
}

void EngineNode::after(int64_t delay_us, std::function<void()> action) {
  const uint64_t incarnation = incarnation_;
  queue_.schedule_after(delay_us, [this, incarnation, action = std::move(action)] {
    if (incarnation == incarnation_ && engine_) enter_engine(action);
  });
}

void EngineNode::call(const engine::PspRequest& request,
                      std::function<void(const engine::PspReply&)> done) {
  const uint64_t call_id = next_call_id_++;
  const uint64_t incarnation = incarnation_;
  calls_.emplace(call_id, std::move(done));
  const std::string what = describe(request);
  network_.send(config_.name, "psp", MessageKind::kRequest, what,
                [this, request, call_id, incarnation, what] {
                  const engine::PspReply reply = psp_.process(request);
                  trace_.record(queue_.now_us(), "psp", "process",
                                what + " outcome=" + std::string(engine::to_string(reply.outcome)));
                  after_psp_processed_();
                  network_.send(
                      "psp", config_.name, MessageKind::kResponse,
                      "psp_reply outcome=" + std::string(engine::to_string(reply.outcome)),
                      [this, call_id, incarnation, reply] {
                        if (incarnation == incarnation_) finish_call(call_id, reply);
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

void EngineNode::finish_call(uint64_t call_id, const engine::PspReply& reply) {
  auto it = calls_.find(call_id);
  if (it == calls_.end()) return;  // already timed out, or a duplicate reply
  auto done = std::move(it->second);
  calls_.erase(it);
  enter_engine([&] { done(reply); });
}

}  // namespace reckon::sim
