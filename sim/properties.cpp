#include "sim/properties.h"

#include "oracle/charge_rules.h"
#include "oracle/currencies.h"
#include "sim/psp_notice.h"

namespace reckon::sim {

namespace {

// The charge status that agrees with what the PSP holds: docs/state-machine.md names a
// charge's status after what the PSP did with it, in the dialect's own words (a partially
// refunded charge stays captured, as the PSP's does).
std::string status_matching(engine::PspChargeState state) {
  return std::string(dialect_name(state));
}

}  // namespace

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
  for (; psp_refusals_seen_ < psp.inadmissible().size(); ++psp_refusals_seen_) {
    const PspInadmissible& r = psp.inadmissible()[psp_refusals_seen_];
    fail(kPspRequestAdmissible, r.psp_charge_id,
         "the engine sent the PSP a request its own records rule out (key " + r.idempotency_key +
             "): " + r.detail,
         now_us);
    return;
  }
  for (const auto& [id, charge] : psp.charges()) {
    if (charge.captured_minor > charge.authorized_minor) {
      fail(kCaptureWithinAuthorization, charge.card_token,
           "the PSP captured " + std::to_string(charge.captured_minor) + " of " + id +
               " but authorized only " + std::to_string(charge.authorized_minor),
           now_us);
      return;
    }
    if (charge.refunded_minor > charge.captured_minor) {
      fail(kRefundWithinCapture, charge.card_token,
           "the PSP refunded " + std::to_string(charge.refunded_minor) + " of " + id +
               " but captured only " + std::to_string(charge.captured_minor),
           now_us);
      return;
    }
  }
}

