#pragma once
// Merchant authentication: `Authorization: Bearer <api key>`, each key naming one merchant.
// Everything a merchant reads or writes (charges, idempotency keys) is scoped by the merchant
// the key maps to, so one merchant never sees another's.

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "engine/http.h"

namespace reckon::engine {

// Test keys every engine accepts unless its configuration replaces them, so the simulator's
// clients and the tests work without setup. Live mode configures its own keys.
inline constexpr std::string_view kTestApiKey1 = "sk_test_reckon_merchant_1";
inline constexpr std::string_view kTestApiKey2 = "sk_test_reckon_merchant_2";
inline constexpr std::string_view kTestMerchant1 = "merchant_1";
inline constexpr std::string_view kTestMerchant2 = "merchant_2";

// api key -> merchant id
using ApiKeys = std::map<std::string, std::string, std::less<>>;
ApiKeys default_api_keys();

// The merchant the request's bearer key belongs to, or nullopt (header missing, not a
// Bearer credential, or an unknown key).
std::optional<std::string> authenticate(const HttpRequest& request, const ApiKeys& keys);

// The bearer credential of the request, if it has one (not checked against any key).
std::optional<std::string_view> bearer_key(const HttpRequest& request);

// 401 unauthorized; never echoes the key that was sent.
HttpResponse unauthorized_response();

}  // namespace reckon::engine
