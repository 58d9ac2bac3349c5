#include "reports/trace_events.h"

#include <charconv>
#include <set>

namespace reckon::reports {
namespace {

std::string_view next_word(std::string_view& s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  const size_t end = s.find(' ');
  std::string_view word = s.substr(0, end);
  s.remove_prefix(end == std::string_view::npos ? s.size() : end);
  return word;
}

std::string field(const TraceEvent& e, const char* key) {
  auto it = e.fields.find(key);
  return it == e.fields.end() ? std::string() : it->second;
}

// The operation a PSP key belongs to: planted defects may add "-<attempt suffix>" to the
// engine's rk_<hex> key; every attempt of one operation shares the part before it.
std::string operation_of(const std::string& key) {
  if (key.rfind("rk_", 0) != 0) return key;
  return key.substr(0, key.find('-'));
}

// An order: the client that makes it and its number there. Its keys are
// <till>-o<n>-<step>, written on that client's lines only; a till's two clients (one per
// merchant) send the same key strings, so a key names an order only with its client.
struct Order {
  std::string client;  // client-<i>
  std::string number;  // <n>
};

// The order of a card token: tok_c<i>_o<n>.
std::optional<Order> order_of_token(const std::string& token) {
  if (token.rfind("tok_c", 0) != 0) return std::nullopt;
  const size_t o = token.find("_o", 5);
  if (o == std::string::npos) return std::nullopt;
  const std::string client = "client-" + token.substr(5, o - 5);
  // The order number is the digits after `_o`; a merchant's token may go on after them.
  const size_t digits = token.find_first_not_of("0123456789", o + 2);
  const std::string number =
      token.substr(o + 2, digits == std::string::npos ? digits : digits - o - 2);
  if (number.empty()) return std::nullopt;
  return Order{client, number};
}

// The order number of a client's idempotency key, <till>-o<n>-<step> (traces before the
// tills: client-<i>-o<n>-<step>); nullopt for any other key.
std::optional<std::string> order_number_of_key(const std::string& key) {
  if (key.rfind("till-", 0) != 0 && key.rfind("client-", 0) != 0) return std::nullopt;
  const size_t o = key.find("-o");
  const size_t end = o == std::string::npos ? o : key.find('-', o + 2);
  if (end == std::string::npos) return std::nullopt;
  return key.substr(o + 2, end - o - 2);
}

// Whether line `e` carrying client key `key` is a request or answer of `order`.
bool of_order(const TraceEvent& e, const std::string& key, const Order& order) {
  return e.node == order.client && order_number_of_key(key) == order.number;
}

}  // namespace

std::optional<TraceEvent> parse_trace_line(std::string_view line) {
  TraceEvent e;
  std::string_view rest = line;
  const std::string_view t = next_word(rest);
  if (t.size() < 3 || t.substr(0, 2) != "t=") return std::nullopt;
  auto [ptr, ec] = std::from_chars(t.data() + 2, t.data() + t.size(), e.t_us);
  if (ec != std::errc() || ptr != t.data() + t.size()) return std::nullopt;
  e.node = std::string(next_word(rest));
  e.kind = std::string(next_word(rest));
  if (e.node.empty() || e.kind.empty()) return std::nullopt;
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  e.rest = std::string(rest);
  bool first = true;
  while (!rest.empty()) {
    const std::string_view word = next_word(rest);
    const size_t eq = word.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      if (first) e.subject = std::string(word);
    } else {
      e.fields.emplace(std::string(word.substr(0, eq)), std::string(word.substr(eq + 1)));
    }
    first = false;
  }
  return e;
}

std::vector<TraceEvent> parse_trace(const std::vector<std::string>& lines) {
  std::vector<TraceEvent> events;
  events.reserve(lines.size());
  for (const auto& line : lines) {
    if (auto e = parse_trace_line(line)) events.push_back(std::move(*e));
  }
  return events;
}

std::string lane_of(const TraceEvent& e) {
  if (e.node == "world") return "faults";
  return e.node;
}

std::vector<size_t> payment_events(const std::vector<TraceEvent>& events,
                                   const std::string& payment) {
  // A charge id (ch_...) appears only in capture requests: the order is the one whose key
  // is on the first line that names it.
  std::optional<Order> order = order_of_token(payment);
  for (size_t i = 0; i < events.size() && !order; ++i) {
    if (events[i].rest.find(payment) != std::string::npos) {
      if (auto number = order_number_of_key(field(events[i], "key"))) {
        order = Order{events[i].node, *number};
      }
    }
  }
  std::set<std::string> messages;    // msg<N> ids that belong to the payment
  std::set<std::string> operations;  // PSP operation keys (operation_of)
  std::vector<size_t> out;
  // The delivery being handled: lines after a marked recv, at the same time and node, were
  // written by the receiver's handler and so are its consequences.
  const TraceEvent* context = nullptr;
  for (size_t i = 0; i < events.size(); ++i) {
    const TraceEvent& e = events[i];
    if (context && (e.t_us != context->t_us || e.kind == "recv")) context = nullptr;
    const std::string key = field(e, "key");
    bool mine = false;
    if (e.rest.find(payment) != std::string::npos) mine = true;
    const bool client_key = order_number_of_key(key).has_value();
    if (order && client_key && of_order(e, key, *order)) mine = true;
    if (!key.empty() && operations.count(operation_of(key)) > 0) mine = true;
    if ((e.kind == "send" || e.kind == "recv") && messages.count(e.subject) > 0) mine = true;
    if (e.kind == "fault" && messages.count(field(e, "on")) > 0) mine = true;
    if (context && (e.node == context->node || (context->node == "psp" && e.node == "psp"))) {
      mine = true;
    }
    // Another order's request, even when sent in the same handler (zero think time).
    if (order && client_key && !of_order(e, key, *order)) mine = false;
    if (order && e.node == order->client && e.kind == "order_done" &&
        order->number == field(e, "order")) {
      mine = true;
    }
    const bool engine_life =
        e.node.rfind("engine", 0) == 0 && (e.kind == "crash" || e.kind == "start");
    if (!mine && !engine_life) continue;
    out.push_back(i);
    if (!mine) continue;
    if (e.kind == "send") messages.insert(e.subject);
    if (!key.empty() && key.rfind("rk_", 0) == 0) operations.insert(operation_of(key));
    if (e.kind == "recv") context = &e;
  }
  return out;
}

}  // namespace reckon::reports
