#pragma once
// The checkers' own read access to the engine's SQLite database: the raw connection the
// engine node hands over, queried with the checkers' own SQL. Nothing here comes from
// engine/store, so a bug in the engine's storage layer cannot also bend what the checkers read.
//
// Statements are prepared once per connection and cached. INVARIANT: detach() runs before
// the connection closes (the engine node calls it as the engine goes down), so no statement
// outlives its connection.

#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace reckon::sim {

// One prepared statement, finalized with the query.
class StoreQuery {
 public:
  explicit StoreQuery(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~StoreQuery() { sqlite3_finalize(stmt_); }
  StoreQuery(const StoreQuery&) = delete;
  StoreQuery& operator=(const StoreQuery&) = delete;
  StoreQuery& bind(int index, int64_t value);
  StoreQuery& bind(int index, std::string_view value);
  // SQLITE_ROW, SQLITE_DONE or an error code (callers read rows while it is SQLITE_ROW).
  int step();
  int64_t column_int(int column) const;
  std::string column_text(int column) const;
  void reset();

 private:
  sqlite3_stmt* stmt_;
};

class StoreReader {
 public:
  StoreReader() = default;
  ~StoreReader() { detach(); }
  StoreReader(const StoreReader&) = delete;
  StoreReader& operator=(const StoreReader&) = delete;

  // Reads from `db` from now on (finalizing what was prepared for another connection).
  void attach(sqlite3* db);
  // Finalizes every statement; the connection may then close.
  void detach();
  bool attached() const { return db_ != nullptr; }
  sqlite3* connection() const { return db_; }

  // A cached statement, reset, with bindings cleared. It must only read (checked).
  StoreQuery& prepare(std::string_view sql);
  // The same for a statement that writes: only the ledger tamper's edits, made after a run
  // to judge `reckon ledger verify` (sim/ledger_tamper.h), never while the engine runs.
  StoreQuery& prepare_write(std::string_view sql);

 private:
  StoreQuery& cached(std::string_view sql, bool may_write);

  sqlite3* db_ = nullptr;
  struct Cached {
    std::unique_ptr<StoreQuery> query;
    bool writes = false;  // prepared by prepare_write; prepare refuses it
  };
  std::map<std::string, Cached, std::less<>> cache_;  // by SQL text
};

// Writes a SQLite database at `path` (default VFS) that is not the engine's: one unrelated
// table. For the checks that a tool refuses such a file instead of reading it as empty.
// Returns false when it cannot.
bool write_foreign_database(const std::string& path);

// Writes a file at `path` that is not a SQLite database at all (a page of text), for the same
// checks. Returns false when it cannot.
bool write_text_file_not_database(const std::string& path);

// True when `message` cannot explain a refusal: empty, or SQLite's wording of a result that is
// not an error ("not an error", "another row available", "no more rows available").
bool says_nothing_wrong(const std::string& message);

}  // namespace reckon::sim
