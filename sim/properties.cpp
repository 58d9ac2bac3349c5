#include "sim/properties.h"

#include "engine/ledger.h"
#include "engine/store/records.h"

namespace reckon::sim {

void PropertyChecker::fail(const char* property, std::string payment, std::string detail,
                           TimeUs now_us) {
  failures_.push_back(Failure{property, std::move(payment), std::move(detail), now_us});
}

void PropertyChecker::check_psp(const PspNode& psp, TimeUs now_us) {
  // Only a new PSP charge can create a double charge, so look at new ones only.
  const auto& order = psp.creation_order();
  for (; psp_charges_seen_ < order.size(); ++psp_charges_seen_) {
    const PspCharge& charge = psp.charges().at(order[psp_charges_seen_]);
    const auto successes = psp.successful_charges_for(charge.card_token);
    if (successes.size() <= 1) continue;
    std::string ids;
    for (const auto* c : successes) ids += (ids.empty() ? "" : ", ") + c->psp_charge_id;
    fail(kNoDoubleCharge, charge.card_token,
         "the PSP holds " + std::to_string(successes.size()) +
             " successful authorizations for one order: " + ids,
         now_us);
    return;
  }
  for (const auto& [id, charge] : psp.charges()) {
    if (charge.refunded_minor > charge.captured_minor) {
      fail(kRefundWithinCapture, charge.card_token,
           "the PSP refunded " + std::to_string(charge.refunded_minor) + " of " + id +
               " but captured only " + std::to_string(charge.captured_minor),
           now_us);
      return;
    }
  }
}

void PropertyChecker::check_engine_refunds(engine::PaymentEngine& engine, TimeUs now_us) {
  // Only a new refund operation can promise more than was captured (a refund's later
  // success books what it already promised; a decline promises less), so look only at
  // charges with refund operations committed since the last look: the check stays
  // proportional to what changed, not to the size of the database.
  auto& db = engine.db();
  auto& fresh = db.prepare(
      "SELECT rowid, charge_id FROM operations WHERE rowid > ?1 AND kind = 'refund' "
      "ORDER BY rowid");
  fresh.bind(1, last_refund_rowid_);
  std::vector<std::string> charges;
  while (fresh.step() == SQLITE_ROW) {
    last_refund_rowid_ = fresh.column_int(0);
    charges.push_back(fresh.column_text(1));
  }
  fresh.reset();
  auto& st = db.prepare(
      "SELECT c.captured_minor, c.refunded_minor, "
      "(SELECT COALESCE(SUM(o.amount_minor), 0) FROM operations o WHERE o.charge_id = c.id "
      "AND o.kind = 'refund' AND o.status IN ('pending', 'unknown', 'succeeded')) "
      "FROM charges c WHERE c.id = ?1");
  for (const auto& id : charges) {
    st.bind(1, id);
    if (st.step() != SQLITE_ROW) {
      st.reset();
      continue;
    }
    const int64_t captured = st.column_int(0);
    const int64_t booked = st.column_int(1);
    const int64_t promised = st.column_int(2);
    st.reset();
    if (booked > captured || promised > captured) {
      fail(kRefundWithinCapture, id,
           "the engine committed to refunding " + std::to_string(promised) + " (booked " +
               std::to_string(booked) + ") of a capture of " + std::to_string(captured),
           now_us);
      return;
    }
  }
}

void PropertyChecker::check_ledger(engine::PaymentEngine& engine, TimeUs now_us) {
  const int64_t changes = sqlite3_total_changes64(engine.db().handle());
  if (changes == last_total_changes_) return;
  last_total_changes_ = changes;
  check_engine_refunds(engine, now_us);
  if (!failures_.empty()) return;
  const auto entries = engine::read_entries_after(engine.db(), last_entry_id_);
  if (entries.empty()) return;
  std::map<int64_t, int64_t> txn_sums;
  std::map<int64_t, std::string> txn_charge;
  for (const auto& e : entries) {
    txn_sums[e.txn_id] += e.amount_minor;
    txn_charge[e.txn_id] = e.charge_id;
    currency_sums_[e.currency] += e.amount_minor;
    last_entry_id_ = e.id;
    ++entries_checked_;
  }
  for (const auto& [txn, sum] : txn_sums) {
    if (sum != 0) {
      fail(kLedgerBalanced, txn_charge[txn],
           "ledger transaction " + std::to_string(txn) + " sums to " + std::to_string(sum), now_us);
      return;
    }
  }
  for (const auto& [currency, sum] : currency_sums_) {
    if (sum != 0) {
      fail(kLedgerZeroSum, "", currency + " entries sum to " + std::to_string(sum), now_us);
      return;
    }
  }
}

void PropertyChecker::check_agreement(engine::PaymentEngine& engine, const PspNode& psp,
                                      TimeUs now_us) {
  auto& db = engine.db();
  const auto unresolved = engine::unresolved_operations(db);
  if (!unresolved.empty()) {
    fail(kLiveness, unresolved.front().charge_id,
         std::to_string(unresolved.size()) +
             " operation(s) still pending or unknown after faults stopped (first: " +
             unresolved.front().id + ", " + unresolved.front().status + ")",
         now_us);
    return;
  }
  auto& st = db.prepare("SELECT id FROM charges WHERE psp_charge_id = ?1");
  for (const auto& [psp_id, charge] : psp.charges()) {
    if (charge.state == engine::PspChargeState::kDeclined) continue;
    st.bind(1, psp_id);
    const bool found = st.step() == SQLITE_ROW;
    const std::string engine_id = found ? st.column_text(0) : "";
    st.reset();
    if (!found) {
      fail(kEnginePspAgreement, charge.card_token,
           "PSP charge " + psp_id + " (" + std::string(engine::to_string(charge.state)) +
               ") belongs to no charge in the engine",
           now_us);
      return;
    }
    const auto row = engine::load_charge(db, engine_id);
    const std::string expected(engine::to_string(charge.state));
    if (row->status != expected || row->captured_minor != charge.captured_minor ||
        row->refunded_minor != charge.refunded_minor) {
      fail(kEnginePspAgreement, engine_id,
           "engine says " + row->status + " captured=" + std::to_string(row->captured_minor) +
               " refunded=" + std::to_string(row->refunded_minor) + ", PSP says " + expected +
               " captured=" + std::to_string(charge.captured_minor) +
               " refunded=" + std::to_string(charge.refunded_minor),
           now_us);
      return;
    }
  }
}

}  // namespace reckon::sim
