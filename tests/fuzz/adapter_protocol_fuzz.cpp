// Fuzz target: one line a PSP adapter writes to adapter-check (docs/adapters.md, protocol 1):
// the checks ProcessLink::exchange makes on every answer (JSON, an object, a string "type";
// restated here, since ProcessLink needs a child process), then the readers of
// adapters/protocol.h and adapters/session.cpp: read_hello (the handshake answer) and
// Session::run, which reads the line as the answer to an operation (result, http, wait) and,
// for an http message, decodes and carries the request to the simulated PSP.
// The input is one line: bytes after the first '\n' are ignored, a trailing '\r' is dropped
// (as ProcessLink::read_line does). The operation sent is op-1, an authorize; any later
// answer the session asks for is a fixed {"type":"result","id":"op-1","outcome":"failed"}.
// Must hold: no crash, no UB, no leak; every refusal is a clear error: an AdapterError (no
// other exception) whose message is valid UTF-8, as it goes into JSON and JUnit reports.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "adapters/link.h"
#include "adapters/protocol.h"
#include "adapters/session.h"

namespace {

using nlohmann::json;
using reckon::adapters::AdapterError;

[[noreturn]] void fail(const char* why, const std::string& detail) {
  std::fprintf(stderr, "fuzz adapter_protocol: %s: %.400s\n", why, detail.c_str());
  std::abort();
}

bool valid_utf8(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t n = 0;
    uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    }
    if ((c & 0xe0) == 0xc0) {
      n = 1;
      cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      n = 2;
      cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    for (size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return false;
      const auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3f);
    }
    const uint32_t min = n == 1 ? 0x80 : n == 2 ? 0x800 : 0x10000;
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += n + 1;
  }
  return true;
}

// What ProcessLink::exchange does with the line it read: the product's own function.
json parse_answer(const std::string& line, const std::string& waiting_for) {
  return reckon::adapters::parse_adapter_answer(line, waiting_for);
}

// An adapter that answers reset with ready, the operation with the input line, and anything
// after that with a fixed result.
class ScriptedLink final : public reckon::adapters::AdapterLink {
 public:
  explicit ScriptedLink(std::string line) : line_(std::move(line)) {}
  json exchange(const json& message, const std::string& waiting_for) override {
    const std::string type = message.value("type", std::string("?"));
    if (type == "reset") {
      last_ = R"({"type":"ready"})";
    } else if (type == "operation" && !sent_) {
      sent_ = true;
      last_ = line_;
    } else {
      last_ = R"({"type":"result","id":"op-1","outcome":"failed","detail":"fuzz"})";
    }
    return parse_answer(last_, waiting_for);
  }
  std::string last_line() const override { return reckon::adapters::abbreviate(last_); }

 private:
  std::string line_;
  std::string last_;
  bool sent_ = false;
};

void check_error(const AdapterError& e) {
  const std::string what = e.what();
  if (what.empty()) fail("an AdapterError without a message", what);
  if (!valid_utf8(what)) fail("an AdapterError message that is not UTF-8", what);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace adapters = reckon::adapters;
  std::string line(reinterpret_cast<const char*>(data), size);
  const size_t eol = line.find('\n');
  if (eol != std::string::npos) line.resize(eol);
  if (!line.empty() && line.back() == '\r') line.pop_back();

  // The handshake: the line as the answer to hello.
  try {
    const json hello = parse_answer(line, "the handshake answer 'hello'");
    const adapters::Capabilities caps = adapters::read_hello(hello, line);
    if (caps.key_length_max < 1 || caps.key_length_max > adapters::kProviderKeyLengthMax ||
        caps.lookup_lag_ms < 0) {
      fail("read_hello accepted capabilities out of range", line);
    }
    (void)caps.to_json().dump();
  } catch (const AdapterError& e) {
    check_error(e);
  }

  // An operation: the line as the adapter's answer to op-1.
  try {
    ScriptedLink link(line);
    adapters::Session session(link, adapters::Capabilities{}, 7, adapters::quiet_adapter_plan());
    const adapters::OpRun run = session.run({{"op", "authorize"},
                                             {"idempotency_key", "k-7-1"},
                                             {"amount_minor", 1250},
                                             {"currency", "JPY"},
                                             {"card_token", "tok_7_1"},
                                             {"capture", false}});
    if (run.outcome.empty()) fail("an operation ended without an outcome", line);
  } catch (const AdapterError& e) {
    check_error(e);
  }
  return 0;
}
