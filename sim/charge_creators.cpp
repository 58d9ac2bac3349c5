#include "sim/charge_creators.h"

#include <cctype>

#include <nlohmann/json.hpp>

#include "oracle/charge_rules.h"

namespace reckon::sim {

void ChargeCreators::observe(const engine::HttpRequest& request,
                             const engine::HttpResponse& response) {
  if (request.method != "POST" || request.target != "/v1/charges") return;
  if (response.status != 201 && response.status != 402 && response.status != 503) return;
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
  // docs/api.md: a 201's body is the charge; a 402 or a 503 `psp_outcome_unknown` carries it
  // as `charge` beside the error.
  const auto body = nlohmann::json::parse(response.body, nullptr, false);
  if (!body.is_object()) return;
  const auto& charge = response.status == 201 ? body : body.value("charge", nlohmann::json());
  if (!charge.is_object() || !charge.contains("id") || !charge["id"].is_string()) return;
  const std::string id = charge["id"].get<std::string>();
  const auto [it, added] = creator_.emplace(id, merchant);
  if (!added && it->second != merchant) it->second.clear();
  const auto sent = nlohmann::json::parse(request.body, nullptr, false);
  if (!sent.is_object() || creation_.count(id) != 0) return;
  Creation made;
  if (sent.contains("source") && sent["source"].is_string()) made.source = sent["source"];
  if (sent.contains("currency") && sent["currency"].is_string()) made.currency = sent["currency"];
  if (sent.contains("capture") && sent["capture"].is_boolean()) made.capture = sent["capture"];
  creation_.emplace(id, made);
  if (!made.source.empty()) charges_of_source_[made.source].insert(id);
}

std::optional<std::string> ChargeCreators::merchant_of(const std::string& charge_id) const {
  const auto it = creator_.find(charge_id);
  if (it == creator_.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

std::optional<std::string> ChargeCreators::source_of(const std::string& charge_id) const {
  const auto it = creation_.find(charge_id);
  if (it == creation_.end() || it->second.source.empty() ||
      charges_of_source_.at(it->second.source).size() > 1) {
    return std::nullopt;
  }
  return it->second.source;
}

std::optional<ChargeCreators::Creation> ChargeCreators::creation_of(
    const std::string& charge_id) const {
  const auto it = creation_.find(charge_id);
  if (it == creation_.end()) return std::nullopt;
  return it->second;
}

}  // namespace reckon::sim
