// The HTML report as a person sees it: rendered by headless Chromium (Debian's chromium,
// installed by ci/install-deps.sh), with a probe script that reads the laid-out page: the
// failing property, the replay command and the timeline lanes are visible, lanes are in
// order, the trace starts collapsed, its filter works, and no script error occurred.
// Skipped when chromium is not installed.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "tests/support/run_reckon.h"

namespace reckon {
namespace {

using reckon::testing::read_file;
using reckon::testing::run_reckon;
using reckon::testing::temp_path;

// Installed first in <body>, so errors of the report's own script are caught too.
constexpr const char* kErrorCatcher =
    "<script>window.__errors=[];window.addEventListener('error',function(e){"
    "window.__errors.push(e.message);});</script>";

// Writes "name=value" lines into #probe-result, read back from Chromium's --dump-dom.
constexpr const char* kProbe = R"js(<pre id="probe-result"></pre><script>
(function(){
  var r=[];
  function box(el){return el?el.getBoundingClientRect():{width:0,height:0,top:0};}
  function shown(el){var b=box(el);return b.width>0&&b.height>0;}
  var text=document.body.innerText;
  r.push('property_text='+(text.indexOf('no-double-charge')>=0));
  var code=document.querySelector('section.seed code.replay');
  r.push('replay_shown='+shown(code));
  r.push('replay='+(code?code.innerText:''));
  var heading=document.querySelector('section.seed h2');
  r.push('heading='+(heading&&shown(heading)?heading.innerText:''));
  var svg=document.querySelector('svg.timeline');
  r.push('timeline_width='+Math.round(box(svg).width));
  var lanes=svg?Array.prototype.slice.call(svg.querySelectorAll('g.lane')):[];
  r.push('lanes='+lanes.map(function(g){return g.getAttribute('data-lane');}).join(','));
  var ordered=true;
  for(var i=1;i<lanes.length;i++){if(!(box(lanes[i]).top>box(lanes[i-1]).top))ordered=false;}
  r.push('lanes_ordered='+ordered);
  r.push('lanes_shown='+lanes.every(function(g){return shown(g.querySelector('text'));}));
  r.push('sequence_shown='+shown(document.querySelector('svg.sequence')));
  var pre=document.querySelector('pre.trace');
  // A closed <details> keeps its content laid out but hidden (content-visibility).
  r.push('trace_hidden='+(pre&&pre.checkVisibility?!pre.checkVisibility():!shown(pre)));
  var details=document.querySelector('section.seed details');
  if(details)details.open=true;
  var input=document.querySelector('input.filter');
  if(input){input.value='psp process';input.dispatchEvent(new Event('input'));}
  var lines=pre?pre.textContent.split('\n').filter(function(l){return l.length>0;}):[];
  r.push('trace_shown_when_open='+(pre&&pre.checkVisibility?pre.checkVisibility():shown(pre)));
  r.push('filter_lines='+lines.length);
  r.push('filter_ok='+lines.every(function(l){return l.indexOf('psp process')>=0;}));
  r.push('errors='+window.__errors.length);
  document.getElementById('probe-result').textContent='\n'+r.join('\n')+'\n';
})();
</script>)js";

std::map<std::string, std::string> probe_values(const std::string& dom) {
  std::map<std::string, std::string> values;
  const size_t start = dom.find("<pre id=\"probe-result\">");
  if (start == std::string::npos) return values;
  const size_t end = dom.find("</pre>", start);
  std::istringstream in(dom.substr(start, end - start));
  for (std::string line; std::getline(in, line);) {
    const size_t eq = line.find('=');
    if (eq != std::string::npos) values[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return values;
}

// Renders `page` with `probe` inserted in headless Chromium and returns the probe's values.
std::map<std::string, std::string> render_with_probe(std::string page, const char* probe,
                                                     const std::string& name) {
  const size_t body = page.find("<body>");
  const size_t end = page.rfind("</body>");
  if (body == std::string::npos || end == std::string::npos) return {};
  page.insert(end, probe);
  page.insert(body + 6, kErrorCatcher);
  const std::string probed = temp_path(name + "-probe.html");
  std::ofstream(probed) << page;
  const std::string dom = temp_path(name + "-dom.html");
  const std::string command =
      "profile=$(mktemp -d) && timeout 120 chromium --headless --no-sandbox --disable-gpu "
      "--disable-background-networking --disable-component-update --disable-sync "
      "--no-first-run --window-size=1280,1000 --user-data-dir=\"$profile\" --dump-dom file://" +
      probed + " > " + dom + " 2>/dev/null; status=$?; rm -rf \"$profile\"; exit $status";
  if (std::system(command.c_str()) != 0) return {};
  return probe_values(read_file(dom));
}

TEST(HtmlRender, ChromiumShowsPropertyReplayAndLanes) {
  if (std::system("command -v chromium >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "chromium not installed (ci/install-deps.sh installs it)";
  }
  const std::string html = temp_path("render.html");
  const auto r =
      run_reckon("sweep --seeds 1..4 --plant psp-key-per-attempt --report '' --html " + html);
  ASSERT_EQ(r.exit_code, 1) << r.output;
  const auto v = render_with_probe(read_file(html), kProbe, "render");
  ASSERT_FALSE(v.empty()) << "no probe result in the rendered page";
  EXPECT_EQ(v.at("errors"), "0");
  EXPECT_EQ(v.at("property_text"), "true");
  EXPECT_EQ(v.at("replay_shown"), "true");
  EXPECT_EQ(v.at("replay").rfind("reckon run --seed ", 0), 0u) << v.at("replay");
  EXPECT_NE(v.at("replay").find("--plant psp-key-per-attempt"), std::string::npos);
  EXPECT_EQ(v.at("heading").rfind("Seed ", 0), 0u) << v.at("heading");
  EXPECT_GT(std::stoi(v.at("timeline_width")), 600);
  // The network lane shows only when the failing seed's trace has a network event (a
  // partition) before the failure; every other node has one in every run.
  const std::string lanes = v.at("lanes");
  const std::string nodes =
      "client-0,client-1,client-2,client-3,probe-0,engine-0,psp,merchant-webhook,faults";
  EXPECT_TRUE(lanes == nodes || lanes == nodes + ",network") << lanes;
  EXPECT_EQ(v.at("lanes_ordered"), "true");
  EXPECT_EQ(v.at("lanes_shown"), "true");
  EXPECT_EQ(v.at("sequence_shown"), "true");
  EXPECT_EQ(v.at("trace_hidden"), "true");
  EXPECT_EQ(v.at("trace_shown_when_open"), "true");
  EXPECT_GT(std::stoi(v.at("filter_lines")), 0);
  EXPECT_EQ(v.at("filter_ok"), "true");
}

// The suite page: the scenario table, one section per scenario, and drawn timelines.
constexpr const char* kSuiteProbe = R"js(<pre id="probe-result"></pre><script>
(function(){
  var r=[];
  function box(el){return el?el.getBoundingClientRect():{width:0,height:0,top:0};}
  function shown(el){var b=box(el);return b.width>0&&b.height>0;}
  var rows=document.querySelectorAll('table.suite tr');
  r.push('table_rows='+(rows.length-1));
  var sections=Array.prototype.slice.call(document.querySelectorAll('section.scenario'));
  r.push('sections='+sections.length);
  r.push('sections_shown='+sections.every(function(s){return shown(s.querySelector('h2'));}));
  var links=Array.prototype.slice.call(document.querySelectorAll('table.suite a'));
  r.push('links_resolve='+links.every(function(a){
    return document.getElementById(a.getAttribute('href').substring(1))!==null;}));
  var svgs=Array.prototype.slice.call(document.querySelectorAll('section.scenario svg.timeline'));
  r.push('timelines='+svgs.length);
  r.push('timelines_wide='+svgs.every(function(s){return box(s).width>600;}));
  var ids={};var unique=true;
  document.querySelectorAll('[id]').forEach(function(e){if(ids[e.id])unique=false;ids[e.id]=1;});
  r.push('ids_unique='+unique);
  r.push('errors='+window.__errors.length);
  document.getElementById('probe-result').textContent='\n'+r.join('\n')+'\n';
})();
</script>)js";

TEST(HtmlRender, ChromiumShowsTheSuitePage) {
  if (std::system("command -v chromium >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "chromium not installed (ci/install-deps.sh installs it)";
  }
  const std::string html = temp_path("suite-render.html");
  const std::string report = temp_path("suite-render.json");
  const auto r =
      run_reckon("sweep --suite negative --seeds 1..3 --report " + report + " --html " + html);
  ASSERT_NE(r.exit_code, 2) << r.output;
  const auto json = nlohmann::json::parse(read_file(report));
  const size_t scenarios = json.at("scenarios").size();
  size_t failing = 0;
  for (const auto& s : json["scenarios"]) failing += s.at("failed_seeds").get<int>() > 0 ? 1 : 0;
  ASSERT_GT(failing, 0u) << "no negative scenario failed on seeds 1..3";
  const auto v = render_with_probe(read_file(html), kSuiteProbe, "suite-render");
  ASSERT_FALSE(v.empty()) << "no probe result in the rendered page";
  EXPECT_EQ(v.at("errors"), "0");
  EXPECT_EQ(v.at("table_rows"), std::to_string(scenarios));
  EXPECT_EQ(v.at("sections"), std::to_string(scenarios));
  EXPECT_EQ(v.at("sections_shown"), "true");
  EXPECT_EQ(v.at("links_resolve"), "true");
  // A negative scenario draws its first failing seed: one timeline per failing scenario.
  EXPECT_EQ(v.at("timelines"), std::to_string(failing));
  EXPECT_EQ(v.at("timelines_wide"), "true");
  EXPECT_EQ(v.at("ids_unique"), "true");
}

}  // namespace
}  // namespace reckon