void PropertyChecker::check_engine_refunds(TimeUs now_us) {
  // Only a new refund operation can promise more than was captured (a refund's later
  // success books what it already promised; a decline promises less), so look only at
  // charges with refund operations committed since the last look: the check stays
  // proportional to what changed, not to the size of the database.
  // Every new row moves the mark, refund or not, so no row is read twice.
  auto& fresh = store_.prepare(
      "SELECT rowid, kind = 'refund', charge_id FROM operations WHERE rowid > ?1 ORDER BY rowid");
  fresh.bind(1, last_refund_rowid_);
  std::vector<std::string> charges;
  while (fresh.step() == SQLITE_ROW) {
    last_refund_rowid_ = fresh.column_int(0);
    if (fresh.column_int(1) != 0) charges.push_back(fresh.column_text(2));
  }
  fresh.reset();
  auto& st = store_.prepare(
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

void PropertyChecker::check_engine_captures(TimeUs now_us) {
  // Only a new capture operation can promise more than the authorization, so look only at
  // capture operations committed since the last look.
  // Every new row moves the mark, capture or not, so no row is read twice.
  auto& st = store_.prepare(
      "SELECT o.rowid, o.charge_id, o.amount_minor, c.amount_minor, o.status, o.kind = 'capture' "
      "FROM operations o JOIN charges c ON c.id = o.charge_id "
      "WHERE o.rowid > ?1 ORDER BY o.rowid");
  st.bind(1, last_capture_rowid_);
  while (st.step() == SQLITE_ROW) {
    last_capture_rowid_ = st.column_int(0);
    if (st.column_int(5) == 0) continue;
    const int64_t capture = st.column_int(2);
    const int64_t authorized = st.column_int(3);
    const std::string status = st.column_text(4);
    if (capture > authorized && status != "declined" && status != "failed") {
      const std::string charge = st.column_text(1);
      st.reset();
      fail(kCaptureWithinAuthorization, charge,
           "the engine committed to capturing " + std::to_string(capture) + " (" + status +
               ") of an authorization of " + std::to_string(authorized),
           now_us);
      return;
    }
  }
  st.reset();
}

void PropertyChecker::hook() {
  if (hooked_) return;
  hooked_ = true;
  sqlite3_update_hook(
      store_.connection(),
      [](void* self, int op, const char*, const char* table, sqlite3_int64 rowid) {
        auto* checker = static_cast<PropertyChecker*>(self);
        const std::string_view name(table);
        if (name == "charges") checker->changed_charges_.insert(rowid);
        if (name == "operations") checker->changed_operations_.insert(rowid);
        if (op != SQLITE_INSERT && (name == "ledger_entries" || name == "ledger_transactions")) {
          checker->verify_entries_ = true;
        }
      },
      this);
}

void PropertyChecker::check_transitions(TimeUs now_us) {
  // The charges written since the last look (by the update hook; what was rolled back reads
  // as it was); after a restart all of them, since the durable state may be older.
  std::string problem;
  std::string charge;
  auto judge = [&](StoreQuery& st) {
    while (problem.empty() && st.step() == SQLITE_ROW) {
      charge = st.column_text(0);
      const std::string status = st.column_text(1);
      auto [seen, first] = charge_status_.try_emplace(charge, status);
      if (first) {
        if (status != "pending") problem = "first seen " + status + "; a charge starts pending";
        if (recorder_ != nullptr) recorder_->charge_seen(charge, st.column_int(2));
        continue;
      }
      if (seen->second == status) continue;
      if (!oracle::is_documented_transition(seen->second, status)) {
        problem = "went from " + seen->second + " to " + status;
      }
      if (recorder_ != nullptr) recorder_->transition(charge, seen->second, status);
      seen->second = status;
    }
    st.reset();
  };
  if (rescan_charges_) {
    rescan_charges_ = false;
    changed_charges_.clear();
    judge(store_.prepare("SELECT id, status, created_us FROM charges ORDER BY id"));
  } else {
    auto& st = store_.prepare("SELECT id, status, created_us FROM charges WHERE rowid = ?1");
    for (const int64_t rowid : changed_charges_) {
      if (!problem.empty()) break;
      st.bind(1, rowid);
      judge(st);
    }
    changed_charges_.clear();
  }
  if (!problem.empty()) fail(kLegalTransitions, charge, "charge " + charge + " " + problem, now_us);
}

void PropertyChecker::check_entries_unchanged(TimeUs now_us) {
  if (!verify_entries_ || seen_entries_.empty()) return;
  verify_entries_ = false;
  auto& st = store_.prepare(
      "SELECT id, txn_id, account, currency, amount_minor, hash FROM ledger_entries "
      "WHERE id <= ?1 ORDER BY id");
  st.bind(1, seen_entries_.back().id);
  size_t i = 0;
  std::string problem;
  while (problem.empty() && st.step() == SQLITE_ROW) {
    const SeenEntry now{st.column_int(0),  st.column_int(1), st.column_text(2),
                        st.column_text(3), st.column_int(4), st.column_text(5)};
    if (i >= seen_entries_.size() || seen_entries_[i].id > now.id) {
      problem = "entry " + std::to_string(now.id) + " appeared inside the history already seen";
    } else if (seen_entries_[i].id < now.id) {
      problem = "entry " + std::to_string(seen_entries_[i].id) + " was removed";
    } else if (!(seen_entries_[i] == now)) {
      problem = "entry " + std::to_string(now.id) + " (" + now.account + ", transaction " +
                std::to_string(now.txn_id) + ") was changed: amount " +
                std::to_string(seen_entries_[i].amount_minor) + " " + seen_entries_[i].currency +
                " became " + std::to_string(now.amount_minor) + " " + now.currency +
                (seen_entries_[i].hash == now.hash ? "" : ", hash " + now.hash);
    }
    ++i;
  }
  st.reset();
  if (problem.empty() && i < seen_entries_.size()) {
    problem = std::to_string(seen_entries_.size() - i) + " entries from id " +
              std::to_string(seen_entries_[i].id) + " on were removed";
  }
  if (!problem.empty()) fail(kLedgerAppendOnly, "", "ledger " + problem, now_us);
}

void PropertyChecker::check_acknowledged(sqlite3* store, const std::vector<Acknowledgement>& acks,
                                         TimeUs kept_for_us, TimeUs now_us) {
  if (acks.empty()) return;
  attach(store);
  // One pass over the stored keys (cheaper than a lookup per acknowledgement).
  struct Stored {
    std::string state;
    int64_t status = 0;
    std::string operation;
  };
  std::map<std::pair<std::string, std::string>, Stored> stored;
  auto& st = store_.prepare(
      "SELECT i.merchant, i.key, i.state, COALESCE(i.response_status, 0), "
      "COALESCE(o.status, 'missing') FROM idempotency_keys i "
      "LEFT JOIN operations o ON o.id = i.operation_id");
  while (st.step() == SQLITE_ROW) {
    stored[{st.column_text(0), st.column_text(1)}] =
        Stored{st.column_text(2), st.column_int(3), st.column_text(4)};
  }
  st.reset();
  for (const auto& ack : acks) {
    if (now_us - ack.first_sent_us >= kept_for_us) continue;  // docs/api.md, "Retention"
    const std::string_view merchant = oracle::merchant_of_test_key(ack.api_key);
    if (merchant.empty()) continue;  // not one of the simulator's merchants
    auto row = stored.find({std::string(merchant), ack.idempotency_key});
    std::string problem;
    if (row == stored.end()) {
      problem = "is unknown to the engine";
    } else if (row->second.state != "done") {
      problem = "is " + row->second.state + " again";
    } else if ((ack.status < 300) != (row->second.operation == "succeeded")) {
      // Whether the answer equals the stored one is replayed-response-equals-first's
      // business; here the outcome must still be the one the client was told.
      problem = "has its operation " + row->second.operation;
    }
    if (!problem.empty()) {
      fail(kAcknowledgedOperationSurvives, ack.idempotency_key,
           "key " + ack.idempotency_key + ", answered " + std::to_string(ack.status) + " at " +
               std::to_string(ack.at_us) + "us, " + problem,
           now_us);
      return;
    }
  }
}

void PropertyChecker::check_ledger(sqlite3* store, TimeUs now_us) {
  attach(store);
  const int64_t changes = sqlite3_total_changes64(store_.connection());
  if (changes == last_total_changes_) return;
  last_total_changes_ = changes;
  hook();
  check_engine_refunds(now_us);
  if (!failures_.empty()) return;
  check_engine_captures(now_us);
  if (!failures_.empty()) return;
  check_engine_settlements(now_us);
  if (!failures_.empty()) return;
  check_entries_unchanged(now_us);
  if (!failures_.empty()) return;
  check_transitions(now_us);
  if (!failures_.empty()) return;
  const auto entries = read_entries_after(last_entry_id_);
  if (entries.empty()) return;
  const uint64_t judged_before = ledger_rules_.entries_judged();
  const auto finding = ledger_rules_.judge(entries);
  // Only the entries the rules took in count as seen: after an entry the chart does not have
  // (or one mixing currencies), the next look starts again at it, so nothing after it is
  // judged against sums or a chain it never joined.
  const auto judged = static_cast<size_t>(ledger_rules_.entries_judged() - judged_before);
  for (size_t i = 0; i < judged; ++i) {
    const auto& e = entries[i];
    seen_entries_.push_back(
        SeenEntry{e.id, e.txn_id, e.account, e.currency, e.amount_minor, e.hash});
    last_entry_id_ = e.id;
  }
  if (finding) fail(ledger_property(finding->rule), finding->charge_id, finding->detail, now_us);
}

const char* PropertyChecker::ledger_property(oracle::LedgerRule rule) {
  switch (rule) {
    case oracle::LedgerRule::kBalanced:
      return kLedgerBalanced;
    case oracle::LedgerRule::kZeroSum:
      return kLedgerZeroSum;
    case oracle::LedgerRule::kHashChain:
      return kLedgerHashChain;
  }
  return kLedgerBalanced;
}

std::vector<oracle::LedgerEntryRow> PropertyChecker::read_entries_after(int64_t entry_id) {
  auto& st = store_.prepare(
      "SELECT e.id, e.txn_id, t.charge_id, t.kind, e.account, e.currency, e.amount_minor, e.hash "
      "FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.txn_id WHERE e.id > ?1 "
      "ORDER BY e.id");
  st.bind(1, entry_id);
  std::vector<oracle::LedgerEntryRow> rows;
  while (st.step() == SQLITE_ROW) {
    rows.push_back(oracle::LedgerEntryRow{st.column_int(0), st.column_int(1), st.column_text(2),
                                          st.column_text(3), st.column_text(4), st.column_text(5),
                                          st.column_int(6), st.column_text(7)});
  }
  st.reset();
  return rows;
}

void PropertyChecker::check_outbox(sqlite3* store, const WebhookNode& webhook, TimeUs now_us) {
  attach(store);
  hook();
  check_transition_events(now_us);
  if (failures_.empty()) check_receipts(webhook, now_us);
}

void PropertyChecker::check_transition_events(TimeUs now_us) {
  // The operations written since the last look (after a restart: all of them). Between
  // events no transaction is open, so what is read here is what committed.
  std::string problem;
  std::string charge;
  auto judge = [&](StoreQuery& st) {
    while (problem.empty() && st.step() == SQLITE_ROW) {
      const std::string kind = st.column_text(1);
      const std::string status = st.column_text(2);
      const int64_t events = st.column_int(4);
      const int64_t owed = oracle::outcome_owes_event(kind, status) ? 1 : 0;
      if (events == owed) continue;
      charge = st.column_text(3);
      problem = "operation " + st.column_text(0) + " (" + kind + ", " + status + ") of charge " +
                charge + " has " + std::to_string(events) + " outbox events, expected " +
                std::to_string(owed);
    }
    st.reset();
  };
  if (rescan_operations_) {
    rescan_operations_ = false;
    changed_operations_.clear();
    judge(
        store_.prepare("SELECT o.id, o.kind, o.status, o.charge_id, (SELECT COUNT(*) FROM outbox x "
                       "WHERE x.operation_id = o.id) FROM operations o ORDER BY o.rowid"));
  } else {
    auto& st = store_.prepare(
        "SELECT o.id, o.kind, o.status, o.charge_id, (SELECT COUNT(*) FROM outbox x "
        "WHERE x.operation_id = o.id) FROM operations o WHERE o.rowid = ?1");
    for (const int64_t rowid : changed_operations_) {
      if (!problem.empty()) break;
      st.bind(1, rowid);
      judge(st);
    }
    changed_operations_.clear();
  }
  if (!problem.empty()) fail(kOutboxDelivered, charge, problem, now_us);
}

void PropertyChecker::check_receipts(const WebhookNode& webhook, TimeUs now_us) {
  const auto& receipts = webhook.receipts();
  for (; receipts_verified_ < receipts.size(); ++receipts_verified_) {
    const WebhookReceipt& r = receipts[receipts_verified_];
    auto& st = store_.prepare("SELECT charge_id, body FROM outbox WHERE event_id = ?1");
    st.bind(1, r.event_id);
    const bool held = st.step() == SQLITE_ROW;
    const std::string charge_id = held ? st.column_text(0) : "";
    const std::string body = held ? st.column_text(1) : "";
    st.reset();
    if (!held) {
      fail(kOutboxDelivered, "",
           "the merchant's webhook received event " + r.event_id + " at " +
               std::to_string(r.at_us) + "us, which the engine's outbox does not hold",
           now_us);
      return;
    }
    if (body != r.body) {
      fail(kOutboxDelivered, charge_id,
           "event " + r.event_id + " reached the webhook as " + r.body + " but the outbox holds " +
               body,
           now_us);
      return;
    }
  }
}

void PropertyChecker::check_outbox_delivered(sqlite3* store, const WebhookNode& webhook,
                                             TimeUs now_us) {
  attach(store);
  // Delivered means acknowledged: some delivery answered 2xx (docs/api.md, "Webhooks"). An
  // event that only ever got a redirect or an error back was not delivered, however often it
  // arrived.
  auto& st = store_.prepare("SELECT event_id, type, charge_id FROM outbox ORDER BY seq");
  int64_t missing = 0;
  std::string first;
  std::string charge;
  while (st.step() == SQLITE_ROW) {
    const std::string event_id = st.column_text(0);
    if (webhook.acknowledged(event_id)) continue;
    if (missing++ == 0) {
      first = event_id + " (" + st.column_text(1) + ")" +
              (webhook.received(event_id) ? ", which arrived but was never answered 2xx" : "");
      charge = st.column_text(2);
    }
  }
  st.reset();
  if (missing > 0) {
    fail(kOutboxDelivered, charge,
         std::to_string(missing) +
             " committed outbox event(s) never acknowledged by the merchant's webhook (first: " +
             first + ")",
         now_us);
  }
}

void PropertyChecker::check_agreement(sqlite3* store, const PspNode& psp, TimeUs now_us) {
  attach(store);
  verify_entries_ = true;  // the whole history, once more, at the end
  check_entries_unchanged(now_us);
  if (!failures_.empty()) return;
  auto& open = store_.prepare(
      "SELECT COUNT(*), MIN(rowid) FROM operations WHERE status IN ('pending', 'unknown')");
  open.step();
  const int64_t unresolved = open.column_int(0);
  const int64_t first_rowid = open.column_int(1);
  open.reset();
  if (unresolved > 0) {
    auto& first = store_.prepare("SELECT id, charge_id, status FROM operations WHERE rowid = ?1");
    first.bind(1, first_rowid);
    first.step();
    const std::string detail = first.column_text(0) + ", " + first.column_text(2);
    const std::string charge_id = first.column_text(1);
    first.reset();
    fail(kLiveness, charge_id,
         std::to_string(unresolved) +
             " operation(s) still pending or unknown after faults stopped (first: " + detail + ")",
         now_us);
    return;
  }
  auto& st = store_.prepare(
      "SELECT id, status, captured_minor, refunded_minor FROM charges WHERE psp_charge_id = ?1");
  for (const auto& [psp_id, charge] : psp.charges()) {
    if (charge.state == engine::PspChargeState::kDeclined) continue;
    st.bind(1, psp_id);
    const bool found = st.step() == SQLITE_ROW;
    const std::string engine_id = found ? st.column_text(0) : "";
    const std::string status = found ? st.column_text(1) : "";
    const int64_t captured = found ? st.column_int(2) : 0;
    const int64_t refunded = found ? st.column_int(3) : 0;
    st.reset();
    if (!found) {
      fail(kEnginePspAgreement, charge.card_token,
           "PSP charge " + psp_id + " (" + status_matching(charge.state) +
               ") belongs to no charge in the engine",
           now_us);
      return;
    }
    const std::string expected = status_matching(charge.state);
    if (status != expected || captured != charge.captured_minor ||
        refunded != charge.refunded_minor) {
      fail(kEnginePspAgreement, engine_id,
           "engine says " + status + " captured=" + std::to_string(captured) +
               " refunded=" + std::to_string(refunded) + ", PSP says " + expected +
               " captured=" + std::to_string(charge.captured_minor) +
               " refunded=" + std::to_string(charge.refunded_minor),
           now_us);
      return;
    }
  }
  check_ledger_agrees(psp, now_us);
}

void PropertyChecker::check_ledger_agrees(const PspNode& psp, TimeUs now_us) {
  // The ledger's balances per charge follow from what the PSP holds: the receivable is what
  // was captured less what was refunded, and an uncaptured authorization is a hold.
  std::map<std::string, std::map<std::string, int64_t>> balances;
  auto& sums = store_.prepare(
      "SELECT t.charge_id, e.account, SUM(e.amount_minor) FROM ledger_entries e "
      "JOIN ledger_transactions t ON t.id = e.txn_id GROUP BY t.charge_id, e.account");
  while (sums.step() == SQLITE_ROW) {
    balances[sums.column_text(0)][sums.column_text(1)] = sums.column_int(2);
  }
  sums.reset();
  auto& charges = store_.prepare("SELECT id, psp_charge_id FROM charges ORDER BY id");
  std::string problem;
  std::string charge_id;
  while (problem.empty() && charges.step() == SQLITE_ROW) {
    charge_id = charges.column_text(0);
    const std::string psp_id = charges.column_text(1);
    auto found = psp.charges().find(psp_id);
    int64_t receivable = 0;
    int64_t hold = 0;
    std::string psp_says = "no successful PSP charge";
    if (found != psp.charges().end() && found->second.state != engine::PspChargeState::kDeclined) {
      const PspCharge& c = found->second;
      receivable = c.captured_minor - c.refunded_minor;
      hold = c.state == engine::PspChargeState::kAuthorized ? c.authorized_minor : 0;
      psp_says = "PSP " + psp_id + " " + status_matching(c.state) +
                 " captured=" + std::to_string(c.captured_minor) +
                 " refunded=" + std::to_string(c.refunded_minor);
    }
    auto& b = balances[charge_id];
    if (b["psp_receivable"] != receivable || b["merchant_payable"] != -receivable ||
        b["customer_hold"] != hold || b["merchant_pending"] != -hold) {
      problem = "ledger holds psp_receivable=" + std::to_string(b["psp_receivable"]) +
                " customer_hold=" + std::to_string(b["customer_hold"]) + ", expected " +
                std::to_string(receivable) + " and " + std::to_string(hold) + " (" + psp_says + ")";
    }
  }
  charges.reset();
  if (!problem.empty()) fail(kEnginePspAgreement, charge_id, problem, now_us);
}

}  // namespace reckon::sim
