#include "engine/store/schema.h"

#include "engine/check.h"
#include "engine/state_machine.h"

namespace reckon::engine {
namespace {

// INVARIANT: ledger rows are append-only. The database itself refuses UPDATE and DELETE,
// so no code path (or planted bug) can edit history; a correction is a new transaction.
constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS charges (
  id                TEXT PRIMARY KEY,
  merchant          TEXT NOT NULL,
  amount_minor      INTEGER NOT NULL CHECK (amount_minor > 0),
  currency          TEXT NOT NULL,
  card_token        TEXT NOT NULL,
  capture_requested INTEGER NOT NULL,
  status            TEXT NOT NULL CHECK (status IN ('pending', 'unknown', 'authorized',
                    'captured', 'refunded', 'voided', 'declined', 'failed')),
  captured_minor    INTEGER NOT NULL DEFAULT 0 CHECK (captured_minor >= 0),
  refunded_minor    INTEGER NOT NULL DEFAULT 0
                    CHECK (refunded_minor >= 0 AND refunded_minor <= captured_minor),
  psp_charge_id     TEXT,
  created_us        INTEGER NOT NULL,
  updated_us        INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS charges_by_psp_charge ON charges(psp_charge_id);
CREATE INDEX IF NOT EXISTS charges_by_merchant ON charges(merchant, created_us, id);
CREATE TABLE IF NOT EXISTS operations (
  id            TEXT PRIMARY KEY,
  charge_id     TEXT NOT NULL REFERENCES charges(id),
  kind          TEXT NOT NULL CHECK (kind IN ('authorize', 'capture', 'void', 'refund')),
  amount_minor  INTEGER NOT NULL CHECK (amount_minor > 0),
  status        TEXT NOT NULL
                CHECK (status IN ('pending', 'unknown', 'succeeded', 'declined', 'failed')),
  psp_key       TEXT NOT NULL,
  attempts      INTEGER NOT NULL DEFAULT 0,
  idem_merchant TEXT NOT NULL,
  idem_key      TEXT NOT NULL,
  created_us    INTEGER NOT NULL,
  updated_us    INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS operations_by_charge ON operations(charge_id, kind);
CREATE INDEX IF NOT EXISTS operations_by_psp_key ON operations(psp_key);
CREATE INDEX IF NOT EXISTS operations_unresolved ON operations(status)
  WHERE status IN ('pending', 'unknown');
CREATE TABLE IF NOT EXISTS idempotency_keys (
  merchant        TEXT NOT NULL,
  key             TEXT NOT NULL,
  fingerprint     TEXT NOT NULL,
  state           TEXT NOT NULL CHECK (state IN ('in_flight', 'done')),
  operation_id    TEXT,
  response_status INTEGER,
  response_body   TEXT,
  created_us      INTEGER NOT NULL,
  PRIMARY KEY (merchant, key)
);
CREATE INDEX IF NOT EXISTS idempotency_by_operation ON idempotency_keys(operation_id);
CREATE INDEX IF NOT EXISTS idempotency_by_age ON idempotency_keys(created_us)
  WHERE state = 'done';
CREATE TABLE IF NOT EXISTS ledger_transactions (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  charge_id  TEXT NOT NULL,
  kind       TEXT NOT NULL,
  created_us INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS ledger_entries (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  txn_id       INTEGER NOT NULL REFERENCES ledger_transactions(id),
  account      TEXT NOT NULL,
  currency     TEXT NOT NULL,
  amount_minor INTEGER NOT NULL CHECK (amount_minor <> 0),
  hash         TEXT NOT NULL  -- engine/ledger_chain.h: chains every entry to the one before
);
CREATE TRIGGER IF NOT EXISTS ledger_entries_no_update BEFORE UPDATE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger_entries are append-only: UPDATE refused'); END;
CREATE TRIGGER IF NOT EXISTS ledger_entries_no_delete BEFORE DELETE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger_entries are append-only: DELETE refused'); END;
CREATE TRIGGER IF NOT EXISTS ledger_transactions_no_update BEFORE UPDATE ON ledger_transactions
BEGIN SELECT RAISE(ABORT, 'ledger_transactions are append-only: UPDATE refused'); END;
CREATE TRIGGER IF NOT EXISTS ledger_transactions_no_delete BEFORE DELETE ON ledger_transactions
BEGIN SELECT RAISE(ABORT, 'ledger_transactions are append-only: DELETE refused'); END;
-- The ledger's anchor (docs/ledger.md, "The hash chain"): one row, updated in the transaction
-- that appends entries, holding the counts and the chain's head. The chain catches an edit
-- or a deleted middle; only this row catches a deleted tail. It never shrinks.
CREATE TABLE IF NOT EXISTS ledger_head (
  id           INTEGER PRIMARY KEY CHECK (id = 1),
  entries      INTEGER NOT NULL CHECK (entries >= 0),
  transactions INTEGER NOT NULL CHECK (transactions >= 0),
  hash         TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS ledger_head_no_delete BEFORE DELETE ON ledger_head
BEGIN SELECT RAISE(ABORT, 'ledger_head is never deleted'); END;
CREATE TRIGGER IF NOT EXISTS ledger_head_only_grows BEFORE UPDATE ON ledger_head
WHEN NEW.entries < OLD.entries OR NEW.transactions < OLD.transactions OR NEW.id <> OLD.id
BEGIN SELECT RAISE(ABORT, 'ledger_head only grows'); END;
-- A database from before the anchor gets one matching what it holds (evaluated only then).
INSERT INTO ledger_head (id, entries, transactions, hash)
SELECT 1, (SELECT count(*) FROM ledger_entries), (SELECT count(*) FROM ledger_transactions),
       COALESCE((SELECT hash FROM ledger_entries ORDER BY id DESC LIMIT 1),
                '00000000000000000000000000000000')
WHERE NOT EXISTS (SELECT 1 FROM ledger_head);
CREATE TABLE IF NOT EXISTS audit_log (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  at_us           INTEGER NOT NULL,
  merchant        TEXT NOT NULL,
  actor           TEXT NOT NULL,  -- engine/audit.h: an API key id, never the key
  action          TEXT NOT NULL,
  charge_id       TEXT NOT NULL,
  operation_id    TEXT NOT NULL,
  idempotency_key TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE refused'); END;
CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: DELETE refused'); END;
-- The transactional outbox (docs/ledger.md, "The outbox"): one event per payment state
-- change, inserted in the transaction that commits the change. The event (every column up
-- to created_us) is append-only like the ledger; only the delivery state below it changes,
-- and a delivered event stays delivered.
CREATE TABLE IF NOT EXISTS outbox (
  seq             INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id        TEXT NOT NULL UNIQUE,
  operation_id    TEXT NOT NULL UNIQUE REFERENCES operations(id),
  merchant        TEXT NOT NULL,
  type            TEXT NOT NULL CHECK (type IN ('payment.authorized', 'payment.captured',
                  'payment.refunded', 'payment.voided', 'payment.failed')),
  charge_id       TEXT NOT NULL REFERENCES charges(id),
  body            TEXT NOT NULL,
  created_us      INTEGER NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_us INTEGER NOT NULL DEFAULT 0,
  delivered_us    INTEGER
);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox(merchant, next_attempt_us, seq)
  WHERE delivered_us IS NULL;
CREATE TRIGGER IF NOT EXISTS outbox_event_no_update
BEFORE UPDATE OF seq, event_id, operation_id, merchant, type, charge_id, body, created_us
ON outbox
BEGIN SELECT RAISE(ABORT, 'outbox events are append-only: UPDATE of the event refused'); END;
CREATE TRIGGER IF NOT EXISTS outbox_no_delete BEFORE DELETE ON outbox
BEGIN SELECT RAISE(ABORT, 'outbox events are append-only: DELETE refused'); END;
CREATE TRIGGER IF NOT EXISTS outbox_delivered_stays BEFORE UPDATE OF delivered_us ON outbox
WHEN OLD.delivered_us IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a delivered outbox event stays delivered'); END;
)sql";

// What sqlite_master holds, in one text, in the order the objects were created: a database
// built by the same DDL lists the same. (One built in another order differs, and merely
// gets the IF NOT EXISTS DDL run again, which is always correct.)
constexpr std::string_view kSchemaListing =
    "SELECT group_concat(type || ' ' || name || ' ' || coalesce(sql, ''), char(10)) "
    "FROM sqlite_master";

Status create_schema(Db& db) {
  return in_transaction(db, [&] {
    Status w = db.exec(kSchema);
    if (w.ok) w = db.exec(charge_status_triggers_sql());
    return w;
  });
}

std::string schema_listing(Db& db) {
  Statement& listing = db.prepare(kSchemaListing);
  std::string text = listing.step() == SQLITE_ROW ? listing.column_text(0) : std::string();
  listing.reset();
  return text;
}

// The listing of a database that holds exactly this build's schema, made once per process
// in a private in-memory database.
const std::string& complete_schema_listing() {
  static const std::string listing = [] {
    Status status;
    auto scratch = Db::open(":memory:", "", status);
    RECKON_CHECK(scratch != nullptr && status.ok, "an in-memory database opens");
    status = create_schema(*scratch);
    RECKON_CHECK(status.ok, "the engine's schema applies to an empty database");
    return schema_listing(*scratch);
  }();
  return listing;
}

}  // namespace

Status apply_schema(Db& db, Durability durability) {
  const char* pragmas = "PRAGMA journal_mode=TRUNCATE; PRAGMA synchronous=FULL;";
  if (durability == Durability::kWalFull) {
    pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;";
  } else if (durability == Durability::kWalGroup) {
    pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;";
  }
  Status s = db.exec(pragmas);
  if (s.ok && durability != Durability::kRollbackFull) {
    // SQLite keeps the old mode silently when it cannot switch (e.g. a VFS without
    // shared memory); the durability contract must not depend on that going unnoticed.
    Statement& mode = db.prepare("PRAGMA journal_mode");
    if (mode.step() != SQLITE_ROW || mode.column_text(0) != "wal") {
      return Status::error(SQLITE_ERROR, "could not switch the database to WAL mode");
    }
    mode.reset();
  }
  if (s.ok) s = db.exec("PRAGMA foreign_keys=ON;");
  if (!s.ok) return s;
  // A restart finds its schema in place: skip the DDL, whose parsing cost more than the
  // payments in between. The DDL runs when anything differs (a fresh file, a database from
  // an older build, a trigger a planted defect dropped), exactly as before. ledger_head's
  // row needs no look: it is inserted in the transaction that creates its table.
  if (schema_listing(db) == complete_schema_listing()) return s;
  return create_schema(db);
}

}  // namespace reckon::engine
