// reckon reconcile --db FILE --report FILE.csv...: runs the engine's reconciliation job over
// settlement reports (docs/reconciliation.md), books fees and corrections in the database's
// ledger and prints every discrepancy. Exit 0 when it ran (discrepancies are in the output),
// 2 on bad input: a malformed report (naming line and column) or a missing database.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "engine/reconcile/reconciler.h"
#include "engine/store/db.h"

namespace reckon::cli {
namespace {

int bad_input(const std::string& message) {
  std::cerr << "reckon reconcile: " << message << "\n";
  return kExitBadInput;
}

// "HH:MM" or "HH:MM:SS" -> microseconds after midnight.
std::optional<int64_t> parse_cutoff(const std::string& text) {
  if (text.size() != 5 && text.size() != 8) return std::nullopt;
  auto digits2 = [&](size_t at) -> std::optional<int64_t> {
    if (text[at] < '0' || text[at] > '9' || text[at + 1] < '0' || text[at + 1] > '9') {
      return std::nullopt;
    }
    return (text[at] - '0') * 10 + (text[at + 1] - '0');
  };
  const auto h = digits2(0);
  const auto m = digits2(3);
  const auto s = text.size() == 8 ? digits2(6) : std::optional<int64_t>(0);
  if (text[2] != ':' || (text.size() == 8 && text[5] != ':') || !h || !m || !s || *h > 23 ||
      *m > 59 || *s > 59) {
    return std::nullopt;
  }
  return ((*h * 60 + *m) * 60 + *s) * 1'000'000;
}

// The database must exist and be an engine database: reconcile never creates one.
std::string check_engine_db(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return "--db '" + path + "': no such file";
  engine::Status status;
  const auto db = engine::Db::open_read_only(path, status);
  if (!db) return "--db '" + path + "': cannot open it";
  engine::Statement* tables = db->try_prepare(
      "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
      "name IN ('charges', 'operations', 'ledger_entries')",
      status);
  if (tables == nullptr) return "--db '" + path + "': not a SQLite database";
  const int64_t found = tables->step() == SQLITE_ROW ? tables->column_int(0) : 0;
  tables->reset();
  if (found != 3) return "--db '" + path + "': not an engine database (no charges/ledger tables)";
  return "";
}

nlohmann::json to_json(const engine::Discrepancy& d) {
  return {{"class", engine::to_string(d.cls)},
          {"report", d.report},
          {"line", d.line},
          {"psp_reference", d.psp_reference},
          {"merchant_reference", d.merchant_reference},
          {"type", d.type},
          {"currency", d.currency},
          {"detail", d.detail}};
}

// The first report that cannot be read, or not twice (a pipe: engine::reconcile reads each
// report through before the job starts, then again), named; empty when all can. Whether
// each is a well-formed settlement file, engine::reconcile judges before anything is
// reported.
std::string first_unreadable_report(const std::vector<std::string>& reports) {
  for (const auto& path : reports) {
    if (!std::ifstream(path, std::ios::binary)) {
      return "--report '" + path + "': cannot read the file";
    }
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
      return "--report '" + path + "': not a regular file (each report is read twice)";
    }
  }
  return "";
}

// The run's counts, after the discrepancies: closes the JSON document the discrepancies
// opened (`first`: none was printed), or one line of text.
void print_summary(const engine::ReconcileSummary& s, bool json, bool first) {
  if (json) {
    nlohmann::json counts = nlohmann::json::object();
    for (int c = 0; c < engine::kReconClassCount; ++c) {
      counts[std::string(engine::to_string(static_cast<engine::ReconClass>(c)))] =
          s.by_class[static_cast<size_t>(c)];
    }
    nlohmann::json summary = {{"lines", s.lines},
                              {"payout_lines", s.payout_lines},
                              {"discrepancies", s.discrepancies},
                              {"by_class", counts},
                              {"transactions_booked", s.transactions_booked},
                              {"lines_already_booked", s.lines_already_booked}};
    std::cout << (first ? "" : "\n") << "], \"summary\": " << summary.dump() << "}\n";
  } else {
    std::cout << "reconciled " << s.lines
              << " lines: " << s.by_class[static_cast<size_t>(engine::ReconClass::kMatched)]
              << " matched, " << s.discrepancies << " discrepancies; booked "
              << s.transactions_booked << " transactions (" << s.lines_already_booked
              << " lines booked before)\n";
  }
}

}  // namespace

int do_reconcile(const ReconcileOptions& o) {
  if (o.reports.empty()) return bad_input("--report: at least one report is needed");
  const auto cutoff = parse_cutoff(o.cutoff);
  if (!cutoff) return bad_input("--cutoff '" + o.cutoff + "': expected HH:MM or HH:MM:SS (UTC)");
  if (o.fee_bps < 0 || o.fee_bps > 10'000) return bad_input("--fee-bps: must be 0..10000");
  if (o.clock_tolerance_ms < 0 || o.clock_tolerance_ms > 86'400'000) {
    return bad_input("--clock-tolerance-ms: must be 0..86400000 (at most a day)");
  }
  if (const std::string problem = check_engine_db(o.db); !problem.empty()) {
    return bad_input(problem);
  }
  if (const std::string problem = first_unreadable_report(o.reports); !problem.empty()) {
    return bad_input(problem);
  }
  engine::Status status;
  auto db = engine::Db::open(o.db, "", status);
  if (!db) return bad_input("--db '" + o.db + "': " + status.message);
  std::vector<std::unique_ptr<std::ifstream>> files;
  std::vector<engine::ReportInput> inputs;
  for (const auto& path : o.reports) {
    files.push_back(std::make_unique<std::ifstream>(path, std::ios::binary));
    inputs.push_back(engine::ReportInput{path, files.back().get()});
  }
  engine::ReconcileOptions options;
  options.cutoff_us_of_day = *cutoff;
  options.fee_bps = o.fee_bps;
  options.clock_tolerance_us = o.clock_tolerance_ms * 1000;
  options.now_us = std::chrono::duration_cast<std::chrono::microseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  const bool json = o.format == "json";
  bool first = true;  // no discrepancy printed yet (nor, in JSON, the document's opening)
  constexpr const char* kJsonOpening = "{\"discrepancies\": [";
  auto sink = [&](const engine::Discrepancy& d) {
    if (json) {
      std::cout << (first ? std::string(kJsonOpening) + "\n  " : ",\n  ") << to_json(d).dump();
    } else {
      std::cout << engine::to_string(d.cls) << "  ";
      if (d.line > 0) std::cout << d.report << ":" << d.line << "  ";
      std::cout << d.type << " " << d.merchant_reference << " (" << d.psp_reference
                << "): " << d.detail << "\n";
    }
    first = false;
  };
  const engine::ReconcileResult result = engine::reconcile(*db, inputs, options, sink);
  // A malformed report is found before anything is reported: stdout stays empty.
  if (result.csv_error) return bad_input(result.csv_report + ": " + result.csv_error->str());
  if (!result.ok) {
    if (json) std::cout << (first ? kJsonOpening : "") << "\n]}\n";
    std::cerr << "reckon reconcile: nothing was booked: " << result.error << "\n";
    return kExitPropertyFailed;
  }
  if (json && first) std::cout << kJsonOpening;
  print_summary(result.summary, json, first);
  return kExitPassed;
}

}  // namespace reckon::cli
