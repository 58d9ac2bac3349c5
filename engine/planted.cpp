#include "engine/planted.h"

#include <array>

namespace reckon::engine {
namespace {

constexpr std::array<DefectInfo, 61> kDefects{{
    {Defect::kPspKeyPerAttempt, "psp-key-per-attempt",
     "derives a fresh PSP idempotency key on every attempt, so a retry after a lost PSP "
     "response authorizes the customer a second time",
     "no-double-charge"},
    {Defect::kTimeoutAsDecline, "timeout-as-decline",
     "books an ambiguous PSP outcome (timeout) as a decline; the customer, told it was "
     "declined, pays again while the first authorization stands",
     "no-double-charge"},
    {Defect::kRefundCapOffByOne, "refund-cap-off-by-one",
     "compares the requested refund with the refundable amount plus one, so a merchant "
     "asking for one minor unit more than is left gets a refund operation sent to the PSP",
     "refund-within-capture"},
    {Defect::kCaptureEntryOffByOne, "capture-entry-off-by-one",
     "books the receivable of a capture one minor unit higher than the payable, so the "
     "capture's ledger transaction does not balance",
     "ledger-balanced"},
    {Defect::kRecoverySkipsUnknown, "recovery-skips-unknown",
     "the recovery job only looks at PENDING operations, so an operation left UNKNOWN by "
     "an unanswered PSP call is never resolved",
     "liveness"},
    {Defect::kCaptureExceedsAuthorization, "capture-exceeds-authorization",
     "never compares a capture's amount with the authorization, so a merchant asking to "
     "capture more than was authorized gets a capture operation committed and sent to the PSP",
     "capture-within-authorization"},
    {Defect::kLedgerEntryUpdated, "ledger-entry-updated",
     "books a partial refund by editing the capture's receivable and payable entries in place "
     "instead of appending a reversing transaction (the append-only triggers were dropped)",
     "ledger-append-only"},
    {Defect::kReplayReturnsFreshResponse, "replay-returns-fresh-response",
     "answers a completed Idempotency-Key whose first answer succeeded with the charge as it is "
     "now (under the stored status) instead of the stored first response, so a retry after "
     "the charge moved on (captured, refunded) sees another body",
     "replayed-response-equals-first"},
    {Defect::kLostFsync, "lost-fsync",
     "runs SQLite with synchronous=OFF: commits reach the page cache but never the disk, so an "
     "answer already given to a client is gone after a crash",
     "acknowledged-operation-survives"},
    {Defect::kCaptureTimeoutRegressesStatus, "capture-timeout-regresses-status",
     "an unanswered capture sets its charge back to UNKNOWN as if it were the authorization "
     "(authorized -> unknown); the schema's transition trigger was dropped",
     "legal-transitions"},
    {Defect::kFingerprintIgnoresAmount, "fingerprint-ignores-amount",
     "leaves the amount out of the Idempotency-Key fingerprint, so a key reused with another "
     "amount gets the first request's stored answer instead of 422",
     "client-consistency"},
    {Defect::kStatusApartFromLedger, "status-apart-from-ledger",
     "commits an outcome's status and stored response in one transaction and its ledger "
     "entries in a second, so a crash between them leaves a settled charge with no entries",
     "engine-psp-agreement"},
    {Defect::kRecoveryMarksUnknownFailed, "recovery-marks-unknown-failed",
     "the recovery job marks UNKNOWN operations failed without asking the PSP, so an "
     "authorization the PSP granted is booked (and told to the client) as failed",
     "engine-psp-agreement"},
    {Defect::kReconIgnoresCurrency, "recon-ignores-currency",
     "the reconciliation job never compares a settlement line's currency with the ledger's, "
     "so a line settled in the wrong currency passes as matched (or as an amount problem)",
     "reconciliation-exact"},
    {Defect::kOutboxOutsideTransaction, "outbox-outside-transaction",
     "writes an outcome's outbox event in a second transaction after the state change "
     "commits, so a crash between them (at after_outcome_commit) leaves a captured, voided or "
     "refunded charge whose merchant is never told",
     "outbox-delivered"},
    {Defect::kWebhookNotDeduplicated, "webhook-not-deduplicated",
     "books a PSP webhook about an operation that is already booked as if it were news, so a "
     "duplicate or late webhook posts the capture or refund to the ledger a second time",
     "engine-psp-agreement"},
    {Defect::kReconIgnoresPayouts, "recon-ignores-payouts",
     "the reconciliation job counts payout lines but never checks them against the net of "
     "their day's lines, so a payout that pays out more or less than the day settled passes",
     "reconciliation-exact"},
    {Defect::kVoidIgnoresCaptureInFlight, "void-ignores-capture-in-flight",
     "admits a void by the charge's status alone, ignoring a capture already under way, so a "
     "capture and a void racing for one authorization both reach the PSP, which decides the "
     "race the engine should have decided (the loser is told 402, not 409)",
     "capture-void-exclusive"},
    {Defect::kInFlightKeyReplaysPlaceholder, "in-flight-key-replays-placeholder",
     "answers a known Idempotency-Key from its stored record without checking that the first "
     "request finished; while it is in flight the record holds only a placeholder (no status, "
     "empty body), so a second request sent at the same time gets an answer that says nothing",
     "answer-documented"},
    {Defect::kLedgerChainOmitsKind, "ledger-chain-omits-kind",
     "hashes a payment's ledger entries without their transaction's kind, so the chain no "
     "longer protects it (a capture relabelled a refund by hand goes unnoticed); `reckon "
     "ledger verify` shares the mistake, the simulator's own reading of docs/ledger.md does not",
     "ledger-hash-chain"},
    {Defect::kVoidOfCapturedCharge, "void-of-captured-charge",
     "admits a void of a captured charge and sends it to the PSP, which refuses it: the "
     "merchant is told 402 void_failed instead of 409 charge_not_voidable, and the PSP was "
     "asked for what the engine's own records ruled out",
     "psp-request-admissible"},
    {Defect::kCaptureCapOffByOne, "capture-cap-off-by-one",
     "compares a capture's amount with the authorization using >= instead of >, so a merchant "
     "capturing the whole authorized amount (the usual case) is refused 400 "
     "amount_exceeds_authorization; nothing is charged wrongly, the merchant just cannot capture",
     "legitimate-request-honoured"},
    {Defect::kWebhookRefusesDeclines, "webhook-refuses-declines",
     "refuses a PSP webhook whose outcome is `declined` (400 invalid_webhook), as an outcome "
     "allow-list that forgot one value would; declines still arrive by replies and lookups, so "
     "only the PSP's side sees its notices refused",
     "psp-webhook-accepted"},
    {Defect::kRefusalKeepsKey, "refusal-keeps-key",
     "stores a request's refusal (400 amount_invalid, ...) under its Idempotency-Key like a "
     "completed answer, so the merchant's corrected request under the same key is answered "
     "422 idempotency_key_reused instead of being processed",
     "invalid-request-refused"},
    {Defect::kListCursorInclusive, "list-cursor-inclusive",
     "pages the charge list with (created_us, id) >= the cursor instead of >, so each page "
     "after the first repeats the charge the previous page ended with",
     "charge-reads-consistent"},
    {Defect::kLedgerVerifyHeadOnly, "ledger-verify-head-only",
     "`reckon ledger verify` chains each entry from its stored hash and compares only the last "
     "entry's with its recomputation, so an edit in the middle that keeps the balances (an "
     "entry moved to another account) passes verification",
     "ledger-verify-sound"},
    {Defect::kAuditLogsApiKey, "audit-logs-api-key",
     "writes the merchant's API key itself into the audit log's actor column instead of its "
     "id (key_ and 12 hex digits), so anyone who can read the audit log holds the credential",
     "audit-log-complete"},
    {Defect::kWebhookUnsignedAccepted, "webhook-unsigned-accepted",
     "checks a PSP notice's signature only when a PSP-Signature header is present, so anyone "
     "who can reach the engine may post an unsigned notice and have it booked",
     "forged-webhook-refused"},
    {Defect::kReportAmountUnbounded, "report-amount-unbounded",
     "reads settlement-report amounts of any size (up to 18 digits) and books the differences "
     "with unchecked int64 arithmetic, so a line whose fee is -92233720368547758.0 books a "
     "transaction whose entries wrap around to an int64 sum of zero",
     "reconciliation-exact"},
    {Defect::kExpiryNotEnforced, "expiry-not-enforced",
     "never enforces authorization expiry: a capture of a lapsed authorization is admitted and "
     "nothing voids it, so a merchant capturing eight days after the authorization is served "
     "200 though docs/state-machine.md says the hold lapsed after seven",
     "authorization-expiry-enforced"},
    {Defect::kExpiredAuthorizationKept, "expired-authorization-kept",
     "the recovery job never voids expired authorizations; captures of them are still "
     "refused 409, so the merchant sees nothing wrong, but the customer's money stays held at "
     "the PSP",
     "authorization-expiry-enforced"},
    {Defect::kIdempotencyKeyKeptForever, "idempotency-key-kept-forever",
     "never forgets an Idempotency-Key: a key reused a week later for another charge is "
     "refused 422 idempotency_key_reused, though docs/api.md says that after its 24 h "
     "retention the same key is a new request",
     "legitimate-request-honoured"},
    {Defect::kExpiredKeyNotDeleted, "expired-key-not-deleted",
     "treats a key past its 24 h retention as forgotten but never deletes its record, so the "
     "new request's insert under that key conflicts and every attempt is answered 503 "
     "storage_unavailable; the merchant retries until it gives up",
     "legitimate-request-honoured"},
    {Defect::kWebhookRetryNoBackoff, "webhook-retry-no-backoff",
     "a failed merchant webhook delivery is due again at once, so the dispatcher resends it "
     "at every pass (every 0.1 s) instead of backing off 0.2 s, 0.4 s, ... up to 10 s: every "
     "event still arrives, but a merchant whose endpoint is down is hammered",
     "webhook-retry-schedule"},
    {Defect::kPspAttemptsOffByOne, "psp-attempts-off-by-one",
     "the retry loop of an ambiguous PSP answer compares with <= instead of <, so each "
     "operation makes one attempt more than psp_attempts_max before it becomes unknown: the "
     "merchant's 503 comes later than configured, and a PSP that rate-limits sees more calls",
     "psp-attempts-as-configured"},
    {Defect::kWebhookAnyAnswerDelivered, "webhook-any-answer-delivered",
     "the dispatcher takes any HTTP answer from the merchant's webhook endpoint (a redirect, "
     "a 404, a 503) for an acknowledgement and marks the event delivered: an endpoint that "
     "was down when the event came never gets it",
     "outbox-delivered"},
    {Defect::kSettleWithoutResolving, "settle-without-resolving",
     "a capture, void or refund of a charge whose authorization is pending or unknown is "
     "refused 409 charge_unresolved at once, without waiting for the attempt in flight or "
     "asking the PSP: the merchant is turned away although the engine could have known",
     "legitimate-request-honoured"},
    {Defect::kUnresolvedRefusedAsSettled, "unresolved-refused-as-settled",
     "a void or refund of a charge whose authorization is still pending or unknown skips the "
     "unresolved check and is refused 409 charge_not_voidable or charge_not_refundable, as if "
     "the charge's state ruled it out, though the PSP may well have captured it",
     "legitimate-request-honoured"},
    {Defect::kSettlementDateAnyDay, "settlement-date-any-day",
     "the settlement report reader gives every month 31 days, so a line dated 2026-02-30 or "
     "2026-04-31 is read as a day of the next month instead of refusing the report",
     "reconciliation-exact"},
    {Defect::kReconTimingDetailMisdated, "recon-timing-detail-misdated",
     "a timing discrepancy's detail names the day the cut-off gives where it should name the "
     "date the PSP's line says, so the finance team is told the line agrees with itself",
     "reconciliation-exact"},
    {Defect::kLookupTimeoutDropsWaiter, "waiter-forgotten-on-lookup-timeout",
     "when the lookup that a capture, void or refund of an unresolved charge waits on gets no "
     "clear answer, the engine forgets the waiting request: the merchant's call never returns",
     "liveness"},
    {Defect::kReconRoundingAsSuspense, "recon-rounding-as-suspense",
     "the reconciliation job books a rounding line's difference against settlement_suspense "
     "like an unexplained amount, not against rounding_differences: the line is classed "
     "right, but the books send finance chasing cents that are only rounding",
     "reconciliation-exact"},
    {Defect::kRefundCapIgnoresPending, "refund-cap-ignores-pending",
     "the refund cap counts only refunds that already succeeded, not those still under way, "
     "so two refunds sent at once that together exceed what is left are both admitted and "
     "sent to the PSP",
     "refund-within-capture"},
    {Defect::kReconBookingUnrecorded, "recon-booking-unrecorded",
     "the reconciliation job books a line's ledger transaction without recording the line in "
     "recon_bookings, so running it again over the same report books every line a second time",
     "reconciliation-exact"},
    {Defect::kKeyPurgeNeverRuns, "key-purge-never-runs",
     "the recovery job never forgets an expired idempotency key (a key is still forgotten when "
     "it is reused), so the keys of every request ever made pile up in the store",
     "expired-keys-forgotten"},
    {Defect::kGarbledReplyAsDecline, "garbled-reply-as-decline",
     "reads a PSP reply whose body it cannot parse (a field missing, cut short, empty) as a "
     "decline, though the PSP may have done the operation: the engine books a decline while "
     "the PSP holds the authorization",
     "psp-reply-read-as-written"},
    {Defect::kAuditFilterIgnored, "audit-filter-ignored",
     "`reckon audit --merchant M` ignores the merchant and lists every merchant's audit rows: "
     "a merchant's export shows other merchants' operations and keys' ids",
     "audit-export-faithful"},
    {Defect::kRefundRestOfNothing, "refund-rest-of-nothing",
     "a refund without an amount (\"the rest\") of a charge whose capture is wholly refunded or "
     "being refunded is admitted as a refund of zero instead of refused 409; the store refuses "
     "the row, and the merchant gets 503 storage_unavailable with nothing wrong with storage",
     "legitimate-request-honoured"},
    {Defect::kEventAmountOfCharge, "event-amount-of-charge",
     "a webhook event's data.amount is the charge's amount instead of the operation's, so a "
     "merchant told of a partial capture or refund books the whole charge",
     "webhook-event-faithful"},
    {Defect::kWebhookAckUnstored, "webhook-ack-unstored",
     "a PSP notice whose outcome could not be stored (the commit failed) is answered 200 "
     "'applied' instead of 503, so the PSP stops resending a notice the engine never booked",
     "psp-webhook-accepted"},
    {Defect::kWebhookAmountUnchecked, "webhook-amount-unchecked",
     "a PSP notice is matched to its key's operation by kind alone: one naming another amount "
     "settles the operation ('applied') instead of being answered 'mismatch'",
     "psp-webhook-accepted"},
    {Defect::kPspRetryNoBackoff, "psp-retry-no-backoff",
     "an ambiguous PSP answer is retried at once instead of after 50 ms x the attempts so "
     "far: a PSP that is timing out because it is overloaded gets the retries in a burst",
     "psp-attempts-as-configured"},
    {Defect::kEventToAnotherMerchant, "event-to-another-merchant",
     "the outbox dispatcher delivers each merchant's events to the next merchant's webhook "
     "endpoint (in name order): another merchant learns of the charges, the owner never does",
     "webhook-event-faithful"},
    {Defect::kUnresolvedWithoutOwnLookup, "unresolved-without-own-lookup",
     "a capture, void or refund of a charge whose authorization is being attempted waits for "
     "that attempt, and when it ends unanswered refuses 409 charge_unresolved without the one "
     "lookup docs/api.md promises: the merchant is turned away on an answer lost in transit",
     "legitimate-request-honoured"},
    {Defect::kNoticeAnswerWithoutDisposition, "notice-answer-without-disposition",
     "a signed, well-formed PSP notice is answered 200 {\"received\": true} without the "
     "`disposition` docs/psp-dialect.md requires, so the PSP cannot tell a booked notice "
     "from a mismatch or an unknown key",
     "psp-webhook-accepted"},
    {Defect::kListHasMoreOnShortPage, "list-has-more-on-short-page",
     "the charge list says has_more on every page that holds a charge, so a last page short "
     "of the limit promises more and a merchant's walk asks for a page that is always empty",
     "charge-reads-consistent"},
    {Defect::kUnknownOutcomeWithoutCharge, "unknown-outcome-without-charge",
     "a 503 psp_outcome_unknown carries only the error, not the charge being resolved "
     "(docs/api.md), so a merchant whose create timed out cannot tell which charge to watch",
     "client-consistency"},
    {Defect::kEventsNewestFirst, "events-newest-first",
     "a dispatcher pass sends a merchant's due webhook events newest first, so a charge "
     "authorized and captured between two passes is reported captured before authorized",
     "webhook-send-order"},
    {Defect::kFailedCommitAnswered504, "failed-commit-answered-504",
     "a PSP outcome the engine could not store is answered 504 instead of docs/api.md's 503 "
     "storage_unavailable, so a client written from the documentation does not know the "
     "operation is kept in flight and that a retry with the same key gets its final answer",
     "answer-documented"},
    {Defect::kLedgerVerifyIgnoresCurrencyMix, "ledger-verify-ignores-currency-mix",
     "`reckon ledger verify` sums each transaction's entries without checking that they share "
     "one currency, so a transaction of 10.00 USD against 1,000 JPY that balances by number "
     "passes (docs/ledger.md, check 2: one currency per transaction)",
     "ledger-verify-sound"},
    {Defect::kKeyAcrossMerchants, "key-across-merchants",
     "looks an Idempotency-Key up without its merchant: a merchant whose keys are its order "
     "numbers, as another merchant's are, is answered with what the other merchant's request "
     "under the same key recorded (422 idempotency_key_reused, or the other's charge), though "
     "docs/api.md says keys are per merchant",
     "legitimate-request-honoured"},
}};

// PlantedDefects keeps one bit per defect in a uint64_t.
static_assert(kDefects.size() <= 64, "a planted-defect set holds at most 64 defects");

}  // namespace

std::span<const DefectInfo> all_defects() {
  return kDefects;
}

std::optional<Defect> find_defect(std::string_view name) {
  for (const auto& d : kDefects) {
    if (d.name == name) return d.defect;
  }
  return std::nullopt;
}

}  // namespace reckon::engine
