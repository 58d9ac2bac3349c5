#include "sim/ledger_verifier_check.h"

#include "engine/ledger_verify.h"
#include "sim/prng.h"
#include "sim/properties.h"

namespace reckon::sim {
namespace {

int64_t scalar(sqlite3* store, const std::string& sql) {
  sqlite3_stmt* st = nullptr;
  int64_t value = -1;
  if (sqlite3_prepare_v2(store, sql.c_str(), -1, &st, nullptr) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW) {
    value = sqlite3_column_int64(st, 0);
  }
  sqlite3_finalize(st);
  return value;
}

std::string text_scalar(sqlite3* store, const std::string& sql) {
  sqlite3_stmt* st = nullptr;
  std::string value;
  if (sqlite3_prepare_v2(store, sql.c_str(), -1, &st, nullptr) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != nullptr) {
    value = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  }
  sqlite3_finalize(st);
  return value;
}

// One tamper docs/ledger.md calls detectable, as SQL, and what it does in words.
struct Tamper {
  std::string what;
  std::string sql;
};

Tamper draw_tamper(PrngStream& stream, int64_t first_entry, int64_t last_entry, int64_t first_txn,
                   int64_t last_txn) {
  const std::string entry = std::to_string(stream.between(first_entry, last_entry));
  const std::string txn = std::to_string(stream.between(first_txn, last_txn));
  switch (stream.below(5)) {
    case 0:
      return {"entry " + entry + "'s amount raised by one minor unit",
              "UPDATE ledger_entries SET amount_minor = amount_minor + 1 WHERE id = " + entry};
    case 1:
      // The amounts stay balanced: only the chain can see an entry booked to another account.
      return {"entry " + entry + " moved to another account",
              "UPDATE ledger_entries SET account = CASE account WHEN 'customer_hold' THEN "
              "'merchant_pending' ELSE 'customer_hold' END WHERE id = " +
                  entry};
    case 2:
      return {"entry " + entry + " moved to another transaction",
              "UPDATE ledger_entries SET txn_id = (SELECT id FROM ledger_transactions WHERE id <> "
              "ledger_entries.txn_id ORDER BY id = " +
                  txn + " DESC, id LIMIT 1) WHERE id = " + entry};
    case 3:
      return {"entry " + entry + " deleted", "DELETE FROM ledger_entries WHERE id = " + entry};
    default:
      return {"transaction " + txn + "'s row deleted",
              "DELETE FROM ledger_transactions WHERE id = " + txn};
  }
}

}  // namespace

void check_ledger_verifier(sqlite3* store, const std::string& db_path, uint64_t seed,
                           const engine::PlantedDefects& planted, TimeUs now_us,
                           std::vector<Failure>& failures) {
  auto fail = [&](const std::string& detail) {
    failures.push_back(Failure{kLedgerVerifySound, "", detail, now_us});
  };
  const int64_t entries = scalar(store, "SELECT count(*) FROM ledger_entries");
  const int64_t transactions = scalar(store, "SELECT count(*) FROM ledger_transactions");
  const std::string head =
      text_scalar(store, "SELECT hash FROM ledger_entries ORDER BY id DESC LIMIT 1");
  const engine::LedgerReport sound = engine::verify_ledger_file(db_path, planted);
  if (sound.verdict != engine::LedgerVerdict::kOk) {
    return fail("`reckon ledger verify` refuses a ledger the independent checks found sound: " +
                sound.message);
  }
  if (sound.entries != entries || sound.transactions != transactions ||
      (entries > 0 && sound.head_hash != head)) {
    return fail("`reckon ledger verify` counted " + std::to_string(sound.entries) + " entries, " +
                std::to_string(sound.transactions) + " transactions, head " + sound.head_hash +
                "; the store holds " + std::to_string(entries) + ", " +
                std::to_string(transactions) + ", head " + head);
  }
  // Two transactions at least, so an entry can move between them.
  if (transactions < 2) return;
  PrngStream stream(seed, "ledger-tamper");
  const Tamper tamper = draw_tamper(stream, scalar(store, "SELECT min(id) FROM ledger_entries"),
                                    scalar(store, "SELECT max(id) FROM ledger_entries"),
                                    scalar(store, "SELECT min(id) FROM ledger_transactions"),
                                    scalar(store, "SELECT max(id) FROM ledger_transactions"));
  const std::string sql =
      "PRAGMA foreign_keys = OFF; "
      "DROP TRIGGER IF EXISTS ledger_entries_no_update; "
      "DROP TRIGGER IF EXISTS ledger_entries_no_delete; "
      "DROP TRIGGER IF EXISTS ledger_transactions_no_update; "
      "DROP TRIGGER IF EXISTS ledger_transactions_no_delete; " +
      tamper.sql;
  char* error = nullptr;
  if (sqlite3_exec(store, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    const std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    return fail("could not tamper with the ledger (" + tamper.what + "): " + message);
  }
  sqlite3_free(error);
  if (sqlite3_changes(store) == 0) return;  // ids have gaps: nothing changed, nothing to see
  const engine::LedgerReport tampered = engine::verify_ledger_file(db_path, planted);
  if (tampered.verdict != engine::LedgerVerdict::kBad) {
    fail("after a tamper docs/ledger.md says is detectable (" + tamper.what +
         "), `reckon ledger verify` answered: " + tampered.message);
  }
}

}  // namespace reckon::sim
