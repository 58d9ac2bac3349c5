#pragma once
// The properties a run must keep, checked while it runs (safety) and after it quiesces
// (liveness). Each has a stable name that reports, tests and users' scripts rely on:
//
//   no-double-charge      no order's card token holds more than one successful PSP
//                         authorization (judged from the simulated PSP's records)
//   ledger-balanced       every ledger transaction's entries sum to zero
//   ledger-zero-sum       all entries of each currency sum to zero at every commit
//   liveness              after faults stop, every operation reaches a final state and
//                         the running engine has answered every request it received
//   engine-psp-agreement  after quiescence, every PSP charge belongs to an engine charge
//                         whose status and captured and refunded amounts match it
//   refund-within-capture refunds never exceed captures: at the PSP (refunded <= captured
//                         per charge) and in the engine (refunds booked, pending or
//                         unknown never add up to more than the charge's capture)
//   capture-within-authorization
//                         captures never exceed the authorization: at the PSP and in the
//                         engine (a capture booked, pending or unknown is at most the amount)
//   ledger-append-only    ledger entries once seen are never changed or removed
//   replayed-response-equals-first
//                         every completed answer for an Idempotency-Key equals the first
//                         one, status and body (judged by the clients, sim/client_node.h)
//   acknowledged-operation-survives
//                         every completed answer a client received is still stored under its
//                         key (done), with the outcome it told (2xx: the operation succeeded;
//                         402: it did not), after every restart and at the end
//   legal-transitions     every charge status change the checker observes is in the table of
//                         engine/state_machine.h, and a charge is first seen pending
//   client-consistency    every completed answer describes the request it answers (judged by
//                         the clients); calls without one keep every outcome open
//   outbox-delivered      at every step, each operation whose outcome changed its charge
//                         has exactly one outbox event (others none), and every event the
//                         merchant's webhook received is a committed outbox event with the
//                         same body (no phantoms); after quiescence, every committed event
//                         was acknowledged (answered 2xx) at least once (sim/webhook_node.h)
//   capture-void-exclusive
//                         a charge never has more than one capture or void under way or
//                         succeeded (the engine decides a capture/void race; the PSP is never
//                         asked for both); a client racing a capture against a void never
//                         gets both answered 200; after quiescence each race's charge is
//                         what its winner's answer said (captured or refunded, or voided)
//   ledger-hash-chain     every ledger entry's stored hash is the one docs/ledger.md's chain
//                         gives it from the entry before; checked as entries appear, and the
//                         whole chain again after every restart and at the end (an entry
//                         seen once must keep its hash: ledger-append-only)
//   psp-request-admissible
//                         the engine never sends the PSP what its own records rule out: a
//                         capture, void or refund the authorization cannot take, an amount
//                         beyond what it holds, a key reused with other parameters (the
//                         PSP's own lapse and refusals drawn as faults excepted)
//   legitimate-request-honoured
//                         a well-behaved client's request that docs/api.md says must be served
//                         (a new charge, a capture within the authorization, a void of an
//                         authorization, a refund within what is left) gets a completed answer
//                         (2xx or 402), never a refusal; a 409 to a capture or void only once
//                         the engine's authorization expiry may have passed (judged by the
//                         clients, sim/client_node.cpp); at the engine, no 409 on a capture,
//                         void or refund of an unresolved charge before it was resolved
//                         (sim/refusal_property.cpp)
//   psp-webhook-accepted  the engine never refuses (4xx) a PSP notice the simulated PSP signed
//                         and formed as docs/psp-dialect.md says (sim/psp_notice.cpp)
//   answer-documented     every answer's status and error code are ones docs/api.md (or
//                         docs/psp-dialect.md, for PSP notices) gives the request's route;
//                         a 402 carries the charge (sim/answer_documented.h)
//   psp-reply-read-as-written
//                         the engine reads each PSP answer as the simulated PSP meant it: a
//                         definite one as written, a 5xx or garbled one as ambiguous
//                         (sim/psp_reply_reading.h)
//   no-card-data-in-logs  with an external PSP adapter (`--adapter`), at the end: nothing it
//                         wrote besides its answers (stderr, result texts) holds a card token
//                         the engine handed it or a card number (adapters/card_data.h)
//   reconciliation-exact  after quiescence, the reconciliation job over the PSP's day
//                         reports flags exactly the discrepancies the simulator wrote into
//                         them, each with its class (sim/settlement.h)

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/http.h"
#include "oracle/ledger_rules.h"
#include "sim/psp_call_span.h"
#include "sim/psp_node.h"
#include "sim/run_types.h"
#include "sim/store_reader.h"
#include "sim/transition_coverage.h"
#include "sim/webhook_node.h"

