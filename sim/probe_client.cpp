#include "sim/probe_client.h"

#include <nlohmann/json.hpp>

#include <utility>

#include "engine/check.h"
#include "oracle/charge_rules.h"
#include "oracle/currencies.h"
#include "sim/card_numbers.h"
#include "sim/engine_node.h"
#include "sim/error_body.h"
#include "sim/properties.h"

namespace reckon::sim {
namespace {

// A probe on an authorized charge is sent only this long before the engine's expiry could
// pass, so clock skew and slow delivery cannot make the expiry a second broken rule.
constexpr TimeUs kExpiryMarginUs = 10'000'000;
constexpr size_t kQuotedBodyMax = 300;

std::string quoted(const engine::HttpResponse& response) {
  std::string body = response.body.substr(0, kQuotedBodyMax);
  if (response.body.size() > kQuotedBodyMax) body += "...";
  return std::to_string(response.status) + " " + body;
}

// The spellings this probe may use (a card number and its separator, a token's bad
// character, a typo in the auth scheme, a key's bad character), drawn in a fixed order.
void draw_spellings(PrngStream& stream, ProbeContext& context) {
  context.card_number = draw_card_number(stream);
  constexpr char kSeparators[] = {'\0', ' ', '-'};
  context.card_separator = kSeparators[stream.below(3)];
  constexpr std::string_view kTokenBadChars = "!-./:@[\\]^`{|}~";
  context.token_bad_char = kTokenBadChars[stream.below(kTokenBadChars.size())];
  context.token_bad_at = static_cast<size_t>(stream.below(5));
  context.scheme_typo_at = static_cast<size_t>(stream.below(6));
  // A letter other than the one replaced, in either case.
  constexpr std::string_view kScheme = "bearer";
  const auto shift = static_cast<char>(1 + stream.below(25));
  const char typo = static_cast<char>('a' + (kScheme[context.scheme_typo_at] - 'a' + shift) % 26);
  context.scheme_typo_letter = stream.chance({1, 2}) ? typo : static_cast<char>(typo - 'a' + 'A');
  constexpr char kKeyBadChars[] = {'\t', ' ', '\x7f', '\x1f', '\x01'};
  context.key_bad_char = kKeyBadChars[stream.below(std::size(kKeyBadChars))];
}

}  // namespace

ProbeClient::ProbeClient(uint64_t run_seed, ProbeConfig config, EventQueue& queue, Trace& trace,
                         Network& network, EngineNode& engine, const FaultInjector& faults,
                         ClientFailureSink fail)
    : config_(config),
      queue_(queue),
      trace_(trace),
      network_(network),
      engine_(engine),
      faults_(faults),
      fail_(std::move(fail)),
      stream_(run_seed, "probe") {}

void ProbeClient::start() {
  if (config_.probes <= 0) {
    done_ = true;
    return;
  }
  queue_.schedule_after(stream_.between(0, config_.think_time_max_us), [this] { next_probe(); });
}

void ProbeClient::fail(const char* property, const std::string& payment,
                       const std::string& detail) {
  fail_(property, payment, name_ + ": " + detail);
}

void ProbeClient::send(const engine::HttpRequest& request, const std::string& what,
                       std::function<void(const engine::HttpResponse&, bool first)> on_answer,
                       std::function<void()> on_silence) {
  const uint64_t id = next_request_id_++;
  ++stats_.sent;
  network_.send(name_, engine_.name(), MessageKind::kRequest, what, [this, request, id, on_answer] {
    engine_.receive(request, [this, id, on_answer](const engine::HttpResponse& response) {
      network_.send(engine_.name(), name_, MessageKind::kResponse,
                    "status=" + std::to_string(response.status), [this, id, on_answer, response] {
                      // Every copy of an answer is judged; only the first acts.
                      on_answer(response, answered_.insert(id).second);
                    });
    });
  });
  queue_.schedule_after(config_.timeout_us, [this, id, on_silence] {
    if (answered_.insert(id).second) on_silence();
  });
}

std::string ProbeClient::authorized_charge() const {
  for (auto it = charges_.rbegin(); it != charges_.rend(); ++it) {
    if (it->authorized &&
        queue_.now_us() - it->sent_us + kExpiryMarginUs + config_.engine_clock_skew_range_us <
            config_.engine_authorization_expiry_us) {
      return it->id;
    }
  }
  return "";
}

void ProbeClient::next_probe() {
  if (probe_ >= config_.probes) {
    for (const auto& c : charges_) known_at_walk_.push_back(c.id);
    trace_.record(queue_.now_us(), name_, "list_walk", "known=" + std::to_string(charges_.size()));
    return walk_list("", 1);
  }
  ++probe_;
  // Now and then a read of a charge instead of a rule broken.
  if (!charges_.empty() && stream_.chance({1, 4})) return read_own_charge();
  ProbeContext context;
  context.key = name_ + "-k" + std::to_string(probe_);
  context.token = "tok_probe_" + std::to_string(probe_);
  context.currency = config_.currency;
  context.own_api_key = std::string(oracle::kMerchant1ApiKey);
  context.other_api_key = std::string(oracle::kMerchant2ApiKey);
  context.authorized_charge = authorized_charge();
  context.psp_notices_on = config_.psp_notices_on;
  draw_spellings(stream_, context);
  // The kinds in an order drawn once per run, walked without repeats: a run's probes are
  // as many different kinds as it has probes.
  const int count = probe_count();
  if (order_.empty()) {
    for (int kind = 0; kind < count; ++kind) order_.push_back(kind);
    for (int i = count - 1; i > 0; --i) {
      std::swap(order_[static_cast<size_t>(i)],
                order_[static_cast<size_t>(stream_.below(static_cast<uint64_t>(i) + 1))]);
    }
  }
  std::optional<ProbeRequest> probe;
  if (!context.authorized_charge.empty() && !waiting_for_charge_.empty()) {
    probe = make_probe(waiting_for_charge_.front(), context);
    waiting_for_charge_.pop_front();
  }
  for (int tried = 0; !probe && tried < count; ++tried) {
    const int kind = order_[next_kind_];
    next_kind_ = (next_kind_ + 1) % order_.size();
    probe = make_probe(kind, context);
    if (!probe && probe_needs_charge(kind) && context.authorized_charge.empty()) {
      waiting_for_charge_.push_back(kind);
    }
  }
  RECKON_CHECK(probe.has_value(), "the catalogue has probes that need no charge");
  auto shared = std::make_shared<ProbeRequest>(std::move(*probe));
  auto follow_up_sent = std::make_shared<bool>(false);
  auto proceed = [this, shared, follow_up_sent, key = context.key] {
    if (!shared->key_reusable) return next_probe_later();
    FollowUp follow_up = draw_follow_up(key);
    // A 422 to the refused request is excused only once a create under its key went out.
    *follow_up_sent = follow_up.key == key;
    send_follow_up(follow_up);
  };
  const TimeUs sent_us = queue_.now_us();
  send(
      shared->request, "probe " + shared->name + " key=" + context.key,
      [this, shared, follow_up_sent, proceed, card_number = context.card_number, sent_us](
          const engine::HttpResponse& response, bool first) {
        judge_refusal(*shared, *follow_up_sent, response, card_number, sent_us);
        if (first) proceed();
      },
      proceed);
}

void ProbeClient::next_probe_later() {
  queue_.schedule_after(stream_.between(0, config_.think_time_max_us), [this] { next_probe(); });
}

bool ProbeClient::storage_claim_without_fault(const engine::HttpResponse& response,
                                              TimeUs sent_us) const {
  return claims_storage_failure(response.status, response.body) &&
         faults_.last_storage_fault_us() < sent_us;
}

void ProbeClient::judge_refusal(const ProbeRequest& probe, bool follow_up_sent,
                                const engine::HttpResponse& response,
                                const std::string& card_number, TimeUs sent_us) {
  if (response.status == 503) {
    // No commit can fail without a storage fault: the rule broken was never judged.
    if (storage_claim_without_fault(response, sent_us)) {
      fail(kInvalidRequestRefused, "",
           "probe " + probe.name + " breaks one rule of docs/api.md and must be answered " +
               std::to_string(probe.status) + " " + probe.code +
               "; answered 503 storage_unavailable though no storage fault was injected since "
               "it was sent at t=" +
               std::to_string(sent_us) + "us: " + response.body);
    }
    return;  // not served now: nothing to judge
  }
  ++stats_.judged;
  const std::string code = error_code_of(response.body);
  if (response.status == probe.status && code == probe.code && !error_has_message(response.body)) {
    fail(kInvalidRequestRefused, "",
         "probe " + probe.name + ": the refusal " + code +
             " carries no error.message (docs/api.md): " + response.body);
    return;
  }
  if (response.status == probe.status && code == probe.code) {
    // Echoed in any grouping: compare with the separators taken out of the answer.
    std::string digits_only;
    for (char ch : response.body) {
      if (ch != ' ' && ch != '-' && ch != '_') digits_only += ch;
    }
    if (probe.code == "card_number_refused" && digits_only.find(card_number) != std::string::npos) {
      fail(kInvalidRequestRefused, "",
           "probe " + probe.name + ": the refusal echoes the card number");
    }
    return;
  }
  // A late copy of a refused create may arrive after the valid create took its key.
  if (follow_up_sent && response.status == 422 && code == "idempotency_key_reused") return;
  fail(kInvalidRequestRefused, "",
       "probe " + probe.name + " (" + probe.request.method + " " +
           probe.request.target.substr(0, 80) +
           ") breaks one rule of docs/api.md and must be "
           "answered " +
           std::to_string(probe.status) + " " + probe.code + "; answered " + quoted(response));
}

ProbeClient::FollowUp ProbeClient::draw_follow_up(const std::string& key) {
  FollowUp f{key, "tok_probe_" + std::to_string(probe_), kProbeAmountMinor};
  switch (stream_.below(7)) {
    case 0:
      f.amount_minor = 1;
      break;
    case 1: {
      // docs/api.md: at most 10^(9+exponent) - 1 minor units.
      const int exponent = oracle::iso4217_minor_units(config_.currency).value_or(2);
      f.amount_minor = 1'000'000'000LL * oracle::minor_units_per_major(exponent) - 1;
      break;
    }
    case 2: {
      // One character after tok_, unique per probe: the probe number in base 62 (the
      // shortest only for the first 62; a card token names one order at the PSP).
      static constexpr char kAlphabet[] =
          "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
      std::string name;
      for (int n = probe_; n > 0 || name.empty(); n /= 62) name.insert(0, 1, kAlphabet[n % 62]);
      f.token = "tok_" + name;
      break;
    }
    case 3:
      f.token.resize(64, 'x');  // 60 characters after tok_, the most docs/api.md allows
      break;
    case 4:
      f.body_bytes = kLargestBodyBytes;
      break;
    case 5: {
      // docs/api.md: a key is 1-255 visible ASCII characters. The first is `"`: one quote is
      // a bare key, too short to open and close an RFC 8941 string. Each used once a run.
      const std::string_view order = "\"!#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
      for (const char c : order) {
        if (one_character_keys_.find(c) != std::string::npos) continue;
        one_character_keys_.push_back(c);
        f.key = std::string(1, c);
        break;
      }
      break;
    }
    default:
      break;
  }
  return f;
}

void ProbeClient::send_follow_up(const FollowUp& follow_up) {
  ++stats_.follow_ups;
  const TimeUs sent_us = queue_.now_us();
  engine::HttpRequest request =
      valid_create(std::string(oracle::kMerchant1ApiKey), follow_up.key, follow_up.token,
                   config_.currency, follow_up.amount_minor);
  if (follow_up.body_bytes > 0) {
    RECKON_CHECK(request.body.size() <= follow_up.body_bytes && request.body.starts_with("{"),
                 "a valid create's body is an object shorter than the largest allowed");
    request.body.insert(1, follow_up.body_bytes - request.body.size(), ' ');
  }
  send(
      request, "probe follow-up key=" + follow_up.key,
      [this, follow_up, sent_us](const engine::HttpResponse& response, bool first) {
        on_follow_up(follow_up, response, sent_us);
        if (first) next_probe_later();
      },
      [this] { next_probe_later(); });
}

void ProbeClient::on_follow_up(const FollowUp& follow_up, const engine::HttpResponse& response,
                               TimeUs sent_us) {
  const std::string& key = follow_up.key;
  if (storage_claim_without_fault(response, sent_us)) {
    return fail(kLegitimateRequestHonoured, "",
                "a valid create under key " + key + " was answered 503 " + response.body +
                    " though no storage fault was injected since it was sent at t=" +
                    std::to_string(sent_us) +
                    "us: nothing could keep the engine from recording it");
  }
  if (response.status == 422 && error_code_of(response.body) == "idempotency_key_reused") {
    return fail(kInvalidRequestRefused, "",
                "a valid create under key " + key +
                    ", whose earlier request was refused, was answered 422 "
                    "idempotency_key_reused: the refusal was stored (docs/api.md: refusals "
                    "store nothing)");
  }
  if (response.status >= 400 && response.status < 500 && response.status != 402 &&
      response.status != 409) {
    return fail(kLegitimateRequestHonoured, "",
                "a valid create (amount " + std::to_string(follow_up.amount_minor) + " " +
                    config_.currency + ", source " + follow_up.token + ", key " + key +
                    (follow_up.body_bytes > 0
                         ? ", a body of " + std::to_string(follow_up.body_bytes) + " bytes"
                         : std::string()) +
                    ") was refused " + quoted(response) +
                    "; docs/api.md allows amounts from 1 to 10^(9+exponent) - 1 minor units, "
                    "tokens of 1 to 60 characters after tok_, keys of 1 to 255 visible "
                    "characters and bodies of up to 64 KiB");
  }
  // 201, 402 and 503 psp_outcome_unknown name the charge made under the key.
  const auto body = nlohmann::json::parse(response.body, nullptr, false);
  const nlohmann::json* charge = &body;
  if (response.status != 201 && body.is_object() && body.contains("charge")) {
    charge = &body["charge"];
  }
  if (!charge->is_object() || !charge->contains("id") || !(*charge)["id"].is_string()) return;
  const std::string id = (*charge)["id"].get<std::string>();
  for (const auto& c : charges_) {
    if (c.id == id) return;  // a copy of an answer already seen
  }
  const auto status = charge->find("status");
  const bool authorized = response.status == 201 && status != charge->end() &&
                          status->is_string() && status->get<std::string>() == "authorized";
  charges_.push_back({id, sent_us, authorized, follow_up.amount_minor});
}

void ProbeClient::read_own_charge() {
  const OwnCharge charge = charges_[stream_.below(charges_.size())];
  engine::HttpRequest r;
  r.method = "GET";
  r.target = "/v1/charges/" + charge.id;
  r.headers["authorization"] = "Bearer " + std::string(oracle::kMerchant1ApiKey);
  send(
      r, "read " + charge.id,
      [this, charge](const engine::HttpResponse& response, bool first) {
        judge_read(charge, response);
        if (first) next_probe_later();
      },
      [this] { next_probe_later(); });
}

void ProbeClient::judge_read(const OwnCharge& charge, const engine::HttpResponse& response) {
  if (response.status == 503) return;
  ++stats_.judged;
  if (response.status != 200) {
    return fail(kChargeReadsConsistent, charge.id,
                "GET of a charge this merchant was told of answered " + quoted(response));
  }
  const auto body = nlohmann::json::parse(response.body, nullptr, false);
  std::string problem = charge_problem(body);
  if (problem.empty() && body["id"] != charge.id) problem = "another charge's id";
  if (problem.empty() && (body["amount"] != charge.amount_minor ||
                          body["currency"] != config_.currency || body["capture"] != false)) {
    problem = "not the authorization of " + std::to_string(charge.amount_minor) + " " +
              config_.currency + " it was created as";
  }
  if (problem.empty() && (body["status"] == "captured" || body["status"] == "refunded")) {
    problem = "captured, though nobody asked to capture it";
  }
  if (!problem.empty()) {
    fail(kChargeReadsConsistent, charge.id,
         "GET /v1/charges/" + charge.id + ": " + problem + " (" + quoted(response) + ")");
  }
}

std::string ProbeClient::charge_problem(const nlohmann::json& charge) const {
  if (!charge.is_object()) return "not a JSON object";
  auto integer = [&](const char* field) {
    auto it = charge.find(field);
    return it != charge.end() && it->is_number_integer();
  };
  auto text = [&](const char* field) -> std::string {
    auto it = charge.find(field);
    return it != charge.end() && it->is_string() ? it->get<std::string>() : "";
  };
  if (text("object") != "charge") return "object is not \"charge\"";
  if (!text("id").starts_with("ch_")) return "id is not a ch_ id";
  if (!oracle::is_charge_status(text("status"))) return "status is not a documented status";
  if (!oracle::iso4217_minor_units(text("currency"))) return "currency is not ISO 4217";
  if (!integer("amount") || !integer("amount_captured") || !integer("amount_refunded") ||
      !integer("created_us")) {
    return "an amount or created_us that is not an integer";
  }
  if (!charge.contains("capture") || !charge["capture"].is_boolean()) return "capture not a bool";
  return oracle::charge_amounts_problem(text("status"), charge["amount"].get<int64_t>(),
                                        charge["amount_captured"].get<int64_t>(),
                                        charge["amount_refunded"].get<int64_t>());
}

void ProbeClient::walk_list(std::string cursor, int attempt) {
  if (attempt > config_.list_attempts_max) return finish();  // never served: unjudged
  // A quarter of the pages use the default size (10), one in eight the largest docs/api.md
  // allows (100, three digits), the rest 1..25.
  const uint64_t size_kind = stream_.below(8);
  const bool default_limit = size_kind < 2;
  const int limit = default_limit    ? 10
                    : size_kind == 2 ? 100
                                     : static_cast<int>(stream_.between(1, 25));
  engine::HttpRequest r;
  r.method = "GET";
  r.target = "/v1/charges";
  std::string query = default_limit ? "" : "limit=" + std::to_string(limit);
  if (!cursor.empty()) query += (query.empty() ? "" : "&") + ("starting_after=" + cursor);
  if (!query.empty()) r.target += "?" + query;
  r.headers["authorization"] = "Bearer " + std::string(oracle::kMerchant1ApiKey);
  send(
      r, "list " + r.target,
      [this, limit, cursor, attempt](const engine::HttpResponse& response, bool first) {
        if (first) on_page(response, limit, cursor, attempt);
      },
      [this, cursor, attempt] { walk_list(cursor, attempt + 1); });
}

void ProbeClient::on_page(const engine::HttpResponse& response, int limit,
                          const std::string& cursor, int attempt) {
  if (response.status == 503) return walk_list(cursor, attempt + 1);
  ++stats_.list_pages;
  const auto body = nlohmann::json::parse(response.body, nullptr, false);
  auto broken = [&](const std::string& why) {
    fail(kChargeReadsConsistent, "",
         "list page after '" + cursor + "' (limit " + std::to_string(limit) + "): " + why + " (" +
             quoted(response) + ")");
    finish();
  };
  if (response.status != 200) return broken("a valid list request refused");
  if (!body.is_object() || body.value("object", "") != "list" || !body.contains("data") ||
      !body["data"].is_array() || !body.contains("has_more") || !body["has_more"].is_boolean()) {
    return broken("not a list object with data and has_more");
  }
  const auto& data = body["data"];
  const bool has_more = body["has_more"].get<bool>();
  if (data.size() > static_cast<size_t>(limit)) return broken("more charges than the limit");
  // docs/api.md: `limit` per page; only the last page (has_more false) may hold fewer.
  if (has_more && data.size() != static_cast<size_t>(limit)) {
    return broken("has_more on a page of " + std::to_string(data.size()) + ", short of the limit");
  }
  for (const auto& charge : data) {
    const std::string problem = charge_problem(charge);
    if (!problem.empty()) return broken("a charge with " + problem);
    std::pair<int64_t, std::string> at{charge["created_us"].get<int64_t>(),
                                       charge["id"].get<std::string>()};
    if (!listed_.insert(at.second).second) return broken(at.second + " listed twice");
    if (last_listed_ && !(*last_listed_ < at)) {
      return broken(at.second + " out of (created_us, id) order");
    }
    last_listed_ = at;
  }
  if (has_more) return walk_list(last_listed_->second, 1);
  for (const auto& id : known_at_walk_) {
    if (!listed_.contains(id)) {
      fail(kChargeReadsConsistent, id,
           "the list, walked to its end, lacks " + id + ", a charge this merchant was told of");
      break;
    }
  }
  finish();
}

void ProbeClient::finish() {
  if (done_) return;
  done_ = true;
  trace_.record(queue_.now_us(), name_, "done",
                "probes=" + std::to_string(probe_) + " pages=" + std::to_string(stats_.list_pages));
}

}  // namespace reckon::sim
