#pragma once
// The payment rules the checkers judge by, restated from docs/state-machine.md,
// docs/ledger.md and docs/api.md. Deliberately not shared with engine/: a judge that asks
// the engine what is legal cannot see the engine get it wrong.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace reckon::oracle {

// docs/state-machine.md, "Authorization expiry": an uncaptured authorization holds the
// customer's money for 7 days (the engine's default), counted from when it succeeded.
inline constexpr int64_t kDefaultAuthorizationExpiryUs = 7LL * 24 * 3600 * 1'000'000;
// docs/api.md, "Retention": a completed Idempotency-Key is remembered for 24 hours from its
// first request; after that the engine may forget it.
inline constexpr int64_t kIdempotencyRetentionUs = 24LL * 3600 * 1'000'000;
// docs/architecture.md, "Recovery": the recovery job (which also runs expiry) passes every
// 0.5 s unless the engine is configured otherwise.
inline constexpr int64_t kDefaultRecoveryIntervalUs = 500'000;
// docs/api.md, "Webhooks": a failed delivery is retried after 0.2 s, 0.4 s, 0.8 s, ...
// doubling up to 10 s between attempts.
inline constexpr int64_t kWebhookFirstRetryUs = 200'000;
inline constexpr int64_t kWebhookLongestRetryUs = 10'000'000;
// docs/architecture.md, "The outbox dispatcher": a pass every 0.1 s unless configured, at
// most 32 events per merchant per pass.
inline constexpr int64_t kDefaultOutboxPollIntervalUs = 100'000;
inline constexpr int64_t kOutboxBatch = 32;
// docs/architecture.md, "The engine", step 5: attempt n+1 of a PSP operation leaves 50 ms x n
// after attempt n's ambiguous answer.
inline constexpr int64_t kPspRetryBackoffUs = 50'000;

// docs/state-machine.md: the statuses of a charge.
inline constexpr std::array<std::string_view, 8> kChargeStatuses{
    "pending", "unknown", "authorized", "captured", "refunded", "voided", "declined", "failed"};

struct Transition {
  std::string_view from;
  std::string_view to;
};

// docs/state-machine.md, the table "from / to / caused by", in its order.
inline constexpr std::array<Transition, 12> kDocumentedTransitions{{
    {"pending", "unknown"},
    {"pending", "authorized"},
    {"pending", "captured"},
    {"pending", "declined"},
    {"pending", "failed"},
    {"unknown", "authorized"},
    {"unknown", "captured"},
    {"unknown", "declined"},
    {"unknown", "failed"},
    {"authorized", "captured"},
    {"authorized", "voided"},
    {"captured", "refunded"},
}};

bool is_charge_status(std::string_view status);
// A change of status the documentation allows (from != to).
bool is_documented_transition(std::string_view from, std::string_view to);

// docs/api.md, "A charge" and "Refunds": why a charge's amounts cannot go with its status, or
// "" when they can. 0 <= amount_refunded <= amount_captured <= amount; only `captured` (with
// something left to refund) and `refunded` (all of it refunded) have anything captured.
std::string charge_amounts_problem(std::string_view status, int64_t amount, int64_t captured,
                                   int64_t refunded);

// An operation that is still under way: it may yet succeed (docs/api.md, "Operations").
bool is_live_operation_status(std::string_view status);

// docs/ledger.md, "The outbox": an operation's outcome owes exactly one webhook event when
// it changed the charge: every success, and a refused (declined or failed) authorization,
// which ends the payment. A refused capture, void or refund, and an unknown outcome, owe none.
bool outcome_owes_event(std::string_view operation_kind, std::string_view operation_status);

// docs/ledger.md, "Accounts": the four accounts a payment's own bookings touch.
inline constexpr std::string_view kCustomerHold = "customer_hold";
inline constexpr std::string_view kMerchantPending = "merchant_pending";
inline constexpr std::string_view kPspReceivable = "psp_receivable";
inline constexpr std::string_view kMerchantPayable = "merchant_payable";

// The accounts of the chart (the four above and the three reconciliation books into).
bool is_ledger_account(std::string_view account);
// docs/ledger.md, "What each event writes": the kinds of ledger transaction.
bool is_ledger_transaction_kind(std::string_view kind);

// docs/api.md: the built-in test API keys and the merchants they name. The simulated world's
// clients authenticate with these; a checker maps an acknowledged key to its merchant here.
inline constexpr std::string_view kMerchant1ApiKey = "sk_test_reckon_merchant_1";
inline constexpr std::string_view kMerchant2ApiKey = "sk_test_reckon_merchant_2";
// The merchant a test key belongs to; empty when it is not one of them.
std::string_view merchant_of_test_key(std::string_view api_key);

}  // namespace reckon::oracle
