#include "cli/common_options.h"

#include "adapters/adapter_route.h"
#include "cli/exit_codes.h"
#include "cli/scenario_select.h"
#include "engine/planted.h"

namespace reckon::cli {

void add_common(CLI::App* cmd, CommonOptions& o) {
  cmd->add_option("--format", o.format, "Output format")->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--plant", o.plants,
                  "Plant a known engine defect (repeatable); `reckon bugs` lists them");
  cmd->add_flag("--check-determinism", o.check_determinism,
                "Run each seed twice and compare trace hashes");
  cmd->add_option("--clients", o.clients, "Merchant clients per run (default 4, or the scenario's)")
      ->check(CLI::Range(1, 1000))
      ->each([&o](const std::string&) { o.clients_given = true; });
  cmd->add_option("--payments", o.payments, "Orders per client (default 5, or the scenario's)")
      ->check(CLI::Range(1, 100000))
      ->each([&o](const std::string&) { o.payments_given = true; });
  cmd->add_flag("--swarm", o.swarm,
                "Swarm mode: each seed switches on a random subset of fault kinds");
  cmd->add_option("--scenario", o.scenario,
                  "A scenario file, or a name from the library (reckon list)");
  cmd->add_option("--adapter", o.adapter,
                  "The engine's PSP calls go through this external adapter (protocol v1, "
                  "started with /bin/sh -c CMD once per seed) to the simulated PSP");
}

std::string shell_quoted(const std::string& text) {
  std::string out = "'";
  for (const char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string default_seeds(const CommonOptions& o) {
  if (o.scenario.empty()) return "1..100";
  std::string error;
  auto s = resolve_scenario(o.scenario, error);
  return s ? s->seeds : "1..100";  // a bad scenario is reported by build_run_config
}

bool build_run_config(const CommonOptions& o, sim::RunConfig& run, reports::ReplayContext& replay,
                      std::string& error) {
  if (!o.scenario.empty()) {
    auto scenario = resolve_scenario(o.scenario, error);
    auto config = scenario ? scenario_run_config(*scenario, error) : std::nullopt;
    if (!config) return false;
    run = *config;
    replay.extra_args += " --scenario " + o.scenario;
  }
  if (o.swarm) {
    run.swarm = true;
    replay.extra_args += " --swarm";
  }
  if (o.scenario.empty() || o.clients_given) run.clients = o.clients;
  if (o.scenario.empty() || o.payments_given) run.client.payments = o.payments;
  for (const auto& name : o.plants) {
    auto defect = engine::find_defect(name);
    if (!defect) {
      error = "--plant '" + name + "': no such defect; `reckon bugs` lists them";
      return false;
    }
    run.planted.plant(*defect);
    replay.extra_args += " --plant " + name;
  }
  if (o.clients_given && (o.clients != 4 || !o.scenario.empty())) {
    replay.extra_args += " --clients " + std::to_string(o.clients);
  }
  if (o.payments_given && (o.payments != 5 || !o.scenario.empty())) {
    replay.extra_args += " --payments " + std::to_string(o.payments);
  }
  if (!o.adapter.empty()) {
    run.psp_route = adapters::adapter_route_factory(o.adapter);
    replay.extra_args += " --adapter " + shell_quoted(o.adapter);
  }
  return true;
}

int exit_code_for_report(const nlohmann::json& report) {
  if (report.at("nondeterministic_seeds").get<int>() > 0) return kExitNondeterministic;
  if (report.at("failed_seeds").get<int>() > 0) return kExitPropertyFailed;
  if (report.contains("coverage") && report["coverage"].at("unrun").get<uint64_t>() > 0) {
    return kExitBudgetExhausted;
  }
  return kExitPassed;
}

nlohmann::json config_json(const CommonOptions& o, const reports::ReplayContext& replay) {
  return {{"scenario", o.scenario},
          {"clients_given", o.clients_given},
          {"payments_given", o.payments_given},
          {"clients", o.clients},
          {"payments", o.payments},
          {"plants", o.plants},
          {"check_determinism", o.check_determinism},
          {"swarm", o.swarm},
          {"adapter", o.adapter},
          {"replay_args", replay.extra_args}};
}

bool options_from_config(const nlohmann::json& config, CommonOptions& o, std::string& error) {
  try {
    config.at("clients").get_to(o.clients);
    config.at("payments").get_to(o.payments);
    config.at("plants").get_to(o.plants);
    config.at("check_determinism").get_to(o.check_determinism);
    // Reports from before scenarios existed have none of these.
    o.scenario = config.value("scenario", "");
    o.swarm = config.value("swarm", false);
    o.adapter = config.value("adapter", "");
    o.clients_given = config.value("clients_given", o.clients != 4);
    o.payments_given = config.value("payments_given", o.payments != 5);
  } catch (const nlohmann::json::exception& e) {
    error = std::string("\"config\" is malformed: ") + e.what();
    return false;
  }
  return true;
}

int exit_code_for(const sim::SweepResult& sweep) {
  if (sweep.nondeterministic_seeds() > 0) return kExitNondeterministic;
  if (sweep.failed_seeds() > 0) return kExitPropertyFailed;
  return kExitPassed;
}

}  // namespace reckon::cli
