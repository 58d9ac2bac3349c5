#pragma once
// The conformance behaviours of adapter-check (docs/adapters.md): each a name (a contract:
// scripts read it), a group, one line saying what it checks, the fault plan it runs under
// (built from the adapter's declared capabilities) and a check that drives the adapter
// through a Session and judges what it did against the simulated PSP, the source of truth.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
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
  // The seed to report a failure under when it is not the seed being run: a leak found
  // earlier is reported under the seed whose session wrote it.
  std::optional<uint64_t> seed = std::nullopt;
  static Verdict pass() { return {}; }
  static Verdict fail(std::string detail) { return {Status::kFailed, std::move(detail)}; }
  static Verdict fail_at(uint64_t seed, std::string detail) {
    return {Status::kFailed, std::move(detail), seed};
  }
  static Verdict skip(std::string why) { return {Status::kSkipped, std::move(why)}; }
};

// Card data found in what the adapter wrote: where (a sentence naming the behaviour, the
// seed and the place), and the seed whose session wrote it.
struct CardDataFind {
  std::string detail;
  uint64_t seed = 0;
};

// What a check gets: the seed's session, and a way to open another one (same seed, same
// plan, the adapter reset again) for checks that compare two runs; and the first card data
// found in what the adapter wrote during the behaviours run before this one (in any of
// their sessions: its stderr and its results), said with the behaviour and seed, or
// nothing.
struct CheckContext {
  Session& session;
  std::function<std::unique_ptr<Session>()> another_session;
  std::optional<CardDataFind> card_data_earlier = std::nullopt;
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
// The behaviour that judges card data in everything the adapter wrote.
inline constexpr std::string_view kNoCardDataInLogs = "no-card-data-in-logs";

const std::vector<Behaviour>& all_behaviours();

// The groups' definitions (adapters/behaviours_*.cpp), appended to `out`.
void add_payment_behaviours(std::vector<Behaviour>& out);
void add_query_behaviours(std::vector<Behaviour>& out);
void add_chain_behaviours(std::vector<Behaviour>& out);
void add_answer_behaviours(std::vector<Behaviour>& out);
void add_hygiene_behaviours(std::vector<Behaviour>& out);

}  // namespace reckon::adapters
