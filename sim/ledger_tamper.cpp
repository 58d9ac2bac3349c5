#include "sim/ledger_tamper.h"

#include <vector>

#include "engine/check.h"
#include "oracle/ledger_chain_rule.h"
#include "oracle/ledger_rules.h"
#include "sim/store_reader.h"

namespace reckon::sim {
namespace {

// docs/ledger.md, check 4: the anchor is `ledger_head`; a verdict about it names it.
constexpr const char* kAnchor = "ledger_head";

// Tampers 0..4: one row of the chain edited or deleted, no hash recomputed.
Tamper row_tamper(uint64_t kind, const std::string& entry, const std::string& txn) {
  switch (kind) {
    case 0:
      // One minor unit away from zero: an entry of -1 (a charge of one minor unit) must not
      // become 0, which the schema refuses before the verifier could see it.
      return {"entry " + entry + "'s amount moved one minor unit away from zero",
              "UPDATE ledger_entries SET amount_minor = amount_minor + "
              "(CASE WHEN amount_minor < 0 THEN -1 ELSE 1 END) WHERE id = " +
                  entry,
              false, "entry " + entry + " ("};
    case 1:
      // The amounts stay balanced: only the chain can see an entry booked to another account.
      return {"entry " + entry + " moved to another account",
              "UPDATE ledger_entries SET account = CASE account WHEN 'customer_hold' THEN "
              "'merchant_pending' ELSE 'customer_hold' END WHERE id = " +
                  entry,
              false, "entry " + entry + " ("};
    case 2:
      return {"entry " + entry + " moved to another transaction",
              "UPDATE ledger_entries SET txn_id = (SELECT id FROM ledger_transactions WHERE id <> "
              "ledger_entries.txn_id ORDER BY id = " +
                  txn + " DESC, id LIMIT 1) WHERE id = " + entry,
              false, "entry " + entry + " ("};
    case 3:
      return {"entry " + entry + " deleted", "DELETE FROM ledger_entries WHERE id = " + entry};
    default:
      RECKON_CHECK(kind == 4, "row tampers are kinds 0..4");
      return {"transaction " + txn + "'s row deleted",
              "DELETE FROM ledger_transactions WHERE id = " + txn};
  }
}

// Tampers 5..12: the anchor edited, rows added or removed at the end, or amounts and
// currencies moved with every hash and the anchor recomputed.
Tamper anchor_or_recomputed_tamper(uint64_t kind, const std::string& entry, const std::string& txn,
                                   int64_t last_txn) {
  switch (kind) {
    case 6:
      // The anchor alone edited: the file is whole, but no longer what the engine recorded.
      return {"the anchor's transaction count raised by one",
              "UPDATE ledger_head SET transactions = transactions + 1 WHERE id = 1", false,
              kAnchor};
    case 7:
      return {"the anchor's head hash replaced by the first entry's",
              "UPDATE ledger_head SET hash = (SELECT hash FROM ledger_entries ORDER BY id "
              "LIMIT 1) WHERE id = 1",
              false, kAnchor};
    case 8:
      // Each currency still sums to zero: only the per-transaction balance can see it.
      return {"one minor unit moved from entry " + entry +
                  " to an entry of another transaction in its currency, every hash and the "
                  "anchor recomputed",
              "UPDATE ledger_entries SET amount_minor = amount_minor - 1 WHERE id = (SELECT o.id "
              "FROM ledger_entries o, ledger_entries x WHERE x.id = " +
                  entry +
                  " AND o.currency = x.currency AND o.txn_id <> x.txn_id AND o.amount_minor <> 1 "
                  "ORDER BY o.id LIMIT 1); UPDATE ledger_entries SET amount_minor = amount_minor "
                  "+ 1 WHERE id = " +
                  entry + " AND amount_minor <> -1",
              // docs/ledger.md, check 2: the first transaction off balance, by its sum (one
              // minor unit either way, whichever of the two comes first).
              true, "does not balance: sums to 1", "does not balance: sums to -1"};
    case 9:
      return {"entry " + entry + " moved to another currency, every hash and the anchor recomputed",
              "UPDATE ledger_entries SET currency = CASE currency WHEN 'USD' THEN 'EUR' ELSE "
              "'USD' END WHERE id = " +
                  entry,
              true};
    case 10: {
      // The chain has nothing to see (no entry changed) and the anchor counts the new row:
      // check 2 ("has entries") comes first, so the verdict names the new transaction.
      const std::string added = std::to_string(last_txn + 1);
      return {"transaction " + txn + " copied as transaction " + added +
                  " with no entries, the anchor's count raised to match",
              "INSERT INTO ledger_transactions (id, charge_id, kind, created_us) SELECT " + added +
                  ", charge_id, kind, created_us FROM ledger_transactions WHERE id = " + txn +
                  "; UPDATE ledger_head SET transactions = transactions + 1 WHERE id = 1",
              false, "transaction " + added + " "};
    }
    case 11:
      return {"the anchor's row deleted", "DELETE FROM ledger_head", false, kAnchor};
    case 12:
      return currency_swap_tamper(txn);
    default:
      // The chain of what is left is intact: only the anchor can see the end is gone.
      return {"the last transaction and its entries deleted",
              "DELETE FROM ledger_entries WHERE txn_id = (SELECT max(id) FROM "
              "ledger_transactions); DELETE FROM ledger_transactions WHERE id = (SELECT max(id) "
              "FROM ledger_transactions)",
              false, kAnchor};
  }
}

}  // namespace

Tamper draw_tamper(PrngStream& stream, int64_t first_entry, int64_t last_entry, int64_t first_txn,
                   int64_t last_txn) {
  const std::string entry = std::to_string(stream.between(first_entry, last_entry));
  const std::string txn = std::to_string(stream.between(first_txn, last_txn));
  const uint64_t kind = stream.below(13);
  return kind <= 4 ? row_tamper(kind, entry, txn)
                   : anchor_or_recomputed_tamper(kind, entry, txn, last_txn);
}

Tamper currency_swap_tamper(const std::string& txn) {
  // p and q are A's entries, r and s B's (plus, then minus); A's q moves to Y, B's s moves
  // to X, and B's amounts become A's so that X and Y each still sum to zero.
  return {
      "transactions mixing currencies: one entry of a transaction moved to another "
      "currency and one of a transaction in that currency moved back, amounts matched so "
      "every currency still sums to zero, every hash and the anchor recomputed",
      "DROP TABLE IF EXISTS temp.reckon_tamper_swap; "
      "CREATE TEMP TABLE reckon_tamper_swap AS WITH two AS (SELECT txn_id, min(currency) "
      "AS currency, max(CASE WHEN amount_minor > 0 THEN id END) AS plus, "
      "max(CASE WHEN amount_minor < 0 THEN id END) AS minus, max(amount_minor) AS amount "
      "FROM ledger_entries GROUP BY txn_id HAVING count(*) = 2 AND count(DISTINCT "
      "currency) = 1 AND min(amount_minor) < 0 AND max(amount_minor) > 0) "
      "SELECT a.txn_id AS a_txn, a.currency AS x, a.minus AS q, a.amount AS amount, "
      "b.txn_id AS b_txn, b.currency AS y, b.plus AS r, b.minus AS s FROM two a JOIN two b "
      "ON b.currency <> a.currency ORDER BY a.txn_id >= " +
          txn +
          " DESC, a.txn_id, b.txn_id LIMIT 1; "
          "UPDATE ledger_entries SET currency = (SELECT y FROM reckon_tamper_swap) WHERE "
          "id = (SELECT q FROM reckon_tamper_swap); "
          "UPDATE ledger_entries SET amount_minor = (SELECT amount FROM reckon_tamper_swap) "
          "WHERE id = (SELECT r FROM reckon_tamper_swap); "
          "UPDATE ledger_entries SET amount_minor = -(SELECT amount FROM "
          "reckon_tamper_swap), currency = (SELECT x FROM reckon_tamper_swap) WHERE id = "
          "(SELECT s FROM reckon_tamper_swap)",
      true, "", "",
      // docs/ledger.md, check 2, names the first transaction that breaks it.
      "SELECT 'transaction ' || min(a_txn, b_txn) || ' (' FROM reckon_tamper_swap"};
}

namespace {

// Writes the hashes the chain gives `entries` (in id order) where they differ, and the
// anchor's head; false at the first write that fails.
bool write_chain(sqlite3* store, const std::vector<oracle::LedgerEntryRow>& entries) {
  StoreReader writer;
  writer.attach(store);
  auto& update = writer.prepare_write("UPDATE ledger_entries SET hash = ?1 WHERE id = ?2");
  std::string previous(oracle::kChainGenesis);
  for (const oracle::LedgerEntryRow& e : entries) {
    const std::string hash = oracle::chain_hash(
        previous, {e.txn_id, e.charge_id, e.kind, e.account, e.currency, e.amount_minor});
    if (hash != e.hash) {
      update.bind(1, hash).bind(2, e.id);
      if (update.step() != SQLITE_DONE) return false;
      update.reset();
    }
    previous = hash;
  }
  auto& anchor = writer.prepare_write("UPDATE ledger_head SET hash = ?1 WHERE id = 1");
  anchor.bind(1, previous);
  const bool written = anchor.step() == SQLITE_DONE;
  anchor.reset();
  return written;
}

}  // namespace

bool rewrite_chain(sqlite3* store, std::string& error) {
  std::vector<oracle::LedgerEntryRow> entries;
  {
    StoreReader reader;
    reader.attach(store);
    auto& st = reader.prepare(
        "SELECT e.id, e.txn_id, t.charge_id, t.kind, e.account, e.currency, e.amount_minor, "
        "e.hash FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.txn_id ORDER BY "
        "e.id");
    while (st.step() == SQLITE_ROW) {
      entries.push_back({st.column_int(0), st.column_int(1), st.column_text(2), st.column_text(3),
                         st.column_text(4), st.column_text(5), st.column_int(6),
                         st.column_text(7)});
    }
    st.reset();
  }
  // One transaction for every rewritten hash: one journal and one sync, not one per entry.
  if (sqlite3_exec(store, "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK) {
    error = sqlite3_errmsg(store);
    return false;
  }
  if (!write_chain(store, entries)) {
    error = sqlite3_errmsg(store);  // before the ROLLBACK, which would answer "not an error"
    // The tamper's own statements stay (they were committed before BEGIN).
    (void)sqlite3_exec(store, "ROLLBACK", nullptr, nullptr, nullptr);
    return false;
  }
  if (sqlite3_exec(store, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
    error = sqlite3_errmsg(store);
    return false;
  }
  return true;
}

}  // namespace reckon::sim
