#include "engine/psp_key.h"

#include <xxhash.h>

#include <cstdio>

namespace reckon::engine {

std::string derive_psp_key(const std::string& merchant, const std::string& idem_key,
                           std::string_view kind, const std::string& operation_id) {
  const std::string material =
      merchant + '\x1f' + idem_key + '\x1f' + std::string(kind) + '\x1f' + operation_id;
  char buf[24];
  std::snprintf(buf, sizeof buf, "rk_%016llx",
                static_cast<unsigned long long>(XXH3_64bits(material.data(), material.size())));
  return buf;
}

}  // namespace reckon::engine
