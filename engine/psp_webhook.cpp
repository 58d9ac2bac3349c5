#include "engine/psp_webhook.h"

#include <algorithm>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <nlohmann/json.hpp>

#include "engine/check.h"
#include "engine/psp_wire.h"

namespace reckon::engine {
namespace {

using nlohmann::json;

constexpr std::string_view kSignaturePrefix = "sha256=";

// The HTTP status the dialect gives each definitive outcome a webhook may carry.
std::optional<int> status_of_outcome(const std::string& outcome) {
  if (outcome == "succeeded") return 200;
  if (outcome == "declined") return 402;
  if (outcome == "failed") return 400;
  return std::nullopt;
}

std::optional<std::string> text_field(const json& body, const char* field) {
  auto it = body.find(field);
  if (it == body.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

}  // namespace

std::string psp_webhook_signature(std::string_view secret, std::string_view body) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_size = 0;
  const unsigned char* result =
      HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
           reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac, &mac_size);
  RECKON_CHECK(result != nullptr && mac_size == 32, "HMAC-SHA256 yields 32 bytes");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(kSignaturePrefix);
  for (unsigned int i = 0; i < mac_size; ++i) {
    out.push_back(kHex[mac[i] >> 4]);
    out.push_back(kHex[mac[i] & 0xf]);
  }
  return out;
}

bool psp_webhook_signature_valid(std::string_view secret, std::string_view body,
                                 const std::string* header) {
  if (header == nullptr) return false;
  const std::string expected = psp_webhook_signature(secret, body);
  if (header->size() != expected.size()) return false;
  // Constant time: a byte-by-byte early exit would leak how much of a forgery was right.
  return CRYPTO_memcmp(header->data(), expected.data(), expected.size()) == 0;
}

// GCOVR_EXCL_START: live mode only (ci/coverage.sh): the PSP's side, which `reckon psp-sim`
// runs; the simulated PSP writes its notices itself (sim/psp_notice.cpp).
bool is_definitive_outcome(PspOutcome outcome) {
  return outcome == PspOutcome::kSucceeded || outcome == PspOutcome::kDeclined ||
         outcome == PspOutcome::kFailed;
}

PspWebhookEvent psp_webhook_event(std::string id, const PspRequest& request,
                                  const PspReply& reply) {
  RECKON_CHECK(request.op != PspOp::kLookup, "lookups change nothing to notify");
  PspWebhookEvent event;
  event.id = std::move(id);
  event.idempotency_key = request.idempotency_key;
  event.reply = reply;
  event.reply.looked_up_op = request.op;
  event.reply.amount_minor = request.amount_minor;
  return event;
}
// GCOVR_EXCL_STOP

// GCOVR_EXCL_START: live mode only (ci/coverage.sh)
HttpRequest encode_psp_webhook(const PspWebhookEvent& event, std::string_view secret) {
  RECKON_CHECK(is_definitive_outcome(event.reply.outcome),
               "a PSP webhook reports a definitive outcome");
  json body = json::parse(encode_psp_reply(event.reply).body);
  body["id"] = event.id;
  body["idempotency_key"] = event.idempotency_key;
  HttpRequest http;
  http.method = "POST";
  http.target = kPspWebhookPath;
  http.headers["content-type"] = "application/json";
  http.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  http.headers[kPspSignatureHeader] = psp_webhook_signature(secret, http.body);
  return http;
}
// GCOVR_EXCL_STOP

std::optional<PspWebhookEvent> decode_psp_webhook(const std::string& body_text,
                                                  std::string& error) {
  const json body = json::parse(body_text, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object()) {
    error = "the body is not a JSON object";
    return std::nullopt;
  }
  PspWebhookEvent event;
  const auto id = text_field(body, "id");
  if (!id || !valid_psp_key(*id)) {
    error = "field 'id' must be 1-128 of [A-Za-z0-9_.-]";
    return std::nullopt;
  }
  const auto key = text_field(body, "idempotency_key");
  if (!key || !valid_psp_key(*key)) {
    error = "field 'idempotency_key' must be 1-128 of [A-Za-z0-9_.-]";
    return std::nullopt;
  }
  const auto outcome = text_field(body, "outcome");
  const std::optional<int> status = outcome ? status_of_outcome(*outcome) : std::nullopt;
  if (!status) {
    error = "field 'outcome' must be one of succeeded, declined, failed";
    return std::nullopt;
  }
  // The rest is the dialect's reply body, checked by the dialect's own decoder; it calls
  // whatever it cannot read ambiguous, which a webhook must never be.
  event.reply = decode_psp_reply(*status, body_text);
  if (event.reply.outcome == PspOutcome::kAmbiguous) {
    error = event.reply.detail;
    return std::nullopt;
  }
  if (event.reply.looked_up_op == PspOp::kLookup) {
    error = "field 'operation' must name an operation, not a lookup";
    return std::nullopt;
  }
  event.id = *id;
  event.idempotency_key = *key;
  return event;
}

}  // namespace reckon::engine