namespace reckon::sim {

inline constexpr const char* kNoDoubleCharge = "no-double-charge";
inline constexpr const char* kLedgerBalanced = "ledger-balanced";
inline constexpr const char* kLedgerZeroSum = "ledger-zero-sum";
inline constexpr const char* kLiveness = "liveness";
inline constexpr const char* kEnginePspAgreement = "engine-psp-agreement";
inline constexpr const char* kRefundWithinCapture = "refund-within-capture";
inline constexpr const char* kCaptureWithinAuthorization = "capture-within-authorization";
inline constexpr const char* kLedgerAppendOnly = "ledger-append-only";
inline constexpr const char* kReplayedResponseEqualsFirst = "replayed-response-equals-first";
inline constexpr const char* kAcknowledgedOperationSurvives = "acknowledged-operation-survives";
inline constexpr const char* kLegalTransitions = "legal-transitions";
inline constexpr const char* kClientConsistency = "client-consistency";
inline constexpr const char* kReconciliationExact = "reconciliation-exact";
inline constexpr const char* kOutboxDelivered = "outbox-delivered";
inline constexpr const char* kCaptureVoidExclusive = "capture-void-exclusive";
inline constexpr const char* kLedgerHashChain = "ledger-hash-chain";
inline constexpr const char* kPspRequestAdmissible = "psp-request-admissible";
inline constexpr const char* kLegitimateRequestHonoured = "legitimate-request-honoured";
inline constexpr const char* kPspWebhookAccepted = "psp-webhook-accepted";
inline constexpr const char* kInvalidRequestRefused = "invalid-request-refused";
inline constexpr const char* kChargeReadsConsistent = "charge-reads-consistent";
inline constexpr const char* kLedgerVerifySound = "ledger-verify-sound";
inline constexpr const char* kAuditLogComplete = "audit-log-complete";
inline constexpr const char* kForgedWebhookRefused = "forged-webhook-refused";
inline constexpr const char* kAuthorizationExpiryEnforced = "authorization-expiry-enforced";
inline constexpr const char* kWebhookRetrySchedule = "webhook-retry-schedule";
inline constexpr const char* kPspAttemptsAsConfigured = "psp-attempts-as-configured";
inline constexpr const char* kExpiredKeysForgotten = "expired-keys-forgotten";
inline constexpr const char* kAuditExportFaithful = "audit-export-faithful";
inline constexpr const char* kWebhookEventFaithful = "webhook-event-faithful";
inline constexpr const char* kWebhookSendOrder = "webhook-send-order";
inline constexpr const char* kAnswerDocumented = "answer-documented";
inline constexpr const char* kNoCardDataInLogs = "no-card-data-in-logs";
inline constexpr const char* kPspReplyReadAsWritten = "psp-reply-read-as-written";

// Every property name, for validating scenario files and reports. INVARIANT: a property
// added above is added here.
inline constexpr const char* kAllProperties[] = {kNoDoubleCharge,
                                                 kLedgerBalanced,
                                                 kLedgerZeroSum,
                                                 kLiveness,
                                                 kEnginePspAgreement,
                                                 kRefundWithinCapture,
                                                 kCaptureWithinAuthorization,
                                                 kLedgerAppendOnly,
                                                 kReplayedResponseEqualsFirst,
                                                 kAcknowledgedOperationSurvives,
                                                 kLegalTransitions,
                                                 kClientConsistency,
                                                 kReconciliationExact,
                                                 kOutboxDelivered,
                                                 kCaptureVoidExclusive,
                                                 kLedgerHashChain,
                                                 kPspRequestAdmissible,
                                                 kLegitimateRequestHonoured,
                                                 kPspWebhookAccepted,
                                                 kInvalidRequestRefused,
                                                 kChargeReadsConsistent,
                                                 kLedgerVerifySound,
                                                 kAuditLogComplete,
                                                 kForgedWebhookRefused,
                                                 kAuthorizationExpiryEnforced,
                                                 kWebhookRetrySchedule,
                                                 kPspAttemptsAsConfigured,
                                                 kExpiredKeysForgotten,
                                                 kAuditExportFaithful,
                                                 kWebhookEventFaithful,
                                                 kWebhookSendOrder,
                                                 kAnswerDocumented,
                                                 kNoCardDataInLogs,
                                                 kPspReplyReadAsWritten};

class PropertyChecker {
 public:
  explicit PropertyChecker(std::vector<Failure>& failures) : failures_(failures) {}

