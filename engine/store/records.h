#pragma once
// Rows of the engine's tables and the parameterised statements that read and write them.
// REQUIRES (writers): an open transaction, so each change commits with its companions.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/store/db.h"

namespace reckon::engine {

struct ChargeRow {
  std::string id;
  std::string merchant;
  int64_t amount_minor = 0;
  std::string currency;
  std::string card_token;
  bool capture_requested = false;
  std::string status;  // pending, unknown, authorized, captured, declined, failed
  int64_t captured_minor = 0;
  std::string psp_charge_id;
  int64_t created_us = 0;
};

struct OperationRow {
  std::string id;
  std::string charge_id;
  std::string kind;  // authorize, capture
  int64_t amount_minor = 0;
  std::string status;  // pending, unknown, succeeded, declined, failed
  std::string psp_key;
  int64_t attempts = 0;
  std::string idem_merchant;
  std::string idem_key;
};

struct IdempotencyRow {
  std::string merchant;
  std::string key;
  std::string fingerprint;
  std::string state;  // in_flight, done
  std::string operation_id;
  int response_status = 0;
  std::string response_body;
};

Status insert_charge(Db& db, const ChargeRow& row, int64_t now_us);
std::optional<ChargeRow> load_charge(Db& db, const std::string& id);
Status update_charge(Db& db, const ChargeRow& row, int64_t now_us);

Status insert_operation(Db& db, const OperationRow& row, int64_t now_us);
std::optional<OperationRow> load_operation(Db& db, const std::string& id);
Status set_operation_status(Db& db, const std::string& id, const std::string& status,
                            int64_t attempts, int64_t now_us);
// Operations in pending or unknown state, oldest first.
std::vector<OperationRow> unresolved_operations(Db& db);
// True if the charge has a capture operation that is not definitively finished.
bool has_unresolved_capture(Db& db, const std::string& charge_id);

std::optional<IdempotencyRow> load_idempotency(Db& db, const std::string& merchant,
                                               const std::string& key);
Status insert_idempotency(Db& db, const IdempotencyRow& row, int64_t now_us);
// Stores the final response for the key that started operation_id and marks it done.
Status complete_idempotency(Db& db, const std::string& operation_id, int status,
                            const std::string& body);

}  // namespace reckon::engine
