#include "reports/report.h"

#include <algorithm>

#include "engine/check.h"

namespace reckon::reports {
namespace {

nlohmann::json failure_json(const sim::Failure& f, uint64_t seed, const ReplayContext& replay) {
  return {{"property", f.property}, {"payment", f.payment},
          {"detail", f.detail},     {"at_us", f.at_us},
          {"seed", seed},           {"replay", replay.replay_command(seed)}};
}

nlohmann::json stats_json(const sim::RunStats& s) {
  return {{"orders", s.orders},
          {"authorized", s.authorized},
          {"captured", s.captured},
          {"declined", s.declined},
          {"abandoned", s.abandoned},
          {"unexpected_responses", s.unexpected_responses},
          {"engine_crashes", s.engine_crashes},
          {"fault_decisions", s.fault_decisions},
          {"psp_charges", s.psp_charges},
          {"psp_webhook_events", s.psp_webhook_events},
          {"psp_webhook_deliveries", s.psp_webhook_deliveries},
          {"webhook_retry_gaps_judged", s.webhook_retry_gaps_judged},
          {"psp_drives_judged", s.psp_drives_judged},
          {"ledger_entries", s.ledger_entries},
          {"events", s.events},
          {"messages", s.messages},
          {"virtual_duration_us", s.virtual_duration_us}};
}

}  // namespace

void print_divergence(std::ostream& out, const sim::TraceDivergence& d, const std::string& indent) {
  auto text = [](const std::string& line) { return line.empty() ? "(trace ended)" : line; };
  out << indent << "first divergent trace event #" << d.event_index << ":\n"
      << indent << "  first run:  " << text(d.first) << "\n"
      << indent << "  second run: " << text(d.second) << "\n";
}

std::string ReplayContext::replay_command(uint64_t seed) const {
  return "reckon run --seed " + std::to_string(seed) + extra_args;
}

nlohmann::json run_json(const sim::SeedOutcome& outcome, const ReplayContext& replay) {
  const auto& r = outcome.result;
  nlohmann::json failures = nlohmann::json::array();
  for (const auto& f : r.failures) failures.push_back(failure_json(f, r.seed, replay));
  nlohmann::json out = {{"seed", r.seed},
                        {"passed", r.passed() && outcome.deterministic},
                        {"trace_hash", r.trace_hash},
                        {"trace_lines", r.trace_lines},
                        {"payments", r.stats.orders},
                        {"stats", stats_json(r.stats)},
                        {"failures", failures},
                        {"transitions", run_transitions_json(r.transitions)}};
  if (outcome.determinism_checked) {
    out["determinism"] = {{"checked", true},
                          {"deterministic", outcome.deterministic},
                          {"second_trace_hash", outcome.second_trace_hash}};
    if (const auto& d = outcome.divergence) {
      out["determinism"]["divergence"] = {
          {"event_index", d->event_index}, {"first", d->first}, {"second", d->second}};
    }
  }
  return out;
}

nlohmann::json sweep_json(const sim::SweepResult& sweep, const ReplayContext& replay,
                          uint64_t first_seed, uint64_t last_seed) {
  SweepMeta meta;
  meta.first_seed = first_seed;
  meta.last_seed = last_seed;
  meta.planned = sweep.seeds.size();
  return sweep_json(sweep, replay, meta);
}

SweepReportBuilder::SweepReportBuilder(ReplayContext replay, bool log_runs)
    : replay_(std::move(replay)) {
  if (log_runs) runs_.emplace();
}

const RunLog& SweepReportBuilder::runs() const {
  RECKON_CHECK(runs_.has_value(), "runs() of a builder made with log_runs");
  return *runs_;
}

void SweepReportBuilder::add(const sim::SeedOutcome& outcome) {
  const auto& r = outcome.result;
  ++ran_;
  if (runs_) runs_->append(run_json(outcome, replay_));
  matrix_.add_run(r.transitions);
  payments_ += r.stats.orders;
  virtual_duration_us_ += r.stats.virtual_duration_us;
  failed_seeds_ += r.passed() ? 0 : 1;
  nondeterministic_seeds_ += outcome.deterministic ? 0 : 1;
  for (const auto& f : r.failures) failures_.push_back(failure_json(f, r.seed, replay_));
}

nlohmann::json SweepReportBuilder::report(const SweepMeta& meta) const {
  const uint64_t ran = ran_;
  nlohmann::json out = {
      {"schema_version", kJsonSchemaVersion},
      {"seeds", {{"first", meta.first_seed}, {"last", meta.last_seed}, {"count", ran}}},
      {"passed", failed_seeds_ == 0 && nondeterministic_seeds_ == 0},
      {"failed_seeds", failed_seeds_},
      {"nondeterministic_seeds", nondeterministic_seeds_},
      {"payments", payments_},
      {"failures", failures_}};
  // Added in issue 7 (schema_version stays 1: fields are only ever added).
  const uint64_t planned = std::max(meta.planned, ran);
  out["coverage"] = {{"planned", planned}, {"run", ran}, {"unrun", planned - ran}};
  // Added in issue 6: the transition x fault matrix (reports/transition_matrix.h).
  out["coverage"].update(matrix_.to_json());
  out["scenario"] = meta.scenario;
  if (!meta.config.is_null()) out["config"] = meta.config;
  if (meta.shard_count > 1) {
    out["shard"] = {{"index", meta.shard_index}, {"count", meta.shard_count}};
  }
  return out;
}

nlohmann::json sweep_json(const sim::SweepResult& sweep, const ReplayContext& replay,
                          const SweepMeta& meta) {
  SweepReportBuilder builder(replay, false);
  nlohmann::json runs = nlohmann::json::array();
  for (const auto& s : sweep.seeds) {
    builder.add(s);
    runs.push_back(run_json(s, replay));
  }
  nlohmann::json out = builder.report(meta);
  out["runs"] = std::move(runs);
  return out;
}

void add_expectation(nlohmann::json& report, const std::string& property) {
  bool met = false;
  for (const auto& f : report.at("failures")) met = met || f.at("property") == property;
  report["expect"] = {{"outcome", "fail"}, {"property", property}, {"met", met}};
}

void print_run(std::ostream& out, const sim::SeedOutcome& outcome, const ReplayContext& replay) {
  const auto& r = outcome.result;
  const auto& s = r.stats;
  out << "seed " << r.seed << ": " << (r.passed() ? "PASS" : "FAIL") << "\n"
      << "  payments " << s.orders << " (authorized " << s.authorized << ", captured " << s.captured
      << ", declined " << s.declined << ", abandoned " << s.abandoned << ")\n"
      << "  engine crashes " << s.engine_crashes << ", fault decisions " << s.fault_decisions
      << ", events " << s.events << ", virtual time " << s.virtual_duration_us / 1000 << " ms\n";
  for (const auto& f : r.failures) {
    out << "  FAILED " << f.property << " seed=" << r.seed
        << (f.payment.empty() ? "" : " payment=" + f.payment) << " at t=" << f.at_us << "us\n    "
        << f.detail << "\n    replay: " << replay.replay_command(r.seed) << "\n";
  }
  if (outcome.determinism_checked) {
    out << "  determinism: " << (outcome.deterministic ? "same hash twice" : "BROKEN, hashes ")
        << (outcome.deterministic ? "" : r.trace_hash + " / " + outcome.second_trace_hash) << "\n";
    if (outcome.divergence) print_divergence(out, *outcome.divergence, "    ");
  }
  out << "trace hash " << r.trace_hash << "\n";
}

void print_sweep_summary(std::ostream& out, const sim::SweepResult& sweep,
                         const ReplayContext& replay) {
  int payments = 0;
  uint64_t crashes = 0;
  uint64_t decisions = 0;
  for (const auto& s : sweep.seeds) {
    payments += s.result.stats.orders;
    crashes += s.result.stats.engine_crashes;
    decisions += s.result.stats.fault_decisions;
  }
  out << "\nsweep summary\n"
      << "  seeds            " << sweep.seeds.size() << "\n"
      << "  passed           " << sweep.seeds.size() - static_cast<size_t>(sweep.failed_seeds())
      << "\n"
      << "  failed           " << sweep.failed_seeds() << "\n"
      << "  nondeterministic " << sweep.nondeterministic_seeds() << "\n"
      << "  payments         " << payments << "\n"
      << "  engine crashes   " << crashes << "\n"
      << "  fault decisions  " << decisions << "\n";
  for (const auto& s : sweep.seeds) {
    for (const auto& f : s.result.failures) {
      out << "FAILED " << f.property << " seed=" << s.result.seed
          << (f.payment.empty() ? "" : " payment=" + f.payment) << ": " << f.detail
          << "\n  replay: " << replay.replay_command(s.result.seed) << "\n";
    }
    if (!s.deterministic) {
      out << "NONDETERMINISTIC seed=" << s.result.seed << ": " << s.result.trace_hash << " / "
          << s.second_trace_hash << "\n";
      if (s.divergence) print_divergence(out, *s.divergence, "  ");
      out << "  replay: " << replay.replay_command(s.result.seed) << " --check-determinism\n";
    }
  }
}

}  // namespace reckon::reports
