#include "reports/html.h"

#include <sstream>

#include "reports/html_views.h"
#include "reports/trace_events.h"
#include "reports/xml_escape.h"

namespace reckon::reports {
namespace {

// Everything the page needs is here: no fonts, scripts or images from anywhere else.
constexpr const char* kStyle = R"css(
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1d2327;background:#fff}
h1{font-size:22px}h2{font-size:18px;margin-top:36px;border-top:1px solid #ccd;padding-top:16px}
h3{font-size:15px;margin-bottom:6px}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccd;padding:3px 8px;text-align:left}
th{background:#f2f4f7}.verdict-pass{color:#0a6b2d;font-weight:bold}.verdict-fail{color:#b00020;font-weight:bold}
.property{background:#fdecee;border-left:4px solid #b00020;padding:8px 12px;margin:8px 0}
code.replay{display:inline-block;background:#1d2327;color:#e8f0e8;padding:4px 8px;border-radius:3px}
button.copy{margin-left:8px}
.scroll{overflow-x:auto;border:1px solid #dde;margin:6px 0}
svg text{font:11px monospace;fill:#333}svg .lane line{stroke:#99a;stroke-width:1}
svg .lane-label{font-weight:bold}svg .tick{stroke:#eee}svg .axis{fill:#777}
svg .m{stroke:#c9ced6;stroke-width:1}svg .m.hl{stroke:#1f6feb;stroke-width:2}
svg .lost{stroke:#b00020;stroke-dasharray:3 2}svg .lostx{fill:#b00020;font-weight:bold}
svg .ev.msg{fill:#8b949e}svg .ev.other{fill:#2da44e}svg .ev.fault{fill:#d1242f}
svg .ev.hl{stroke:#1f6feb;stroke-width:2}svg .down{fill:#d1242f;opacity:.18}
svg .failed-at{stroke:#b00020;stroke-width:2;stroke-dasharray:6 3}svg .failed-label{fill:#b00020}
svg .seq-lane line{stroke:#bbc;stroke-dasharray:4 3}svg .seq-lane text{font-weight:bold}
svg .arrow{stroke:#1f6feb;stroke-width:1.5}svg marker path{fill:#1f6feb}
pre.trace{max-height:420px;overflow:auto;background:#f6f8fa;padding:8px;font-size:12px}
.note{color:#666}
table.coverage td{text-align:right}tr.uncovered th{color:#b00020}
)css";

constexpr const char* kScript = R"js(
document.querySelectorAll('button.copy').forEach(function(b){
  b.addEventListener('click',function(){
    var text=b.previousElementSibling.textContent;
    if(navigator.clipboard){navigator.clipboard.writeText(text);}
    b.textContent='copied';
  });
});
document.querySelectorAll('input.filter').forEach(function(input){
  var pre=document.getElementById(input.dataset.target);
  var lines=pre.textContent.split('\n');
  input.addEventListener('input',function(){
    var q=input.value;
    pre.textContent=lines.filter(function(l){return l.indexOf(q)>=0;}).join('\n');
  });
});
)js";

// Beyond these, a timeline is unreadable and the file heavy (a run with many payments):
// the timeline keeps the failing payment and the faults, the trace its last lines.
constexpr size_t kMaxTimelineEvents = 20000;
constexpr size_t kMaxTraceLines = 20000;

std::string esc(const std::string& s) {
  return xml_escape(s);
}

std::string replay_html(const std::string& command) {
  return "<code class=\"replay\">" + esc(command) + "</code><button class=\"copy\">copy</button>";
}

// The transition x fault matrix of a "coverage" object: a row per transition (those that never
// occurred marked), a column per fault kind, occurrences in the cells.
void coverage_table(std::ostream& out, const nlohmann::json& coverage) {
  if (!coverage.contains("transitions")) return;
  const auto& kinds = coverage.at("fault_kinds");
  out << "<h3>Transition coverage</h3>\n<p class=\"note\">Occurrences of each charge status "
         "transition; a fault kind's column counts those that happened while a fault of that "
         "kind had been injected during the charge's life.</p>\n<div class=\"scroll\">"
         "<table class=\"coverage\"><tr><th>transition</th><th>total</th><th>runs</th>"
         "<th>fault-free</th>";
  for (const auto& k : kinds) out << "<th>" << esc(k.get<std::string>()) << "</th>";
  out << "</tr>\n";
  for (const auto& t : coverage.at("transitions")) {
    const int64_t count = t.at("count").get<int64_t>();
    const bool legal = t.at("legal").get<bool>();
    out << "<tr" << (count == 0 ? " class=\"uncovered\"" : "") << "><th>"
        << esc(t.at("from").get<std::string>()) << " &rarr; " << esc(t.at("to").get<std::string>())
        << (legal ? "" : " (illegal)") << (count == 0 ? " (never)" : "") << "</th><td>" << count
        << "</td><td>" << t.at("runs").get<int64_t>() << "</td><td>"
        << t.at("fault_free").get<int64_t>() << "</td>";
    for (const auto& k : kinds) {
      const int64_t n = t.at("under").value(k.get<std::string>(), int64_t{0});
      out << "<td>" << (n == 0 ? "" : std::to_string(n)) << "</td>";
    }
    out << "</tr>\n";
  }
  out << "</table></div>\n";
  if (coverage.contains("required")) {
    const auto& r = coverage["required"];
    out << "<p>Required coverage: <span class=\""
        << (r.at("met").get<bool>() ? "verdict-pass\">met" : "verdict-fail\">GAP") << "</span> ("
        << r.at("missing").size() << " of " << r.at("items") << " items missing)</p>\n";
    if (!r.at("missing").empty()) {
      out << "<ul class=\"gaps\">\n";
      for (const auto& m : r.at("missing")) {
        out << "<li>" << esc(m.at("from").get<std::string>()) << " &rarr; "
            << esc(m.at("to").get<std::string>())
            << (m.contains("under") ? " under " + esc(m.at("under").get<std::string>()) : "")
            << " never occurred</li>\n";
      }
      out << "</ul>\n";
    }
  }
}

// One scenario's summary table and its table of failures, linking to "<prefix>seed-N".
void summary(std::ostream& out, const nlohmann::json& report, const std::string& prefix) {
  const auto& seeds = report.at("seeds");
  out << "<table class=\"summary\">\n";
  auto row = [&](const std::string& k, const std::string& v) {
    out << "<tr><th>" << esc(k) << "</th><td>" << esc(v) << "</td></tr>\n";
  };
  row("seeds", std::to_string(seeds.at("first").get<uint64_t>()) + ".." +
                   std::to_string(seeds.at("last").get<uint64_t>()));
  row("seeds run", std::to_string(seeds.at("count").get<uint64_t>()));
  if (report.contains("coverage")) {
    row("seeds planned", std::to_string(report["coverage"].at("planned").get<uint64_t>()));
    row("seeds unrun (budget)", std::to_string(report["coverage"].at("unrun").get<uint64_t>()));
  }
  row("failed seeds", std::to_string(report.at("failed_seeds").get<int>()));
  row("nondeterministic seeds", std::to_string(report.at("nondeterministic_seeds").get<int>()));
  row("payments", std::to_string(report.at("payments").get<int>()));
  row("scenario", report.value("scenario", "default"));
  if (report.contains("config")) {
    const auto& c = report["config"];
    row("clients x payments", c.at("clients").dump() + " x " + c.at("payments").dump());
    std::string plants;
    for (const auto& p : c.at("plants"))
      plants += (plants.empty() ? "" : ", ") + p.get<std::string>();
    row("planted defects", plants.empty() ? "none" : plants);
  }
  if (report.contains("shard")) {
    row("shard", report["shard"].at("index").dump() + "/" + report["shard"].at("count").dump());
  }
  out << "</table>\n";
  const auto& failures = report.at("failures");
  if (failures.empty()) return;
  out << "<h3>Failures</h3>\n<table class=\"failures\"><tr><th>seed</th><th>property</th>"
         "<th>payment</th><th>detail</th><th>replay</th></tr>\n";
  for (const auto& f : failures) {
    out << "<tr><td><a href=\"#" << prefix << "seed-" << f.at("seed") << "\">" << f.at("seed")
        << "</a></td><td>" << esc(f.at("property").get<std::string>()) << "</td><td>"
        << esc(f.at("payment").get<std::string>()) << "</td><td>"
        << esc(f.at("detail").get<std::string>()) << "</td><td><code>"
        << esc(f.at("replay").get<std::string>()) << "</code></td></tr>\n";
  }
  out << "</table>\n";
}

// The timeline of a seed's events; past kMaxTimelineEvents only the failing payment's and
// the faults are drawn.
void timeline_section(std::ostream& out, const std::vector<TraceEvent>& events,
                      const std::vector<size_t>& mine, int64_t failed_at) {
  if (events.size() <= kMaxTimelineEvents) {
    out << "<div class=\"scroll\">" << timeline_svg(events, mine, failed_at) << "</div>\n";
  } else {
    // Too many events to read (or to keep the file light): the payment's, and the faults.
    std::vector<TraceEvent> drawn;
    std::vector<size_t> drawn_mine;
    size_t m = 0;
    for (size_t i = 0; i < events.size(); ++i) {
      const bool is_mine = m < mine.size() && mine[m] == i;
      if (is_mine) ++m;
      if (!is_mine && events[i].kind != "fault") continue;
      if (is_mine) drawn_mine.push_back(drawn.size());
      drawn.push_back(events[i]);
    }
    out << "<p class=\"note\">" << events.size()
        << " events: only the failing payment's and the faults are drawn.</p>\n<div "
           "class=\"scroll\">"
        << timeline_svg(drawn, drawn_mine, failed_at) << "</div>\n";
  }
}

// The trace itself (its last kMaxTraceLines lines), folded, with a filter box.
void trace_section(std::ostream& out, const SeedTrace& trace, const std::string& id) {
  out << "<details><summary>Trace (" << trace.lines.size() << " lines)</summary>\n"
      << "<input class=\"filter\" data-target=\"" << id
      << "\" placeholder=\"filter, e.g. msg12 or client-0\">\n<pre class=\"trace\" id=\"" << id
      << "\">";
  const size_t skip = trace.lines.size() > kMaxTraceLines ? trace.lines.size() - kMaxTraceLines : 0;
  if (skip > 0) out << "(the first " << skip << " lines are left out; replay with --trace FILE)\n";
  for (size_t i = skip; i < trace.lines.size(); ++i) out << esc(trace.lines[i]) << "\n";
  out << "</pre></details>\n";
}

// `prefix` keeps element ids unique when several scenarios share a page.
void seed_section(std::ostream& out, const nlohmann::json& run, const SeedTrace* trace,
                  const std::string& replay_args, const std::string& prefix) {
  const uint64_t seed = run.at("seed").get<uint64_t>();
  const std::string replay = "reckon run --seed " + std::to_string(seed) + replay_args;
  out << "<section class=\"seed\" id=\"" << prefix << "seed-" << seed << "\">\n<h2>Seed " << seed
      << "</h2>\n";
  int64_t failed_at = 0;
  std::string payment;
  for (const auto& f : run.at("failures")) {
    out << "<div class=\"property\"><b>" << esc(f.at("property").get<std::string>())
        << "</b> failed at t=" << f.at("at_us") << "us"
        << (f.at("payment").get<std::string>().empty()
                ? ""
                : " for payment <b>" + esc(f.at("payment").get<std::string>()) + "</b>")
        << "<br>" << esc(f.at("detail").get<std::string>()) << "</div>\n";
    if (payment.empty()) {
      payment = f.at("payment").get<std::string>();
      failed_at = f.at("at_us").get<int64_t>();
    }
  }
  if (run.contains("determinism") && !run["determinism"].at("deterministic").get<bool>()) {
    out << "<div class=\"property\"><b>determinism</b> broken: trace hashes "
        << esc(run.at("trace_hash").get<std::string>()) << " / "
        << esc(run["determinism"].at("second_trace_hash").get<std::string>()) << "</div>\n";
  }
  out << "<p>Replay: " << replay_html(replay) << "</p>\n";
  if (trace == nullptr) {
    out << "<p class=\"note\">No timeline for this seed (the report draws at most the first "
           "failing seeds); the replay command with <code>--trace FILE</code> gives its "
           "events.</p>\n</section>\n";
    return;
  }
  if (trace->trace_hash != run.at("trace_hash").get<std::string>()) {
    out << "<p class=\"verdict-fail\">The re-run for this timeline gave trace hash "
        << esc(trace->trace_hash) << ", not " << esc(run.at("trace_hash").get<std::string>())
        << ": this seed is not deterministic on this build.</p>\n";
  }
  const std::vector<TraceEvent> events = parse_trace(trace->lines);
  if (failed_at == 0 && !events.empty()) failed_at = events.back().t_us;
  const std::vector<size_t> mine =
      payment.empty() ? std::vector<size_t>{} : payment_events(events, payment);
  out << "<h3>Timeline</h3>\n<p class=\"note\">One lane per node; lines are messages from "
         "sender to receiver (blue: the failing payment's), red crosses lost messages, red "
         "bands engine down time. Hover for the trace line.</p>\n";
  timeline_section(out, events, mine, failed_at);
  if (!payment.empty()) {
    out << "<h3>Payment " << esc(payment) << "</h3>\n<div class=\"scroll\">"
        << sequence_svg(events, mine, prefix + "arrow-" + std::to_string(seed)) << "</div>\n";
  }
  trace_section(out, *trace, prefix + "trace-" + std::to_string(seed));
  out << "</section>\n";
}

void page_start(std::ostream& out, const std::string& title, bool passed) {
  out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
      << "<title>" << esc(title) << "</title>\n<style>" << kStyle << "</style></head>\n<body>\n"
      << "<h1>" << esc(title) << "</h1>\n<p>Verdict: <span class=\""
      << (passed ? "verdict-pass\">all properties held" : "verdict-fail\">a property failed")
      << "</span></p>\n";
}

void page_end(std::ostream& out) {
  out << "<script>" << kScript << "</script>\n</body></html>\n";
}

// A section per failing seed of one scenario's report; `drawn_only`: only those with a trace.
void seed_sections(std::ostream& out, const nlohmann::json& report, const RunLog* runs,
                   const std::map<uint64_t, SeedTrace>& traces, const std::string& prefix,
                   bool drawn_only) {
  const std::string replay_args =
      report.contains("config") ? report["config"].value("replay_args", "") : "";
  for_each_run(report, runs, [&](const nlohmann::json& run) {
    if (run.at("passed").get<bool>()) return;
    auto it = traces.find(run.at("seed").get<uint64_t>());
    if (drawn_only && it == traces.end()) return;
    seed_section(out, run, it == traces.end() ? nullptr : &it->second, replay_args, prefix);
  });
}

}  // namespace

std::string render_html(const nlohmann::json& report, const std::map<uint64_t, SeedTrace>& traces,
                        const RunLog* runs) {
  std::ostringstream out;
  page_start(out, "Reckon sweep report", report.at("passed").get<bool>());
  summary(out, report, "");
  if (report.contains("coverage")) coverage_table(out, report["coverage"]);
  seed_sections(out, report, runs, traces, "", false);
  page_end(out);
  return out.str();
}

std::string render_suite_html(const nlohmann::json& suite,
                              const std::vector<std::map<uint64_t, SeedTrace>>& traces) {
  std::ostringstream out;
  const auto& scenarios = suite.at("scenarios");
  page_start(out, "Reckon suite report: " + suite.at("suite").get<std::string>(),
             suite.at("passed").get<bool>());
  out << "<table class=\"suite\">\n<tr><th>scenario</th><th>seeds</th><th>run</th>"
         "<th>passed</th><th>failed</th><th>expectation</th><th>verdict</th></tr>\n";
  for (size_t i = 0; i < scenarios.size(); ++i) {
    const auto& r = scenarios[i];
    const auto& seeds = r.at("seeds");
    const uint64_t run = seeds.at("count").get<uint64_t>();
    const int failed = r.at("failed_seeds").get<int>();
    std::string expectation = "every property holds";
    bool ok = failed == 0 && r.at("nondeterministic_seeds").get<int>() == 0;
    if (r.contains("expect")) {
      const bool met = r["expect"].at("met").get<bool>();
      expectation = "must fail with " + r["expect"].at("property").get<std::string>() +
                    (met ? ": it did" : ": it never did");
      ok = met;
    }
    out << "<tr><td><a href=\"#scenario-" << i << "\">" << esc(r.value("scenario", "default"))
        << "</a></td><td>" << seeds.at("first").get<uint64_t>() << ".."
        << seeds.at("last").get<uint64_t>() << "</td><td>" << run << "</td><td>"
        << run - static_cast<uint64_t>(failed) << "</td><td>" << failed << "</td><td>"
        << esc(expectation) << "</td><td class=\""
        << (ok ? "verdict-pass\">pass" : "verdict-fail\">FAIL") << "</td></tr>\n";
  }
  out << "</table>\n";
  if (suite.contains("coverage")) coverage_table(out, suite["coverage"]);
  static const std::map<uint64_t, SeedTrace> kNone;
  for (size_t i = 0; i < scenarios.size(); ++i) {
    const auto& r = scenarios[i];
    const std::string prefix = "scenario-" + std::to_string(i) + "-";
    out << "<section class=\"scenario\" id=\"scenario-" << i << "\">\n<h2>Scenario "
        << esc(r.value("scenario", "default")) << "</h2>\n";
    summary(out, r, prefix);
    if (r.contains("coverage")) coverage_table(out, r["coverage"]);
    // A negative scenario fails by design: only the seeds drawn are shown in full.
    seed_sections(out, r, nullptr, i < traces.size() ? traces[i] : kNone, prefix,
                  r.contains("expect"));
    out << "</section>\n";
  }
  page_end(out);
  return out.str();
}

}  // namespace reckon::reports
