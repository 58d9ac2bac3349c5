#include "sim/audit_reader_check.h"

#include <algorithm>
#include <functional>

#include "engine/audit.h"
#include "sim/properties.h"
#include "sim/store_reader.h"

namespace reckon::sim {
namespace {

// One audit row, as the checkers' SQL reads it (docs/api.md, "Audit log": the time, the
// merchant, the actor, the action, the charge, the operation and the Idempotency-Key).
struct Row {
  int64_t at_us = 0;
  std::string merchant, actor, action, charge_id, operation_id, idempotency_key;
  bool operator==(const Row&) const = default;
};

std::string describe(const Row& r) {
  return r.action + " " + r.operation_id + " of " + r.charge_id + " (merchant " + r.merchant +
         ", actor " + r.actor + ", key '" + r.idempotency_key + "', at " + std::to_string(r.at_us) +
         ")";
}

std::vector<Row> exported(const std::vector<engine::AuditRecord>& records) {
  std::vector<Row> rows;
  rows.reserve(records.size());
  for (const auto& r : records) {
    rows.push_back(
        {r.at_us, r.merchant, r.actor, r.action, r.charge_id, r.operation_id, r.idempotency_key});
  }
  return rows;
}

// "" when `got` is `want`, row for row; else what differs first.
std::string first_difference(const std::vector<Row>& want, const std::vector<Row>& got) {
  for (size_t i = 0; i < want.size() && i < got.size(); ++i) {
    if (!(want[i] == got[i])) {
      return "row " + std::to_string(i + 1) + " as " + describe(got[i]) + ", where the log has " +
             describe(want[i]);
    }
  }
  if (got.size() != want.size()) {
    return std::to_string(got.size()) + " rows where the log holds " + std::to_string(want.size()) +
           (got.size() > want.size() ? "; the first extra is " + describe(got[want.size()])
                                     : "; the first missing is " + describe(want[got.size()]));
  }
  return "";
}

// The audit log as the checkers read it, in id order.
std::vector<Row> audit_log_rows(sqlite3* store) {
  std::vector<Row> log;
  StoreReader reader;
  reader.attach(store);
  auto& st = reader.prepare(
      "SELECT at_us, merchant, actor, action, charge_id, operation_id, idempotency_key "
      "FROM audit_log ORDER BY id");
  while (st.step() == SQLITE_ROW) {
    log.push_back({st.column_int(0), st.column_text(1), st.column_text(2), st.column_text(3),
                   st.column_text(4), st.column_text(5), st.column_text(6)});
  }
  st.reset();
  return log;
}

using ReadExport =
    std::function<std::vector<Row>(const std::string&, const std::string&, std::string&)>;

// `reckon audit` on what is not the engine's database: a missing file (which it must not
// create), a database without an audit_log table and a text file are errors that say why,
// never an empty log.
void judge_foreign_files(const std::string& db_path, const ReadExport& read_from,
                         const std::function<void(const std::string&)>& fail) {
  std::string error;
  const std::string absent = db_path + ".absent";
  if (const std::vector<Row> listed = read_from(absent, "", error); says_nothing_wrong(error)) {
    return fail("`reckon audit` reads '" + absent + "', which holds no database, as a log of " +
                std::to_string(listed.size()) + " rows instead of an error that says why" +
                (error.empty() ? "" : " (its error: '" + error + "')"));
  }
  sqlite3* probe = nullptr;
  const int rc = sqlite3_open_v2(absent.c_str(), &probe, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_close_v2(probe);
  if (rc == SQLITE_OK) {
    return fail("`reckon audit` left a file at '" + absent + "', where it was asked to read one");
  }
  // A database, but not the engine's (no audit_log table), and a file that is no database at
  // all: errors that name the problem, never an empty log.
  const std::string foreign = db_path + ".foreign";
  const std::string text = db_path + ".txt";
  if (!write_foreign_database(foreign)) return fail("could not write '" + foreign + "'");
  if (!write_text_file_not_database(text)) return fail("could not write '" + text + "'");
  for (const auto& [path, what] : {std::pair{foreign, "a database with no audit_log table"},
                                   std::pair{text, "a text file, not a database"}}) {
    if (const std::vector<Row> listed = read_from(path, "", error); says_nothing_wrong(error)) {
      return fail("`reckon audit` reads '" + path + "', " + what + ", as a log of " +
                  std::to_string(listed.size()) + " rows instead of an error that says why" +
                  (error.empty() ? "" : " (its error: '" + error + "')"));
    }
  }
}

}  // namespace

void check_audit_reader(sqlite3* store, const std::string& db_path,
                        const engine::PlantedDefects& planted, TimeUs now_us,
                        std::vector<Failure>& failures) {
  auto fail = [&](const std::string& detail) {
    failures.push_back(Failure{kAuditExportFaithful, "", detail, now_us});
  };
  const std::vector<Row> log = audit_log_rows(store);
  auto read_from = [&](const std::string& path, const std::string& merchant, std::string& error) {
    error.clear();
    return exported(engine::read_audit_file(path, merchant, error, planted));
  };
  auto read = [&](const std::string& merchant, std::string& error) {
    return read_from(db_path, merchant, error);
  };
  std::string error;
  const std::vector<Row> all = read("", error);
  if (!error.empty()) return fail("`reckon audit` cannot read the engine's database: " + error);
  if (const std::string diff = first_difference(log, all); !diff.empty()) {
    return fail("`reckon audit` lists " + diff);
  }
  std::vector<std::string> merchants;
  for (const Row& row : log) {
    if (std::find(merchants.begin(), merchants.end(), row.merchant) == merchants.end()) {
      merchants.push_back(row.merchant);
    }
  }
  for (const std::string& merchant : merchants) {
    std::vector<Row> own;
    for (const Row& row : log) {
      if (row.merchant == merchant) own.push_back(row);
    }
    const std::vector<Row> listed = read(merchant, error);
    if (!error.empty()) return fail("`reckon audit --merchant " + merchant + "` failed: " + error);
    if (const std::string diff = first_difference(own, listed); !diff.empty()) {
      return fail("`reckon audit --merchant " + merchant + "` lists " + diff);
    }
  }
  // No merchant in the simulated world is spelled like this (docs/api.md: merchant ids are
  // the API keys' merchants), so its export is empty.
  const std::string nobody = "merchant_with_no_operations";
  if (const std::vector<Row> listed = read(nobody, error); !error.empty() || !listed.empty()) {
    return fail(
        "`reckon audit --merchant " + nobody + "`, a merchant with no operations, " +
        (error.empty() ? "lists " + std::to_string(listed.size()) + " rows" : "fails: " + error));
  }
  judge_foreign_files(db_path, read_from, fail);
}

}  // namespace reckon::sim
