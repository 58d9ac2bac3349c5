#include "engine/reconcile/reconciler.h"

#include <map>
#include <set>
#include <utility>

#include "engine/check.h"
#include "engine/ledger.h"
#include "engine/money.h"

namespace reckon::engine {
namespace {

constexpr std::array<std::string_view, kReconClassCount> kClassNames{
    "matched",         "missing-in-ledger", "missing-in-report", "duplicate",
    "amount-mismatch", "currency-mismatch", "status-mismatch",   "fee-mismatch",
    "timing",          "rounding",          "payout-mismatch"};

constexpr std::string_view kReconSchema = R"sql(
CREATE TABLE IF NOT EXISTS recon_bookings (
  line_key   TEXT PRIMARY KEY,   -- merchant_reference, type, psp_reference (0x1F between)
  class      TEXT NOT NULL,
  txn_id     INTEGER NOT NULL REFERENCES ledger_transactions(id),
  created_us INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS operations_by_psp_key ON operations(psp_key);
-- A booking is history, like the ledger transaction it names: never edited or removed,
-- or a second run over the same report would book the line again.
CREATE TRIGGER IF NOT EXISTS recon_bookings_no_update BEFORE UPDATE ON recon_bookings
BEGIN SELECT RAISE(ABORT, 'recon_bookings are append-only: UPDATE refused'); END;
CREATE TRIGGER IF NOT EXISTS recon_bookings_no_delete BEFORE DELETE ON recon_bookings
BEGIN SELECT RAISE(ABORT, 'recon_bookings are append-only: DELETE refused'); END;
)sql";

// A money-moving operation the engine booked: what the PSP should settle for it.
struct LedgerEvent {
  std::string op_id;
  std::string charge_id;
  std::string currency;
  std::string psp_charge_id;
  SettlementType type = SettlementType::kCapture;
  int64_t gross_minor = 0;  // captures positive, refunds negative (as the PSP reports them)
  int64_t updated_us = 0;
};

LedgerEvent event_from(Statement& st) {
  LedgerEvent e;
  e.op_id = st.column_text(0);
  const std::string kind = st.column_text(1);
  const int64_t amount = st.column_int(2);
  e.updated_us = st.column_int(3);
  e.charge_id = st.column_text(4);
  e.currency = st.column_text(5);
  e.psp_charge_id = st.column_text(6);
  e.type = kind == "refund" ? SettlementType::kRefund : SettlementType::kCapture;
  e.gross_minor = kind == "refund" ? -amount : amount;
  return e;
}

int exponent_of(const std::string& currency) {
  const auto info = find_currency(currency);
  return info ? info->exponent : 0;  // stored charges and parsed lines use known currencies
}

std::string amount_text(int64_t minor, const std::string& currency) {
  return format_decimal(DecimalAmount{minor, exponent_of(currency)});
}

class Run {
 public:
  Run(Db& db, const ReconcileOptions& options, const DiscrepancySink& sink)
      : db_(db), options_(options), sink_(sink) {}

  Status prepare() {
    Status s = db_.exec(
        "CREATE TEMP TABLE IF NOT EXISTS recon_seen_lines (identity TEXT PRIMARY KEY);"
        "CREATE TEMP TABLE IF NOT EXISTS recon_seen_ops (op_id TEXT PRIMARY KEY);"
        "DELETE FROM temp.recon_seen_lines; DELETE FROM temp.recon_seen_ops;");
    return s;
  }

