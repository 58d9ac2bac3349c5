#pragma once
// Structured logs for the live services: one JSON object per line on stderr, with a UTC
// timestamp, a level and an event name. INVARIANT: callers log ids, paths without query
// strings, statuses and timings, never request or response bodies, headers or
// idempotency keys, so no card number can reach a log through them.

#include <string_view>

#include <nlohmann/json.hpp>

namespace reckon::live {

class JsonLog {
 public:
  explicit JsonLog(std::string_view service) : service_(service) {}
  void info(std::string_view event, nlohmann::json fields = nlohmann::json::object());
  void warn(std::string_view event, nlohmann::json fields = nlohmann::json::object());
  void error(std::string_view event, nlohmann::json fields = nlohmann::json::object());

 private:
  void write(std::string_view level, std::string_view event, nlohmann::json fields);
  std::string_view service_;
};

}  // namespace reckon::live
