#pragma once
// adapter-check: the handshake, then every behaviour over every seed against one adapter,
// and the scorecard as JSON (docs/adapters.md) and JUnit XML.
//
// INVARIANT: a bad adapter (an AdapterError) stops the check: the behaviour in progress is
// failed with the error, the rest are not run, and `adapter_error` names the problem.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/behaviours.h"
#include "adapters/link.h"

namespace reckon::adapters {

struct CheckOptions {
  uint64_t seed_first = 1;
  uint64_t seed_last = 10;
  std::vector<std::string> only;  // behaviour names; empty: all
};

struct BehaviourResult {
  const Behaviour* behaviour = nullptr;
  Status status = Status::kNotRun;
  std::optional<uint64_t> seed;  // the first seed that failed
  std::string detail;
};

struct CheckResult {
  std::optional<Capabilities> caps;
  std::vector<BehaviourResult> results;
  std::optional<std::string> adapter_error;
  std::string error_behaviour;
  std::optional<uint64_t> error_seed;
  bool passed() const;
  size_t count(Status status) const;
};

// Runs the check. `on_result` is called as each behaviour finishes (for the scorecard).
CheckResult run_check(AdapterLink& link, const CheckOptions& options,
                      const std::function<void(const BehaviourResult&)>& on_result);

// The handshake alone: the adapter's capabilities. Throws AdapterError.
Capabilities handshake(AdapterLink& link);

nlohmann::json check_report_json(const CheckResult& r, const CheckOptions& options,
                                 const std::string& command);
std::string check_report_junit(const CheckResult& r, const std::string& command);

}  // namespace reckon::adapters
