#pragma once
// Part of psp-webhook-accepted: what the engine says it made of a genuine PSP notice must be
// true of its store at the moment it answers (docs/psp-dialect.md, "Webhooks"):
//
// - `applied`: the notice settled the operation "exactly as a lookup's answer would have", so
//   the operation under the notice's key is booked with the notice's outcome;
// - `already_final`: the operation under the key was already booked (succeeded, declined or
//   failed), not pending or unknown;
// - `unknown_operation`: no operation has the key;
// - `mismatch`: the key's operation is another operation or amount than the notice's.
//
// A 2xx that claims a disposition the store contradicts tells the PSP to stop resending a
// notice the engine did not act on. Read with the checkers' own SQL.

#include <sqlite3.h>

#include <cstdint>
#include <string>

namespace reckon::sim {

// What a genuine notice says, in the dialect's words (docs/psp-dialect.md).
struct NoticeFacts {
  std::string event_id;
  std::string key;        // the operation's PSP idempotency key
  std::string outcome;    // succeeded, declined or failed
  std::string operation;  // authorize, capture, void or refund
  int64_t amount_minor = 0;
};

// "" when `disposition`, answered 2xx to the notice, agrees with the store; else what is wrong.
std::string notice_answer_problem(sqlite3* store, const NoticeFacts& notice,
                                  const std::string& disposition);

}  // namespace reckon::sim
