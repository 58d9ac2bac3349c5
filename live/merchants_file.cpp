#include "live/merchants_file.h"

#include <toml++/toml.h>

#include <set>

#include "config/toml_file.h"
#include "live/webhook_http_client.h"

namespace reckon::live {
namespace {

bool all_of_charset(const std::string& s, std::string_view extra) {
  for (unsigned char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    extra.find(static_cast<char>(c)) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

constexpr std::string_view kIdExtra = "_-";
constexpr std::string_view kKeyExtra = "_-ABCDEFGHIJKLMNOPQRSTUVWXYZ";

struct Reader {
  const std::string& path;
  std::string& error;

  bool fail(const toml::node& node, const std::string& key, const std::string& why) {
    error = path + ":" + std::to_string(node.source().begin.line) + ": " + key + ": " + why;
    return false;
  }

  bool merchant(const toml::table& t, const std::string& where, MerchantsConfig& out,
                std::set<std::string>& ids) {
    for (const auto& [k, v] : t) {
      const std::string key(k.str());
      if (key != "id" && key != "api_keys" && key != "webhook") {
        return fail(v, where + "." + key, "unknown key (id, api_keys, webhook)");
      }
    }
    const toml::node* id_node = t.get("id");
    if (id_node == nullptr) return fail(t, where + ".id", "missing");
    const auto id = id_node->value<std::string>();
    if (!id || id->empty() || id->size() > 64 || !all_of_charset(*id, kIdExtra)) {
      return fail(*id_node, where + ".id", "must be 1..64 of [a-z0-9_-]");
    }
    if (!ids.insert(*id).second) return fail(*id_node, where + ".id", "'" + *id + "' twice");
    const toml::node* keys_node = t.get("api_keys");
    const toml::array* keys = keys_node ? keys_node->as_array() : nullptr;
    if (keys == nullptr || keys->empty()) {
      return fail(keys_node ? *keys_node : static_cast<const toml::node&>(t), where + ".api_keys",
                  "must be a non-empty array of strings");
    }
    for (const auto& key_node : *keys) {
      const auto key = key_node.value<std::string>();
      // The message never repeats a key: it is a credential.
      if (!key || key->size() < 16 || key->size() > 128 || !all_of_charset(*key, kKeyExtra)) {
        return fail(key_node, where + ".api_keys", "each key must be 16..128 of [A-Za-z0-9_-]");
      }
      if (!out.api_keys.emplace(*key, *id).second) {
        return fail(key_node, where + ".api_keys", "a key is given to two merchants");
      }
    }
    if (const toml::node* hook = t.get("webhook")) {
      const auto url = hook->value<std::string>();
      std::string why;
      if (!url || !parse_webhook_url(*url, why)) {
        return fail(*hook, where + ".webhook", url ? why : "must be a string");
      }
      out.webhooks[*id] = *url;
    }
    return true;
  }
};

}  // namespace

std::optional<MerchantsConfig> load_merchants_file(const std::string& path, std::string& error) {
  const std::optional<toml::table> parsed = config::parse_toml_file(path, error);
  if (!parsed) return std::nullopt;
  const toml::table& doc = *parsed;
  Reader reader{path, error};
  MerchantsConfig out;
  std::set<std::string> ids;
  for (const auto& [k, node] : doc) {
    const std::string key(k.str());
    const toml::array* merchants = node.as_array();
    if (key != "merchant" || merchants == nullptr) {
      reader.fail(node, key,
                  key != "merchant" ? "unknown key (merchant)"
                                    : "must be an array of tables ([[merchant]])");
      return std::nullopt;
    }
    for (size_t i = 0; i < merchants->size(); ++i) {
      const toml::table* t = (*merchants)[i].as_table();
      const std::string where = "merchant[" + std::to_string(i) + "]";
      if (t == nullptr) {
        reader.fail((*merchants)[i], where, "must be a table");
        return std::nullopt;
      }
      if (!reader.merchant(*t, where, out, ids)) return std::nullopt;
    }
  }
  if (out.api_keys.empty()) {
    error = path + ": no [[merchant]] with api_keys: the server would refuse every request";
    return std::nullopt;
  }
  return out;
}

}  // namespace reckon::live
