#include "engine/http.h"

#include <nlohmann/json.hpp>

namespace reckon::engine {

const std::string* HttpRequest::header(std::string_view name) const {
  auto it = headers.find(std::string(name));
  return it == headers.end() ? nullptr : &it->second;
}

HttpResponse error_response(int status, std::string_view code, std::string_view message) {
  nlohmann::json body = {{"error", {{"code", code}, {"message", message}}}};
  return HttpResponse{status, body.dump()};
}

}  // namespace reckon::engine
