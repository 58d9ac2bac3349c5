#include "reports/history.h"

#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <vector>

#include "engine/store/db.h"

namespace reckon::reports {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE sweeps(
  id INTEGER PRIMARY KEY,
  started_utc TEXT NOT NULL,
  label TEXT NOT NULL,
  suite TEXT NOT NULL,
  scenario TEXT NOT NULL,
  first_seed INTEGER NOT NULL,
  last_seed INTEGER NOT NULL,
  plants TEXT NOT NULL,
  seeds_run INTEGER NOT NULL,
  failed_seeds INTEGER NOT NULL,
  nondeterministic_seeds INTEGER NOT NULL,
  unrun_seeds INTEGER NOT NULL,
  passed INTEGER NOT NULL);
CREATE TABLE results(
  sweep_id INTEGER NOT NULL REFERENCES sweeps(id),
  scenario TEXT NOT NULL,
  seed INTEGER NOT NULL,
  passed INTEGER NOT NULL,
  property TEXT NOT NULL,
  payment TEXT NOT NULL,
  trace_hash TEXT NOT NULL,
  expected INTEGER NOT NULL,
  PRIMARY KEY(sweep_id, scenario, seed));
CREATE INDEX results_by_seed ON results(scenario, seed, sweep_id);
)sql";

// Reads one integer PRAGMA through the C API, so that a file that is not a database is an
// error message rather than an abort in Db::prepare.
std::optional<int64_t> pragma_int(sqlite3* db, const char* sql, std::string& error) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK) {
    error = sqlite3_errmsg(db);
    sqlite3_finalize(stmt);
    return std::nullopt;
  }
  std::optional<int64_t> value;
  const int rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW) {
    value = sqlite3_column_int64(stmt, 0);
  } else {
    error = sqlite3_errmsg(db);
  }
  sqlite3_finalize(stmt);
  return value;
}

// Every table and column the history's queries read is there, and SQLite finds no damage.
bool shape_is_whole(sqlite3* db, std::string& why) {
  for (const char* probe :
       {"SELECT id, started_utc, label, suite, scenario, first_seed, last_seed, plants, "
        "seeds_run, failed_seeds, nondeterministic_seeds, unrun_seeds, passed FROM sweeps LIMIT 0",
        "SELECT sweep_id, scenario, seed, passed, property, payment, trace_hash, expected FROM "
        "results LIMIT 0"}) {
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v2(db, probe, -1, &stmt, nullptr);
    sqlite3_finalize(stmt);
    if (rc != SQLITE_OK) {
      why = sqlite3_errmsg(db);
      return false;
    }
  }
  sqlite3_stmt* check = nullptr;
  bool ok = sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &check, nullptr) == SQLITE_OK &&
            sqlite3_step(check) == SQLITE_ROW &&
            std::string_view(reinterpret_cast<const char*>(sqlite3_column_text(check, 0))) == "ok";
  if (!ok) {
    const unsigned char* text = check ? sqlite3_column_text(check, 0) : nullptr;
    why = text ? reinterpret_cast<const char*>(text) : sqlite3_errmsg(db);
  }
  sqlite3_finalize(check);
  return ok;
}

struct ResultRow {
  std::string scenario;
  uint64_t seed = 0;
  bool passed = true;
  std::string property;
  std::string payment;
  std::string trace_hash;
  bool expected = false;
};

void rows_of(const nlohmann::json& report, const RunLog* runs, std::vector<ResultRow>& rows) {
  const std::string scenario = report.value("scenario", "default");
  const bool expected = report.contains("expect");
  for_each_run(report, runs, [&](const nlohmann::json& run) {
    ResultRow row;
    row.scenario = scenario;
    row.seed = run.at("seed").get<uint64_t>();
    row.passed = run.at("passed").get<bool>();
    row.trace_hash = run.at("trace_hash").get<std::string>();
    row.expected = expected;
    const auto& failures = run.at("failures");
    if (!failures.empty()) {
      row.property = failures.front().at("property").get<std::string>();
      row.payment = failures.front().at("payment").get<std::string>();
    } else if (!row.passed) {
      row.property = "determinism";
    }
    rows.push_back(std::move(row));
  });
}

std::vector<std::string> split_plants(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    const size_t comma = std::min(text.find(',', start), text.size());
    out.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

struct Earlier {
  int64_t sweep_id = 0;
  bool passed = true;
  std::string property;
};

}  // namespace

History::History(std::unique_ptr<engine::Db> db, std::string path)
    : db_(std::move(db)), path_(std::move(path)) {}

History::~History() = default;

