#include "engine/http.h"

#include <nlohmann/json.hpp>

namespace reckon::engine {

const std::string* HttpRequest::header(std::string_view name) const {
  auto it = headers.find(std::string(name));
  return it == headers.end() ? nullptr : &it->second;
}

HttpResponse error_response(int status, std::string_view code, std::string_view message) {
  nlohmann::json body = {{"error", {{"code", code}, {"message", message}}}};
  // Messages may quote the request (a path, a field name): bytes that are not UTF-8 are
  // replaced, so a hostile request gets its 4xx instead of an exception.
  return HttpResponse{status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)};
}

}  // namespace reckon::engine
