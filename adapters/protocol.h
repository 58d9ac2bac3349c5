#pragma once
// Version 1 of the adapter protocol's messages (docs/adapters.md): the capabilities an
// adapter declares, and strict readers for the fields of its messages that throw an
// AdapterError naming the message, the field and the problem.

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "adapters/link.h"
#include "engine/http.h"

namespace reckon::adapters {

inline constexpr int kProtocolVersion = 1;
// The most `http` and `wait` messages an adapter may send for one operation before its
// `result` (docs/adapters.md): a loop that never ends in a result is a bad adapter.
inline constexpr int kMaxRequestsPerOperation = 64;
// The provider's limit on its idempotency header (docs/psp-dialect.md).
inline constexpr int kProviderKeyLengthMax = 128;

struct Capabilities {
  std::string adapter_name;
  int key_length_max = kProviderKeyLengthMax;
  bool long_keys_hash = true;  // false: reject (answer not_sent)
  bool partial_capture = true;
  bool multiple_refunds = true;
  int64_t lookup_lag_ms = 0;
  nlohmann::json to_json() const;
};

// Reads the adapter's answer to the harness's hello. Throws AdapterError.
Capabilities read_hello(const nlohmann::json& hello, const std::string& line);

// The fields of one adapter message; every reader names `what` ("message 'result' for op-3
// (authorize)") and the line in its error.
class MessageReader {
 public:
  MessageReader(const nlohmann::json& message, std::string what, std::string line)
      : message_(message), what_(std::move(what)), line_(std::move(line)) {}

  std::string type() const { return message_.at("type").get<std::string>(); }
  std::optional<std::string> text(const char* field, bool required) const;
  std::optional<int64_t> integer(const char* field, bool required, int64_t lo, int64_t hi) const;
  std::optional<bool> boolean(const char* field, bool required) const;
  // An object or array field, checked only for its kind.
  const nlohmann::json* object(const char* field, bool required) const;
  const nlohmann::json* array(const char* field, bool required) const;
  [[noreturn]] void fail(const std::string& problem) const;

 private:
  const nlohmann::json* field(const char* name, bool required, const char* kind) const;
  [[noreturn]] void wrong_type(const char* name, const char* expected,
                               const nlohmann::json& got) const;

  const nlohmann::json& message_;
  std::string what_;
  std::string line_;
};

// An `http` message (docs/adapters.md, "Messages"): the request the adapter asks the harness
// to carry to the provider, header names lower-cased (HTTP's are case-insensitive; the
// values pass unchanged), and how long the adapter waits for its answer. Throws AdapterError.
struct HttpMessage {
  engine::HttpRequest request;
  int64_t timeout_ms = 0;
};
HttpMessage read_http_message(const MessageReader& m);

// A `result` message's `outcome`, one of the taxonomy's (docs/adapters.md, "The outcome
// taxonomy"); `not_found` is an answer to a lookup only, so it is refused unless
// `not_found_allowed`. Throws AdapterError.
std::string read_outcome(const MessageReader& m, bool not_found_allowed);

// A `result` message's `state`, when given (required if `required`): one of the states
// docs/adapters.md lists (none, authorized, captured, declined, voided, refunded); nullopt
// when absent. Throws AdapterError.
std::optional<std::string> read_state(const MessageReader& m, bool required);

// JSON's name for a value's kind ("string", "number", ...), for error messages.
std::string json_kind(const nlohmann::json& value);

}  // namespace reckon::adapters
