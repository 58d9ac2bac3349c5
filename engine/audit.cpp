#include "engine/audit.h"

#include <xxhash.h>

#include <cstdio>
#include <memory>

#include "engine/check.h"

namespace reckon::engine {

std::string api_key_id(std::string_view api_key) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "key_%012llx",
                static_cast<unsigned long long>(XXH3_64bits(api_key.data(), api_key.size()) >> 16));
  return buf;
}

Status append_audit(Db& db, const AuditRecord& r) {
  RECKON_CHECK(db.in_transaction(), "an audit row is written with its operation");
  return db
      .prepare(
          "INSERT INTO audit_log (at_us, merchant, actor, action, charge_id, operation_id, "
          "idempotency_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
      .bind(1, r.at_us)
      .bind(2, r.merchant)
      .bind(3, r.actor)
      .bind(4, r.action)
      .bind(5, r.charge_id)
      .bind(6, r.operation_id)
      .bind(7, r.idempotency_key)
      .run();
}

std::vector<AuditRecord> read_audit_file(const std::string& path, const std::string& merchant,
                                         std::string& error, const PlantedDefects& planted) {
  Status status;
  auto db = Db::open_read_only(path, status);
  if (!db) {
    error = status.message;
    return {};
  }
  // try_prepare: a file that is not a database is the caller's error, not an assertion.
  Statement* has_table = db->try_prepare(
      "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'", status);
  if (has_table == nullptr) {
    error = status.message;
    return {};
  }
  const int found = has_table->step();
  has_table->reset();
  if (found != SQLITE_ROW) {
    error = found == SQLITE_DONE ? "not a Reckon engine database (no audit_log table)"
                                 : db->last_error();
    return {};
  }
  auto& st = db->prepare(
      "SELECT at_us, merchant, actor, action, charge_id, operation_id, idempotency_key "
      "FROM audit_log WHERE ?1 = '' OR merchant = ?1 ORDER BY id");
  st.bind(1, planted.has(Defect::kAuditFilterIgnored) ? std::string() : merchant);
  std::vector<AuditRecord> out;
  int rc = SQLITE_ROW;
  while ((rc = st.step()) == SQLITE_ROW) {
    out.push_back({st.column_int(0), st.column_text(1), st.column_text(2), st.column_text(3),
                   st.column_text(4), st.column_text(5), st.column_text(6)});
  }
  st.reset();
  if (rc != SQLITE_DONE) error = db->last_error();
  return out;
}

}  // namespace reckon::engine
