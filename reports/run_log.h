#pragma once
// The runs of a sweep report kept out of memory: one compact JSON line per run in an
// anonymous temporary file (deleted when the log is, or when the process ends however it
// ends), so that a sweep's memory does not grow with its seeds (docs/performance.md,
// "Memory"). Runs are read back in the order they were appended.

#include <cstdint>
#include <cstdio>
#include <functional>
#include <ostream>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace reckon::reports {

// The temporary file could not be made, written or read back (a full or read-only disk).
class RunLogError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class RunLog {
 public:
  // Throws RunLogError when no temporary file can be made.
  RunLog();
  ~RunLog();
  RunLog(const RunLog&) = delete;
  RunLog& operator=(const RunLog&) = delete;

  // Throws RunLogError when the run cannot be written (the disk is full).
  void append(const nlohmann::json& run);
  uint64_t size() const { return count_; }
  // Calls `visit` with each run, in the order appended.
  void for_each(const std::function<void(const nlohmann::json&)>& visit) const;

 private:
  std::FILE* file_;
  uint64_t count_ = 0;
};

using RunVisitor = std::function<void(const nlohmann::json&)>;

// The runs of `report`: its "runs" array, or, when it has none (a report made by
// SweepReportBuilder, whose runs stay in their log), those of `log`. Neither: throws
// nlohmann::json::out_of_range, as report.at("runs") does.
void for_each_run(const nlohmann::json& report, const RunLog* log, const RunVisitor& visit);
uint64_t run_count(const nlohmann::json& report, const RunLog* log);

// Writes `report` as `report.dump(2)` would with its runs in place, reading them from `log`
// when the report has no "runs" array: the same bytes whichever way the report was made.
void write_report_json(std::ostream& out, const nlohmann::json& report, const RunLog* log);

}  // namespace reckon::reports
