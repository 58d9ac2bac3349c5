#pragma once
// The audit log: who did what. One row per operation the engine admitted — the merchant,
// the id of the API key that asked (never the key itself), the action, the charge, the
// operation, the client's Idempotency-Key and the time — written in the same transaction
// as the operation, so an operation exists if and only if its audit row does. Rows are
// append-only: triggers in the schema refuse UPDATE and DELETE.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/planted.h"
#include "engine/store/db.h"

namespace reckon::engine {

// The actor of operations the engine starts on its own (authorization expiry).
inline constexpr std::string_view kEngineActor = "engine";

struct AuditRecord {
  int64_t at_us = 0;
  std::string merchant;
  std::string actor;   // api_key_id(key), or kEngineActor
  std::string action;  // authorize, capture, void, refund
  std::string charge_id;
  std::string operation_id;
  std::string idempotency_key;  // empty for the engine's own operations
};

// A stable, non-secret name for an API key: "key_" and 12 hex digits of its hash. Logs and
// the audit log carry this, so a leaked log never leaks a credential.
std::string api_key_id(std::string_view api_key);

// REQUIRES: inside the transaction that inserts the operation.
Status append_audit(Db& db, const AuditRecord& record);

// The audit log of the database at `path`, oldest first (only `merchant`'s rows if it is
// not empty). Sets `error` and returns nothing when the file is missing or not an engine
// database; opens it read-only with the default VFS (the simulator's, inside a simulation),
// so it never creates or writes the file.
std::vector<AuditRecord> read_audit_file(const std::string& path, const std::string& merchant,
                                         std::string& error, const PlantedDefects& planted = {});

}  // namespace reckon::engine
