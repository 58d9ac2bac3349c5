#pragma once
// The checkers' statement of what makes a ledger sound (docs/ledger.md: "The chart of
// accounts", "The hash chain"), written from that text and not from engine/ledger*.h. The
// simulator's ledger properties judge each commit with it; `reckon check-live` judges a live
// run's database with it, so neither trusts the engine's own verifier.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "oracle/ledger_chain_rule.h"
#include "oracle/wide_sum.h"

namespace reckon::oracle {

// One ledger entry with its transaction's charge and kind, as a checker reads it.
struct LedgerEntryRow {
  int64_t id = 0;
  int64_t txn_id = 0;
  std::string charge_id;
  std::string kind;
  std::string account;
  std::string currency;
  int64_t amount_minor = 0;
  std::string hash;
};

enum class LedgerRule {
  kBalanced,   // an entry the chart has, in a transaction of one currency that sums to zero
  kZeroSum,    // each currency's entries sum to zero
  kHashChain,  // each entry's stored hash is the one the chain gives it
};

struct LedgerFinding {
  LedgerRule rule = LedgerRule::kBalanced;
  std::string charge_id;  // the charge the broken transaction or entry belongs to, if one
  std::string detail;
};

// Judges a ledger read in id order, batch by batch. INVARIANT: a batch holds whole
// transactions (a checker reads between commits, and a transaction commits all its entries
// at once); the sums per currency and the chain carry over from batch to batch.
class LedgerRules {
 public:
  // The first rule the batch breaks, if one: the chart and currencies entry by entry, then
  // each transaction's sum, then each currency's, then (only on a balanced ledger) the chain.
  std::optional<LedgerFinding> judge(const std::vector<LedgerEntryRow>& batch);
  // Entries judged so far (up to the first that broke the chart or mixed currencies).
  uint64_t entries_judged() const { return entries_judged_; }
  // The hash of the last entry whose chain held (32 zeros before the first).
  const std::string& chain_head() const { return chain_head_; }

 private:
  std::optional<LedgerFinding> judge_balance(const std::vector<LedgerEntryRow>& batch);
  std::optional<LedgerFinding> judge_chain(const std::vector<LedgerEntryRow>& batch);

  std::map<std::string, WideSum> currency_sums_;
  std::string chain_head_ = std::string(kChainGenesis);
  uint64_t entries_judged_ = 0;
};

}  // namespace reckon::oracle
