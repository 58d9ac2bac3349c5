#include "faults/scenario.h"

#include <toml++/toml.h>
#include <charconv>
#include <cstdint>
#include <fstream>
#include <set>
#include <sstream>

#include "faults/fault_kinds.h"
#include "oracle/currencies.h"

namespace reckon::faults {
namespace {

// Reads one TOML table strictly: every key must be consumed by a getter, values must have
// the right type and range, and the first problem is kept with its line and dotted key.
class TableReader {
 public:
  TableReader(const toml::table& table, std::string prefix, ScenarioError& error, bool& ok)
      : table_(table), prefix_(std::move(prefix)), error_(error), ok_(ok) {}

  // Marks a key as read by the caller itself.
  void accept(const char* key) { take(key); }

  // Call after all getters: any key nobody asked for is an error.
  void reject_unknown_keys() {
    for (const auto& [key, node] : table_) {
      const std::string k(key.str());
      if (!consumed_.count(k)) fail(node, k, "unknown key");
    }
  }

  void integer(const char* key, int64_t& out, int64_t min, int64_t max) {
    const toml::node* node = take(key);
    if (!node) return;
    auto v = node->value_exact<int64_t>();
    if (!v) return fail(*node, key, "must be an integer");
    if (*v < min || *v > max) {
      return fail(*node, key,
                  "must be between " + std::to_string(min) + " and " + std::to_string(max));
    }
    out = *v;
  }

  void integer(const char* key, int& out, int64_t min, int64_t max) {
    int64_t wide = out;
    integer(key, wide, min, max);
    out = static_cast<int>(wide);
  }

  // A duration given in milliseconds, stored in microseconds.
  void millis(const char* key, int64_t& out_us, int64_t max_ms = 86'400'000) {
    int64_t ms = out_us / 1000;
    integer(key, ms, 0, max_ms);
    out_us = ms * 1000;
  }

  // An optional duration in milliseconds within [min_ms, max_ms], stored in microseconds.
  void millis(const char* key, std::optional<int64_t>& out_us, int64_t min_ms, int64_t max_ms) {
    if (!table_.get(key)) return;
    int64_t ms = min_ms;
    integer(key, ms, min_ms, max_ms);
    out_us = ms * 1000;
  }

  // [min, max] in milliseconds, stored in microseconds; each end at most `max_ms` (a day
  // unless a knob says otherwise), so a delay added to virtual time cannot overflow.
  // `negative_ok`: either end may be below zero (a clock skew), within a year either way.
  void millis_range(const char* key, int64_t& min_us, int64_t& max_us, bool negative_ok = false,
                    int64_t max_ms = 86'400'000) {
    const toml::node* node = take(key);
    if (!node) return;
    const toml::array* arr = node->as_array();
    if (!arr || arr->size() != 2 || !(*arr)[0].is_integer() || !(*arr)[1].is_integer()) {
      return fail(*node, key, "must be [min_ms, max_ms], two integers");
    }
    const int64_t lo = *(*arr)[0].value<int64_t>();
    const int64_t hi = *(*arr)[1].value<int64_t>();
    constexpr int64_t kYearMs = 366LL * 86'400'000;
    if (negative_ok && (hi < lo || lo < -kYearMs || hi > kYearMs)) {
      return fail(*node, key, "needs min_ms <= max_ms, each within a year (negative: behind)");
    }
    if (!negative_ok && (lo < 0 || hi < lo || hi > max_ms)) {
      return fail(*node, key, "needs 0 <= min_ms <= max_ms <= " + std::to_string(max_ms));
    }
    min_us = lo * 1000;
    max_us = hi * 1000;
  }

  void ratio(const char* key, Ratio& out) {
    const toml::node* node = take(key);
    if (!node) return;
    auto text = node->value_exact<std::string>();
    if (!text) return fail(*node, key, "must be a ratio string like \"3/100\"");
    auto r = parse_ratio(*text);
    if (!r) return fail(*node, key, "'" + *text + "' is not num/den with 0 <= num <= den, den > 0");
    out = *r;
  }

  void boolean(const char* key, bool& out) {
    const toml::node* node = take(key);
    if (!node) return;
    auto v = node->value_exact<bool>();
    if (!v) return fail(*node, key, "must be true or false");
    out = *v;
  }

