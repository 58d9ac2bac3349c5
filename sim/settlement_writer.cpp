#include "sim/settlement_writer.h"

#include <algorithm>
#include <array>
#include <limits>
#include <map>

#include "engine/check.h"
#include "oracle/currencies.h"
#include "oracle/settlement_text.h"

namespace reckon::sim {
namespace {

using oracle::Decimal;

// The currency table's codes, for the wrong-currency fault (index = decision value).
constexpr std::array<std::string_view, 14> kCurrencyCodes{"AUD", "BHD", "CAD", "CHF", "EUR",
                                                          "GBP", "JOD", "JPY", "KRW", "KWD",
                                                          "NOK", "OMR", "SEK", "USD"};

constexpr int64_t kUsPerDay = oracle::kMicrosPerDay;

struct Line {
  std::string psp_reference;
  std::string merchant_reference;
  std::string type;
  Decimal gross;
  Decimal fee;
  Decimal net;
  std::string currency;
  int64_t day = 0;
  int64_t event_unix_us = 0;
};

// How this run's PSP writes its reports, within what docs/reconciliation.md allows: event
// times with 0 to 6 fraction digits (one precision per PSP), and `\n`
// or `\r\n` line ends (one per report). Drawn from the stream "settlement-format", not the
// fault streams: these are valid reports, and the job must read every variant alike.
struct ReportFormat {
  int fraction_digits = 6;
  std::string line_end = "\n";
  // Zeros after the fee's last decimal, up to the format's 6 decimals ("1.45" as
  // "1.450000"): the same money (docs/reconciliation.md, column 5 is any decimal, and amounts
  // are compared exactly). Only the fee: a gross with another number of decimals than the
  // currency's is a rounding by definition, and the nets' sums name amounts in details.
  int fee_padding = 0;
  // Zeros before the fee's first digit up to the format's 18 digits ("0000000000001.450000"),
  // as fixed-width exports write amounts: the same money, at the bound docs/reconciliation.md
  // allows.
  bool fee_fixed_width = false;
};

// `text` (a decimal) with zeros after its sign until it has 18 digits.
std::string to_18_digits(std::string text) {
  const auto digits = static_cast<size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }));
  const size_t at = !text.empty() && text[0] == '-' ? 1 : 0;
  if (digits < 18) text.insert(at, 18 - digits, '0');
  return text;
}

oracle::Decimal padded(const oracle::Decimal& d, int zeros) {
  const int extra = std::max(0, std::min(zeros, 6 - d.decimals));
  return {d.units * oracle::minor_units_per_major(extra), d.decimals + extra};
}

std::string csv_line(const Line& l, const ReportFormat& format) {
  RECKON_CHECK(
      oracle::truncated_to_digits(l.event_unix_us, format.fraction_digits) == l.event_unix_us,
      "a report's event time is written exactly");
  return l.psp_reference + "," + l.merchant_reference + "," + l.type + "," +
         oracle::decimal_text(l.gross) + "," +
         (format.fee_fixed_width
              ? to_18_digits(oracle::decimal_text(padded(l.fee, format.fee_padding)))
              : oracle::decimal_text(padded(l.fee, format.fee_padding))) +
         "," + oracle::decimal_text(l.net) + "," + l.currency + "," + oracle::date_text(l.day) +
         "," + oracle::timestamp_text(l.event_unix_us, format.fraction_digits) + format.line_end;
}

// The amount `written` (the gross as the line gives it) stands for, in the currency's minor
// units: a gross written with fewer decimals than the exponent stands for a multiple of the
// step; one with more decimals (whole minor units, zero-padded) for the same amount.
int64_t written_minor(const Decimal& written, int exponent) {
  if (written.decimals <= exponent) {
    return written.units * oracle::minor_units_per_major(exponent - written.decimals);
  }
  return written.units / oracle::minor_units_per_major(written.decimals - exponent);
}

void owe(OwedBookings& owed, const char* kind, const char* account, const std::string& currency,
         int64_t amount) {
  if (amount == 0) return;
  int64_t& sum = owed[OwedBooking{kind, account, currency}];
  sum += amount;
  if (sum == 0) owed.erase(OwedBooking{kind, account, currency});
}

