#pragma once
// The HTML report: one self-contained file (inline CSS and JS, no network, no external
// references), for a person opening it from a CI artifact. The sweep summary, then for each
// failing seed: the failing property and its replay command, a timeline with one lane per
// client, the engine, the PSP and the injected faults, a sequence view of the failing
// payment, and the run's trace with a filter.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/run_log.h"

namespace reckon::reports {

// A failing seed re-run with keep_trace (runs are deterministic: it is the same run).
struct SeedTrace {
  std::vector<std::string> lines;
  std::string trace_hash;  // of the re-run; the report flags it if it differs
};

// `traces`: by seed, for the failing seeds to draw; a failing seed without one is listed
// with its replay command but no timeline.
// `runs`: the runs of a report that has no "runs" array (reports/run_log.h).
std::string render_html(const nlohmann::json& report, const std::map<uint64_t, SeedTrace>& traces,
                        const RunLog* runs = nullptr);

// A suite report (reckon sweep --suite): a table of its scenarios (seeds, passed / failed, the
// expectation of a negative scenario), then each scenario's summary and failing seeds with
// the same views as render_html. `traces[i]`: the traces of scenario i's failing seeds; a
// negative scenario (one that must fail) shows only the seeds it has a trace for.
std::string render_suite_html(const nlohmann::json& suite,
                              const std::vector<std::map<uint64_t, SeedTrace>>& traces);

}  // namespace reckon::reports
