// reckon audit --db FILE [--merchant M]: the engine's audit log, one JSON object per line,
// oldest first. Reads only; a missing file or one that is not an engine database exits 2.
#include <nlohmann/json.hpp>

#include <filesystem>
#include <iostream>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "engine/audit.h"

namespace reckon::cli {

int do_audit(const std::string& db_path, const std::string& merchant) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(db_path, ec)) {
    std::cerr << "reckon audit: --db '" << db_path << "': no such file\n";
    return kExitBadInput;
  }
  std::string error;
  const auto records = engine::read_audit_file(db_path, merchant, error);
  if (!error.empty()) {
    std::cerr << "reckon audit: --db '" << db_path << "': " << error << "\n";
    return kExitBadInput;
  }
  for (const auto& r : records) {
    std::cout << nlohmann::json{{"at_us", r.at_us},
                                {"merchant", r.merchant},
                                {"actor", r.actor},
                                {"action", r.action},
                                {"charge_id", r.charge_id},
                                {"operation_id", r.operation_id},
                                {"idempotency_key", r.idempotency_key}}
                     .dump()
              << "\n";
  }
  return kExitPassed;
}

}  // namespace reckon::cli