// The day's payouts, one per currency with lines, after them: minus the net of the day's
// lines in that currency as written (faults and all: the PSP pays out what its report
// says), drifted by the payout_drift fault. Appends to `lines`.
void write_payouts(int64_t day, std::vector<Line>& lines, FaultInjector& faults,
                   const faults::SettlementFaults& plan, SettlementRun& run,
                   const ReportFormat& format) {
  std::map<std::string, Decimal> net_by_currency;  // ordered: a stable draw order
  for (const auto& l : lines) {
    Decimal sum;
    RECKON_CHECK(oracle::add_decimals(net_by_currency[l.currency], l.net, sum),
                 "a simulated day's net fits in 64 bits");
    net_by_currency[l.currency] = sum;
  }
  const std::string date = oracle::date_text(day);
  for (const auto& [currency, net] : net_by_currency) {
    Line p;
    p.psp_reference = "po_" + date + "_" + currency;
    p.merchant_reference = "payout:" + date + ":" + currency;
    p.type = "payout";
    p.net = {-net.units, net.decimals};
    const std::string subject = "settlement:payout:" + p.psp_reference;
    // docs/reconciliation.md, "Payouts": a currency with lines that net nonzero and no payout,
    // on a day that pays out, is a payout-mismatch naming no payout line. The day's last
    // currency is always paid out, so the day still pays out.
    const bool last_currency = currency == net_by_currency.rbegin()->first;
    if (!last_currency && net.units != 0 &&
        faults.settlement_fault("settlement_missing_payout", subject, plan.missing_payout, 1, 1)) {
      const ExpectedDiscrepancy d{"payout-mismatch", "", "payout", "", currency};
      run.injected.push_back(d);
      run.detail_claims.push_back(
          DetailClaim{d, {date, currency, oracle::decimal_text(net) + " " + currency}});
      continue;
    }
    // 1..5 -> -1..-5, 6..10 -> +1..+5 units of the payout's last decimal
    if (auto drift =
            faults.settlement_fault("settlement_payout_drift", subject, plan.payout_drift, 1, 10)) {
      p.net.units += *drift <= 5 ? -*drift : *drift - 5;
      const ExpectedDiscrepancy d{"payout-mismatch", p.merchant_reference, "payout",
                                  p.psp_reference, currency};
      run.injected.push_back(d);
      // The detail's three figures (docs/reconciliation.md, "Payouts"): what was paid out,
      // what the lines net, and their sum, what was not paid out.
      const Decimal off_by{p.net.units + net.units, net.decimals};
      run.detail_claims.push_back(
          DetailClaim{d,
                      {date, oracle::decimal_text(p.net) + " " + currency,
                       oracle::decimal_text(net) + " " + currency, oracle::decimal_text(off_by)}});
    }
    p.gross = p.net;
    p.fee = {0, net.decimals};
    p.currency = currency;
    p.day = day;
    // paid out as the day closes, at the PSP's precision
    p.event_unix_us = oracle::truncated_to_digits(day * kUsPerDay + plan.cutoff_ms * 1000,
                                                  format.fraction_digits);
    lines.push_back(std::move(p));
  }
}

// One settled event's line as the PSP writes it, with at most one settlement fault, drawn in
// a fixed order (the first that fires wins), and what the run then owes and expects of the
// job for it (docs/reconciliation.md, the classes' "booked" column).
class LineFaults {
 public:
  LineFaults(FaultInjector& faults, const faults::SettlementFaults& plan, SettlementRun& run,
             const PspSettledEvent& event, int64_t gross, int64_t fee, int exponent,
             bool in_no_report_if_late)
      : faults_(faults),
        plan_(plan),
        run_(run),
        e_(event),
        gross_(gross),
        fee_(fee),
        exponent_(exponent),
        in_no_report_if_late_(in_no_report_if_late) {}

  // The lines written for `l` (none, one, or two).
  std::vector<Line> lines(Line l) {
    subject_ = "settlement:" + l.type + ":" + l.psp_reference;
    std::vector<Line> out;
    if (!line_changed(l, out)) line_added(l, out);
    return out;
  }

