#pragma once
// The ledger's hash chain. Each entry stores hash = XXH3-128(previous entry's hash, this
// entry's fields and its transaction's), so editing, removing or reordering any committed
// entry (even with the append-only triggers dropped, or the file edited by hand) breaks
// the chain from that entry on, and `reckon ledger verify` names the first broken entry.

#include <cstdint>
#include <string>
#include <string_view>

namespace reckon::engine {

// The hash before the first entry.
inline constexpr std::string_view kLedgerGenesisHash = "00000000000000000000000000000000";

struct ChainedEntryFields {
  int64_t txn_id = 0;
  std::string_view charge_id;  // the transaction's
  std::string_view kind;       // the transaction's
  std::string_view account;
  std::string_view currency;
  int64_t amount_minor = 0;
};

// 32 lower-case hex digits.
std::string ledger_entry_hash(std::string_view previous_hash, const ChainedEntryFields& entry);

}  // namespace reckon::engine
