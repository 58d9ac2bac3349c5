#include "sim/settlement.h"

#include <algorithm>
#include <sstream>

#include "sim/properties.h"

namespace reckon::sim {
namespace {

std::string describe(const ExpectedDiscrepancy& d) {
  return d.cls + " " + d.type + " " + d.merchant_reference;
}

}  // namespace

void check_reconciliation(const PspNode& psp, const PspEndpoint& endpoint, FaultInjector& faults,
                          const faults::SettlementFaults& plan, engine::PaymentEngine& engine,
                          const engine::PlantedDefects& planted, int64_t epoch_unix_us,
                          TimeUs clock_tolerance_us, TimeUs now_us, Trace& trace,
                          std::vector<Failure>& failures) {
  SettlementRun run = write_settlement_reports(psp, endpoint, faults, plan, epoch_unix_us);
  std::vector<std::istringstream> streams;
  streams.reserve(run.reports.size());
  std::vector<engine::ReportInput> inputs;
  for (const auto& r : run.reports) {
    streams.emplace_back(r.csv);
    inputs.push_back(engine::ReportInput{r.name, &streams.back()});
    const auto lines = std::count(r.csv.begin(), r.csv.end(), '\n') - 1;
    trace.record(now_us, "psp", "settlement_report",
                 "name=" + r.name + " lines=" + std::to_string(lines));
  }
  engine::ReconcileOptions options;
  options.cutoff_us_of_day = plan.cutoff_ms * 1000;
  options.fee_bps = plan.fee_bps;
  options.engine_epoch_unix_us = epoch_unix_us;
  if (run.last_day >= run.first_day) {
    options.first_day = run.first_day;
    options.last_day = run.last_day;
  }
  options.clock_tolerance_us = clock_tolerance_us;
  options.now_us = now_us;
  options.planted = planted;
  std::vector<ExpectedDiscrepancy> found;
  auto sink = [&](const engine::Discrepancy& d) {
    const std::string type = d.type;
    found.push_back(
        ExpectedDiscrepancy{std::string(engine::to_string(d.cls)), d.merchant_reference, type});
    trace.record(now_us, "engine-0", "reconcile",
                 "class=" + std::string(engine::to_string(d.cls)) + " type=" + d.type +
                     " ref=" + d.merchant_reference);
  };
  const engine::ReconcileResult result = engine::reconcile(engine.db(), inputs, options, sink);
  trace.record(now_us, "engine-0", "reconciled",
               "lines=" + std::to_string(result.summary.lines) +
                   " discrepancies=" + std::to_string(result.summary.discrepancies) +
                   " booked=" + std::to_string(result.summary.transactions_booked));
  if (!result.ok) {
    const std::string why =
        result.csv_error ? result.csv_report + ": " + result.csv_error->str() : result.error;
    failures.push_back(
        Failure{kReconciliationExact, "", "the reconciliation job failed: " + why, now_us});
    return;
  }
  std::sort(found.begin(), found.end());
  std::sort(run.injected.begin(), run.injected.end());
  std::vector<ExpectedDiscrepancy> false_positives;
  std::vector<ExpectedDiscrepancy> false_negatives;
  std::set_difference(found.begin(), found.end(), run.injected.begin(), run.injected.end(),
                      std::back_inserter(false_positives));
  std::set_difference(run.injected.begin(), run.injected.end(), found.begin(), found.end(),
                      std::back_inserter(false_negatives));
  if (false_positives.empty() && false_negatives.empty()) return;
  std::string detail = "the job flagged " + std::to_string(found.size()) + " discrepancies, " +
                       std::to_string(run.injected.size()) + " were injected";
  std::string payment;
  if (!false_negatives.empty()) {
    detail += "; not flagged (or misclassified): " + describe(false_negatives.front());
    payment = false_negatives.front().merchant_reference;
  }
  if (!false_positives.empty()) {
    detail += "; flagged but not injected: " + describe(false_positives.front());
    if (payment.empty()) payment = false_positives.front().merchant_reference;
  }
  detail += " (" + std::to_string(false_negatives.size()) + " missed, " +
            std::to_string(false_positives.size()) + " extra)";
  failures.push_back(Failure{kReconciliationExact, payment, detail, now_us});
}

}  // namespace reckon::sim
