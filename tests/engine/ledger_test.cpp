// The double-entry ledger: append-only in the database itself, entries read back in order,
// and every transaction the engine writes balances.

#include "engine/ledger.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/store/schema.h"
#include "tests/support/engine_fixture.h"

namespace {

// One committed entry with its transaction's charge, read with the test's own SQL (the
// engine has no reader of its entries: the checkers read the store themselves).
struct CommittedEntry {
  int64_t id = 0;
  int64_t txn_id = 0;
  std::string charge_id;
  std::string account;
  std::string currency;
  int64_t amount_minor = 0;
};

// Committed entries with id > after_id, in id order.
std::vector<CommittedEntry> read_entries_after(reckon::engine::Db& db, int64_t after_id) {
  auto& st = db.prepare(
      "SELECT e.id, e.txn_id, t.charge_id, e.account, e.currency, e.amount_minor "
      "FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.txn_id "
      "WHERE e.id > ?1 ORDER BY e.id");
  st.bind(1, after_id);
  std::vector<CommittedEntry> out;
  while (st.step() == SQLITE_ROW) {
    out.push_back(CommittedEntry{st.column_int(0), st.column_int(1), st.column_text(2),
                                 st.column_text(3), st.column_text(4), st.column_int(5)});
  }
  st.reset();
  return out;
}

}  // namespace

