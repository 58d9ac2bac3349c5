#pragma once
// Validation of what crosses the API boundary. Each failure names the field and the problem.

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include "engine/http.h"

namespace reckon::engine {

inline constexpr size_t kMaxBodyBytes = 64 * 1024;
inline constexpr size_t kMaxJsonDepth = 32;

// Parses a JSON object body of at most kMaxBodyBytes (else 413 body_too_large) nested at
// most kMaxJsonDepth deep (else 400 body_too_deep). On failure returns nullopt and sets `refusal`.
std::optional<nlohmann::json> parse_json_object(const std::string& body,
                                                std::optional<HttpResponse>& refusal);

// A refusal if any string or integer (key or value, at any depth) or any header value
// contains what looks like a card number: 13-19 digits passing the Luhn check.
// The refusal never echoes the offending text.
std::optional<HttpResponse> refuse_card_numbers(const HttpRequest& request,
                                                const nlohmann::json& body);

// Idempotency-Key rules: present, 1-255 printable ASCII characters.
std::optional<HttpResponse> refuse_bad_idempotency_key(const std::string* key);

// A refusal (400 field_unknown naming it) if `body` has a field not in `known`.
std::optional<HttpResponse> refuse_unknown_fields(const nlohmann::json& body,
                                                  std::initializer_list<std::string_view> known);

// A positive int64 amount in minor units from body[field]; refuses other types and values.
std::optional<int64_t> amount_field(const nlohmann::json& body, const char* field, bool required,
                                    std::optional<HttpResponse>& refusal);

// Stable fingerprint of a request: method, target and the canonical (key-sorted) body.
std::string request_fingerprint(const HttpRequest& request, const nlohmann::json& body);

}  // namespace reckon::engine