  void string(const char* key, std::string& out) {
    const toml::node* node = take(key);
    if (!node) return;
    auto v = node->value_exact<std::string>();
    if (!v) return fail(*node, key, "must be a string");
    out = *v;
  }

  void strings(const char* key, std::vector<std::string>& out, int* line = nullptr) {
    const toml::node* node = take(key);
    if (!node) return;
    const toml::array* arr = node->as_array();
    if (!arr) return fail(*node, key, "must be an array of strings");
    std::vector<std::string> values;
    for (const auto& item : *arr) {
      auto v = item.value_exact<std::string>();
      if (!v) return fail(item, key, "must be an array of strings");
      values.push_back(*v);
    }
    out = std::move(values);
    if (line) *line = static_cast<int>(node->source().begin.line);
  }

  // A sub-table (or nullptr if absent); `inline_ok` also accepts an inline table.
  const toml::table* table(const char* key) {
    const toml::node* node = take(key);
    if (!node) return nullptr;
    const toml::table* t = node->as_table();
    if (!t) fail(*node, key, "must be a table");
    return t;
  }

  const toml::array* array_of_tables(const char* key) {
    const toml::node* node = take(key);
    if (!node) return nullptr;
    const toml::array* arr = node->as_array();
    if (!arr || !arr->is_array_of_tables()) {
      fail(*node, key, "must be an array of tables ([[" + dotted(key) + "]])");
      return nullptr;
    }
    return arr;
  }

  int line_of(const char* key) const {
    const toml::node* node = table_.get(key);
    return node ? static_cast<int>(node->source().begin.line) : 0;
  }

  void fail(const toml::node& node, const std::string& key, const std::string& message) {
    if (!ok_) return;  // keep the first error: later ones are often its echoes
    ok_ = false;
    error_.line = static_cast<int>(node.source().begin.line);
    error_.key = dotted(key);
    error_.message = message;
  }

  std::string dotted(const std::string& key) const {
    return prefix_.empty() ? key : prefix_ + "." + key;
  }

 private:
  const toml::node* take(const char* key) {
    consumed_.insert(key);
    return table_.get(key);
  }

