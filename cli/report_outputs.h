#pragma once
// Writes a sweep report's files: the JSON report, JUnit XML and the HTML report, each to
// FILE.tmp and renamed, so a reader never sees half of one. `reckon sweep` and `reckon
// merge` share this, so a merged report's files are made exactly as a sweep's are.

#include <functional>
#include <map>
#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "reports/html.h"
#include "reports/run_log.h"
#include "sim/run_types.h"

namespace reckon::cli {

struct OutputPaths {
  std::string json;   // '' for none
  std::string junit;  // '' for none
  std::string html;   // '' for none
};

// The HTML report shows timelines for at most this many failing seeds (the first ones).
inline constexpr size_t kMaxHtmlTimelines = 20;

bool write_file_atomically(const std::string& path, const std::string& content);
// The same, for content written straight to the file (nothing is kept in memory).
bool write_file_atomically(const std::string& path,
                           const std::function<void(std::ostream&)>& write);

// Before a long sweep: can each requested file be written (its FILE.tmp created)? False with
// `error` naming the flag and the file, so a typo costs nothing.
bool check_writable(const OutputPaths& paths, std::string& error);

// `run` is the config the seeds ran with: the HTML report re-runs each failing seed with
// keep_trace to draw its timeline (runs are deterministic, so it is the same run).
// Returns false with `error` naming the file that could not be written.
// Re-runs the first `max` failing seeds of `report` with keep_trace, for the HTML timelines.
// `runs`: the runs of a report that has no "runs" array (reports/run_log.h).
std::map<uint64_t, reports::SeedTrace> failing_traces(const nlohmann::json& report,
                                                      const sim::RunConfig& config, size_t max,
                                                      const reports::RunLog* runs = nullptr);

bool write_outputs(const nlohmann::json& report, const sim::RunConfig& run,
                   const OutputPaths& paths, std::string& error,
                   const reports::RunLog* runs = nullptr);

}  // namespace reckon::cli
