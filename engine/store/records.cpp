#include "engine/store/records.h"

#include "engine/check.h"

namespace reckon::engine {
namespace {

ChargeRow read_charge(const Statement& st) {
  ChargeRow r;
  r.id = st.column_text(0);
  r.merchant = st.column_text(1);
  r.amount_minor = st.column_int(2);
  r.currency = st.column_text(3);
  r.card_token = st.column_text(4);
  r.capture_requested = st.column_int(5) != 0;
  r.status = st.column_text(6);
  r.captured_minor = st.column_int(7);
  r.psp_charge_id = st.column_text(8);
  r.created_us = st.column_int(9);
  r.refunded_minor = st.column_int(10);
  return r;
}

OperationRow read_operation(const Statement& st) {
  OperationRow r;
  r.id = st.column_text(0);
  r.charge_id = st.column_text(1);
  r.kind = st.column_text(2);
  r.amount_minor = st.column_int(3);
  r.status = st.column_text(4);
  r.psp_key = st.column_text(5);
  r.attempts = st.column_int(6);
  r.idem_merchant = st.column_text(7);
  r.idem_key = st.column_text(8);
  return r;
}

}  // namespace

Status insert_charge(Db& db, const ChargeRow& row, int64_t now_us) {
  RECKON_CHECK(db.in_transaction(), "charge writes need a transaction");
  return db
      .prepare(
          "INSERT INTO charges (id, merchant, amount_minor, currency, card_token, "
          "capture_requested, status, captured_minor, psp_charge_id, created_us, "
          "updated_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)")
      .bind(1, row.id)
      .bind(2, row.merchant)
      .bind(3, row.amount_minor)
      .bind(4, row.currency)
      .bind(5, row.card_token)
      .bind(6, int64_t{row.capture_requested})
      .bind(7, row.status)
      .bind(8, row.captured_minor)
      .bind(9, row.psp_charge_id)
      .bind(10, now_us)
      .run();
}

std::optional<ChargeRow> load_charge(Db& db, const std::string& id) {
  auto& st = db.prepare(
      "SELECT id, merchant, amount_minor, currency, card_token, capture_requested, status, "
      "captured_minor, psp_charge_id, created_us, refunded_minor FROM charges WHERE id = ?1");
  st.bind(1, id);
  std::optional<ChargeRow> out;
  if (st.step() == SQLITE_ROW) out = read_charge(st);
  st.reset();
  return out;
}

std::vector<ChargeRow> list_charges_page(Db& db, const std::string& merchant,
                                         const std::optional<ChargeRow>& cursor, int64_t limit) {
  auto& st = db.prepare(
      "SELECT id, merchant, amount_minor, currency, card_token, capture_requested, status, "
      "captured_minor, psp_charge_id, created_us, refunded_minor FROM charges "
      "WHERE merchant = ?1 AND (created_us, id) > (?2, ?3) "
      "ORDER BY created_us, id LIMIT ?4");
  st.bind(1, merchant)
      .bind(2, cursor ? cursor->created_us : INT64_MIN)
      .bind(3, cursor ? std::string_view(cursor->id) : std::string_view())
      .bind(4, limit);
  std::vector<ChargeRow> out;
  while (st.step() == SQLITE_ROW) out.push_back(read_charge(st));
  st.reset();
  return out;
}

Status update_charge(Db& db, const ChargeRow& row, int64_t now_us) {
  RECKON_CHECK(db.in_transaction(), "charge writes need a transaction");
  return db
      .prepare(
          "UPDATE charges SET status = ?2, captured_minor = ?3, psp_charge_id = ?4, "
          "updated_us = ?5, refunded_minor = ?6 WHERE id = ?1")
      .bind(1, row.id)
      .bind(2, row.status)
      .bind(3, row.captured_minor)
      .bind(4, row.psp_charge_id)
      .bind(5, now_us)
      .bind(6, row.refunded_minor)
      .run();
}

Status insert_operation(Db& db, const OperationRow& row, int64_t now_us) {
  RECKON_CHECK(db.in_transaction(), "operation writes need a transaction");
  return db
      .prepare(
          "INSERT INTO operations (id, charge_id, kind, amount_minor, status, psp_key, "
          "attempts, idem_merchant, idem_key, created_us, updated_us) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)")
      .bind(1, row.id)
      .bind(2, row.charge_id)
      .bind(3, row.kind)
      .bind(4, row.amount_minor)
      .bind(5, row.status)
      .bind(6, row.psp_key)
      .bind(7, row.attempts)
      .bind(8, row.idem_merchant)
      .bind(9, row.idem_key)
      .bind(10, now_us)
      .run();
}

namespace {

constexpr const char* kOperationColumns =
    "SELECT id, charge_id, kind, amount_minor, status, psp_key, attempts, "
    "idem_merchant, idem_key FROM operations ";

// The first operation `where` (with one parameter, `value`) selects, if any.
std::optional<OperationRow> first_operation(Db& db, const std::string& where,
                                            const std::string& value) {
  auto& st = db.prepare(kOperationColumns + where);
  st.bind(1, value);
  std::optional<OperationRow> out;
  if (st.step() == SQLITE_ROW) out = read_operation(st);
  st.reset();
  return out;
}

}  // namespace

std::optional<OperationRow> load_operation(Db& db, const std::string& id) {
  return first_operation(db, "WHERE id = ?1", id);
}

std::optional<OperationRow> load_operation_by_psp_key(Db& db, const std::string& psp_key) {
  return first_operation(db, "WHERE psp_key = ?1 ORDER BY created_us, id LIMIT 1", psp_key);
}

Status set_operation_status(Db& db, const std::string& id, const std::string& status,
                            int64_t attempts, int64_t now_us) {
  RECKON_CHECK(db.in_transaction(), "operation writes need a transaction");
  return db
      .prepare("UPDATE operations SET status = ?2, attempts = ?3, updated_us = ?4 WHERE id = ?1")
      .bind(1, id)
      .bind(2, status)
      .bind(3, attempts)
      .bind(4, now_us)
      .run();
}

std::vector<OperationRow> unresolved_operations(Db& db) {
  auto& st = db.prepare(
      "SELECT id, charge_id, kind, amount_minor, status, psp_key, attempts, "
      "idem_merchant, idem_key FROM operations "
      "WHERE status IN ('pending', 'unknown') ORDER BY created_us, id");
  std::vector<OperationRow> out;
  while (st.step() == SQLITE_ROW) out.push_back(read_operation(st));
  st.reset();
  return out;
}

std::vector<ChargeRow> expired_authorizations(Db& db, int64_t authorized_before_us, int64_t limit) {
  auto& st = db.prepare(
      "SELECT c.id, c.merchant, c.amount_minor, c.currency, c.card_token, c.capture_requested, "
      "c.status, c.captured_minor, c.psp_charge_id, c.created_us, c.refunded_minor "
      "FROM charges c JOIN operations a ON a.charge_id = c.id AND a.kind = 'authorize' "
      "AND a.status = 'succeeded' "
      "WHERE c.status = 'authorized' AND a.updated_us <= ?1 AND NOT EXISTS ("
      "SELECT 1 FROM operations s WHERE s.charge_id = c.id AND s.kind IN ('capture', 'void') "
      "AND s.status IN ('pending', 'unknown', 'succeeded')) "
      // The engine's own void (no client key) is tried once: if the PSP refused it, the
      // charge stays authorized (captures are still refused) rather than looping.
      "AND NOT EXISTS (SELECT 1 FROM operations v WHERE v.charge_id = c.id AND v.kind = 'void' "
      "AND v.idem_key = '') "
      "ORDER BY a.updated_us, c.id LIMIT ?2");
  st.bind(1, authorized_before_us).bind(2, limit);
  std::vector<ChargeRow> out;
  while (st.step() == SQLITE_ROW) out.push_back(read_charge(st));
  st.reset();
  return out;
}

std::optional<int64_t> authorized_at_us(Db& db, const std::string& charge_id) {
  auto& st = db.prepare(
      "SELECT updated_us FROM operations WHERE charge_id = ?1 AND kind = 'authorize' "
      "AND status = 'succeeded'");
  st.bind(1, charge_id);
  std::optional<int64_t> out;
  if (st.step() == SQLITE_ROW) out = st.column_int(0);
  st.reset();
  return out;
}

std::optional<OperationRow> unresolved_authorization(Db& db, const std::string& charge_id) {
  auto& st = db.prepare(
      "SELECT id, charge_id, kind, amount_minor, status, psp_key, attempts, "
      "idem_merchant, idem_key FROM operations "
      "WHERE charge_id = ?1 AND kind = 'authorize' AND status IN ('pending', 'unknown')");
  st.bind(1, charge_id);
  std::optional<OperationRow> out;
  if (st.step() == SQLITE_ROW) out = read_operation(st);
  st.reset();
  return out;
}

int64_t refunds_committed_minor(Db& db, const std::string& charge_id, bool count_under_way) {
  RECKON_CHECK(db.in_transaction(), "the refund cap is counted inside the refund's transaction");
  const char* sql =
      "SELECT COALESCE(SUM(amount_minor), 0) FROM operations WHERE charge_id = ?1 "
      "AND kind = 'refund' AND status IN ('pending', 'unknown', 'succeeded')";
  // GCOVR_EXCL_START: planted defect only (ci/coverage.sh)
  if (!count_under_way) {
    sql =
        "SELECT COALESCE(SUM(amount_minor), 0) FROM operations WHERE charge_id = ?1 "
        "AND kind = 'refund' AND status = 'succeeded'";
  }
  // GCOVR_EXCL_STOP
  auto& st = db.prepare(sql);
  st.bind(1, charge_id);
  const int64_t sum = st.step() == SQLITE_ROW ? st.column_int(0) : 0;
  st.reset();
  return sum;
}

bool has_settlement(Db& db, const std::string& charge_id) {
  auto& st = db.prepare(
      "SELECT 1 FROM operations WHERE charge_id = ?1 AND kind IN ('capture', 'void') "
      "AND status IN ('pending', 'unknown', 'succeeded') LIMIT 1");
  st.bind(1, charge_id);
  const bool found = st.step() == SQLITE_ROW;
  st.reset();
  return found;
}

std::optional<IdempotencyRow> load_idempotency(Db& db, const std::string& merchant,
                                               const std::string& key, bool any_merchant) {
  static const std::string kSelect =
      "SELECT merchant, key, fingerprint, state, operation_id, "
      "response_status, response_body, created_us FROM idempotency_keys ";
  static const std::string kOwnMerchant = kSelect + "WHERE merchant = ?1 AND key = ?2";
  // GCOVR_EXCL_START: planted defect only (ci/coverage.sh)
  static const std::string kAnyMerchant =
      kSelect + "WHERE ?1 IS NOT NULL AND key = ?2 ORDER BY created_us, rowid LIMIT 1";
  // GCOVR_EXCL_STOP
  auto& st = db.prepare(any_merchant ? kAnyMerchant : kOwnMerchant);
  st.bind(1, merchant).bind(2, key);
  std::optional<IdempotencyRow> out;
  if (st.step() == SQLITE_ROW) {
    out = IdempotencyRow{st.column_text(0), st.column_text(1), st.column_text(2),
                         st.column_text(3), st.column_text(4), static_cast<int>(st.column_int(5)),
                         st.column_text(6), st.column_int(7)};
  }
  st.reset();
  return out;
}

Status insert_idempotency(Db& db, const IdempotencyRow& row, int64_t now_us) {
  RECKON_CHECK(db.in_transaction(), "idempotency writes need a transaction");
  return db
      .prepare(
          "INSERT INTO idempotency_keys (merchant, key, fingerprint, state, operation_id, "
          "created_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
      .bind(1, row.merchant)
      .bind(2, row.key)
      .bind(3, row.fingerprint)
      .bind(4, row.state)
      .bind(5, row.operation_id)
      .bind(6, now_us)
      .run();
}

Status delete_idempotency(Db& db, const std::string& merchant, const std::string& key) {
  RECKON_CHECK(db.in_transaction(), "idempotency writes need a transaction");
  return db
      .prepare("DELETE FROM idempotency_keys WHERE merchant = ?1 AND key = ?2 AND state = 'done'")
      .bind(1, merchant)
      .bind(2, key)
      .run();
}

bool has_idempotency_before(Db& db, int64_t cutoff_us) {
  auto& st =
      db.prepare("SELECT 1 FROM idempotency_keys WHERE state = 'done' AND created_us < ?1 LIMIT 1");
  st.bind(1, cutoff_us);
  const bool found = st.step() == SQLITE_ROW;
  st.reset();
  return found;
}

int64_t purge_idempotency(Db& db, int64_t cutoff_us, int64_t limit, Status& status) {
  // INVARIANT: only completed keys are forgotten; an in-flight key guards an operation that
  // is still unresolved, however old it is.
  status = db.prepare(
                 "DELETE FROM idempotency_keys WHERE rowid IN (SELECT rowid FROM idempotency_keys "
                 "WHERE state = 'done' AND created_us < ?1 LIMIT ?2)")
               .bind(1, cutoff_us)
               .bind(2, limit)
               .run();
  return status.ok ? sqlite3_changes(db.handle()) : 0;
}

Status complete_idempotency(Db& db, const std::string& operation_id, int status,
                            const std::string& body) {
  RECKON_CHECK(db.in_transaction(), "idempotency writes need a transaction");
  return db
      .prepare(
          "UPDATE idempotency_keys SET state = 'done', response_status = ?2, "
          "response_body = ?3 WHERE operation_id = ?1")
      .bind(1, operation_id)
      .bind(2, int64_t{status})
      .bind(3, body)
      .run();
}

}  // namespace reckon::engine
