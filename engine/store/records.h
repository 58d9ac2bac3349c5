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
  std::string status;  // engine/state_machine.h lists the statuses and their transitions
  int64_t captured_minor = 0;
  int64_t refunded_minor = 0;  // INVARIANT: <= captured_minor (also a CHECK in the schema)
  std::string psp_charge_id;
  int64_t created_us = 0;
};

struct OperationRow {
  std::string id;
  std::string charge_id;
  std::string kind;  // authorize, capture, void, refund
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
  int64_t created_us = 0;
};

Status insert_charge(Db& db, const ChargeRow& row, int64_t now_us);
std::optional<ChargeRow> load_charge(Db& db, const std::string& id);
Status update_charge(Db& db, const ChargeRow& row, int64_t now_us);
// Up to `limit` of the merchant's charges in creation order ((created_us, id)), after
// `cursor` if given.
std::vector<ChargeRow> list_charges_page(Db& db, const std::string& merchant,
                                         const std::optional<ChargeRow>& cursor, int64_t limit);

Status insert_operation(Db& db, const OperationRow& row, int64_t now_us);
std::optional<OperationRow> load_operation(Db& db, const std::string& id);
// The operation that owns a PSP idempotency key (a PSP webhook names only the key).
std::optional<OperationRow> load_operation_by_psp_key(Db& db, const std::string& psp_key);
Status set_operation_status(Db& db, const std::string& id, const std::string& status,
                            int64_t attempts, int64_t now_us);
// Operations in pending or unknown state, oldest first.
std::vector<OperationRow> unresolved_operations(Db& db);
// Up to `limit` charges still `authorized` whose authorization succeeded at or before
// `authorized_before_us` and that no capture or void settles or may still settle, oldest
// first: the authorizations the recovery job lets expire. A charge whose expiry void (an
// operation with no client key) was already tried is not listed again.
std::vector<ChargeRow> expired_authorizations(Db& db, int64_t authorized_before_us, int64_t limit);
// When the charge's authorization succeeded (engine clock), if it did.
std::optional<int64_t> authorized_at_us(Db& db, const std::string& charge_id);
// The charge's authorize operation if it is pending or unknown.
std::optional<OperationRow> unresolved_authorization(Db& db, const std::string& charge_id);
// The sum of the charge's refund operations that succeeded or may still succeed (pending,
// unknown): what is already promised back. REQUIRES: called inside the transaction that
// adds a refund, so the cap check and the insert see the same rows.
// `count_under_way` false only for the planted defect refund-cap-ignores-pending.
int64_t refunds_committed_minor(Db& db, const std::string& charge_id, bool count_under_way = true);
// True if the charge has a capture or void operation that succeeded or may still succeed
// (pending, unknown). INVARIANT: an authorization is settled at most once, by one capture
// or one void, so a new one is refused while this holds.
bool has_settlement(Db& db, const std::string& charge_id);

// `any_merchant` is planted key-across-merchants only: the key's oldest record at any merchant.
std::optional<IdempotencyRow> load_idempotency(Db& db, const std::string& merchant,
                                               const std::string& key, bool any_merchant = false);
Status insert_idempotency(Db& db, const IdempotencyRow& row, int64_t now_us);
// Stores the final response for the key that started operation_id and marks it done.
// Forgets one expired key (REQUIRES: state done, past retention; in a transaction).
Status delete_idempotency(Db& db, const std::string& merchant, const std::string& key);
// Whether some completed key was created before `cutoff_us` (an indexed probe).
bool has_idempotency_before(Db& db, int64_t cutoff_us);
// Forgets up to `limit` completed keys created before `cutoff_us`; returns how many.
int64_t purge_idempotency(Db& db, int64_t cutoff_us, int64_t limit, Status& status);
Status complete_idempotency(Db& db, const std::string& operation_id, int status,
                            const std::string& body);

}  // namespace reckon::engine
