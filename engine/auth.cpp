#include "engine/auth.h"

namespace reckon::engine {

ApiKeys default_api_keys() {
  return {{std::string(kTestApiKey1), std::string(kTestMerchant1)},
          {std::string(kTestApiKey2), std::string(kTestMerchant2)}};
}

std::optional<std::string_view> bearer_key(const HttpRequest& request) {
  const std::string* header = request.header("authorization");
  constexpr std::string_view kScheme = "Bearer ";
  if (header == nullptr || header->size() <= kScheme.size() ||
      std::string_view(*header).substr(0, kScheme.size()) != kScheme) {
    return std::nullopt;
  }
  return std::string_view(*header).substr(kScheme.size());
}

std::optional<std::string> authenticate(const HttpRequest& request, const ApiKeys& keys) {
  const auto key = bearer_key(request);
  if (!key) return std::nullopt;
  auto it = keys.find(*key);
  if (it == keys.end()) return std::nullopt;
  return it->second;
}

HttpResponse unauthorized_response() {
  return error_response(401, "unauthorized",
                        "missing or unknown API key; send Authorization: Bearer <api key>");
}

}  // namespace reckon::engine
