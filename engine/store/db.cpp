#include "engine/store/db.h"

#include "engine/check.h"

namespace reckon::engine {

Statement& Statement::bind(int index, int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  RECKON_CHECK(rc == SQLITE_OK, "sqlite3_bind_int64 failed: wrong parameter index");
  return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
  int rc = sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()),
                             SQLITE_TRANSIENT);
  RECKON_CHECK(rc == SQLITE_OK, "sqlite3_bind_text failed: wrong parameter index");
  return *this;
}

Statement& Statement::bind_null(int index) {
  int rc = sqlite3_bind_null(stmt_, index);
  RECKON_CHECK(rc == SQLITE_OK, "sqlite3_bind_null failed: wrong parameter index");
  return *this;
}

int Statement::step() {
  return sqlite3_step(stmt_);
}

Status Statement::run() {
  int rc = step();
  while (rc == SQLITE_ROW) rc = step();
  if (rc == SQLITE_DONE) return Status::success();
  return Status::error(rc, std::string(sqlite3_errmsg(db_)) + " in: " + sqlite3_sql(stmt_));
}

int64_t Statement::column_int(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::string Statement::column_text(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

bool Statement::column_is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

namespace {

// The connection, or nullptr with `status` naming why it could not be opened.
sqlite3* open_raw(const std::string& path, int flags, const std::string& vfs_name, Status& status) {
  sqlite3* raw = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &raw, flags, vfs_name.empty() ? nullptr : vfs_name.c_str());
  if (rc != SQLITE_OK) {
    status = Status::error(rc, "cannot open database '" + path +
                                   "': " + (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
    sqlite3_close_v2(raw);
    return nullptr;
  }
  sqlite3_extended_result_codes(raw, 1);
  status = Status::success();
  return raw;
}

}  // namespace

std::unique_ptr<Db> Db::open(const std::string& path, const std::string& vfs_name, Status& status) {
  sqlite3* raw = open_raw(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                          vfs_name, status);
  return raw ? std::unique_ptr<Db>(new Db(raw)) : nullptr;
}

std::unique_ptr<Db> Db::open_read_only(const std::string& path, Status& status,
                                       int busy_timeout_ms) {
  sqlite3* raw = open_raw(path, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, "", status);
  if (raw == nullptr) return nullptr;
  sqlite3_busy_timeout(raw, busy_timeout_ms);
  return std::unique_ptr<Db>(new Db(raw));
}

Db::~Db() {
  for (auto& [sql, stmt] : raw_) sqlite3_finalize(stmt);
  // close_v2 tolerates a dead VFS handle after a simulated crash: SQLite drops the
  // connection even if rolling back an open transaction fails.
  sqlite3_close_v2(db_);
}

Status Db::exec(std::string_view sql) {
  char* err = nullptr;
  std::string text(sql);
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
  if (rc == SQLITE_OK) return Status::success();
  std::string message = err ? err : sqlite3_errstr(rc);
  sqlite3_free(err);
  return Status::error(rc, message + " in: " + text.substr(0, 80));
}

Statement& Db::prepare(std::string_view sql) {
  Status status;
  Statement* statement = try_prepare(sql, status);
  if (statement == nullptr) {
    std::fprintf(stderr, "reckon: cannot prepare SQL: %s\n  %.*s\n", status.message.c_str(),
                 static_cast<int>(sql.size()), sql.data());
  }
  RECKON_CHECK(statement != nullptr, "engine SQL must prepare (it is a compile-time constant)");
  return *statement;
}

Statement* Db::try_prepare(std::string_view sql, Status& status) {
  status = Status::success();
  auto it = statements_.find(sql);
  if (it != statements_.end()) {
    it->second->reset();
    return it->second.get();
  }
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    status = Status::error(rc, sqlite3_errmsg(db_));
    return nullptr;
  }
  std::string key(sql);
  raw_[key] = stmt;
  auto [pos, inserted] = statements_.emplace(key, std::make_unique<Statement>(db_, stmt));
  return pos->second.get();
}

// Transaction control runs through cached statements: re-parsing "BEGIN IMMEDIATE" and
// "COMMIT" on every transaction cost a tenth of a simulated payment's instructions.
Status Db::step_control(std::string_view sql) {
  Statement& statement = prepare(sql);
  Status s = statement.run();
  statement.reset();
  return s;
}

Status Db::begin() {
  if (sqlite3_get_autocommit(db_) == 0) {
    return Status::error(SQLITE_MISUSE, "BEGIN while a transaction is already open");
  }
  return step_control("BEGIN IMMEDIATE");
}

Status Db::commit() {
  return step_control("COMMIT");
}

void Db::rollback() {
  if (sqlite3_get_autocommit(db_) == 0) (void)step_control("ROLLBACK");
}

bool Db::in_transaction() const {
  return sqlite3_get_autocommit(db_) == 0;
}

std::string Db::last_error() const {
  return sqlite3_errmsg(db_);
}

}  // namespace reckon::engine
