#include "sim/charge_creators.h"

#include <cctype>

#include <nlohmann/json.hpp>

#include "oracle/charge_rules.h"

namespace reckon::sim {

void ChargeCreators::observe(const engine::HttpRequest& request,
                             const engine::HttpResponse& response) {
  if (request.method != "POST" || request.target != "/v1/charges") return;
  if (response.status != 201 && response.status != 402) return;
  // docs/api.md: the scheme `Bearer` in any case, one or more spaces, then the key.
  const std::string* authorization = request.header("authorization");
  if (authorization == nullptr || authorization->size() < 7) return;
  std::string scheme = authorization->substr(0, 6);
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const size_t key_at = authorization->find_first_not_of(' ', 6);
  if (scheme != "bearer" || (*authorization)[6] != ' ' || key_at == std::string::npos) return;
  const std::string merchant(
      oracle::merchant_of_test_key(std::string_view(*authorization).substr(key_at)));
  if (merchant.empty()) return;
  const auto body = nlohmann::json::parse(response.body, nullptr, false);
  if (!body.is_object() || !body.contains("id") || !body["id"].is_string()) return;
  const auto [it, added] = creator_.emplace(body["id"].get<std::string>(), merchant);
  if (!added && it->second != merchant) it->second.clear();
}

std::optional<std::string> ChargeCreators::merchant_of(const std::string& charge_id) const {
  const auto it = creator_.find(charge_id);
  if (it == creator_.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

}  // namespace reckon::sim
