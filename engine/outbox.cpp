#include "engine/outbox.h"

#include <xxhash.h>

#include <cstdio>

#include <nlohmann/json.hpp>

#include "engine/check.h"

namespace reckon::engine {
namespace {

OutboxEvent read_event(const Statement& st) {
  OutboxEvent e;
  e.seq = st.column_int(0);
  e.event_id = st.column_text(1);
  e.operation_id = st.column_text(2);
  e.merchant = st.column_text(3);
  e.type = st.column_text(4);
  e.charge_id = st.column_text(5);
  e.body = st.column_text(6);
  e.attempts = st.column_int(7);
  return e;
}

}  // namespace

bool owes_outbox_event(const std::string& kind, const std::string& op_status) {
  if (op_status == "succeeded") return true;
  // A refused authorization ends the payment (declined or failed); a refused capture, void
  // or refund leaves the charge as it was, so it is no transition and has no event.
  return kind == "authorize" && (op_status == "declined" || op_status == "failed");
}

std::optional<std::string> outbox_event_type(const OperationRow& op, const std::string& op_status,
                                             const ChargeRow& charge) {
  if (!owes_outbox_event(op.kind, op_status)) return std::nullopt;
  if (op_status != "succeeded") return "payment.failed";
  if (op.kind == "authorize") {
    return charge.status == "captured" ? "payment.captured" : "payment.authorized";
  }
  if (op.kind == "capture") return "payment.captured";
  if (op.kind == "void") return "payment.voided";
  RECKON_CHECK(op.kind == "refund", "operation kinds are authorize, capture, void, refund");
  return "payment.refunded";  // a partial refund too: the charge's refunded amount changed
}

std::string outbox_event_id(const std::string& operation_id) {
  const std::string material = "outbox\x1f" + operation_id;
  char buf[24];
  std::snprintf(buf, sizeof buf, "evt_%016llx",
                static_cast<unsigned long long>(XXH3_64bits(material.data(), material.size())));
  return buf;
}

OutboxEvent make_outbox_event(const OperationRow& op, const std::string& type,
                              const ChargeRow& charge, int64_t now_us) {
  OutboxEvent e;
  e.event_id = outbox_event_id(op.id);
  e.operation_id = op.id;
  e.merchant = charge.merchant;
  e.type = type;
  e.charge_id = charge.id;
  // INVARIANT: no card token in an event; the merchant identifies the payment by charge id.
  const nlohmann::json body = {{"id", e.event_id},
                               {"object", "event"},
                               {"type", type},
                               {"created_us", now_us},
                               {"data",
                                {{"charge", charge.id},
                                 {"operation", op.kind},
                                 {"amount", op.amount_minor},
                                 {"currency", charge.currency},
                                 {"status", charge.status},
                                 {"amount_captured", charge.captured_minor},
                                 {"amount_refunded", charge.refunded_minor}}}};
  e.body = body.dump();
  return e;
}

std::optional<OutboxEvent> outbox_event_for(const OperationRow& op, const std::string& op_status,
                                            const ChargeRow& charge, int64_t now_us) {
  const auto type = outbox_event_type(op, op_status, charge);
  if (!type) return std::nullopt;
  return make_outbox_event(op, *type, charge, now_us);
}

Status insert_outbox_event(Db& db, const OutboxEvent& event, int64_t now_us) {
  RECKON_CHECK(db.in_transaction(), "an outbox event commits with its state change");
  // next_attempt_us keeps its default, 0: a first attempt is due at once, whatever the clock
  // says. Were it due at `now_us`, an engine restarted with its clock behind would hold the
  // event back while a later event of the same charge, committed on the new clock, went
  // first; docs/api.md sends one charge's events in commit order, which (next_attempt_us,
  // seq) then gives: every first attempt, in seq order, before any retry.
  return db
      .prepare(
          "INSERT INTO outbox (event_id, operation_id, merchant, type, charge_id, body, "
          "created_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
      .bind(1, event.event_id)
      .bind(2, event.operation_id)
      .bind(3, event.merchant)
      .bind(4, event.type)
      .bind(5, event.charge_id)
      .bind(6, event.body)
      .bind(7, now_us)
      .run();
}

std::vector<OutboxEvent> due_outbox_events(Db& db, const std::string& merchant, int64_t now_us,
                                           int64_t limit) {
  auto& st = db.prepare(
      "SELECT seq, event_id, operation_id, merchant, type, charge_id, body, attempts "
      "FROM outbox WHERE merchant = ?1 AND delivered_us IS NULL AND next_attempt_us <= ?2 "
      "ORDER BY next_attempt_us, seq LIMIT ?3");
  st.bind(1, merchant).bind(2, now_us).bind(3, limit);
  std::vector<OutboxEvent> out;
  while (st.step() == SQLITE_ROW) out.push_back(read_event(st));
  st.reset();
  return out;
}

Status record_outbox_attempt(Db& db, const std::string& event_id, int64_t attempts,
                             std::optional<int64_t> delivered_us, int64_t next_attempt_us) {
  // INVARIANT: only the delivery state changes (the triggers refuse the rest), and never
  // of an event already delivered.
  auto& st = db.prepare(
      "UPDATE outbox SET attempts = ?2, next_attempt_us = ?3, delivered_us = ?4 "
      "WHERE event_id = ?1 AND delivered_us IS NULL");
  st.bind(1, event_id).bind(2, attempts).bind(3, next_attempt_us);
  if (delivered_us) {
    st.bind(4, *delivered_us);
  } else {
    st.bind_null(4);
  }
  return st.run();
}

int64_t undelivered_outbox_count(Db& db, const std::string& merchant) {
  auto& st = db.prepare("SELECT COUNT(*) FROM outbox WHERE merchant = ?1 AND delivered_us IS NULL");
  st.bind(1, merchant);
  const int64_t n = st.step() == SQLITE_ROW ? st.column_int(0) : 0;
  st.reset();
  return n;
}

}  // namespace reckon::engine
