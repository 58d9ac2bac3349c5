#pragma once
// Reckon's C++ adapter SDK (header-only; needs nlohmann/json): write a PSP adapter as a
// PspAdapter, and serve() speaks the adapter protocol (docs/adapters.md, version 1) over
// stdin/stdout so `reckon adapter-check --adapter ./my-adapter` can check it.
//
// The adapter reaches its provider only through Transport: in production an HTTP client
// with a deadline; under the check, serve()'s transport, whose requests cross the
// simulated network to the simulated PSP. Keep every provider call behind it.
//
// INVARIANT (the contract): every retry of an operation sends its key unchanged; a timeout,
// a 5xx or an unreadable answer ends 'unknown', never 'declined' or 'failed'.

#include <cstdint>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace reckon::adapter_sdk {

inline constexpr int kProtocolVersion = 1;

struct HttpRequest {
  std::string method;  // "GET", "POST"
  std::string path;    // "/v1/authorizations"
  std::map<std::string, std::string> headers;
  std::string body;
  int64_t timeout_ms = 2000;
};

struct HttpResponse {
  int status = 0;
  std::string body;
  // The answer's headers the harness passes on (docs/adapters.md): Retry-After on a 429.
  std::map<std::string, std::string> headers;
};

class Transport {
 public:
  virtual ~Transport() = default;
  // One request; the answer, or nullopt when none came before the deadline.
  virtual std::optional<HttpResponse> send(const HttpRequest& request) = 0;
  // Lets time pass (virtual time under the check).
  virtual void wait_ms(int64_t ms) = 0;
};

struct Capabilities {
  int key_length_max = 128;
  bool long_keys_hash = true;  // false: answer not_sent
  bool partial_capture = true;
  bool multiple_refunds = true;
  int64_t lookup_lag_ms = 0;
};

// One operation as the harness sends it; absent fields are empty or zero. `raw` holds the
// whole message (later protocol versions may add fields).
struct Operation {
  std::string op;  // authorize, capture, void, refund, lookup, settlement_report
  std::string idempotency_key;
  int64_t amount_minor = 0;
  std::string currency;
  std::string card_token;
  bool capture = false;
  std::string authorization_id;
  std::string date;
  nlohmann::json raw;
};

struct SettlementLine {
  std::string psp_reference;
  std::string merchant_reference;
  std::string type;          // capture, refund, ...
  int64_t amount_minor = 0;  // the gross, negative for refunds
  std::string currency;
};

struct Result {
  std::string outcome = "unknown";  // succeeded, declined, failed, unknown, not_sent, not_found
  std::string authorization_id;
  std::string state;
  std::string operation;  // lookup: the operation the key belonged to
  int64_t amount_minor = 0;
  std::string detail;
  std::optional<std::vector<SettlementLine>> lines;  // settlement_report
};

class PspAdapter {
 public:
  virtual ~PspAdapter() = default;
  virtual std::string name() const = 0;
  virtual Capabilities capabilities() const = 0;
  // Forget every state kept between operations (the harness resets between seeds).
  virtual void reset() {}
  virtual Result handle(const Operation& operation, Transport& transport) = 0;
};

namespace detail {

inline void write(std::ostream& out, const nlohmann::json& message) {
  out << message.dump() << '\n';
  out.flush();
}

inline std::optional<nlohmann::json> read(std::istream& in) {
  std::string line;
  if (!std::getline(in, line)) return std::nullopt;
  return nlohmann::json::parse(line);
}

class ProtocolTransport : public Transport {
 public:
  ProtocolTransport(std::istream& in, std::ostream& out) : in_(in), out_(out) {}
  std::string op_id;

  std::optional<HttpResponse> send(const HttpRequest& r) override {
    write(out_, {{"type", "http"},
                 {"id", op_id},
                 {"method", r.method},
                 {"path", r.path},
                 {"headers", r.headers},
                 {"body", r.body},
                 {"timeout_ms", r.timeout_ms}});
    const auto answer = read(in_);
    if (!answer || answer->value("type", "") != "http_response") return std::nullopt;
    HttpResponse response{
        answer->at("status").get<int>(), answer->at("body").get<std::string>(), {}};
    if (const auto h = answer->find("headers"); h != answer->end() && h->is_object()) {
      for (const auto& [name, value] : h->items()) {
        if (value.is_string()) response.headers[name] = value.get<std::string>();
      }
    }
    return response;
  }

  void wait_ms(int64_t ms) override {
    write(out_, {{"type", "wait"}, {"id", op_id}, {"ms", ms}});
    (void)read(in_);
  }

 private:
  std::istream& in_;
  std::ostream& out_;
};

inline Operation operation_from(const nlohmann::json& m) {
  Operation op;
  op.op = m.value("op", "");
  op.idempotency_key = m.value("idempotency_key", "");
  op.amount_minor = m.value("amount_minor", int64_t{0});
  op.currency = m.value("currency", "");
  op.card_token = m.value("card_token", "");
  op.capture = m.value("capture", false);
  op.authorization_id = m.value("authorization_id", "");
  op.date = m.value("date", "");
  op.raw = m;
  return op;
}

inline nlohmann::json result_json(const Result& r, const std::string& id) {
  nlohmann::json out = {{"type", "result"},
                        {"id", id},
                        {"outcome", r.outcome},
                        {"authorization_id", r.authorization_id},
                        {"amount_minor", r.amount_minor},
                        {"detail", r.detail}};
  // docs/adapters.md: a state is one the provider named; an outcome without one (unknown,
  // not_sent) leaves it out rather than send an empty one.
  if (!r.state.empty()) out["state"] = r.state;
  if (!r.operation.empty()) out["operation"] = r.operation;
  if (r.lines) {
    out["lines"] = nlohmann::json::array();
    for (const auto& l : *r.lines) {
      out["lines"].push_back({{"psp_reference", l.psp_reference},
                              {"merchant_reference", l.merchant_reference},
                              {"type", l.type},
                              {"amount_minor", l.amount_minor},
                              {"currency", l.currency}});
    }
  }
  return out;
}

}  // namespace detail

// Serves the protocol until the harness says bye or closes stdin. Returns an exit code.
inline int serve(PspAdapter& adapter, std::istream& in = std::cin, std::ostream& out = std::cout) {
  std::ios::sync_with_stdio(false);
  detail::ProtocolTransport transport(in, out);
  while (const auto message = detail::read(in)) {
    const std::string type = message->value("type", "");
    if (type == "hello") {
      const Capabilities c = adapter.capabilities();
      detail::write(out, {{"type", "hello"},
                          {"protocol", kProtocolVersion},
                          {"adapter", adapter.name()},
                          {"capabilities",
                           {{"key_length_max", c.key_length_max},
                            {"long_keys", c.long_keys_hash ? "hash" : "reject"},
                            {"partial_capture", c.partial_capture},
                            {"multiple_refunds", c.multiple_refunds},
                            {"lookup_lag_ms", c.lookup_lag_ms}}}});
    } else if (type == "reset") {
      adapter.reset();
      detail::write(out, {{"type", "ready"}});
    } else if (type == "operation") {
      transport.op_id = message->value("id", "");
      const Result r = adapter.handle(detail::operation_from(*message), transport);
      detail::write(out, detail::result_json(r, transport.op_id));
    } else if (type == "bye") {
      return 0;
    }
  }
  return 0;
}

}  // namespace reckon::adapter_sdk
