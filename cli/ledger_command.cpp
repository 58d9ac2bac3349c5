// reckon ledger verify --db FILE: checks an engine database's ledger offline (balance per
// transaction, zero sum per currency, the hash chain) and names the first bad entry.
#include <iostream>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "engine/ledger_verify.h"

namespace reckon::cli {

int do_ledger_verify(const std::string& db_path) {
  const engine::LedgerReport report = engine::verify_ledger_file(db_path);
  switch (report.verdict) {
    case engine::LedgerVerdict::kOk:
      std::cout << report.message << "\n";
      return kExitPassed;
    case engine::LedgerVerdict::kBad:
      std::cout << "ledger bad: " << report.message << "\n";
      return kExitPropertyFailed;
    case engine::LedgerVerdict::kBadInput:
      break;
  }
  std::cerr << "reckon ledger verify: --db '" << db_path << "': " << report.message << "\n";
  return kExitBadInput;
}

}  // namespace reckon::cli