 private:
  std::optional<int64_t> fault(const char* kind, Ratio rate, int64_t lo, int64_t hi) {
    return faults_.settlement_fault(std::string("settlement_") + kind, subject_, rate, lo, hi);
  }
  // docs/reconciliation.md: a discrepancy names its line's PSP reference; one missing from
  // the report has no line, and names the charge's id at the PSP instead.
  void inject(const Line& l, const char* cls, const std::string& type) {
    const bool names_a_line = std::string_view(cls) != "missing-in-report";
    run_.injected.push_back(ExpectedDiscrepancy{cls, l.merchant_reference, type,
                                                names_a_line ? l.psp_reference : e_.psp_charge_id,
                                                l.currency});
  }
  // The agreed fee of a capture line the job found in the ledger: psp_fees +fee,
  // psp_receivable -fee.
  void owe_fee(const char* kind) {
    owe(run_.owed, kind, "psp_fees", e_.currency, fee_);
    owe(run_.owed, kind, "psp_receivable", e_.currency, -fee_);
  }
  // A correction of `diff` against `account`: psp_receivable +diff, account -diff.
  void owe_correction(const char* account, int64_t diff) {
    owe(run_.owed, "settlement_correction", "psp_receivable", e_.currency, diff);
    owe(run_.owed, "settlement_correction", account, e_.currency, -diff);
  }

  // The faults that leave out, repeat or change the line itself; false when none fired.
  bool line_changed(Line& l, std::vector<Line>& out) {
    if (fault("missing_line", plan_.missing_line, 0, 0)) {
      inject(l, "missing-in-report", l.type);
    } else if (fault("duplicate_line", plan_.duplicate_line, 0, 0)) {
      out = {l, l};
      inject(l, "duplicate", l.type);
      owe_fee("settlement");  // the first copy matches; the second books nothing
    } else if (auto drift = fault("amount_drift", plan_.amount_drift, 1, 10)) {
      // 1..5 -> -1..-5, 6..10 -> +1..+5 minor units
      l.gross.units += *drift <= 5 ? -*drift : *drift - 5;
      l.net.units = l.gross.units - fee_;
      out = {l};
      inject(l, "amount-mismatch", l.type);
      owe_fee("settlement_correction");
      owe_correction("settlement_suspense", l.gross.units - gross_);
    } else if (auto other = fault("wrong_currency", plan_.wrong_currency, 0,
                                  static_cast<int64_t>(kCurrencyCodes.size()) - 2)) {
      std::vector<std::string_view> others;
      for (auto code : kCurrencyCodes) {
        if (code != l.currency) others.push_back(code);
      }
      l.currency = std::string(others[static_cast<size_t>(*other) % others.size()]);
      out = {l};
      inject(l, "currency-mismatch", l.type);
    } else if (fault("wrong_status", plan_.wrong_status, 0, 0)) {
      l.type = l.type == "capture" ? "refund" : "capture";
      out = {l};
      inject(l, "status-mismatch", l.type);
    } else if (fault("late_line", plan_.late_line, 0, 0)) {
      if (in_no_report_if_late_) {
        // Written into the next day's report, which the job does not read.
        inject(l, "missing-in-report", l.type);
      } else {
        l.day += 1;
        out = {l};
        inject(l, "timing", l.type);
        owe_fee("settlement");
        // docs/reconciliation.md: the detail names the date the line gives, the event time to
        // the microsecond and the day the cut-off gives that time.
        run_.detail_claims.push_back(
            DetailClaim{run_.injected.back(),
                        {oracle::date_text(l.day), oracle::timestamp_text(l.event_unix_us, 6),
                         oracle::date_text(l.day - 1)}});
      }
    } else {
      return false;
    }
    return true;
  }

