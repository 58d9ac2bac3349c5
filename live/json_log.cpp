#include "live/json_log.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <iostream>

namespace reckon::live {
namespace {

std::string utc_now() {
  const auto now = std::chrono::system_clock::now();
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(micros / 1'000'000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<long long>(micros % 1'000'000));
  return buf;
}

}  // namespace

void JsonLog::info(std::string_view event, nlohmann::json fields) {
  write("info", event, std::move(fields));
}
void JsonLog::warn(std::string_view event, nlohmann::json fields) {
  write("warn", event, std::move(fields));
}
void JsonLog::error(std::string_view event, nlohmann::json fields) {
  write("error", event, std::move(fields));
}

void JsonLog::write(std::string_view level, std::string_view event, nlohmann::json fields) {
  nlohmann::json line = {
      {"ts", utc_now()}, {"level", level}, {"service", service_}, {"event", event}};
  for (auto& [key, value] : fields.items()) line[key] = std::move(value);
  // One write per line so concurrent processes sharing stderr do not interleave mid-line.
  const std::string text =
      line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  std::cerr.write(text.data(), static_cast<std::streamsize>(text.size()));
  std::cerr.flush();
}

}  // namespace reckon::live
