// The ledger's hash chain and `reckon ledger verify`: a ledger the engine wrote verifies;
// an edited amount, a removed entry or an unbalanced transaction is named; a missing or
// foreign file is bad input. Exit codes 0 / 1 / 2 through the real binary.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "engine/ledger_chain.h"
#include "engine/ledger_verify.h"
#include "tests/support/engine_fixture.h"
#include "tests/support/ledger_files.h"

namespace reckon::test {
namespace {

using engine::LedgerVerdict;
using engine::verify_ledger_file;

int run_cli(const std::string& args) {
  const std::string cmd = std::string(RECKON_BINARY) + " " + args + " >/dev/null 2>&1";
  const int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(LedgerChain, HashDependsOnEveryFieldAndThePreviousHash) {
  const engine::ChainedEntryFields e{7, "ch_1", "capture", "psp_receivable", "USD", 100};
  const std::string h = engine::ledger_entry_hash(engine::kLedgerGenesisHash, e);
  EXPECT_EQ(h.size(), 32u);
  EXPECT_EQ(h, engine::ledger_entry_hash(engine::kLedgerGenesisHash, e));
  auto changed = e;
  changed.amount_minor = 101;
  EXPECT_NE(h, engine::ledger_entry_hash(engine::kLedgerGenesisHash, changed));
  changed = e;
  changed.account = "merchant_payable";
  EXPECT_NE(h, engine::ledger_entry_hash(engine::kLedgerGenesisHash, changed));
  changed = e;
  changed.txn_id = 8;
  EXPECT_NE(h, engine::ledger_entry_hash(engine::kLedgerGenesisHash, changed));
  EXPECT_NE(h, engine::ledger_entry_hash(h, e));
}

TEST(LedgerVerify, ALedgerTheEngineWroteVerifies) {
  EngineHarness h;
  write_some_ledger(h);
  ASSERT_TRUE(ledger_imbalances(h.db()).empty());
  const auto r = verify_ledger_file(h.path());
  EXPECT_EQ(r.verdict, LedgerVerdict::kOk) << r.message;
  EXPECT_EQ(r.entries, h.count("ledger_entries"));
  EXPECT_EQ(r.transactions, h.count("ledger_transactions"));
  EXPECT_EQ(r.head_hash,
            query_rows(h.db(), "SELECT hash FROM ledger_entries ORDER BY id DESC LIMIT 1")[0][0]);
  EXPECT_EQ(run_cli("ledger verify --db " + h.path()), 0);
}

TEST(LedgerVerify, AnEmptyLedgerVerifies) {
  EngineHarness h;
  const auto r = verify_ledger_file(h.path());
  EXPECT_EQ(r.verdict, LedgerVerdict::kOk) << r.message;
  EXPECT_EQ(r.entries, 0);
}

TEST(LedgerVerify, AnEditedAmountBreaksTheChainAtThatEntry) {
  EngineHarness h;
  write_some_ledger(h);
  tamper(h.path(),
         "DROP TRIGGER ledger_entries_no_update; "
         "UPDATE ledger_entries SET amount_minor = amount_minor + 1 WHERE id = 3");
  const auto r = verify_ledger_file(h.path());
  EXPECT_EQ(r.verdict, LedgerVerdict::kBad);
  EXPECT_EQ(r.message.rfind("entry 3 ", 0), 0u) << r.message;
  EXPECT_NE(r.message.find("hash chain broken"), std::string::npos) << r.message;
  EXPECT_EQ(run_cli("ledger verify --db " + h.path()), 1);
}

TEST(LedgerVerify, ARemovedEntryBreaksTheChainAtTheNextOne) {
  EngineHarness h;
  write_some_ledger(h);
  tamper(h.path(),
         "DROP TRIGGER ledger_entries_no_delete; DELETE FROM ledger_entries WHERE id = 4");
  const auto r = verify_ledger_file(h.path());
  EXPECT_EQ(r.verdict, LedgerVerdict::kBad);
  EXPECT_EQ(r.message.rfind("entry 5 ", 0), 0u) << r.message;
}

// Issue 19, item 2: the chain of what is left after a deleted tail is intact; the anchor the
// engine writes with every posting (ledger_head) is what catches it.
TEST(LedgerVerify, ADeletedLastTransactionIsDetected) {
  EngineHarness h;
  write_some_ledger(h);
  ASSERT_EQ(verify_ledger_file(h.path()).verdict, LedgerVerdict::kOk);
  tamper(h.path(),
         "DROP TRIGGER ledger_entries_no_delete; DROP TRIGGER ledger_transactions_no_delete; "
         "DELETE FROM ledger_entries WHERE txn_id = (SELECT max(id) FROM ledger_transactions); "
         "DELETE FROM ledger_transactions WHERE id = (SELECT max(id) FROM ledger_transactions)");
  const auto r = verify_ledger_file(h.path());
  EXPECT_EQ(r.verdict, LedgerVerdict::kBad) << r.message;
  EXPECT_NE(r.message.find("does not end where the engine last wrote it"), std::string::npos)
      << r.message;
  EXPECT_EQ(run_cli("ledger verify --db " + h.path()), 1);
}

TEST(LedgerVerify, TheAnchorOnlyGrows) {
  EngineHarness h;
  write_some_ledger(h);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(h.path().c_str(), &db), SQLITE_OK);
  for (const char* sql : {"UPDATE ledger_head SET entries = entries - 1",
                          "UPDATE ledger_head SET transactions = 0", "DELETE FROM ledger_head"}) {
    EXPECT_NE(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK) << sql;
  }
  sqlite3_close(db);
  EXPECT_EQ(verify_ledger_file(h.path()).verdict, LedgerVerdict::kOk);
}

TEST(LedgerVerify, AnUnbalancedTransactionWithAValidChainIsNamed) {
  EngineHarness h;
  write_some_ledger(h);
  // Append a one-sided entry with a correct hash: the chain holds, the balance does not.
  const auto last = query_rows(h.db(),
                               "SELECT e.hash, t.id, t.charge_id, t.kind, e.currency "
                               "FROM ledger_entries e JOIN ledger_transactions t ON t.id = "
                               "e.txn_id ORDER BY e.id DESC LIMIT 1")[0];
  const std::string hash = engine::ledger_entry_hash(
      last[0],
      engine::ChainedEntryFields{std::stoll(last[1]), last[2], last[3], "stray", last[4], 5});
  const int64_t next_id = h.count("ledger_entries") + 1;
  tamper(h.path(),
         "INSERT INTO ledger_entries (txn_id, account, currency, amount_minor, hash) "
         "VALUES (" +
             last[1] + ", 'stray', '" + last[4] + "', 5, '" + hash + "')");
  const auto r = verify_ledger_file(h.path());
  EXPECT_EQ(r.verdict, LedgerVerdict::kBad) << r.message;
  EXPECT_EQ(r.message.rfind("transaction " + last[1] + " ", 0), 0u) << r.message;
  EXPECT_NE(r.message.find("does not balance: sums to 5"), std::string::npos) << r.message;
  EXPECT_GT(next_id, 1);
}

TEST(LedgerVerify, ATransactionWhoseSumWrapsInt64IsStillUnbalanced) {
  EngineHarness h;
  write_some_ledger(h);
  // A new transaction of 3 entries, chained correctly, whose amounts sum to 2^64: int64
  // arithmetic would see 0 (issue 19: the verifier's own sum wrapped and said "ledger ok").
  const int64_t txn = h.count("ledger_transactions") + 100;
  std::string previous =
      query_rows(h.db(), "SELECT hash FROM ledger_entries ORDER BY id DESC LIMIT 1")[0][0];
  std::string sql = "INSERT INTO ledger_transactions (id, charge_id, kind, created_us) VALUES (" +
                    std::to_string(txn) + ", 'ch_x', 'capture', 1);";
  for (const int64_t amount : {INT64_MAX, INT64_MAX, int64_t{2}}) {
    previous = engine::ledger_entry_hash(
        previous,
        engine::ChainedEntryFields{txn, "ch_x", "capture", "psp_receivable", "USD", amount});
    sql += "INSERT INTO ledger_entries (txn_id, account, currency, amount_minor, hash) VALUES (" +
           std::to_string(txn) + ", 'psp_receivable', 'USD', " + std::to_string(amount) + ", '" +
           previous + "');";
  }
  tamper(h.path(), sql);
  const auto r = verify_ledger_file(h.path());
  EXPECT_EQ(r.verdict, LedgerVerdict::kBad) << r.message;
  EXPECT_NE(r.message.find("does not balance: sums to 18446744073709551616"), std::string::npos)
      << r.message;
}

TEST(LedgerVerify, MissingOrForeignFilesAreBadInput) {
  EXPECT_EQ(verify_ledger_file("/tmp/reckon-no-such-file.db").verdict, LedgerVerdict::kBadInput);
  EXPECT_EQ(run_cli("ledger verify --db /tmp/reckon-no-such-file.db"), 2);
  const std::string text = "/tmp/reckon-ledger-not-a-db.txt";
  std::ofstream(text) << "this is not a database, just some text that is long enough\n";
  EXPECT_EQ(verify_ledger_file(text).verdict, LedgerVerdict::kBadInput);
  EXPECT_EQ(run_cli("ledger verify --db " + text), 2);
  std::remove(text.c_str());
  EXPECT_EQ(run_cli("ledger verify"), 2) << "--db is required";
  EXPECT_EQ(run_cli("ledger"), 2) << "a ledger subcommand is required";
}

TEST(LedgerVerify, TheFileIsOpenedReadOnly) {
  EngineHarness h;
  write_some_ledger(h);
  const int64_t changes_before = query_int(h.db(), "PRAGMA data_version");
  EXPECT_EQ(verify_ledger_file(h.path()).verdict, LedgerVerdict::kOk);
  EXPECT_EQ(query_int(h.db(), "PRAGMA data_version"), changes_before);
}

}  // namespace
}  // namespace reckon::test
