#include "engine/ledger.h"

#include "engine/check.h"
#include "engine/ledger_chain.h"

namespace reckon::engine {
namespace {

std::string last_entry_hash(Db& db) {
  auto& st = db.prepare("SELECT hash FROM ledger_entries ORDER BY id DESC LIMIT 1");
  std::string out(kLedgerGenesisHash);
  if (st.step() == SQLITE_ROW) out = st.column_text(0);
  st.reset();
  return out;
}

}  // namespace

Status post_ledger_transaction(Db& db, std::string_view charge_id, std::string_view kind,
                               std::string_view currency, const std::vector<LedgerEntry>& entries,
                               int64_t now_us, bool planted_chain_omits_kind) {
  RECKON_CHECK(db.in_transaction(), "ledger writes must be inside the caller's transaction");
  RECKON_CHECK(!entries.empty(), "a ledger transaction needs entries");
  Status s = db.prepare(
                   "INSERT INTO ledger_transactions (charge_id, kind, created_us) "
                   "VALUES (?1, ?2, ?3)")
                 .bind(1, charge_id)
                 .bind(2, kind)
                 .bind(3, now_us)
                 .run();
  if (!s.ok) return s;
  const int64_t txn_id = sqlite3_last_insert_rowid(db.handle());
  // Read inside this transaction (BEGIN IMMEDIATE): no other writer can append between the
  // read of the chain's head and these inserts.
  std::string previous = last_entry_hash(db);
  for (const auto& e : entries) {
    const std::string_view chained_kind = planted_chain_omits_kind ? "" : kind;
    const std::string hash = ledger_entry_hash(
        previous,
        ChainedEntryFields{txn_id, charge_id, chained_kind, e.account, currency, e.amount_minor});
    s = db.prepare(
              "INSERT INTO ledger_entries (txn_id, account, currency, amount_minor, hash) "
              "VALUES (?1, ?2, ?3, ?4, ?5)")
            .bind(1, txn_id)
            .bind(2, e.account)
            .bind(3, currency)
            .bind(4, e.amount_minor)
            .bind(5, hash)
            .run();
    if (!s.ok) return s;
    previous = hash;
  }
  s = db.prepare(
            "UPDATE ledger_head SET entries = entries + ?1, transactions = transactions + 1, "
            "hash = ?2 WHERE id = 1")
          .bind(1, static_cast<int64_t>(entries.size()))
          .bind(2, previous)
          .run();
  if (!s.ok) return s;
  RECKON_CHECK(sqlite3_changes(db.handle()) == 1, "the schema creates the ledger_head row");
  return Status::success();
}

}  // namespace reckon::engine
