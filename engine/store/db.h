#pragma once
// A small RAII layer over SQLite. Every statement is prepared and parameterised; no SQL is
// ever built by concatenating values. Errors are returned as Status values naming the
// statement and SQLite's message, never thrown across the engine's API.

#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace reckon::engine {

// [[nodiscard]]: a failed Status dropped on the floor is a lost error; a caller that means
// to ignore one says so with (void).
struct [[nodiscard]] Status {
  bool ok = true;
  int code = SQLITE_OK;  // SQLite result code when !ok
  std::string message;

  static Status success() { return {}; }
  static Status error(int code, std::string message) { return {false, code, std::move(message)}; }
};

class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Statement& bind(int index, int64_t value);
  Statement& bind(int index, std::string_view value);
  Statement& bind_null(int index);

  // SQLITE_ROW, SQLITE_DONE or an error code.
  int step();
  // Runs to completion; ok when it ended in SQLITE_DONE.
  Status run();

  int64_t column_int(int column) const;
  std::string column_text(int column) const;
  bool column_is_null(int column) const;

  // Clears bindings and rewinds for reuse. Called automatically by Db::prepare.
  void reset();

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

class Db {
 public:
  // Opens (creating if needed) the database at path with the named VFS (empty: default).
  static std::unique_ptr<Db> open(const std::string& path, const std::string& vfs_name,
                                  Status& status);
  // Opens an existing database read-only with the default VFS; never creates or writes the
  // file (a missing file is an error). Reads wait up to busy_timeout_ms for a live server's
  // write lock (e.g. its WAL recovery after a restart) before failing with SQLITE_BUSY.
  static std::unique_ptr<Db> open_read_only(const std::string& path, Status& status,
                                            int busy_timeout_ms = 5000);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  Status exec(std::string_view sql);
  // A cached prepared statement, reset and with bindings cleared. The reference stays
  // valid for the Db's lifetime. The SQL text must be a compile-time constant in callers.
  Statement& prepare(std::string_view sql);
  // The same, for a file Reckon may not have written (a user's --db): SQL that does not
  // prepare there (no such table, not a database) is a problem with the input, so it is
  // reported through `status` and nullptr instead of stopping the process.
  Statement* try_prepare(std::string_view sql, Status& status);

  Status begin();  // BEGIN IMMEDIATE
  Status commit();
  void rollback();  // best effort; safe when no transaction is open
  bool in_transaction() const;

  sqlite3* handle() { return db_; }
  std::string last_error() const;

 private:
  explicit Db(sqlite3* db) : db_(db) {}
  Status step_control(std::string_view sql);
  sqlite3* db_;
  std::map<std::string, std::unique_ptr<Statement>, std::less<>> statements_;
  std::map<std::string, sqlite3_stmt*, std::less<>> raw_;
};

// COMMIT itself failed. SQLite may have made the transaction durable, in part or not at all
// (a sync can fail after the pages were written; a later open may roll a hot journal back),
// and this connection's view may no longer match the disk: an answer read from it could be
// undone by the next crash. So nothing may be answered from it; the process stops and
// restart recovery works from what is durable (PostgreSQL treats a failed fsync the same
// way). Simulation restarts the engine; `reckon serve` exits 75 for its supervisor.
class UncertainCommit : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Runs `body` inside BEGIN IMMEDIATE ... COMMIT. If body returns a failed Status, the
// transaction is rolled back and nothing it wrote remains (SQLite undoes a failed
// statement's writes). If COMMIT fails, throws UncertainCommit.
template <typename Body>
Status in_transaction(Db& db, Body&& body) {
  Status s = db.begin();
  if (!s.ok) return s;
  s = body();
  if (!s.ok) {
    db.rollback();
    return s;
  }
  s = db.commit();
  if (!s.ok) {
    db.rollback();
    throw UncertainCommit("COMMIT failed (" + s.message + "); the database's state is uncertain");
  }
  return s;
}

}  // namespace reckon::engine