  // One report line: classify, book, report.
  Status line(const std::string& report, const SettlementLine& l) {
    ++summary_.lines;
    first_day_ = std::min(first_day_.value_or(l.settlement_day), l.settlement_day);
    last_day_ = std::max(last_day_.value_or(l.settlement_day), l.settlement_day);
    Discrepancy d;
    d.report = report;
    d.line = l.line_number;
    d.psp_reference = l.psp_reference;
    d.merchant_reference = l.merchant_reference;
    d.type = std::string(to_string(l.type));
    d.currency = l.currency;
    const std::string identity = l.merchant_reference + '\x1f' + d.type + '\x1f' + l.psp_reference;
    Status s = db_.prepare("INSERT OR IGNORE INTO temp.recon_seen_lines (identity) VALUES (?1)")
                   .bind(1, identity)
                   .run();
    if (!s.ok) return s;
    const bool duplicate = sqlite3_changes(db_.handle()) == 0;
    if (l.type == SettlementType::kPayout) ++summary_.payout_lines;
    // A duplicated payout is not paid out twice; a duplicated line is netted twice, as the
    // PSP's own sum that its payout pays out counts it (the duplicate class flags it once).
    if (!duplicate || l.type != SettlementType::kPayout) {
      s = add_to_day(report, l, d);
      if (!s.ok) return s;
    }
    if (duplicate) {
      d.cls = ReconClass::kDuplicate;
      d.detail = "repeats a line already reported in this run";
      return emit(d);
    }
    if (l.type == SettlementType::kPayout) return Status::success();  // checked per day
    std::optional<LedgerEvent> event = find_event(l.merchant_reference);
    if (l.type == SettlementType::kChargeback || !event) {
      d.cls = ReconClass::kMissingInLedger;
      d.detail = l.type == SettlementType::kChargeback
                     ? "a chargeback the ledger has no record of"
                     : "no succeeded capture or refund in the ledger has this merchant reference";
      s = book_unknown(l, identity, d.cls);
      if (!s.ok) return s;
      return emit(d);
    }
    if (l.type == SettlementType::kFee) {
      d.cls = ReconClass::kFeeMismatch;
      d.detail = "a separate fee of " + format_decimal(l.fee) + " " + l.currency +
                 " that the fee schedule does not provide";
      s = book_unknown(l, identity, d.cls);
      if (!s.ok) return s;
      return emit(d);
    }
    s = db_.prepare("INSERT OR IGNORE INTO temp.recon_seen_ops (op_id) VALUES (?1)")
            .bind(1, event->op_id)
            .run();
    if (!s.ok) return s;
    if (!bookable(l, *event, d)) return emit(d);
    classify_amounts(l, *event, d);
    s = book_settled(l, *event, identity, d.cls);
    if (!s.ok) return s;
    return emit(d);
  }

  // The ledger events of the covered days that no line reported.
  Status missing_in_report() {
    const auto first = options_.first_day ? options_.first_day : first_day_;
    const auto last = options_.last_day ? options_.last_day : last_day_;
    if (!first || !last) return Status::success();  // no dates: nothing is due
    auto& st = db_.prepare(
        "SELECT o.id, o.kind, o.amount_minor, o.updated_us, c.id, c.currency, "
        "IFNULL(c.psp_charge_id, ''), o.psp_key FROM operations o "
        "JOIN charges c ON c.id = o.charge_id WHERE o.status = 'succeeded' AND "
        "(o.kind IN ('capture', 'refund') OR (o.kind = 'authorize' AND c.capture_requested = 1)) "
        "AND NOT EXISTS (SELECT 1 FROM temp.recon_seen_ops s WHERE s.op_id = o.id) "
        "ORDER BY o.id");
    int rc = SQLITE_OK;
    while ((rc = st.step()) == SQLITE_ROW) {
      const LedgerEvent e = event_from(st);
      const int64_t at_unix_us = e.updated_us + options_.engine_epoch_unix_us;
      const int64_t due = settlement_day(at_unix_us, options_.cutoff_us_of_day);
      // The engine stamps a booking with its own clock, which may run up to
      // clock_tolerance_us behind the PSP's: the PSP's day for the event may then be the
      // day after `due`. The event is due if that day is covered.
      const int64_t due_latest =
          settlement_day(at_unix_us + options_.clock_tolerance_us, options_.cutoff_us_of_day);
      if (due_latest < *first || due > *last) continue;
      Discrepancy d;
      d.cls = ReconClass::kMissingInReport;
      d.psp_reference = e.psp_charge_id;
      d.merchant_reference = st.column_text(7);
      d.type = std::string(to_string(e.type));
      d.currency = e.currency;
      d.detail = "booked " + amount_text(e.gross_minor, e.currency) + " " + e.currency +
                 " (operation " + e.op_id + ", due " + format_date(due) + "), in no report";
      Status s = emit(d);
      if (!s.ok) return s;
    }
    st.reset();
    if (rc != SQLITE_DONE) return Status::error(rc, db_.last_error());
    return Status::success();
  }

