#include "sim/error_body.h"

#include <nlohmann/json.hpp>

namespace reckon::sim {

namespace {

// The body's `error` member's `field` if it is a string, else "".
std::string error_field(const std::string& body, const char* field) {
  const auto json = nlohmann::json::parse(body, nullptr, false);
  if (!json.is_object()) return "";
  const auto error = json.find("error");
  if (error == json.end() || !error->is_object()) return "";
  const auto value = error->find(field);
  return value != error->end() && value->is_string() ? value->get<std::string>() : "";
}

}  // namespace

std::string error_code_of(const std::string& body) {
  return error_field(body, "code");
}

bool error_has_message(const std::string& body) {
  return !error_field(body, "message").empty();
}

bool claims_storage_failure(int status, const std::string& body) {
  return status == 503 && error_code_of(body) == "storage_unavailable";
}

}  // namespace reckon::sim
