#include "engine/ledger_verify.h"

#include <map>
#include <memory>
#include <string>

#include "engine/ledger_chain.h"
#include "engine/store/db.h"

namespace reckon::engine {
namespace {

// 128 bits: sums of int64 entries cannot wrap a false zero (issue 19). __extension__ keeps
// -Wpedantic quiet about a type GCC and Clang both provide.
__extension__ typedef __int128 WideSum;

LedgerReport bad_input(std::string message) {
  LedgerReport r;
  r.verdict = LedgerVerdict::kBadInput;
  r.message = std::move(message);
  return r;
}

LedgerReport bad(LedgerReport r, std::string message) {
  r.verdict = LedgerVerdict::kBad;
  r.message = std::move(message);
  return r;
}

struct TxnTally {
  std::string charge_id;
  std::string kind;
  std::string currency;
  int64_t first_entry = 0;
  WideSum sum_minor = 0;
  int64_t entries = 0;
  bool mixed_currency = false;
};

// Walks the entries in id order: checks the chain as it goes, and tallies transactions and
// currencies for the balance checks.
LedgerReport walk_entries(Db& db, LedgerReport r, std::map<int64_t, TxnTally>& txns,
                          std::map<std::string, WideSum>& currencies, bool head_only) {
  Status status;
  Statement* st = db.try_prepare(
      "SELECT e.id, e.txn_id, t.charge_id, t.kind, e.account, e.currency, e.amount_minor, e.hash "
      "FROM ledger_entries e LEFT JOIN ledger_transactions t ON t.id = e.txn_id ORDER BY e.id",
      status);
  if (st == nullptr) return bad_input("not an engine database: " + status.message);
  std::string previous(kLedgerGenesisHash);
  std::string head_problem;  // planted ledger-verify-head-only: the last entry's, if any
  int rc = SQLITE_ROW;
  while ((rc = st->step()) == SQLITE_ROW) {
    const int64_t id = st->column_int(0);
    const int64_t txn_id = st->column_int(1);
    const std::string charge_id = st->column_text(2);
    const std::string kind = st->column_text(3);
    const std::string account = st->column_text(4);
    const std::string currency = st->column_text(5);
    const int64_t amount_minor = st->column_int(6);
    const std::string stored = st->column_text(7);
    const std::string expected = ledger_entry_hash(
        previous, ChainedEntryFields{txn_id, charge_id, kind, account, currency, amount_minor});
    if (st->column_is_null(2)) {
      return bad(r, "entry " + std::to_string(id) + ": its transaction " + std::to_string(txn_id) +
                        " does not exist");
    }
    if (stored != expected) {
      std::string problem = "entry " + std::to_string(id) + " (transaction " +
                            std::to_string(txn_id) + "): hash chain broken: stored " + stored +
                            ", expected " + expected;
      if (!head_only) return bad(r, std::move(problem));
      head_problem = std::move(problem);  // planted: only the head's mismatch will count
    } else if (head_only) {
      head_problem.clear();
    }
    previous = stored;
    TxnTally& t = txns[txn_id];
    if (t.entries == 0) t = TxnTally{charge_id, kind, currency, id, 0, 0, false};
    t.mixed_currency = t.mixed_currency || t.currency != currency;
    t.sum_minor += amount_minor;
    ++t.entries;
    currencies[currency] += amount_minor;
    ++r.entries;
  }
  if (rc != SQLITE_DONE) return bad_input("cannot read entries: " + db.last_error());
  if (!head_problem.empty()) return bad(r, std::move(head_problem));
  r.head_hash = previous;
  return r;
}

// Transactions with no entries at all (they never appear in the walk). One pass over the
// transactions against the walk's tally: linear, where a NOT EXISTS per transaction over the
// unindexed entries was quadratic (issue 19: 26 s of CPU at 21k transactions).
LedgerReport check_empty_transactions(Db& db, LedgerReport r,
                                      const std::map<int64_t, TxnTally>& txns) {
  Status status;
  Statement* st = db.try_prepare("SELECT id FROM ledger_transactions ORDER BY id", status);
  if (st == nullptr) return bad_input("not an engine database: " + status.message);
  int rc = SQLITE_ROW;
  while ((rc = st->step()) == SQLITE_ROW) {
    const int64_t id = st->column_int(0);
    if (txns.count(id) == 0) return bad(r, "transaction " + std::to_string(id) + " has no entries");
  }
  if (rc != SQLITE_DONE) return bad_input("cannot read transactions: " + db.last_error());
  return r;
}

// The anchor (docs/ledger.md): the counts and head the engine recorded with its last posting
// must be what the walk found. Only this catches a deleted tail, which leaves a valid chain.
LedgerReport check_anchor(Db& db, LedgerReport r) {
  Status status;
  Statement* st =
      db.try_prepare("SELECT entries, transactions, hash FROM ledger_head WHERE id = 1", status);
  if (st == nullptr) {
    return bad_input(
        "not an engine database of this version (no ledger_head; `reckon serve` adds it on "
        "start): " +
        status.message);
  }
  if (st->step() != SQLITE_ROW) return bad(r, "the ledger_head row is missing");
  const int64_t entries = st->column_int(0);
  const int64_t transactions = st->column_int(1);
  const std::string hash = st->column_text(2);
  if (entries != r.entries || transactions != r.transactions || hash != r.head_hash) {
    return bad(r, "the ledger does not end where the engine last wrote it: ledger_head records " +
                      std::to_string(entries) + " entries, " + std::to_string(transactions) +
                      " transactions, head " + hash + "; the file holds " +
                      std::to_string(r.entries) + ", " + std::to_string(r.transactions) +
                      ", head " + r.head_hash + " (entries deleted from or added to the end)");
  }
  return r;
}

// A 128-bit sum in decimal (std::to_string has no overload for it).
std::string to_decimal(WideSum value) {
  if (value == 0) return "0";
  const bool negative = value < 0;
  std::string digits;
  while (value != 0) {
    const auto digit = static_cast<int>(value % 10);
    digits.insert(digits.begin(), static_cast<char>('0' + (negative ? -digit : digit)));
    value /= 10;
  }
  return negative ? "-" + digits : digits;
}

}  // namespace

LedgerReport verify_ledger_file(const std::string& path, const PlantedDefects& planted) {
  // Read-only, and waiting a moment for a live server's write lock (e.g. its WAL recovery
  // after a restart).
  Status status;
  const std::unique_ptr<Db> db = Db::open_read_only(path, status);
  if (!db) return bad_input(status.message);
  // One read transaction for every query below: a live server may commit between them, and
  // the entries walk and the transactions pass must see the same snapshot. The Db's
  // destructor ends it (closing a connection rolls its open transaction back).
  if (Status begun = db->exec("BEGIN"); !begun.ok) {
    return bad_input("cannot start a read transaction: " + begun.message);
  }
  LedgerReport r;
  r.verdict = LedgerVerdict::kOk;
  std::map<int64_t, TxnTally> txns;
  std::map<std::string, WideSum> currencies;
  r = walk_entries(*db, r, txns, currencies, planted.has(Defect::kLedgerVerifyHeadOnly));
  if (r.verdict != LedgerVerdict::kOk) return r;
  const bool mix_allowed = planted.has(Defect::kLedgerVerifyIgnoresCurrencyMix);  // planted
  for (const auto& [id, t] : txns) {
    if ((t.mixed_currency && !mix_allowed) || t.sum_minor != 0) {
      return bad(r,
                 "transaction " + std::to_string(id) + " (" + t.kind + " of " + t.charge_id +
                     ", first entry " + std::to_string(t.first_entry) + ") " +
                     (t.mixed_currency ? "mixes currencies"
                                       : "does not balance: sums to " + to_decimal(t.sum_minor)));
    }
  }
  r = check_empty_transactions(*db, r, txns);
  if (r.verdict != LedgerVerdict::kOk) return r;
  for (const auto& [currency, sum] : currencies) {
    if (sum != 0) return bad(r, currency + " entries sum to " + to_decimal(sum) + ", not 0");
  }
  r.transactions = static_cast<int64_t>(txns.size());
  r = check_anchor(*db, r);
  if (r.verdict != LedgerVerdict::kOk) return r;
  r.message = "ledger ok: " + std::to_string(r.transactions) + " transactions, " +
              std::to_string(r.entries) + " entries, chain head " + r.head_hash;
  return r;
}

}  // namespace reckon::engine
