#include "adapters/adapter_route.h"

#include <algorithm>
#include <array>
#include <utility>

#include "adapters/card_data.h"
#include "adapters/process_link.h"
#include "engine/check.h"
#include "engine/psp_wire.h"
#include "sim/network.h"
#include "sim/psp_endpoint.h"
#include "sim/trace.h"

namespace reckon::adapters {
namespace {

constexpr std::array<std::pair<engine::PspChargeState, const char*>, 6> kStates = {{
    {engine::PspChargeState::kNone, "none"},
    {engine::PspChargeState::kAuthorized, "authorized"},
    {engine::PspChargeState::kCaptured, "captured"},
    {engine::PspChargeState::kDeclined, "declined"},
    {engine::PspChargeState::kVoided, "voided"},
    {engine::PspChargeState::kRefunded, "refunded"},
}};

constexpr std::array<std::pair<engine::PspOp, const char*>, 4> kOperations = {{
    {engine::PspOp::kAuthorize, "authorize"},
    {engine::PspOp::kCapture, "capture"},
    {engine::PspOp::kVoid, "void"},
    {engine::PspOp::kRefund, "refund"},
}};

// The wire name of an operation: the four the lookup result also names, plus the lookup.
const char* operation_name(engine::PspOp op) {
  for (const auto& [value, name] : kOperations) {
    if (value == op) return name;
  }
  return "lookup";
}

// The operation message for one engine call (docs/adapters.md, "One operation").
nlohmann::json operation_message(const engine::PspRequest& r, const std::string& id) {
  nlohmann::json m = {{"type", "operation"},
                      {"id", id},
                      {"idempotency_key", r.idempotency_key},
                      {"op", operation_name(r.op)}};
  switch (r.op) {
    case engine::PspOp::kAuthorize:
      m["amount_minor"] = r.amount_minor;
      m["currency"] = r.currency;
      m["card_token"] = r.card_token;
      m["capture"] = r.capture;
      break;
    case engine::PspOp::kCapture:
      m["authorization_id"] = r.psp_charge_id;
      m["amount_minor"] = r.amount_minor;
      m["currency"] = r.currency;
      m["authorized_minor"] = r.authorized_minor;
      break;
    case engine::PspOp::kVoid:
      m["authorization_id"] = r.psp_charge_id;
      break;
    case engine::PspOp::kRefund:
      m["authorization_id"] = r.psp_charge_id;
      m["amount_minor"] = r.amount_minor;
      m["currency"] = r.currency;
      m["captured_minor"] = r.captured_minor;
      m["refunded_minor"] = r.refunded_minor;
      break;
    case engine::PspOp::kLookup:
      break;
  }
  return m;
}

// The engine's reply for a result (docs/adapters.md, "Results" and "The outcome taxonomy"):
// not_sent is a definitive "not done", as failed is; unknown is ambiguous.
engine::PspReply reply_for(const MessageReader& m, engine::PspOp op) {
  engine::PspReply reply;
  const std::string outcome = read_outcome(m, op == engine::PspOp::kLookup);
  if (outcome == "succeeded") {
    reply.outcome = engine::PspOutcome::kSucceeded;
  } else if (outcome == "declined") {
    reply.outcome = engine::PspOutcome::kDeclined;
  } else if (outcome == "failed" || outcome == "not_sent") {
    reply.outcome = engine::PspOutcome::kFailed;
  } else if (outcome == "unknown") {
    reply.outcome = engine::PspOutcome::kAmbiguous;
  } else {
    reply.outcome = engine::PspOutcome::kNotFound;  // read_outcome admits it for lookups only
  }
  reply.detail = m.text("detail", false).value_or("");
  // A success names what the provider did; a decline may say the authorization's state.
  const bool success = reply.outcome == engine::PspOutcome::kSucceeded;
  reply.psp_charge_id = m.text("authorization_id", success).value_or("");
  if (success && reply.psp_charge_id.empty()) m.fail("field 'authorization_id' is empty");
  if (const auto state = read_state(m, success)) {
    for (const auto& [value, name] : kStates) {
      if (*state == name) reply.state = value;
    }
  }
  reply.amount_minor = m.integer("amount_minor", success, 0, INT64_MAX).value_or(0);
  if (success && op == engine::PspOp::kLookup) {
    const std::string looked_up = *m.text("operation", true);
    bool known = false;
    for (const auto& [value, name] : kOperations) {
      if (looked_up == name) reply.looked_up_op = value, known = true;
    }
    if (!known) {
      m.fail("field 'operation' must be one of authorize, capture, void, refund; got '" +
             looked_up + "'");
    }
  }
  return reply;
}

Capabilities handshake(AdapterLink& link, const std::string& when) {
  const nlohmann::json hello = link.exchange({{"type", "hello"}, {"protocol", kProtocolVersion}},
                                             "the handshake answer 'hello'" + when);
  return read_hello(hello, link.last_line());
}

}  // namespace

AdapterRoute::AdapterRoute(std::unique_ptr<AdapterLink> link, Capabilities caps,
                           const sim::PspRouteWorld& world)
    : link_(std::move(link)), caps_(std::move(caps)), world_(world) {
  RECKON_CHECK(world_.queue && world_.network && world_.endpoint && world_.trace,
               "a route is built in a whole world");
  reset_adapter();
}

void AdapterRoute::reset_adapter() {
  const nlohmann::json ready = talk({{"type", "reset"}, {"seed", world_.seed}});
  if (ready.at("type") != "ready") {
    MessageReader(ready, "the answer to reset", link_->last_line())
        .fail("expected type 'ready', got '" + ready.at("type").get<std::string>() + "'");
  }
}

void AdapterRoute::restart_adapter() {
  keep(stderr_, link_->take_stderr() + "\n");  // the old process's last words are judged too
  if (!link_->restart()) throw AdapterError("this adapter link cannot restart its adapter");
  const Capabilities again = handshake(*link_, " after a restart");
  if (again.to_json() != caps_.to_json() || again.adapter_name != caps_.adapter_name) {
    throw AdapterError("after a restart the adapter declared other capabilities: " +
                       again.to_json().dump() + " (before: " + caps_.to_json().dump() + ")");
  }
  reset_adapter();
}

nlohmann::json AdapterRoute::talk(const nlohmann::json& message) {
  const std::string type = message.at("type").get<std::string>();
  const std::string waiting_for =
      current_ ? "an answer to " + describe() : "the answer to '" + type + "'";
  return link_->exchange(message, waiting_for);
}

std::string AdapterRoute::describe() const {
  return current_id_ + " (" + std::string(engine::to_string(current_->request.op)) + ")";
}

void AdapterRoute::carry(const engine::PspRequest& request, Done done) {
  const std::string& token = request.card_token;
  if (!token.empty() && std::find(tokens_.begin(), tokens_.end(), token) == tokens_.end()) {
    tokens_.push_back(token);
  }
  keys_.insert(request.idempotency_key);  // each once: retries and lookups reuse a key
  waiting_.push_back(Call{request, std::move(done)});
  if (current_ || starting_) return;
  // Not now: the engine is in the middle of its own code, and the adapter's answer (or its
  // failure) must not land there.
  starting_ = true;
  world_.queue->schedule_after(0, [this, generation = generation_] {
    if (generation != generation_) return;
    starting_ = false;
    start_next();
  });
}

void AdapterRoute::engine_restarted() {
  ++generation_;
  waiting_.clear();
  current_.reset();
  exchange_ = 0;
  starting_ = false;
  restart_due_ = true;
}

void AdapterRoute::start_next() {
  if (current_ || waiting_.empty()) return;
  if (restart_due_) {
    restart_due_ = false;
    restart_adapter();
  }
  current_ = std::move(waiting_.front());
  waiting_.pop_front();
  current_id_ = "op-" + std::to_string(next_op_++);
  messages_ = 0;
  world_.trace->record(world_.queue->now_us(), world_.node, "adapter_operation",
                       current_id_ + " " + std::string(engine::to_string(current_->request.op)) +
                           " key=" + current_->request.idempotency_key);
  handle(talk(operation_message(current_->request, current_id_)));
}

void AdapterRoute::handle(const nlohmann::json& answer) {
  const std::string type = answer.at("type").get<std::string>();
  const MessageReader m(answer, "message '" + type + "' for " + describe(), link_->last_line());
  if (type != "result" && ++messages_ > kMaxRequestsPerOperation) {
    throw AdapterError(describe() + ": the adapter sent more than " +
                       std::to_string(kMaxRequestsPerOperation) +
                       " messages without a result: " + link_->last_line());
  }
  const std::string id = *m.text("id", true);
  if (id != current_id_) {
    m.fail("it names operation '" + id + "', but the harness is running " + current_id_);
  }
  if (type == "result") {
    // Scanned at the end of the run (log_problem), stderr as one text: a leak is found
    // however the adapter's stderr was split into reads.
    keep(stderr_, link_->take_stderr());
    keep(results_, answer.dump() + "\n");
    return finish(reply_for(m, current_->request.op));
  }
  keep(results_, message_beyond_the_request(answer) + "\n");
  if (type == "http") return send_http(m);
  if (type == "wait") {
    const int64_t ms = *m.integer("ms", true, 0, 600'000);
    world_.queue->schedule_after(ms * 1000, [this, generation = generation_] {
      if (generation != generation_) return;
      handle(talk({{"type", "waited"}, {"id", current_id_}}));
    });
    return;
  }
  m.fail("unknown message type '" + type + "' (expected http, wait or result)");
}

void AdapterRoute::send_http(const MessageReader& m) {
  const HttpMessage message = read_http_message(m);
  const engine::HttpRequest& http = message.request;
  const int64_t timeout_ms = message.timeout_ms;
  const std::string* key = http.header(engine::kPspIdempotencyHeader);
  const std::string what =
      http.method + " " + http.target + " key=" + (key ? *key : std::string()) + " " + current_id_;
  const uint64_t exchange = ++exchanges_sent_;
  exchange_ = exchange;
  const uint64_t generation = generation_;
  sim::PspEndpoint& endpoint = *world_.endpoint;
  world_.network->send(
      world_.node, "psp", sim::MessageKind::kRequest, what,
      [this, &endpoint, http, what, exchange, generation] {
        endpoint.receive_http(
            http, what,
            [this, what, exchange, generation](const engine::PspReply& reply,
                                               const engine::HttpResponse& r) {
              world_.network->send(
                  "psp", world_.node, sim::MessageKind::kResponse,
                  "psp_reply outcome=" + std::string(engine::to_string(reply.outcome)),
                  [this, r, exchange, generation] {
                    if (generation == generation_) answer_http(r, exchange);
                  });
            });
      });
  world_.queue->schedule_after(timeout_ms * 1000, [this, exchange, generation] {
    // A late or duplicated answer to an exchange the adapter stopped waiting for is dropped,
    // as an HTTP client drops a response on a connection it gave up.
    if (generation != generation_ || exchange != exchange_) return;
    exchange_ = 0;
    handle(talk({{"type", "http_timeout"}, {"id", current_id_}}));
  });
}

void AdapterRoute::answer_http(const engine::HttpResponse& response, uint64_t exchange) {
  if (exchange != exchange_) return;  // given up already, or a duplicate
  exchange_ = 0;
  handle(talk({{"type", "http_response"},
               {"id", current_id_},
               {"status", response.status},
               {"body", response.body}}));
}

void AdapterRoute::finish(const engine::PspReply& reply) {
  world_.trace->record(world_.queue->now_us(), world_.node, "adapter_result",
                       current_id_ + " outcome=" + std::string(engine::to_string(reply.outcome)) +
                           " authorization=" + reply.psp_charge_id +
                           " state=" + std::string(engine::to_string(reply.state)) +
                           " amount=" + std::to_string(reply.amount_minor));
  Done done = std::move(current_->done);
  current_.reset();
  // The engine takes the reply in an event of its own, then the next operation starts.
  world_.queue->schedule_after(0, [this, done = std::move(done), reply, generation = generation_] {
    if (generation != generation_) return;
    done(reply);
    start_next();
  });
}

void AdapterRoute::keep(std::string& into, const std::string& text) {
  // Bounded: a chatty adapter's first megabytes are judged, the rest only passed on.
  constexpr size_t kKeptBytes = 4 << 20;
  into.append(text, 0, kKeptBytes - std::min(kKeptBytes, into.size()));
}

std::string AdapterRoute::log_problem() {
  // The adapter is ended first (bye, then its stdin closed; killed after 500 ms of grace) and
  // its stderr read to the end: what it writes until it exits is judged, whenever it reached
  // the pipe. Only an adapter still writing past the grace depends on the machine's speed.
  link_->finish();
  keep(stderr_, link_->take_stderr());
  const std::vector<std::string> keys(keys_.begin(), keys_.end());
  return card_data_in_output(stderr_, results_, tokens_, keys).value_or("");
}

sim::PspRouteFactory adapter_route_factory(std::string command, int reply_timeout_ms,
                                           int start_timeout_ms) {
  return [command = std::move(command), reply_timeout_ms,
          start_timeout_ms](const sim::PspRouteWorld& world) -> std::unique_ptr<sim::PspRoute> {
    auto link = std::make_unique<ProcessLink>(command, reply_timeout_ms, start_timeout_ms);
    Capabilities caps = handshake(*link, "");
    return std::make_unique<AdapterRoute>(std::move(link), std::move(caps), world);
  };
}

}  // namespace reckon::adapters
