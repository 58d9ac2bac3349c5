#include "sim/ledger_verifier_check.h"

#include "engine/ledger_verify.h"
#include "sim/ledger_tamper.h"
#include "sim/prng.h"
#include "sim/properties.h"
#include "sim/store_reader.h"

namespace reckon::sim {
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
  Tamper named = tamper;
  if (!named.first_problem_sql.empty()) {
    StoreReader subject;
    subject.attach(store);
    auto& st = subject.prepare(named.first_problem_sql);
    named.first_problem = st.step() == SQLITE_ROW ? st.column_text(0) : "";
    st.reset();
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
      !(names(named.first_problem) || named.first_problem.empty() || names(named.or_problem))) {
    fail("after a tamper (" + tamper.what +
         "), `reckon ledger verify` reports the ledger bad "
         "but does not name " +
         (named.first_problem.empty() ? "the problem" : "'" + named.first_problem + "...'") +
         (named.or_problem.empty() ? "" : " or '" + named.or_problem + "...'") + ": '" +
         tampered.message + "'");
  }
}

}  // namespace reckon::sim
