#include "sim/ledger_verifier_check.h"

#include "engine/ledger_verify.h"
#include "oracle/ledger_chain_rule.h"
#include "sim/prng.h"
#include "sim/properties.h"
#include "sim/store_reader.h"

namespace reckon::sim {
namespace {

// One tamper docs/ledger.md calls detectable, as SQL, and what it does in words.
// A rewriting tamper then recomputes every hash and the anchor, as docs/ledger.md says a
// forger can: the chain no longer sees it, and only the balance checks are left to.
struct Tamper {
  std::string what;
  std::string sql;
  bool rewrite_chain = false;
  // What the verdict must name (docs/ledger.md: "naming the first problem"): an entry edited
  // in place is where the chain first breaks.
  std::string first_problem = "";
  std::string or_problem = "";  // another way the verdict may name it, when not ""
};

Tamper draw_tamper(PrngStream& stream, int64_t first_entry, int64_t last_entry, int64_t first_txn,
                   int64_t last_txn) {
  const std::string entry = std::to_string(stream.between(first_entry, last_entry));
  const std::string txn = std::to_string(stream.between(first_txn, last_txn));
  switch (stream.below(12)) {
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
    case 4:
      return {"transaction " + txn + "'s row deleted",
              "DELETE FROM ledger_transactions WHERE id = " + txn};
    case 6:
      // The anchor alone edited: the file is whole, but no longer what the engine recorded.
      return {"the anchor's transaction count raised by one",
              "UPDATE ledger_head SET transactions = transactions + 1 WHERE id = 1"};
    case 7:
      return {"the anchor's head hash replaced by the first entry's",
              "UPDATE ledger_head SET hash = (SELECT hash FROM ledger_entries ORDER BY id "
              "LIMIT 1) WHERE id = 1"};
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
      return {"the anchor's row deleted", "DELETE FROM ledger_head"};
    default:
      // The chain of what is left is intact: only the anchor can see the end is gone.
      return {"the last transaction and its entries deleted",
              "DELETE FROM ledger_entries WHERE txn_id = (SELECT max(id) FROM "
              "ledger_transactions); DELETE FROM ledger_transactions WHERE id = (SELECT max(id) "
              "FROM ledger_transactions)"};
  }
}

// Recomputes every entry's hash with the checkers' own statement of the chain, and the
// anchor's head, as a forger who knows docs/ledger.md would. False on a SQLite error.
bool rewrite_chain(sqlite3* store) {
  struct Entry {
    int64_t id = 0;
    int64_t txn_id = 0;
    std::string charge_id, kind, account, currency;
    int64_t amount_minor = 0;
    std::string hash;
  };
  std::vector<Entry> entries;
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
  StoreReader writer;
  writer.attach(store);
  auto& update = writer.prepare("UPDATE ledger_entries SET hash = ?1 WHERE id = ?2");
  std::string previous(oracle::kChainGenesis);
  for (const Entry& e : entries) {
    const std::string hash = oracle::chain_hash(
        previous, {e.txn_id, e.charge_id, e.kind, e.account, e.currency, e.amount_minor});
    if (hash != e.hash) {
      update.bind(1, hash).bind(2, e.id);
      if (update.step() != SQLITE_DONE) return false;
      update.reset();
    }
    previous = hash;
  }
  auto& anchor = writer.prepare("UPDATE ledger_head SET hash = ?1 WHERE id = 1");
  anchor.bind(1, previous);
  const bool written = anchor.step() == SQLITE_DONE;
  anchor.reset();
  return written;
}

}  // namespace

void check_ledger_verifier(sqlite3* store, const std::string& db_path, uint64_t seed,
                           const engine::PlantedDefects& planted, TimeUs now_us,
                           std::vector<Failure>& failures) {
  auto fail = [&](const std::string& detail) {
    failures.push_back(Failure{kLedgerVerifySound, "", detail, now_us});
  };
  StoreReader reader;  // finalizes its statements before the tamper's DDL and at return
  reader.attach(store);
  auto scalar = [&](std::string_view sql) {
    auto& st = reader.prepare(sql);
    const int64_t value = st.step() == SQLITE_ROW ? st.column_int(0) : -1;
    st.reset();
    return value;
  };
  const int64_t entries = scalar("SELECT count(*) FROM ledger_entries");
  const int64_t transactions = scalar("SELECT count(*) FROM ledger_transactions");
  auto& head_query = reader.prepare("SELECT hash FROM ledger_entries ORDER BY id DESC LIMIT 1");
  const std::string head = head_query.step() == SQLITE_ROW ? head_query.column_text(0) : "";
  head_query.reset();
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
  // docs/ledger.md, exit codes: a missing file, or a database that is not the engine's, is
  // bad input (exit 2), never a verified empty ledger.
  const std::string absent = db_path + ".absent";
  const std::string foreign = db_path + ".foreign";
  const std::string not_db = db_path + ".txt";
  if (!write_foreign_database(foreign)) return fail("could not write '" + foreign + "'");
  if (!write_text_file_not_database(not_db)) return fail("could not write '" + not_db + "'");
  for (const std::string& path : {absent, foreign, not_db}) {
    const auto refused = engine::verify_ledger_file(path, planted);
    if (refused.verdict != engine::LedgerVerdict::kBadInput) {
      return fail(
          "`reckon ledger verify` on '" + path +
          "', which holds no engine database, does not answer bad input: " + refused.message);
    }
    // Errors name the problem (the project's rule for every input that crosses a boundary).
    if (says_nothing_wrong(refused.message)) {
      return fail("`reckon ledger verify` on '" + path +
                  "', which holds no engine database, answers bad input without saying why");
    }
  }
  // Two transactions at least, so an entry can move between them.
  if (transactions < 2) return;
  PrngStream stream(seed, "ledger-tamper");
  const Tamper tamper = draw_tamper(stream, scalar("SELECT min(id) FROM ledger_entries"),
                                    scalar("SELECT max(id) FROM ledger_entries"),
                                    scalar("SELECT min(id) FROM ledger_transactions"),
                                    scalar("SELECT max(id) FROM ledger_transactions"));
  reader.detach();  // DROP TRIGGER needs no statement pending on the connection
  const std::string sql =
      "PRAGMA foreign_keys = OFF; "
      "DROP TRIGGER IF EXISTS ledger_entries_no_update; "
      "DROP TRIGGER IF EXISTS ledger_entries_no_delete; "
      "DROP TRIGGER IF EXISTS ledger_transactions_no_update; "
      "DROP TRIGGER IF EXISTS ledger_transactions_no_delete; "
      "DROP TRIGGER IF EXISTS ledger_head_only_grows; "
      "DROP TRIGGER IF EXISTS ledger_head_no_delete; " +
      tamper.sql;
  char* error = nullptr;
  if (sqlite3_exec(store, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    const std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    return fail("could not tamper with the ledger (" + tamper.what + "): " + message);
  }
  sqlite3_free(error);
  if (sqlite3_changes(store) == 0) return;  // ids have gaps: nothing changed, nothing to see
  if (tamper.rewrite_chain && !rewrite_chain(store)) {
    return fail("could not recompute the chain after the tamper (" + tamper.what +
                "): " + sqlite3_errmsg(store));
  }
  const engine::LedgerReport tampered = engine::verify_ledger_file(db_path, planted);
  if (tampered.verdict != engine::LedgerVerdict::kBad) {
    return fail("after a tamper docs/ledger.md says is detectable (" + tamper.what +
                "), `reckon ledger verify` answered: " + tampered.message);
  }
  const auto names = [&](const std::string& text) {
    return !text.empty() && tampered.message.find(text) != std::string::npos;
  };
  if (tampered.message.empty() ||
      !(names(tamper.first_problem) || tamper.first_problem.empty() || names(tamper.or_problem))) {
    fail("after a tamper (" + tamper.what +
         "), `reckon ledger verify` reports the ledger bad "
         "but does not name " +
         (tamper.first_problem.empty() ? "the problem" : "'" + tamper.first_problem + "...'") +
         (tamper.or_problem.empty() ? "" : " or '" + tamper.or_problem + "...'") + ": '" +
         tampered.message + "'");
  }
}

}  // namespace reckon::sim
