#include "sim/psp_notice.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <nlohmann/json.hpp>

#include "engine/check.h"

namespace reckon::sim {

engine::HttpRequest signed_psp_notice(const std::string& event_id,
                                      const engine::PspRequest& request,
                                      const engine::PspReply& reply, std::string_view secret) {
  RECKON_CHECK(request.op != engine::PspOp::kLookup, "a lookup changes nothing to notify");
  const nlohmann::json body = {{"id", event_id},
                               {"idempotency_key", request.idempotency_key},
                               {"outcome", dialect_name(reply.outcome)},
                               {"authorization_id", reply.psp_charge_id},
                               {"state", dialect_name(reply.state)},
                               {"operation", dialect_name(request.op)},
                               {"amount", request.amount_minor},
                               {"detail", reply.detail}};
  engine::HttpRequest http;
  http.method = "POST";
  http.target = std::string(kPspNoticePath);
  http.headers["content-type"] = "application/json";
  http.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  http.headers["psp-signature"] = psp_notice_signature(secret, http.body);
  return http;
}

std::string psp_notice_signature(std::string_view secret, std::string_view body) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_size = 0;
  const unsigned char* result =
      HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
           reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac, &mac_size);
  RECKON_CHECK(result != nullptr && mac_size == 32, "HMAC-SHA256 gives 32 bytes");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string signature = "sha256=";
  for (unsigned int i = 0; i < mac_size; ++i) {
    signature += kHex[mac[i] >> 4];
    signature += kHex[mac[i] & 0xf];
  }
  return signature;
}

}  // namespace reckon::sim
