#pragma once
// Offline verification of an engine database's ledger (`reckon ledger verify --db FILE`):
// opens the SQLite file read-only and checks, in entry order,
//   - the hash chain (engine/ledger_chain.h): every entry's stored hash matches,
//   - balance: every transaction's entries sum to zero in one currency, and no transaction
//     is empty,
//   - zero sum: all entries of each currency sum to zero.
// The first problem found is named (entry id, transaction id) in `message`.

#include <cstdint>
#include <string>

#include "engine/planted.h"

namespace reckon::engine {

enum class LedgerVerdict {
  kOk,
  kBad,       // the ledger is readable and wrong
  kBadInput,  // no such file, not a SQLite database, or not an engine database
};

struct LedgerReport {
  LedgerVerdict verdict = LedgerVerdict::kBadInput;
  std::string message;
  int64_t transactions = 0;
  int64_t entries = 0;
  std::string head_hash;  // the last entry's hash (the genesis hash when empty)
};

// `planted` switches on the verifier's planted defects (ledger-verify-head-only,
// ledger-verify-ignores-currency-mix) for the simulator's check of this verifier; the CLI
// passes none.
LedgerReport verify_ledger_file(const std::string& path, const PlantedDefects& planted = {});

}  // namespace reckon::engine
