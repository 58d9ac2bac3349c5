// The merchant-facing operations: create a charge, capture it, read it. Each POST runs
// through start_idempotent, which implements the Idempotency-Key rules.
#include "engine/audit.h"
#include "engine/auth.h"
#include "engine/card_token.h"
#include "engine/charge_view.h"
#include "engine/check.h"
#include "engine/engine.h"
#include "engine/money.h"
#include "engine/psp_key.h"
#include "engine/request_validation.h"
#include "engine/state_machine.h"

namespace reckon::engine {

namespace {

// A key answered longer ago than the retention is forgotten (docs/api.md): its record is
// deleted and `existing` reset, so the request is a new one.
Status forget_if_expired(Db& db, std::optional<IdempotencyRow>& existing, int64_t now_us,
                         const EngineConfig& config) {
  // Planted idempotency-key-kept-forever: the retention is never applied.
  if (!existing || existing->state != "done" ||
      now_us - existing->created_us < config.idempotency_retention_us ||
      config.planted.has(Defect::kIdempotencyKeyKeptForever)) {
    return Status::success();
  }
  // Planted expired-key-not-deleted: the record stays, so the insert that follows conflicts.
  if (!config.planted.has(Defect::kExpiredKeyNotDeleted)) {
    Status forget = delete_idempotency(db, existing->merchant, existing->key);
    if (!forget.ok) return forget;
  }
  existing.reset();
  return Status::success();
}

// The answer to a request whose key is already recorded (docs/api.md, Idempotency-Key): 422
// when the request differs, 409 while the first is still in flight, else the first answer
// exactly as it was given.
HttpResponse answer_for_recorded_key(Db& db, const IdempotencyRow& existing,
                                     const std::string& fingerprint,
                                     const PlantedDefects& planted) {
  if (existing.fingerprint != fingerprint) {
    return error_response(422, "idempotency_key_reused",
                          "this Idempotency-Key was used with a different request");
  }
  if (existing.state == "in_flight" && !planted.has(Defect::kInFlightKeyReplaysPlaceholder)) {
    return error_response(409, "request_in_progress",
                          "a request with this Idempotency-Key is still being processed; "
                          "retry later with the same key");
  }
  if (planted.has(Defect::kReplayReturnsFreshResponse)) {
    // GCOVR_EXCL_START: planted defect only (ci/coverage.sh)
    // Planted: a success's replay renders the charge as it is now, not the stored answer.
    const auto done = load_operation(db, existing.operation_id);
    const auto charge = done ? load_charge(db, done->charge_id) : std::nullopt;
    return charge && existing.response_status / 100 == 2
               ? HttpResponse{existing.response_status, charge_json(*charge)}
               : HttpResponse{existing.response_status, existing.response_body};
    // GCOVR_EXCL_STOP
  }
  return HttpResponse{existing.response_status, existing.response_body};
}

// Writes a new operation with its audit row and its key's in-flight record, in the caller's
// transaction: the three commit together or not at all, so a key is never in flight
// without its operation, nor an operation unaudited.
Status record_started_operation(Db& db, const OperationRow& op, const std::string& kind,
                                std::string_view api_key, const std::string& fingerprint,
                                int64_t now_us, const PlantedDefects& planted) {
  Status s = insert_operation(db, op, now_us);
  if (!s.ok) return s;
  // Planted (audit-logs-api-key): the credential itself lands in the audit log.
  const std::string actor =
      planted.has(Defect::kAuditLogsApiKey) ? std::string(api_key) : api_key_id(api_key);
  s = append_audit(db, {now_us, op.idem_merchant, actor, kind, op.charge_id, op.id, op.idem_key});
  if (!s.ok) return s;
  return insert_idempotency(
      db, {op.idem_merchant, op.idem_key, fingerprint, "in_flight", op.id, 0, ""}, now_us);
}

}  // namespace

void PaymentEngine::start_idempotent(const HttpRequest& request, const std::string& merchant,
                                     const std::string& kind, OperationFactory factory,
                                     Responder respond) {
  std::optional<HttpResponse> refusal;
  const std::optional<std::string> key =
      idempotency_key_of(request.header("idempotency-key"), refusal);
  if (!key) return respond(*refusal);
  const std::string body_text = request.body.empty() ? "{}" : request.body;
  auto body = parse_json_object(body_text, refusal);
  if (!body) return respond(*refusal);
  if (auto pan = refuse_card_numbers(*body)) return respond(*pan);

  std::string fingerprint = request_fingerprint(request, *body);
  // GCOVR_EXCL_START: planted defect only (ci/coverage.sh)
  if (config_.planted.has(Defect::kFingerprintIgnoresAmount)) {
    nlohmann::json without_amount = *body;
    without_amount.erase("amount");  // planted: a key reused with another amount matches
    fingerprint = request_fingerprint(request, without_amount);
  }
  // GCOVR_EXCL_STOP
  const int64_t now_us = ports_.clock->now_us();
  OperationRow op;
  std::optional<HttpResponse> early;
  Status s = in_transaction(*db_, [&]() -> Status {
    auto existing =
        load_idempotency(*db_, merchant, *key, config_.planted.has(Defect::kKeyAcrossMerchants));
    Status forget = forget_if_expired(*db_, existing, now_us, config_);
    if (!forget.ok) return forget;
    if (existing) {
      early = answer_for_recorded_key(*db_, *existing, fingerprint, config_.planted);
      return Status::success();
    }
    OperationStart start = factory(*body);
    if (start.refusal) {
      early = start.refusal;
      if (config_.planted.has(Defect::kRefusalKeepsKey) && start.refusal->status < 500) {
        // GCOVR_EXCL_START: planted defect only (ci/coverage.sh)
        // Planted: the refusal is kept as the key's answer.
        return insert_idempotency(*db_,
                                  {merchant, *key, fingerprint, "done", "", start.refusal->status,
                                   start.refusal->body, 0},
                                  now_us);
        // GCOVR_EXCL_STOP
      }
      return Status::error(SQLITE_ABORT, "refused");  // roll back whatever the factory wrote
    }
    op = std::move(start.operation);
    op.idem_merchant = merchant;
    op.idem_key = *key;
    op.psp_key = derive_psp_key(merchant, *key, kind, op.id);
    const auto api_key = bearer_key(request);
    RECKON_CHECK(api_key.has_value(), "an admitted request was authenticated");
    return record_started_operation(*db_, op, kind, *api_key, fingerprint, now_us, config_.planted);
  });
  if (early) return respond(*early);
  if (!s.ok) {
    return respond(error_response(503, "storage_unavailable",
                                  "the payment could not be recorded; retry with the same key"));
  }
  crash_point("after_pending_commit");
  in_flight_[op.id] = std::move(respond);
  drive_operation(op.id, 1);
}

void PaymentEngine::create_charge(const HttpRequest& request, const std::string& merchant,
                                  Responder respond) {
  auto factory = [this, &merchant](const nlohmann::json& body) -> OperationStart {
    OperationStart start;
    if ((start.refusal =
             refuse_unknown_fields(body, {"amount", "currency", "source", "capture"}))) {
      return start;
    }
    auto amount = amount_field(body, "amount", /*required=*/true, start.refusal);
    if (!amount) return start;
    auto currency = body.find("currency");
    const auto currency_info = currency != body.end() && currency->is_string()
                                   ? find_currency(currency->get<std::string>())
                                   : std::nullopt;
    if (!currency_info) {
      start.refusal = error_response(400, "currency_invalid",
                                     "field 'currency' must be a supported ISO 4217 code");
      return start;
    }
    if (*amount > max_amount_minor(*currency_info)) {
      start.refusal = error_response(400, "amount_invalid",
                                     "field 'amount' exceeds the maximum of " +
                                         std::to_string(max_amount_minor(*currency_info)) +
                                         " minor units of " + std::string(currency_info->code));
      return start;
    }
    auto source = body.find("source");
    if (source == body.end() || !source->is_string() ||
        !is_card_token(source->get<std::string>())) {
      start.refusal = error_response(400, "source_invalid",
                                     "field 'source' must be a card token like tok_abc123");
      return start;
    }
    auto capture = body.find("capture");
    if (capture != body.end() && !capture->is_boolean()) {
      start.refusal = error_response(400, "capture_invalid", "field 'capture' must be a boolean");
      return start;
    }
    ChargeRow charge;
    charge.id = new_id("ch");
    charge.merchant = merchant;
    charge.amount_minor = *amount;
    charge.currency = currency->get<std::string>();
    charge.card_token = source->get<std::string>();
    charge.capture_requested = capture != body.end() && capture->get<bool>();
    charge.status = "pending";
    charge.created_us = ports_.clock->now_us();
    Status s = insert_charge(*db_, charge, charge.created_us);
    RECKON_CHECK(s.ok || s.code != SQLITE_MISUSE, "charge insert misuse");
    if (!s.ok) {
      start.refusal = error_response(503, "storage_unavailable", s.message);
      return start;
    }
    start.operation =
        OperationRow{new_id("op"), charge.id, "authorize", *amount, "pending", "", 0, "", ""};
    return start;
  };
  start_idempotent(request, merchant, "authorize", factory, std::move(respond));
}

void PaymentEngine::capture_charge(const HttpRequest& request, const std::string& merchant,
                                   const std::string& charge_id, Responder respond) {
  auto factory = [this, &merchant, &charge_id](const nlohmann::json& body) -> OperationStart {
    OperationStart start;
    if ((start.refusal = refuse_unknown_fields(body, {"amount"}))) return start;
    auto charge = merchant_charge(charge_id, merchant, start.refusal);
    if (!charge) return start;
    if (charge->status == "pending" || charge->status == "unknown") {
      start.refusal = error_response(409, "charge_unresolved",
                                     "the charge's authorization is still being resolved");
      return start;
    }
    if (charge->status == "authorized" && authorization_expired(charge_id)) {
      start.refusal = error_response(409, "authorization_expired",
                                     "the authorization expired; the hold is being released");
      return start;
    }
    if (!is_legal_transition(charge->status, "captured") || has_settlement(*db_, charge_id)) {
      start.refusal = error_response(409, "charge_not_capturable",
                                     "charge is " + charge->status + " and cannot be captured");
      return start;
    }
    auto amount = amount_field(body, "amount", /*required=*/false, start.refusal);
    if (start.refusal) return start;
    const int64_t capture_minor = amount.value_or(charge->amount_minor);
    // Planted (capture-cap-off-by-one): the cap refuses the whole authorized amount too.
    const bool above_cap = config_.planted.has(Defect::kCaptureCapOffByOne)
                               ? capture_minor >= charge->amount_minor
                               : capture_minor > charge->amount_minor;
    if (above_cap && !config_.planted.has(Defect::kCaptureExceedsAuthorization)) {
      start.refusal = error_response(400, "amount_exceeds_authorization",
                                     "field 'amount' exceeds the authorized amount");
      return start;
    }
    start.operation =
        OperationRow{new_id("op"), charge_id, "capture", capture_minor, "pending", "", 0, "", ""};
    return start;
  };
  start_idempotent(request, merchant, "capture", factory, std::move(respond));
}

void PaymentEngine::get_charge(const std::string& merchant, const std::string& charge_id,
                               Responder respond) {
  std::optional<HttpResponse> refusal;
  auto charge = merchant_charge(charge_id, merchant, refusal);
  if (!charge) return respond(*refusal);
  respond(HttpResponse{200, charge_json(*charge)});
}

}  // namespace reckon::engine
