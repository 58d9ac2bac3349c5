#pragma once
// The recorded fault decisions of a run. Every fault the simulator injects is appended
// here (and to the trace) at the moment it is drawn, in the order drawn.

#include <cstdint>
#include <string>
#include <vector>

namespace reckon::faults {

// Bounds every reader of recorded decisions (scenario [replay], decision files) enforces, so
// that virtual time plus a decision's time or magnitude can never overflow int64: a decision
// lies within a year of virtual time, and a magnitude (a delay in us, a skew, a kind index)
// is at most a year either way.
inline constexpr int64_t kDecisionYearUs = 366LL * 86'400'000'000;

struct Decision {
  uint64_t index = 0;   // position in the run's decision sequence
  int64_t at_us = 0;    // virtual time of the decision
  std::string kind;     // request_loss, response_loss, duplicate, engine_crash, ...
  std::string subject;  // what it hit: a message description or a node name
  int64_t value = 0;    // kind-specific magnitude (e.g. restart delay in us)
};

class DecisionLog {
 public:
  const Decision& append(int64_t at_us, std::string kind, std::string subject, int64_t value);
  const std::vector<Decision>& decisions() const { return decisions_; }
  size_t size() const { return decisions_.size(); }

 private:
  std::vector<Decision> decisions_;
};

}  // namespace reckon::faults
