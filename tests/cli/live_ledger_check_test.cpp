// check-live's own ledger judgement (cli/live_ledger_check.h): it agrees with `reckon ledger
// verify` on a ledger the engine wrote, and names each kind of edit docs/ledger.md says is
// detectable, without asking the engine's verifier.

#include "cli/live_ledger_check.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "engine/ledger_verify.h"
#include "tests/support/engine_fixture.h"
#include "tests/support/ledger_files.h"

namespace reckon::test {
namespace {

using cli::judge_live_ledger;

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

constexpr const char* kDropGuards =
    "DROP TRIGGER IF EXISTS ledger_entries_no_update; "
    "DROP TRIGGER IF EXISTS ledger_entries_no_delete; "
    "DROP TRIGGER IF EXISTS ledger_transactions_no_update; "
    "DROP TRIGGER IF EXISTS ledger_transactions_no_delete; ";

// The verdict on a ledger the engine wrote, edited by `edit` with the append-only guards down.
cli::LiveLedgerVerdict judged_after(const std::string& edit) {
  EngineHarness h;
  write_some_ledger(h);
  tamper(h.path(), std::string(kDropGuards) + edit);
  return judge_live_ledger(h.path());
}

// Asserts the edited ledger is judged unsound (not bad input) with `part` in the message.
void expect_named(const std::string& edit, const std::string& part) {
  const auto verdict = judged_after(edit);
  EXPECT_FALSE(verdict.sound);
  EXPECT_FALSE(verdict.bad_input);
  EXPECT_TRUE(has(verdict.message, part)) << verdict.message;
}

TEST(LiveLedgerCheck, ALedgerTheEngineWroteIsSoundWithTheVerifiersLine) {
  EngineHarness h;
  write_some_ledger(h);
  const auto verdict = judge_live_ledger(h.path());
  EXPECT_TRUE(verdict.sound) << verdict.message;
  EXPECT_FALSE(verdict.bad_input);
  EXPECT_EQ(verdict.message, engine::verify_ledger_file(h.path()).message);
}

TEST(LiveLedgerCheck, AnEmptyLedgerIsSound) {
  EngineHarness h;
  const auto verdict = judge_live_ledger(h.path());
  EXPECT_TRUE(verdict.sound) << verdict.message;
  EXPECT_TRUE(has(verdict.message, "ledger ok: 0 transactions, 0 entries")) << verdict.message;
}

TEST(LiveLedgerCheck, AnEditedAmountIsNamed) {
  // Both entries of one transaction move together: it still balances, only the chain sees it.
  expect_named(
      "UPDATE ledger_entries SET amount_minor = amount_minor * 2 WHERE txn_id = "
      "(SELECT min(txn_id) FROM ledger_entries)",
      "stores hash");
}

TEST(LiveLedgerCheck, AnUnbalancedTransactionIsNamed) {
  expect_named(
      "UPDATE ledger_entries SET amount_minor = amount_minor + 1 WHERE id = "
      "(SELECT max(id) FROM ledger_entries)",
      "sums to 1");
}

TEST(LiveLedgerCheck, ATransactionMixingCurrenciesIsNamed) {
  expect_named(
      "UPDATE ledger_entries SET currency = 'EUR' WHERE id = "
      "(SELECT min(id) FROM ledger_entries)",
      "mixes currencies");
}

TEST(LiveLedgerCheck, AnAccountTheChartDoesNotHaveIsNamed) {
  // Both sides of the edit keep the sums; only the chart of accounts (docs/ledger.md) sees it.
  expect_named(
      "UPDATE ledger_entries SET account = 'petty_cash' WHERE id = "
      "(SELECT min(id) FROM ledger_entries)",
      "into 'petty_cash' for a 'authorize' transaction, which the chart of accounts");
}

TEST(LiveLedgerCheck, ADeletedTailIsNamedByTheAnchor) {
  expect_named(
      "DELETE FROM ledger_entries WHERE txn_id = (SELECT max(id) FROM "
      "ledger_transactions); DELETE FROM ledger_transactions WHERE id = "
      "(SELECT max(id) FROM ledger_transactions)",
      "ledger_head records");
}

TEST(LiveLedgerCheck, ATransactionWithoutEntriesIsNamed) {
  // The entries left still chain and balance; the emptied transaction is what is wrong.
  expect_named(
      "DELETE FROM ledger_entries WHERE txn_id = (SELECT max(id) FROM "
      "ledger_transactions)",
      "has no entries");
}

TEST(LiveLedgerCheck, AnEntryWhoseTransactionIsGoneIsNamed) {
  // The first transaction's first entry, named by its id (read before the statement resets).
  expect_named(
      "DELETE FROM ledger_transactions WHERE id = (SELECT min(id) FROM "
      "ledger_transactions)",
      "ledger entry 1 belongs to no transaction");
}

TEST(LiveLedgerCheck, AMissingOrForeignFileIsBadInput) {
  const std::string missing = "/tmp/reckon_live_ledger_missing.db";
  std::remove(missing.c_str());
  const auto absent = judge_live_ledger(missing);
  EXPECT_TRUE(absent.bad_input);
  EXPECT_FALSE(absent.message.empty());
  const std::string text = "/tmp/reckon_live_ledger_text.db";
  std::ofstream(text) << "not a database\n";
  const auto not_db = judge_live_ledger(text);
  EXPECT_TRUE(not_db.bad_input) << not_db.message;
  std::remove(text.c_str());
  TempDbPath foreign;
  tamper(foreign.path(), "CREATE TABLE t (x)");
  const auto other = judge_live_ledger(foreign.path());
  EXPECT_TRUE(other.bad_input) << other.message;
  EXPECT_TRUE(has(other.message, "not an engine database")) << other.message;
}

}  // namespace
}  // namespace reckon::test
