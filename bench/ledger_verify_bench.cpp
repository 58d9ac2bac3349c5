// `reckon ledger verify` over ledgers of 10k, 100k and 1M transactions (two entries each),
// written straight into a fresh engine schema with a correct chain and anchor. The verifier
// must be linear (issue 19: it was quadratic); report items_per_second (transactions).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>

#include "engine/ledger_chain.h"
#include "engine/ledger_verify.h"
#include "engine/store/db.h"
#include "engine/store/schema.h"

namespace {

using namespace reckon::engine;

std::string write_ledger(int64_t transactions) {
  const std::string path = "/tmp/reckon-bench-ledger-" + std::to_string(transactions) + ".db";
  std::remove(path.c_str());
  Status status;
  auto db = Db::open(path, "unix", status);
  if (!db || !apply_schema(*db).ok) return "";
  std::string head(kLedgerGenesisHash);
  const Status written = in_transaction(*db, [&]() -> Status {
    for (int64_t t = 1; t <= transactions; ++t) {
      const std::string charge = "ch_" + std::to_string(t);
      Status s = db->prepare(
                       "INSERT INTO ledger_transactions (id, charge_id, kind, created_us) "
                       "VALUES (?1, ?2, 'capture', ?1)")
                     .bind(1, t)
                     .bind(2, charge)
                     .run();
      for (const auto& [account, amount] :
           {std::pair<const char*, int64_t>{"psp_receivable", 1000 + t % 97},
            std::pair<const char*, int64_t>{"merchant_payable", -(1000 + t % 97)}}) {
        if (!s.ok) return s;
        head = ledger_entry_hash(head, {t, charge, "capture", account, "USD", amount});
        s = db->prepare(
                  "INSERT INTO ledger_entries (txn_id, account, currency, amount_minor, "
                  "hash) VALUES (?1, ?2, 'USD', ?3, ?4)")
                .bind(1, t)
                .bind(2, account)
                .bind(3, amount)
                .bind(4, head)
                .run();
      }
      if (!s.ok) return s;
    }
    return db->prepare("UPDATE ledger_head SET entries = ?1, transactions = ?2, hash = ?3")
        .bind(1, 2 * transactions)
        .bind(2, transactions)
        .bind(3, head)
        .run();
  });
  return written.ok ? path : "";
}

void BM_LedgerVerify(benchmark::State& state) {
  const std::string path = write_ledger(state.range(0));
  if (path.empty()) return state.SkipWithError("could not write the ledger");
  for (auto _ : state) {
    const LedgerReport r = verify_ledger_file(path);
    if (r.verdict != LedgerVerdict::kOk) state.SkipWithError(r.message.c_str());
    benchmark::DoNotOptimize(r.head_hash);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  std::remove(path.c_str());
}
BENCHMARK(BM_LedgerVerify)
    ->Arg(10'000)
    ->Arg(100'000)
    ->Arg(1'000'000)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

}  // namespace
