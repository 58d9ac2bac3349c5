#include "sim/ledger_verifier_check.h"

#include <functional>

#include "engine/check.h"
#include "engine/ledger_verify.h"
#include "sim/ledger_tamper.h"
#include "sim/prng.h"
#include "sim/properties.h"
#include "sim/store_reader.h"

namespace reckon::sim {
namespace {

using Fail = std::function<void(const std::string&)>;

// Records `detail` as a failure; false, for `return fail_with(...)` in a check that stops.
bool fail_with(const Fail& fail, const std::string& detail) {
  fail(detail);
  return false;
}

// Writes `tamper` into `db` (the database at `path`, append-only triggers dropped first) and
// judges the engine's verifier on the result: bad, naming what docs/ledger.md says it names.
// False when the tamper could not be written (a failure is recorded).
bool judge_tamper(sqlite3* db, const std::string& path, const Tamper& tamper,
                  const engine::PlantedDefects& planted, const Fail& fail) {
  // One transaction for the triggers' removal and the tamper: one journal and one sync, not
  // one per statement. (foreign_keys cannot change inside a transaction.)
  const std::string sql =
      "PRAGMA foreign_keys = OFF; BEGIN; "
      "DROP TRIGGER IF EXISTS ledger_entries_no_update; "
      "DROP TRIGGER IF EXISTS ledger_entries_no_delete; "
      "DROP TRIGGER IF EXISTS ledger_transactions_no_update; "
      "DROP TRIGGER IF EXISTS ledger_transactions_no_delete; "
      "DROP TRIGGER IF EXISTS ledger_head_only_grows; "
      "DROP TRIGGER IF EXISTS ledger_head_no_delete; " +
      tamper.sql + "; COMMIT;";
  char* error = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    const std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    (void)sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);  // none open: harmless
    fail("could not tamper with the ledger (" + tamper.what + "): " + message);
    return false;
  }
  sqlite3_free(error);
  // sqlite3_changes counts the tamper's last INSERT, UPDATE or DELETE (COMMIT is none).
  if (sqlite3_changes(db) == 0) return true;  // ids have gaps, or one currency: nothing to see
  std::string chain_error;
  if (tamper.rewrite_chain && !rewrite_chain(db, chain_error)) {
    fail("could not recompute the chain after the tamper (" + tamper.what + "): " + chain_error);
    return false;
  }
  Tamper named = tamper;
  if (!named.first_problem_sql.empty()) {
    StoreReader subject;
    subject.attach(db);
    auto& st = subject.prepare(named.first_problem_sql);
    named.first_problem = st.step() == SQLITE_ROW ? st.column_text(0) : "";
    st.reset();
  }
  const engine::LedgerReport tampered = engine::verify_ledger_file(path, planted);
  if (tampered.verdict != engine::LedgerVerdict::kBad) {
    fail("after a tamper docs/ledger.md says is detectable (" + tamper.what +
         "), `reckon ledger verify` answered: " + tampered.message);
    return true;
  }
  const auto names = [&](const std::string& text) {
    return !text.empty() && tampered.message.find(text) != std::string::npos;
  };
  if (tampered.message.empty() ||
      !(names(named.first_problem) || named.first_problem.empty() || names(named.or_problem))) {
    fail("after a tamper (" + tamper.what +
         "), `reckon ledger verify` reports the ledger bad "
         "but does not name " +
         (named.first_problem.empty() ? "the problem" : "'" + named.first_problem + "...'") +
         (named.or_problem.empty() ? "" : " or '" + named.or_problem + "...'") + ": '" +
         tampered.message + "'");
  }
  return true;
}

// Removes `path` and its journals through `vfs` (the store's, never the real disk unless
// the store is on it).
void delete_database(sqlite3_vfs* vfs, const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    (void)vfs->xDelete(vfs, (path + suffix).c_str(), 0);  // a file not there is what is wanted
  }
}