std::unique_ptr<History> History::open(const std::string& path, bool create, std::string& error) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const bool exists = fs::exists(path, ec);
  if (!exists && !create) {
    error = "'" + path + "': no such file";
    return nullptr;
  }
  if (exists && fs::is_directory(path, ec)) {
    error = "'" + path + "' is a directory, not a history database";
    return nullptr;
  }
  engine::Status status;
  // The "unix" VFS by name: a simulated run in this process may have made its own VFS the
  // default.
  auto db = engine::Db::open(path, "unix", status);
  if (!db) {
    error = "'" + path + "': " + status.message;
    return nullptr;
  }
  sqlite3_busy_timeout(db->handle(), 10000);
  std::string why;
  const auto app_id = pragma_int(db->handle(), "PRAGMA application_id", why);
  const auto version = app_id ? pragma_int(db->handle(), "PRAGMA user_version", why) : std::nullopt;
  const auto tables =
      version ? pragma_int(db->handle(), "SELECT count(*) FROM sqlite_master", why) : std::nullopt;
  if (!tables) {
    error = "'" + path + "' is not a reckon history database (" + why + ")";
    return nullptr;
  }
  if (*app_id == 0 && *tables == 0) {
    if (!create) {
      error = "'" + path + "' is empty, not a reckon history database";
      return nullptr;
    }
    const engine::Status made = engine::in_transaction(*db, [&] {
      engine::Status s = db->exec(kSchema);
      if (s.ok) s = db->exec("PRAGMA application_id = " + std::to_string(kHistoryApplicationId));
      if (s.ok) s = db->exec("PRAGMA user_version = " + std::to_string(kHistorySchemaVersion));
      return s;
    });
    if (!made.ok) {
      error = "'" + path + "': cannot create the history schema: " + made.message;
      return nullptr;
    }
  } else if (*app_id != kHistoryApplicationId) {
    error = "'" + path + "' is not a reckon history database (a SQLite file of something else)";
    return nullptr;
  } else if (*version != kHistorySchemaVersion) {
    error = "'" + path + "': history schema version " + std::to_string(*version) +
            ", this reckon reads version " + std::to_string(kHistorySchemaVersion);
    return nullptr;
  } else if (!shape_is_whole(db->handle(), why)) {
    // The queries below prepare only on the whole schema (a failed prepare is an engine
    // invariant, an abort): a damaged file is refused here instead (found by fuzzing).
    error = "'" + path + "' is a damaged reckon history database (" + why + ")";
    return nullptr;
  }
  return std::unique_ptr<History>(new History(std::move(db), path));
}

namespace {

// What a sweep report (one scenario's, or a suite's) says of the sweep as a whole, and its
// runs' rows.
struct SweepSummary {
  std::vector<ResultRow> rows;
  std::string suite;
  std::string scenario;
  uint64_t first = 0;
  uint64_t last = 0;
  int64_t failed = 0;
  int64_t nondeterministic = 0;
  int64_t unrun = 0;
  std::string plants;
};

// False, with `error`, when `report` is not a sweep report.
bool summarize(const nlohmann::json& report, const RunLog* runs, SweepSummary& sum,
               std::string& error) {
  try {
    std::vector<const nlohmann::json*> parts;
    if (report.contains("scenarios")) {
      sum.suite = report.at("suite").get<std::string>();
      for (const auto& s : report.at("scenarios")) parts.push_back(&s);
    } else {
      sum.scenario = report.value("scenario", "default");
      parts.push_back(&report);
    }
    bool any = false;
    for (const auto* part : parts) {
      rows_of(*part, runs, sum.rows);
      const auto& seeds = part->at("seeds");
      const uint64_t a = seeds.at("first").get<uint64_t>();
      const uint64_t b = seeds.at("last").get<uint64_t>();
      sum.first = any ? std::min(sum.first, a) : a;
      sum.last = any ? std::max(sum.last, b) : b;
      any = true;
      sum.failed += part->at("failed_seeds").get<int64_t>();
      sum.nondeterministic += part->at("nondeterministic_seeds").get<int64_t>();
      if (part->contains("coverage")) sum.unrun += (*part)["coverage"].at("unrun").get<int64_t>();
      if (sum.plants.empty() && part->contains("config")) {
        for (const auto& p : (*part)["config"].at("plants")) {
          sum.plants += (sum.plants.empty() ? "" : ",") + p.get<std::string>();
        }
      }
    }
  } catch (const nlohmann::json::exception& e) {
    error = std::string("not a reckon sweep report: ") + e.what();
    return false;
  }
  return true;
}

}  // namespace

