// reckon history --db FILE: the sweeps recorded with --history, and what the latest one says
// against the earlier ones (new, still-failing and fixed failures); --seed N: one seed's
// record over time.
#include <ctime>
#include <iostream>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/history_record.h"
#include "cli/seed_range.h"

namespace reckon::cli {
namespace {

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string what_ran(const nlohmann::json& sweep) {
  const std::string suite = sweep.at("suite").get<std::string>();
  return suite.empty() ? sweep.at("scenario").get<std::string>() : "suite " + suite;
}

void print_sweeps(std::ostream& out, const nlohmann::json& sweeps) {
  out << "sweeps (newest first)\n";
  for (const auto& s : sweeps) {
    std::string plants;
    for (const auto& p : s.at("plants")) plants += " --plant " + p.get<std::string>();
    out << "  #" << s.at("id").get<int64_t>() << "  " << s.at("started_utc").get<std::string>()
        << "  "
        << (s.at("label").get<std::string>().empty() ? "-" : s.at("label").get<std::string>())
        << "  " << what_ran(s) << " seeds " << s["seeds"].at("first").get<uint64_t>() << ".."
        << s["seeds"].at("last").get<uint64_t>() << plants << "  passed "
        << s.at("passed_seeds").get<int64_t>() << ", failed " << s.at("failed_seeds").get<int64_t>()
        << (s.at("unrun_seeds").get<int64_t>() > 0
                ? ", unrun " + std::to_string(s.at("unrun_seeds").get<int64_t>())
                : "")
        << "\n";
  }
}

void print_seed_record(std::ostream& out, uint64_t seed, const nlohmann::json& record) {
  out << "seed " << seed << ": " << record.size() << " results\n";
  for (const auto& r : record) {
    out << "  #" << r.at("sweep_id").get<int64_t>() << "  "
        << r.at("started_utc").get<std::string>() << "  "
        << (r.at("label").get<std::string>().empty() ? "-" : r.at("label").get<std::string>())
        << "  " << r.at("scenario").get<std::string>() << "  "
        << (r.at("passed").get<bool>() ? "pass" : "FAIL " + r.at("property").get<std::string>())
        << (r.at("expected_failure").get<bool>() ? " (negative scenario)" : "") << "  trace hash "
        << r.at("trace_hash").get<std::string>() << "\n";
  }
}

}  // namespace

std::unique_ptr<reports::History> open_history_for_sweep(const std::string& path,
                                                         std::string& error) {
  auto history = reports::History::open(path, true, error);
  if (!history) error = "--history " + error;
  return history;
}

bool record_history(reports::History& history, nlohmann::json& report, const std::string& label,
                    std::string& error, const reports::RunLog* runs) {
  auto id = history.record(report, utc_now(), label, error, runs);
  if (!id) {
    error = "--history " + error;
    return false;
  }
  report["history"] = history.compare(*id);
  return true;
}

int do_history(const HistoryOptions& o) {
  std::string error;
  auto history = reports::History::open(o.db, false, error);
  if (!history) {
    std::cerr << "reckon history: --db " << error << "\n";
    return kExitBadInput;
  }
  const bool text = o.format == "text";
  if (!o.seed.empty()) {
    auto seed = parse_seed(o.seed);
    if (!seed) {
      std::cerr << "reckon history: --seed '" << o.seed << "': expected an unsigned integer\n";
      return kExitBadInput;
    }
    const nlohmann::json record = history->seed_record(*seed, o.scenario);
    if (text) {
      print_seed_record(std::cout, *seed, record);
    } else {
      // replace: a damaged file's text need not be UTF-8 (found by fuzzing).
      std::cout << nlohmann::json({{"seed", *seed}, {"scenario", o.scenario}, {"results", record}})
                       .dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
                << "\n";
    }
    return kExitPassed;
  }
  nlohmann::json out = {{"sweeps", history->sweeps(o.last)}};
  const auto latest = history->latest_sweep();
  out["latest"] = latest ? history->compare(*latest) : nlohmann::json(nullptr);
  if (!text) {
    std::cout << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return kExitPassed;
  }
  if (!latest) {
    std::cout << "no sweeps recorded in '" << o.db << "'\n";
    return kExitPassed;
  }
  print_sweeps(std::cout, out["sweeps"]);
  reports::print_history_comparison(std::cout, out["latest"]);
  return kExitPassed;
}

}  // namespace reckon::cli
