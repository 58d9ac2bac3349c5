#pragma once
// The harness's side of a conversation with a PSP adapter: one message out, the adapter's
// one answer back (docs/adapters.md). The out-of-process protocol implements it over a
// child process's pipes (adapters/process_link.h).
//
// INVARIANT: every failure of the adapter (crash, hang, malformed or out-of-turn output)
// surfaces as an AdapterError whose message names the adapter's message and the problem;
// the harness never waits without a deadline.

#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "sim/psp_route.h"

namespace reckon::adapters {

// An ExternalPartError: inside a simulation run (`--adapter`) it ends the run with exit 2.
class AdapterError : public sim::ExternalPartError {
 public:
  using sim::ExternalPartError::ExternalPartError;
};

class AdapterLink {
 public:
  virtual ~AdapterLink() = default;
  // Sends `message` and returns the adapter's answer, a JSON object with a string "type".
  // `waiting_for` says what the harness expects, for error messages ("the answer to op-3
  // (authorize)"). Throws AdapterError.
  virtual nlohmann::json exchange(const nlohmann::json& message,
                                  const std::string& waiting_for) = 0;
  // The raw line of the last answer (for error messages), abbreviated.
  virtual std::string last_line() const = 0;
  // What the adapter wrote to its logs (stderr) since the last call: raw bytes.
  virtual std::string take_stderr() { return {}; }
  // Stops the adapter as a crash would and starts it again; the next message it gets is a
  // hello. False: this link cannot restart its adapter.
  virtual bool restart() { return false; }
  // Ends the adapter (docs/adapters.md, "End"): bye, its stdin closed, a short grace, then
  // killed. What it wrote to stderr up to its end is then all take_stderr()'s to give.
  virtual void finish() {}
};

// "{...}" cut to at most 200 characters, for error messages.
std::string abbreviate(const std::string& line);

// One line an adapter wrote, read as an answer: a JSON object with a string "type", or an
// AdapterError naming `waiting_for` and the problem (never another exception: the line is
// the adapter's raw bytes; tests/fuzz/adapter_protocol_fuzz.cpp).
nlohmann::json parse_adapter_answer(const std::string& line, const std::string& waiting_for);

}  // namespace reckon::adapters
