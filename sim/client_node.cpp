#include "sim/client_node.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "engine/check.h"
#include "oracle/charge_rules.h"
#include "oracle/currencies.h"
#include "sim/engine_node.h"
#include "sim/error_body.h"
#include "sim/merchant_spelling.h"
#include "sim/properties.h"

namespace reckon::sim {

// A second of slack for delivery and processing in every judge that compares the engine's
// clock with virtual time (on top of the plan's clock-skew range).
constexpr TimeUs kDeliverySlackUs = 1'000'000;
namespace {

struct CurrencyChoice {
  const char* code;
  int64_t min_minor;
  int64_t max_minor;
};

// 0-, 2- and 3-decimal currencies, so exponent bugs have somewhere to show.
constexpr CurrencyChoice kCurrencies[] = {
    {"USD", 50, 500'000}, {"JPY", 50, 300'000}, {"KWD", 100, 2'000'000}};

// Amounts for an order in `code`: the table's range, or for other currencies 0.50 to
// 5,000 major units at the currency's exponent (whole units for exponent 0).
CurrencyChoice amounts_for(const std::string& code) {
  for (const auto& c : kCurrencies) {
    if (code == c.code) return c;
  }
  const auto exponent = oracle::iso4217_minor_units(code);
  RECKON_CHECK(exponent.has_value(), "client currencies are checked against ISO 4217");
  const int64_t unit = oracle::minor_units_per_major(*exponent);
  return CurrencyChoice{nullptr, std::max<int64_t>(1, unit / 2), 5'000 * unit};
}

}  // namespace

ClientNode::ClientNode(uint64_t run_seed, int index, ClientConfig config, EventQueue& queue,
                       Trace& trace, Network& network, EngineNode& engine, FaultInjector& faults,
                       ClientFailureSink fail)
    : index_(index),
      name_("client-" + std::to_string(index)),
      key_prefix_("till-" + std::to_string(index / 2)),
      config_(config),
      queue_(queue),
      trace_(trace),
      network_(network),
      engine_(engine),
      faults_(faults),
      fail_(std::move(fail)),
      stream_(run_seed, "client." + std::to_string(index)),
      // Both clients of a till spell alike (see key_prefix_), so their keys meet.
      spelling_stream_(run_seed, "spelling.till." + std::to_string(index / 2)),
      spelling_(draw_merchant_spelling(spelling_stream_)) {}

void ClientNode::start() {
  queue_.schedule_after(stream_.between(0, config_.think_time_max_us), [this] { begin_order(); });
}

void ClientNode::begin_order() {
  if (order_ >= config_.payments) {
    done_ = true;
    trace_.record(queue_.now_us(), name_, "done", "");
    return;
  }
  ++order_;
  ++stats_.orders;
  pay_try_ = 1;
  RECKON_CHECK(!config_.currencies.empty(), "a client needs a currency");
  currency_ = config_.currencies[stream_.below(config_.currencies.size())];
  const CurrencyChoice c = amounts_for(currency_);
  amount_minor_ = stream_.between(c.min_minor, c.max_minor);
  auto_capture_ = stream_.chance(config_.auto_capture);
  const bool partial = stream_.chance(config_.partial_capture);
  capture_minor_ = partial ? stream_.between(1, amount_minor_) : amount_minor_;
  step_ = Step::kAuthorize;
  authorize_answered_us_ = 0;
  charge_id_.clear();
  refund_number_ = 0;
  captured_minor_ = 0;
  auth_key_.clear();
  // An order given up mid-probe must not leave its probe flags to the next one.
  over_capture_probe_ = false;
  void_probe_ = false;
  forgotten_key_probe_ = false;
  refund_is_probe_ = false;
  probe_planned_ = false;
  refund_while_unknown_ = false;
  capture_while_unknown_ = false;
  void_while_unknown_ = false;
  token_ =
      spell_token(spelling_.token, "tok_c" + std::to_string(index_) + "_o" + std::to_string(order_),
                  spelling_stream_);
  key_ = order_key("pay1");
  attempt_ = 0;
  send_current();
}

engine::HttpRequest ClientNode::build_request(Step step, const std::string& key,
                                              bool quoted) const {
  engine::HttpRequest r;
  r.method = "POST";
  r.headers["idempotency-key"] = key_header_value(key, quoted);
  // Clients alternate between the two test merchants, so runs exercise merchant scoping.
  const std::string_view api_key =
      index_ % 2 == 0 ? oracle::kMerchant1ApiKey : oracle::kMerchant2ApiKey;
  r.headers["authorization"] = "Bearer " + std::string(api_key);
  r.headers["content-type"] = "application/json";
  if (step == Step::kAuthorize || step == Step::kReuseProbe) {
    // The key-reuse probe sends the authorization's key with another amount.
    r.target = "/v1/charges";
    // Past the key's retention the probe is a new charge: another card, so that the
    // customer of the order is still charged once.
    const bool other_card = step == Step::kReuseProbe && forgotten_key_probe_;
    nlohmann::json body = {{"amount", amount_minor_ + (step == Step::kReuseProbe ? 1 : 0)},
                           {"currency", currency_},
                           {"source", other_card ? another_card_token(token_) : token_},
                           {"capture", auto_capture_}};
    r.body = body.dump();
  } else if (step == Step::kCapture) {
    r.target = "/v1/charges/" + charge_id_ + "/capture";
    const int64_t amount = over_capture_probe_ ? amount_minor_ + 1 : capture_minor_;
    r.body = nlohmann::json{{"amount", amount}}.dump();
  } else if (step == Step::kVoid) {
    r.target = "/v1/charges/" + charge_id_ + "/void";
    r.body = "{}";
  } else {
    r.target = "/v1/charges/" + charge_id_ + "/refund";
    r.body = refund_minor_ ? nlohmann::json{{"amount", *refund_minor_}}.dump() : "{}";
  }
  return r;
}

std::string ClientNode::order_key(const std::string& suffix) {
  return spell_key(spelling_.key, key_prefix_ + "-o" + std::to_string(order_) + "-" + suffix,
                   spelling_stream_);
}

bool ClientNode::next_key_quoted() {
  return spelling_.quoted_quarters > 0 &&
         spelling_stream_.below(4) < static_cast<uint64_t>(spelling_.quoted_quarters);
}

ClientNode::Sent ClientNode::describe(Step step, const std::string& key) const {
  Sent sent;
  sent.key = key;
  sent.sent_us = queue_.now_us();
  sent.payment = charge_id_.empty() ? token_ : charge_id_;
  sent.step = step;
  sent.charge_id = charge_id_;
  sent.currency = currency_;
  sent.capture = auto_capture_;
  switch (step) {
    case Step::kAuthorize:
      sent.amount_minor = amount_minor_;
      break;
    case Step::kReuseProbe:
      sent.amount_minor = amount_minor_ + 1;
      break;
    case Step::kCapture:
      sent.amount_minor = over_capture_probe_ ? amount_minor_ + 1 : capture_minor_;
      sent.over_capture = over_capture_probe_;
      break;
    case Step::kVoid:
      break;
    case Step::kRefund:
      sent.amount_minor = refund_minor_.value_or(0);
      sent.refunded_before = captured_minor_ - refundable_minor_;
      break;
  }
  return sent;
}

void ClientNode::send_current() {
  ++attempt_;
  if (step_ == Step::kAuthorize && attempt_ == 1) authorize_sent_us_ = queue_.now_us();
  if (step_ == Step::kCapture && attempt_ == 1) capture_sent_us_ = queue_.now_us();
  const uint64_t id = next_request_id_++;
  outstanding_ = id;
  engine::HttpRequest request = build_request(step_, key_, next_key_quoted());
  Sent sent = describe(step_, key_);
  // A double submission: the authorization's first attempt goes out twice at once.
  const bool twice =
      step_ == Step::kAuthorize && attempt_ == 1 &&
      faults_.client_misbehaves(ClientMisbehaviour::kConcurrentSameKey, name_ + ":" + key_);
  Sent copy = sent;
  sent_.emplace(id, std::move(sent));
  const std::string what = request.method + " " + request.target + " key=" + key_ +
                           " attempt=" + std::to_string(attempt_);
  transmit(id, request, what);
  queue_.schedule_after(config_.timeout_us, [this, id] { on_timeout(id); });
  if (!twice) return;
  // The copy has no timeout and never drives the order: only its answer is judged.
  const uint64_t copy_id = next_request_id_++;
  copy.concurrent = true;
  sent_.emplace(copy_id, std::move(copy));
  ++stats_.concurrent_sent;
  transmit(copy_id, request, what + " concurrent=1");
}

void ClientNode::transmit(uint64_t request_id, const engine::HttpRequest& request,
                          const std::string& what) {
  // Keyed by the key, not the header: a quoted and a bare header are one key.
  first_sent_.emplace(sent_.at(request_id).key, queue_.now_us());  // keeps the first
  network_.send(name_, engine_.name(), MessageKind::kRequest, what, [this, request, request_id] {
    engine_.receive(request, [this, request_id](const engine::HttpResponse& response) {
      network_.send(engine_.name(), name_, MessageKind::kResponse,
                    "status=" + std::to_string(response.status),
                    [this, request_id, response] { on_response(request_id, response); });
    });
  });
}

void ClientNode::on_timeout(uint64_t request_id) {
  if (request_id != outstanding_) return;
  outstanding_ = 0;
  last_answer_ = "no answer within the timeout";
  trace_.record(queue_.now_us(), name_, "timeout", "key=" + key_);
  after_ambiguous();
}

void ClientNode::after_ambiguous() {
  // The subject names the key and the attempt: one opportunity per unanswered call.
  if (faults_.client_misbehaves(ClientMisbehaviour::kGiveUp,
                                name_ + ":" + key_ + "#" + std::to_string(attempt_))) {
    ++stats_.gave_up;
    ++stats_.abandoned;
    trace_.record(queue_.now_us(), name_, "give_up", "key=" + key_);
    return finish_order_now("gave-up");
  }
  retry_later();
}

void ClientNode::retry_later() {
  if (attempt_ >= config_.attempts_max) {
    ++stats_.abandoned;
    if (config_.answers_guaranteed) {
      fail_(kLegitimateRequestHonoured, charge_id_.empty() ? token_ : charge_id_,
            "key " + key_ + ": no final answer after " + std::to_string(attempt_) +
                " attempts (last: " + last_answer_ +
                "), in a run where no fault can withhold or delay one");
    }
    return finish_order("abandoned");
  }
  queue_.schedule_after(next_backoff_us(attempt_), [this] { send_current(); });
}

TimeUs ClientNode::next_backoff_us(int attempt) {
  const int shift = std::min(attempt - 1, 20);
  const TimeUs backoff_us = std::min(config_.backoff_cap_us, config_.backoff_base_us << shift);
  return backoff_us + stream_.between(0, backoff_us / 2);
}

void ClientNode::observe(const Sent& sent, const engine::HttpResponse& response) {
  const bool completed =
      (response.status >= 200 && response.status < 300) || response.status == 402;
  if (!completed) return;  // no answer yet: every outcome stays possible
  auto [first, inserted] =
      completed_.try_emplace(sent.key, Completed{response.status, response.body});
  if (inserted) {
    const std::string_view api_key =
        index_ % 2 == 0 ? oracle::kMerchant1ApiKey : oracle::kMerchant2ApiKey;
    const auto first_sent = first_sent_.find(sent.key);
    acks_.push_back(
        Acknowledgement{std::string(api_key), sent.key, response.status, queue_.now_us(),
                        first_sent == first_sent_.end() ? queue_.now_us() : first_sent->second});
  } else if (first->second.status != response.status || first->second.body != response.body) {
    return fail_(kReplayedResponseEqualsFirst, sent.payment,
                 name_ + " key " + sent.key + " was first answered " +
                     std::to_string(first->second.status) + " " + first->second.body + ", later " +
                     std::to_string(response.status) + " " + response.body);
  }
  const std::string why = inconsistency(sent, response);
  if (!why.empty()) {
    fail_(kClientConsistency, sent.payment,
          name_ + " key " + sent.key + ": " + why + " (answer " + std::to_string(response.status) +
              " " + response.body + ")");
  }
}

std::string ClientNode::unknown_outcome_inconsistency(const Sent& sent,
                                                      const engine::HttpResponse& response) const {
  // docs/api.md: like a 402, a 503 psp_outcome_unknown carries the charge being resolved, so
  // the merchant knows which one it is: a new one (status `unknown`, what was asked for), or
  // the charge the request named. When the storage may fail, the charge is as it was before
  // the failed commit (a new one still `pending`), or missing when it could not be read.
  const auto body = nlohmann::json::parse(response.body, nullptr, false);
  const auto charge = body.is_object() ? body.find("charge") : body.end();
  if (!body.is_object() || charge == body.end() || !charge->is_object()) {
    return config_.storage_reliable ? "a 503 psp_outcome_unknown without the charge being resolved"
                                    : "";
  }
  auto text = [&](const char* field) -> std::string {
    auto it = charge->find(field);
    return it != charge->end() && it->is_string() ? it->get<std::string>() : "";
  };
  if (text("id").empty()) return "a 503 psp_outcome_unknown whose charge has no id";
  if (sent.step != Step::kAuthorize && sent.step != Step::kReuseProbe) {
    return text("id") == sent.charge_id ? ""
                                        : "asked about " + sent.charge_id + ", told about another";
  }
  auto amount = charge->find("amount");
  const bool status_allowed =
      text("status") == "unknown" || (!config_.storage_reliable && text("status") == "pending");
  if (!status_allowed || amount == charge->end() || !amount->is_number_integer() ||
      amount->get<int64_t>() != sent.amount_minor || text("currency") != sent.currency) {
    return "asked to charge " + std::to_string(sent.amount_minor) + " " + sent.currency +
           ", the ambiguous outcome names another charge than a new one of that (status "
           "unknown)";
  }
  return "";
}

std::string ClientNode::inconsistency(const Sent& sent,
                                      const engine::HttpResponse& response) const {
  const auto body = nlohmann::json::parse(response.body, nullptr, false);
  if (!body.is_object()) return "a completed answer without a JSON object body";
  const nlohmann::json* charge = &body;
  if (response.status == 402) {
    auto it = body.find("charge");
    if (it == body.end() || !it->is_object()) return "a decline without its charge";
    charge = &*it;
  }
  auto number = [&](const char* field) -> int64_t {
    auto it = charge->find(field);
    return it != charge->end() && it->is_number_integer() ? it->get<int64_t>() : -1;
  };
  auto text = [&](const char* field) -> std::string {
    auto it = charge->find(field);
    return it != charge->end() && it->is_string() ? it->get<std::string>() : "";
  };
  const bool success = response.status != 402;
  const std::string status = text("status");
  if (sent.step == Step::kAuthorize || sent.step == Step::kReuseProbe) {
    if (number("amount") != sent.amount_minor || text("currency") != sent.currency) {
      return "asked to charge " + std::to_string(sent.amount_minor) + " " + sent.currency +
             ", told about a charge of " + std::to_string(number("amount")) + " " +
             text("currency");
    }
    const std::string expected = sent.capture ? "captured" : "authorized";
    if (success && status != expected) return "a new charge is " + status + ", not " + expected;
    return creation_time_problem(sent.key, number("created_us"));
  }
  if (text("id") != sent.charge_id) return "asked about " + sent.charge_id + ", told about another";
  if (!success) return "";
  if (sent.step == Step::kCapture &&
      (status != "captured" || number("amount_captured") != sent.amount_minor)) {
    return "asked to capture " + std::to_string(sent.amount_minor) + ", told " + status + " with " +
           std::to_string(number("amount_captured")) + " captured";
  }
  if (sent.step == Step::kVoid && status != "voided") return "asked to void, told " + status;
  if (sent.step == Step::kRefund) {
    const int64_t expected = sent.amount_minor > 0 ? sent.refunded_before + sent.amount_minor
                                                   : number("amount_captured");
    if (number("amount_refunded") != expected) {
      return "after refunds of " + std::to_string(sent.refunded_before) + " asked to refund " +
             (sent.amount_minor > 0 ? std::to_string(sent.amount_minor) : "the rest") + ", told " +
             std::to_string(number("amount_refunded")) + " is refunded";
    }
  }
  return "";
}

std::string ClientNode::creation_time_problem(const std::string& key, int64_t created_us) const {
  // docs/api.md: `created_us` is the engine's clock when it admitted the charge: after the
  // key's first request left and before this answer arrived, on a clock that may read up to
  // the skew range apart from virtual time; a second more for delivery.
  const auto first = first_sent_.find(key);
  if (first == first_sent_.end()) return "";
  const TimeUs slack_us = config_.engine_clock_skew_range_us + kDeliverySlackUs;
  if (created_us >= first->second - slack_us && created_us <= queue_.now_us() + slack_us) {
    return "";
  }
  return "the charge's created_us " + std::to_string(created_us) +
         " is outside the time its request was made: first sent at " +
         std::to_string(first->second) + ", answered at " + std::to_string(queue_.now_us()) +
         " (engine clock skew up to " + std::to_string(config_.engine_clock_skew_range_us) + "us)";
}

void ClientNode::on_response(uint64_t request_id, const engine::HttpResponse& response) {
  // Every answer is judged, including late and duplicated ones.
  if (auto sent = sent_.find(request_id); sent != sent_.end()) {
    // Storage fails only when a fault is injected (sim/durable_vfs.h): a claim of it with
    // none injected since this attempt left is a request the engine could have recorded.
    if (claims_storage_failure(response.status, response.body) &&
        faults_.last_storage_fault_us() < sent->second.sent_us) {
      ++stats_.unexpected;
      fail_(kLegitimateRequestHonoured, sent->second.payment,
            name_ + " key " + sent->second.key + " was answered 503 " + response.body +
                " though no storage fault was injected since it was sent at t=" +
                std::to_string(sent->second.sent_us) +
                "us: nothing could keep the engine from recording it");
    }
    if (response.status == 503 && error_code_of(response.body) == "psp_outcome_unknown") {
      const std::string why = unknown_outcome_inconsistency(sent->second, response);
      if (!why.empty()) {
        fail_(kClientConsistency, sent->second.payment,
              name_ + " key " + sent->second.key + ": " + why + " (answer 503 " + response.body +
                  ")");
      }
    }
    observe(sent->second, response);
    if (sent->second.concurrent) judge_concurrent(sent->second, response);
    if (sent->second.over_capture) judge_over_capture(sent->second, response);
    if (sent->second.lane != 0) return on_race_response(sent->second.lane, request_id, response);
  }
  if (request_id != outstanding_) return;  // late or duplicated answer to an earlier attempt
  outstanding_ = 0;
  last_answer_ = std::to_string(response.status) + " " + error_code_of(response.body);
  trace_.record(queue_.now_us(), name_, "response",
                "key=" + key_ + " status=" + std::to_string(response.status));
  if (response.status == 503) {
    if (refund_while_unknown(response) || capture_while_unknown(response) ||
        void_while_unknown(response)) {
      return;
    }
    return after_ambiguous();
  }
  if (response.status == 409) {
    // Retry only what may change: the key still in flight, or the authorization still being
    // resolved. Other 409s (not capturable, not voidable, ...) are answers.
    const std::string code = error_code_of(response.body);
    if (code == "request_in_progress" || code == "charge_unresolved") return retry_later();
  }
  switch (step_) {
    case Step::kAuthorize:
      return on_authorize_response(response);
    case Step::kCapture:
      return on_capture_response(response);
    case Step::kVoid:
      return on_void_response(response);
    case Step::kRefund:
      return on_refund_response(response);
    case Step::kReuseProbe:
      return on_reuse_probe_response(response);
  }
}

void ClientNode::judge_over_capture(const Sent& sent, const engine::HttpResponse& response) {
  // docs/api.md: a capture of more than the authorized amount is refused 400
  // amount_exceeds_authorization; a charge that cannot be captured at all is refused 409
  // first, and a storage failure is 503 storage_unavailable. Anything else (a capture, a
  // decline, a PSP outcome unknown) means it went to the PSP, or was refused as something it
  // is not.
  if ((response.status == 400 && error_code_of(response.body) == "amount_exceeds_authorization") ||
      response.status == 409 || claims_storage_failure(response.status, response.body)) {
    return;
  }
  fail_(kInvalidRequestRefused, sent.payment,
        name_ + " key " + sent.key + ": a capture of " + std::to_string(sent.amount_minor) +
            ", one more than was authorized (docs/api.md: 400 amount_exceeds_authorization), "
            "was answered " +
            std::to_string(response.status) + " " + response.body);
}

void ClientNode::judge_concurrent(const Sent& sent, const engine::HttpResponse& response) {
  // Two requests with one key and one body are one request: the engine answers the one that
  // arrives second 409 request_in_progress while the first is in flight, the first's stored
  // answer once it is done (observe() holds that to the first answer), or 503 when it could
  // not record or resolve it. Anything else (422 above all: the same body is no reuse) is
  // not an answer to this request.
  trace_.record(queue_.now_us(), name_, "concurrent_response",
                "key=" + sent.key + " status=" + std::to_string(response.status));
  const bool completed =
      (response.status >= 200 && response.status < 300) || response.status == 402;
  if (completed || response.status == 503) return;
  if (response.status == 409 && error_code_of(response.body) == "request_in_progress") {
    ++stats_.concurrent_in_flight;
    return;
  }
  fail_(kClientConsistency, sent.payment,
        name_ + " key " + sent.key + ": two requests with this key and the same body at once; " +
            "one was answered " + std::to_string(response.status) + " " + response.body +
            " (expected 409 request_in_progress, 503, or the first request's answer)");
}

void ClientNode::on_reuse_probe_response(const engine::HttpResponse& response) {
  if (forgotten_key_probe_) {
    // Past retention the key is a new request (docs/api.md, "Retention"): 201 or 402 like
    // any new charge. A 422 means the engine still remembered the key.
    forgotten_key_probe_ = false;
    if (response.status == 201 || response.status == 402) {
      ++stats_.key_reuses_new_charge;
    } else {
      ++stats_.unexpected;
      refused_legitimate(response,
                         "a new charge: the key was answered more than its 24 h retention ago, "
                         "so it is a new request (docs/api.md, Retention: 201, or 402)");
    }
    return finish_order_now(pending_outcome_);
  }
  // docs/api.md: the same key with another body is 422 idempotency_key_reused, whatever the
  // first request's state (kept keys only reach here). observe() also judged a completed one.
  if (response.status == 422 && error_code_of(response.body) == "idempotency_key_reused") {
    ++stats_.key_reuses_refused;
  } else {
    ++stats_.unexpected;
    fail_(kInvalidRequestRefused, charge_id_.empty() ? token_ : charge_id_,
          name_ + " key " + key_ + " reused with another amount (docs/api.md: 422 " +
              "idempotency_key_reused) was answered " + std::to_string(response.status) + " " +
              response.body);
  }
  finish_order_now(pending_outcome_);
}

void ClientNode::start_step(Step step, const std::string& key_suffix) {
  step_ = step;
  key_ = order_key(key_suffix);
  attempt_ = 0;
  send_current();
}

void ClientNode::on_authorize_response(const engine::HttpResponse& response) {
  if (response.status == 201 || response.status == 402) {
    auth_key_ = key_;
    auth_key_answered_us_ = queue_.now_us();
  }
  if (response.status == 201) {
    ++stats_.authorized;
    auto body = nlohmann::json::parse(response.body, nullptr, false);
    RECKON_CHECK(!body.is_discarded() && body.contains("id"), "a 201 carries the charge id");
    charge_id_ = body["id"].get<std::string>();
    if (auto_capture_) {
      ++stats_.captured;
      return after_capture(amount_minor_);
    }
    authorize_answered_us_ = queue_.now_us();
    if (config_.hold_max_us <= 0) return settle_authorization();
    const TimeUs hold_us = stream_.between(config_.hold_min_us, config_.hold_max_us);
    trace_.record(queue_.now_us(), name_, "hold",
                  "order=" + std::to_string(order_) + " for_us=" + std::to_string(hold_us));
    queue_.schedule_after(hold_us, [this] { settle_authorization(); });
    return;
  }
  if (response.status == 402) {
    ++stats_.declined;
    if (pay_try_ < 2 && stream_.chance(config_.pay_again_after_decline)) {
      ++pay_try_;  // the customer pays again: a new key, the same order
      key_ = order_key("pay" + std::to_string(pay_try_));
      attempt_ = 0;
      return send_current();
    }
    return finish_order("declined");
  }
  ++stats_.unexpected;
  refused_legitimate(response, "a new charge (docs/api.md: 201, or 402 when declined or failed)");
  finish_order("unexpected-" + std::to_string(response.status));
}

void ClientNode::settle_authorization() {
  if (stream_.chance(config_.capture_void_race)) return start_race();
  if (stream_.chance(config_.void_instead_of_capture)) return start_step(Step::kVoid, "void");
  over_capture_probe_ = faults_.client_misbehaves(ClientMisbehaviour::kOverCapture,
                                                  name_ + ":o" + std::to_string(order_));
  start_step(Step::kCapture, over_capture_probe_ ? "capture-over" : "capture");
}

bool ClientNode::key_certainly_kept(const std::string& key) const {
  // Retention counts from the key's first request on the engine's clock, which may read up
  // to the skew range apart from virtual time; a second more for delivery.
  const auto first = first_sent_.find(key);
  return first != first_sent_.end() &&
         queue_.now_us() - first->second + config_.engine_clock_skew_range_us + kDeliverySlackUs <
             oracle::kIdempotencyRetentionUs;
}

bool ClientNode::auth_key_certainly_forgotten() const {
  // The engine stored the key no later than its answer arrived; its clock readings may
  // differ from virtual time by the skew range; a second more for delivery.
  return queue_.now_us() - auth_key_answered_us_ - config_.engine_clock_skew_range_us -
             kDeliverySlackUs >=
         oracle::kIdempotencyRetentionUs;
}

bool ClientNode::capture_certainly_late() const {
  // The engine booked the authorization no later than its 201 arrived, and reads the
  // capture's time no earlier than the first attempt left; its clock readings may differ
  // from virtual time by the skew range. Past that, docs/state-machine.md allows only 409.
  return config_.engine_authorization_expiry_us > 0 && authorize_answered_us_ > 0 &&
         capture_sent_us_ - authorize_answered_us_ >=
             config_.engine_authorization_expiry_us + config_.engine_clock_skew_range_us;
}

bool ClientNode::authorization_may_have_expired() const {
  // The engine counts expiry from when it booked the authorization, which is no earlier than
  // the key's first request, on its own clock, which may be skewed or step at a restart
  // ([faults.clock]): the booking and the check may read clocks apart by the whole skew
  // range, plus a second for delivery.
  return config_.engine_authorization_expiry_us > 0 && queue_.now_us() - authorize_sent_us_ +
                                                               kDeliverySlackUs +
                                                               config_.engine_clock_skew_range_us >=
                                                           config_.engine_authorization_expiry_us;
}

void ClientNode::refused_legitimate(const engine::HttpResponse& response, const std::string& why) {
  fail_(kLegitimateRequestHonoured, charge_id_.empty() ? token_ : charge_id_,
        name_ + " key " + key_ + ": " + why + " was answered " + std::to_string(response.status) +
            " " + response.body);
}

void ClientNode::on_capture_response(const engine::HttpResponse& response) {
  const bool probe = over_capture_probe_;  // not a legitimate request: 400 is its answer
  if (over_capture_probe_) {
    over_capture_probe_ = false;
    if (response.status == 400) {  // refused (judge_over_capture judged how): now capture
      ++stats_.over_captures_refused;
      return start_step(Step::kCapture, "capture");
    }
  }
  if (!probe && response.status != 409 && capture_certainly_late()) {
    fail_(kAuthorizationExpiryEnforced, charge_id_,
          name_ + " key " + key_ + ": a capture first sent " +
              std::to_string(capture_sent_us_ - authorize_answered_us_) +
              "us after the authorization was answered, past the engine's expiry of " +
              std::to_string(config_.engine_authorization_expiry_us) +
              "us (docs/state-machine.md: 409 authorization_expired), was answered " +
              std::to_string(response.status) + " " + response.body);
  }
  if (response.status == 200) {
    ++stats_.captured;
    auto body = nlohmann::json::parse(response.body, nullptr, false);
    RECKON_CHECK(!body.is_discarded() && body.contains("amount_captured"),
                 "a capture's 200 carries the charge");
    return after_capture(body["amount_captured"].get<int64_t>());
  }
  if (authorize_answered_us_ > 0) {
    // Not captured: unless the engine's expiry voids it, the customer's money stays held.
    held_.push_back(HeldAuthorization{token_, charge_id_, authorize_answered_us_, queue_.now_us()});
  }
  // A capture sent while the charge was UNKNOWN finds it declined or failed once it is
  // resolved: refused 409 charge_not_capturable, an answer (refusal_property judges that the
  // charge was resolved by then).
  const bool resolved_uncapturable = capture_while_unknown_ && response.status == 409 &&
                                     error_code_of(response.body) == "charge_not_capturable";
  if (response.status == 409 && authorization_may_have_expired()) {
    ++stats_.refused_as_expired;
  } else if (response.status != 402 && !resolved_uncapturable) {
    ++stats_.unexpected;
    if (!probe) {
      refused_legitimate(response, "a capture of " + std::to_string(capture_minor_) +
                                       " of an authorization of " + std::to_string(amount_minor_) +
                                       " (docs/api.md: 200, or 402; 409 only once it may expire)");
    }
  }
  finish_order("capture-" + std::to_string(response.status));
}

void ClientNode::on_void_response(const engine::HttpResponse& response) {
  if (void_probe_) {
    // A void of a captured charge: a correct engine refuses it (409) before the PSP hears of
    // it; if it went to the PSP, psp-request-admissible has already judged that.
    void_probe_ = false;
    if (response.status == 409) {
      ++stats_.late_voids_refused;
    } else {
      ++stats_.unexpected;
    }
    return plan_refunds();
  }
  if (response.status == 200) {
    ++stats_.voided;
    return finish_order("voided");
  }
  if (authorize_answered_us_ > 0) {
    held_.push_back(HeldAuthorization{token_, charge_id_, authorize_answered_us_, queue_.now_us()});
  }
  // A void sent while the charge was UNKNOWN finds it declined or failed once it is
  // resolved: refused 409 charge_not_voidable, an answer (refusal_property judges that the
  // charge was resolved by then).
  const bool resolved_unvoidable = void_while_unknown_ && response.status == 409 &&
                                   error_code_of(response.body) == "charge_not_voidable";
  if (response.status == 409 && authorization_may_have_expired()) {
    ++stats_.refused_as_expired;
  } else if (response.status != 402 && !resolved_unvoidable) {
    ++stats_.unexpected;
    refused_legitimate(response,
                       "a void of an authorized charge (docs/api.md: 200, or 402; "
                       "409 only once it may expire)");
  }
  finish_order("void-" + std::to_string(response.status));
}

void ClientNode::after_capture(int64_t captured_minor) {
  captured_minor_ = captured_minor;
  refundable_minor_ = captured_minor;
  refunds_left_ = 0;
  probe_planned_ = false;
  if (faults_.client_misbehaves(ClientMisbehaviour::kVoidAfterCapture,
                                name_ + ":o" + std::to_string(order_))) {
    void_probe_ = true;
    return start_step(Step::kVoid, "void-late");
  }
  plan_refunds();
}

void ClientNode::plan_refunds() {
  if (!stream_.chance(config_.refund_after_capture)) return finish_order("captured");
  if (refundable_minor_ >= 2 && stream_.chance(config_.refund_race)) return start_refund_race();
  refunds_left_ = static_cast<int>(stream_.between(1, config_.refunds_max));
  probe_planned_ = stream_.chance(config_.over_refund_probe);
  next_refund();
}

void ClientNode::next_refund() {
  refund_is_probe_ = false;
  if (refunds_left_ > 0 && refundable_minor_ > 0) {
    --refunds_left_;
    // The last planned refund sometimes asks for "the rest" (no amount).
    const bool rest = refunds_left_ == 0 && stream_.chance(Ratio{1, 2});
    refund_minor_ =
        rest ? std::nullopt : std::optional<int64_t>(stream_.between(1, refundable_minor_));
  } else if (probe_planned_) {
    probe_planned_ = false;
    refund_is_probe_ = true;
    // One more than is left; or, when nothing is left, sometimes "the rest" of nothing.
    const bool rest_of_nothing = refundable_minor_ == 0 && stream_.chance(Ratio{1, 2});
    refund_minor_ = rest_of_nothing ? std::nullopt : std::optional<int64_t>(refundable_minor_ + 1);
  } else {
    return finish_order(refund_while_unknown_ ? "refunded-while-unknown" : "refunded");
  }
  ++refund_number_;
  start_step(Step::kRefund, "refund" + std::to_string(refund_number_));
}

void ClientNode::on_refund_response(const engine::HttpResponse& response) {
  if (refund_is_probe_) {
    // docs/api.md: more than is left is 400 amount_exceeds_refundable while something is
    // left; a charge with nothing left is `refunded`, not `captured`, so any refund of it is
    // 409 charge_not_refundable. Every earlier refund of this order was answered, so
    // refundable_minor_ is exactly what is left.
    const bool nothing_left = refundable_minor_ == 0;
    const int status = nothing_left ? 409 : 400;
    const char* code = nothing_left ? "charge_not_refundable" : "amount_exceeds_refundable";
    if (response.status == status && error_code_of(response.body) == code) {
      ++stats_.over_refunds_refused;
    } else {
      ++stats_.unexpected;
      fail_(kInvalidRequestRefused, charge_id_,
            name_ + " key " + key_ + ": a refund of " +
                (refund_minor_ ? std::to_string(*refund_minor_) : "the rest") + " with " +
                std::to_string(refundable_minor_) +
                " refundable (docs/api.md: " + std::to_string(status) + " " + code +
                ") was answered " + std::to_string(response.status) + " " + response.body);
    }
    return next_refund();
  }
  if (response.status == 200) {
    ++stats_.refunds;
    auto body = nlohmann::json::parse(response.body, nullptr, false);
    RECKON_CHECK(!body.is_discarded() && body.contains("amount_refunded"),
                 "a refund's 200 carries the charge");
    refundable_minor_ =
        body["amount_captured"].get<int64_t>() - body["amount_refunded"].get<int64_t>();
    return next_refund();
  }
  // A refund sent while the charge was UNKNOWN finds it declined, failed or voided once it is
  // resolved: refused 409 charge_not_refundable, which is an answer, not a surprise.
  if (response.status != 402 && !(refund_while_unknown_ && response.status == 409)) {
    ++stats_.unexpected;
    refused_legitimate(response, "a refund of " +
                                     (refund_minor_ ? std::to_string(*refund_minor_) : "the rest") +
                                     " with " + std::to_string(refundable_minor_) +
                                     " refundable (docs/api.md: 200, or 402)");
  }
  finish_order((refund_while_unknown_ ? "refund-while-unknown-" : "refund-") +
               std::to_string(response.status));
}

void ClientNode::finish_order(const std::string& outcome) {
  // Sometimes the merchant reuses the authorization's key with another amount.
  // Past the key's retention a reuse is a new request (docs/api.md): a new charge, not a
  // misbehaviour the engine must refuse, so the merchant only reuses keys still kept.
  // Past it (certainly forgotten, counted from the authorization's answer) the same reuse
  // must be served as a new charge; in between, where either may hold, nothing is sent.
  const bool kept = !auth_key_.empty() && key_certainly_kept(auth_key_);
  const bool forgotten = !auth_key_.empty() && !kept && auth_key_certainly_forgotten();
  if ((kept || forgotten) && faults_.client_misbehaves(ClientMisbehaviour::kKeyReuseOtherBody,
                                                       name_ + ":o" + std::to_string(order_))) {
    pending_outcome_ = outcome;
    key_ = auth_key_;
    auth_key_.clear();
    step_ = Step::kReuseProbe;
    forgotten_key_probe_ = forgotten;
    if (forgotten) {
      // The engine forgot the key, and so does the client: its next answer is a first one.
      completed_.erase(key_);
      first_sent_.erase(key_);
    }
    attempt_ = 0;
    return send_current();
  }
  finish_order_now(outcome);
}

void ClientNode::finish_order_now(const std::string& outcome) {
  trace_.record(queue_.now_us(), name_, "order_done",
                "order=" + std::to_string(order_) + " outcome=" + outcome);
  queue_.schedule_after(stream_.between(0, config_.think_time_max_us), [this] { begin_order(); });
}

}  // namespace reckon::sim
