#pragma once
// The reconciliation job: compares the engine's ledger (its succeeded captures and refunds)
// with the PSP's settlement reports line by line, classifies every line, books fees and
// corrections as new balanced ledger transactions, and reports the discrepancies.
//
// - Streams: one report line in memory at a time; what was seen this run lives in SQLite
//   temp tables (which spill to disk), and the "missing in report" side is one indexed
//   query. Memory does not grow with the report.
// - Idempotent: every booking is keyed by the report line's identity (recon_bookings, a
//   PRIMARY KEY), so running the job again over the same report books nothing new.
// - All or nothing: one SQLite transaction; a malformed line rolls everything back.
// docs/reconciliation.md documents the columns, the classes and what each books.

#include <array>
#include <cstdint>
#include <functional>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/planted.h"
#include "engine/reconcile/settlement_csv.h"
#include "engine/store/db.h"

namespace reckon::engine {

// Stable names (kebab-case) that reports and scripts rely on; never renumbered.
enum class ReconClass {
  kMatched,
  kMissingInLedger,
  kMissingInReport,
  kDuplicate,
  kAmountMismatch,
  kCurrencyMismatch,
  kStatusMismatch,
  kFeeMismatch,
  kTiming,
  kRounding,
  kPayoutMismatch,  // a payout that is not minus the net of its day's lines in its currency
};
inline constexpr int kReconClassCount = 11;
std::string_view to_string(ReconClass c);
std::optional<ReconClass> parse_recon_class(std::string_view name);

// The PSP's fee schedule as the platform agreed it: captures pay fee_bps basis points of
// the gross, rounded half away from zero to the minor unit; refunds, fees, chargebacks and
// payouts carry no processing fee of their own.
int64_t expected_fee_minor(SettlementType type, int64_t gross_minor, int64_t fee_bps);

struct ReconcileOptions {
  // Daily settlement cut-off, microseconds after midnight UTC (default 22:00).
  int64_t cutoff_us_of_day = 22LL * 3600 * 1'000'000;
  int64_t fee_bps = 290;
  // The Unix time (us) at which the engine's clock reads 0: 0 in live mode; the simulator's
  // virtual time starts at 2026-01-01T00:00:00Z.
  int64_t engine_epoch_unix_us = 0;
  // The settlement days these reports cover (days since 1970-01-01, inclusive): a ledger
  // event whose settlement day falls inside and that no line reported is missing in the
  // report. Default: from the first to the last settlement date of the lines.
  std::optional<int64_t> first_day;
  std::optional<int64_t> last_day;
  // How far the engine's clock may run behind the PSP's. Bookings carry the engine's time,
  // so a booking that close before a cut-off may be the next day's event by the PSP's
  // clock; it counts as due when that next day is covered.
  int64_t clock_tolerance_us = 0;
  int64_t now_us = 0;  // engine clock value stamped on booked transactions
  PlantedDefects planted;
};

// One discrepancy (a line, a day and currency whose payout is wrong or missing, or a ledger
// event no line reported).
struct Discrepancy {
  ReconClass cls = ReconClass::kMatched;
  std::string report;  // the report's name; empty for missing-in-report
  int64_t line = 0;    // its line number; 0 for missing-in-report and a missing payout
  std::string psp_reference;
  std::string merchant_reference;
  std::string type;      // as reported (missing-in-report: as the ledger expects it)
  std::string currency;  // as reported (missing-in-report: the ledger's)
  std::string detail;    // what differs, for people
};

struct ReconcileSummary {
  int64_t lines = 0;
  // Payouts move the day's balance to the bank: each is checked against the net of its
  // day's lines per currency (classes matched or payout-mismatch), not against the ledger.
  int64_t payout_lines = 0;
  std::array<int64_t, kReconClassCount> by_class{};
  int64_t discrepancies = 0;  // everything but matched
  int64_t transactions_booked = 0;
  int64_t lines_already_booked = 0;  // booked by an earlier run: skipped
};

struct ReportInput {
  std::string name;  // names the report in discrepancies and errors
  std::istream* in = nullptr;
};

struct ReconcileResult {
  bool ok = false;
  std::optional<CsvError> csv_error;  // a malformed report: nothing was booked
  std::string csv_report;             // which report it was in
  std::string error;                  // any other failure (database): nothing was booked
  ReconcileSummary summary;
};

using DiscrepancySink = std::function<void(const Discrepancy&)>;

// Creates the job's tables and index if missing (recon_bookings; an index on the PSP key of
// operations). Called by reconcile(); exposed for tests.
Status apply_reconciliation_schema(Db& db);

// Runs the job over `reports` in one transaction. Every report is read through first: if one
// is malformed, the result names its first problem and nothing is reported or booked (the
// streams must be seekable: each is read twice). Every discrepancy goes to `sink` as it is
// found: lines in report order, then payouts by settlement day and currency (they need the
// whole day), then missing-in-report in operation id order.
ReconcileResult reconcile(Db& db, const std::vector<ReportInput>& reports,
                          const ReconcileOptions& options, const DiscrepancySink& sink);

}  // namespace reckon::engine
