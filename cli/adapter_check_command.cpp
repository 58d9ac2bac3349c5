// reckon adapter-check: a PSP adapter against the simulated provider (adapters/).
#include "cli/adapter_check_command.h"

#include <chrono>
#include <iostream>

#include "adapters/check.h"
#include "adapters/judge.h"
#include "adapters/process_link.h"
#include "cli/exit_codes.h"
#include "cli/report_outputs.h"
#include "cli/seed_range.h"

namespace reckon::cli {
namespace {

using adapters::BehaviourResult;
using adapters::Status;

int bad_input(const std::string& message) {
  std::cerr << "reckon adapter-check: " << message << "\n";
  return kExitBadInput;
}

void print_result(const BehaviourResult& r) {
  switch (r.status) {
    case Status::kPassed:
      std::cout << "PASS " << r.behaviour->name << "\n";
      break;
    case Status::kFailed:
      std::cout << "FAIL " << r.behaviour->name << "  seed=" << (r.seed ? *r.seed : 0) << "  "
                << r.detail << "\n";
      break;
    case Status::kSkipped:
      std::cout << "SKIP " << r.behaviour->name << "  (" << r.detail << ")\n";
      break;
    case Status::kNotRun:
      std::cout << "---- " << r.behaviour->name << "  not run\n";
      break;
  }
  std::cout.flush();
}

int list_behaviours() {
  for (const auto& b : adapters::all_behaviours()) {
    std::cout << b.name << "  [" << b.group << "]  " << b.what << "\n";
  }
  return kExitPassed;
}

// Payments (an authorization, then its capture) per second through the protocol, on a quiet
// network: the cost of the JSON round trips and the simulated provider.
int bench(const AdapterCheckOptions& o) {
  adapters::ProcessLink link(o.adapter, o.reply_timeout_ms, o.start_timeout_ms);
  const adapters::Capabilities caps = adapters::handshake(link);
  adapters::Session s(link, caps, 1, adapters::quiet_adapter_plan());
  s.keep_transcript(false);
  const auto start = std::chrono::steady_clock::now();
  int failed = 0;
  for (int i = 0; i < o.bench; ++i) {
    const adapters::OpRun a = s.run(adapters::authorize_op(s, 1999, "USD", false));
    const adapters::OpRun c =
        s.run(adapters::capture_op(s, a.text("authorization_id"), 1999, "USD", 1999));
    failed += a.outcome == "succeeded" && c.outcome == "succeeded" ? 0 : 1;
  }
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  link.finish();
  std::cout << "bench: " << o.bench << " payments (authorize + capture, " << 2 * o.bench
            << " operations) in " << static_cast<int64_t>(ms)
            << " ms: " << static_cast<int64_t>(o.bench * 1000.0 / ms) << " payments/s"
            << (failed ? ", " + std::to_string(failed) + " did not succeed" : "") << "\n";
  return failed ? kExitPropertyFailed : kExitPassed;
}

}  // namespace

CLI::App* add_adapter_check_command(CLI::App& app, AdapterCheckOptions& o) {
  auto* cmd = app.add_subcommand(
      "adapter-check", "Check a PSP adapter's conformance against the simulated provider");
  cmd->add_option("--adapter", o.adapter,
                  "The adapter's command, run with /bin/sh -c (docs/adapters.md)");
  cmd->add_option("--seeds", o.seeds, "Seed range A..B, inclusive (default 1..10)");
  cmd->add_option("--report", o.report, "Write the JSON report to FILE");
  cmd->add_option("--junit", o.junit, "Write JUnit XML to FILE");
  cmd->add_option("--reply-timeout-ms", o.reply_timeout_ms,
                  "Wall-clock limit on each answer from the adapter (default 10000)")
      ->check(CLI::Range(1, 3'600'000));
  cmd->add_option("--start-timeout-ms", o.start_timeout_ms,
                  "Wall-clock limit on the handshake answer, for slow starters (default 30000)")
      ->check(CLI::Range(1, 3'600'000));
  cmd->add_option("--only", o.only, "Run only this behaviour (repeatable)");
  cmd->add_flag("--list", o.list, "List the behaviours and what each checks");
  cmd->add_option("--bench", o.bench, "Measure payments per second over N payments instead")
      ->check(CLI::Range(1, 100'000'000));
  return cmd;
}

int do_adapter_check(const AdapterCheckOptions& o) {
  if (o.list) return list_behaviours();
  if (o.adapter.empty()) return bad_input("--adapter CMD is required");
  std::string error;
  const auto seeds = parse_seed_range(o.seeds, error);
  if (!seeds) return bad_input(error);
  adapters::CheckOptions options{seeds->first, seeds->last, o.only};
  for (const auto& name : o.only) {
    bool known = false;
    for (const auto& b : adapters::all_behaviours()) known = known || b.name == name;
    if (!known) return bad_input("--only '" + name + "': no such behaviour (see --list)");
  }
  OutputPaths paths{o.report, o.junit, ""};
  if (!check_writable(paths, error)) return bad_input(error);
  if (o.bench > 0) {
    try {
      return bench(o);
    } catch (const adapters::AdapterError& e) {
      return bad_input(std::string("bad adapter: ") + e.what());
    }
  }
  std::optional<adapters::CheckResult> result;
  try {
    adapters::ProcessLink link(o.adapter, o.reply_timeout_ms, o.start_timeout_ms);
    result = adapters::run_check(link, options, print_result);
    if (!result->adapter_error) link.finish();
  } catch (const adapters::AdapterError& e) {
    return bad_input(std::string("bad adapter: ") + e.what());
  }
  const adapters::CheckResult& r = *result;
  if (r.caps) {
    std::cout << r.results.size() << " behaviours (adapter '" << r.caps->adapter_name << "', seeds "
              << seeds->first << ".." << seeds->last << "): " << r.count(Status::kPassed)
              << " passed, " << r.count(Status::kFailed) << " failed, " << r.count(Status::kSkipped)
              << " skipped"
              << (r.count(Status::kNotRun)
                      ? ", " + std::to_string(r.count(Status::kNotRun)) + " not run"
                      : "")
              << "\n";
  }
  if (!o.report.empty() &&
      !write_file_atomically(
          o.report, check_report_json(r, options, o.adapter)
                            .dump(2, ' ', false, nlohmann::json::error_handler_t::replace) +
                        "\n")) {
    return bad_input("--report '" + o.report + "': cannot write the file");
  }
  if (!o.junit.empty() && !write_file_atomically(o.junit, check_report_junit(r, o.adapter))) {
    return bad_input("--junit '" + o.junit + "': cannot write the file");
  }
  if (r.adapter_error) {
    std::cerr << "reckon adapter-check: bad adapter: " << *r.adapter_error;
    if (!r.error_behaviour.empty()) {
      std::cerr << "\n  during behaviour " << r.error_behaviour << ", seed "
                << (r.error_seed ? *r.error_seed : 0);
    }
    std::cerr << "\n";
    return kExitBadInput;
  }
  return r.passed() ? kExitPassed : kExitPropertyFailed;
}

}  // namespace reckon::cli
