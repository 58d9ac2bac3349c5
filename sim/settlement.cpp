#include "sim/settlement.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <utility>
#include <vector>

#include "oracle/settlement_text.h"
#include "sim/properties.h"
#include "sim/settlement_malformed.h"
#include "sim/store_reader.h"

namespace reckon::sim {
namespace {

std::string describe(const ExpectedDiscrepancy& d) {
  return d.cls + " " + d.type + " " +
         (d.merchant_reference.empty() ? "(no reference)" : d.merchant_reference) +
         (d.psp_reference.empty() ? "" : " (PSP reference " + d.psp_reference + ")") + " in " +
         (d.currency.empty() ? "no currency" : d.currency);
}

// A discrepancy the job reported, as the checkers name one: class, references, type and
// currency.
ExpectedDiscrepancy as_named(const engine::Discrepancy& d) {
  return ExpectedDiscrepancy{std::string(engine::to_string(d.cls)), d.merchant_reference, d.type,
                             d.psp_reference, d.currency};
}

// The reports as the job reads them: one stream each, `replaced` (if any) given `text`.
struct ReportStreams {
  std::vector<std::unique_ptr<std::istringstream>> streams;
  std::vector<engine::ReportInput> inputs;
};

ReportStreams report_streams(const SettlementRun& run, size_t replaced = SIZE_MAX,
                             const std::string& text = "") {
  ReportStreams out;
  for (size_t i = 0; i < run.reports.size(); ++i) {
    out.streams.push_back(
        std::make_unique<std::istringstream>(i == replaced ? text : run.reports[i].csv));
    out.inputs.push_back(engine::ReportInput{run.reports[i].name, out.streams.back().get()});
  }
  return out;
}

int64_t ledger_transactions(engine::PaymentEngine& engine) {
  StoreReader reader;
  reader.attach(engine.db().handle());
  auto& count = reader.prepare("SELECT count(*) FROM ledger_transactions");
  return count.step() == SQLITE_ROW ? count.column_int(0) : -1;
}

// docs/reconciliation.md: a report is comma-separated with no quoting (no field holds a
// comma) and one header line.
std::vector<std::string> csv_fields(const std::string& line) {
  std::vector<std::string> fields;
  size_t from = 0;
  for (size_t comma; (comma = line.find(',', from)) != std::string::npos; from = comma + 1) {
    fields.push_back(line.substr(from, comma - from));
  }
  fields.push_back(line.substr(from));
  return fields;
}

// The fields of a report's lines after the header, as written: element i is line i + 2 (the
// header is line 1). A CR before the LF ends the line; a final LF starts no line.
std::vector<std::vector<std::string>> report_lines(const std::string& csv) {
  std::vector<std::vector<std::string>> lines;
  size_t start = csv.find('\n');  // past the header
  while (start != std::string::npos && start + 1 < csv.size()) {
    const size_t end = csv.find('\n', start + 1);
    std::string line =
        csv.substr(start + 1, end == std::string::npos ? std::string::npos : end - start - 1);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(csv_fields(line));
    start = end;
  }
  return lines;
}

// The first and the last settlement_date of the reports' lines, as written ("" when there
// are none): the column before the last (docs/reconciliation.md's header).
std::pair<std::string, std::string> line_dates(const SettlementRun& run) {
  std::string first;
  std::string last;
  for (const SettlementReport& report : run.reports) {
    for (const std::vector<std::string>& fields : report_lines(report.csv)) {
      if (fields.size() < 3) continue;
      const std::string& date = fields[fields.size() - 2];
      if (first.empty() || date < first) first = date;
      if (last.empty() || date > last) last = date;
    }
  }
  return {first, last};
}

// docs/reconciliation.md, `missing-in-report`: an operation is due when its settlement day
// by the engine's booking time, or by that time plus the clock tolerance, lies in the job's
// period. The PSP settles by its own clock, before the engine books, and writes times to its
// precision: an operation it settled on the period's last day may be booked by the engine
// past the cut-off, due only on the next day. The job cannot know it is missing yet; such an
// expected missing-in-report is dropped (and traced). The booking time is what the engine's
// host saw (EngineNode::success_taken: the first and last success handed to the engine, on
// its clock), never read from the engine's tables; when the two ends disagree, the
// discrepancy is left unjudged either way.
void drop_not_yet_due(std::vector<ExpectedDiscrepancy>& injected,
                      std::vector<ExpectedDiscrepancy>& found, const EngineNode& node,
                      const engine::ReconcileOptions& options, Trace& trace, TimeUs now_us) {
  if (!options.first_day || !options.last_day) return;
  // -1: before the period, 0: due in it, 1: after it (a later booking is never due earlier).
  auto side = [&](TimeUs engine_us) {
    const int64_t at_unix_us = engine_us + options.engine_epoch_unix_us;
    const int64_t day = oracle::settlement_day_of(at_unix_us, options.cutoff_us_of_day);
    const int64_t day_latest = oracle::settlement_day_of(at_unix_us + options.clock_tolerance_us,
                                                         options.cutoff_us_of_day);
    if (day_latest < *options.first_day) return -1;
    return day > *options.last_day ? 1 : 0;
  };
  std::vector<ExpectedDiscrepancy> unjudged;
  std::erase_if(injected, [&](const ExpectedDiscrepancy& d) {
    if (d.cls != "missing-in-report") return false;
    const auto taken = node.success_taken(d.merchant_reference);
    if (!taken) return false;  // never booked: the job must still say so
    const int first = side(taken->first_engine_us);
    const int last = side(taken->last_engine_us);
    if (first == 0 && last == 0) return false;
    // Outside the period whichever time it was booked at; or, if the ends differ, only the
    // engine knows which time it was.
    const bool not_due = first == last;
    trace.record(now_us, "psp", not_due ? "settlement_not_yet_due" : "settlement_due_unknown",
                 "ref=" + d.merchant_reference);
    if (!not_due) unjudged.push_back(d);
    return true;
  });
  std::erase_if(found, [&](const ExpectedDiscrepancy& d) {
    return std::find(unjudged.begin(), unjudged.end(), d) != unjudged.end();
  });
}

// docs/reconciliation.md: every booking is a ledger transaction of kind settlement or
// settlement_correction, and what each class books is in its table. Compares the sums per
// kind, account and currency with what the PSP's side owed line by line; returns the first
// difference, or "".
std::string judge_bookings(engine::PaymentEngine& engine, const OwedBookings& owed) {
  StoreReader reader;
  reader.attach(engine.db().handle());
  auto& sums = reader.prepare(
      "SELECT t.kind, e.account, e.currency, sum(e.amount_minor) FROM ledger_entries e "
      "JOIN ledger_transactions t ON t.id = e.txn_id "
      "WHERE t.kind IN ('settlement', 'settlement_correction') GROUP BY 1, 2, 3");
  OwedBookings booked;
  while (sums.step() == SQLITE_ROW) {
    const int64_t sum = sums.column_int(3);
    if (sum != 0) {
      booked[OwedBooking{sums.column_text(0), sums.column_text(1), sums.column_text(2)}] = sum;
    }
  }
  auto amount = [](const OwedBookings& m, const OwedBooking& k) {
    const auto it = m.find(k);
    return it == m.end() ? int64_t{0} : it->second;
  };
  std::vector<OwedBooking> keys;
  for (const auto& [k, v] : owed) keys.push_back(k);
  for (const auto& [k, v] : booked) keys.push_back(k);
  std::sort(keys.begin(), keys.end());
  for (const auto& k : keys) {
    const int64_t want = amount(owed, k);
    const int64_t got = amount(booked, k);
    if (want == got) continue;
    return "the reconciliation job's " + k.kind + " transactions put " + std::to_string(got) +
           " minor units of " + k.currency + " on " + k.account +
           "; docs/reconciliation.md's classes owe " + std::to_string(want) +
           " for the lines the PSP wrote";
  }
  return "";
}

// docs/reconciliation.md: a malformed report is refused whole, naming the report, the line
// and (for a field) the column, and nothing is booked. (What was found before the error may
// have reached the sink: engine::reconcile streams; `reckon reconcile` validates every file
// before it runs, so its users see nothing.) Judged on kMalformedCopies copies of the
// reports, each with one malformation (sim/settlement_malformed.h), before the genuine run:
// one draw per seed would leave most of the malformations unseen by a short sweep. The last
// copy always carries a date past its month's end (a drawn month: twelve month lengths
// to get right). Returns
// the first failure's detail, or "" when the job refused each as documented (or no report
// has a line).
constexpr int kMalformedCopies = 4;

// The header name of a 1-based column, from the PSP's own header line.
std::string column_name(int column) {
  const std::string_view header = oracle::kSettlementHeader;
  size_t start = 0;
  for (int i = 1; i < column; ++i) start = header.find(',', start) + 1;
  const size_t end = header.find(',', start);
  return std::string(header.substr(start, end == std::string_view::npos ? end : end - start));
}

std::string judge_one_malformed(const SettlementRun& run, const std::vector<size_t>& eligible,
                                PrngStream& stream, MalformFamily family,
                                engine::PaymentEngine& engine,
                                const engine::ReconcileOptions& options, Trace& trace,
                                TimeUs now_us) {
  const size_t target = eligible[stream.below(eligible.size())];
  const MalformedReport bad = malform_report(run.reports[target].csv, stream, family);
  const ReportStreams reports = report_streams(run, target, bad.csv);
  trace.record(now_us, "psp", "settlement_malformed",
               "name=" + run.reports[target].name + " " + bad.what);
  const int64_t booked_before = ledger_transactions(engine);
  const auto result =
      engine::reconcile(engine.db(), reports.inputs, options, [](const engine::Discrepancy&) {});
  const std::string where = run.reports[target].name + " (" + bad.what + ")";
  if (result.ok || !result.csv_error) {
    return "the reconciliation job accepted a malformed report: " + where +
           (result.ok ? "" : "; it failed otherwise: " + result.error);
  }
  if (result.csv_report != run.reports[target].name || result.csv_error->line != bad.line ||
      (bad.column != 0 && result.csv_error->column != bad.column)) {
    return "the reconciliation job refused malformed report " + where + " as " + result.csv_report +
           ": " + result.csv_error->str() + "; expected line " + std::to_string(bad.line) +
           (bad.column != 0 ? ", column " + std::to_string(bad.column) : "");
  }
  // docs/reconciliation.md: a problem of the whole line (empty, too long, a wrong header, an
  // empty file) names the line alone, no column.
  if (bad.column == 0 &&
      (result.csv_error->column != 0 ||
       result.csv_error->str().starts_with("line " + std::to_string(bad.line) + ", column"))) {
    return "the reconciliation job refused malformed report " + where + " as " +
           result.csv_error->str() + "; a problem of the whole line names no column";
  }
  // docs/reconciliation.md: the error names the column by its header name and quotes the
  // value it refuses (`line 7, column 4 (gross): '4x.00' is not a decimal amount`), as
  // written for people (the text `reckon reconcile` prints), not only in its fields.
  const std::string place = "line " + std::to_string(bad.line) +
                            (bad.column != 0 ? ", column " + std::to_string(bad.column) + " (" +
                                                   column_name(bad.column) + ")"
                                             : "") +
                            ": ";
  if (!result.csv_error->str().starts_with(place)) {
    return "the reconciliation job refused malformed report " + where + " as '" +
           result.csv_error->str() + "', which does not begin '" + place + "'";
  }
  if (bad.column != 0) {
    const std::string name = column_name(bad.column);
    const std::string quoted = "'" + bad.value + "'";
    if (result.csv_error->column_name != name ||
        (!bad.value.empty() && result.csv_error->message.find(quoted) == std::string::npos)) {
      return "the reconciliation job refused malformed report " + where + " as " +
             result.csv_error->str() + "; expected column " + std::to_string(bad.column) + " (" +
             name + ")" + (bad.value.empty() ? "" : " quoting " + quoted);
    }
  }
  if (result.summary.transactions_booked != 0) {
    return "the reconciliation job refused malformed report " + where + " but its summary says " +
           std::to_string(result.summary.transactions_booked) + " transactions were booked";
  }
  if (ledger_transactions(engine) != booked_before) {
    return "the reconciliation job refused malformed report " + where + " but booked " +
           std::to_string(ledger_transactions(engine) - booked_before) + " transactions";
  }
  return "";
}

std::string judge_malformed_refused(const SettlementRun& run, engine::PaymentEngine& engine,
                                    const engine::ReconcileOptions& options, uint64_t seed,
                                    Trace& trace, TimeUs now_us) {
  std::vector<size_t> eligible;
  for (size_t i = 0; i < run.reports.size(); ++i) {
    if (std::count(run.reports[i].csv.begin(), run.reports[i].csv.end(), '\n') >= 2) {
      eligible.push_back(i);
    }
  }
  if (eligible.empty()) return "";
  PrngStream stream(seed, "settlement-malformed");
  for (int copy = 0; copy < kMalformedCopies; ++copy) {
    const auto family = copy + 1 == kMalformedCopies   ? MalformFamily::kCalendar
                        : copy + 2 == kMalformedCopies ? MalformFamily::kAmountBound
                                                       : MalformFamily::kAny;
    std::string failure =
        judge_one_malformed(run, eligible, stream, family, engine, options, trace, now_us);
    if (!failure.empty()) return failure;
  }
  return "";
}

// Where a discrepancy points: the report's name and the line number (the header is line 1).
struct Place {
  ExpectedDiscrepancy d;
  std::string report;
  int64_t line = 0;
};

// docs/reconciliation.md, "The classes": a discrepancy about a line names its report and
// line, which is that line (it carries the discrepancy's PSP reference and type); a
// missing-in-report, and a payout-mismatch with no payout line, have no line to name (0),
// the latter naming a report of the run. Returns the first place that is wrong, or "".
std::string judge_places(const SettlementRun& run, const std::vector<Place>& places) {
  for (const Place& p : places) {
    const bool lineless = p.d.cls == "missing-in-report" ||
                          (p.d.cls == "payout-mismatch" && p.d.psp_reference.empty());
    const auto report = std::find_if(run.reports.begin(), run.reports.end(),
                                     [&](const SettlementReport& r) { return r.name == p.report; });
    if (lineless) {
      if (p.line != 0) {
        return "the reconciliation job placed " + describe(p.d) + ", which has no line, at line " +
               std::to_string(p.line);
      }
      // A missing payout names the report of its day's first line: one of the run's.
      if (p.d.cls == "payout-mismatch" && report == run.reports.end()) {
        return "the reconciliation job placed " + describe(p.d) + " in report '" + p.report +
               "', none of the run's";
      }
      continue;
    }
    std::vector<std::string> fields;
    if (report != run.reports.end() && p.line >= 2) {
      const auto lines = report_lines(report->csv);
      if (static_cast<size_t>(p.line - 2) < lines.size()) fields = lines[p.line - 2];
    }
    // docs/reconciliation.md: psp_reference is field 1, type field 3.
    if (fields.size() < 3 || fields[0] != p.d.psp_reference || fields[2] != p.d.type) {
      std::string text;
      for (const std::string& f : fields) text += (text.empty() ? "" : ",") + f;
      return "the reconciliation job placed " + describe(p.d) + " at " + p.report + " line " +
             std::to_string(p.line) + ", which is not its line" +
             (fields.empty() ? " (no such line)" : ": '" + text + "'");
    }
  }
  return "";
}

// docs/reconciliation.md: the detail of a timing or payout-mismatch discrepancy names the
// dates, time and amounts it is about. Returns the first claim the job's detail breaks, or "".
std::string judge_details(const std::vector<DetailClaim>& claims,
                          const std::vector<std::pair<ExpectedDiscrepancy, std::string>>& details) {
  // docs/reconciliation.md: every discrepancy's detail says what differs; none is blank.
  for (const auto& [d, detail] : details) {
    if (detail.find_first_not_of(' ') == std::string::npos) {
      return "the reconciliation job reported " + describe(d) + " with no detail";
    }
  }
  // Discrepancies of one identity (a missing payout names no reference) share their claims'
  // `about`: each claim needs a detail of its own that names all of its texts.
  std::vector<bool> used(details.size(), false);
  for (const auto& claim : claims) {
    std::optional<std::string> wrong;
    bool met = false;
    for (size_t i = 0; i < details.size() && !met; ++i) {
      // Named, not a structured binding: clang 14 (ci/sanitize.sh) lets no lambda capture one.
      const ExpectedDiscrepancy& d = details[i].first;
      const std::string& detail = details[i].second;
      if (used[i] || d != claim.about) continue;
      const auto unnamed = std::find_if(claim.names.begin(), claim.names.end(), [&](const auto& t) {
        return detail.find(t) == std::string::npos;
      });
      if (unnamed == claim.names.end()) {
        used[i] = met = true;
      } else if (!wrong) {
        wrong =
            "the detail of " + describe(d) + " does not name " + *unnamed + ": '" + detail + "'";
      }
    }
    if (!met && wrong) return *wrong;
  }
  return "";
}

// What the PSP wrote, counted from its own reports: data lines, payout lines among them, and
// for the `matched` count the payouts that are not duplicates, per settlement day and
// currency (docs/reconciliation.md, "Payouts": a duplicated payout line is a duplicate).
struct WrittenLines {
  int64_t lines = 0;
  int64_t payouts = 0;
  std::map<std::string, int64_t> payouts_of_day;               // by "<date> <currency>"
  std::map<std::string, std::string> day_of_payout_reference;  // merchant reference -> day key
};

WrittenLines count_written(const SettlementRun& run) {
  WrittenLines n;
  std::set<std::string> seen;  // line identities: merchant reference, type, PSP reference
  for (const auto& r : run.reports) {
    for (const std::vector<std::string>& f : report_lines(r.csv)) {
      ++n.lines;
      // The columns of docs/reconciliation.md: psp_reference, merchant_reference, type, gross,
      // fee, net, currency, settlement_date, event_time.
      if (f.size() < 8 || f[2] != "payout") continue;
      ++n.payouts;
      if (!seen.insert(f[1] + "\x1f" + f[2] + "\x1f" + f[0]).second) continue;
      const std::string day = f[7] + " " + f[6];
      ++n.payouts_of_day[day];
      n.day_of_payout_reference.emplace(f[1], day);
    }
  }
  return n;
}

// docs/reconciliation.md, "The summary": `matched` counts the lines and payouts that agreed.
// Each line gets one class, so every line that is not a payout and drew no line discrepancy
// matched; a payout (not a duplicate) matched when its day and currency drew no
// payout-mismatch. `found` is what the job reported, already equal to what was injected.
int64_t expected_matched(const WrittenLines& written,
                         const std::vector<ExpectedDiscrepancy>& found) {
  int64_t matched = written.lines;
  for (const auto& d : found) {
    if (d.cls == "missing-in-report") continue;  // no line
    if (d.cls != "payout-mismatch") {
      --matched;  // the one line this class was given
      continue;
    }
    const auto day = written.day_of_payout_reference.find(d.merchant_reference);
    if (day != written.day_of_payout_reference.end())
      matched -= written.payouts_of_day.at(day->second);
  }
  return matched;
}

// docs/reconciliation.md, "The summary": the job's counts are of what it read and did. Judged
// against the PSP's own reports, the discrepancies the job reported, and the ledger's
// transactions counted with the checkers' SQL. Returns the first count that is wrong, or "".
std::string judge_summary(const engine::ReconcileSummary& summary, const WrittenLines& written,
                          const std::vector<ExpectedDiscrepancy>& found, int64_t booked,
                          int64_t booked_before_this_run) {
  auto wrong = [](const std::string& what, int64_t said, int64_t is) {
    return "the reconciliation job's summary says " + std::to_string(said) + " " + what + ", but " +
           std::to_string(is) + " (docs/reconciliation.md, \"The summary\")";
  };
  if (summary.lines != written.lines) return wrong("lines", summary.lines, written.lines);
  if (summary.payout_lines != written.payouts) {
    return wrong("payout lines", summary.payout_lines, written.payouts);
  }
  const auto discrepancies = static_cast<int64_t>(found.size());
  if (summary.discrepancies != discrepancies) {
    return wrong("discrepancies", summary.discrepancies, discrepancies);
  }
  const int64_t matched = expected_matched(written, found);
  if (summary.by_class[static_cast<size_t>(engine::ReconClass::kMatched)] != matched) {
    return wrong("matched lines and payouts",
                 summary.by_class[static_cast<size_t>(engine::ReconClass::kMatched)], matched);
  }
  for (int c = 0; c < engine::kReconClassCount; ++c) {
    const auto cls = static_cast<engine::ReconClass>(c);
    const std::string name(engine::to_string(cls));
    if (cls == engine::ReconClass::kMatched) continue;  // judged above
    const auto reported = std::count_if(
        found.begin(), found.end(), [&](const ExpectedDiscrepancy& d) { return d.cls == name; });
    if (summary.by_class[static_cast<size_t>(c)] != reported) {
      return wrong(name + " discrepancies", summary.by_class[static_cast<size_t>(c)], reported);
    }
  }
  if (summary.transactions_booked != booked) {
    return wrong("transactions booked", summary.transactions_booked, booked);
  }
  if (summary.lines_already_booked != booked_before_this_run) {
    return wrong("lines booked before", summary.lines_already_booked, booked_before_this_run);
  }
  return "";
}

// docs/ledger.md: a ledger transaction names the charge it concerns; docs/reconciliation.md:
// a settlement booking names its line's charge, or `settlement:<psp reference>` for a line
// the ledger knows no charge for. Never something else.
std::string judge_booked_charges(engine::PaymentEngine& engine) {
  StoreReader reader;
  reader.attach(engine.db().handle());
  auto& st = reader.prepare(
      "SELECT count(*), min(t.charge_id) FROM ledger_transactions t "
      "WHERE t.kind IN ('settlement', 'settlement_correction') "
      "AND substr(t.charge_id, 1, 11) <> 'settlement:' "
      "AND NOT EXISTS (SELECT 1 FROM charges c WHERE c.id = t.charge_id)");
  if (st.step() != SQLITE_ROW || st.column_int(0) == 0) return "";
  return "the reconciliation job booked " + std::to_string(st.column_int(0)) +
         " settlement transaction(s) naming '" + st.column_text(1) +
         "', neither a charge of the engine nor settlement:<psp reference> "
         "(docs/reconciliation.md)";
}

// docs/reconciliation.md: running the job again over the same reports books nothing, reports
// the same discrepancies again, and counts the lines the first run booked as booked before.
std::string judge_second_run(const SettlementRun& run, engine::PaymentEngine& engine,
                             const engine::ReconcileOptions& options,
                             const std::vector<ExpectedDiscrepancy>& first_found,
                             int64_t first_booked) {
  const ReportStreams reports = report_streams(run);
  std::vector<ExpectedDiscrepancy> found;
  auto sink = [&](const engine::Discrepancy& d) { found.push_back(as_named(d)); };
  const int64_t before = ledger_transactions(engine);
  const engine::ReconcileResult again =
      engine::reconcile(engine.db(), reports.inputs, options, sink);
  if (!again.ok) return "the reconciliation job, run again over the same reports, failed";
  std::sort(found.begin(), found.end());
  if (found != first_found) {
    return "the reconciliation job, run again over the same reports, reported " +
           std::to_string(found.size()) + " discrepancies, not the " +
           std::to_string(first_found.size()) + " of its first run";
  }
  const int64_t booked = ledger_transactions(engine) - before;
  if (booked != 0) {
    return "the reconciliation job, run again over the same reports, booked " +
           std::to_string(booked) + " transactions more";
  }
  const std::string wrong =
      judge_summary(again.summary, count_written(run), found, 0, first_booked);
  return wrong.empty() ? "" : "run again over the same reports, " + wrong;
}

// The reconciliation as the scenario sets it (cut-off, fee schedule), over the days the PSP
// settled.
engine::ReconcileOptions reconcile_options(const SettlementRun& run,
                                           const faults::SettlementFaults& plan,
                                           const engine::PlantedDefects& planted,
                                           int64_t epoch_unix_us, TimeUs clock_tolerance_us,
                                           TimeUs now_us) {
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
  return options;
}

// The job's classes against the injected ones, both sorted: the first missed and the first
// extra discrepancy, with their counts.
Failure mismatch_failure(const std::vector<ExpectedDiscrepancy>& found,
                         const std::vector<ExpectedDiscrepancy>& injected, TimeUs now_us) {
  std::vector<ExpectedDiscrepancy> false_positives;
  std::vector<ExpectedDiscrepancy> false_negatives;
  std::set_difference(found.begin(), found.end(), injected.begin(), injected.end(),
                      std::back_inserter(false_positives));
  std::set_difference(injected.begin(), injected.end(), found.begin(), found.end(),
                      std::back_inserter(false_negatives));
  std::string detail = "the job flagged " + std::to_string(found.size()) + " discrepancies, " +
                       std::to_string(injected.size()) + " were injected";
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
  return Failure{kReconciliationExact, payment, detail, now_us};
}

}  // namespace

void check_reconciliation(const PspNode& psp, const PspEndpoint& endpoint, FaultInjector& faults,
                          const faults::SettlementFaults& plan, const EngineNode& node,
                          engine::PaymentEngine& engine, const engine::PlantedDefects& planted,
                          int64_t epoch_unix_us, TimeUs clock_tolerance_us, TimeUs now_us,
                          uint64_t seed, Trace& trace, std::vector<Failure>& failures) {
  SettlementRun run = write_settlement_reports(psp, endpoint, faults, plan, epoch_unix_us, seed);
  const ReportStreams reports = report_streams(run);
  for (const auto& r : run.reports) {
    const auto lines = std::count(r.csv.begin(), r.csv.end(), '\n') - 1;
    trace.record(now_us, "psp", "settlement_report",
                 "name=" + r.name + " lines=" + std::to_string(lines));
  }
  const engine::ReconcileOptions options =
      reconcile_options(run, plan, planted, epoch_unix_us, clock_tolerance_us, now_us);
  // docs/reconciliation.md: the job's period is by default the first to the last settlement
  // date of the reports' lines. It is given to the job only where that default would differ
  // from the PSP's days (a day without lines at either end), so most runs judge the default.
  engine::ReconcileOptions job = options;
  if (const auto dates = line_dates(run); options.first_day &&
                                          dates.first == oracle::date_text(*options.first_day) &&
                                          dates.second == oracle::date_text(*options.last_day)) {
    job.first_day.reset();
    job.last_day.reset();
  }
  const std::string malformed = judge_malformed_refused(run, engine, job, seed, trace, now_us);
  if (!malformed.empty()) {
    failures.push_back(Failure{kReconciliationExact, "", malformed, now_us});
    return;
  }
  std::vector<ExpectedDiscrepancy> found;
  std::vector<std::pair<ExpectedDiscrepancy, std::string>> details;
  std::vector<Place> places;
  auto sink = [&](const engine::Discrepancy& d) {
    found.push_back(as_named(d));
    details.emplace_back(found.back(), d.detail);
    places.push_back(Place{found.back(), d.report, d.line});
    trace.record(now_us, "engine-0", "reconcile",
                 "class=" + std::string(engine::to_string(d.cls)) + " type=" + d.type +
                     " ref=" + d.merchant_reference);
  };
  const int64_t transactions_before = ledger_transactions(engine);
  const engine::ReconcileResult result = engine::reconcile(engine.db(), reports.inputs, job, sink);
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
  drop_not_yet_due(run.injected, found, node, options, trace, now_us);
  std::sort(found.begin(), found.end());
  std::sort(run.injected.begin(), run.injected.end());
  if (found == run.injected) {
    std::string wrong = judge_details(run.detail_claims, details);
    if (wrong.empty()) wrong = judge_bookings(engine, run.owed);
    if (wrong.empty()) wrong = judge_booked_charges(engine);
    if (wrong.empty()) wrong = judge_places(run, places);
    const int64_t booked = ledger_transactions(engine) - transactions_before;
    if (wrong.empty()) wrong = judge_summary(result.summary, count_written(run), found, booked, 0);
    if (wrong.empty()) wrong = judge_second_run(run, engine, job, found, booked);
    if (!wrong.empty()) failures.push_back(Failure{kReconciliationExact, "", wrong, now_us});
    return;
  }
  failures.push_back(mismatch_failure(found, run.injected, now_us));
}

}  // namespace reckon::sim
