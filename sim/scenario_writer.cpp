#include "sim/scenario_writer.h"

#include <optional>
#include <sstream>
#include <string>
#include <utility>

#include "engine/planted.h"
#include "faults/fault_kinds.h"

namespace reckon::sim {
namespace {

// A TOML basic string: quotes, backslashes and control characters escaped.
std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      static const char* const kHex = "0123456789abcdef";
      out += "\\u00";
      out += kHex[(c >> 4) & 0xf];
      out += kHex[c & 0xf];
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string ratio(Ratio r) {
  return quoted(r.str());
}

std::string strings(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + quoted(items[i]);
  return out + "]";
}

// Milliseconds from microseconds, noting the first knob that is not a whole millisecond.
class Millis {
 public:
  explicit Millis(std::string& error) : error_(error) {}
  std::string operator()(const char* knob, int64_t us) {
    if (us % 1000 != 0 && error_.empty()) {
      error_ = std::string(knob) + " is " + std::to_string(us) +
               "us, not a whole number of milliseconds";
    }
    return std::to_string(us / 1000);
  }
  std::string range(const char* knob, int64_t min_us, int64_t max_us) {
    return "[" + (*this)(knob, min_us) + ", " + (*this)(knob, max_us) + "]";
  }

 private:
  std::string& error_;
};

const char* shape_name(faults::LatencyShape s) {
  switch (s) {
    case faults::LatencyShape::kFixed:
      return "fixed";
    case faults::LatencyShape::kUniform:
      return "uniform";
    case faults::LatencyShape::kLongTail:
      break;
  }
  return "long_tail";
}

// The knobs of the registered fault kinds of [faults.`table`] (faults/fault_kinds.h), as
// `key = value` items joined by `separator`: every kind the reader reads, so none is dropped.
std::string kind_knobs(std::string_view table, faults::FaultPlan plan, Millis& ms,
                       const char* separator) {
  std::string out;
  for (const faults::FaultKind& kind : faults::fault_kinds()) {
    if (kind.table != table) continue;
    const std::string name = faults::scenario_key(kind);
    std::string value;
    switch (kind.shape) {
      case faults::KnobShape::kRate:
        value = ratio(kind.rate(plan));
        break;
      case faults::KnobShape::kMeanInterval:
        value = ms(name.c_str(), kind.mean_us(plan));
        break;
      case faults::KnobShape::kSkewRange:
        value = ms.range(name.c_str(), plan.clock.skew_min_us, plan.clock.skew_max_us);
        break;
      case faults::KnobShape::kScheduled:
        continue;  // written as [[faults.schedule]] entries
    }
    out += (out.empty() ? "" : separator) + std::string(kind.key) + " = " + value;
  }
  return out;
}

// [workload]
void write_workload(const RunConfig& c, Millis& ms, std::ostringstream& o) {
  const auto& w = c.client;
  o << "\n[workload]\n"
    << "clients = " << c.clients << "\n"
    << "payments_per_client = " << w.payments << "\n"
    << "currencies = " << strings(w.currencies) << "\n"
    << "auto_capture = " << ratio(w.auto_capture) << "\n"
    << "partial_capture = " << ratio(w.partial_capture) << "\n"
    << "pay_again_after_decline = " << ratio(w.pay_again_after_decline) << "\n"
    << "void_instead_of_capture = " << ratio(w.void_instead_of_capture) << "\n"
    << "refund_after_capture = " << ratio(w.refund_after_capture) << "\n"
    << "refunds_max = " << w.refunds_max << "\n"
    << "capture_void_race = " << ratio(w.capture_void_race) << "\n"
    << "refund_while_unknown = " << ratio(w.refund_while_unknown) << "\n"
    << "capture_while_unknown = " << ratio(w.capture_while_unknown) << "\n"
    << "void_while_unknown = " << ratio(w.void_while_unknown) << "\n"
    << "refund_race = " << ratio(w.refund_race) << "\n"
    << "client_timeout_ms = " << ms("workload.client_timeout", w.timeout_us) << "\n"
    << "client_attempts_max = " << w.attempts_max << "\n"
    << "hold_ms = " << ms.range("workload.hold", w.hold_min_us, w.hold_max_us) << "\n"
    << "probes = " << c.probe.probes << "\n";
}

// [engine]: the knobs a scenario sets; unset ones stay unset.
void write_engine(const RunConfig& c, Millis& ms, std::ostringstream& o) {
  std::vector<std::string> plants;
  for (const auto& d : engine::all_defects()) {
    if (c.planted.has(d.defect)) plants.emplace_back(d.name);
  }
  o << "\n[engine]\n"
    << "psp_attempts_max = " << c.psp_attempts_max << "\n"
    << "psp_timeout_ms = " << ms("engine.psp_timeout", c.psp_timeout_us) << "\n";
  // Unset knobs stay unset: the engine's own default is part of what a run tests.
  const std::pair<const char*, const std::optional<TimeUs>*> engine_times[] = {
      {"authorization_expiry", &c.authorization_expiry_us},
      {"recovery_interval", &c.recovery_interval_us},
      {"outbox_poll_interval", &c.outbox_poll_interval_us}};
  for (const auto& [knob, value] : engine_times) {
    const std::string name = "engine." + std::string(knob);
    if (*value) o << knob << "_ms = " << ms(name.c_str(), **value) << "\n";
  }
  o << "plant = " << strings(plants) << "\n";
}

// [faults] and its tables, each kind's knobs in the registry's order.
void write_faults(const RunConfig& c, Millis& ms, std::ostringstream& o) {
  const auto& f = c.faults;
  const auto& n = f.network;
  o << "\n[faults]\n"
    << "swarm = " << (c.swarm ? "true" : "false") << "\n"
    << "swarm_interval_scale = " << f.swarm_interval_scale << "\n"
    << "\n[faults.network]\n"
    << kind_knobs("network", f, ms, "\n") << "\n"
    << "reorder_ms = " << ms.range("faults.network.reorder", n.reorder_min_us, n.reorder_max_us)
    << "\n"
    << "latency = { shape = " << quoted(shape_name(n.latency.shape))
    << ", min_us = " << n.latency.min_us << ", max_us = " << n.latency.max_us
    << ", tail_max_us = " << n.latency.tail_max_us << ", "
    << kind_knobs("network.latency", f, ms, ", ") << " }\n"
    << "partition_ms = "
    << ms.range("faults.network.partition", n.partition_min_us, n.partition_max_us) << "\n";

  const auto& p = f.process;
  o << "\n[faults.process]\n"
    << kind_knobs("process", f, ms, "\n") << "\n"
    << "crash_points = " << strings(p.crash_points) << "\n"
    << "restart_delay_ms = "
    << ms.range("faults.process.restart_delay", p.restart_delay_min_us, p.restart_delay_max_us)
    << "\n";

  const auto& psp = f.psp;
  o << "\n[faults.psp]\n"
    << kind_knobs("psp", f, ms, "\n") << "\n"
    << "slow_ms = " << ms.range("faults.psp.slow", psp.slow_min_us, psp.slow_max_us) << "\n"
    << "lookup_lag_ms = " << ms("faults.psp.lookup_lag", psp.lookup_lag_us) << "\n"
    << "authorization_expiry_ms = "
    << ms("faults.psp.authorization_expiry", psp.authorization_expiry_us) << "\n"
    << "webhooks = " << (psp.webhooks ? "true" : "false") << "\n"
    << "webhook_late_ms = "
    << ms.range("faults.psp.webhook_late", psp.webhook_late_min_us, psp.webhook_late_max_us)
    << "\n";

  o << "\n[faults.storage]\n" << kind_knobs("storage", f, ms, "\n") << "\n";
  o << "\n[faults.clients]\n" << kind_knobs("clients", f, ms, "\n") << "\n";

  const auto& cl = f.clock;
  o << "\n[faults.clock]\n"
    << kind_knobs("clock", f, ms, "\n") << "\n"
    << "late_timer_ms = "
    << ms.range("faults.clock.late_timer", cl.late_timer_min_us, cl.late_timer_max_us) << "\n";

  const auto& se = f.settlement;
  o << "\n[faults.settlement]\n"
    << "cutoff_ms = " << se.cutoff_ms << "\n"
    << "fee_bps = " << se.fee_bps << "\n"
    << kind_knobs("settlement", f, ms, "\n") << "\n";
}

// [[faults.schedule]] (unless the faults come from a replay list), [expect], [run], and
// [replay].
void write_schedule_expect_replay(const RunConfig& c, Millis& ms, std::ostringstream& o) {
  if (!c.replay_decisions) {
    for (const auto& s : c.schedule) {
      const bool crash = s.kind == faults::ScheduledFault::Kind::kCrash;
      o << "\n[[faults.schedule]]\n"
        << "at_ms = " << ms("faults.schedule.at", s.at_us) << "\n"
        << "kind = " << (crash ? "\"crash\"" : "\"partition\"") << "\n";
      if (!crash) {
        o << "between = " << strings({s.node_a, s.node_b}) << "\n"
          << "duration_ms = " << ms("faults.schedule.duration", s.duration_us) << "\n";
      }
    }
  }

  o << "\n[expect]\n";
  if (c.expect.fail) {
    o << "outcome = \"fail\"\nproperty = " << quoted(c.expect.property) << "\n";
  } else {
    o << "outcome = \"pass\"\n";
  }
  o << "properties = " << strings(c.properties) << "\n"
    << "\n[run]\n"
    << "liveness_timeout_ms = " << ms("run.liveness_timeout", c.liveness_timeout_us) << "\n";

  if (c.replay_decisions) {
    o << "\n[replay]  # every fault comes from this list; none is drawn from the rates above\n"
      << "decisions = [";
    for (const auto& d : *c.replay_decisions) {
      o << "\n  { at_us = " << d.at_us << ", kind = " << quoted(d.kind)
        << ", subject = " << quoted(d.subject) << ", value = " << d.value << " },";
    }
    o << (c.replay_decisions->empty() ? "]\n" : "\n]\n");
  }
}

}  // namespace

bool scenario_toml(const RunConfig& c, const ScenarioText& text, std::string& out,
                   std::string& error) {
  error.clear();
  Millis ms(error);
  std::ostringstream o;
  std::istringstream comment(text.comment);
  for (std::string line; std::getline(comment, line);) o << "# " << line << "\n";
  o << "description = " << quoted(text.description) << "\n"
    << "seeds = " << quoted(text.seeds) << "\n";
  write_workload(c, ms, o);
  write_engine(c, ms, o);
  write_faults(c, ms, o);
  write_schedule_expect_replay(c, ms, o);
  if (!error.empty()) return false;
  out = o.str();
  return true;
}

}  // namespace reckon::sim
