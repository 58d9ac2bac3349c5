#pragma once
// The properties a run must keep, checked while it runs (safety) and after it quiesces
// (liveness). Each has a stable name that reports, tests and users' scripts rely on:
//
//   no-double-charge      no order's card token holds more than one successful PSP
//                         authorization (judged from the simulated PSP's records)
//   ledger-balanced       every ledger transaction's entries sum to zero
//   ledger-zero-sum       all entries of each currency sum to zero at every commit
//   liveness              after faults stop, every operation reaches a final state
//   engine-psp-agreement  after quiescence, every PSP charge belongs to an engine charge
//                         whose status and captured and refunded amounts match it
//   refund-within-capture refunds never exceed captures: at the PSP (refunded <= captured
//                         per charge) and in the engine (refunds booked, pending or
//                         unknown never add up to more than the charge's capture)
//   reconciliation-exact  after quiescence, the reconciliation job over the PSP's day
//                         reports flags exactly the discrepancies the simulator wrote into
//                         them, each with its class (sim/settlement.h)

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "sim/psp_node.h"
#include "sim/run_types.h"

namespace reckon::sim {

inline constexpr const char* kNoDoubleCharge = "no-double-charge";
inline constexpr const char* kLedgerBalanced = "ledger-balanced";
inline constexpr const char* kLedgerZeroSum = "ledger-zero-sum";
inline constexpr const char* kLiveness = "liveness";
inline constexpr const char* kEnginePspAgreement = "engine-psp-agreement";
inline constexpr const char* kRefundWithinCapture = "refund-within-capture";
inline constexpr const char* kReconciliationExact = "reconciliation-exact";

// Every property name, for validating scenario files and reports. INVARIANT: a property
// added above is added here.
inline constexpr const char* kAllProperties[] = {
    kNoDoubleCharge,     kLedgerBalanced,      kLedgerZeroSum,      kLiveness,
    kEnginePspAgreement, kRefundWithinCapture, kReconciliationExact};

class PropertyChecker {
 public:
  explicit PropertyChecker(std::vector<Failure>& failures) : failures_(failures) {}

  // After the PSP processed a request for this card token.
  void check_psp(const PspNode& psp, TimeUs now_us);
  // After any event in which the engine may have committed.
  void check_ledger(engine::PaymentEngine& engine, TimeUs now_us);
  // A new engine incarnation has a new connection (its change counter restarts).
  void engine_restarted() { last_total_changes_ = -1; }
  // After the liveness phase.
  void check_agreement(engine::PaymentEngine& engine, const PspNode& psp, TimeUs now_us);

  uint64_t entries_checked() const { return entries_checked_; }

 private:
  void fail(const char* property, std::string payment, std::string detail, TimeUs now_us);
  void check_engine_refunds(engine::PaymentEngine& engine, TimeUs now_us);

  std::vector<Failure>& failures_;
  size_t psp_charges_seen_ = 0;
  int64_t last_entry_id_ = 0;
  int64_t last_total_changes_ = -1;
  int64_t last_refund_rowid_ = 0;  // refund operations up to here were checked
  uint64_t entries_checked_ = 0;
  std::map<std::string, int64_t> currency_sums_;
};

}  // namespace reckon::sim
