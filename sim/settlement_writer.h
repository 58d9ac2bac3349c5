#pragma once
// The settlement source: after the run, the simulated PSP writes one settlement report per
// day (CSV, docs/reconciliation.md) from the captures and refunds it did, with a daily
// cut-off, then one payout per currency (minus the day's net), and writes the settlement
// faults of the plan into them, each a recorded decision.
// It keeps the list of discrepancies it injected: the ground truth against which the
// property reconciliation-exact judges the engine's reconciliation job. The PSP's side states
// its own format and fee arithmetic (oracle/settlement_text.h), never the job's.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "faults/fault_plan.h"
#include "sim/fault_injector.h"
#include "sim/psp_endpoint.h"
#include "sim/psp_node.h"

namespace reckon::sim {

// A discrepancy as the job should report it: class, merchant reference and the line's type
// (missing-in-report: the type the ledger expects).
struct ExpectedDiscrepancy {
  std::string cls;  // docs/reconciliation.md's class name: "amount-mismatch", "timing", ...
  std::string merchant_reference;
  std::string type;
  // The line's psp_reference as the report wrote it; for missing-in-report (no line) the
  // charge's id at the PSP; for a missing payout (no payout line) empty.
  std::string psp_reference;
  std::string currency;  // as the report wrote it (missing-in-report: the charge's)
  auto operator<=>(const ExpectedDiscrepancy&) const = default;
};

// What docs/reconciliation.md says the detail of an injected discrepancy names (a timing
// line's dates and event time, a payout's day and amounts), each text as the PSP's side
// writes it (oracle/settlement_text.h). Judged only when the job reports that discrepancy.
struct DetailClaim {
  ExpectedDiscrepancy about;
  std::vector<std::string> names;
};

// What the job owes the ledger for the lines of a run (docs/reconciliation.md, the classes'
// "booked" column and "Every booking is one ledger transaction"): the sum of its entries per
// transaction kind ("settlement" for matched and timing lines, "settlement_correction" for
// the rest), account and currency. Stated line by line by the PSP's side as it writes them,
// from its own amounts and fee arithmetic.
struct OwedBooking {
  std::string kind;
  std::string account;
  std::string currency;
  auto operator<=>(const OwedBooking&) const = default;
};
using OwedBookings = std::map<OwedBooking, int64_t>;

struct SettlementReport {
  int64_t day = 0;   // days since 1970-01-01
  std::string name;  // settlement-YYYY-MM-DD.csv
  std::string csv;
};

struct SettlementRun {
  std::vector<SettlementReport> reports;  // one per day, first to last, some maybe empty
  std::vector<ExpectedDiscrepancy> injected;
  std::vector<DetailClaim> detail_claims;
  OwedBookings owed;  // entries summing to zero are left out
  int64_t first_day = 0;
  int64_t last_day = -1;  // last < first: the PSP settled nothing
};

// Writes the day reports from the PSP's settled events. `epoch_unix_us` is the Unix time of
// virtual time 0. Deterministic: events in the PSP's order, faults from `faults`, the
// report's format variant from the seed's stream "settlement-format".
SettlementRun write_settlement_reports(const PspNode& psp, const PspEndpoint& endpoint,
                                       FaultInjector& faults, const faults::SettlementFaults& plan,
                                       int64_t epoch_unix_us, uint64_t seed);

}  // namespace reckon::sim
