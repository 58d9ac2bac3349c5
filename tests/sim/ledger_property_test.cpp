// ledger-balanced fires on a transaction whose entries sum to zero only across currencies
// (money created in one currency and destroyed in another), and not on one balanced in a
// single currency. (A transaction that does not sum to zero: the planted defect
// capture-entry-off-by-one, tests/sim/planted_defects_test.cpp.) The entries are appended
// directly: the engine never writes them, which is the point of checking.
#include <gtest/gtest.h>

#include "engine/ledger_chain.h"
#include "sim/properties.h"
#include "tests/support/engine_fixture.h"

namespace reckon::test {
namespace {

struct LedgerChecked {
  EngineHarness harness;
  std::vector<sim::Failure> failures;
  sim::PropertyChecker checker{failures};

  LedgerChecked() {
    // The checker sees every step, as in a run: pending, then captured.
    auto r = harness.post_async("/v1/charges", "k1", charge_body(1'000, "USD", "tok_a", true));
    checker.check_ledger(harness.engine().db().handle(), 0);
    EXPECT_TRUE(harness.psp.reply(0, psp_succeeded("psp_1", engine::PspChargeState::kCaptured)));
    EXPECT_TRUE(r->has_value() && (*r)->status == 201);
    checker.check_ledger(harness.engine().db().handle(), 0);
    EXPECT_TRUE(failures.empty()) << failures.front().detail;
  }
  void append(const std::string& entries_sql) {
    engine::Db& db = harness.db();
    ASSERT_TRUE(db.exec("INSERT INTO ledger_transactions (charge_id, kind, created_us) "
                        "VALUES ('ch_x', 'settlement', 1)")
                    .ok);
    ASSERT_TRUE(db.exec(entries_sql).ok) << db.last_error();
  }
};

TEST(LedgerProperty, ATransactionThatBalancesOnlyAcrossCurrenciesFailsLedgerBalanced) {
  LedgerChecked c;
  c.append(
      "INSERT INTO ledger_entries (txn_id, account, currency, amount_minor, hash) VALUES "
      "(last_insert_rowid(), 'psp_receivable', 'USD', 100, 'x'), "
      "((SELECT MAX(id) FROM ledger_transactions), 'merchant_payable', 'JPY', -100, 'x')");
  c.checker.check_ledger(c.harness.engine().db().handle(), 1);
  ASSERT_EQ(c.failures.size(), 1u);
  EXPECT_EQ(c.failures[0].property, sim::kLedgerBalanced);
  EXPECT_NE(c.failures[0].detail.find("mixes currencies (USD, JPY)"), std::string::npos)
      << c.failures[0].detail;
}

// Appends one entry to the newest transaction ('ch_x', 'settlement'), chained as docs/ledger.md
// says unless `hash` is given.
void append_entry(engine::Db& db, const std::string& account, int64_t amount,
                  std::string hash = "") {
  auto& head = db.prepare("SELECT hash FROM ledger_entries ORDER BY id DESC LIMIT 1");
  const std::string previous =
      head.step() == SQLITE_ROW ? head.column_text(0) : std::string(engine::kLedgerGenesisHash);
  head.reset();
  auto& txn = db.prepare("SELECT MAX(id) FROM ledger_transactions");
  ASSERT_EQ(txn.step(), SQLITE_ROW);
  const int64_t txn_id = txn.column_int(0);
  txn.reset();
  if (hash.empty()) {
    hash = engine::ledger_entry_hash(
        previous, engine::ChainedEntryFields{txn_id, "ch_x", "settlement", account, "KWD", amount});
  }
  ASSERT_TRUE(db.prepare("INSERT INTO ledger_entries (txn_id, account, currency, amount_minor, "
                         "hash) VALUES (?1, ?2, 'KWD', ?3, ?4)")
                  .bind(1, txn_id)
                  .bind(2, account)
                  .bind(3, amount)
                  .bind(4, hash)
                  .run()
                  .ok);
}

TEST(LedgerProperty, ATransactionBalancedInOneCurrencyPasses) {
  LedgerChecked c;
  c.append("SELECT 1");
  append_entry(c.harness.db(), "psp_receivable", 7);
  append_entry(c.harness.db(), "merchant_payable", -7);
  c.checker.check_ledger(c.harness.engine().db().handle(), 1);
  EXPECT_TRUE(c.failures.empty()) << c.failures.front().detail;
}

TEST(LedgerProperty, AnEntryOutsideTheChartOfAccountsFailsLedgerBalanced) {
  LedgerChecked c;
  c.append("SELECT 1");
  append_entry(c.harness.db(), "psp_receivable", 7);
  append_entry(c.harness.db(), "petty_cash", -7);  // balances, but no such account
  c.checker.check_ledger(c.harness.engine().db().handle(), 1);
  ASSERT_EQ(c.failures.size(), 1u);
  EXPECT_EQ(c.failures[0].property, sim::kLedgerBalanced);
  EXPECT_NE(c.failures[0].detail.find("'petty_cash'"), std::string::npos) << c.failures[0].detail;
}

TEST(LedgerProperty, AnEntryWhoseHashDoesNotChainFailsLedgerHashChain) {
  LedgerChecked c;
  c.append("SELECT 1");
  append_entry(c.harness.db(), "psp_receivable", 7);
  append_entry(c.harness.db(), "merchant_payable", -7, std::string(32, 'f'));
  c.checker.check_ledger(c.harness.engine().db().handle(), 1);
  ASSERT_EQ(c.failures.size(), 1u);
  EXPECT_EQ(c.failures[0].property, sim::kLedgerHashChain);
  EXPECT_NE(c.failures[0].detail.find("the chain gives"), std::string::npos)
      << c.failures[0].detail;
}

}  // namespace
}  // namespace reckon::test
