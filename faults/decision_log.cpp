#include "faults/decision_log.h"

namespace reckon::faults {

const Decision& DecisionLog::append(int64_t at_us, std::string kind, std::string subject,
                                    int64_t value) {
  decisions_.push_back(
      Decision{decisions_.size(), at_us, std::move(kind), std::move(subject), value});
  return decisions_.back();
}

}  // namespace reckon::faults
