#pragma once
// The double-entry ledger. Every financial event is one ledger transaction whose entries
// sum to zero (debits positive, credits negative, in minor units of one currency).
//
// Chart of accounts used by the first slice (docs/ledger.md):
//   authorize A      : customer_hold +A          / merchant_pending -A
//   capture C of A   : merchant_pending +A       / customer_hold -A      (hold released)
//                      psp_receivable +C         / merchant_payable -C
//   authorize+capture: psp_receivable +A         / merchant_payable -A

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/store/db.h"

namespace reckon::engine {

struct LedgerEntry {
  std::string account;
  int64_t amount_minor = 0;  // debit > 0, credit < 0
};

// Appends one transaction with its entries. REQUIRES: an open SQLite transaction, so the
// entries commit together with the status change that caused them. `planted_chain_omits_kind`
// is the planted defect ledger-chain-omits-kind (engine/planted.h); false in every real use.
Status post_ledger_transaction(Db& db, std::string_view charge_id, std::string_view kind,
                               std::string_view currency, const std::vector<LedgerEntry>& entries,
                               int64_t now_us, bool planted_chain_omits_kind = false);

}  // namespace reckon::engine
