#pragma once
// The checkers' statement of the ledger's hash chain (docs/ledger.md, "The hash chain"),
// written from that text and not from engine/ledger_chain.h.

#include <cstdint>
#include <string>
#include <string_view>

namespace reckon::oracle {

// What the first entry chains to: 32 zeros.
inline constexpr std::string_view kChainGenesis = "00000000000000000000000000000000";

// The fields of one entry the chain covers: the entry's transaction with its charge and
// kind, and the entry's account, currency and amount.
struct ChainFields {
  int64_t txn_id = 0;
  std::string_view charge_id;
  std::string_view kind;
  std::string_view account;
  std::string_view currency;
  int64_t amount_minor = 0;
};

// XXH3-128 over the previous hash, then each field after a 0x1F, numbers in decimal; 32
// lower-case hex digits, high half first.
std::string chain_hash(std::string_view previous, const ChainFields& entry);

}  // namespace reckon::oracle
