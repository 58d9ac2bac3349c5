#pragma once
// Named points inside the engine where the simulator may crash the process. Each sits
// where a real crash would leave the most delicate state behind. In live mode nothing
// implements CrashPoints, and reaching a point does nothing.
//
// INVARIANT: engine code reached through a crash point may be abandoned mid-way (the
// simulator unwinds it with an exception and destroys the engine); so no crash point sits
// where unwinding would leave in-memory state that outlives the engine object.

#include <array>
#include <string_view>

namespace reckon::engine {

struct CrashPointInfo {
  std::string_view name;
  std::string_view description;
};

inline constexpr std::array<CrashPointInfo, 6> kCrashPoints{{
    {"after_pending_commit", "the PENDING intent is durable; the PSP has not been called"},
    {"before_psp_call", "about to send an operation (first try, retry or recovery re-send)"},
    {"after_psp_reply", "the PSP answered; its outcome is not yet committed"},
    {"after_outcome_commit", "the outcome is committed; the client has not been answered"},
    {"during_recovery", "the recovery job is about to ask the PSP about an operation"},
    {"during_outbox_delivery",
     "the merchant's webhook acknowledged an event; its delivery is not yet recorded"},
}};

bool is_crash_point(std::string_view name);

}  // namespace reckon::engine
