#include "cli/coverage_gate.h"

#include "cli/exit_codes.h"
#include "reports/transition_matrix.h"

namespace reckon::cli {

bool apply_coverage_gate(nlohmann::json& coverage, const faults::RequiredCoverage& required,
                         const std::string& command, std::ostream& err) {
  const auto gaps = reports::coverage_gaps(coverage, required);
  reports::add_required(coverage, required, gaps);
  for (const auto& gap : gaps) {
    err << command << ": coverage gap: " << gap.describe() << " (required by " << required.path
        << ":" << gap.line << ")\n";
  }
  if (gaps.empty()) {
    err << command << ": required coverage met: " << coverage["required"].at("items").get<size_t>()
        << " items of " << required.path << "\n";
  } else {
    err << command << ": " << gaps.size() << " of "
        << coverage["required"].at("items").get<size_t>()
        << " required coverage items missing: exit " << kExitCoverageGap << "\n";
  }
  return gaps.empty();
}

int exit_code_with_gate(int code, bool coverage_met) {
  return code == kExitPassed && !coverage_met ? kExitCoverageGap : code;
}

}  // namespace reckon::cli
