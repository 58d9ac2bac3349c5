#include "adapters/protocol.h"

#include <cctype>

namespace reckon::adapters {

std::string json_kind(const nlohmann::json& value) {
  if (value.is_number_integer()) return "integer";
  if (value.is_number()) return "number";
  return value.type_name();
}

nlohmann::json Capabilities::to_json() const {
  return {{"key_length_max", key_length_max},
          {"long_keys", long_keys_hash ? "hash" : "reject"},
          {"partial_capture", partial_capture},
          {"multiple_refunds", multiple_refunds},
          {"lookup_lag_ms", lookup_lag_ms}};
}

HttpMessage read_http_message(const MessageReader& m) {
  HttpMessage out;
  out.request.method = *m.text("method", true);
  out.request.target = *m.text("path", true);
  out.request.body = m.text("body", false).value_or("");
  out.timeout_ms = *m.integer("timeout_ms", true, 1, 600'000);
  if (const nlohmann::json* headers = m.object("headers", false)) {
    for (const auto& [name, value] : headers->items()) {
      if (!value.is_string()) {
        m.fail("header '" + name + "' must be a string, got " + json_kind(value));
      }
      std::string lowered = name;
      for (char& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      out.request.headers[lowered] = value.get<std::string>();
    }
  }
  return out;
}

std::string read_outcome(const MessageReader& m, bool not_found_allowed) {
  const std::string outcome = *m.text("outcome", true);
  static const char* const kOutcomes[] = {"succeeded", "declined", "failed", "unknown", "not_sent"};
  bool known = not_found_allowed && outcome == "not_found";
  for (const char* o : kOutcomes) known = known || outcome == o;
  if (!known) {
    m.fail("field 'outcome' must be one of succeeded, declined, failed, unknown, not_sent" +
           std::string(not_found_allowed ? ", not_found" : "") + "; got '" + outcome + "'");
  }
  return outcome;
}

std::optional<std::string> read_state(const MessageReader& m, bool required) {
  const auto state = m.text("state", required);
  if (!state) return std::nullopt;
  static const char* const kStates[] = {"none",     "authorized", "captured",
                                        "declined", "voided",     "refunded"};
  bool known = false;
  for (const char* s : kStates) known = known || *state == s;
  if (!known) {
    m.fail(
        "field 'state' must be one of none, authorized, captured, declined, voided, refunded; "
        "got '" +
        *state + "'");
  }
  return state;
}

void MessageReader::fail(const std::string& problem) const {
  throw AdapterError(what_ + ": " + problem + ": " + abbreviate(line_));
}

void MessageReader::wrong_type(const char* name, const char* expected,
                               const nlohmann::json& got) const {
  fail(std::string("field '") + name + "' must be " + expected + ", got " + json_kind(got));
}

const nlohmann::json* MessageReader::field(const char* name, bool required,
                                           const char* kind) const {
  auto it = message_.find(name);
  if (it == message_.end() || it->is_null()) {
    if (required) fail(std::string("field '") + name + "' (" + kind + ") is missing");
    return nullptr;
  }
  return &*it;
}

std::optional<std::string> MessageReader::text(const char* name, bool required) const {
  const nlohmann::json* v = field(name, required, "a string");
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) wrong_type(name, "a string", *v);
  return v->get<std::string>();
}

std::optional<int64_t> MessageReader::integer(const char* name, bool required, int64_t lo,
                                              int64_t hi) const {
  const nlohmann::json* v = field(name, required, "an integer");
  if (v == nullptr) return std::nullopt;
  if (!v->is_number_integer()) wrong_type(name, "an integer", *v);
  if (v->is_number_unsigned() && v->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
    fail(std::string("field '") + name + "' is out of range");
  }
  const int64_t n = v->get<int64_t>();
  if (n < lo || n > hi) {
    fail(std::string("field '") + name + "' must be in " + std::to_string(lo) + ".." +
         std::to_string(hi) + ", got " + std::to_string(n));
  }
  return n;
}

std::optional<bool> MessageReader::boolean(const char* name, bool required) const {
  const nlohmann::json* v = field(name, required, "a boolean");
  if (v == nullptr) return std::nullopt;
  if (!v->is_boolean()) wrong_type(name, "a boolean", *v);
  return v->get<bool>();
}

const nlohmann::json* MessageReader::object(const char* name, bool required) const {
  const nlohmann::json* v = field(name, required, "an object");
  if (v != nullptr && !v->is_object()) wrong_type(name, "an object", *v);
  return v;
}

const nlohmann::json* MessageReader::array(const char* name, bool required) const {
  const nlohmann::json* v = field(name, required, "an array");
  if (v != nullptr && !v->is_array()) wrong_type(name, "an array", *v);
  return v;
}

Capabilities read_hello(const nlohmann::json& hello, const std::string& line) {
  const MessageReader m(hello, "message 'hello' (the handshake)", line);
  if (m.type() != "hello") m.fail("expected type 'hello', got '" + m.type() + "'");
  const int64_t version = *m.integer("protocol", true, 0, INT32_MAX);
  if (version != kProtocolVersion) {
    m.fail("the adapter speaks protocol " + std::to_string(version) + "; this harness speaks " +
           std::to_string(kProtocolVersion));
  }
  Capabilities caps;
  caps.adapter_name = m.text("adapter", false).value_or("");
  const nlohmann::json* declared = m.object("capabilities", true);
  const MessageReader c(*declared, "message 'hello' (the handshake), its capabilities", line);
  caps.key_length_max =
      static_cast<int>(*c.integer("key_length_max", true, 1, kProviderKeyLengthMax));
  const std::string long_keys = *c.text("long_keys", true);
  if (long_keys != "hash" && long_keys != "reject") {
    c.fail("field 'long_keys' must be \"hash\" or \"reject\", got \"" + long_keys + "\"");
  }
  caps.long_keys_hash = long_keys == "hash";
  caps.partial_capture = *c.boolean("partial_capture", true);
  caps.multiple_refunds = *c.boolean("multiple_refunds", true);
  caps.lookup_lag_ms = *c.integer("lookup_lag_ms", true, 0, 60'000);
  return caps;
}

}  // namespace reckon::adapters
