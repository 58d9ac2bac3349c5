#include "sim/error_body.h"

#include <nlohmann/json.hpp>

namespace reckon::sim {

std::string error_code_of(const std::string& body) {
  const auto json = nlohmann::json::parse(body, nullptr, false);
  if (!json.is_object()) return "";
  const auto error = json.find("error");
  if (error == json.end() || !error->is_object()) return "";
  const auto code = error->find("code");
  return code != error->end() && code->is_string() ? code->get<std::string>() : "";
}

}  // namespace reckon::sim
