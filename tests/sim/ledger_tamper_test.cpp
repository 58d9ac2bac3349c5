// The tampers ledger-verify-sound writes (sim/ledger_tamper.h) are what docs/ledger.md says
// they are: the currency swap leaves every transaction and every currency summing to zero
// (read here with plain SQL), so only "every transaction balances in one currency" can see
// it, and the engine's verifier names the first transaction it breaks.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>

#include "engine/ledger_verify.h"
#include "sim/ledger_tamper.h"
#include "tests/support/engine_fixture.h"

namespace reckon::test {
namespace {

// Two authorizations (two entries each: the hold and its counterpart), in two currencies.
void write_two_currencies(EngineHarness& h) {
  h.psp.use_model();
  h.post("/v1/charges", "k1", charge_body(5000, "USD", "tok_a"));
  h.post("/v1/charges", "k2", charge_body(700, "JPY", "tok_b"));
  h.post("/v1/charges", "k3", charge_body(1200, "USD", "tok_c"));
}

// The tamper as ledger-verify-sound applies it: triggers dropped, then its SQL, then the
// chain recomputed. Returns what the verdict must name.
std::string apply_tamper(const std::string& path, const sim::Tamper& tamper) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  const std::string sql =
      "DROP TRIGGER IF EXISTS ledger_entries_no_update; "
      "DROP TRIGGER IF EXISTS ledger_head_only_grows; " +
      tamper.sql;
  char* err = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
  sqlite3_free(err);
  std::string error;
  EXPECT_TRUE(sim::rewrite_chain(db, error)) << error;
  std::string named;
  sqlite3_stmt* st = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, tamper.first_problem_sql.c_str(), -1, &st, nullptr), SQLITE_OK);
  if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != nullptr) {
    named = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return named;
}

TEST(LedgerTamper, CurrencySwapKeepsEverySumAndBreaksOnlyOneCurrencyPerTransaction) {
  EngineHarness h;
  write_two_currencies(h);
  ASSERT_EQ(engine::verify_ledger_file(h.path()).verdict, engine::LedgerVerdict::kOk);
  const std::string named = apply_tamper(h.path(), sim::currency_swap_tamper("1"));
  ASSERT_FALSE(named.empty());
  // docs/ledger.md's checks 2 (sums) and 3, with plain SQL: nothing for them to see.
  EXPECT_TRUE(query_rows(h.db(),
                         "SELECT txn_id FROM ledger_entries GROUP BY txn_id "
                         "HAVING sum(amount_minor) <> 0")
                  .empty());
  EXPECT_TRUE(query_rows(h.db(),
                         "SELECT currency FROM ledger_entries GROUP BY currency "
                         "HAVING sum(amount_minor) <> 0")
                  .empty());
  // Two transactions now mix two currencies; the chain and the anchor were recomputed.
  EXPECT_EQ(query_rows(h.db(),
                       "SELECT txn_id FROM ledger_entries GROUP BY txn_id "
                       "HAVING count(DISTINCT currency) = 2")
                .size(),
            2u);
  const auto r = engine::verify_ledger_file(h.path());
  EXPECT_EQ(r.verdict, engine::LedgerVerdict::kBad) << r.message;
  EXPECT_EQ(r.message.rfind(named, 0), 0u) << "'" << r.message << "' should name '" << named << "'";
}

TEST(LedgerTamper, CurrencySwapNeedsTwoCurrencies) {
  EngineHarness h;
  h.psp.use_model();
  h.post("/v1/charges", "k1", charge_body(5000, "USD", "tok_a"));
  h.post("/v1/charges", "k2", charge_body(700, "USD", "tok_b"));
  EXPECT_EQ(apply_tamper(h.path(), sim::currency_swap_tamper("1")), "");
  EXPECT_EQ(engine::verify_ledger_file(h.path()).verdict, engine::LedgerVerdict::kOk);
}

}  // namespace
}  // namespace reckon::test
