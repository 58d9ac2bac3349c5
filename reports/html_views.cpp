#include "reports/html_views.h"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "reports/xml_escape.h"

namespace reckon::reports {
namespace {

constexpr int kLabelWidth = 110;
constexpr int kPlotWidth = 960;
constexpr int kLaneHeight = 34;
constexpr int kAxisHeight = 26;
constexpr int kSeqColumn = 150;
constexpr int kSeqRow = 22;
constexpr size_t kMaxSequenceRows = 600;

// Lanes in reading order: clients by number, the probing merchant, then engines, the PSP, the
// merchant's webhook endpoint, and the faults.
int lane_rank(const std::string& lane) {
  if (lane.rfind("client-", 0) == 0) return 0;
  if (lane.rfind("probe-", 0) == 0) return 1;
  if (lane.rfind("engine", 0) == 0) return 2;
  if (lane == "psp") return 3;
  if (lane == "merchant-webhook") return 4;
  return 5;
}

bool lane_before(const std::string& a, const std::string& b) {
  if (lane_rank(a) != lane_rank(b)) return lane_rank(a) < lane_rank(b);
  if (a.size() != b.size()) return a.size() < b.size();  // client-2 before client-10
  return a < b;
}

std::vector<std::string> ordered_lanes(std::set<std::string> lanes) {
  std::vector<std::string> out(lanes.begin(), lanes.end());
  std::sort(out.begin(), out.end(), lane_before);
  return out;
}

std::string field(const TraceEvent& e, const char* key) {
  auto it = e.fields.find(key);
  return it == e.fields.end() ? std::string() : it->second;
}

bool is_loss(const TraceEvent& e) {
  const std::string kind = field(e, "kind");
  return e.kind == "fault" && (kind == "request_loss" || kind == "response_loss");
}

std::string line_text(const TraceEvent& e) {
  return "t=" + std::to_string(e.t_us) + " " + e.node + " " + e.kind +
         (e.rest.empty() ? "" : " " + e.rest);
}

const char* event_class(const TraceEvent& e) {
  if (e.kind == "fault" || e.kind == "crash") return "ev fault";
  if (e.kind == "send" || e.kind == "recv") return "ev msg";
  return "ev other";
}

// Where the timeline draws: each lane's y, and x for a virtual time in [0, end_us].
struct TimelinePlot {
  std::map<std::string, int> lane_y;
  int64_t end_us = 1;
  int x(int64_t t) const {
    return kLabelWidth +
           static_cast<int>(static_cast<double>(t) * kPlotWidth / static_cast<double>(end_us));
  }
};

void draw_down_times(const std::vector<TraceEvent>& events, TimelinePlot& plot,
                     std::ostringstream& out) {
  // Engine down time: from a crash to the next start of that engine.
  std::map<std::string, int64_t> down_since;
  for (const auto& e : events) {
    if (e.node.rfind("engine", 0) != 0) continue;
    if (e.kind == "crash") down_since[e.node] = e.t_us;
    if (e.kind == "start" && down_since.count(e.node) > 0) {
      const int x0 = plot.x(down_since[e.node]);
      out << "<rect class=\"down\" x=\"" << x0 << "\" y=\"" << plot.lane_y[e.node] - 12
          << "\" width=\"" << std::max(2, plot.x(e.t_us) - x0) << "\" height=\"24\"><title>"
          << xml_escape(e.node) << " down</title></rect>\n";
      down_since.erase(e.node);
    }
  }
  for (const auto& [node, since] : down_since) {
    out << "<rect class=\"down\" x=\"" << plot.x(since) << "\" y=\"" << plot.lane_y[node] - 12
        << "\" width=\"" << std::max(2, plot.x(plot.end_us) - plot.x(since))
        << "\" height=\"24\"/>\n";
  }
}

void draw_messages(const std::vector<TraceEvent>& events, TimelinePlot& plot,
                   const std::set<size_t>& hl, std::ostringstream& out) {
  // Messages: a line from the sender's lane at send time to the receiver's at receipt.
  std::map<std::string, size_t> sends;
  for (size_t i = 0; i < events.size(); ++i) {
    const auto& e = events[i];
    if (e.kind == "send") sends[e.subject] = i;
    const bool recv = e.kind == "recv" && sends.count(e.subject) > 0;
    const bool lost = is_loss(e) && sends.count(field(e, "on")) > 0;
    if (!recv && !lost) continue;
    const size_t s = sends[recv ? e.subject : field(e, "on")];
    const auto& send = events[s];
    const std::string to = field(send, "to");
    if (plot.lane_y.count(to) == 0) continue;
    const int x0 = plot.x(send.t_us);
    const int y0 = plot.lane_y[lane_of(send)];
    const int y1 = plot.lane_y[to];
    const bool mine = hl.count(s) > 0;
    const char* cls = mine ? "m hl" : "m";
    if (recv) {
      out << "<line class=\"" << cls << "\" x1=\"" << x0 << "\" y1=\"" << y0 << "\" x2=\""
          << plot.x(e.t_us) << "\" y2=\"" << y1 << "\"><title>" << xml_escape(line_text(send))
          << "</title></line>\n";
    } else {
      const int ym = (y0 + y1) / 2;
      out << "<line class=\"" << cls << " lost\" x1=\"" << x0 << "\" y1=\"" << y0 << "\" x2=\""
          << x0 + 6 << "\" y2=\"" << ym << "\"/><text class=\"lostx\" x=\"" << x0 + 6 << "\" y=\""
          << ym + 4 << "\">&#x2715;<title>" << xml_escape(line_text(e)) << "</title></text>\n";
    }
  }
}

}  // namespace

std::string timeline_svg(const std::vector<TraceEvent>& events,
                         const std::vector<size_t>& highlight, int64_t failure_at_us) {
  std::set<std::string> lane_set = {"psp", "faults"};
  int64_t end_us = std::max<int64_t>(failure_at_us, 1);
  for (const auto& e : events) {
    lane_set.insert(lane_of(e));
    end_us = std::max(end_us, e.t_us);
  }
  const std::vector<std::string> lanes = ordered_lanes(lane_set);
  TimelinePlot plot;
  plot.end_us = end_us;
  for (size_t i = 0; i < lanes.size(); ++i) {
    plot.lane_y[lanes[i]] = kAxisHeight + static_cast<int>(i) * kLaneHeight + kLaneHeight / 2;
  }
  std::map<std::string, int>& lane_y = plot.lane_y;
  const int height = kAxisHeight + static_cast<int>(lanes.size()) * kLaneHeight + 16;
  const int width = kLabelWidth + kPlotWidth + 50;  // room for the last tick's label
  auto x = [&](int64_t t) { return plot.x(t); };
  const std::set<size_t> hl(highlight.begin(), highlight.end());
  std::ostringstream out;
  out << "<svg class=\"timeline\" width=\"" << width << "\" height=\"" << height
      << "\" viewBox=\"0 0 " << width << " " << height << "\" role=\"img\">\n";
  for (int i = 0; i <= 5; ++i) {
    const int64_t t = end_us * i / 5;
    out << "<line class=\"tick\" x1=\"" << x(t) << "\" y1=\"" << kAxisHeight - 6 << "\" x2=\""
        << x(t) << "\" y2=\"" << height << "\"/><text class=\"axis\" text-anchor=\"middle\" x=\""
        << x(t) << "\" y=\"" << kAxisHeight - 10 << "\">" << t / 1000 << " ms</text>\n";
  }
  for (const auto& lane : lanes) {
    const int y = lane_y[lane];
    out << "<g class=\"lane\" data-lane=\"" << xml_escape(lane) << "\"><line x1=\"" << kLabelWidth
        << "\" y1=\"" << y << "\" x2=\"" << kLabelWidth + kPlotWidth << "\" y2=\"" << y
        << "\"/><text class=\"lane-label\" x=\"6\" y=\"" << y + 4 << "\">" << xml_escape(lane)
        << "</text></g>\n";
  }
  draw_down_times(events, plot, out);
  draw_messages(events, plot, hl, out);
  for (size_t i = 0; i < events.size(); ++i) {
    const auto& e = events[i];
    if (e.kind == "recv") continue;  // drawn as the end of its message line
    const bool mine = hl.count(i) > 0;
    out << "<circle class=\"" << event_class(e) << (mine ? " hl" : "") << "\" cx=\"" << x(e.t_us)
        << "\" cy=\"" << lane_y[lane_of(e)] << "\" r=\"" << (mine ? 4 : 3) << "\"><title>"
        << xml_escape(line_text(e)) << "</title></circle>\n";
  }
  out << "<line class=\"failed-at\" x1=\"" << x(failure_at_us) << "\" y1=\"" << kAxisHeight - 6
      << "\" x2=\"" << x(failure_at_us) << "\" y2=\"" << height
      << "\"/><text class=\"failed-label\" text-anchor=\"end\" x=\"" << x(failure_at_us) - 4
      << "\" y=\"" << height - 3 << "\">property failed</text>\n";
  out << "</svg>\n";
  return out.str();
}

std::string sequence_svg(const std::vector<TraceEvent>& events, const std::vector<size_t>& rows,
                         const std::string& marker_id) {
  const size_t n = std::min(rows.size(), kMaxSequenceRows);
  std::set<std::string> lane_set;
  for (size_t r = 0; r < n; ++r) lane_set.insert(lane_of(events[rows[r]]));
  for (size_t r = 0; r < n; ++r) {
    const std::string to = field(events[rows[r]], "to");
    if (events[rows[r]].kind == "send" && !to.empty()) lane_set.insert(to);
  }
  const std::vector<std::string> lanes = ordered_lanes(lane_set);
  std::map<std::string, int> col_x;
  for (size_t i = 0; i < lanes.size(); ++i) {
    col_x[lanes[i]] = 70 + static_cast<int>(i) * kSeqColumn;
  }
  const int text_x = 70 + static_cast<int>(lanes.size()) * kSeqColumn - kSeqColumn / 2;
  const int top = 30;
  const int height = top + static_cast<int>(n) * kSeqRow + 10;
  const int width = text_x + 720;
  auto y = [&](size_t r) { return top + static_cast<int>(r) * kSeqRow + kSeqRow / 2; };
  std::ostringstream out;
  out << "<svg class=\"sequence\" width=\"" << width << "\" height=\"" << height
      << "\" viewBox=\"0 0 " << width << " " << height << "\" role=\"img\">\n"
      << "<defs><marker id=\"" << marker_id
      << "\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" "
         "markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\"/>"
         "</marker></defs>\n";
  for (const auto& lane : lanes) {
    out << "<g class=\"seq-lane\" data-lane=\"" << xml_escape(lane) << "\"><text x=\""
        << col_x[lane] << "\" y=\"18\">" << xml_escape(lane) << "</text><line x1=\"" << col_x[lane]
        << "\" y1=\"" << top << "\" x2=\"" << col_x[lane] << "\" y2=\"" << height << "\"/></g>\n";
  }
  std::map<std::string, size_t> send_row;
  for (size_t r = 0; r < n; ++r) {
    const auto& e = events[rows[r]];
    const int cx = col_x[lane_of(e)];
    if (e.kind == "send") send_row[e.subject] = r;
    if (e.kind == "recv" && send_row.count(e.subject) > 0) {
      const size_t s = send_row[e.subject];
      out << "<line class=\"arrow\" x1=\"" << col_x[lane_of(events[rows[s]])] << "\" y1=\"" << y(s)
          << "\" x2=\"" << cx << "\" y2=\"" << y(r) << "\" marker-end=\"url(#" << marker_id
          << ")\"/>\n";
    }
    if (is_loss(e) && send_row.count(field(e, "on")) > 0) {
      const auto& send = events[rows[send_row[field(e, "on")]]];
      const int x0 = col_x[lane_of(send)];
      const int x1 = col_x.count(field(send, "to")) > 0 ? col_x[field(send, "to")] : x0;
      out << "<line class=\"arrow lost\" x1=\"" << x0 << "\" y1=\"" << y(send_row[field(e, "on")])
          << "\" x2=\"" << (x0 + x1) / 2 << "\" y2=\"" << y(r) << "\"/><text class=\"lostx\" x=\""
          << (x0 + x1) / 2 - 5 << "\" y=\"" << y(r) + 5 << "\">&#x2715;</text>\n";
    }
    out << "<circle class=\"" << event_class(e) << "\" cx=\"" << cx << "\" cy=\"" << y(r)
        << "\" r=\"4\"/><text class=\"seq-text\" x=\"" << text_x << "\" y=\"" << y(r) + 4 << "\">"
        << xml_escape(line_text(e)) << "</text>\n";
  }
  if (rows.size() > n) {
    out << "<text x=\"10\" y=\"" << height - 2 << "\">(first " << n << " of " << rows.size()
        << " events)</text>\n";
  }
  out << "</svg>\n";
  return out.str();
}

}  // namespace reckon::reports
