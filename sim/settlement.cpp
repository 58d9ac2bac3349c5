#include "sim/settlement.h"

#include <algorithm>
#include <array>
#include <map>
#include <sstream>

#include "engine/check.h"
#include "engine/money.h"
#include "engine/reconcile/settlement_csv.h"
#include "sim/properties.h"

namespace reckon::sim {
namespace {

using engine::DecimalAmount;
using engine::ReconClass;
using engine::SettlementType;

// The currency table's codes, for the wrong-currency fault (index = decision value).
constexpr std::array<std::string_view, 14> kCurrencyCodes{"AUD", "BHD", "CAD", "CHF", "EUR",
                                                          "GBP", "JOD", "JPY", "KRW", "KWD",
                                                          "NOK", "OMR", "SEK", "USD"};

constexpr int64_t kUsPerDay = 86'400'000'000;

struct Line {
  std::string psp_reference;
  std::string merchant_reference;
  std::string type;
  DecimalAmount gross;
  DecimalAmount fee;
  DecimalAmount net;
  std::string currency;
  int64_t day = 0;
  int64_t event_unix_us = 0;
};

std::string csv_line(const Line& l) {
  return l.psp_reference + "," + l.merchant_reference + "," + l.type + "," +
         engine::format_decimal(l.gross) + "," + engine::format_decimal(l.fee) + "," +
         engine::format_decimal(l.net) + "," + l.currency + "," + engine::format_date(l.day) + "," +
         engine::format_timestamp(l.event_unix_us) + "\n";
}

// The day's payouts, one per currency with lines, after them: minus the net of the day's
// lines in that currency as written (faults and all: the PSP pays out what its report
// says), drifted by the payout_drift fault. Appends to `lines`.
void write_payouts(int64_t day, std::vector<Line>& lines, FaultInjector& faults,
                   const faults::SettlementFaults& plan,
                   std::vector<ExpectedDiscrepancy>& injected) {
  std::map<std::string, DecimalAmount> net_by_currency;  // ordered: a stable draw order
  for (const auto& l : lines) {
    const auto sum = engine::add_decimal(net_by_currency[l.currency], l.net);
    RECKON_CHECK(sum.has_value(), "a simulated day's net fits in 64 bits");
    net_by_currency[l.currency] = *sum;
  }
  const std::string date = engine::format_date(day);
  for (const auto& [currency, net] : net_by_currency) {
    Line p;
    p.psp_reference = "po_" + date + "_" + currency;
    p.merchant_reference = "payout:" + date + ":" + currency;
    p.type = "payout";
    p.net = {-net.units, net.decimals};
    const std::string subject = "settlement:payout:" + p.psp_reference;
    // 1..5 -> -1..-5, 6..10 -> +1..+5 units of the payout's last decimal
    if (auto drift =
            faults.settlement_fault("settlement_payout_drift", subject, plan.payout_drift, 1, 10)) {
      p.net.units += *drift <= 5 ? -*drift : *drift - 5;
      injected.push_back(
          ExpectedDiscrepancy{ReconClass::kPayoutMismatch, p.merchant_reference, "payout"});
    }
    p.gross = p.net;
    p.fee = {0, net.decimals};
    p.currency = currency;
    p.day = day;
    p.event_unix_us = day * kUsPerDay + plan.cutoff_ms * 1000;  // paid out as the day closes
    lines.push_back(std::move(p));
  }
}

std::string describe(const ExpectedDiscrepancy& d) {
  return std::string(engine::to_string(d.cls)) + " " + d.type + " " + d.merchant_reference;
}

}  // namespace

SettlementRun write_settlement_reports(const PspNode& psp, const PspEndpoint& endpoint,
                                       FaultInjector& faults, const faults::SettlementFaults& plan,
                                       int64_t epoch_unix_us) {
  SettlementRun run;
  const int64_t cutoff_us = plan.cutoff_ms * 1000;
  std::map<int64_t, std::vector<Line>> by_day;
  bool any = false;
  for (const auto& e : psp.settled_events()) {
    const auto processed_us = endpoint.first_processed_us(e.idempotency_key);
    RECKON_CHECK(processed_us.has_value(), "every settled event went through the endpoint");
    const auto info = engine::find_currency(e.currency);
    RECKON_CHECK(info.has_value(), "the PSP only settles known currencies");
    const int exponent = info->exponent;
    Line l;
    l.psp_reference = e.psp_reference;
    l.merchant_reference = e.idempotency_key;
    l.type = e.refund ? "refund" : "capture";
    const int64_t gross = e.refund ? -e.amount_minor : e.amount_minor;
    const int64_t fee = engine::expected_fee_minor(
        e.refund ? SettlementType::kRefund : SettlementType::kCapture, gross, plan.fee_bps);
    l.gross = {gross, exponent};
    l.fee = {fee, exponent};
    l.net = {gross - fee, exponent};
    l.currency = e.currency;
    l.event_unix_us = epoch_unix_us + *processed_us;
    l.day = engine::settlement_day(l.event_unix_us, cutoff_us);
    if (!any || l.day < run.first_day) run.first_day = l.day;
    if (!any || l.day + 1 > run.last_day) run.last_day = l.day + 1;  // late lines land here
    any = true;

    // At most one fault per line, drawn in a fixed order; the first that fires wins.
    const std::string subject = "settlement:" + l.type + ":" + l.psp_reference;
    auto fault = [&](const char* kind, Ratio rate, int64_t lo, int64_t hi) {
      return faults.settlement_fault(std::string("settlement_") + kind, subject, rate, lo, hi);
    };
    auto inject = [&](ReconClass cls, const std::string& type) {
      run.injected.push_back(ExpectedDiscrepancy{cls, l.merchant_reference, type});
    };
    std::vector<Line> out;
    if (fault("missing_line", plan.missing_line, 0, 0)) {
      inject(ReconClass::kMissingInReport, l.type);
    } else if (fault("duplicate_line", plan.duplicate_line, 0, 0)) {
      out = {l, l};
      inject(ReconClass::kDuplicate, l.type);
    } else if (auto drift = fault("amount_drift", plan.amount_drift, 1, 10)) {
      // 1..5 -> -1..-5, 6..10 -> +1..+5 minor units
      l.gross.units += *drift <= 5 ? -*drift : *drift - 5;
      l.net.units = l.gross.units - fee;
      out = {l};
      inject(ReconClass::kAmountMismatch, l.type);
    } else if (auto other = fault("wrong_currency", plan.wrong_currency, 0,
                                  static_cast<int64_t>(kCurrencyCodes.size()) - 2)) {
      std::vector<std::string_view> others;
      for (auto code : kCurrencyCodes) {
        if (code != l.currency) others.push_back(code);
      }
      l.currency = std::string(others[static_cast<size_t>(*other) % others.size()]);
      out = {l};
      inject(ReconClass::kCurrencyMismatch, l.type);
    } else if (fault("wrong_status", plan.wrong_status, 0, 0)) {
      l.type = l.type == "capture" ? "refund" : "capture";
      out = {l};
      inject(ReconClass::kStatusMismatch, l.type);
    } else if (fault("late_line", plan.late_line, 0, 0)) {
      l.day += 1;
      out = {l};
      inject(ReconClass::kTiming, l.type);
    } else if (auto extra = fault("unexpected_fee", plan.unexpected_fee, 1, 500)) {
      Line fee_line = l;
      fee_line.type = "fee";
      fee_line.gross = {0, exponent};
      fee_line.fee = {*extra, exponent};
      fee_line.net = {-*extra, exponent};
      out = {l, fee_line};
      inject(ReconClass::kFeeMismatch, "fee");
    } else if (!e.refund && fault("unknown_chargeback", plan.unknown_chargeback, 0, 0)) {
      Line chargeback = l;
      chargeback.type = "chargeback";
      chargeback.gross = {-gross, exponent};
      chargeback.fee = {0, exponent};
      chargeback.net = {-gross, exponent};
      out = {l, chargeback};
      inject(ReconClass::kMissingInLedger, "chargeback");
    } else if (fault("rounding", plan.rounding, 0, 0)) {
      // The gross written with two decimals, or none for a two-decimal currency.
      l.gross = engine::round_to_decimals(gross, exponent, exponent == 2 ? 0 : 2);
      out = {l};
      inject(ReconClass::kRounding, l.type);
    } else {
      out = {l};
    }
    for (auto& line : out) by_day[line.day].push_back(std::move(line));
  }
  if (!any) return run;
  for (int64_t day = run.first_day; day <= run.last_day; ++day) {
    SettlementReport report;
    report.day = day;
    report.name = "settlement-" + engine::format_date(day) + ".csv";
    report.csv = std::string(engine::kSettlementCsvHeader) + "\n";
    std::vector<Line>& lines = by_day[day];
    write_payouts(day, lines, faults, plan, run.injected);
    for (const auto& l : lines) report.csv += csv_line(l);
    run.reports.push_back(std::move(report));
  }
  return run;
}

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
    found.push_back(ExpectedDiscrepancy{d.cls, d.merchant_reference, type});
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
