#include "engine/auth.h"

#include <cctype>

namespace reckon::engine {

ApiKeys default_api_keys() {
  return {{std::string(kTestApiKey1), std::string(kTestMerchant1)},
          {std::string(kTestApiKey2), std::string(kTestMerchant2)}};
}

std::optional<std::string_view> bearer_key(const HttpRequest& request) {
  const std::string* header = request.header("authorization");
  if (header == nullptr) return std::nullopt;
  // RFC 9110 §11.1: the scheme name is case-insensitive; one or more spaces follow it.
  constexpr std::string_view kScheme = "bearer";
  const std::string_view value(*header);
  if (value.size() <= kScheme.size()) return std::nullopt;
  for (size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(value[i])) != kScheme[i]) return std::nullopt;
  }
  const size_t key_at = value.find_first_not_of(' ', kScheme.size());
  if (key_at == kScheme.size() || key_at == std::string_view::npos) return std::nullopt;
  return value.substr(key_at);
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
