#include "sim/psp_notice_forgery.h"

#include <nlohmann/json.hpp>

#include "engine/check.h"
#include "sim/psp_notice.h"

namespace reckon::sim {
namespace {

constexpr const char* kSignatureHeader = "psp-signature";

ForgedNotice unsigned_forgery(std::string name, engine::HttpRequest http) {
  return ForgedNotice{std::move(name), std::move(http), 401, "invalid_signature"};
}

// The genuine body with one field changed, signed with the shared secret: the signature is
// right, the body is not a notice the dialect can read.
ForgedNotice signed_malformed(std::string name, engine::HttpRequest http, const std::string& secret,
                              const char* field, const nlohmann::json& value) {
  nlohmann::json body = nlohmann::json::parse(http.body);
  if (value.is_null()) {
    body.erase(field);
  } else {
    body[field] = value;
  }
  http.body = body.dump();
  http.headers[kSignatureHeader] = psp_notice_signature(secret, http.body);
  return ForgedNotice{std::move(name), std::move(http), 400, "invalid_webhook"};
}

}  // namespace

int forgery_count() {
  return 14;
}

ForgedNotice forge_notice(int kind, const engine::HttpRequest& notice, const std::string& secret) {
  engine::HttpRequest http = notice;
  switch (kind) {
    case 0:
      http.headers.erase(kSignatureHeader);
      return unsigned_forgery("no signature", http);
    case 1:
      http.headers[kSignatureHeader] = psp_notice_signature("whsec_not_the_shared_one", http.body);
      return unsigned_forgery("signed with another secret", http);
    case 2: {
      // The genuine signature over a body whose outcome was flipped on the way.
      nlohmann::json body = nlohmann::json::parse(http.body);
      body["outcome"] = body.value("outcome", "") == "succeeded" ? "declined" : "succeeded";
      http.body = body.dump();
      return unsigned_forgery("outcome changed after signing", http);
    }
    case 3: {
      std::string& signature = http.headers[kSignatureHeader];
      signature = signature.substr(0, signature.size() / 2);
      return unsigned_forgery("signature cut in half", http);
    }
    case 4:
      return signed_malformed("signed, outcome not definitive", http, secret, "outcome",
                              "ambiguous");
    case 5:
      return signed_malformed("signed, no event id", http, secret, "id", nullptr);
    case 6:
      return signed_malformed("signed, key outside the dialect's alphabet", http, secret,
                              "idempotency_key", "key with spaces");
    case 7:
      return signed_malformed("signed, operation is a lookup", http, secret, "operation", "lookup");
    case 8: {
      http.body = "[\"" + std::string("pspevt") + "\"]";
      http.headers[kSignatureHeader] = psp_notice_signature(secret, http.body);
      return ForgedNotice{"signed, body not an object", http, 400, "invalid_webhook"};
    }
    // docs/psp-dialect.md: the id and the key are each 1-128 of [A-Za-z0-9_.-].
    case 9:
      return signed_malformed("signed, key of 129 characters", http, secret, "idempotency_key",
                              std::string(129, 'k'));
    case 10:
      return signed_malformed("signed, empty event id", http, secret, "id", "");
    case 11:
      return signed_malformed("signed, event id of 129 characters", http, secret, "id",
                              "pspevt_" + std::string(122, '9'));
    // docs/psp-dialect.md: the reply fields keep their types and enums in a notice too.
    case 12:
      return signed_malformed("signed, amount a string", http, secret, "amount", "1250");
    case 13:
      return signed_malformed("signed, state outside the dialect", http, secret, "state",
                              "settled");
    default:
      break;
  }
  RECKON_CHECK(false, "a forgery kind below forgery_count()");
  return {};
}

}  // namespace reckon::sim
