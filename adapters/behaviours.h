#pragma once
// The conformance behaviours of adapter-check (docs/adapters.md): each a name (a contract:
// scripts read it), a group, one line saying what it checks, the fault plan it runs under
// (built from the adapter's declared capabilities) and a check that drives the adapter
// through a Session and judges what it did against the simulated PSP, the source of truth.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "adapters/protocol.h"
#include "adapters/session.h"
#include "faults/fault_plan.h"

namespace reckon::adapters {

enum class Status { kPassed, kFailed, kSkipped, kNotRun };
std::string to_string(Status status);

struct Verdict {
  Status status = Status::kPassed;
  std::string detail;
  static Verdict pass() { return {}; }
  static Verdict fail(std::string detail) { return {Status::kFailed, std::move(detail)}; }
  static Verdict skip(std::string why) { return {Status::kSkipped, std::move(why)}; }
};

// What a check gets: the seed's session, and a way to open another one (same seed, same
// plan, the adapter reset again) for checks that compare two runs; and the first card data
// found in what the adapter wrote during the behaviours run before this one (in any of
// their sessions: its stderr and its results), said with the behaviour and seed, or
// nothing.
struct CheckContext {
  Session& session;
  std::function<std::unique_ptr<Session>()> another_session;
  std::optional<std::string> card_data_earlier = std::nullopt;
};

struct Behaviour {
  std::string name;
  std::string group;
  std::string what;
  std::function<faults::FaultPlan(const Capabilities&)> plan;
  // nullopt: runs; else the reason it is skipped (a capability the adapter does not declare).
  std::function<std::optional<std::string>(const Capabilities&)> skip;
  std::function<Verdict(CheckContext&)> check;
};

// Every behaviour, in scorecard order. Names are unique.
const std::vector<Behaviour>& all_behaviours();

// The groups' definitions (adapters/behaviours_*.cpp), appended to `out`.
void add_payment_behaviours(std::vector<Behaviour>& out);
void add_query_behaviours(std::vector<Behaviour>& out);
void add_chain_behaviours(std::vector<Behaviour>& out);
void add_answer_behaviours(std::vector<Behaviour>& out);
void add_hygiene_behaviours(std::vector<Behaviour>& out);

}  // namespace reckon::adapters