  // Each settlement day and currency against its payouts: on a day that pays out, the
  // payouts of a currency must be minus the net of its lines (docs/reconciliation.md).
  Status check_payouts() {
    if (options_.planted.has(Defect::kReconIgnoresPayouts)) return Status::success();
    for (const auto& [key, t] : days_) {
      const auto& [day, currency] = key;
      const auto balance = add_decimal(t.lines_net, t.paid_out);
      if (!balance) {
        return Status::error(SQLITE_RANGE, "the nets of " + format_date(day) + " " + currency +
                                               " do not fit in 64 bits");
      }
      if (t.payouts == 0 && (balance->units == 0 || !payout_days_.contains(day))) continue;
      if (t.payouts > 0 && balance->units == 0) {
        summary_.by_class[static_cast<size_t>(ReconClass::kMatched)] += t.payouts;
        continue;
      }
      Discrepancy d = t.first_payout;
      d.cls = ReconClass::kPayoutMismatch;
      const std::string lines_net = format_decimal(t.lines_net) + " " + currency;
      if (t.payouts == 0) {
        d.report = t.first_report;
        d.type = "payout";
        d.currency = currency;
        d.detail = "no payout in " + currency + " for " + format_date(day) +
                   ", a day that pays out, whose lines net " + lines_net;
      } else {
        d.detail = "paid out " + format_decimal(t.paid_out) + " " + currency + " for " +
                   format_date(day) + ", whose lines net " + lines_net + " (off by " +
                   format_decimal(*balance) + ")";
      }
      Status s = emit(d);
      if (!s.ok) return s;
    }
    return Status::success();
  }

  ReconcileSummary& summary() { return summary_; }

 private:
  // Whether the line can be booked against the event: the same currency and the same type.
  // When not, `d` says why and nothing is booked (there is no agreed amount to book against).
  bool bookable(const SettlementLine& l, const LedgerEvent& event, Discrepancy& d) const {
    const bool check_currency = !options_.planted.has(Defect::kReconIgnoresCurrency);
    if (check_currency && l.currency != event.currency) {
      d.cls = ReconClass::kCurrencyMismatch;
      d.detail = "reported in " + l.currency + ", booked in " + event.currency;
      return false;
    }
    if (l.type != event.type) {
      d.cls = ReconClass::kStatusMismatch;
      d.detail = "reported as " + d.type + ", booked as " + std::string(to_string(event.type));
      return false;
    }
    return true;
  }

  // The class of a bookable line: its gross (exact, rounded, or wrong), then its fee, then
  // its settlement day; the first difference found names the class.
  void classify_amounts(const SettlementLine& l, const LedgerEvent& event, Discrepancy& d) const {
    const int exponent = exponent_of(event.currency);
    const std::string booked_gross = amount_text(event.gross_minor, event.currency);
    if (l.gross.decimals == exponent) {
      if (l.gross.units != event.gross_minor) {
        d.cls = ReconClass::kAmountMismatch;
        d.detail = "gross " + format_decimal(l.gross) + ", booked " + booked_gross;
      }
    } else if (round_to_decimals(event.gross_minor, exponent, l.gross.decimals) == l.gross) {
      d.cls = ReconClass::kRounding;
      d.detail = "gross " + format_decimal(l.gross) + " has " + std::to_string(l.gross.decimals) +
                 " decimals, " + event.currency + " has " + std::to_string(exponent) + "; booked " +
                 booked_gross;
    } else {
      d.cls = ReconClass::kAmountMismatch;
      d.detail = "gross " + format_decimal(l.gross) + ", booked " + booked_gross;
    }
    const int64_t fee_expected =
        expected_fee_minor(event.type, event.gross_minor, options_.fee_bps);
    if (d.cls == ReconClass::kMatched && to_minor_units(l.fee, exponent) != fee_expected) {
      d.cls = ReconClass::kFeeMismatch;
      d.detail = "fee " + format_decimal(l.fee) + ", the schedule says " +
                 amount_text(fee_expected, event.currency);
    }
    const int64_t expected_day = settlement_day(l.event_unix_us, options_.cutoff_us_of_day);
    if (d.cls == ReconClass::kMatched && l.settlement_day != expected_day) {
      d.cls = ReconClass::kTiming;
      // Planted (recon-timing-detail-misdated): the detail names the expected day twice.
      const int64_t named_day = options_.planted.has(Defect::kReconTimingDetailMisdated)
                                    ? expected_day
                                    : l.settlement_day;
      d.detail = "settled " + format_date(named_day) + ", the cut-off puts an event at " +
                 format_timestamp(l.event_unix_us) + " on " + format_date(expected_day);
    }
  }

