// reckon replay --decisions FILE: rerun a run from its recorded fault decisions alone.
// The same list gives the same trace hash; a list with decisions removed gives the run
// with fewer faults (what shrinking works on).
#include <fstream>
#include <iostream>

#include "adapters/adapter_route.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/scenario_select.h"
#include "engine/planted.h"
#include "faults/decision_file.h"
#include "reports/trace_view.h"
#include "sim/world.h"

namespace reckon::cli {

std::optional<sim::RunConfig> run_config_from_decisions(const faults::DecisionFile& f,
                                                        std::string& error) {
  sim::RunConfig config;
  if (!f.scenario.empty()) {
    auto s = resolve_scenario(f.scenario, error);
    auto c = s ? scenario_run_config(*s, error) : std::nullopt;
    if (!c) return std::nullopt;
    config = *c;
  }
  for (const auto& name : f.plants) {
    auto defect = engine::find_defect(name);
    if (!defect) {
      error = "plants: no defect named '" + name + "'";
      return std::nullopt;
    }
    config.planted.plant(*defect);
  }
  if (f.clients > 0) config.clients = f.clients;
  if (f.payments > 0) config.client.payments = f.payments;
  if (!f.adapter.empty()) config.psp_route = adapters::adapter_route_factory(f.adapter);
  config.seed = f.seed;
  config.replay_decisions = f.decisions;
  return config;
}

int do_replay(const ReplayOptions& o) {
  std::string error;
  auto file = faults::read_decision_file(o.decisions, error);
  auto config = file ? run_config_from_decisions(*file, error) : std::nullopt;
  if (!config) {
    std::cerr << "reckon replay: " << error << "\n";
    return kExitBadInput;
  }
  const bool print = o.print || !o.node.empty() || !o.payment.empty() || o.from_ms || o.to_ms;
  if (o.from_ms && o.to_ms && *o.from_ms > *o.to_ms) {
    std::cerr << "reckon replay: --from-ms " << *o.from_ms << " is after --to-ms " << *o.to_ms
              << "\n";
    return kExitBadInput;
  }
  config->keep_trace = !o.trace.empty() || print;
  const sim::RunResult r = sim::run_simulation(*config);
  if (!o.trace.empty()) {
    std::ofstream out(o.trace, std::ios::trunc);
    for (const auto& line : r.trace) out << line << '\n';
    if (!out) {
      std::cerr << "reckon replay: cannot write trace to '" << o.trace << "'\n";
      return kExitBadInput;
    }
  }
  if (print) {
    reports::TraceFilter filter;
    filter.node = o.node;
    filter.payment = o.payment;
    if (o.from_ms) filter.from_us = *o.from_ms * 1000;
    if (o.to_ms) filter.to_us = *o.to_ms * 1000;
    for (const auto& line : reports::filter_trace(r.trace, filter)) {
      std::cout << reports::format_trace_line(line) << "\n";
    }
  }
  std::cout << "replayed " << file->decisions.size() << " decisions of seed " << file->seed
            << (file->scenario.empty() ? "" : " (" + file->scenario + ")") << ": "
            << (r.passed() ? "PASS" : "FAIL") << "\n";
  for (const auto& f : r.failures) {
    std::cout << "  FAILED " << f.property << (f.payment.empty() ? "" : " payment=" + f.payment)
              << ": " << f.detail << "\n";
  }
  if (!file->trace_hash.empty()) {
    std::cout << "  recorded trace hash " << file->trace_hash
              << (file->trace_hash == r.trace_hash ? " (same)" : " (differs)") << "\n";
  }
  std::cout << "trace hash " << r.trace_hash << "\n";
  return r.passed() ? kExitPassed : kExitPropertyFailed;
}

bool write_decisions(const std::string& path, const sim::RunResult& r, const CommonOptions& o,
                     std::string& error) {
  faults::DecisionFile f;
  f.seed = r.seed;
  f.scenario = o.scenario;
  f.plants = o.plants;
  f.clients = o.scenario.empty() ? o.clients : 0;
  f.payments = o.scenario.empty() ? o.payments : 0;
  f.trace_hash = r.trace_hash;
  f.adapter = o.adapter;
  f.decisions = r.decisions;
  return faults::write_decision_file(path, f, error);
}

}  // namespace reckon::cli
