// Driving an operation to the PSP and booking its outcome; the recovery job.
#include <cstdio>

#include "engine/charge_view.h"
#include "engine/check.h"
#include "engine/engine.h"
#include "engine/ledger.h"
#include "engine/operation_effects.h"
#include "engine/outbox.h"
#include "engine/state_machine.h"

namespace reckon::engine {
namespace {

// Planted (ledger-entry-updated): books a partial refund by editing the charge's capture
// entries in place. Returns false, having changed nothing, when there is no receivable and
// payable pair larger than the refund (an entry may not become zero), so the caller appends.
// GCOVR_EXCL_START: planted defect only (ci/coverage.sh)
bool edit_capture_entries(Db& db, const std::string& charge_id, int64_t refund_minor) {
  auto find = [&](std::string_view sql) -> int64_t {
    auto& st = db.prepare(sql);
    st.bind(1, charge_id).bind(2, refund_minor);
    const int64_t id = st.step() == SQLITE_ROW ? st.column_int(0) : 0;
    st.reset();
    return id;
  };
  const int64_t receivable = find(
      "SELECT e.id FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.txn_id "
      "WHERE t.charge_id = ?1 AND e.account = 'psp_receivable' AND e.amount_minor > ?2 "
      "ORDER BY e.id LIMIT 1");
  const int64_t payable = find(
      "SELECT e.id FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.txn_id "
      "WHERE t.charge_id = ?1 AND e.account = 'merchant_payable' AND e.amount_minor < -?2 "
      "ORDER BY e.id LIMIT 1");
  if (receivable == 0 || payable == 0) return false;
  for (const auto& [id, delta] : {std::pair{receivable, -refund_minor}, {payable, refund_minor}}) {
    Status s =
        db.prepare("UPDATE ledger_entries SET amount_minor = amount_minor + ?2 WHERE id = ?1")
            .bind(1, id)
            .bind(2, delta)
            .run();
    if (!s.ok) return false;
  }
  return true;
}
// GCOVR_EXCL_STOP

// What a PSP outcome does (docs/api.md): the operation's final status, the ledger entries to
// post and the answer owed to the client; `charge` is changed to what it becomes.
struct OutcomeEffects {
  std::string op_status;
  HttpResponse response;
  std::vector<LedgerEntry> entries;
};

OutcomeEffects outcome_effects(ChargeRow& charge, const OperationRow& op, PspOutcome outcome,
                               const PspReply& reply, const PlantedDefects& planted) {
  const bool authorize = op.kind == "authorize";
  OutcomeEffects out;
  if (outcome == PspOutcome::kSucceeded) {
    out.op_status = "succeeded";
    out.entries = success_entries(charge, op);
    if (planted.has(Defect::kCaptureEntryOffByOne) && op.kind == "capture") {
      // GCOVR_EXCL_START: planted defect only (ci/coverage.sh)
      out.entries.back().amount_minor -= 1;  // planted: the transaction no longer balances
      // GCOVR_EXCL_STOP
    }
    const std::string before = charge.status;
    apply_success(charge, op, reply);
    // INVARIANT: the factories admit an operation only when its success is a legal step
    // (engine/state_machine.h); the charges trigger refuses anything else as well.
    RECKON_CHECK(charge.status == before || is_legal_transition(before, charge.status),
                 "an operation's success is a legal status transition");
    out.response = HttpResponse{authorize ? 201 : 200, charge_json(charge)};
    return out;
  }
  out.op_status = outcome == PspOutcome::kDeclined ? "declined" : "failed";
  if (authorize) charge.status = out.op_status;
  const std::string code = (authorize ? std::string("payment") : op.kind) + "_" + out.op_status;
  out.response = HttpResponse{
      402, error_with_charge_json(charge, code, "the PSP " + out.op_status + " the " + op.kind)};
  return out;
}

}  // namespace

std::string PaymentEngine::psp_key_for_attempt(const OperationRow& op) {
  if (!config_.planted.has(Defect::kPspKeyPerAttempt)) return op.psp_key;
  // GCOVR_EXCL_START: planted defect only (ci/coverage.sh)
  char suffix[24];
  std::snprintf(suffix, sizeof suffix, "-%016llx",
                static_cast<unsigned long long>(ports_.random->next_u64()));
  return op.psp_key + suffix;
  // GCOVR_EXCL_STOP
}

PspRequest PaymentEngine::psp_request_for(const OperationRow& op, const ChargeRow& charge) {
  PspRequest req;
  req.op = psp_op_for(op.kind);
  req.idempotency_key = psp_key_for_attempt(op);
  req.amount_minor = op.amount_minor;
  req.currency = charge.currency;
  req.card_token = charge.card_token;
  req.capture = charge.capture_requested;
  req.psp_charge_id = charge.psp_charge_id;
  req.authorized_minor = charge.amount_minor;
  req.captured_minor = charge.captured_minor;
  req.refunded_minor = charge.refunded_minor;
  return req;
}

void PaymentEngine::drive_operation(const std::string& operation_id, int attempt) {
  auto op = load_operation(*db_, operation_id);
  RECKON_CHECK(op.has_value(), "a driven operation exists");
  RECKON_CHECK(in_flight_.count(operation_id) == 1, "a driven operation is marked in flight");
  auto charge = load_charge(*db_, op->charge_id);
  RECKON_CHECK(charge.has_value(), "an operation's charge exists");
  crash_point("before_psp_call");
  ports_.psp->call(psp_request_for(*op, *charge),
                   [this, operation_id, attempt](const PspReply& reply) {
                     on_psp_reply(operation_id, attempt, reply);
                   });
}

void PaymentEngine::on_psp_reply(const std::string& operation_id, int attempt,
                                 const PspReply& reply) {
  crash_point("after_psp_reply");
  switch (reply.outcome) {
    case PspOutcome::kSucceeded:
    case PspOutcome::kDeclined:
    case PspOutcome::kFailed:
      return finalize(operation_id, attempt, reply.outcome, reply);
    case PspOutcome::kNotFound:
      return finalize(operation_id, attempt, PspOutcome::kFailed, reply);
    case PspOutcome::kAmbiguous:
      break;
  }
  if (config_.planted.has(Defect::kTimeoutAsDecline)) {
    // GCOVR_EXCL_START: planted defect only (ci/coverage.sh)
    return finalize(operation_id, attempt, PspOutcome::kDeclined, reply);
    // GCOVR_EXCL_STOP
  }
  // Planted psp-attempts-off-by-one: one attempt past the configured number.
  const int attempts_max =
      config_.psp_attempts_max + (config_.planted.has(Defect::kPspAttemptsOffByOne) ? 1 : 0);
  if (attempt < attempts_max) {
    // Same key on the retry: if the first attempt reached the PSP, this one collapses into it.
    // Planted psp-retry-no-backoff: at once.
    const int64_t backoff_us = config_.planted.has(Defect::kPspRetryNoBackoff)
                                   ? 0
                                   : config_.psp_retry_backoff_us * attempt;
    ports_.clock->after(
        backoff_us, [this, operation_id, attempt] { drive_operation(operation_id, attempt + 1); });
    return;
  }
  mark_unknown(operation_id, attempt);
}

void PaymentEngine::finalize(const std::string& operation_id, int attempts, PspOutcome outcome,
                             const PspReply& reply) {
  auto op = load_operation(*db_, operation_id);
  RECKON_CHECK(op.has_value(), "a finalized operation exists");
  RECKON_CHECK(!is_final(op->status), "an operation is finalized once");
  auto charge = load_charge(*db_, op->charge_id);
  RECKON_CHECK(charge.has_value(), "an operation's charge exists");
  const int64_t now_us = ports_.clock->now_us();
  OutcomeEffects effects = outcome_effects(*charge, *op, outcome, reply, config_.planted);
  const std::string& op_status = effects.op_status;
  HttpResponse& response = effects.response;
  const std::vector<LedgerEntry>& entries = effects.entries;
  std::optional<OutboxEvent> event = outbox_event_for(*op, op_status, *charge, now_us);
  if (event && config_.planted.has(Defect::kEventAmountOfCharge)) {
    // GCOVR_EXCL_START: planted defect only (ci/coverage.sh)
    OperationRow planted_op = *op;  // planted: the event reports the charge's amount
    planted_op.amount_minor = charge->amount_minor;
    event = make_outbox_event(planted_op, event->type, *charge, now_us);
    // GCOVR_EXCL_STOP
  }
  // Planted (outbox-outside-transaction): the event goes in a second transaction.
  const bool event_apart =
      config_.planted.has(Defect::kOutboxOutsideTransaction) && event.has_value();
  // Planted (status-apart-from-ledger): the entries go in a second transaction.
  const bool apart = config_.planted.has(Defect::kStatusApartFromLedger) && !entries.empty();
  auto post_entries = [&]() -> Status {
    if (entries.empty()) return Status::success();
    if (config_.planted.has(Defect::kLedgerEntryUpdated) && op->kind == "refund" &&
        edit_capture_entries(*db_, charge->id, op->amount_minor)) {
      return Status::success();
    }
    return post_ledger_transaction(*db_, charge->id, op->kind, charge->currency, entries, now_us,
                                   config_.planted.has(Defect::kLedgerChainOmitsKind));
  };
  Status s = in_transaction(*db_, [&]() -> Status {
    Status w = set_operation_status(*db_, operation_id, op_status, attempts, now_us);
    if (w.ok) w = update_charge(*db_, *charge, now_us);
    if (w.ok && !apart) w = post_entries();
    if (w.ok && event && !event_apart) w = insert_outbox_event(*db_, *event, now_us);
    if (w.ok) w = complete_idempotency(*db_, operation_id, response.status, response.body);
    return w;
  });
  if (s.ok && apart) {
    crash_point("after_outcome_commit");
    (void)in_transaction(*db_, post_entries);  // planted: a failure leaves the entries unposted
  }
  if (!s.ok) {
    // Nothing was booked; the operation stays pending and recovery re-asks the PSP by key.
    response = error_response(503, "storage_unavailable",
                              "the outcome could not be recorded; retry with the same key");
    if (config_.planted.has(Defect::kFailedCommitAnswered504)) response.status = 504;  // planted
  } else {
    crash_point("after_outcome_commit");
    if (event_apart) {
      // Planted: a failure loses the event.
      (void)in_transaction(*db_, [&] { return insert_outbox_event(*db_, *event, now_us); });
    }
  }
  respond_to(operation_id, response);
  release(operation_id);
}

void PaymentEngine::mark_unknown(const std::string& operation_id, int attempts) {
  auto op = load_operation(*db_, operation_id);
  RECKON_CHECK(op.has_value(), "an operation marked unknown exists");
  const int64_t now_us = ports_.clock->now_us();
  // A failure here leaves the operation pending, which recovery treats as unknown all the
  // same (it re-asks the PSP by key): the answer below holds either way.
  (void)in_transaction(*db_, [&]() -> Status {
    Status w = set_operation_status(*db_, operation_id, "unknown", attempts, now_us);
    // Planted (capture-timeout-regresses-status): a capture is treated like an authorization.
    const bool regress =
        config_.planted.has(Defect::kCaptureTimeoutRegressesStatus) && op->kind == "capture";
    if (!w.ok || (op->kind != "authorize" && !regress)) return w;
    auto charge = load_charge(*db_, op->charge_id);
    RECKON_CHECK(charge.has_value(), "an operation's charge exists");
    charge->status = "unknown";
    return update_charge(*db_, *charge, now_us);
  });
  // Not stored under the key: the key stays in flight until recovery learns the outcome,
  // and a retry then gets the final response. The body names the charge (as committed, or
  // as it was if the commit failed), so the merchant may read, void or refund it meanwhile.
  constexpr std::string_view kMessage =
      "the PSP did not answer; the outcome is being resolved, retry later with the same "
      "Idempotency-Key";
  HttpResponse response = error_response(503, "psp_outcome_unknown", kMessage);
  std::optional<ChargeRow> charge = load_charge(*db_, op->charge_id);
  if (config_.planted.has(Defect::kUnknownOutcomeWithoutCharge)) charge.reset();
  if (charge) {
    response.body = error_with_charge_json(*charge, "psp_outcome_unknown", kMessage);
  }
  respond_to(operation_id, response);
  release(operation_id);
}

void PaymentEngine::respond_to(const std::string& operation_id, const HttpResponse& response) {
  auto it = in_flight_.find(operation_id);
  if (it == in_flight_.end() || !it->second) return;
  Responder responder = std::move(it->second);
  it->second = nullptr;
  responder(response);
}

void PaymentEngine::release(const std::string& operation_id) {
  in_flight_.erase(operation_id);
  auto waiting = waiting_on_operation_.find(operation_id);
  if (waiting == waiting_on_operation_.end()) return;
  auto continuations = std::move(waiting->second);
  waiting_on_operation_.erase(waiting);
  for (auto& next : continuations) next();
}

void PaymentEngine::run_recovery() {
  purge_expired_idempotency_keys();
  for (const auto& op : unresolved_operations(*db_)) {
    if (in_flight_.count(op.id) != 0) continue;
    if (config_.planted.has(Defect::kRecoverySkipsUnknown) && op.status == "unknown") continue;
    resolve_operation(op);
  }
  expire_authorizations();
}

void PaymentEngine::resolve_operation(const OperationRow& op) {
  RECKON_CHECK(in_flight_.count(op.id) == 0, "recovery never drives an operation in flight");
  crash_point("during_recovery");
  in_flight_[op.id] = nullptr;  // no client waits on a recovered operation
  if (config_.planted.has(Defect::kRecoveryMarksUnknownFailed) && op.status == "unknown") {
    // GCOVR_EXCL_START: planted defect only (ci/coverage.sh)
    finalize(op.id, 0, PspOutcome::kFailed, PspReply{});  // planted: never asks the PSP
    return;
    // GCOVR_EXCL_STOP
  }
  PspRequest lookup;
  lookup.op = PspOp::kLookup;
  lookup.idempotency_key = psp_key_for_attempt(op);
  const std::string id = op.id;
  ports_.psp->call(lookup, [this, id](const PspReply& reply) { on_lookup_reply(id, reply); });
}

void PaymentEngine::purge_expired_idempotency_keys() {
  // GCOVR_EXCL_START: planted defect only (ci/coverage.sh)
  if (config_.planted.has(Defect::kIdempotencyKeyKeptForever)) return;  // planted
  if (config_.planted.has(Defect::kKeyPurgeNeverRuns)) return;          // planted
  // GCOVR_EXCL_STOP
  // Bounded per pass so one pass never holds the write lock for long.
  constexpr int64_t kPurgeBatch = 500;
  const int64_t cutoff = ports_.clock->now_us() - config_.idempotency_retention_us;
  if (!has_idempotency_before(*db_, cutoff)) return;  // the usual case: no write at all
  Status s = in_transaction(*db_, [&] {
    Status purge;
    purge_idempotency(*db_, cutoff, kPurgeBatch, purge);
    return purge;
  });
  (void)s;  // a failed purge is retried on the next pass; nothing depends on it
}

void PaymentEngine::on_lookup_reply(const std::string& operation_id, const PspReply& reply) {
  if (reply.outcome == PspOutcome::kSucceeded) {
    const bool declined = reply.state == PspChargeState::kDeclined;
    return finalize(operation_id, 0, declined ? PspOutcome::kDeclined : PspOutcome::kSucceeded,
                    reply);
  }
  if (reply.outcome == PspOutcome::kFailed) {
    return finalize(operation_id, 0, PspOutcome::kFailed, reply);
  }
  if (reply.outcome == PspOutcome::kNotFound) {
    // The PSP never saw the operation: re-send it under the same key. Should the original
    // request still be in the network, the PSP collapses the two into one.
    return drive_operation(operation_id, 1);
  }
  // GCOVR_EXCL_START: planted defect only (ci/coverage.sh)
  if (config_.planted.has(Defect::kLookupTimeoutDropsWaiter)) {
    // planted: the requests waiting on the lookup are dropped, never answered
    waiting_on_operation_.erase(operation_id);
    in_flight_.erase(operation_id);
    return;
  }
  // GCOVR_EXCL_STOP
  release(operation_id);  // no clear answer: the next recovery pass asks again
}

void PaymentEngine::start_recovery_loop() {
  if (recovery_loop_started_) return;
  recovery_loop_started_ = true;
  run_periodically(config_.recovery_interval_us, &PaymentEngine::run_recovery);
}

void PaymentEngine::run_periodically(int64_t interval_us, void (PaymentEngine::*pass)()) {
  RECKON_CHECK(interval_us > 0, "a periodic job needs a positive interval");
  (this->*pass)();
  struct Tick {
    PaymentEngine* engine;
    int64_t interval_us;
    void (PaymentEngine::*pass)();
    void operator()() const {
      (engine->*pass)();
      engine->ports_.clock->after(interval_us, *this);
    }
  };
  ports_.clock->after(interval_us, Tick{this, interval_us, pass});
}

}  // namespace reckon::engine
