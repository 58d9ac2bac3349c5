#pragma once
// The merchants a live server accepts: their API keys and webhook endpoints, from a TOML
// file that an operator writes (docs/live.md, "Merchants file"):
//
//   [[merchant]]
//   id = "acme"                                   # [a-z0-9_-], 1..64
//   api_keys = ["sk_live_acme_0123456789abcdef"]  # 16..128 of [A-Za-z0-9_-]; several
//                                                 # while rotating
//   webhook = "http://127.0.0.1:9000/hooks"       # optional
//
// Strict like scenario files: an unknown key, a wrong type, a malformed value, a key
// given to two merchants or a merchant listed twice is an error naming file, line and key.

#include <map>
#include <optional>
#include <string>

#include "engine/auth.h"

namespace reckon::live {

struct MerchantsConfig {
  engine::ApiKeys api_keys;                     // api key -> merchant id
  std::map<std::string, std::string> webhooks;  // merchant id -> URL (only those that set one)
};

std::optional<MerchantsConfig> load_merchants_file(const std::string& path, std::string& error);

}  // namespace reckon::live