  // The faults that add a line or write the amounts another way, else the line as it is.
  void line_added(Line& l, std::vector<Line>& out) {
    if (auto extra = fault("unexpected_fee", plan_.unexpected_fee, 1, 500)) {
      Line fee_line = l;
      fee_line.type = "fee";
      fee_line.gross = {0, exponent_};
      fee_line.fee = {*extra, exponent_};
      fee_line.net = {-*extra, exponent_};
      out = {l, fee_line};
      inject(l, "fee-mismatch", "fee");
      owe_fee("settlement");  // the line itself matches
      // The extra fee line: settlement_suspense +fee, psp_receivable -fee.
      owe_correction("settlement_suspense", -*extra);
    } else if (!e_.refund && fault("unknown_chargeback", plan_.unknown_chargeback, 0, 0)) {
      Line chargeback = l;
      chargeback.type = "chargeback";
      chargeback.gross = {-gross_, exponent_};
      chargeback.fee = {0, exponent_};
      chargeback.net = {-gross_, exponent_};
      out = {l, chargeback};
      inject(l, "missing-in-ledger", "chargeback");
      owe_fee("settlement");  // the capture line matches
      // The chargeback the ledger knows nothing of: psp_receivable +gross (negative).
      owe_correction("settlement_suspense", chargeback.gross.units);
    } else if (auto how = fault("rounding", plan_.rounding, 0, 1)) {
      // The gross written with two decimals, or none for a two-decimal currency (0); or with
      // one decimal more than the currency has (1: "19.990" for 19.99), the same money.
      const int decimals = *how == 1 ? exponent_ + 1 : exponent_ == 2 ? 0 : 2;
      l.gross = oracle::with_decimals(gross_, exponent_, decimals);
      out = {l};
      inject(l, "rounding", l.type);
      owe_fee("settlement_correction");
      owe_correction("rounding_differences", written_minor(l.gross, exponent_) - gross_);
    } else if (auto fee_off =
                   !e_.refund ? fault("fee_drift", plan_.fee_drift, 1, 10) : std::nullopt) {
      // 1..5 -> -1..-5 (never below zero: then +), 6..10 -> +1..+5 minor units of the fee
      const int64_t delta = *fee_off <= 5 ? -*fee_off : *fee_off - 5;
      l.fee.units += l.fee.units + delta < 0 ? -delta : delta;
      l.net.units = l.gross.units - l.fee.units;
      out = {l};
      inject(l, "fee-mismatch", l.type);
      owe_fee("settlement_correction");  // the agreed fee, and the excess against suspense
      owe(run_.owed, "settlement_correction", "settlement_suspense", e_.currency,
          l.fee.units - fee_);
      owe(run_.owed, "settlement_correction", "psp_receivable", e_.currency, fee_ - l.fee.units);
    } else if (!e_.refund && e_.authorization_key != e_.idempotency_key &&
               fault("authorization_reference", plan_.authorization_reference, 0, 0)) {
      // No succeeded capture or refund has the authorization's key, and no line the capture's.
      inject(l, "missing-in-report", l.type);
      l.merchant_reference = e_.authorization_key;
      out = {l};
      inject(l, "missing-in-ledger", l.type);
      owe_correction("settlement_suspense", gross_);  // psp_receivable +gross
    } else {
      out = {l};
      owe_fee("settlement");
    }
  }

  FaultInjector& faults_;
  const faults::SettlementFaults& plan_;
  SettlementRun& run_;
  const PspSettledEvent& e_;  // the settled event the line is written for
  const int64_t gross_;
  const int64_t fee_;
  const int exponent_;
  // The job closes with the last settled day and this line is of that day: written late, it
  // lands in a report the job does not read.
  const bool in_no_report_if_late_;
  std::string subject_;
};

