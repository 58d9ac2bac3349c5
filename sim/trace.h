#pragma once
// The structured trace of a run: one event per line, "t=<us> <node> <kind> k=v ...", and a
// rolling XXH3 hash over every line. The same seed on the same build gives the same lines
// and so the same hash; the hash is how determinism is checked.

#include <xxhash.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/event_queue.h"

namespace reckon::sim {

class Trace {
 public:
  explicit Trace(bool keep_lines);
  ~Trace();
  Trace(const Trace&) = delete;
  Trace& operator=(const Trace&) = delete;

  // Appends one event. `fields` is already formatted as space-separated k=v pairs.
  void record(TimeUs at_us, std::string_view node, std::string_view kind, std::string_view fields);

  uint64_t hash() const;
  std::string hash_hex() const;
  uint64_t line_count() const { return line_count_; }
  // Empty unless constructed with keep_lines.
  const std::vector<std::string>& lines() const { return lines_; }

 private:
  XXH3_state_t* state_;
  bool keep_lines_;
  uint64_t line_count_ = 0;
  std::vector<std::string> lines_;
  std::string scratch_;
};

std::string hex64(uint64_t value);

}  // namespace reckon::sim
