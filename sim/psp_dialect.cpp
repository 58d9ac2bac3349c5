#include "sim/psp_dialect.h"

#include <nlohmann/json.hpp>

#include <array>
#include <string_view>
#include <utility>

#include "engine/check.h"
#include "oracle/currencies.h"

namespace reckon::sim {
namespace {

using nlohmann::json;

constexpr std::string_view kKeyHeader = "psp-idempotency-key";  // header names are lower case
constexpr std::string_view kAuthorizations = "/v1/authorizations";
constexpr std::string_view kLookups = "/v1/lookups";

// docs/psp-dialect.md: keys and authorization ids are 1-128 of [A-Za-z0-9_.-].
bool dialect_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (const char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

int outcome_status(engine::PspOutcome outcome) {
  switch (outcome) {
    case engine::PspOutcome::kSucceeded:
      return 200;
    case engine::PspOutcome::kDeclined:
      return 402;
    case engine::PspOutcome::kFailed:
      return 400;
    case engine::PspOutcome::kNotFound:
      return 404;
    case engine::PspOutcome::kAmbiguous:
      break;
  }
  return 503;
}

bool positive_amount(const json& body, int64_t& out, std::string& error) {
  const auto it = body.find("amount");
  if (it == body.end() || !it->is_number_integer() || it->get<int64_t>() <= 0) {
    error = "field 'amount' must be a positive integer (minor units)";
    return false;
  }
  out = it->get<int64_t>();
  return true;
}

bool nonempty_text(const json& body, const char* field, std::string& out, std::string& error) {
  const auto it = body.find(field);
  if (it == body.end() || !it->is_string() || it->get<std::string>().empty()) {
    error = std::string("field '") + field + "' must be a non-empty string";
    return false;
  }
  out = it->get<std::string>();
  return true;
}

// "application/json", in any case, perhaps with parameters ("; charset=utf-8").
bool json_media_type(const std::string* value) {
  if (value == nullptr) return false;
  std::string type = value->substr(0, value->find(';'));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.pop_back();
  for (char& c : type) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return type == "application/json";
}

}  // namespace

std::string_view dialect_name(engine::PspOp op) {
  switch (op) {
    case engine::PspOp::kAuthorize:
      return "authorize";
    case engine::PspOp::kCapture:
      return "capture";
    case engine::PspOp::kVoid:
      return "void";
    case engine::PspOp::kRefund:
      return "refund";
    case engine::PspOp::kLookup:
      break;
  }
  return "lookup";
}

std::string_view dialect_name(engine::PspOutcome outcome) {
  switch (outcome) {
    case engine::PspOutcome::kSucceeded:
      return "succeeded";
    case engine::PspOutcome::kDeclined:
      return "declined";
    case engine::PspOutcome::kFailed:
      return "failed";
    case engine::PspOutcome::kAmbiguous:
      return "ambiguous";
    case engine::PspOutcome::kNotFound:
      break;
  }
  return "not_found";
}

std::string_view dialect_name(engine::PspChargeState state) {
  switch (state) {
    case engine::PspChargeState::kAuthorized:
      return "authorized";
    case engine::PspChargeState::kCaptured:
      return "captured";
    case engine::PspChargeState::kDeclined:
      return "declined";
    case engine::PspChargeState::kVoided:
      return "voided";
    case engine::PspChargeState::kRefunded:
      return "refunded";
    case engine::PspChargeState::kNone:
      break;
  }
  return "none";
}

namespace {

// An authorization's body (docs/psp-dialect.md): a positive amount, an ISO 4217 currency, a
// card token, and capture as a boolean if present. False with `error` naming the first wrong
// field.
bool read_authorization(const json& body, engine::PspRequest& request, std::string& error) {
  const auto capture = body.find("capture");
  if (capture != body.end() && !capture->is_boolean()) {
    error = "field 'capture' must be a boolean";
    return false;
  }
  request.capture = capture != body.end() && capture->get<bool>();
  if (!positive_amount(body, request.amount_minor, error) ||
      !nonempty_text(body, "currency", request.currency, error) ||
      !nonempty_text(body, "card_token", request.card_token, error)) {
    return false;
  }
  // docs/psp-dialect.md: an ISO 4217 code as the standard writes it (upper case); the
  // provider trades in no other, and a code it cannot price is no request it can do.
  if (!oracle::iso4217_minor_units(request.currency)) {
    error = "field 'currency' must be an ISO 4217 code, got '" + request.currency + "'";
    return false;
  }
  return true;
}

}  // namespace

std::optional<engine::PspRequest> read_psp_request(const engine::HttpRequest& http,
                                                   std::string& error) {
  engine::PspRequest request;
  const std::string* key = http.header(kKeyHeader);
  if (key == nullptr || !dialect_id(*key)) {
    error = "header 'PSP-Idempotency-Key' is required: 1-128 of [A-Za-z0-9_.-]";
    return std::nullopt;
  }
  request.idempotency_key = *key;
  if (http.method == "GET" && http.target == kLookups) {
    request.op = engine::PspOp::kLookup;
    return request;
  }
  if (http.method != "POST") {
    error = "method " + http.method + " not allowed on " + http.target;
    return std::nullopt;
  }
  if (!json_media_type(http.header("content-type"))) {
    error = "header 'Content-Type' must be application/json";
    return std::nullopt;
  }
  const json body = json::parse(http.body, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object()) {
    error = "body must be a JSON object";
    return std::nullopt;
  }
  if (http.target == kAuthorizations) {
    request.op = engine::PspOp::kAuthorize;
    if (!read_authorization(body, request, error)) return std::nullopt;
    return request;
  }
  // POST /v1/authorizations/{authorization_id}/{capture|void|refunds}
  const std::string prefix = std::string(kAuthorizations) + "/";
  if (http.target.starts_with(prefix)) {
    const std::string rest = http.target.substr(prefix.size());
    const size_t slash = rest.find('/');
    const std::string id = rest.substr(0, slash);
    const std::string action = slash == std::string::npos ? "" : rest.substr(slash + 1);
    constexpr std::array<std::pair<std::string_view, engine::PspOp>, 3> kActions{
        {{"capture", engine::PspOp::kCapture},
         {"void", engine::PspOp::kVoid},
         {"refunds", engine::PspOp::kRefund}}};
    for (const auto& [name, op] : kActions) {
      if (action != name) continue;
      if (!dialect_id(id)) {
        error = "authorization id '" + id + "' is malformed";
        return std::nullopt;
      }
      request.op = op;
      request.psp_charge_id = id;
      if (op != engine::PspOp::kVoid && !positive_amount(body, request.amount_minor, error)) {
        return std::nullopt;
      }
      return request;
    }
  }
  error = "no route " + http.method + " " + http.target;
  return std::nullopt;
}

engine::HttpResponse write_psp_reply(const engine::PspReply& reply) {
  engine::HttpResponse http;
  http.status = outcome_status(reply.outcome);
  const json body = {
      {"outcome", dialect_name(reply.outcome)}, {"authorization_id", reply.psp_charge_id},
      {"state", dialect_name(reply.state)},     {"operation", dialect_name(reply.looked_up_op)},
      {"amount", reply.amount_minor},           {"detail", reply.detail}};
  http.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return http;
}

engine::HttpResponse write_psp_reply(const engine::PspReply& reply, const std::string& site) {
  engine::HttpResponse http = write_psp_reply(reply);
  if (reply.outcome != engine::PspOutcome::kAmbiguous) return http;
  uint32_t hash = 2166136261u;  // FNV-1a
  for (const char c : site) hash = (hash ^ static_cast<unsigned char>(c)) * 16777619u;
  constexpr int kServerErrors[] = {500, 502, 503, 504};
  http.status = kServerErrors[hash % 4];
  return http;
}

engine::HttpResponse write_psp_invalid_request(const std::string& error) {
  engine::HttpResponse http;
  http.status = 400;
  const json body = {{"error", {{"code", "invalid_request"}, {"message", error}}}};
  http.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return http;
}

engine::HttpResponse garble_psp_reply(engine::HttpResponse reply, int kind) {
  RECKON_CHECK(kind >= 0 && kind < kGarbleKinds, "a garbling the dialect lists");
  static constexpr const char* kRequired[] = {"outcome",          "state",  "operation",
                                              "authorization_id", "detail", "amount"};
  nlohmann::json body = nlohmann::json::parse(reply.body, nullptr, /*allow_exceptions=*/false);
  if (kind < 6 && body.is_object()) {
    body.erase(kRequired[kind]);
    reply.body = body.dump();
  } else if (kind == 6 && body.is_object()) {
    body["amount"] = std::to_string(body.value("amount", int64_t{0}));
    reply.body = body.dump();
  } else if (kind == 7 && body.is_object()) {
    body["outcome"] = "probably";
    reply.body = body.dump();
  } else if (kind == 8) {
    reply.body = reply.body.substr(0, reply.body.size() / 2);
  } else if (kind == 9) {
    reply.body.clear();
  } else if (kind == 11 && body.is_object()) {
    body["state"] = "settled";
    reply.body = body.dump();
  } else if (kind == 12 && body.is_object()) {
    body["operation"] = "transfer";
    reply.body = body.dump();
  } else if (kind == 13 && body.is_object()) {
    // docs/psp-dialect.md: the status and the outcome must agree; here they do not.
    body["outcome"] = body.value("outcome", "") == "succeeded" ? "declined" : "succeeded";
    reply.body = body.dump();
  } else if (kind == 10) {
    reply.body = "[" + reply.body + "]";
  } else if (kind >= 14 && body.is_object()) {
    // A text field of another JSON type, as a provider's serializer might write it: the
    // field is there, so only a reader that checks its type sees the reply is broken.
    static const nlohmann::json kMistyped[] = {1, nullptr, nlohmann::json::array({"capture"}),
                                               12345, nlohmann::json::object()};
    body[kRequired[kind - 14]] = kMistyped[kind - 14];
    reply.body = body.dump();
  }
  return reply;
}

}  // namespace reckon::sim
