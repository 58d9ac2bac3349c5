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

// Where card data can arrive (docs/api.md, "Card numbers"): the request target (path and
// query, which a server logs) and the body. Headers are not scanned: the Idempotency-Key and
// request ids are the merchant's opaque identifiers (a UUID or a millisecond timestamp holds
// Luhn-valid digit runs), and no header is logged. The refusal never echoes the text.
std::optional<HttpResponse> refuse_card_number_in_target(const HttpRequest& request);
// Any string or integer of the body (key or value, at any depth): 13-19 digits passing Luhn.
std::optional<HttpResponse> refuse_card_numbers(const nlohmann::json& body);

// The Idempotency-Key (docs/api.md, "Idempotency"): present, 1-255 visible ASCII characters
// (0x21-0x7E). A structured-field string (RFC 8941, the form the IETF Idempotency-Key draft
// defines: `"abc"`) is the same key as its bare form `abc`. Returns the key, or nullopt with
// `refusal` set.
std::optional<std::string> idempotency_key_of(const std::string* header,
                                              std::optional<HttpResponse>& refusal);

// A refusal (400 field_unknown naming it) if `body` has a field not in `known`.
std::optional<HttpResponse> refuse_unknown_fields(const nlohmann::json& body,
                                                  std::initializer_list<std::string_view> known);

// A positive int64 amount in minor units from body[field]; refuses other types and values.
std::optional<int64_t> amount_field(const nlohmann::json& body, const char* field, bool required,
                                    std::optional<HttpResponse>& refusal);

// Stable fingerprint of a request: method, target and the canonical (key-sorted) body.
std::string request_fingerprint(const HttpRequest& request, const nlohmann::json& body);

}  // namespace reckon::engine
