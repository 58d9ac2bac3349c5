#include "reports/console.h"

#include <cstdio>
#include <map>
#include <string>
#include <vector>

namespace reckon::reports {
namespace {

constexpr int kBarWidth = 24;
constexpr auto kRedrawEvery = std::chrono::milliseconds(100);

std::string format_seconds(double s) {
  char buf[32];
  if (s < 60) {
    std::snprintf(buf, sizeof buf, "%.0fs", s);
  } else if (s < 3600) {
    std::snprintf(buf, sizeof buf, "%dm%02ds", static_cast<int>(s) / 60, static_cast<int>(s) % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%dh%02dm", static_cast<int>(s) / 3600,
                  static_cast<int>(s) % 3600 / 60);
  }
  return buf;
}

void print_failure_lines(std::ostream& out, const sim::SeedOutcome& s,
                         const ReplayContext& replay) {
  for (const auto& f : s.result.failures) {
    out << "FAILED " << f.property << " seed=" << s.result.seed
        << (f.payment.empty() ? "" : " payment=" + f.payment) << ": " << f.detail
        << "\n  replay: " << replay.replay_command(s.result.seed) << "\n";
  }
}

}  // namespace

SweepProgress::SweepProgress(std::ostream& out, bool terminal, uint64_t planned,
                             ReplayContext replay,
                             std::optional<std::chrono::steady_clock::time_point> deadline)
    : out_(out),
      terminal_(terminal),
      planned_(planned),
      replay_(std::move(replay)),
      deadline_(deadline),
      start_(std::chrono::steady_clock::now()) {}

double SweepProgress::elapsed_seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void SweepProgress::seed_done(const sim::SeedOutcome& s) {
  ++done_;
  const bool ok = s.result.passed() && s.deterministic;
  if (!ok) ++failed_;
  if (!terminal_) {
    // The plain line a CI log keeps; its format predates the progress bar (a contract).
    out_ << "seed " << s.result.seed << " " << (ok ? "pass" : "FAIL") << " hash "
         << s.result.trace_hash << "\n";
    return;
  }
  if (!ok) {
    out_ << "\r\x1b[K";
    print_failure_lines(out_, s, replay_);
    if (!s.deterministic) out_ << "NONDETERMINISTIC seed=" << s.result.seed << "\n";
  }
  draw(!ok || done_ == planned_);
}

void SweepProgress::draw(bool force) {
  const auto now = std::chrono::steady_clock::now();
  if (!force && now - last_draw_ < kRedrawEvery) return;
  last_draw_ = now;
  const double elapsed = elapsed_seconds();
  const double rate = elapsed > 0 ? static_cast<double>(done_) / elapsed : 0;
  double left = rate > 0 ? static_cast<double>(planned_ - done_) / rate : 0;
  if (deadline_) {
    left = std::min(left, std::max(0.0, std::chrono::duration<double>(*deadline_ - now).count()));
  }
  const int filled = planned_ == 0
                         ? kBarWidth
                         : static_cast<int>(done_ * kBarWidth / std::max<uint64_t>(planned_, 1));
  char line[256];
  std::snprintf(line, sizeof line,
                "\r[%s%s] %llu/%llu seeds  %llu failed  %.1f seeds/s  ~%s left\x1b[K",
                std::string(static_cast<size_t>(filled), '#').c_str(),
                std::string(static_cast<size_t>(kBarWidth - filled), '.').c_str(),
                static_cast<unsigned long long>(done_), static_cast<unsigned long long>(planned_),
                static_cast<unsigned long long>(failed_), rate, format_seconds(left).c_str());
  out_ << line << std::flush;
}

void SweepProgress::finish() {
  if (terminal_) out_ << "\r\x1b[K" << std::flush;
}

void print_summary(std::ostream& out, const nlohmann::json& report, const RunLog* runs) {
  const std::string scenario = report.value("scenario", "default");
  uint64_t crashes = 0;
  uint64_t decisions = 0;
  // Only the runs whose two traces differed are listed; the rest are counted.
  std::vector<nlohmann::json> nondeterministic;
  for_each_run(report, runs, [&](const nlohmann::json& run) {
    crashes += run.at("stats").at("engine_crashes").get<uint64_t>();
    decisions += run.at("stats").at("fault_decisions").get<uint64_t>();
    if (run.contains("determinism") && !run["determinism"].at("deterministic").get<bool>()) {
      nondeterministic.push_back(run);
    }
  });
  const uint64_t count = report.at("seeds").at("count").get<uint64_t>();
  const int failed = report.at("failed_seeds").get<int>();
  // The first lines keep the format of the original summary: scripts grep them.
  out << "\nsweep summary\n"
      << "  seeds            " << count << "\n"
      << "  passed           " << count - static_cast<uint64_t>(failed) << "\n"
      << "  failed           " << failed << "\n"
      << "  nondeterministic " << report.at("nondeterministic_seeds").get<int>() << "\n"
      << "  payments         " << report.at("payments").get<int>() << "\n"
      << "  engine crashes   " << crashes << "\n"
      << "  fault decisions  " << decisions << "\n";
  if (report.contains("coverage")) {
    const auto& c = report["coverage"];
    out << "  planned          " << c.at("planned").get<uint64_t>() << "\n"
        << "  unrun            " << c.at("unrun").get<uint64_t>()
        << (c.at("unrun").get<uint64_t>() > 0 ? "  (time budget ran out)" : "") << "\n";
  }
  out << "  scenario         " << scenario << "\n";
  if (report.contains("coverage")) print_coverage_line(out, report["coverage"]);
  if (report.contains("shard")) {
    out << "  shard            " << report["shard"].at("index").get<uint64_t>() << "/"
        << report["shard"].at("count").get<uint64_t>() << "\n";
  }
  std::map<std::string, int> per_property;
  for (const auto& f : report.at("failures")) ++per_property[f.at("property").get<std::string>()];
  if (!per_property.empty()) {
    out << "\n  property               failures\n";
    for (const auto& [name, n] : per_property) {
      char row[96];
      std::snprintf(row, sizeof row, "  %-22s %d\n", name.c_str(), n);
      out << row;
    }
  }
  for (const auto& f : report.at("failures")) {
    const std::string payment = f.at("payment").get<std::string>();
    out << "FAILED " << f.at("property").get<std::string>() << " seed=" << f.at("seed")
        << (payment.empty() ? "" : " payment=" + payment) << ": "
        << f.at("detail").get<std::string>() << "\n  scenario: " << scenario
        << "\n  replay: " << f.at("replay").get<std::string>() << "\n";
  }
  for (const auto& run : nondeterministic) {
    const uint64_t seed = run.at("seed").get<uint64_t>();
    std::string replay = "reckon run --seed " + std::to_string(seed);
    if (report.contains("config")) replay += report["config"].value("replay_args", "");
    out << "NONDETERMINISTIC seed=" << seed << ": " << run.at("trace_hash").get<std::string>()
        << " / " << run["determinism"].at("second_trace_hash").get<std::string>() << "\n";
    if (run["determinism"].contains("divergence")) {
      const auto& d = run["determinism"]["divergence"];
      print_divergence(
          out,
          sim::TraceDivergence{d.at("event_index").get<uint64_t>(),
                               d.at("first").get<std::string>(), d.at("second").get<std::string>()},
          "  ");
    }
    out << "  scenario: " << scenario << "\n  replay: " << replay << " --check-determinism\n";
  }
}

namespace {

std::string transition_name(const nlohmann::json& t) {
  return t.at("from").get<std::string>() + " -> " + t.at("to").get<std::string>();
}

}  // namespace

void print_coverage_line(std::ostream& out, const nlohmann::json& coverage) {
  if (!coverage.contains("transitions")) return;
  // A suite's coverage counts only its scenarios without a planted defect (a defect's
  // transitions are not the engine's): with none of those there is nothing to count.
  if (coverage.contains("scenarios") && coverage.at("scenarios").get<int64_t>() == 0) {
    out << "  transitions      not counted (no scenario without a planted defect ran)\n";
    return;
  }
  int legal = 0;
  int seen = 0;
  for (const auto& t : coverage.at("transitions")) {
    if (!t.at("legal").get<bool>()) continue;
    ++legal;
    seen += t.at("count").get<int64_t>() > 0 ? 1 : 0;
  }
  out << "  transitions      " << seen << " of " << legal << " legal ones occurred, under "
      << coverage.at("fault_kinds").size() << " fault kind(s) (--coverage-matrix shows them)\n";
  std::string missing;
  for (const auto& t : coverage.at("uncovered")) {
    missing += (missing.empty() ? "" : ", ") + transition_name(t);
  }
  if (!missing.empty()) out << "  never occurred   " << missing << "\n";
}

void print_transition_matrix(std::ostream& out, const nlohmann::json& coverage) {
  if (!coverage.contains("transitions")) return;
  const auto kinds = coverage.at("fault_kinds").get<std::vector<std::string>>();
  auto letter = [](size_t i) {
    return i < 26 ? std::string(1, static_cast<char>('A' + i)) : "Z" + std::to_string(i - 25);
  };
  out << "\ntransition x fault kind (occurrences; a kind counts when it was injected while the "
         "charge was live)\n";
  char cell[128];
  std::snprintf(cell, sizeof cell, "  %-24s %7s %5s %7s", "transition", "total", "runs", "no-flt");
  out << cell;
  for (size_t i = 0; i < kinds.size(); ++i) {
    std::snprintf(cell, sizeof cell, " %5s", letter(i).c_str());
    out << cell;
  }
  out << "\n";
  for (const auto& t : coverage.at("transitions")) {
    const std::string name = transition_name(t) + (t.at("legal").get<bool>() ? "" : " (ILLEGAL)");
    std::snprintf(cell, sizeof cell, "  %-24s %7lld %5lld %7lld", name.c_str(),
                  static_cast<long long>(t.at("count").get<int64_t>()),
                  static_cast<long long>(t.at("runs").get<int64_t>()),
                  static_cast<long long>(t.at("fault_free").get<int64_t>()));
    out << cell;
    for (const auto& kind : kinds) {
      const int64_t n = t.at("under").value(kind, int64_t{0});
      if (n == 0) {
        out << "     .";
      } else {
        std::snprintf(cell, sizeof cell, " %5lld", static_cast<long long>(n));
        out << cell;
      }
    }
    out << "\n";
  }
  for (size_t i = 0; i < kinds.size(); ++i) {
    out << (i % 4 == 0 ? "  " : "   ") << letter(i) << " " << kinds[i]
        << (i % 4 == 3 || i + 1 == kinds.size() ? "\n" : "");
  }
}

}  // namespace reckon::reports
