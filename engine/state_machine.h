#pragma once
// The charge status machine (docs/state-machine.md). One table of legal transitions is the
// single source: is_legal_transition() answers from it, and the database trigger that
// refuses illegal status changes is generated from it, so code and schema cannot disagree.
//
// A status that does not change (a partial refund leaves a charge `captured`) is not a
// transition and is always allowed.

#include <array>
#include <string>
#include <string_view>

namespace reckon::engine {

inline constexpr std::array<std::string_view, 8> kChargeStatuses{
    "pending", "unknown", "authorized", "captured", "refunded", "voided", "declined", "failed"};

struct StatusTransition {
  std::string_view from;
  std::string_view to;
};

inline constexpr std::array<StatusTransition, 12> kLegalTransitions{{
    {"pending", "unknown"},      // every PSP attempt was ambiguous
    {"pending", "authorized"},   // authorized
    {"pending", "captured"},     // authorized with capture in the same call
    {"pending", "declined"},     // the PSP refused the card
    {"pending", "failed"},       // the PSP refused the request
    {"unknown", "authorized"},   // recovery learned the outcome
    {"unknown", "captured"},     //
    {"unknown", "declined"},     //
    {"unknown", "failed"},       //
    {"authorized", "captured"},  // capture (full or partial; the rest of the hold is released)
    {"authorized", "voided"},    // void: the whole hold is released
    {"captured", "refunded"},    // the last refund brought amount_refunded to amount_captured
}};

// True if a charge may move from `from` to `to`; false when from == to (no transition).
bool is_legal_transition(std::string_view from, std::string_view to);
// True if no transition leaves `status`.
bool is_terminal_status(std::string_view status);

// SQL creating the triggers that make the database refuse what the code refuses: a charge
// inserted in any status but `pending`, and an UPDATE to a status not reachable from the
// old one (RAISE(ABORT), so the whole transaction's statement fails and nothing is applied).
std::string charge_status_triggers_sql();

}  // namespace reckon::engine
