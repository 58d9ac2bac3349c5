#include "engine/ledger_chain.h"

#include <xxhash.h>

#include <cstdio>

namespace reckon::engine {

std::string ledger_entry_hash(std::string_view previous_hash, const ChainedEntryFields& e) {
  // Fields are separated by a unit separator and numbers written in decimal, so no two
  // different entries serialize to the same bytes.
  const std::string txn = std::to_string(e.txn_id);
  std::string material;
  material.reserve(128);
  material.append(previous_hash);
  for (std::string_view field :
       {std::string_view(txn), e.charge_id, e.kind, e.account, e.currency}) {
    material += '\x1f';
    material.append(field);
  }
  material += '\x1f';
  material += std::to_string(e.amount_minor);
  const XXH128_hash_t h = XXH3_128bits(material.data(), material.size());
  char buf[33];
  std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(h.high64),
                static_cast<unsigned long long>(h.low64));
  return buf;
}

}  // namespace reckon::engine