  // After the PSP processed a request for this card token.
  void check_psp(const PspNode& psp, TimeUs now_us);
  // After any event in which the engine may have committed.
  void check_ledger(sqlite3* store, TimeUs now_us);
  // A new engine incarnation has a new connection (its change counter restarts), and what
  // it sees is only what was durable: every charge is looked at again.
  void engine_restarted() {
    store_.detach();  // the old connection's statements go with it
    last_total_changes_ = -1;
    rescan_charges_ = true;
    hooked_ = false;
    verify_entries_ = true;
    changed_charges_.clear();
    rescan_operations_ = true;
    changed_operations_.clear();
    receipts_verified_ = 0;  // what the merchant holds is judged again against the disk
    // A lost row's rowid may be reused by the new incarnation: look at every row again.
    last_settlement_rowid_ = 0;
    last_refund_rowid_ = 0;
    last_capture_rowid_ = 0;
  }
  // After a restart and at the end: every acknowledged answer whose key was first sent less
  // than `kept_for_us` ago is still stored (older keys may have passed their retention).
  void check_acknowledged(sqlite3* store, const std::vector<Acknowledgement>& acks,
                          TimeUs kept_for_us, TimeUs now_us);
  // A failure a client saw (replayed-response-equals-first, client-consistency).
  void client_failure(const char* property, const std::string& payment, const std::string& detail,
                      TimeUs now_us) {
    fail(property, payment, detail, now_us);
  }
  // After any event (engine up): outbox events match transitions and deliveries.
  void check_outbox(sqlite3* store, const WebhookNode& webhook, TimeUs now_us);
  // After the liveness phase: every committed event reached the webhook.
  void check_outbox_delivered(sqlite3* store, const WebhookNode& webhook, TimeUs now_us);
  // After the liveness phase.
  void check_agreement(sqlite3* store, const PspNode& psp, TimeUs now_us);
  // After the liveness phase: each decided capture/void race left its charge as the winner's
  // answer said (sim/capture_void_property.cpp).
  void check_race_outcomes(sqlite3* store, const std::vector<RaceOutcome>& races, TimeUs now_us);
  // After the liveness phase: every authorization a client held unsettled, expired (answered
  // at least `expired_within_us` ago) and then, with no capture or void of it in flight, left
  // `voided_within_us` for a recovery pass, was asked to void at the PSP
  // (sim/expiry_property.cpp).
  void check_expired_authorizations(const PspNode& psp, const std::vector<HeldAuthorization>& held,
                                    TimeUs expired_within_us, TimeUs voided_within_us,
                                    TimeUs now_us);
  // As the engine answers a capture, void or refund that arrived at `received_us`: a 409 that
  // says the charge is not capturable/voidable/refundable while the store holds it unresolved,
  // or charge_unresolved with no PSP call of its authorization sent and ended since the request
  // came (`authorization_calls`: for a charge id, its authorization's calls as the world saw
  // them) (sim/refusal_property.cpp).
  void check_refusal(
      sqlite3* store, const engine::HttpRequest& request, const engine::HttpResponse& response,
      TimeUs received_us,
      const std::function<AuthorizationCalls(const std::string&)>& authorization_calls,
      TimeUs now_us);
  // After the liveness phase: audit-log-complete (sim/audit_property.cpp).
  void check_audit_log(sqlite3* store, TimeUs now_us);
  // After quiescence (sim/retention_property.cpp): no completed idempotency key first
  // requested before `created_before_us` (on the engine's clock) is still stored.
  void check_expired_keys_forgotten(sqlite3* store, TimeUs created_before_us, TimeUs now_us);