// One report per day of the run, first to last (some maybe empty): the day's lines and its
// payouts, each report with its own line ends and, one in eight, a byte order mark.
void write_day_reports(std::map<int64_t, std::vector<Line>>& by_day, FaultInjector& faults,
                       const faults::SettlementFaults& plan, uint64_t seed,
                       PrngStream& format_stream, ReportFormat& format, SettlementRun& run) {
  // One report in eight starts with a UTF-8 byte order mark, as spreadsheet exports write
  // (docs/reconciliation.md: skipped before the header). A stream of its own.
  PrngStream bom_stream(seed, "settlement-bom");
  for (int64_t day = run.first_day; day <= run.last_day; ++day) {
    SettlementReport report;
    report.day = day;
    report.name = "settlement-" + oracle::date_text(day) + ".csv";
    format.line_end = format_stream.below(2) == 0 ? "\n" : "\r\n";
    const std::string bom = bom_stream.below(8) == 0 ? "\xEF\xBB\xBF" : "";
    report.csv = bom + std::string(oracle::kSettlementHeader) + format.line_end;
    std::vector<Line>& lines = by_day[day];
    write_payouts(day, lines, faults, plan, run, format);
    for (const auto& l : lines) report.csv += csv_line(l, format);
    run.reports.push_back(std::move(report));
  }
}

}  // namespace

SettlementRun write_settlement_reports(const PspNode& psp, const PspEndpoint& endpoint,
                                       FaultInjector& faults, const faults::SettlementFaults& plan,
                                       int64_t epoch_unix_us, uint64_t seed) {
  SettlementRun run;
  PrngStream format_stream(seed, "settlement-format");
  ReportFormat format;
  format.fraction_digits = static_cast<int>(format_stream.below(7));
  // A stream of its own, so that the line ends drawn from "settlement-format" stay the same.
  PrngStream fee_format(seed, "settlement-fee-format");
  format.fee_padding = static_cast<int>(fee_format.below(5));
  format.fee_fixed_width = fee_format.below(4) == 0;
  const int64_t cutoff_us = plan.cutoff_ms * 1000;
  // The PSP knows the time only to its precision; the day follows from the time it writes.
  auto event_time_of = [&](const PspSettledEvent& e) {
    const auto processed_us = endpoint.first_processed_us(e.idempotency_key);
    RECKON_CHECK(processed_us.has_value(), "every settled event went through the endpoint");
    return oracle::truncated_to_digits(epoch_unix_us + *processed_us, format.fraction_digits);
  };
  int64_t last_settled_day = std::numeric_limits<int64_t>::min();
  for (const auto& e : psp.settled_events()) {
    last_settled_day =
        std::max(last_settled_day, oracle::settlement_day_of(event_time_of(e), cutoff_us));
  }
  // One run in four the job runs as the last settled day closes, before the next day's report
  // exists: its period ends on that day, and a line of that day written late is in no report
  // it reads (docs/reconciliation.md). Otherwise it also reads the day after, where late
  // lines land. A stream of its own, so every other draw stays the same.
  const bool closes_with_last_day = PrngStream(seed, "settlement-period").below(4) == 0;
  std::map<int64_t, std::vector<Line>> by_day;
  bool any = false;
  for (const auto& e : psp.settled_events()) {
    const auto minor_units = oracle::iso4217_minor_units(e.currency);
    RECKON_CHECK(minor_units.has_value(), "the PSP only settles ISO 4217 currencies it knows");
    const int exponent = *minor_units;
    Line l;
    l.psp_reference = e.psp_reference;
    l.merchant_reference = e.idempotency_key;
    l.type = e.refund ? "refund" : "capture";
    const int64_t gross = e.refund ? -e.amount_minor : e.amount_minor;
    const int64_t fee = e.refund ? 0 : oracle::capture_fee_minor(gross, plan.fee_bps);
    l.gross = {gross, exponent};
    l.fee = {fee, exponent};
    l.net = {gross - fee, exponent};
    l.currency = e.currency;
    l.event_unix_us = event_time_of(e);
    l.day = oracle::settlement_day_of(l.event_unix_us, cutoff_us);
    if (!any || l.day < run.first_day) run.first_day = l.day;
    any = true;

    LineFaults line_faults{
        faults, plan, run,      e,
        gross,  fee,  exponent, closes_with_last_day && l.day == last_settled_day};
    std::vector<Line> out = line_faults.lines(l);
    for (auto& line : out) by_day[line.day].push_back(std::move(line));
  }
  if (!any) return run;
  run.last_day = closes_with_last_day ? last_settled_day : last_settled_day + 1;
  write_day_reports(by_day, faults, plan, seed, format_stream, format, run);
  return run;
}

}  // namespace reckon::sim