namespace reckon::test {
namespace {

using engine::Db;
using engine::LedgerEntry;
using engine::Status;

// A schema-initialised database on a fresh file.
struct LedgerDb {
  LedgerDb() {
    Status s;
    db = Db::open(path.path(), "", s);
    if (!db) throw std::runtime_error(s.message);
    s = engine::apply_schema(*db);
    if (!s.ok) throw std::runtime_error(s.message);
  }
  Status post(const std::string& charge_id, const std::string& kind, const std::string& currency,
              const std::vector<LedgerEntry>& entries, int64_t now_us = 1) {
    return engine::in_transaction(*db, [&] {
      return engine::post_ledger_transaction(*db, charge_id, kind, currency, entries, now_us);
    });
  }
  TempDbPath path;
  std::unique_ptr<Db> db;
};

TEST(Ledger, DatabaseRefusesUpdateAndDeleteOfEntries) {
  LedgerDb l;
  ASSERT_TRUE(
      l.post("ch_1", "authorize", "USD", {{"customer_hold", 500}, {"merchant_pending", -500}}).ok);
  // Note: the triggers fire per row, so the table must hold rows for the refusal to show.
  for (const char* sql :
       {"UPDATE ledger_entries SET amount_minor = 1",
        "UPDATE ledger_entries SET account = 'x' WHERE id = 1", "DELETE FROM ledger_entries",
        "DELETE FROM ledger_entries WHERE id = 2"}) {
    SCOPED_TRACE(sql);
    const Status s = l.db->exec(sql);
    EXPECT_FALSE(s.ok);
    EXPECT_NE(s.message.find("append-only"), std::string::npos) << s.message;
  }
  EXPECT_EQ(query_int(*l.db, "SELECT COUNT(*) FROM ledger_entries"), 2);
  EXPECT_EQ(query_int(*l.db, "SELECT SUM(ABS(amount_minor)) FROM ledger_entries"), 1000);
}

TEST(Ledger, DatabaseRefusesUpdateAndDeleteOfTransactions) {
  LedgerDb l;
  ASSERT_TRUE(
      l.post("ch_1", "authorize", "USD", {{"customer_hold", 500}, {"merchant_pending", -500}}).ok);
  for (const char* sql : {"UPDATE ledger_transactions SET kind = 'capture'",
                          "UPDATE ledger_transactions SET charge_id = 'ch_2' WHERE id = 1",
                          "DELETE FROM ledger_transactions"}) {
    SCOPED_TRACE(sql);
    const Status s = l.db->exec(sql);
    EXPECT_FALSE(s.ok);
    EXPECT_NE(s.message.find("append-only"), std::string::npos) << s.message;
  }
  EXPECT_EQ(query_rows(*l.db, "SELECT charge_id, kind FROM ledger_transactions"),
            (std::vector<std::vector<std::string>>{{"ch_1", "authorize"}}));
}

TEST(Ledger, RefusalInsideATransactionLeavesHistoryIntact) {
  LedgerDb l;
  ASSERT_TRUE(
      l.post("ch_1", "authorize", "USD", {{"customer_hold", 500}, {"merchant_pending", -500}}).ok);
  const Status s = engine::in_transaction(*l.db, [&] {
    Status w = engine::post_ledger_transaction(*l.db, "ch_2", "authorize", "USD",
                                               {{"customer_hold", 7}, {"merchant_pending", -7}}, 2);
    if (w.ok) w = l.db->exec("DELETE FROM ledger_entries WHERE id = 1");
    return w;
  });
  EXPECT_FALSE(s.ok);
  EXPECT_FALSE(l.db->in_transaction());
  EXPECT_EQ(query_int(*l.db, "SELECT COUNT(*) FROM ledger_entries"), 2)
      << "the whole transaction rolled back, including its own new entries";
  EXPECT_EQ(query_int(*l.db, "SELECT COUNT(*) FROM ledger_transactions"), 1);
}

TEST(Ledger, ZeroAmountEntriesAreRefused) {
  LedgerDb l;
  const Status s =
      l.post("ch_1", "authorize", "USD", {{"customer_hold", 0}, {"merchant_pending", 0}});
  EXPECT_FALSE(s.ok);
  EXPECT_EQ(query_int(*l.db, "SELECT COUNT(*) FROM ledger_transactions"), 0);
}

TEST(Ledger, PostedEntriesAreReadBackInOrder) {
  LedgerDb l;
  ASSERT_TRUE(
      l.post("ch_1", "authorize", "USD", {{"customer_hold", 500}, {"merchant_pending", -500}}, 10)
          .ok);
  ASSERT_TRUE(l.post("ch_1", "capture", "USD",
                     {{"merchant_pending", 500},
                      {"customer_hold", -500},
                      {"psp_receivable", 300},
                      {"merchant_payable", -300}},
                     20)
                  .ok);
  ASSERT_TRUE(
      l.post("ch_2", "authorize", "JPY", {{"psp_receivable", 900}, {"merchant_payable", -900}}, 30)
          .ok);

  const auto all = read_entries_after(*l.db, 0);
  ASSERT_EQ(all.size(), 8u);
  const std::vector<std::string> accounts = {
      "customer_hold",  "merchant_pending", "merchant_pending", "customer_hold",
      "psp_receivable", "merchant_payable", "psp_receivable",   "merchant_payable"};
  const std::vector<int64_t> amounts = {500, -500, 500, -500, 300, -300, 900, -900};
  for (size_t i = 0; i < all.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(all[i].account, accounts[i]);
    EXPECT_EQ(all[i].amount_minor, amounts[i]);
    if (i > 0) {
      EXPECT_GT(all[i].id, all[i - 1].id);
    }
  }
  EXPECT_EQ(all[0].txn_id, all[1].txn_id);
  EXPECT_NE(all[1].txn_id, all[2].txn_id);
  EXPECT_EQ(all[2].txn_id, all[5].txn_id);
  EXPECT_EQ(all[0].charge_id, "ch_1");
  EXPECT_EQ(all[6].charge_id, "ch_2");
  EXPECT_EQ(all[0].currency, "USD");
  EXPECT_EQ(all[7].currency, "JPY");

  // Reading after an id returns only what follows it.
  const auto tail = read_entries_after(*l.db, all[5].id);
  ASSERT_EQ(tail.size(), 2u);
  EXPECT_EQ(tail[0].id, all[6].id);
  EXPECT_TRUE(read_entries_after(*l.db, all[7].id).empty());
}

// ---------------------------------------------------------------------------------------
// What the engine writes

void expect_balanced(EngineHarness& h) {
  const auto problems = ledger_imbalances(h.db());
  for (const auto& p : problems) ADD_FAILURE() << p;
  // Independently of SQL: sum the entries read through the ledger API.
  std::map<int64_t, int64_t> by_txn;
  std::map<std::string, int64_t> by_currency;
  for (const auto& e : read_entries_after(h.db(), 0)) {
    by_txn[e.txn_id] += e.amount_minor;
    by_currency[e.currency] += e.amount_minor;
  }
  for (const auto& [txn, sum] : by_txn) EXPECT_EQ(sum, 0) << "transaction " << txn;
  for (const auto& [currency, sum] : by_currency) EXPECT_EQ(sum, 0) << "currency " << currency;
}

// account -> balance for one charge's entries.
std::map<std::string, int64_t> balances_for(EngineHarness& h, const std::string& charge_id) {
  std::map<std::string, int64_t> out;
  for (const auto& e : read_entries_after(h.db(), 0)) {
    if (e.charge_id == charge_id) out[e.account] += e.amount_minor;
  }
  std::erase_if(out, [](const auto& kv) { return kv.second == 0; });
  return out;
}

std::string create(EngineHarness& h, const std::string& key, int64_t amount,
                   const std::string& currency, bool capture) {
  auto r = h.post("/v1/charges", key, charge_body(amount, currency, "tok_" + key, capture));
  EXPECT_TRUE(r && r->status == 201) << (r ? r->body : "no response");
  return r ? parse_body(*r).value("id", "") : "";
}

TEST(Ledger, EngineFlowsBalancePerTransactionAndPerCurrency) {
  EngineHarness h;
  h.psp.use_model();

  const std::string auth = create(h, "auth", 4999, "USD", false);
  expect_balanced(h);
  EXPECT_EQ(balances_for(h, auth),
            (std::map<std::string, int64_t>{{"customer_hold", 4999}, {"merchant_pending", -4999}}));

  const std::string auto_capture = create(h, "autocap", 1500, "EUR", true);
  expect_balanced(h);
  EXPECT_EQ(
      balances_for(h, auto_capture),
      (std::map<std::string, int64_t>{{"psp_receivable", 1500}, {"merchant_payable", -1500}}));

  const std::string full = create(h, "full", 800, "JPY", false);
  auto r = h.post("/v1/charges/" + full + "/capture", "cap-full", "{}");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 200) << r->body;
  expect_balanced(h);
  EXPECT_EQ(balances_for(h, full),
            (std::map<std::string, int64_t>{{"psp_receivable", 800}, {"merchant_payable", -800}}));

