#include "oracle/ledger_rules.h"

#include "oracle/charge_rules.h"
#include "oracle/currencies.h"

namespace reckon::oracle {

std::optional<LedgerFinding> LedgerRules::judge(const std::vector<LedgerEntryRow>& batch) {
  if (auto finding = judge_balance(batch)) return finding;
  return judge_chain(batch);
}

std::optional<LedgerFinding> LedgerRules::judge_balance(const std::vector<LedgerEntryRow>& batch) {
  std::map<int64_t, WideSum> txn_sums;
  std::map<int64_t, std::string> txn_charge;
  std::map<int64_t, std::string> txn_currency;
  for (const auto& e : batch) {
    // docs/ledger.md: an entry books a documented kind of event into an account of the chart,
    // in minor units of an ISO 4217 currency.
    if (!is_ledger_transaction_kind(e.kind) || !is_ledger_account(e.account) ||
        !iso4217_minor_units(e.currency)) {
      return LedgerFinding{LedgerRule::kBalanced, e.charge_id,
                           "ledger entry " + std::to_string(e.id) + " books " +
                               std::to_string(e.amount_minor) + " " + e.currency + " into '" +
                               e.account + "' for a '" + e.kind +
                               "' transaction, which the chart of accounts (docs/ledger.md) "
                               "does not have"};
    }
    // A transaction balances per currency: +100 USD against -100 JPY sums to zero but
    // creates money in one currency and destroys it in another.
    auto [first, inserted] = txn_currency.emplace(e.txn_id, e.currency);
    if (!inserted && first->second != e.currency) {
      return LedgerFinding{LedgerRule::kBalanced, e.charge_id,
                           "ledger transaction " + std::to_string(e.txn_id) +
                               " mixes currencies (" + first->second + ", " + e.currency + ")"};
    }
    txn_sums[e.txn_id] += e.amount_minor;
    txn_charge[e.txn_id] = e.charge_id;
    currency_sums_[e.currency] += e.amount_minor;
    ++entries_judged_;
  }
  for (const auto& [txn, sum] : txn_sums) {
    if (sum != 0) {
      return LedgerFinding{
          LedgerRule::kBalanced, txn_charge[txn],
          "ledger transaction " + std::to_string(txn) + " sums to " + wide_to_string(sum)};
    }
  }
  for (const auto& [currency, sum] : currency_sums_) {
    if (sum != 0) {
      return LedgerFinding{LedgerRule::kZeroSum, "",
                           currency + " entries sum to " + wide_to_string(sum)};
    }
  }
  return std::nullopt;
}

std::optional<LedgerFinding> LedgerRules::judge_chain(const std::vector<LedgerEntryRow>& batch) {
  for (const auto& e : batch) {
    const std::string expected = chain_hash(
        chain_head_, {e.txn_id, e.charge_id, e.kind, e.account, e.currency, e.amount_minor});
    if (e.hash != expected) {
      return LedgerFinding{LedgerRule::kHashChain, e.charge_id,
                           "ledger entry " + std::to_string(e.id) + " (transaction " +
                               std::to_string(e.txn_id) + ") stores hash " + e.hash +
                               ", the chain gives " + expected};
    }
    chain_head_ = e.hash;
  }
  return std::nullopt;
}

}  // namespace reckon::oracle
