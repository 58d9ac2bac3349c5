// reckon shrink: from a failing run (a seed, or a decision list) to the smallest run found
// that still fails with the same property, written as a scenario file with a [replay]
// decision list (docs/scenarios.md). The search itself is sim/shrink.h.
#include <chrono>
#include <iomanip>
#include <iostream>

#include "cli/commands.h"
#include "cli/duration.h"
#include "cli/exit_codes.h"
#include "cli/report_outputs.h"
#include "cli/scenario_select.h"
#include "cli/seed_range.h"
#include "faults/decision_file.h"
#include "sim/scenario_run.h"
#include "sim/scenario_writer.h"
#include "sim/shrink.h"
#include "sim/world.h"

namespace reckon::cli {
namespace {

using Clock = std::chrono::steady_clock;

int bad_input(const std::string& message) {
  std::cerr << "reckon shrink: " << message << "\n";
  return kExitBadInput;
}

nlohmann::json size_json(const sim::ShrinkSize& s) {
  return {{"decisions", s.decisions},
          {"clients", s.clients},
          {"payments_per_client", s.payments},
          {"trace_events", s.trace_events}};
}

// Loads the written file as `reckon run --scenario FILE --seed N` would and runs it.
bool reproduces(const std::string& path, uint64_t seed, const std::string& property,
                const sim::PspRouteFactory& psp_route, std::string& error) {
  faults::ScenarioError e;
  auto scenario = faults::load_scenario(path, e);
  auto config = scenario ? sim::run_config_for(*scenario, e) : std::nullopt;
  if (!config) {
    error = "the written scenario does not load: " + e.str();
    return false;
  }
  config->seed = seed;
  config->psp_route = psp_route;  // the adapter is not part of a scenario: --adapter gives it
  const sim::RunResult r = sim::run_simulation(*config);
  if (!sim::fails_with(r, property)) {
    error = "the written scenario does not fail with " + property;
    return false;
  }
  return true;
}

}  // namespace

CLI::App* add_shrink_command(CLI::App& app, ShrinkOptions& o) {
  auto* cmd = app.add_subcommand(
      "shrink", "Shrink a failing run to fewer, weaker faults and a smaller workload");
  cmd->add_option("--seed", o.seed, "The failing seed");
  cmd->add_option("--decisions", o.decisions,
                  "A decision list (reckon run --decisions) instead of --seed");
  cmd->add_option("--property", o.property,
                  "The property that must keep failing (default: the first that failed)");
  cmd->add_option("--out", o.out, "The scenario file to write (default shrunk-<seed>.toml)");
  cmd->add_option("--budget", o.budget,
                  "Stop searching after DURATION (e.g. 30s) and write the smallest run so far");
  cmd->add_option("--format", o.run.format, "Output format")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--plant", o.run.plants, "Plant a known engine defect (repeatable)");
  cmd->add_option("--clients", o.run.clients, "Merchant clients of the failing run")
      ->check(CLI::Range(1, 1000))
      ->each([&o](const std::string&) { o.run.clients_given = true; });
  cmd->add_option("--payments", o.run.payments, "Orders per client of the failing run")
      ->check(CLI::Range(1, 100000))
      ->each([&o](const std::string&) { o.run.payments_given = true; });
  cmd->add_flag("--swarm", o.run.swarm, "The failing run used swarm mode");
  cmd->add_option("--scenario", o.run.scenario, "A scenario file, or a name from the library");
  cmd->add_option("--adapter", o.run.adapter,
                  "The failing run's external PSP adapter (docs/adapters.md); with --decisions, "
                  "the file names it");
  return cmd;
}

namespace {

// The options that make no sense together or do not parse: the message, or "".
std::string options_problem(const ShrinkOptions& o) {
  if (o.seed.empty() == o.decisions.empty()) {
    return "give the failing run as --seed N or as --decisions FILE (one of them)";
  }
  const CommonOptions& r = o.run;
  if (!o.decisions.empty() && (!r.scenario.empty() || !r.plants.empty() || r.clients_given ||
                               r.payments_given || r.swarm || !r.adapter.empty())) {
    return "--decisions FILE already names the seed, scenario, plants and workload; "
           "--scenario, --plant, --clients, --payments, --swarm and --adapter go with --seed";
  }
  if (!o.budget.empty() && !parse_duration(o.budget)) {
    return "--budget '" + o.budget + "': expected e.g. 500ms, 30s, 5m, 2h";
  }
  if (!o.property.empty()) {
    const auto& known = sim::known_properties();
    if (std::find(known.begin(), known.end(), o.property) == known.end()) {
      std::string names;
      for (const auto& p : known) names += (names.empty() ? "" : ", ") + p;
      return "--property '" + o.property + "': no such property (" + names + ")";
    }
  }
  return "";
}

// The failing run as the options give it: its configuration, how it was given (for the
// written file) and its adapter command ("" for none).
struct FailingRun {
  sim::RunConfig config;
  std::string origin;
  std::string adapter;
};

std::optional<FailingRun> failing_run(const ShrinkOptions& o, std::string& error) {
  FailingRun out;
  if (!o.seed.empty()) {
    auto seed = parse_seed(o.seed);
    if (!seed) {
      error = "--seed '" + o.seed + "': expected an unsigned integer";
      return std::nullopt;
    }
    reports::ReplayContext replay;
    if (!build_run_config(o.run, out.config, replay, error)) return std::nullopt;
    out.config.seed = *seed;
    out.origin = "reckon run --seed " + o.seed + replay.extra_args;
    out.adapter = o.run.adapter;
    return out;
  }
  auto file = faults::read_decision_file(o.decisions, error);
  auto from_file = file ? run_config_from_decisions(*file, error) : std::nullopt;
  if (!from_file) return std::nullopt;
  out.config = *from_file;
  out.origin = "reckon replay --decisions " + o.decisions;
  out.adapter = file->adapter;
  return out;
}

// The shrunk run as a scenario file: expected to fail when a planted defect makes it fail
// forever, expected to pass (a regression test of a real bug) otherwise.
std::optional<std::string> shrunk_scenario(const sim::ShrinkResult& r, const FailingRun& failing,
                                           const std::string& property, const std::string& out_path,
                                           const std::string& with_adapter, std::string& error) {
  const std::string seed_text = std::to_string(failing.config.seed);
  sim::RunConfig shrunk = r.config;
  shrunk.expect = faults::Expectation{};
  if (shrunk.planted.any()) shrunk.expect = faults::Expectation{true, property};
  sim::ScenarioText text;
  text.seeds = seed_text + ".." + seed_text;
  text.description = "shrunk: " + property + " fails on seed " + seed_text + " with " +
                     std::to_string(r.after.decisions) + " fault decision" +
                     (r.after.decisions == 1 ? "" : "s");
  text.comment =
      "Written by reckon shrink from: " + failing.origin + "\nReproduce: reckon run --scenario " +
      out_path + " --seed " + seed_text + with_adapter + "\nIt fails with " + property +
      (shrunk.expect.fail ? " (a planted defect: [expect] says so)."
                          : " until the bug is fixed; then it guards against its return.");
  std::string toml;
  if (!sim::scenario_toml(shrunk, text, toml, error)) return std::nullopt;
  return toml;
}

// What the search did, as JSON (--format json) or for people.
void print_shrunk(const sim::ShrinkResult& r, uint64_t seed, const std::string& property,
                  double seconds, const std::string& out_path, const std::string& reproduce,
                  bool json) {
  const sim::Failure& failure =
      *std::find_if(r.run.failures.begin(), r.run.failures.end(),
                    [&](const sim::Failure& f) { return f.property == property; });
  if (json) {
    nlohmann::json j = {{"seed", seed},
                        {"property", property},
                        {"before", size_json(r.before)},
                        {"after", size_json(r.after)},
                        {"runs", r.runs},
                        {"seconds", seconds},
                        {"budget_ran_out", r.stopped_early},
                        {"scenario_file", out_path},
                        {"reproduce", reproduce},
                        {"failure",
                         {{"property", failure.property},
                          {"payment", failure.payment},
                          {"detail", failure.detail},
                          {"at_us", failure.at_us}}}};
    std::cout << j.dump(2) << "\n";
    return;
  }
  auto row = [](const char* what, auto before, auto after) {
    std::cout << "  " << std::left << std::setw(22) << what << std::right << std::setw(8) << before
              << " -> " << after << "\n";
  };
  std::cout << "shrunk seed " << seed << ": " << property << " still fails\n";
  row("fault decisions", r.before.decisions, r.after.decisions);
  row("clients", r.before.clients, r.after.clients);
  row("payments per client", r.before.payments, r.after.payments);
  row("trace events", r.before.trace_events, r.after.trace_events);
  std::cout << "  " << r.runs << " runs in " << std::fixed << std::setprecision(2) << seconds
            << " s" << (r.stopped_early ? " (the budget ran out: the smallest run so far)" : "")
            << "\n  FAILED " << failure.property
            << (failure.payment.empty() ? "" : " payment=" + failure.payment) << ": "
            << failure.detail << "\n  wrote " << out_path << "\n  reproduce: " << reproduce << "\n";
}

}  // namespace

int do_shrink(const ShrinkOptions& o) {
  const auto started = Clock::now();
  if (const std::string problem = options_problem(o); !problem.empty()) return bad_input(problem);
  std::string error;
  const std::optional<FailingRun> failing = failing_run(o, error);
  if (!failing) return bad_input(error);
  const sim::RunConfig& config = failing->config;
  // The shrunk scenario runs with the same adapter: a scenario file does not name one.
  const std::string with_adapter =
      failing->adapter.empty() ? "" : " --adapter " + shell_quoted(failing->adapter);
  const std::string seed_text = std::to_string(config.seed);
  const std::string out_path = o.out.empty() ? "shrunk-" + seed_text + ".toml" : o.out;

  const sim::RunResult failed = sim::run_simulation(config);
  if (failed.passed()) {
    std::cout << "seed " << seed_text << " passes (" << failing->origin
              << "): no property fails, so there is nothing to shrink\n";
    return kExitPropertyFailed;
  }
  const std::string property = o.property.empty() ? failed.failures.front().property : o.property;
  if (!sim::fails_with(failed, property)) {
    std::cout << "seed " << seed_text << " fails with " << failed.failures.front().property
              << ", not " << property << " (" << failing->origin << "): nothing to shrink for "
              << property << "\n";
    return kExitPropertyFailed;
  }

  std::function<bool()> stop;
  if (!o.budget.empty()) {
    const auto deadline = started + *parse_duration(o.budget);
    stop = [deadline] { return Clock::now() >= deadline; };
  }
  const sim::ShrinkResult r = sim::shrink_failure(config, failed, property, stop);
  if (!r.reproduced) {
    std::cout << "seed " << seed_text << ": replaying its recorded decisions does not fail with "
              << property << ", so it cannot be shrunk (a replay defect: please report it)\n";
    return kExitPropertyFailed;
  }
  const auto toml = shrunk_scenario(r, *failing, property, out_path, with_adapter, error);
  if (!toml) {
    std::cerr << "reckon shrink: " << error << "\n";
    return kExitBadInput;
  }
  if (!write_file_atomically(out_path, *toml)) {
    std::cerr << "reckon shrink: --out: cannot write '" << out_path << "'\n";
    return kExitBadInput;
  }
  if (!reproduces(out_path, config.seed, property, config.psp_route, error)) {
    std::cerr << "reckon shrink: " << error << " (" << out_path << "); please report it\n";
    return kExitPropertyFailed;
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  print_shrunk(r, config.seed, property, seconds, out_path,
               "reckon run --scenario " + out_path + " --seed " + seed_text + with_adapter,
               o.run.format == "json");
  return kExitPassed;
}

}  // namespace reckon::cli
