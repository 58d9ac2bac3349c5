#pragma once
// Hosts one PaymentEngine in the simulation and implements its ports with the simulator:
// virtual clock and timers, the simulated network to the PSP, the "engine" PRNG stream and
// the durability VFS.
//
// A crash destroys the engine object and reverts its files to what was synced; a restart
// builds a new engine from those files alone and starts recovery. INVARIANT: no callback
// scheduled by an engine incarnation runs after that incarnation crashed (each carries the
// incarnation number it was made in).

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "sim/durable_vfs.h"
#include "sim/event_queue.h"
#include "sim/fault_injector.h"
#include "sim/network.h"
#include "sim/prng.h"
#include "sim/psp_call_span.h"
#include "sim/psp_endpoint.h"
#include "sim/psp_reply_reading.h"
#include "sim/psp_route.h"
#include "sim/trace.h"
#include "sim/webhook_node.h"

namespace reckon::sim {

struct EngineNodeConfig {
  std::string name = "engine-0";
  TimeUs psp_timeout_us = 250'000;
  TimeUs webhook_timeout_us = 250'000;
  engine::EngineConfig engine;
  std::string forced_crash_point;  // crash at exactly this pass of this point (if set)
  int64_t forced_crash_pass = 0;
};

// Thrown from a crash point to abandon the engine code in progress; caught where the
// simulator enters the engine, which then destroys it like any other crash.
struct SimulatedCrash {
  std::string point;
};

class PspAttempts;
class WebhookRetrySchedule;
class WebhookSendOrder;

class EngineNode : engine::Clock,
                   engine::Random,
                   engine::PspTransport,
                   engine::CrashPoints,
                   engine::WebhookTransport {
 public:
  EngineNode(uint64_t run_seed, EngineNodeConfig config, EventQueue& queue, Trace& trace,
             Network& network, FaultInjector& faults, DurableVfs& vfs, PspEndpoint& psp,
             WebhookNode& webhook);

  // Brings the engine up (first start or restart) and starts its recovery loop and its
  // outbox dispatcher.
  void start();
  // From now on the engine's PSP calls take `route` (an external adapter) instead of the
  // node's own HTTP leg; the route owns the deadlines then, so the node sets none.
  void use_psp_route(std::unique_ptr<PspRoute> route) { route_ = std::move(route); }
  // The route's PspRoute::log_problem(), or "" without a route.
  std::string route_log_problem() { return route_ ? route_->log_problem() : ""; }
  // A timed crash (random or scheduled, `kind` as recorded); restarts after fault.value.
  void crash(const std::string& kind, const TimedFault& fault);
  void schedule_crashes();
  // The storage lost power under the engine (the VFS already reverted the files). The
  // engine code running now is abandoned: nothing it sends or schedules leaves the node,
  // and the node crashes as soon as that code returns.
  void power_lost();

  // A request arriving from the network; `reply` sends the response back.
  void receive(const engine::HttpRequest& request,
               std::function<void(const engine::HttpResponse&)> reply);

  // Sees every response as the engine gives it, before it leaves the node (properties that
  // judge an answer against the store at the moment it was decided).
  using ResponseObserver = std::function<void(const engine::HttpRequest&,
                                              const engine::HttpResponse&, TimeUs received_us)>;
  void observe_responses(ResponseObserver observer) { observer_ = std::move(observer); }
  // Of the PSP calls under `key` that have ended (the answer reached the engine, or the node
  // timed it out), in any incarnation, the one sent last: when it was sent and when it ended;
  // nullopt: none has ended.
  std::optional<PspCallSpan> last_psp_call_ended(const std::string& key) const {
    const auto it = last_psp_call_ended_.find(key);
    return it == last_psp_call_ended_.end() ? std::nullopt : std::optional<PspCallSpan>(it->second);
  }
  // The PSP keys of the authorize calls the engine sent with card token `token`, in the order
  // first sent (a token paid with again after a decline has several).
  std::vector<std::string> authorization_keys(const std::string& token) const {
    const auto it = authorization_keys_.find(token);
    return it == authorization_keys_.end() ? std::vector<std::string>{} : it->second;
  }

  // When the engine was handed a success under PSP key `key` (an answer, a lookup that found
  // the operation, or a PSP notice it applied), on its own clock: the first and the last
  // time. It books the operation at one of them (a failed commit or a crash leaves it to a
  // later one), which is when docs/reconciliation.md's job counts it. nullopt: never.
  struct SuccessTaken {
    TimeUs first_engine_us = 0;
    TimeUs last_engine_us = 0;
  };
  std::optional<SuccessTaken> success_taken(const std::string& key) const {
    const auto it = success_taken_.find(key);
    return it == success_taken_.end() ? std::nullopt : std::optional<SuccessTaken>(it->second);
  }

  // The oldest request the running engine received and never answered, as "METHOD target
  // (received at T us)"; nullopt: every one was answered.
  std::optional<std::string> oldest_unanswered() const {
    if (unanswered_.empty()) return std::nullopt;
    const Unanswered& u = unanswered_.begin()->second;
    return u.what + " (received at " + std::to_string(u.received_us) + "us)";
  }

  bool up() const { return engine_ != nullptr; }
  engine::PaymentEngine* engine() { return engine_.get(); }
  const std::string& name() const { return config_.name; }
  uint64_t incarnation() const { return incarnation_; }
  uint64_t crashes() const { return crashes_; }
  // The furthest this node's clock ran behind virtual time in any incarnation (>= 0).
  TimeUs most_behind_us() const { return most_behind_us_; }
  const std::map<std::string, int64_t>& crash_point_passes() const { return passes_; }
  // Tells `schedule` of every webhook delivery the engine starts and every answer it takes
  // (property webhook-retry-schedule).
  void observe_webhook_retries(WebhookRetrySchedule* schedule) { retries_ = schedule; }
  void observe_webhook_sends(WebhookSendOrder* order) { send_order_ = order; }
  // Tells `attempts` of every PSP call the engine makes and every answer it takes (property
  // psp-attempts-as-configured).
  void observe_psp_attempts(PspAttempts* attempts) { psp_attempts_ = attempts; }
  void observe_psp_readings(PspReplyReading* readings) { psp_readings_ = readings; }

 private:
  // engine::Clock
  // Virtual time plus this incarnation's skew ([faults.clock]); the simulator's own clock
  // (PSP, clients, trace) is never skewed.
  int64_t now_us() override { return queue_.now_us() + skew_us_; }
  void after(int64_t delay_us, std::function<void()> action) override;
  // engine::Random
  uint64_t next_u64() override { return stream_.next_u64(); }
  // engine::PspTransport
  void call(const engine::PspRequest& request,
            std::function<void(const engine::PspReply&)> done) override;

  // engine::CrashPoints
  void reached(std::string_view point_name) override;
  // engine::WebhookTransport: a POST over the network to the merchant's webhook node.
  void deliver(const engine::WebhookDelivery& delivery,
               std::function<void(const engine::WebhookReply&)> done) override;

  // `meant`: the simulated PSP's own reading of the answer `reply` was decoded from (none for
  // a timeout or an adapter's result).
  void finish_call(uint64_t call_id, const engine::PspReply& reply,
                   const engine::PspReply* meant = nullptr);
  void finish_delivery(uint64_t call_id, const engine::WebhookReply& reply);
  // Runs the pending call's callback once (a late or duplicate reply finds none).
  template <typename Reply>
  void finish(std::map<uint64_t, std::function<void(const Reply&)>>& pending, uint64_t call_id,
              const Reply& reply);
  // Runs engine code; a SimulatedCrash thrown inside becomes a crash of this node.
  template <typename Fn>
  void enter_engine(Fn&& fn);
  // The crash itself, after engine code has unwound; `cause` names it in the trace.
  void crash_now(const std::string& cause, TimeUs downtime_us);

  EngineNodeConfig config_;
  EventQueue& queue_;
  Trace& trace_;
  Network& network_;
  FaultInjector& faults_;
  DurableVfs& vfs_;
  PspEndpoint& psp_;
  WebhookNode& webhook_;
  PrngStream stream_;
  std::unique_ptr<engine::PaymentEngine> engine_;
  uint64_t incarnation_ = 0;
  TimeUs skew_us_ = 0;  // this node's clock minus virtual time; drawn at each start
  TimeUs most_behind_us_ = 0;
  uint64_t crashes_ = 0;
  ResponseObserver observer_;
  // Requests the running incarnation received and has not answered yet (an incarnation's
  // requests die with it: start() forgets them).
  struct Unanswered {
    TimeUs received_us = 0;
    std::string what;
  };
  std::map<uint64_t, Unanswered> unanswered_;
  uint64_t requests_received_ = 0;
  std::map<std::string, PspCallSpan> last_psp_call_ended_;
  std::map<std::string, std::vector<std::string>> authorization_keys_;  // card token -> keys
  std::unique_ptr<PspRoute> route_;                    // null: the node's own HTTP leg
  std::map<std::string, SuccessTaken> success_taken_;  // by PSP key
  void note_success_taken(const std::string& key);
  // A PSP notice the engine answered `applied` (docs/psp-dialect.md): note its key.
  void note_notice_applied(const engine::HttpRequest& request,
                           const engine::HttpResponse& response);
  bool power_lost_ = false;
  std::map<std::string, int64_t> passes_;  // per crash point, across incarnations
  uint64_t next_call_id_ = 0;
  std::map<uint64_t, std::function<void(const engine::PspReply&)>> calls_;
  std::map<uint64_t, std::function<void(const engine::WebhookReply&)>> deliveries_;
  std::map<uint64_t, std::string> delivery_events_;  // call id -> event id, while pending
  struct PendingCall {
    std::string key;
    TimeUs sent_us = 0;
    engine::PspOp op = engine::PspOp::kAuthorize;
  };
  std::map<uint64_t, PendingCall> call_keys_;  // call id -> PSP key and send time, while pending
  PspAttempts* psp_attempts_ = nullptr;
  PspReplyReading* psp_readings_ = nullptr;
  WebhookRetrySchedule* retries_ = nullptr;
  WebhookSendOrder* send_order_ = nullptr;
};

// A one-line description of a PSP request for the trace (never a card number: the engine
// sends only tokens, and the trace names the token's owner-free id).
std::string describe(const engine::PspRequest& request);

}  // namespace reckon::sim