  uint64_t entries_checked() const { return ledger_rules_.entries_judged(); }
  // Tells `recorder` (may be null) every charge first seen and every status change observed,
  // for the transition coverage (sim/transition_coverage.h). It never changes a verdict.
  void observe_transitions(TransitionRecorder* recorder) { recorder_ = recorder; }

 private:
  void fail(const char* property, std::string payment, std::string detail, TimeUs now_us);
  void check_engine_refunds(TimeUs now_us);
  void check_engine_captures(TimeUs now_us);
  // capture-void-exclusive on the capture and void operations committed since the last look.
  void check_engine_settlements(TimeUs now_us);
  void check_transitions(TimeUs now_us);
  void check_entries_unchanged(TimeUs now_us);
  void check_transition_events(TimeUs now_us);
  void check_receipts(const WebhookNode& webhook, TimeUs now_us);
  void check_ledger_agrees(const PspNode& psp, TimeUs now_us);

  // An entry as first seen; ledger-append-only compares the table's prefix with these.
  struct SeenEntry {
    int64_t id = 0;
    int64_t txn_id = 0;
    std::string account;
    std::string currency;
    int64_t amount_minor = 0;
    std::string hash;
    bool operator==(const SeenEntry&) const = default;
  };
  // The ledger's entries after `entry_id`, in id order, with their transactions.
  std::vector<oracle::LedgerEntryRow> read_entries_after(int64_t entry_id);
  // ledger-balanced, ledger-zero-sum and ledger-hash-chain: the checkers' own rules
  // (oracle/ledger_rules.h) over the entries new since the last look.
  oracle::LedgerRules ledger_rules_;
  static const char* ledger_property(oracle::LedgerRule rule);

  std::vector<Failure>& failures_;
  size_t psp_charges_seen_ = 0;
  size_t psp_refusals_seen_ = 0;
  int64_t last_entry_id_ = 0;
  int64_t last_total_changes_ = -1;
  int64_t last_refund_rowid_ = 0;      // refund operations up to here were checked
  int64_t last_capture_rowid_ = 0;     // capture operations up to here were checked
  int64_t last_settlement_rowid_ = 0;  // capture and void operations up to here were checked
  bool rescan_charges_ = true;
  std::set<int64_t> changed_charges_;     // rowids the update hook saw written since the last look
  std::set<int64_t> changed_operations_;  // likewise, operations rows
  bool rescan_operations_ = true;
  size_t receipts_verified_ = 0;  // webhook receipts before this index matched the outbox
  std::map<std::string, std::string> charge_status_;  // charge id -> status last seen
  std::vector<SeenEntry> seen_entries_;
  // ledger-append-only compares the whole history only when it may have changed: after a
  // restart, or when SQLite's update hook saw an UPDATE or DELETE of a ledger row (the
  // comparison then judges the committed state, so a rolled-back edit is no failure).
  // The same hook names the charges rows written, for legal-transitions.
  void hook();
  // Points the reader at the engine's current connection.
  void attach(sqlite3* store) { store_.attach(store); }
  StoreReader store_;
  bool hooked_ = false;
  bool verify_entries_ = true;
  TransitionRecorder* recorder_ = nullptr;
};

}  // namespace reckon::sim
