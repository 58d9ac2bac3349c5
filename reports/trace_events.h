#pragma once
// Reading a run's trace back: each line "t=<us> <node> <kind> k=v ..." (sim/trace.h) as an
// event with its fields, the lane it belongs to in a timeline, and which events concern
// one payment. Only the HTML report reads traces; the simulator never does.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace reckon::reports {

struct TraceEvent {
  int64_t t_us = 0;
  std::string node;     // client-<i>, engine-<i>, psp, faults, world
  std::string kind;     // send, recv, process, fault, crash, start, timeout, ...
  std::string rest;     // everything after the kind, as written
  std::string subject;  // the first word of `rest` when it is not k=v (msg<N> on send/recv)
  std::map<std::string, std::string> fields;  // k=v words; a value runs to the next space
};

// nullopt when the line does not start with "t=<digits> <node> <kind>".
std::optional<TraceEvent> parse_trace_line(std::string_view line);
std::vector<TraceEvent> parse_trace(const std::vector<std::string>& lines);

// The timeline lane an event is drawn in: its node, except that every engine incarnation
// shares "engine" lanes by name and world events go to "faults" (begin, end).
std::string lane_of(const TraceEvent& e);

// The indexes of the events that concern `payment` (an order's card token tok_c<i>_o<n>,
// or an engine charge id): the client's requests for that order and every message, PSP
// operation and fault causally downstream of them, followed through message ids and the
// operation's PSP key. Engine crashes and restarts are included as context.
std::vector<size_t> payment_events(const std::vector<TraceEvent>& events,
                                   const std::string& payment);

}  // namespace reckon::reports
