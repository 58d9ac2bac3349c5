#pragma once
// A run's trace for people (`reckon replay --print`): filters by node, payment and time
// range, and lines laid out in columns (time in ms, node, event, fields).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace reckon::reports {

struct TraceFilter {
  std::string node;  // the node's name, or a prefix ending in '-' ("client-" for all clients)
  // Lines that mention this text (a card token such as tok_c2_o1, an order key such as till-1-o1, a
  // charge id, a PSP key), and the lines where the messages those lines sent are received.
  std::string payment;
  std::optional<int64_t> from_us;  // inclusive
  std::optional<int64_t> to_us;    // inclusive
};

// The lines of `trace` ("t=<us> <node> <kind> fields") the filter keeps, in order.
std::vector<std::string> filter_trace(const std::vector<std::string>& trace,
                                      const TraceFilter& filter);
// "t=43223 engine-0 recv msg0" -> "    43.223 ms  engine-0    recv        msg0"
std::string format_trace_line(const std::string& line);

}  // namespace reckon::reports
