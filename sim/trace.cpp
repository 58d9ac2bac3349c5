#include "sim/trace.h"

#include <cstdio>

#include "engine/check.h"

namespace reckon::sim {

std::string hex64(uint64_t value) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(value));
  return buf;
}

Trace::Trace(bool keep_lines) : state_(XXH3_createState()), keep_lines_(keep_lines) {
  RECKON_CHECK(state_ != nullptr, "XXH3_createState failed");
  XXH3_64bits_reset(state_);
}

Trace::~Trace() {
  XXH3_freeState(state_);
}

void Trace::record(TimeUs at_us, std::string_view node, std::string_view kind,
                   std::string_view fields) {
  scratch_.clear();
  scratch_ += "t=";
  scratch_ += std::to_string(at_us);
  scratch_ += ' ';
  scratch_ += node;
  scratch_ += ' ';
  scratch_ += kind;
  if (!fields.empty()) {
    scratch_ += ' ';
    scratch_ += fields;
  }
  scratch_ += '\n';
  XXH3_64bits_update(state_, scratch_.data(), scratch_.size());
  ++line_count_;
  if (keep_lines_) lines_.emplace_back(scratch_.data(), scratch_.size() - 1);
}

uint64_t Trace::hash() const {
  return XXH3_64bits_digest(state_);
}

std::string Trace::hash_hex() const {
  return hex64(hash());
}

}  // namespace reckon::sim
