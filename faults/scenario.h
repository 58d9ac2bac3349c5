#pragma once
// A scenario file (TOML) as data: the workload, the fault plan, explicitly scheduled
// faults, durations, the properties that must hold and the expected outcome. Parsing is
// strict: an unknown key, a wrong type or an impossible value is an error naming the file,
// the line and the key. docs/scenarios.md documents the format.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "faults/decision_log.h"
#include "faults/fault_kinds.h"
#include "faults/fault_plan.h"
#include "faults/ratio.h"

namespace reckon::faults {

// Probe requests per run (Workload::probes) unless a scenario says otherwise.
inline constexpr int kDefaultProbes = 4;

struct Workload {
  int clients = 4;
  int payments_per_client = 5;
  std::vector<std::string> currencies = {"USD", "JPY", "KWD"};
  Ratio auto_capture = {1, 2};
  Ratio partial_capture = {1, 4};
  Ratio pay_again_after_decline = {1, 2};
  Ratio void_instead_of_capture = {1, 5};  // of orders not auto-captured
  Ratio refund_after_capture = {1, 3};     // of captured orders
  int refunds_max = 3;                     // refunds of a refunded order (partial; the last
                                           // sometimes the rest)
  Ratio capture_void_race = {0, 1};        // of orders not auto-captured: capture and void at once
  Ratio refund_while_unknown = {0, 1};     // of auto-captures answered psp_outcome_unknown
  Ratio capture_while_unknown = {0, 1};    // of two-step authorizations answered so
  Ratio void_while_unknown = {0, 1};       // of two-step authorizations answered so, not
                                           // captured at once: voided at once
  Ratio refund_race = {0, 1};              // of refunded orders: two refunds at once, over the rest
  int64_t client_timeout_us = 400'000;
  int client_attempts_max = 10;
  // How long the merchant holds an order's authorization before it captures or voids it
  // (hotels, rentals: days), drawn per order in [min, max]. [0, 0]: at once, nothing drawn.
  int64_t hold_min_us = 0;
  int64_t hold_max_us = 0;
  // Requests of a careless merchant integration, each breaking one rule of docs/api.md or
  // reading a charge back, then a walk of the charge list (sim/probe_client.h).
  int probes = kDefaultProbes;
};

// A fault at a fixed virtual time, in addition to the random ones.
struct ScheduledFault {
  enum class Kind { kCrash, kPartition };
  Kind kind = Kind::kCrash;
  int64_t at_us = 0;
  std::string node_a;       // partition: one side
  std::string node_b;       // partition: the other side
  int64_t duration_us = 0;  // partition: heals after this long
  int line = 0;             // where it was declared
};

struct EngineKnobs {
  int psp_attempts_max = 3;
  int64_t psp_timeout_us = 250'000;
  // Unset: the engine keeps its own default, which the checkers take from the docs (7 days;
  // a recovery pass every 0.5 s; an outbox poll every 0.1 s), so a wrong default shows.
  std::optional<int64_t> authorization_expiry_us;
  std::optional<int64_t> recovery_interval_us;
  std::optional<int64_t> outbox_poll_interval_us;
};

struct Expectation {
  bool fail = false;     // a negative scenario: some seed must fail ...
  std::string property;  // ... with this property
};

struct Scenario {
  std::string name;         // the file's stem unless `name` says otherwise
  std::string description;  // one line, for `reckon list`
  std::string path;         // where it was loaded from
  std::string seeds = "1..20";
  Workload workload;
  FaultPlan faults;
  bool swarm = false;
  std::vector<ScheduledFault> schedule;
  EngineKnobs engine;
  std::vector<std::string> plants;      // planted defects (names checked by the caller)
  std::vector<std::string> properties;  // properties checked; empty: all of them
  Expectation expect;
  int64_t liveness_timeout_us = 60'000'000;
  // `[replay] decisions = [...]`: the run takes every fault from this list (replay mode) and
  // draws none; an empty list is a run without faults. `reckon shrink` writes these.
  std::optional<std::vector<Decision>> replay;
  // Lines of keys whose values only the layers above can check (names of defects and
  // properties), so their errors still point into the file.
  int plants_line = 0;
  int properties_line = 0;
  int expect_line = 0;
};

struct ScenarioError {
  std::string file;
  int line = 0;
  std::string key;
  std::string message;
  std::string str() const;  // "file:line: key: message"
};

// Parses scenario text; `source` names it in errors (a path, or "<string>").
std::optional<Scenario> parse_scenario(const std::string& text, const std::string& source,
                                       ScenarioError& error);
// Reads and parses a file.
std::optional<Scenario> load_scenario(const std::string& path, ScenarioError& error);

// "num/den" -> Ratio; nullopt unless both are integers with den > 0 and num <= den.
std::optional<Ratio> parse_ratio(const std::string& text);

}  // namespace reckon::faults
