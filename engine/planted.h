#pragma once
// Planted defects: deliberate engine bugs, off by default, switched on by `--plant NAME`.
// They exist to prove that the simulator's properties catch each class of bug: a sweep
// with a defect on must fail, the same sweep with it off must pass.

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace reckon::engine {

enum class Defect : uint32_t {
  kPspKeyPerAttempt,                // a fresh PSP idempotency key on every attempt of one operation
  kTimeoutAsDecline,                // an ambiguous PSP outcome is booked as a decline
  kRefundCapOffByOne,               // the refund cap admits one minor unit more than was captured
  kCaptureEntryOffByOne,            // a capture books one minor unit too many on one side
  kRecoverySkipsUnknown,            // the recovery job leaves UNKNOWN operations unresolved
  kCaptureExceedsAuthorization,     // the capture cap is not checked
  kLedgerEntryUpdated,              // a refund edits the capture's entries instead of appending
  kReplayReturnsFreshResponse,      // a replayed key gets the charge as it is now, not the stored
                                    // answer
  kLostFsync,                       // commits are not synced (PRAGMA synchronous=OFF)
  kCaptureTimeoutRegressesStatus,   // an unanswered capture sets its charge back to UNKNOWN
  kFingerprintIgnoresAmount,        // the idempotency fingerprint leaves the amount out
  kStatusApartFromLedger,           // status and ledger entries commit in two transactions
  kRecoveryMarksUnknownFailed,      // recovery marks UNKNOWN operations failed without asking
  kReconIgnoresCurrency,            // the reconciliation job never compares a line's currency
  kOutboxOutsideTransaction,        // the outbox event commits after its state change, apart
  kWebhookNotDeduplicated,          // a PSP webhook about a booked operation is booked again
  kReconIgnoresPayouts,             // the reconciliation job never checks payouts against the day
  kVoidIgnoresCaptureInFlight,      // a void is admitted while a capture is under way
  kInFlightKeyReplaysPlaceholder,   // a key still in flight is answered with its empty record
  kLedgerChainOmitsKind,            // the ledger's hash chain leaves the transaction kind out
  kVoidOfCapturedCharge,            // a void of a captured charge is admitted and sent to the PSP
  kCaptureCapOffByOne,              // a capture of the whole authorized amount is refused 400
  kWebhookRefusesDeclines,          // a PSP webhook reporting a decline is refused 400
  kRefusalKeepsKey,                 // a refused request's answer is stored under its key
  kListCursorInclusive,             // the list's next page starts at its cursor, not after it
  kLedgerVerifyHeadOnly,            // `reckon ledger verify` checks only the chain head's hash
  kAuditLogsApiKey,                 // the audit log names the API key itself, not its id
  kWebhookUnsignedAccepted,         // a PSP notice without a signature is not refused
  kReportAmountUnbounded,           // settlement amounts are not bounded; booking sums may wrap
  kExpiryNotEnforced,               // a capture of an expired authorization is admitted
  kExpiredAuthorizationKept,        // the recovery job never voids expired authorizations
  kIdempotencyKeyKeptForever,       // a key past its 24 h retention is still remembered
  kExpiredKeyNotDeleted,            // an expired key counts as forgotten but its row stays
  kWebhookRetryNoBackoff,           // a failed webhook delivery is retried at the next pass
  kPspAttemptsOffByOne,             // an ambiguous PSP answer is retried once more than allowed
  kWebhookAnyAnswerDelivered,       // any HTTP answer from the merchant's endpoint counts as 2xx
  kSettleWithoutResolving,          // capture/void/refund of an unresolved charge refused at once
  kUnresolvedRefusedAsSettled,      // void/refund of an unresolved charge refused 409
                                    // charge_not_* as if its state ruled it out
  kSettlementDateAnyDay,            // the settlement report's dates may name day 31 of any month
  kReconTimingDetailMisdated,       // a timing discrepancy's detail names the wrong settled day
  kLookupTimeoutDropsWaiter,        // a request waiting on a lookup is dropped when it times out
  kReconRoundingAsSuspense,         // a rounding difference is booked to settlement_suspense
  kRefundCapIgnoresPending,         // the refund cap counts only refunds that already succeeded
  kReconBookingUnrecorded,          // a booked line is not recorded, so a rerun books it again
  kKeyPurgeNeverRuns,               // the recovery job never forgets expired idempotency keys
  kGarbledReplyAsDecline,           // a PSP reply the engine cannot read is taken as a decline
  kAuditFilterIgnored,              // `reckon audit --merchant M` lists every merchant's rows
  kRefundRestOfNothing,             // a refund of "the rest" with nothing left is a refund of 0
  kEventAmountOfCharge,             // a webhook event's data.amount is the charge's amount
  kWebhookAckUnstored,              // a PSP notice whose outcome was not stored is acknowledged
  kWebhookAmountUnchecked,          // a PSP notice is matched to its key's operation by kind only
  kPspRetryNoBackoff,               // an ambiguous PSP answer is retried at once, without backoff
  kEventToAnotherMerchant,          // webhook events go to the next merchant's endpoint
  kUnresolvedWithoutOwnLookup,      // 409 charge_unresolved once the attempt in flight ended
  kNoticeAnswerWithoutDisposition,  // a PSP notice is answered 200 {"received":true} only
  kListHasMoreOnShortPage,          // every page holding a charge says has_more
  kUnknownOutcomeWithoutCharge,     // a 503 psp_outcome_unknown leaves the charge out
  kEventsNewestFirst,               // a dispatcher pass sends the due events newest first
  kFailedCommitAnswered504,         // a PSP outcome that could not be stored is answered 504
  kLedgerVerifyIgnoresCurrencyMix,  // `reckon ledger verify` sums a transaction across currencies
  kKeyAcrossMerchants,              // an Idempotency-Key is looked up at every merchant
};

struct DefectInfo {
  Defect defect;
  std::string_view name;
  std::string_view description;
  std::string_view caught_by;  // the property expected to catch it
};

std::span<const DefectInfo> all_defects();
std::optional<Defect> find_defect(std::string_view name);

class PlantedDefects {
 public:
  void plant(Defect d) { bits_ |= bit(d); }
  bool has(Defect d) const { return (bits_ & bit(d)) != 0; }
  bool any() const { return bits_ != 0; }

 private:
  // One bit per defect. INVARIANT (checked in planted.cpp): every Defect is below 64.
  static uint64_t bit(Defect d) { return uint64_t{1} << static_cast<uint32_t>(d); }
  uint64_t bits_ = 0;
};

}  // namespace reckon::engine
