#include "engine/request_validation.h"

#include <xxhash.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>

#include "engine/card_token.h"

namespace reckon::engine {
namespace {

// The deepest bracket nesting outside string literals; the text need not be valid JSON.
size_t json_nesting_depth(const std::string& text) {
  size_t depth = 0;
  size_t deepest = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') in_string = true;
    if (c == '[' || c == '{') deepest = std::max(deepest, ++depth);
    if ((c == ']' || c == '}') && depth > 0) --depth;
  }
  return deepest;
}

// Strings and integers are both searched: a PAN sent as a JSON number is still a PAN.
bool json_has_card_number(const nlohmann::json& value) {
  if (value.is_string()) return contains_card_number(value.get_ref<const std::string&>());
  if (value.is_number_unsigned() && value.get<uint64_t>() > uint64_t{INT64_MAX}) {
    return false;  // out of int64 range: refused by field validation, never stored
  }
  if (value.is_number_integer()) return contains_card_number(value.dump());
  if (value.is_object()) {
    for (const auto& [key, child] : value.items()) {
      if (contains_card_number(key) || json_has_card_number(child)) return true;
    }
  }
  if (value.is_array()) {
    for (const auto& child : value) {
      if (json_has_card_number(child)) return true;
    }
  }
  return false;
}

}  // namespace

std::optional<nlohmann::json> parse_json_object(const std::string& body,
                                                std::optional<HttpResponse>& refusal) {
  // Bounded before parsing: the walks below (card-number scan, canonical dump) recurse,
  // and a request must never be able to exhaust the stack.
  if (body.size() > kMaxBodyBytes) {
    refusal = error_response(413, "body_too_large",
                             "request body exceeds " + std::to_string(kMaxBodyBytes) + " bytes");
    return std::nullopt;
  }
  if (json_nesting_depth(body) > kMaxJsonDepth) {
    refusal = error_response(
        400, "body_too_deep",
        "request body nests deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    return std::nullopt;
  }
  nlohmann::json parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    refusal = error_response(400, "body_invalid_json", "request body is not valid JSON");
    return std::nullopt;
  }
  if (!parsed.is_object()) {
    refusal = error_response(400, "body_not_object", "request body must be a JSON object");
    return std::nullopt;
  }
  return parsed;
}

HttpResponse card_number_refusal() {
  return error_response(400, "card_number_refused",
                        "the request contains what looks like a card number; send an opaque "
                        "card token (tok_...) instead");
}

std::optional<HttpResponse> refuse_card_number_in_target(const HttpRequest& request) {
  if (!contains_card_number(request.target)) return std::nullopt;
  return card_number_refusal();
}

std::optional<HttpResponse> refuse_card_numbers(const nlohmann::json& body) {
  if (!json_has_card_number(body)) return std::nullopt;
  return card_number_refusal();
}

std::optional<std::string> idempotency_key_of(const std::string* header,
                                              std::optional<HttpResponse>& refusal) {
  if (header == nullptr || header->empty()) {
    refusal = error_response(400, "idempotency_key_missing",
                             "POST requests need an Idempotency-Key header");
    return std::nullopt;
  }
  std::string key = *header;
  if (key.size() >= 2 && key.front() == '"' && key.back() == '"') {
    // RFC 8941 sf-string: `\` escapes only `"` and `\`; the key is what it spells.
    std::string unquoted;
    for (size_t i = 1; i + 1 < key.size(); ++i) {
      char c = key[i];
      if (c == '\\') {
        if (i + 2 >= key.size() || (key[i + 1] != '"' && key[i + 1] != '\\')) {
          refusal = error_response(400, "idempotency_key_invalid",
                                   "Idempotency-Key is not a valid structured-field string");
          return std::nullopt;
        }
        c = key[++i];
      } else if (c == '"') {
        refusal = error_response(400, "idempotency_key_invalid",
                                 "Idempotency-Key is not a valid structured-field string");
        return std::nullopt;
      }
      unquoted += c;
    }
    key = std::move(unquoted);
  }
  if (key.empty() || key.size() > 255) {
    refusal = error_response(400, "idempotency_key_invalid",
                             "Idempotency-Key must be 1 to 255 characters");
    return std::nullopt;
  }
  for (char c : key) {
    if (c < 0x21 || c > 0x7e) {
      refusal = error_response(400, "idempotency_key_invalid",
                               "Idempotency-Key must be visible ASCII (0x21-0x7E): no spaces "
                               "or control characters");
      return std::nullopt;
    }
  }
  return key;
}

std::optional<HttpResponse> refuse_unknown_fields(const nlohmann::json& body,
                                                  std::initializer_list<std::string_view> known) {
  for (const auto& [key, value] : body.items()) {
    bool ok = false;
    for (auto k : known) ok = ok || key == k;
    if (!ok) return error_response(400, "field_unknown", "unknown field '" + key + "'");
  }
  return std::nullopt;
}

std::optional<int64_t> amount_field(const nlohmann::json& body, const char* field, bool required,
                                    std::optional<HttpResponse>& refusal) {
  auto it = body.find(field);
  if (it == body.end()) {
    if (required) {
      refusal =
          error_response(400, "amount_missing", std::string("field '") + field + "' is required");
    }
    return std::nullopt;
  }
  if (!it->is_number_integer()) {
    refusal = error_response(
        400, "amount_invalid",
        std::string("field '") + field + "' must be an integer count of minor units");
    return std::nullopt;
  }
  if (it->is_number_unsigned() && it->get<uint64_t>() > uint64_t{INT64_MAX}) {
    refusal = error_response(400, "amount_invalid",
                             std::string("field '") + field + "' does not fit in int64");
    return std::nullopt;
  }
  const int64_t amount = it->get<int64_t>();
  if (amount <= 0) {
    refusal = error_response(400, "amount_invalid",
                             std::string("field '") + field + "' must be positive");
    return std::nullopt;
  }
  return amount;
}

std::string request_fingerprint(const HttpRequest& request, const nlohmann::json& body) {
  // nlohmann::json objects are key-sorted, so dump() is canonical for equal content.
  const std::string canonical = request.method + " " + request.target + "\n" + body.dump();
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx",
                static_cast<unsigned long long>(XXH3_64bits(canonical.data(), canonical.size())));
  return buf;
}

}  // namespace reckon::engine
