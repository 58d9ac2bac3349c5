#include "sim/scenario_run.h"

#include <algorithm>

#include "engine/crash_points.h"
#include "engine/planted.h"
#include "sim/properties.h"
#include "sim/webhook_node.h"

namespace reckon::sim {
namespace {

bool known_node(const std::string& name, int clients) {
  if (name == "engine-0" || name == "psp" || name == kWebhookNodeName) return true;
  const std::string prefix = "client-";
  if (!name.starts_with(prefix)) return false;
  const std::string index = name.substr(prefix.size());
  if (index.empty() || index.size() > 4 ||
      !std::all_of(index.begin(), index.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  return std::stoi(index) < clients;
}

bool fail(faults::ScenarioError& error, const faults::Scenario& s, int line, std::string key,
          std::string message) {
  error = faults::ScenarioError{s.path, line, std::move(key), std::move(message)};
  return false;
}

bool check_names(const faults::Scenario& s, faults::ScenarioError& error) {
  const auto& props = known_properties();
  auto is_property = [&](const std::string& p) {
    return std::find(props.begin(), props.end(), p) != props.end();
  };
  for (const auto& p : s.properties) {
    if (!is_property(p)) {
      return fail(error, s, s.properties_line, "expect.properties",
                  "no property named '" + p + "'");
    }
  }
  if (s.expect.fail && !is_property(s.expect.property)) {
    return fail(error, s, s.expect_line, "expect.property",
                "no property named '" + s.expect.property + "'");
  }
  for (const auto& name : s.plants) {
    if (!engine::find_defect(name)) {
      return fail(error, s, s.plants_line, "engine.plant",
                  "no defect named '" + name + "' (reckon bugs lists them)");
    }
  }
  for (const auto& point : s.faults.process.crash_points) {
    if (!engine::is_crash_point(point)) {
      return fail(error, s, 0, "faults.process.crash_points",
                  "no crash point named '" + point + "' (engine/crash_points.h lists them)");
    }
  }
  for (const auto& f : s.schedule) {
    if (f.kind != faults::ScheduledFault::Kind::kPartition) continue;
    for (const auto& node : {f.node_a, f.node_b}) {
      if (!known_node(node, s.workload.clients)) {
        return fail(error, s, f.line, "faults.schedule.between",
                    "no node '" + node + "' (engine-0, psp, merchant-webhook, client-0.." +
                        std::to_string(s.workload.clients - 1) + ")");
      }
    }
  }
  return true;
}

}  // namespace

const std::vector<std::string>& known_properties() {
  static const std::vector<std::string> names(std::begin(kAllProperties), std::end(kAllProperties));
  return names;
}

std::optional<RunConfig> run_config_for(const faults::Scenario& s, faults::ScenarioError& error) {
  if (!check_names(s, error)) return std::nullopt;
  RunConfig c;
  c.scenario = s.name;
  c.clients = s.workload.clients;
  c.client.payments = s.workload.payments_per_client;
  c.client.currencies = s.workload.currencies;  // checked against the table by the parser
  c.client.auto_capture = s.workload.auto_capture;
  c.client.partial_capture = s.workload.partial_capture;
  c.client.pay_again_after_decline = s.workload.pay_again_after_decline;
  c.client.void_instead_of_capture = s.workload.void_instead_of_capture;
  c.client.refund_after_capture = s.workload.refund_after_capture;
  c.client.refunds_max = s.workload.refunds_max;
  c.client.capture_void_race = s.workload.capture_void_race;
  c.client.refund_while_unknown = s.workload.refund_while_unknown;
  c.client.capture_while_unknown = s.workload.capture_while_unknown;
  c.client.void_while_unknown = s.workload.void_while_unknown;
  c.client.refund_race = s.workload.refund_race;
  c.client.timeout_us = s.workload.client_timeout_us;
  c.client.attempts_max = s.workload.client_attempts_max;
  c.client.hold_min_us = s.workload.hold_min_us;
  c.client.hold_max_us = s.workload.hold_max_us;
  c.probe.probes = s.workload.probes;
  c.probe.currency = s.workload.currencies.front();  // the parser refuses an empty list
  c.faults = s.faults;
  c.swarm = s.swarm;
  c.schedule = s.schedule;
  c.psp_attempts_max = s.engine.psp_attempts_max;
  c.psp_timeout_us = s.engine.psp_timeout_us;
  c.authorization_expiry_us = s.engine.authorization_expiry_us;
  c.recovery_interval_us = s.engine.recovery_interval_us;
  c.outbox_poll_interval_us = s.engine.outbox_poll_interval_us;
  for (const auto& name : s.plants) c.planted.plant(*engine::find_defect(name));
  c.properties = s.properties;
  c.expect = s.expect;
  if (s.expect.fail && !c.properties.empty() &&
      std::find(c.properties.begin(), c.properties.end(), s.expect.property) ==
          c.properties.end()) {
    c.properties.push_back(s.expect.property);  // the expected failure must be able to show
  }
  c.liveness_timeout_us = s.liveness_timeout_us;
  c.replay_decisions = s.replay;
  return c;
}

}  // namespace reckon::sim