  const toml::table& table_;
  std::string prefix_;
  ScenarioError& error_;
  bool& ok_;
  std::set<std::string> consumed_;
};

// The knobs of the registered fault kinds in [faults.`table`] (faults/fault_kinds.h).
void read_kinds(TableReader& r, std::string_view table, FaultPlan& plan) {
  for (const FaultKind& kind : fault_kinds()) {
    if (kind.table != table) continue;
    const std::string key(kind.key);
    switch (kind.shape) {
      case KnobShape::kRate:
        r.ratio(key.c_str(), kind.rate(plan));
        break;
      case KnobShape::kMeanInterval:
        r.millis(key.c_str(), kind.mean_us(plan));
        break;
      case KnobShape::kSkewRange:
        r.millis_range(key.c_str(), plan.clock.skew_min_us, plan.clock.skew_max_us,
                       /*negative_ok=*/true);
        break;
      case KnobShape::kScheduled:
        break;  // read as [[faults.schedule]] entries
    }
  }
}

void read_latency(const toml::table& t, FaultPlan& plan, ScenarioError& e, bool& ok) {
  TableReader r(t, "faults.network.latency", e, ok);
  LatencySpec& out = plan.network.latency;
  std::string shape = out.shape == LatencyShape::kFixed     ? "fixed"
                      : out.shape == LatencyShape::kUniform ? "uniform"
                                                            : "long_tail";
  r.string("shape", shape);
  if (shape == "fixed") {
    out.shape = LatencyShape::kFixed;
  } else if (shape == "uniform") {
    out.shape = LatencyShape::kUniform;
  } else if (shape == "long_tail") {
    out.shape = LatencyShape::kLongTail;
  } else if (ok) {
    r.fail(*t.get("shape"), "shape", "must be \"fixed\", \"uniform\" or \"long_tail\"");
  }
  r.integer("min_us", out.min_us, 0, 3'600'000'000);
  r.integer("max_us", out.max_us, 0, 3'600'000'000);
  read_kinds(r, "network.latency", plan);
  r.integer("tail_max_us", out.tail_max_us, 0, 3'600'000'000);
  r.reject_unknown_keys();
}

void read_network(const toml::table& t, FaultPlan& plan, ScenarioError& e, bool& ok) {
  TableReader r(t, "faults.network", e, ok);
  NetworkFaults& n = plan.network;
  read_kinds(r, "network", plan);
  r.millis_range("reorder_ms", n.reorder_min_us, n.reorder_max_us);
  if (const auto* lat = r.table("latency")) read_latency(*lat, plan, e, ok);
  r.millis_range("partition_ms", n.partition_min_us, n.partition_max_us);
  r.reject_unknown_keys();
}

void read_process(const toml::table& t, FaultPlan& plan, ScenarioError& e, bool& ok) {
  TableReader r(t, "faults.process", e, ok);
  ProcessFaults& p = plan.process;
  read_kinds(r, "process", plan);
  r.strings("crash_points", p.crash_points);
  r.millis_range("restart_delay_ms", p.restart_delay_min_us, p.restart_delay_max_us);
  r.reject_unknown_keys();
}

void read_psp(const toml::table& t, FaultPlan& plan, ScenarioError& e, bool& ok) {
  TableReader r(t, "faults.psp", e, ok);
  PspFaults& p = plan.psp;
  read_kinds(r, "psp", plan);
  r.millis_range("slow_ms", p.slow_min_us, p.slow_max_us);
  r.millis("lookup_lag_ms", p.lookup_lag_us);
  r.millis("authorization_expiry_ms", p.authorization_expiry_us, 366LL * 86'400'000);
  r.boolean("webhooks", p.webhooks);
  r.millis_range("webhook_late_ms", p.webhook_late_min_us, p.webhook_late_max_us);
  for (const FaultKind& kind : fault_kinds()) {
    if (kind.needs_webhooks && !p.webhooks && !kind.rate(plan).is_zero()) {
      r.fail(*t.get(kind.key), std::string(kind.key),
             "needs webhooks = true: the PSP sends no webhooks to fault");
    }
  }
  r.reject_unknown_keys();
}

void read_storage(const toml::table& t, FaultPlan& plan, ScenarioError& e, bool& ok) {
  TableReader r(t, "faults.storage", e, ok);
  read_kinds(r, "storage", plan);
  r.reject_unknown_keys();
}

void read_settlement(const toml::table& t, FaultPlan& plan, ScenarioError& e, bool& ok) {
  TableReader r(t, "faults.settlement", e, ok);
  r.integer("cutoff_ms", plan.settlement.cutoff_ms, 0, 86'399'999);
  r.integer("fee_bps", plan.settlement.fee_bps, 0, 10'000);
  read_kinds(r, "settlement", plan);
  r.reject_unknown_keys();
}

void read_clients(const toml::table& t, FaultPlan& plan, ScenarioError& e, bool& ok) {
  TableReader r(t, "faults.clients", e, ok);
  read_kinds(r, "clients", plan);
  r.reject_unknown_keys();
}

// [faults.clock]: skew_ms = [min, max] may be negative (a clock behind virtual time).
void read_clock(const toml::table& t, FaultPlan& plan, ScenarioError& e, bool& ok) {
  TableReader r(t, "faults.clock", e, ok);
  ClockFaults& c = plan.clock;
  read_kinds(r, "clock", plan);
  r.millis_range("late_timer_ms", c.late_timer_min_us, c.late_timer_max_us);
  r.reject_unknown_keys();
}

void read_schedule(const toml::array& items, std::vector<ScheduledFault>& out, ScenarioError& e,
                   bool& ok) {
  for (const auto& item : items) {
    const toml::table& t = *item.as_table();
    TableReader r(t, "faults.schedule", e, ok);
    ScheduledFault f;
    f.line = static_cast<int>(t.source().begin.line);
    int64_t at_ms = -1;
    r.integer("at_ms", at_ms, 0, 86'400'000);
    f.at_us = at_ms * 1000;
    std::string kind;
    r.string("kind", kind);
    std::vector<std::string> between;
    r.strings("between", between);
    r.millis("duration_ms", f.duration_us);
    r.reject_unknown_keys();
    if (!ok) return;
    if (at_ms < 0) return r.fail(t, "at_ms", "is required");
    if (kind == "crash") {
      f.kind = ScheduledFault::Kind::kCrash;
      if (!between.empty()) return r.fail(t, "between", "applies only to kind = \"partition\"");
    } else if (kind == "partition") {
      f.kind = ScheduledFault::Kind::kPartition;
      if (between.size() != 2 || between[0] == between[1] || between[0].empty()) {
        return r.fail(t, "between", "must name two different nodes, e.g. [\"engine-0\", \"psp\"]");
      }
      if (f.duration_us <= 0) return r.fail(t, "duration_ms", "a partition needs a duration");
      f.node_a = between[0];
      f.node_b = between[1];
    } else {
      return r.fail(t, "kind", "must be \"crash\" or \"partition\"");
    }
    out.push_back(f);
  }
}

// [replay] decisions = [{ at_us = 0, kind = "crash", subject = "engine-0", value = 1000 }, ...]
void read_replay(const toml::table& t, Scenario& s, ScenarioError& e, bool& ok) {
  TableReader r(t, "replay", e, ok);
  const toml::node* node = t.get("decisions");
  const bool empty = node != nullptr && node->is_array() && node->as_array()->empty();
  const toml::array* items = empty ? nullptr : r.array_of_tables("decisions");
  if (empty) r.accept("decisions");
  r.reject_unknown_keys();
  if (!ok) return;
  if (node == nullptr) {
    return r.fail(t, "decisions", "is required (an empty list is a run without faults)");
  }
  std::vector<Decision> out;
  if (items == nullptr) {
    s.replay = std::move(out);
    return;
  }
  for (const auto& item : *items) {
    const toml::table& d = *item.as_table();
    TableReader dr(d, "replay.decisions", e, ok);
    Decision decision;
    decision.index = out.size();
    decision.at_us = -1;
    decision.value = -1;
    dr.integer("at_us", decision.at_us, 0, kDecisionYearUs);
    dr.string("kind", decision.kind);
    dr.string("subject", decision.subject);
    // Only a clock skew may be negative (a clock behind); checked below, once the kind is known.
    dr.integer("value", decision.value, -kDecisionYearUs, kDecisionYearUs);
    dr.reject_unknown_keys();
    if (!ok) return;
    for (const char* key : {"at_us", "kind", "subject", "value"}) {
      if (d.get(key) == nullptr) return dr.fail(d, key, "is required");
    }
    if (!is_decision_kind(decision.kind)) {
      return dr.fail(*d.get("kind"), "kind", "'" + decision.kind + "' is not a decision kind");
    }
    if (decision.value < 0 && !allows_negative_value(decision.kind)) {
      return dr.fail(*d.get("value"), "value",
                     "must be between 0 and " + std::to_string(kDecisionYearUs) +
                         " (only a clock_skew may be negative)");
    }
    if (decision.subject.empty()) return dr.fail(*d.get("subject"), "subject", "must not be empty");
    const FaultKind* recorded_by = recording_kind(decision.kind);
    const bool partition = recorded_by != nullptr && recorded_by->link_subject;
    const size_t bar = decision.subject.find('|');
    if (partition && (bar == std::string::npos || bar == 0 || bar + 1 == decision.subject.size())) {
      return dr.fail(*d.get("subject"), "subject", "a partition names two nodes as \"a|b\"");
    }
    if (!out.empty() && decision.at_us < out.back().at_us) {
      return dr.fail(*d.get("at_us"), "at_us",
                     "goes back in time; decisions must be in time order");
    }
    out.push_back(std::move(decision));
  }
  s.replay = std::move(out);
}

void read_faults(const toml::table& t, Scenario& s, ScenarioError& e, bool& ok) {
  TableReader r(t, "faults", e, ok);
  r.boolean("swarm", s.swarm);
  r.integer("swarm_interval_scale", s.faults.swarm_interval_scale, 1, 1'000'000);
  if (const auto* n = r.table("network")) read_network(*n, s.faults, e, ok);
  if (const auto* p = r.table("process")) read_process(*p, s.faults, e, ok);
  if (const auto* p = r.table("psp")) read_psp(*p, s.faults, e, ok);
  if (const auto* st = r.table("storage")) read_storage(*st, s.faults, e, ok);
  if (const auto* se = r.table("settlement")) read_settlement(*se, s.faults, e, ok);
  if (const auto* c = r.table("clients")) read_clients(*c, s.faults, e, ok);
  if (const auto* c = r.table("clock")) read_clock(*c, s.faults, e, ok);
  if (const auto* sched = r.array_of_tables("schedule")) read_schedule(*sched, s.schedule, e, ok);
  r.reject_unknown_keys();
}

void read_workload(const toml::table& t, Workload& w, ScenarioError& e, bool& ok) {
  TableReader r(t, "workload", e, ok);
  r.integer("clients", w.clients, 1, 1000);
  r.integer("payments_per_client", w.payments_per_client, 1, 100'000);
  r.strings("currencies", w.currencies);
  r.ratio("auto_capture", w.auto_capture);
  r.ratio("partial_capture", w.partial_capture);
  r.ratio("pay_again_after_decline", w.pay_again_after_decline);
  r.ratio("void_instead_of_capture", w.void_instead_of_capture);
  r.ratio("refund_after_capture", w.refund_after_capture);
  r.integer("refunds_max", w.refunds_max, 1, 20);
  r.ratio("capture_void_race", w.capture_void_race);
  r.ratio("refund_while_unknown", w.refund_while_unknown);
  r.ratio("capture_while_unknown", w.capture_while_unknown);
  r.ratio("void_while_unknown", w.void_while_unknown);
  r.ratio("refund_race", w.refund_race);
  r.millis("client_timeout_ms", w.client_timeout_us);
  r.integer("client_attempts_max", w.client_attempts_max, 1, 1000);
  constexpr int64_t kHoldMaxMs = 60LL * 86'400'000;  // two months: past any expiry
  r.millis_range("hold_ms", w.hold_min_us, w.hold_max_us, false, kHoldMaxMs);
  r.integer("probes", w.probes, 0, 10'000);
  r.reject_unknown_keys();
  if (!ok) return;
  if (w.currencies.empty()) return r.fail(*t.get("currencies"), "currencies", "must not be empty");
  for (const auto& c : w.currencies) {
    if (!oracle::iso4217_minor_units(c)) {
      return r.fail(*t.get("currencies"), "currencies",
                    "'" + c + "' is not in the currency table of the simulated world (ISO 4217: " +
                        "AUD BHD CAD CHF EUR GBP JOD JPY KRW KWD NOK OMR SEK USD)");
    }
  }
  if (w.client_timeout_us <= 0) {
    return r.fail(*t.get("client_timeout_ms"), "client_timeout_ms", "must be positive");
  }
}

void read_engine(const toml::table& t, Scenario& s, ScenarioError& e, bool& ok) {
  TableReader r(t, "engine", e, ok);
  r.integer("psp_attempts_max", s.engine.psp_attempts_max, 1, 20);
  r.millis("psp_timeout_ms", s.engine.psp_timeout_us);
  constexpr int64_t kYearMs = 366LL * 86'400'000;
  constexpr int64_t kDayMs = 86'400'000;
  r.millis("authorization_expiry_ms", s.engine.authorization_expiry_us, 1, kYearMs);
  r.millis("recovery_interval_ms", s.engine.recovery_interval_us, 1, kDayMs);
  r.millis("outbox_poll_interval_ms", s.engine.outbox_poll_interval_us, 1, kDayMs);
  r.strings("plant", s.plants, &s.plants_line);
  r.reject_unknown_keys();
  if (ok && s.engine.psp_timeout_us <= 0) {
    r.fail(*t.get("psp_timeout_ms"), "psp_timeout_ms", "must be positive");
  }
}

void read_expect(const toml::table& t, Scenario& s, ScenarioError& e, bool& ok) {
  TableReader r(t, "expect", e, ok);
  std::string outcome = "pass";
  r.string("outcome", outcome);
  r.string("property", s.expect.property);
  r.strings("properties", s.properties, &s.properties_line);
  r.reject_unknown_keys();
  s.expect_line = r.line_of("property");
  if (!ok) return;
  if (outcome != "pass" && outcome != "fail") {
    return r.fail(*t.get("outcome"), "outcome", "must be \"pass\" or \"fail\"");
  }
  s.expect.fail = outcome == "fail";
  if (s.expect.fail && s.expect.property.empty()) {
    return r.fail(t, "property", "a scenario expected to fail must name the property");
  }
  if (!s.expect.fail && !s.expect.property.empty()) {
    return r.fail(*t.get("property"), "property", "only a failing outcome names a property");
  }
}

std::string stem_of(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  const size_t dot = base.rfind('.');
  return dot == std::string::npos ? base : base.substr(0, dot);
}

}  // namespace

std::string ScenarioError::str() const {
  std::string out = file;
  if (line > 0) out += ":" + std::to_string(line);
  out += ": ";
  if (!key.empty()) out += key + ": ";
  return out + message;
}

std::optional<Ratio> parse_ratio(const std::string& text) {
  const size_t slash = text.find('/');
  if (slash == std::string::npos) return std::nullopt;
  Ratio r;
  const char* begin = text.data();
  const char* mid = begin + slash;
  const char* end = begin + text.size();
  auto [p1, e1] = std::from_chars(begin, mid, r.num);
  auto [p2, e2] = std::from_chars(mid + 1, end, r.den);
  if (e1 != std::errc() || p1 != mid || e2 != std::errc() || p2 != end || slash == 0) {
    return std::nullopt;
  }
  if (!r.valid()) return std::nullopt;
  return r;
}

std::optional<Scenario> parse_scenario(const std::string& text, const std::string& source,
                                       ScenarioError& error) {
  error = ScenarioError{source, 0, "", ""};
  toml::table root;
  try {
    root = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    error.line = static_cast<int>(e.source().begin.line);
    error.message = "not valid TOML: " + std::string(e.description());
    return std::nullopt;
  }
  Scenario s;
  s.path = source;
  s.name = stem_of(source);
  s.faults = quiet_fault_plan();  // every fault is off unless the file turns it on
  bool ok = true;
  TableReader r(root, "", error, ok);
  r.string("name", s.name);
  r.string("description", s.description);
  r.string("seeds", s.seeds);
  if (const auto* w = r.table("workload")) read_workload(*w, s.workload, error, ok);
  if (const auto* e = r.table("engine")) read_engine(*e, s, error, ok);
  if (const auto* f = r.table("faults")) read_faults(*f, s, error, ok);
  if (const auto* x = r.table("expect")) read_expect(*x, s, error, ok);
  if (const auto* replay = r.table("replay")) read_replay(*replay, s, error, ok);
  if (const auto* run = r.table("run")) {
    TableReader rr(*run, "run", error, ok);
    rr.millis("liveness_timeout_ms", s.liveness_timeout_us, 7 * 86'400'000);  // a week
    rr.reject_unknown_keys();
  }
  r.reject_unknown_keys();
  if (!ok) return std::nullopt;
  if (s.replay && !s.schedule.empty()) {
    error.line = s.schedule.front().line;
    error.key = "faults.schedule";
    error.message =
        "a scenario with [replay] takes every fault from replay.decisions; write scheduled "
        "faults there (kinds scheduled_crash, scheduled_partition)";
    return std::nullopt;
  }
  if (s.description.empty()) {
    error.key = "description";
    error.message = "is required: one line saying what the scenario exercises";
    return std::nullopt;
  }
  // An operation left for the recovery job (an outcome whose commit failed, a lookup that got
  // no answer) resolves at its next pass, up to a whole interval after faults stop.
  if (s.engine.recovery_interval_us && s.liveness_timeout_us <= *s.engine.recovery_interval_us) {
    const toml::node* at = root["run"]["liveness_timeout_ms"].node();
    if (at == nullptr) at = root["engine"]["recovery_interval_ms"].node();
    if (at != nullptr) error.line = static_cast<int>(at->source().begin.line);
    error.key = "run.liveness_timeout_ms";
    error.message = "(" + std::to_string(s.liveness_timeout_us / 1000) +
                    ") must be longer than engine.recovery_interval_ms (" +
                    std::to_string(*s.engine.recovery_interval_us / 1000) +
                    "): an operation left for the recovery job resolves only at its next pass";
    return std::nullopt;
  }
  if (auto problem = validate(s.faults)) {
    error.key = "faults";
    error.message = *problem;
    return std::nullopt;
  }
  return s;
}

std::optional<Scenario> load_scenario(const std::string& path, ScenarioError& error) {
  std::ifstream in(path);
  if (!in) {
    error = ScenarioError{path, 0, "", "cannot read the file"};
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_scenario(text.str(), path, error);
}

}  // namespace reckon::faults
