#include "reports/trace_view.h"

#include <charconv>
#include <cstdio>
#include <set>

namespace reckon::reports {
namespace {

struct ParsedLine {
  int64_t at_us = -1;
  std::string node;
  std::string kind;
  std::string fields;
};

ParsedLine parse(const std::string& line) {
  ParsedLine p;
  if (line.rfind("t=", 0) != 0) return p;
  const size_t time_end = line.find(' ');
  const char* begin = line.data() + 2;
  const char* end = line.data() + (time_end == std::string::npos ? line.size() : time_end);
  if (std::from_chars(begin, end, p.at_us).ec != std::errc()) p.at_us = -1;
  if (time_end == std::string::npos) return p;
  const size_t node_end = line.find(' ', time_end + 1);
  p.node = line.substr(time_end + 1, node_end - time_end - 1);
  if (node_end == std::string::npos) return p;
  const size_t kind_end = line.find(' ', node_end + 1);
  p.kind = line.substr(node_end + 1, kind_end - node_end - 1);
  if (kind_end != std::string::npos) p.fields = line.substr(kind_end + 1);
  return p;
}

// "send msg12 to=..." -> "msg12"; "" when the fields do not start with a message id.
std::string message_id(const std::string& fields) {
  if (fields.rfind("msg", 0) != 0) return "";
  return fields.substr(0, fields.find(' '));
}

bool node_matches(const std::string& node, const std::string& wanted) {
  if (wanted.empty()) return true;
  if (!wanted.empty() && wanted.back() == '-') return node.rfind(wanted, 0) == 0;
  return node == wanted;
}

}  // namespace

std::vector<std::string> filter_trace(const std::vector<std::string>& trace,
                                      const TraceFilter& filter) {
  std::vector<std::string> out;
  std::set<std::string> payment_messages;  // sent by a line that mentions the payment
  for (const auto& line : trace) {
    const ParsedLine p = parse(line);
    if (filter.from_us && p.at_us < *filter.from_us) continue;
    if (filter.to_us && p.at_us > *filter.to_us) continue;
    if (!node_matches(p.node, filter.node)) continue;
    if (!filter.payment.empty()) {
      const std::string msg = message_id(p.fields);
      const bool mentions = line.find(filter.payment) != std::string::npos;
      if (mentions && p.kind == "send" && !msg.empty()) payment_messages.insert(msg);
      if (!mentions && (msg.empty() || payment_messages.count(msg) == 0)) continue;
    }
    out.push_back(line);
  }
  return out;
}

std::string format_trace_line(const std::string& line) {
  const ParsedLine p = parse(line);
  if (p.at_us < 0) return line;
  char head[96];
  std::snprintf(head, sizeof head, "%10lld.%03lld ms  %-10s %-12s ",
                static_cast<long long>(p.at_us / 1000), static_cast<long long>(p.at_us % 1000),
                p.node.c_str(), p.kind.c_str());
  return head + p.fields;
}

}  // namespace reckon::reports
