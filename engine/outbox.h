#pragma once
// The transactional outbox: the event each payment state change owes the merchant, and
// the table that holds events until the dispatcher has delivered them (engine/store/
// schema.cpp). Contract for merchants: docs/api.md, "Webhooks".
//
// INVARIANT: an operation's event is inserted in the transaction that commits the
// operation's outcome, so a crash keeps both or neither; every committed transition has
// exactly one event (operation_id is UNIQUE), and its id never changes on redelivery.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/store/db.h"
#include "engine/store/records.h"

namespace reckon::engine {

struct OutboxEvent {
  int64_t seq = 0;
  std::string event_id;
  std::string operation_id;
  std::string merchant;
  std::string type;
  std::string charge_id;
  std::string body;
  int64_t attempts = 0;  // deliveries tried so far
};

// The event type an operation's outcome owes the merchant, or nullopt when the charge did
// not change (a capture, void or refund the PSP declined or failed leaves it as it was).
// REQUIRES: `charge` is the charge after the outcome was applied; `op_status` is final.
std::optional<std::string> outbox_event_type(const OperationRow& op, const std::string& op_status,
                                             const ChargeRow& charge);
// Whether an operation in this final status has an event (the property checker uses it).
bool owes_outbox_event(const std::string& kind, const std::string& op_status);

// "evt_" and 16 hex digits derived from the operation id alone: the same on every
// redelivery, across restarts, and without drawing randomness.
std::string outbox_event_id(const std::string& operation_id);

// The event for `op` (type from outbox_event_type), its body rendered. No card token.
OutboxEvent make_outbox_event(const OperationRow& op, const std::string& type,
                              const ChargeRow& charge, int64_t now_us);
// The event the merchant is owed for this outcome, or nullopt if the charge did not change.
std::optional<OutboxEvent> outbox_event_for(const OperationRow& op, const std::string& op_status,
                                            const ChargeRow& charge, int64_t now_us);

// REQUIRES (writers): an open transaction.
Status insert_outbox_event(Db& db, const OutboxEvent& event, int64_t now_us);
// Undelivered events of `merchant` due at `now_us`, oldest first, at most `limit`.
std::vector<OutboxEvent> due_outbox_events(Db& db, const std::string& merchant, int64_t now_us,
                                           int64_t limit);
// Records a delivery attempt of an undelivered event: delivered at `delivered_us` (a 2xx),
// or not yet, to be tried again at `next_attempt_us`.
Status record_outbox_attempt(Db& db, const std::string& event_id, int64_t attempts,
                             std::optional<int64_t> delivered_us, int64_t next_attempt_us);
// Undelivered events of `merchant`.
int64_t undelivered_outbox_count(Db& db, const std::string& merchant);

}  // namespace reckon::engine