  const std::string partial = create(h, "partial", 10'000, "KWD", false);
  r = h.post("/v1/charges/" + partial + "/capture", "cap-partial", R"({"amount":2500})");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 200) << r->body;
  expect_balanced(h);
  // The hold is released in full; only the captured part is receivable.
  EXPECT_EQ(balances_for(h, partial), (std::map<std::string, int64_t>{
                                          {"psp_receivable", 2500}, {"merchant_payable", -2500}}));

  // A recovered authorization and a decline, for good measure.
  h.psp.script_token("tok_recovered", std::vector<Fate>(3, Fate::kLoseReply));
  auto unknown = h.post("/v1/charges", "recovered", charge_body(321, "USD", "tok_recovered"));
  ASSERT_TRUE(unknown.has_value());
  EXPECT_EQ(unknown->status, 503);
  h.recover();
  h.psp.decline_token("tok_declined");
  auto declined = h.post("/v1/charges", "declined", charge_body(77, "USD", "tok_declined"));
  ASSERT_TRUE(declined.has_value());
  EXPECT_EQ(declined->status, 402);
  expect_balanced(h);

  // One transaction per successful operation: 4 authorizations (one with capture), 2
  // captures and the recovered authorization.
  EXPECT_EQ(query_int(h.db(), "SELECT COUNT(*) FROM ledger_transactions"), 7);
  EXPECT_EQ(query_int(h.db(), "SELECT COUNT(*) FROM ledger_transactions WHERE kind = 'capture'"),
            2);
  // Every transaction's entries share the currency of its charge.
  EXPECT_EQ(query_int(h.db(),
                      "SELECT COUNT(*) FROM ledger_entries e JOIN ledger_transactions t "
                      "ON t.id = e.txn_id JOIN charges c ON c.id = t.charge_id "
                      "WHERE e.currency <> c.currency"),
            0);
}

}  // namespace
}  // namespace reckon::test
