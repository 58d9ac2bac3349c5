// Fuzz target: a PSP -> engine webhook (POST /v1/psp/webhooks, docs/psp-dialect.md,
// "Webhooks"): the signature check (engine::psp_webhook_signature_valid), the body's decoder
// (engine::decode_psp_webhook, which hands the dialect part to engine/psp_wire.h) and the
// engine's receiver (PaymentEngine::handle on a world with two charges: engine_world.h).
// Must hold: no crash, no UB, no leak; every refusal is a clear error; exactly the HMAC of the
// body under the secret passes the check; a decoded event carries an id, a key and a
// definitive outcome; the engine answers once, with a JSON body (error.code on 4xx/5xx).
//
// Input encoding:
//   SIGNATURE\n   the PSP-Signature header: "!" sends none, "*" sends the body's valid
//                 signature (so inputs reach the decoder through the engine), anything else
//                 is sent as written
//   BODY          the rest, verbatim; {key}, {key2}, {charge}, {charge2} name the world's
//                 state (engine_world.h: {key} is the PSP key of an authorized charge, {key2}
//                 that of one whose authorization is unknown)

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "engine/http.h"
#include "engine/psp_webhook.h"
#include "engine_world.h"

namespace {

[[noreturn]] void fail(const char* why) {
  std::fprintf(stderr, "fuzz psp_webhook: %s\n", why);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace engine = reckon::engine;
  reckon::fuzz::EngineWorld& world = reckon::fuzz::EngineWorld::fresh();
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const size_t eol = in.find('\n');
  const std::string signature_line(in.substr(0, eol));
  const std::string body =
      world.expand(std::string(eol == std::string_view::npos ? "" : in.substr(eol + 1)));
  const std::string_view secret = reckon::fuzz::EngineWorld::kWebhookSecret;

  const std::string valid = engine::psp_webhook_signature(secret, body);
  if (valid.size() != 7 + 64 || valid.rfind("sha256=", 0) != 0) fail("malformed signature");
  if (!engine::psp_webhook_signature_valid(secret, body, &valid)) {
    fail("the body's own signature is refused");
  }
  std::optional<std::string> header;
  if (signature_line == "*") {
    header = valid;
  } else if (signature_line != "!") {
    header = signature_line;
  }
  const bool accepted =
      engine::psp_webhook_signature_valid(secret, body, header ? &*header : nullptr);
  if (accepted != (header && *header == valid)) fail("a signature other than the HMAC passes");
  // Another secret never accepts this body's signature.
  if (engine::psp_webhook_signature_valid("another-secret", body, &valid)) {
    fail("a signature passes under another secret");
  }

  std::string error;
  const auto event = engine::decode_psp_webhook(body, error);
  if (!event) {
    if (error.empty()) fail("a refused webhook without an error");
  } else {
    if (event->id.empty() || event->idempotency_key.empty()) fail("an event without id or key");
    if (!engine::is_definitive_outcome(event->reply.outcome)) fail("an ambiguous webhook decoded");
    if (event->reply.looked_up_op == engine::PspOp::kLookup) fail("a lookup as a webhook");
  }

  engine::HttpRequest request;
  request.method = "POST";
  request.target = engine::kPspWebhookPath;
  request.headers["content-type"] = "application/json";
  if (header) request.headers[engine::kPspSignatureHeader] = *header;
  request.body = body;
  for (int delivery = 0; delivery < 2; ++delivery) {  // the PSP resends: a duplicate
    const auto response = world.send(request);
    if (!response) fail("the engine never answered the webhook");
    reckon::fuzz::check_response(*response, "webhook response");
    if (!accepted && response->status != 401) fail("an unsigned webhook was not refused 401");
  }
  return 0;
}
