#include "engine/psp_wire.h"

#include <nlohmann/json.hpp>

#include <array>
#include <utility>

namespace reckon::engine {
namespace {

using nlohmann::json;

constexpr const char* kAuthorizations = "/v1/authorizations";
constexpr const char* kLookups = "/v1/lookups";

constexpr std::array<std::pair<PspOp, const char*>, 3> kChargeActions = {
    {{PspOp::kCapture, "capture"}, {PspOp::kVoid, "void"}, {PspOp::kRefund, "refunds"}}};

template <typename Enum, size_t N>
std::optional<Enum> enum_named(const std::string& name, const std::array<Enum, N>& values) {
  for (Enum v : values) {
    if (to_string(v) == name) return v;
  }
  return std::nullopt;
}

constexpr std::array<PspOp, 5> kOps = {PspOp::kAuthorize, PspOp::kCapture, PspOp::kVoid,
                                       PspOp::kRefund, PspOp::kLookup};
constexpr std::array<PspChargeState, 6> kStates = {
    PspChargeState::kNone,     PspChargeState::kAuthorized, PspChargeState::kCaptured,
    PspChargeState::kDeclined, PspChargeState::kVoided,     PspChargeState::kRefunded};

// The status docs/psp-dialect.md gives each outcome: a reply whose status contradicts its
// outcome is not believed.
int status_for(PspOutcome outcome) {
  switch (outcome) {
    case PspOutcome::kSucceeded:
      return 200;
    case PspOutcome::kDeclined:
      return 402;
    case PspOutcome::kFailed:
      return 400;
    case PspOutcome::kNotFound:
      return 404;
    case PspOutcome::kAmbiguous:
      return 503;
  }
  return 500;
}

PspReply ambiguous(std::string detail) {
  PspReply reply;
  reply.outcome = PspOutcome::kAmbiguous;
  reply.detail = std::move(detail);
  return reply;
}

}  // namespace

bool valid_psp_key(const std::string& key) {
  if (key.empty() || key.size() > 128) return false;
  for (char c : key) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

HttpRequest encode_psp_request(const PspRequest& request) {
  HttpRequest http;
  http.method = "POST";
  http.headers[kPspIdempotencyHeader] = request.idempotency_key;
  http.headers["content-type"] = "application/json";
  json body = json::object();
  switch (request.op) {
    case PspOp::kAuthorize:
      http.target = kAuthorizations;
      body = {{"amount", request.amount_minor},
              {"currency", request.currency},
              {"card_token", request.card_token},
              {"capture", request.capture}};
      break;
    case PspOp::kCapture:
    case PspOp::kVoid:
    case PspOp::kRefund:
      for (const auto& [op, action] : kChargeActions) {
        if (op == request.op) {
          http.target = std::string(kAuthorizations) + "/" + request.psp_charge_id + "/" + action;
        }
      }
      if (request.op != PspOp::kVoid) body = {{"amount", request.amount_minor}};
      break;
    case PspOp::kLookup:
      http.method = "GET";
      http.target = kLookups;
      http.headers.erase("content-type");
      return http;
  }
  http.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return http;
}

// GCOVR_EXCL_START: live mode only (ci/coverage.sh)
HttpResponse encode_psp_reply(const PspReply& reply) {
  HttpResponse http;
  http.status = status_for(reply.outcome);
  json body = {{"outcome", to_string(reply.outcome)}, {"authorization_id", reply.psp_charge_id},
               {"state", to_string(reply.state)},     {"operation", to_string(reply.looked_up_op)},
               {"amount", reply.amount_minor},        {"detail", reply.detail}};
  // Text fields may carry bytes from elsewhere; invalid UTF-8 is replaced, never thrown.
  http.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return http;
}
// GCOVR_EXCL_STOP

namespace {

PspReply read_psp_reply(int status, const std::string& body_text) {
  if (status >= 500) return ambiguous("PSP answered " + std::to_string(status));
  const json body = json::parse(body_text, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object()) return ambiguous("PSP reply is not a JSON object");
  auto text = [&](const char* field) -> std::optional<std::string> {
    auto it = body.find(field);
    if (it == body.end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
  };
  const auto outcome_name = text("outcome");
  const auto state_name = text("state");
  const auto op_name = text("operation");
  const auto charge_id = text("authorization_id");
  const auto detail = text("detail");
  auto amount = body.find("amount");
  if (!outcome_name || !state_name || !op_name || !charge_id || !detail || amount == body.end() ||
      !amount->is_number_integer()) {
    return ambiguous("PSP reply lacks a field or has one of the wrong type");
  }
  constexpr std::array<PspOutcome, 4> kDefinite = {PspOutcome::kSucceeded, PspOutcome::kDeclined,
                                                   PspOutcome::kFailed, PspOutcome::kNotFound};
  const auto outcome = enum_named(*outcome_name, kDefinite);
  const auto state = enum_named(*state_name, kStates);
  const auto op = enum_named(*op_name, kOps);
  if (!outcome || !state || !op) return ambiguous("PSP reply has an unknown enum value");
  if (status_for(*outcome) != status) {
    return ambiguous("PSP status " + std::to_string(status) + " contradicts outcome " +
                     *outcome_name);
  }
  PspReply reply;
  reply.outcome = *outcome;
  reply.state = *state;
  reply.looked_up_op = *op;
  reply.psp_charge_id = *charge_id;
  reply.amount_minor = amount->get<int64_t>();
  reply.detail = *detail;
  return reply;
}

}  // namespace

PspReply decode_psp_reply(int status, const std::string& body_text, const PlantedDefects& planted) {
  PspReply reply = read_psp_reply(status, body_text);
  // GCOVR_EXCL_START: planted defect only (ci/coverage.sh)
  if (planted.has(Defect::kGarbledReplyAsDecline) && status < 500 &&
      reply.outcome == PspOutcome::kAmbiguous) {
    reply.outcome = PspOutcome::kDeclined;  // planted: an unreadable answer taken as a no
    reply.state = PspChargeState::kDeclined;
  }
  // GCOVR_EXCL_STOP
  return reply;
}

}  // namespace reckon::engine