// The same, in a copy of `store` written to `copy_path` in the store's own VFS (SQLite's
// online backup) and deleted afterwards: the store itself stays as the run left it.
bool judge_tamper_on_copy(sqlite3* store, const std::string& copy_path, const Tamper& tamper,
                          const engine::PlantedDefects& planted, const Fail& fail) {
  sqlite3_vfs* vfs = nullptr;
  if (sqlite3_file_control(store, "main", SQLITE_FCNTL_VFS_POINTER, &vfs) != SQLITE_OK ||
      vfs == nullptr) {
    fail("could not find the store's VFS to copy the ledger into");
    return false;
  }
  delete_database(vfs, copy_path);
  sqlite3* copy = nullptr;
  bool written =
      sqlite3_open_v2(copy_path.c_str(), &copy, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                      vfs->zName) == SQLITE_OK;
  if (written) {
    sqlite3_backup* backup = sqlite3_backup_init(copy, "main", store, "main");
    written = backup != nullptr && sqlite3_backup_step(backup, -1) == SQLITE_DONE;
    if (backup != nullptr) written = sqlite3_backup_finish(backup) == SQLITE_OK && written;
  }
  bool judged = false;
  if (!written) {
    fail("could not copy the ledger to '" + copy_path +
         "': " + (copy ? sqlite3_errmsg(copy) : "out of memory"));
  } else {
    judged = judge_tamper(copy, copy_path, tamper, planted, fail);
  }
  // INVARIANT: judge_tamper's statements are finalized, so the copy closes now.
  RECKON_CHECK(sqlite3_close(copy) == SQLITE_OK, "the ledger's copy closes");
  delete_database(vfs, copy_path);
  return judged;
}

// docs/ledger.md, exit codes: a missing file, or a database that is not the engine's, is
// bad input (exit 2), never a verified empty ledger; and the refusal says why. False when
// one was not refused so (a failure is recorded).
bool judge_refuses_foreign_files(const std::string& db_path, const engine::PlantedDefects& planted,
                                 const Fail& fail) {
  const std::string absent = db_path + ".absent";
  const std::string foreign = db_path + ".foreign";
  const std::string not_db = db_path + ".txt";
  if (!write_foreign_database(foreign)) return fail_with(fail, "could not write '" + foreign + "'");
  if (!write_text_file_not_database(not_db))
    return fail_with(fail, "could not write '" + not_db + "'");
  for (const std::string& path : {absent, foreign, not_db}) {
    const auto refused = engine::verify_ledger_file(path, planted);
    if (refused.verdict != engine::LedgerVerdict::kBadInput) {
      return fail_with(fail, "`reckon ledger verify` on '" + path +
                                 "', which holds no engine database, does not answer bad input: " +
                                 refused.message);
    }
    // Errors name the problem (the project's rule for every input that crosses a boundary).
    if (says_nothing_wrong(refused.message)) {
      return fail_with(
          fail, "`reckon ledger verify` on '" + path +
                    "', which holds no engine database, answers bad input without saying why");
    }
  }
  return true;
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
  // docs/ledger.md, exit 0: `ledger ok: N transactions, M entries, chain head <hash>`.
  const std::string ok_line = "ledger ok: " + std::to_string(transactions) + " transactions, " +
                              std::to_string(entries) + " entries, chain head " + sound.head_hash;
  if (sound.message != ok_line) {
    return fail("`reckon ledger verify` passes a sound ledger saying '" + sound.message +
                "', not docs/ledger.md's '" + ok_line + "'");
  }
  if (!judge_refuses_foreign_files(db_path, planted, fail)) return;
  // Two transactions at least, so an entry can move between them.
  if (transactions < 2) return;
  const int64_t first_txn = scalar("SELECT min(id) FROM ledger_transactions");
  const int64_t last_txn = scalar("SELECT max(id) FROM ledger_transactions");
  PrngStream stream(seed, "ledger-tamper");
  const Tamper tamper =
      draw_tamper(stream, scalar("SELECT min(id) FROM ledger_entries"),
                  scalar("SELECT max(id) FROM ledger_entries"), first_txn, last_txn);
  reader.detach();  // the copy and the tamper's DDL need no statement pending
  // Transactions mixing currencies are the tamper only one of the verifier's checks sees
  // (every transaction balances in one currency): every ledger holding two single-currency
  // transactions in two currencies is judged on it, in a copy, whatever tamper is drawn.
  PrngStream mix_stream(seed, "ledger-tamper-currency-mix");
  const Tamper mix = currency_swap_tamper(std::to_string(mix_stream.between(first_txn, last_txn)));
  if (!judge_tamper_on_copy(store, db_path + ".mix", mix, planted, fail)) return;
  judge_tamper(store, db_path, tamper, planted, fail);
}

}  // namespace reckon::sim
