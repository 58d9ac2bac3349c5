#include "cli/report_outputs.h"

#include <cstdio>
#include <fstream>
#include <map>
#include <vector>

#include "reports/junit.h"
#include "sim/world.h"

namespace reckon::cli {
// The traces of the failing seeds the HTML report draws, re-run in this process.
std::map<uint64_t, reports::SeedTrace> failing_traces(const nlohmann::json& report,
                                                      const sim::RunConfig& config, size_t max,
                                                      const reports::RunLog* runs) {
  std::vector<uint64_t> failing;
  reports::for_each_run(report, runs, [&](const nlohmann::json& r) {
    if (failing.size() < max && !r.at("passed").get<bool>()) {
      failing.push_back(r.at("seed").get<uint64_t>());
    }
  });
  std::map<uint64_t, reports::SeedTrace> traces;
  for (const uint64_t seed : failing) {
    sim::RunConfig run = config;
    run.seed = seed;
    run.keep_trace = true;
    sim::RunResult again = sim::run_simulation(run);
    traces[run.seed] = reports::SeedTrace{std::move(again.trace), again.trace_hash};
  }
  return traces;
}

bool write_file_atomically(const std::string& path,
                           const std::function<void(std::ostream&)>& write) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc | std::ios::binary);
    try {
      write(out);
    } catch (...) {
      out.close();
      std::remove(tmp.c_str());  // no half of a file is left behind, not even FILE.tmp
      throw;
    }
    out.flush();
    if (!out) {
      std::remove(tmp.c_str());
      return false;
    }
  }
  return std::rename(tmp.c_str(), path.c_str()) == 0;
}

bool write_file_atomically(const std::string& path, const std::string& content) {
  return write_file_atomically(path, [&](std::ostream& out) { out << content; });
}

bool check_writable(const OutputPaths& paths, std::string& error) {
  const std::pair<const char*, const std::string*> outputs[] = {
      {"--report", &paths.json}, {"--junit", &paths.junit}, {"--html", &paths.html}};
  for (const auto& [flag, path] : outputs) {
    if (path->empty()) continue;
    const std::string tmp = *path + ".tmp";
    const bool ok = static_cast<bool>(std::ofstream(tmp, std::ios::trunc));
    std::remove(tmp.c_str());
    if (!ok) {
      error = std::string(flag) + " '" + *path + "': cannot write there";
      return false;
    }
  }
  return true;
}

bool write_outputs(const nlohmann::json& report, const sim::RunConfig& run,
                   const OutputPaths& paths, std::string& error, const reports::RunLog* runs) {
  // The JSON report is streamed from the run log: it is the one output as large as the runs.
  if (!paths.json.empty() && !write_file_atomically(paths.json, [&](std::ostream& out) {
        reports::write_report_json(out, report, runs);
        out << "\n";
      })) {
    error = "cannot write report to '" + paths.json + "'";
    return false;
  }
  if (!paths.junit.empty() &&
      !write_file_atomically(paths.junit, reports::render_junit(report, runs))) {
    error = "cannot write --junit file '" + paths.junit + "'";
    return false;
  }
  if (!paths.html.empty()) {
    const std::string html =
        reports::render_html(report, failing_traces(report, run, kMaxHtmlTimelines, runs), runs);
    if (!write_file_atomically(paths.html, html)) {
      error = "cannot write --html file '" + paths.html + "'";
      return false;
    }
  }
  return true;
}

}  // namespace reckon::cli
