#include "cli/live_ledger_check.h"

#include <sqlite3.h>

#include <memory>
#include <optional>
#include <set>
#include <vector>

#include "engine/store/db.h"
#include "oracle/ledger_rules.h"

namespace reckon::cli {
namespace {

LiveLedgerVerdict bad_input(std::string message) {
  return LiveLedgerVerdict{true, false, std::move(message)};
}

LiveLedgerVerdict unsound(std::string message) {
  return LiveLedgerVerdict{false, false, std::move(message)};
}

// Reads every entry with its transaction, in id order, into `entries`; a verdict when the
// file cannot be read so or an entry belongs to no transaction.
std::optional<LiveLedgerVerdict> read_entries(engine::Db& db, const std::string& path,
                                              std::vector<oracle::LedgerEntryRow>& entries) {
  engine::Status status;
  // A LEFT JOIN, so an entry whose transaction is gone is seen, not skipped.
  engine::Statement* walk = db.try_prepare(
      "SELECT e.id, e.txn_id, coalesce(t.charge_id, ''), coalesce(t.kind, ''), e.account, "
      "e.currency, e.amount_minor, e.hash, t.id IS NULL FROM ledger_entries e "
      "LEFT JOIN ledger_transactions t ON t.id = e.txn_id ORDER BY e.id",
      status);
  if (walk == nullptr) {
    return bad_input("'" + path + "' is not an engine database: " + status.message);
  }
  std::optional<LiveLedgerVerdict> problem;
  int rc = SQLITE_ROW;
  while (!problem && (rc = walk->step()) == SQLITE_ROW) {
    if (walk->column_int(8) != 0) {
      problem = unsound("ledger entry " + std::to_string(walk->column_int(0)) +
                        " belongs to no transaction");
    } else {
      entries.push_back(oracle::LedgerEntryRow{
          walk->column_int(0), walk->column_int(1), walk->column_text(2), walk->column_text(3),
          walk->column_text(4), walk->column_text(5), walk->column_int(6), walk->column_text(7)});
    }
  }
  if (!problem && rc != SQLITE_DONE) {
    problem = bad_input("cannot read the ledger of '" + path + "': " + db.last_error());
  }
  walk->reset();
  return problem;
}

// Counts the transactions into `transactions`; a verdict when one has no entries (every
// entry's transaction is known to exist by now) or the table cannot be read. One pass in id
// order against the entries already read: a NOT EXISTS per transaction would scan the
// entries once for each (txn_id has no index), quadratic in the ledger's size.
std::optional<LiveLedgerVerdict> judge_transactions(
    engine::Db& db, const std::string& path, const std::vector<oracle::LedgerEntryRow>& entries,
    int64_t& transactions) {
  std::set<int64_t> with_entries;
  for (const auto& e : entries) with_entries.insert(e.txn_id);
  engine::Status status;
  engine::Statement* ids = db.try_prepare("SELECT id FROM ledger_transactions ORDER BY id", status);
  if (ids == nullptr) {
    return bad_input("'" + path + "' is not an engine database: " + status.message);
  }
  std::optional<LiveLedgerVerdict> problem;
  int rc = SQLITE_ROW;
  while (!problem && (rc = ids->step()) == SQLITE_ROW) {
    ++transactions;
    const int64_t id = ids->column_int(0);
    if (with_entries.count(id) == 0) {
      problem = unsound("ledger transaction " + std::to_string(id) + " has no entries");
    }
  }
  if (!problem && rc != SQLITE_DONE) {
    problem =
        bad_input("cannot read the ledger transactions of '" + path + "': " + db.last_error());
  }
  ids->reset();
  return problem;
}

// docs/ledger.md: the anchor `ledger_head` records exactly the entries, transactions and
// head the file holds (only it sees a deleted tail). A verdict when it does not.
std::optional<LiveLedgerVerdict> judge_anchor(engine::Db& db, const std::string& path,
                                              int64_t held_entries, int64_t held_transactions,
                                              const std::string& head) {
  engine::Status status;
  engine::Statement* anchor =
      db.try_prepare("SELECT entries, transactions, hash FROM ledger_head WHERE id = 1", status);
  if (anchor == nullptr) {
    return bad_input(
        "'" + path +
        "' has no ledger_head (not an engine database of this version): " + status.message);
  }
  const int rc = anchor->step();
  if (rc != SQLITE_ROW) {
    const std::string error = db.last_error();
    anchor->reset();
    if (rc == SQLITE_DONE) return unsound("the ledger_head row is missing");
    return bad_input("cannot read ledger_head of '" + path + "': " + error);
  }
  const int64_t entries = anchor->column_int(0);
  const int64_t transactions = anchor->column_int(1);
  const std::string anchored_head = anchor->column_text(2);
  anchor->reset();
  if (entries == held_entries && transactions == held_transactions && anchored_head == head) {
    return std::nullopt;
  }
  return unsound("ledger_head records " + std::to_string(entries) + " entries, " +
                 std::to_string(transactions) + " transactions, head " + anchored_head +
                 "; the file holds " + std::to_string(held_entries) + ", " +
                 std::to_string(held_transactions) + ", head " + head +
                 " (entries deleted from or added to the end)");
}

}  // namespace

LiveLedgerVerdict judge_live_ledger(const std::string& path) {
  engine::Status status;
  const std::unique_ptr<engine::Db> db = engine::Db::open_read_only(path, status);
  if (!db) return bad_input(status.message);
  // One snapshot for every query below; closing the connection ends the transaction.
  if (engine::Status begun = db->exec("BEGIN"); !begun.ok) {
    return bad_input("cannot start a read transaction on '" + path + "': " + begun.message);
  }
  std::vector<oracle::LedgerEntryRow> entries;
  if (auto problem = read_entries(*db, path, entries)) return *problem;

  oracle::LedgerRules rules;
  if (auto finding = rules.judge(entries)) return unsound(finding->detail);

  int64_t transactions = 0;
  if (auto problem = judge_transactions(*db, path, entries, transactions)) return *problem;
  const auto held_entries = static_cast<int64_t>(entries.size());
  const std::string& head = rules.chain_head();
  if (auto problem = judge_anchor(*db, path, held_entries, transactions, head)) return *problem;
  return LiveLedgerVerdict{false, true,
                           "ledger ok: " + std::to_string(transactions) + " transactions, " +
                               std::to_string(held_entries) + " entries, chain head " + head};
}

}  // namespace reckon::cli
