#pragma once
// The run history (`reckon sweep --history FILE`, `reckon history --db FILE`): a SQLite file
// that keeps every recorded sweep's per-seed results, so a team sees which failures are new,
// which are old, and which earlier failures now pass. It reads sweep reports (the JSON of
// docs/report-format.md, one scenario's or a suite's) and never influences a run.
//
// Schema (PRAGMA application_id kHistoryApplicationId, PRAGMA user_version
// kHistorySchemaVersion): sweeps(id, started_utc, label, suite, scenario, first_seed,
// last_seed, plants, seeds_run, failed_seeds, nondeterministic_seeds, unrun_seeds, passed)
// and results(sweep_id, scenario, seed, passed, property, payment, trace_hash, expected).

#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "reports/run_log.h"

namespace reckon::engine {
class Db;
}

namespace reckon::reports {

inline constexpr int kHistorySchemaVersion = 1;
inline constexpr int64_t kHistoryApplicationId = 0x52434B48;  // "RCKH"

class History {
 public:
  // `create`: make the file with the current schema when it does not exist (or is empty).
  // Returns nullptr with `error` naming the file and the problem: missing, not a history
  // database, or another schema version.
  static std::unique_ptr<History> open(const std::string& path, bool create, std::string& error);
  ~History();
  History(const History&) = delete;
  History& operator=(const History&) = delete;

  // Appends a sweep report (one scenario's, or a suite's with "scenarios") in one
  // transaction; returns the new sweep's id, or nullopt with `error`.
  // `runs`: the runs of a report that has no "runs" array (reports/run_log.h).
  std::optional<int64_t> record(const nlohmann::json& report, const std::string& started_utc,
                                const std::string& label, std::string& error,
                                const RunLog* runs = nullptr);

  // What sweep `sweep_id` says against the sweeps before it: the report's "history" object
  // (new_failures, known_failures with the sweep they fail since, fixed).
  nlohmann::json compare(int64_t sweep_id);
  // The last `last` sweeps, newest first.
  nlohmann::json sweeps(int last);
  std::optional<int64_t> latest_sweep();
  // One seed's results over time, oldest first; `scenario` empty: every scenario.
  nlohmann::json seed_record(uint64_t seed, const std::string& scenario);

 private:
  History(std::unique_ptr<engine::Db> db, std::string path);
  std::unique_ptr<engine::Db> db_;
  std::string path_;
};

// The console lines for a report's "history" object: counts, then each new failure (with its
// replay command), each known one with the sweep it fails since, and each fixed one.
void print_history_comparison(std::ostream& out, const nlohmann::json& history);

}  // namespace reckon::reports