  // Books what the PSP settled for a bookable line: the agreed fee, and any difference in
  // fee, gross or rounding.
  Status book_settled(const SettlementLine& l, const LedgerEvent& event,
                      const std::string& identity, ReconClass cls) {
    const int exponent = exponent_of(event.currency);
    const int64_t fee_expected =
        expected_fee_minor(event.type, event.gross_minor, options_.fee_bps);
    const auto fee_reported = to_minor_units(l.fee, exponent);
    const auto gross_reported = to_minor_units(l.gross, exponent);
    std::map<std::string, int64_t> entries;
    add(entries, "psp_fees", fee_expected);
    add(entries, "psp_receivable", -fee_expected);
    if (fee_reported) {
      const int64_t fee_diff = difference(*fee_reported, fee_expected);
      add(entries, "settlement_suspense", fee_diff);
      add(entries, "psp_receivable", difference(0, fee_diff));
    }
    if (gross_reported) {
      const int64_t diff = difference(*gross_reported, event.gross_minor);
      // Planted (recon-rounding-as-suspense): a rounding is parked like any other difference.
      const bool rounding =
          cls == ReconClass::kRounding && !options_.planted.has(Defect::kReconRoundingAsSuspense);
      const char* against = rounding ? "rounding_differences" : "settlement_suspense";
      add(entries, "psp_receivable", diff);
      add(entries, against, difference(0, diff));
    }
    return book(identity, cls, event.charge_id, event.currency, entries);
  }

  // INVARIANT: every amount read is bounded by max_amount_minor (the report reader refuses
  // others), so a booking's sums and differences fit int64. Planted report-amount-unbounded
  // lifts the bound and lets them wrap, as unchecked int64 arithmetic would.
  void add(std::map<std::string, int64_t>& entries, const std::string& account,
           int64_t amount) const {
    if (amount == 0) return;
    int64_t& balance = entries[account];
    // GCOVR_EXCL_START: planted defect only (ci/coverage.sh)
    if (options_.planted.has(Defect::kReportAmountUnbounded)) {
      balance =
          static_cast<int64_t>(static_cast<uint64_t>(balance) + static_cast<uint64_t>(amount));
      return;
    }
    // GCOVR_EXCL_STOP
    RECKON_CHECK(!__builtin_add_overflow(balance, amount, &balance),
                 "amounts are bounded by max_amount_minor, so a booking's sums fit int64");
  }

  int64_t difference(int64_t a, int64_t b) const {
    // GCOVR_EXCL_START: planted defect only (ci/coverage.sh)
    if (options_.planted.has(Defect::kReportAmountUnbounded)) {
      return static_cast<int64_t>(static_cast<uint64_t>(a) - static_cast<uint64_t>(b));
    }
    // GCOVR_EXCL_STOP
    int64_t out = 0;
    RECKON_CHECK(!__builtin_sub_overflow(a, b, &out),
                 "amounts are bounded by max_amount_minor, so their differences fit int64");
    return out;
  }

  // One settlement day in one currency, as its report states it.
  struct DayTotals {
    DecimalAmount lines_net;   // the net of every line but payouts (duplicates too)
    DecimalAmount paid_out;    // the net of its payout lines (negative: money to the bank)
    int64_t payouts = 0;       // payout lines, duplicates not counted
    Discrepancy first_payout;  // where a payout mismatch is reported
    std::string first_report;  // the report of its first line, for a missing payout
  };

