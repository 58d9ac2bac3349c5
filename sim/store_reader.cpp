#include "sim/store_reader.h"

#include <vector>

#include "engine/check.h"

namespace reckon::sim {

StoreQuery& StoreQuery::bind(int index, int64_t value) {
  RECKON_CHECK(sqlite3_bind_int64(stmt_, index, value) == SQLITE_OK, "checker binds an integer");
  return *this;
}

StoreQuery& StoreQuery::bind(int index, std::string_view value) {
  RECKON_CHECK(sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()),
                                 SQLITE_TRANSIENT) == SQLITE_OK,
               "checker binds a text");
  return *this;
}

int StoreQuery::step() {
  return sqlite3_step(stmt_);
}

int64_t StoreQuery::column_int(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::string StoreQuery::column_text(int column) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  return text == nullptr ? std::string() : std::string(text);
}

void StoreQuery::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

void StoreReader::attach(sqlite3* db) {
  if (db == db_) return;
  detach();
  db_ = db;
}

void StoreReader::detach() {
  cache_.clear();  // finalizes every statement
  db_ = nullptr;
}

StoreQuery& StoreReader::prepare(std::string_view sql) {
  return cached(sql, /*may_write=*/false);
}

StoreQuery& StoreReader::prepare_write(std::string_view sql) {
  return cached(sql, /*may_write=*/true);
}

StoreQuery& StoreReader::cached(std::string_view sql, bool may_write) {
  RECKON_CHECK(db_ != nullptr, "a checker reads only while attached to a running engine");
  auto found = cache_.find(sql);
  if (found != cache_.end()) {
    RECKON_CHECK(may_write || !found->second.writes,
                 "a checker's SQL only reads the engine's store");
    found->second.query->reset();
    return *found->second.query;
  }
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  RECKON_CHECK(rc == SQLITE_OK, "a checker's SQL compiles against the engine's schema");
  // INVARIANT: the checkers observe the engine's store and never change it (they share the
  // engine's connection, so SQLite cannot make that connection read-only for them alone).
  // sqlite3_stmt_readonly alone would pass BEGIN, COMMIT, SAVEPOINT, ATTACH and some
  // PRAGMAs, which would end or open the engine's transactions: a read returns columns.
  const bool writes = sqlite3_stmt_readonly(stmt) == 0 || sqlite3_column_count(stmt) == 0;
  if (writes && !may_write) sqlite3_finalize(stmt);
  RECKON_CHECK(may_write || !writes, "a checker's SQL only reads the engine's store");
  auto [it, inserted] =
      cache_.emplace(std::string(sql), Cached{std::make_unique<StoreQuery>(stmt), writes});
  return *it->second.query;
}

bool write_foreign_database(const std::string& path) {
  sqlite3* db = nullptr;
  const int opened =
      sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  const bool written =
      opened == SQLITE_OK && sqlite3_exec(db, "CREATE TABLE IF NOT EXISTS notes (body TEXT)",
                                          nullptr, nullptr, nullptr) == SQLITE_OK;
  sqlite3_close_v2(db);
  return written;
}

bool write_text_file_not_database(const std::string& path) {
  // Through the default VFS, where the tools under test will look (the simulator's own).
  sqlite3_vfs* vfs = sqlite3_vfs_find(nullptr);
  if (vfs == nullptr) return false;
  std::vector<char> storage(static_cast<size_t>(vfs->szOsFile));
  auto* file = reinterpret_cast<sqlite3_file*>(storage.data());
  int out_flags = 0;
  if (vfs->xOpen(vfs, path.c_str(), file,
                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_MAIN_DB,
                 &out_flags) != SQLITE_OK) {
    return false;
  }
  // Longer than SQLite's 100-byte header, so the file is judged by its content, not its size.
  std::string text;
  while (text.size() < 4096) text += "order,amount,currency\nord_1,1000,USD\n";
  const bool written =
      file->pMethods->xWrite(file, text.data(), static_cast<int>(text.size()), 0) == SQLITE_OK &&
      file->pMethods->xSync(file, SQLITE_SYNC_NORMAL) == SQLITE_OK;
  return file->pMethods->xClose(file) == SQLITE_OK && written;
}

bool says_nothing_wrong(const std::string& message) {
  if (message.empty()) return true;
  for (int rc : {SQLITE_OK, SQLITE_ROW, SQLITE_DONE}) {
    if (message == sqlite3_errstr(rc)) return true;
  }
  return false;
}

}  // namespace reckon::sim
