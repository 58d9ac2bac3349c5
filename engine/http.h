#pragma once
// Transport-neutral HTTP messages. The engine's handler maps one HttpRequest to one
// HttpResponse; the simulator and the live Beast server both speak these.

#include <map>
#include <string>
#include <string_view>

namespace reckon::engine {

struct HttpRequest {
  std::string method;                          // "GET", "POST"
  std::string target;                          // "/v1/charges/ch_1/capture"
  std::map<std::string, std::string> headers;  // names lower-case
  std::string body;

  // The header's value, or nullptr. `name` must be lower-case.
  const std::string* header(std::string_view name) const;
};

struct HttpResponse {
  int status = 500;
  std::string body;  // JSON
};

// {"error":{"code":CODE,"message":MESSAGE}} with the given status.
HttpResponse error_response(int status, std::string_view code, std::string_view message);

}  // namespace reckon::engine