  // INVARIANT: one entry per settlement day and currency seen, so memory grows with days x
  // currencies, never with lines.
  Status add_to_day(const std::string& report, const SettlementLine& l, const Discrepancy& d) {
    auto [it, fresh] = days_.try_emplace({l.settlement_day, l.currency});
    DayTotals& t = it->second;
    if (fresh) t.first_report = report;
    const bool payout = l.type == SettlementType::kPayout;
    DecimalAmount& sum = payout ? t.paid_out : t.lines_net;
    const auto next = add_decimal(sum, l.net);
    if (!next) {
      return Status::error(SQLITE_RANGE, report + ": line " + std::to_string(l.line_number) +
                                             ": the day's net no longer fits in 64 bits");
    }
    sum = *next;
    if (payout) {
      if (t.payouts++ == 0) t.first_payout = d;
      payout_days_.insert(l.settlement_day);
    }
    return Status::success();
  }

  std::optional<LedgerEvent> find_event(const std::string& merchant_reference) {
    auto& st = db_.prepare(
        "SELECT o.id, o.kind, o.amount_minor, o.updated_us, c.id, c.currency, "
        "IFNULL(c.psp_charge_id, '') FROM operations o JOIN charges c ON c.id = o.charge_id "
        "WHERE o.psp_key = ?1 AND o.status = 'succeeded' AND "
        "(o.kind IN ('capture', 'refund') OR (o.kind = 'authorize' AND c.capture_requested = 1)) "
        "ORDER BY o.id LIMIT 1");
    st.bind(1, merchant_reference);
    std::optional<LedgerEvent> out;
    if (st.step() == SQLITE_ROW) out = event_from(st);
    st.reset();
    return out;
  }

  // A line with no ledger event behind it (missing in the ledger, or a fee line): what the
  // PSP says moved is parked in settlement_suspense until someone explains it.
  Status book_unknown(const SettlementLine& l, const std::string& identity, ReconClass cls) {
    const int exponent = exponent_of(l.currency);
    std::map<std::string, int64_t> entries;
    if (l.type == SettlementType::kFee) {
      if (const auto fee = to_minor_units(l.fee, exponent)) {
        add(entries, "settlement_suspense", *fee);
        add(entries, "psp_receivable", difference(0, *fee));
      }
    } else if (const auto gross = to_minor_units(l.gross, exponent)) {
      add(entries, "psp_receivable", *gross);
      add(entries, "settlement_suspense", difference(0, *gross));
    }
    return book(identity, cls, "settlement:" + l.psp_reference, l.currency, entries);
  }

  Status book(const std::string& line_key, ReconClass cls, const std::string& charge_id,
              const std::string& currency, const std::map<std::string, int64_t>& sums) {
    std::vector<LedgerEntry> entries;
    for (const auto& [account, amount] : sums) {
      if (amount != 0) entries.push_back(LedgerEntry{account, amount});
    }
    if (entries.empty()) return Status::success();
    auto& seen = db_.prepare("SELECT 1 FROM recon_bookings WHERE line_key = ?1");
    seen.bind(1, line_key);
    const bool booked = seen.step() == SQLITE_ROW;
    seen.reset();
    if (booked) {
      ++summary_.lines_already_booked;
      return Status::success();
    }
    const std::string kind = cls == ReconClass::kMatched || cls == ReconClass::kTiming
                                 ? "settlement"
                                 : "settlement_correction";
    Status s = post_ledger_transaction(db_, charge_id, kind, currency, entries, options_.now_us);
    if (!s.ok) return s;
    // The entries' inserts came last, so last_insert_rowid is an entry's: read the newest
    // transaction instead (this transaction holds the write lock; nobody else appended).
    auto& newest = db_.prepare("SELECT id FROM ledger_transactions ORDER BY id DESC LIMIT 1");
    const int rc = newest.step();
    const int64_t txn_id = rc == SQLITE_ROW ? newest.column_int(0) : 0;
    newest.reset();
    if (rc != SQLITE_ROW) return Status::error(rc, "no ledger transaction after booking one");
    ++summary_.transactions_booked;
    if (options_.planted.has(Defect::kReconBookingUnrecorded)) return Status::success();
    return db_
        .prepare(
            "INSERT INTO recon_bookings (line_key, class, txn_id, created_us) "
            "VALUES (?1, ?2, ?3, ?4)")
        .bind(1, line_key)
        .bind(2, to_string(cls))
        .bind(3, txn_id)
        .bind(4, options_.now_us)
        .run();
  }

