#include "adapters/session.h"

#include <algorithm>

#include "adapters/card_data.h"
#include "engine/check.h"
#include "engine/http.h"
#include "engine/psp_wire.h"
#include "engine/reconcile/settlement_csv.h"
#include "oracle/currencies.h"
#include "oracle/settlement_text.h"
#include "sim/psp_dialect.h"
#include "sim/psp_not_yet.h"

namespace reckon::adapters {
namespace {

// Virtual time 0 is 2026-01-01T00:00:00Z (as in the simulator's settlement reports).
constexpr int64_t kEpochUnixUs = 1'767'225'600LL * 1'000'000;
constexpr const char* kSettlementsPrefix = "/v1/settlements/";
constexpr int64_t kFeeBps = 290;  // docs/reconciliation.md, "Fees": the simulated PSP's rate
// The slowest answer the provider gives on purpose (docs/psp-dialect.md): a scripted 200
// comes this long after the request arrived, plus the network's latency.
constexpr int64_t kSlowestAnswerMs = 1'500;
// A 202's operation is done this long after the answer (docs/psp-dialect.md: within 1 s).
constexpr int64_t kProcessingAfter202Ms = 500;

// The report's decimal text, written by the provider's own rules (oracle/): a bug in the
// engine's money formatting must not be written into the report an adapter is judged on.
std::string money_text(int64_t amount_minor, int exponent) {
  return oracle::decimal_text(oracle::with_decimals(amount_minor, exponent, exponent));
}

}  // namespace

std::string OpRun::text(const char* field) const {
  auto it = result.find(field);
  return it != result.end() && it->is_string() ? it->get<std::string>() : std::string();
}

int64_t OpRun::integer(const char* field, int64_t fallback) const {
  auto it = result.find(field);
  return it != result.end() && it->is_number_integer() ? it->get<int64_t>() : fallback;
}

faults::FaultPlan quiet_adapter_plan() {
  faults::FaultPlan plan = faults::quiet_fault_plan();
  plan.network.latency.shape = faults::LatencyShape::kUniform;
  plan.network.latency.min_us = 1'000;
  plan.network.latency.max_us = 5'000;
  return plan;
}

Session::Session(AdapterLink& link, const Capabilities& caps, uint64_t seed,
                 const faults::FaultPlan& plan)
    : link_(link),
      caps_(caps),
      seed_(seed),
      faults_(seed, plan, queue_, trace_),
      psp_(seed, sim::PspConfig{plan.psp.decline}),
      endpoint_(queue_, trace_, faults_, psp_, [] {}),
      network_(queue_, trace_, faults_) {
  (void)link_.take_stderr();  // what an earlier session left there is not this one's
  reset_adapter();
}

Session::~Session() {
  if (!on_end_) return;
  try {
    keep_adapter_log();
    on_end_(*this);
  } catch (...) {
    // A destructor must not throw (it may run while an AdapterError unwinds): a scan that
    // cannot run (out of memory) judges nothing.
  }
}

void Session::reset_adapter() {
  const nlohmann::json ready =
      talk({{"type", "reset"}, {"seed", seed_}},
           "the answer 'ready' to reset (seed " + std::to_string(seed_) + ")");
  if (ready.at("type") != "ready") {
    MessageReader(ready, "the answer to reset", link_.last_line())
        .fail("expected type 'ready', got '" + ready.at("type").get<std::string>() + "'");
  }
}

void Session::restart_adapter() {
  keep_adapter_log();
  if (!link_.restart()) throw AdapterError("this adapter link cannot restart its adapter");
  const nlohmann::json hello =
      talk({{"type", "hello"}, {"protocol", kProtocolVersion}},
           "the handshake answer 'hello' after a restart (seed " + std::to_string(seed_) + ")");
  const Capabilities again = read_hello(hello, link_.last_line());
  if (again.to_json() != caps_.to_json() || again.adapter_name != caps_.adapter_name) {
    throw AdapterError("after a restart the adapter declared other capabilities: " +
                       again.to_json().dump() + " (before: " + caps_.to_json().dump() + ")");
  }
  reset_adapter();
}

nlohmann::json Session::talk(const nlohmann::json& message, const std::string& waiting_for) {
  nlohmann::json answer = link_.exchange(message, waiting_for);
  if (keep_transcript_) transcript_.push_back(answer.dump());
  return answer;
}

std::string Session::new_key() {
  std::string key = draw_key();
  keys_.insert(key);  // an identifier wherever it shows up (a settlement line's reference)
  return key;
}

std::string Session::draw_key() {
  // Keys as engines make them, over the dialect's whole alphabet [A-Za-z0-9_.-]: upper case,
  // dots, underscores, leading zeros, and one in five exactly key_length_max long. Each holds
  // the counter before a separator, so no two keys of a session are equal. An adapter must
  // pass every one through unchanged (docs/adapters.md): one that lower-cases, cleans up or
  // parses keys fails every behaviour that sends such a key.
  const uint64_t n = next_key_++;
  const std::string seed = std::to_string(seed_);
  const std::string count = std::to_string(n);
  const std::string plain = "k-" + seed + "-" + count;
  switch ((seed_ + n) % 5) {
    case 0:
      return plain;
    case 1:
      return "Order_" + seed + "." + count + "-Retry.SAFE";
    case 2:
      return std::string(count.size() < 8 ? 8 - count.size() : 0, '0') + count + "_" + seed;
    case 3:
      return "op." + seed + "." + count + ".CAPTURE_v2";
    default: {
      std::string key = "K_" + seed + "." + count + "-";
      const auto length = static_cast<size_t>(caps_.key_length_max);
      if (key.size() > length) return plain;
      static constexpr char kFill[] = "aZ_.-9yX";
      while (key.size() < length) key += kFill[key.size() % (sizeof kFill - 1)];
      return key;
    }
  }
}

std::string Session::new_token() {
  tokens_.push_back("tok_" + std::to_string(seed_) + "_" + std::to_string(next_key_++));
  return tokens_.back();
}

std::string Session::direct(const engine::PspRequest& request) {
  const engine::PspReply reply = psp_.process(request);
  return reply.outcome == engine::PspOutcome::kSucceeded ? reply.psp_charge_id : std::string();
}

std::string Session::direct_authorize(int64_t amount_minor, const std::string& currency,
                                      bool capture) {
  engine::PspRequest r;
  r.op = engine::PspOp::kAuthorize;
  r.idempotency_key = new_key();
  r.amount_minor = amount_minor;
  r.currency = currency;
  r.card_token = new_token();
  r.capture = capture;
  return direct(r);
}

namespace {

constexpr size_t kMaxKeptBytes = 4 * 1024 * 1024;

void keep_bounded(std::string& kept, const std::string& more) {
  kept.append(more, 0, kMaxKeptBytes - std::min(kMaxKeptBytes, kept.size()));
}

}  // namespace

void Session::keep_adapter_log() {
  keep_bounded(adapter_log_, link_.take_stderr());
}

void Session::advance_ms(int64_t ms) {
  RECKON_CHECK(ms >= 0, "time only moves forward");
  bool done = false;
  queue_.schedule_after(ms * 1000, [&done] { done = true; });
  while (!done) RECKON_CHECK(queue_.run_next(), "the wake-up event is queued");
}

namespace {

// A result message's fields checked as docs/adapters.md types them (a wrong one throws
// AdapterError naming it); its outcome.
std::string read_result(const MessageReader& m, const std::string& operation,
                        const std::string& last_line) {
  const std::string outcome = read_outcome(m, true);
  for (const char* f : {"authorization_id", "operation", "detail"}) (void)m.text(f, false);
  (void)read_state(m, false);
  (void)m.integer("amount_minor", false, INT64_MIN, INT64_MAX);
  if (const nlohmann::json* lines = m.array("lines", false)) {
    for (const auto& line : *lines) {
      if (!line.is_object()) m.fail("field 'lines' must hold objects, got " + json_kind(line));
      const MessageReader l(line, "message 'result' for " + operation + ", a settlement line",
                            last_line);
      for (const char* f : {"psp_reference", "merchant_reference", "type", "currency"}) {
        (void)l.text(f, true);
      }
      (void)l.integer("amount_minor", true, INT64_MIN, INT64_MAX);
    }
  }
  return outcome;
}

}  // namespace

OpRun Session::run(nlohmann::json operation, bool crash_after_first_request) {
  const nlohmann::json as_given = operation;
  OpRun op;
  op.id = "op-" + std::to_string(next_op_++);
  op.op = operation.at("op").get<std::string>();
  operation["type"] = "operation";
  operation["id"] = op.id;
  op.operation = operation;
  if (const auto key = operation.find("idempotency_key");
      key != operation.end() && key->is_string()) {
    keys_.insert(key->get<std::string>());
  }
  const std::string waiting = "an answer to " + op.describe();
  nlohmann::json answer = talk(operation, waiting);
  // Up to kMaxRequestsPerOperation http and wait messages, then the result.
  for (int requests = 0;; ++requests) {
    const std::string type = answer.at("type").get<std::string>();
    const MessageReader m(answer, "message '" + type + "' for " + op.describe(), link_.last_line());
    const std::string id = *m.text("id", true);
    if (id != op.id) m.fail("it names operation '" + id + "', but the harness is running " + op.id);
    if (type == "result") {
      const std::string outcome = read_result(m, op.describe(), link_.last_line());
      op.result = answer;
      op.outcome = outcome;
      keep_bounded(results_log_, answer.dump() + "\n");
      keep_adapter_log();
      return op;
    }
    if (requests == kMaxRequestsPerOperation) {
      throw AdapterError(op.describe() + ": the adapter sent more than " +
                         std::to_string(kMaxRequestsPerOperation) +
                         " messages without a result: " + link_.last_line());
    }
    keep_bounded(results_log_, message_beyond_the_request(answer) + "\n");
    if (type == "http") {
      op.exchanges.push_back(carry(m, op));
      if (crash_after_first_request) {
        // The request reached the provider (or was lost); the adapter dies before it reads
        // the answer, and the operation is sent again to the new process.
        restart_adapter();
        OpRun again = run(as_given, false);
        again.exchanges.insert(again.exchanges.begin(), op.exchanges.front());
        return again;
      }
      const Exchange& ex = op.exchanges.back();
      nlohmann::json reply = ex.timed_out ? nlohmann::json{{"type", "http_timeout"}, {"id", op.id}}
                                          : nlohmann::json{{"type", "http_response"},
                                                           {"id", op.id},
                                                           {"status", response_.status},
                                                           {"body", response_.body}};
      if (!ex.timed_out && !response_retry_after_.empty()) {
        reply["headers"] = {{"Retry-After", response_retry_after_}};
      }
      answer = talk(reply, waiting);
      continue;
    }
    if (type == "wait") {
      advance_ms(*m.integer("ms", true, 0, 600'000));
      answer = talk({{"type", "waited"}, {"id", op.id}}, waiting);
      continue;
    }
    m.fail("unknown message type '" + type + "' (expected http, wait or result)");
  }
}

Exchange Session::carry(const MessageReader& m, const OpRun& op) {
  const HttpMessage message = read_http_message(m);
  const engine::HttpRequest& http = message.request;
  const int64_t timeout_ms = message.timeout_ms;
  Exchange ex;
  ex.method = http.method;
  ex.path = http.target;
  if (const std::string* key = http.header(engine::kPspIdempotencyHeader)) {
    ex.psp_key = *key;
    keys_.insert(*key);
  }
  if (ex.path.rfind(kSettlementsPrefix, 0) != 0) {
    ex.request = sim::read_psp_request(http, ex.decode_error);
  } else if (ex.method != "GET") {
    ex.decode_error = "method " + ex.method + " not allowed on " + ex.path;
  }
  ex.sent_us = queue_.now_us();
  const uint64_t id = ++exchange_counter_;
  open_exchange_ = id;
  resolved_ = false;
  timed_out_ = false;
  const std::string what = ex.method + " " + ex.path + " key=" + ex.psp_key + " " + op.id;
  network_.send("adapter", "psp", sim::MessageKind::kRequest, what,
                [this, http, what, id] { deliver_to_psp(http, what, id); });
  open_exchange_deadline_us_ = queue_.now_us() + timeout_ms * 1000;
  queue_.schedule_after(timeout_ms * 1000, [this, id] {
    if (open_exchange_ == id && !resolved_) resolved_ = timed_out_ = true;
  });
  // INVARIANT: the deadline event is queued, so this loop ends.
  while (!resolved_) RECKON_CHECK(queue_.run_next(), "the exchange's deadline is queued");
  open_exchange_ = 0;
  ex.timed_out = timed_out_;
  if (!timed_out_) ex.status = response_.status;
  return ex;
}

void Session::deliver_to_psp(const engine::HttpRequest& http, const std::string& what,
                             uint64_t exchange) {
  if (http.target.rfind(kSettlementsPrefix, 0) == 0 && http.method == "GET") {
    const engine::HttpResponse report =
        settlement_report(http.target.substr(std::string(kSettlementsPrefix).size()));
    // The report goes through the PSP's front door too: a 5xx or a slow answer hits it.
    const sim::PspMisbehaviour mis = faults_.psp_misbehaviour("settlement:" + http.target);
    if (mis != sim::PspMisbehaviour::kNone) {
      return answer_adapter(engine::error_response(503, "unavailable", "try again"), what,
                            exchange);
    }
    return answer_adapter(report, what, exchange);
  }
  std::string error;
  const auto request = sim::read_psp_request(http, error);
  if (!request) {
    return answer_adapter(sim::write_psp_invalid_request(error), what, exchange);
  }
  std::vector<int>& script = request->op == engine::PspOp::kLookup ? scripted_lookups_ : scripted_;
  if (!script.empty()) {
    const int status = script.front();
    script.erase(script.begin());
    return scripted_answer(status, *request, what, exchange);
  }
  const std::string site =
      std::string(engine::to_string(request->op)) + ":" + request->idempotency_key;
  endpoint_.receive(*request, what, [this, what, exchange, site](const engine::PspReply& reply) {
    answer_adapter(sim::write_psp_reply(reply, site), what, exchange);
  });
}

void Session::answer_adapter(const engine::HttpResponse& response, const std::string& what,
                             uint64_t exchange, std::string retry_after) {
  network_.send("psp", "adapter", sim::MessageKind::kResponse, what,
                [this, response, exchange, retry_after] {
                  // A late or duplicated answer to an exchange the adapter stopped waiting
                  // for is dropped, as an HTTP client drops a response on a connection it
                  // gave up.
                  if (open_exchange_ != exchange || resolved_) return;
                  resolved_ = true;
                  response_ = response;
                  response_retry_after_ = retry_after;
                });
}

void Session::script_front_door(std::vector<int> statuses) {
  for (const int status : statuses) {
    const bool garbled = status >= kGarbledAnswer && status < kGarbledAnswer + sim::kGarbleKinds;
    const bool at_deadline = status == kJustBeforeDeadline || status == kJustAfterDeadline;
    RECKON_CHECK(
        status == 409 || status == 429 || status == 202 || status == 200 || garbled || at_deadline,
        "the front door scripts 409, 429, 202, a slow 200, garbled and deadline answers only");
  }
  scripted_ = std::move(statuses);
}

void Session::script_lookups(std::vector<int> statuses) {
  for (const int status : statuses) {
    RECKON_CHECK(status >= kGarbledAnswer && status < kGarbledAnswer + sim::kGarbleKinds,
                 "lookups are scripted garbled answers only");
  }
  scripted_lookups_ = std::move(statuses);
}

void Session::scripted_answer(int status, const engine::PspRequest& request,
                              const std::string& what, uint64_t exchange) {
  if (status == 409) {
    return answer_adapter(sim::encode_psp_not_yet(sim::PspNotYet::kInProgress), what, exchange);
  }
  if (status == 429) {
    return answer_adapter(sim::encode_psp_not_yet(sim::PspNotYet::kRateLimited), what, exchange,
                          "1");
  }
  if (status == kJustBeforeDeadline || status == kJustAfterDeadline) {
    // Done now; the answer lands 1 ms either side of the adapter's deadline for the request
    // (straight to the adapter: network latency would blur the millisecond).
    const engine::HttpResponse done = sim::write_psp_reply(psp_.process(request, queue_.now_us()));
    const int64_t at_us =
        open_exchange_deadline_us_ + (status == kJustBeforeDeadline ? -1'000 : 1'000);
    queue_.schedule_after(std::max<int64_t>(0, at_us - queue_.now_us()), [this, done, exchange] {
      if (open_exchange_ != exchange || resolved_) return;  // the adapter gave up: dropped
      resolved_ = true;
      response_ = done;
      response_retry_after_.clear();
    });
    return;
  }
  if (status >= kGarbledAnswer && status < kGarbledAnswer + sim::kGarbleKinds) {
    // Done now; the answer's body breaks the dialect, so it cannot be read as an outcome.
    const engine::HttpResponse done = sim::write_psp_reply(psp_.process(request, queue_.now_us()));
    return answer_adapter(sim::garble_psp_reply(done, status - kGarbledAnswer), what, exchange);
  }
  if (status == 200) {
    // Done now, answered after the provider's slowest documented time.
    const engine::HttpResponse done = sim::write_psp_reply(psp_.process(request, queue_.now_us()));
    queue_.schedule_after(kSlowestAnswerMs * 1000,
                          [this, done, what, exchange] { answer_adapter(done, what, exchange); });
    return;
  }
  // 202: the provider took the request and does it a while later (docs/psp-dialect.md): a
  // lookup before then finds nothing yet, which says nothing about the operation.
  queue_.schedule_after(kProcessingAfter202Ms * 1000,
                        [this, request] { (void)psp_.process(request, queue_.now_us()); });
  return answer_adapter(sim::encode_psp_not_yet(sim::PspNotYet::kProcessing), what, exchange);
}

engine::HttpResponse Session::settlement_report(const std::string& date) const {
  const auto day = engine::parse_date(date);
  if (!day) {
    return engine::error_response(400, "invalid_request",
                                  "settlement date '" + date + "' must be YYYY-MM-DD");
  }
  engine::HttpResponse out;
  out.status = 200;
  out.body = std::string(oracle::kSettlementHeader) + "\n";
  if (*day != kEpochUnixUs / 86'400'000'000LL) return out;  // every run settles on its first day
  const std::string event_time = oracle::timestamp_text(kEpochUnixUs + queue_.now_us());
  for (const sim::PspSettledEvent& e : psp_.settled_events()) {
    const std::optional<int> exponent = oracle::iso4217_minor_units(e.currency);
    RECKON_CHECK(exponent.has_value(), "the simulated PSP trades only in known currencies");
    const int64_t gross = e.refund ? -e.amount_minor : e.amount_minor;
    const int64_t fee = oracle::capture_fee_minor(gross, kFeeBps);
    out.body += e.psp_reference + "," + e.idempotency_key + "," +
                (e.refund ? "refund" : "capture") + "," + money_text(gross, *exponent) + "," +
                money_text(fee, *exponent) + "," + money_text(gross - fee, *exponent) + "," +
                e.currency + "," + date + "," + event_time + "\n";
  }
  return out;
}

}  // namespace reckon::adapters
