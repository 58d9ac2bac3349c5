#include "oracle/ledger_chain_rule.h"

#include <xxhash.h>

#include <cstdio>

namespace reckon::oracle {

std::string chain_hash(std::string_view previous, const ChainFields& e) {
  std::string material(previous);
  for (const std::string& field :
       {std::to_string(e.txn_id), std::string(e.charge_id), std::string(e.kind),
        std::string(e.account), std::string(e.currency), std::to_string(e.amount_minor)}) {
    material += '\x1f';
    material += field;
  }
  const XXH128_hash_t h = XXH3_128bits(material.data(), material.size());
  char hex[33];
  std::snprintf(hex, sizeof hex, "%016llx%016llx", static_cast<unsigned long long>(h.high64),
                static_cast<unsigned long long>(h.low64));
  return hex;
}

}  // namespace reckon::oracle