  Status emit(const Discrepancy& d) {
    ++summary_.by_class[static_cast<size_t>(d.cls)];
    if (d.cls == ReconClass::kMatched) return Status::success();
    ++summary_.discrepancies;
    if (sink_) sink_(d);
    return Status::success();
  }

  Db& db_;
  const ReconcileOptions& options_;
  const DiscrepancySink& sink_;
  ReconcileSummary summary_;
  std::optional<int64_t> first_day_;
  std::optional<int64_t> last_day_;
  std::map<std::pair<int64_t, std::string>, DayTotals> days_;  // ordered: a stable report order
  std::set<int64_t> payout_days_;                              // days with a payout line
};

}  // namespace

std::string_view to_string(ReconClass c) {
  return kClassNames[static_cast<size_t>(c)];
}

std::optional<ReconClass> parse_recon_class(std::string_view name) {
  for (size_t i = 0; i < kClassNames.size(); ++i) {
    if (kClassNames[i] == name) return static_cast<ReconClass>(i);
  }
  return std::nullopt;
}

int64_t expected_fee_minor(SettlementType type, int64_t gross_minor, int64_t fee_bps) {
  if (type != SettlementType::kCapture || gross_minor <= 0) return 0;
  // Half away from zero; gross and bps are positive here. A gross is at most
  // max_amount_minor (under 10^12 minor units) and bps at most 10'000, so this cannot overflow.
  int64_t product = 0;
  RECKON_CHECK(
      !__builtin_mul_overflow(gross_minor, fee_bps, &product) && product <= INT64_MAX - 5'000,
      "a gross is bounded by max_amount_minor and a fee by 10'000 bps");
  return (product + 5'000) / 10'000;
}

Status apply_reconciliation_schema(Db& db) {
  return db.exec(kReconSchema);
}

namespace {

// Reads every report through before the job starts: a malformed one sets `result`'s csv
// error (nothing is then reported, booked or even locked); each well-formed stream is
// rewound for the run. False when the job must not start.
bool all_well_formed(const std::vector<ReportInput>& reports, const PlantedDefects& planted,
                     ReconcileResult& result) {
  for (const auto& report : reports) {
    int64_t data_lines = 0;
    if (auto error = validate_settlement_csv(*report.in, data_lines, planted)) {
      result.csv_error = std::move(error);
      result.csv_report = report.name;
      return false;
    }
    report.in->clear();
    if (!report.in->seekg(0)) {
      result.error = "cannot read report " + report.name + " a second time (not a file?)";
      return false;
    }
  }
  return true;
}

}  // namespace

ReconcileResult reconcile(Db& db, const std::vector<ReportInput>& reports,
                          const ReconcileOptions& options, const DiscrepancySink& sink) {
  ReconcileResult result;
  if (!all_well_formed(reports, options.planted, result)) return result;
  Run run(db, options, sink);
  Status s = in_transaction(db, [&]() -> Status {
    Status w = apply_reconciliation_schema(db);
    if (w.ok) w = run.prepare();
    if (!w.ok) return w;
    for (const auto& report : reports) {
      SettlementCsvReader reader(*report.in, options.planted);
      while (auto line = reader.next()) {
        w = run.line(report.name, *line);
        if (!w.ok) return w;
      }
      if (reader.error()) {
        result.csv_error = reader.error();
        result.csv_report = report.name;
        return Status::error(SQLITE_ABORT,
                             "malformed report " + report.name + ": " + reader.error()->str());
      }
    }
    w = run.check_payouts();
    if (!w.ok) return w;
    return run.missing_in_report();
  });
  result.summary = run.summary();
  result.ok = s.ok;
  if (!s.ok) result.summary.transactions_booked = 0;  // rolled back
  if (!s.ok && !result.csv_error) result.error = s.message;
  return result;
}

}  // namespace reckon::engine