std::optional<int64_t> History::record(const nlohmann::json& report, const std::string& started_utc,
                                       const std::string& label, std::string& error,
                                       const RunLog* runs) {
  SweepSummary sum;
  if (!summarize(report, runs, sum, error)) return std::nullopt;
  const std::vector<ResultRow>& rows = sum.rows;
  int64_t id = 0;
  const engine::Status s = engine::in_transaction(*db_, [&] {
    auto& insert = db_->prepare(
        "INSERT INTO sweeps(started_utc, label, suite, scenario, first_seed, last_seed, plants, "
        "seeds_run, failed_seeds, nondeterministic_seeds, unrun_seeds, passed) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, started_utc)
        .bind(2, label)
        .bind(3, sum.suite)
        .bind(4, sum.scenario)
        .bind(5, static_cast<int64_t>(sum.first))
        .bind(6, static_cast<int64_t>(sum.last))
        .bind(7, sum.plants)
        .bind(8, static_cast<int64_t>(rows.size()))
        .bind(9, sum.failed)
        .bind(10, sum.nondeterministic)
        .bind(11, sum.unrun)
        .bind(12, int64_t{report.value("passed", false) ? 1 : 0});
    engine::Status st = insert.run();
    if (!st.ok) return st;
    id = sqlite3_last_insert_rowid(db_->handle());
    for (const auto& r : rows) {
      auto& add = db_->prepare(
          "INSERT INTO results(sweep_id, scenario, seed, passed, property, payment, trace_hash, "
          "expected) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
      add.bind(1, id)
          .bind(2, r.scenario)
          .bind(3, static_cast<int64_t>(r.seed))
          .bind(4, int64_t{r.passed ? 1 : 0})
          .bind(5, r.property)
          .bind(6, r.payment)
          .bind(7, r.trace_hash)
          .bind(8, int64_t{r.expected ? 1 : 0});
      st = add.run();
      if (!st.ok) return st;
    }
    return st;
  });
  if (!s.ok) {
    error = "'" + path_ + "': cannot record the sweep: " + s.message;
    return std::nullopt;
  }
  return id;
}

nlohmann::json History::compare(int64_t sweep_id) {
  nlohmann::json out = {{"sweep_id", sweep_id},
                        {"new_failures", nlohmann::json::array()},
                        {"known_failures", nlohmann::json::array()},
                        {"fixed", nlohmann::json::array()}};
  auto& count = db_->prepare("SELECT count(*) FROM sweeps WHERE id < ?");
  count.bind(1, sweep_id);
  out["earlier_sweeps"] = count.step() == SQLITE_ROW ? count.column_int(0) : 0;
  auto& label = db_->prepare("SELECT label FROM sweeps WHERE id = ?");
  label.bind(1, sweep_id);
  out["label"] = label.step() == SQLITE_ROW ? label.column_text(0) : "";

  std::vector<ResultRow> rows;
  auto& mine = db_->prepare(
      "SELECT scenario, seed, passed, property, payment FROM results "
      "WHERE sweep_id = ? AND expected = 0 ORDER BY scenario, seed");
  mine.bind(1, sweep_id);
  while (mine.step() == SQLITE_ROW) {
    ResultRow r;
    r.scenario = mine.column_text(0);
    r.seed = static_cast<uint64_t>(mine.column_int(1));
    r.passed = mine.column_int(2) != 0;
    r.property = mine.column_text(3);
    r.payment = mine.column_text(4);
    rows.push_back(std::move(r));
  }
  for (const auto& r : rows) {
    // Every earlier result of this scenario and seed, newest first.
    std::vector<Earlier> earlier;
    auto& q = db_->prepare(
        "SELECT sweep_id, passed, property FROM results "
        "WHERE scenario = ? AND seed = ? AND sweep_id < ? ORDER BY sweep_id DESC");
    q.bind(1, r.scenario).bind(2, static_cast<int64_t>(r.seed)).bind(3, sweep_id);
    while (q.step() == SQLITE_ROW) {
      earlier.push_back({q.column_int(0), q.column_int(1) != 0, q.column_text(2)});
    }
    nlohmann::json item = {{"scenario", r.scenario}, {"seed", r.seed}};
    if (r.passed) {
      if (!earlier.empty() && !earlier.front().passed) {
        item["property"] = earlier.front().property;
        item["failed_in_sweep"] = earlier.front().sweep_id;
        out["fixed"].push_back(std::move(item));
      }
      continue;
    }
    item["property"] = r.property;
    item["payment"] = r.payment;
    const bool failed_before = std::any_of(earlier.begin(), earlier.end(), [&](const Earlier& e) {
      return !e.passed && e.property == r.property;
    });
    if (!failed_before || (!earlier.empty() && earlier.front().passed)) {
      out["new_failures"].push_back(std::move(item));
      continue;
    }
    // Known: it fails since the first sweep of the unbroken run of failures ending here.
    int64_t since = sweep_id;
    for (const auto& e : earlier) {
      if (e.passed) break;
      since = e.sweep_id;
    }
    item["since_sweep"] = since;
    out["known_failures"].push_back(std::move(item));
  }
  return out;
}

nlohmann::json History::sweeps(int last) {
  nlohmann::json out = nlohmann::json::array();
  auto& q = db_->prepare(
      "SELECT id, started_utc, label, suite, scenario, first_seed, last_seed, plants, seeds_run, "
      "failed_seeds, nondeterministic_seeds, unrun_seeds, passed FROM sweeps "
      "ORDER BY id DESC LIMIT ?");
  q.bind(1, int64_t{last});
  while (q.step() == SQLITE_ROW) {
    const int64_t run = q.column_int(8);
    const int64_t failed = q.column_int(9);
    out.push_back({{"id", q.column_int(0)},
                   {"started_utc", q.column_text(1)},
                   {"label", q.column_text(2)},
                   {"suite", q.column_text(3)},
                   {"scenario", q.column_text(4)},
                   {"seeds",
                    {{"first", static_cast<uint64_t>(q.column_int(5))},
                     {"last", static_cast<uint64_t>(q.column_int(6))}}},
                   {"plants", split_plants(q.column_text(7))},
                   {"seeds_run", run},
                   {"passed_seeds", run - failed},
                   {"failed_seeds", failed},
                   {"nondeterministic_seeds", q.column_int(10)},
                   {"unrun_seeds", q.column_int(11)},
                   {"passed", q.column_int(12) != 0}});
  }
  return out;
}

std::optional<int64_t> History::latest_sweep() {
  auto& q = db_->prepare("SELECT max(id) FROM sweeps");
  if (q.step() != SQLITE_ROW || q.column_is_null(0)) return std::nullopt;
  return q.column_int(0);
}

nlohmann::json History::seed_record(uint64_t seed, const std::string& scenario) {
  nlohmann::json out = nlohmann::json::array();
  auto& q = db_->prepare(
      "SELECT r.sweep_id, s.started_utc, s.label, r.scenario, r.passed, r.property, r.payment, "
      "r.trace_hash, r.expected FROM results r JOIN sweeps s ON s.id = r.sweep_id "
      "WHERE r.seed = ? AND (? = '' OR r.scenario = ?) ORDER BY r.sweep_id, r.scenario");
  q.bind(1, static_cast<int64_t>(seed)).bind(2, scenario).bind(3, scenario);
  while (q.step() == SQLITE_ROW) {
    out.push_back({{"sweep_id", q.column_int(0)},
                   {"started_utc", q.column_text(1)},
                   {"label", q.column_text(2)},
                   {"scenario", q.column_text(3)},
                   {"passed", q.column_int(4) != 0},
                   {"property", q.column_text(5)},
                   {"payment", q.column_text(6)},
                   {"trace_hash", q.column_text(7)},
                   {"expected_failure", q.column_int(8) != 0}});
  }
  return out;
}

void print_history_comparison(std::ostream& out, const nlohmann::json& history) {
  const auto& fresh = history.at("new_failures");
  const auto& known = history.at("known_failures");
  const auto& fixed = history.at("fixed");
  out << "history: sweep " << history.at("sweep_id").get<int64_t>() << " against "
      << history.at("earlier_sweeps").get<int64_t>() << " earlier: " << fresh.size()
      << " new failures, " << known.size() << " known failures, " << fixed.size() << " fixed\n";
  auto where = [](const nlohmann::json& item) {
    return item.at("scenario").get<std::string>() +
           " seed=" + std::to_string(item.at("seed").get<uint64_t>()) + " " +
           item.at("property").get<std::string>();
  };
  for (const auto& item : fresh) out << "  NEW   " << where(item) << "\n";
  for (const auto& item : known) {
    out << "  KNOWN " << where(item) << " (failing since sweep "
        << item.at("since_sweep").get<int64_t>() << ")\n";
  }
  for (const auto& item : fixed) {
    out << "  FIXED " << where(item) << " (failed in sweep "
        << item.at("failed_in_sweep").get<int64_t>() << ", passes now)\n";
  }
}

}  // namespace reckon::reports
