// Fuzz target: one merchant HTTP request as the live server hands it to the engine
// (live/http_server.cpp): the header block's checks (live/request_framing.h), the API
// boundary's validators (engine/request_validation.h, engine/auth.h) and then a real
// PaymentEngine (in-memory SQLite, fake clock/PRNG/PSP: engine_world.h) handling it, twice
// (a client's retry). Must hold: no crash, no UB, no leak; every refusal is a clear error
// (a status in 200..599, a JSON body, and error.code + error.message on every 4xx/5xx); the
// engine answers each request exactly once, with a status and code docs/api.md gives the
// request's route (answer-documented, sim/answer_documented.h: read from the documents, not
// from the engine's router).
//
// Input encoding (newline-separated, like an HTTP/1.1 head without the version):
//   METHOD\n
//   TARGET\n
//   Name: value\n        zero to 16 header lines, in arrival order, names as sent
//   \n                   an empty line ends the headers
//   BODY                 the rest, verbatim
// A header line without ':' is a name with an empty value; values lose surrounding spaces
// and tabs. {charge}, {charge2}, {key}, {key2} in the target, header values and body name
// state the world made first (engine_world.h). The test API key is sk_test_reckon_merchant_1.

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/auth.h"
#include "engine/http.h"
#include "engine/request_validation.h"
#include "engine_world.h"
#include "live/request_framing.h"
#include "sim/answer_documented.h"

namespace {

using reckon::engine::HttpRequest;
using reckon::engine::HttpResponse;

[[noreturn]] void fail(const char* why) {
  std::fprintf(stderr, "fuzz http_request: %s\n", why);
  std::abort();
}

std::string take_line(std::string_view& in) {
  const size_t eol = in.find('\n');
  std::string line(in.substr(0, eol));
  in.remove_prefix(eol == std::string_view::npos ? in.size() : eol + 1);
  return line;
}

std::string trim(const std::string& s) {
  const size_t a = s.find_first_not_of(" \t");
  if (a == std::string::npos) return "";
  return s.substr(a, s.find_last_not_of(" \t") - a + 1);
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

void check_refusal(const std::optional<HttpResponse>& refusal, const char* what) {
  if (!refusal) fail(what);
  reckon::fuzz::check_response(*refusal, what);
  if (refusal->status < 400) fail("a refusal with a success status");
}

// The validators the engine runs on a POST, called directly.
void run_validators(const HttpRequest& request) {
  namespace engine = reckon::engine;
  if (auto pan = engine::refuse_card_number_in_target(request)) {
    reckon::fuzz::check_response(*pan, "card number in target");
  }
  const auto bearer = engine::bearer_key(request);
  const auto keys = engine::default_api_keys();
  const auto merchant = engine::authenticate(request, keys);
  if (merchant.has_value() != (bearer.has_value() && keys.count(std::string(*bearer)) != 0)) {
    fail("authenticate disagrees with bearer_key and the key table");
  }
  reckon::fuzz::check_response(engine::unauthorized_response(), "unauthorized");

  std::optional<HttpResponse> refusal;
  if (const auto key = engine::idempotency_key_of(request.header("idempotency-key"), refusal)) {
    if (key->empty() || key->size() > 255) fail("an Idempotency-Key outside 1..255 accepted");
    for (char c : *key) {
      if (c < 0x21 || c > 0x7e) fail("an Idempotency-Key with invisible characters accepted");
    }
  } else {
    check_refusal(refusal, "idempotency key refusal");
  }

  refusal.reset();
  const auto body = engine::parse_json_object(request.body.empty() ? "{}" : request.body, refusal);
  if (!body) {
    check_refusal(refusal, "body refusal");
    return;
  }
  if (!body->is_object()) fail("parse_json_object returned a non-object");
  if (auto pan = engine::refuse_card_numbers(*body)) {
    reckon::fuzz::check_response(*pan, "card number in body");
  }
  if (auto unknown =
          engine::refuse_unknown_fields(*body, {"amount", "currency", "source", "capture"})) {
    reckon::fuzz::check_response(*unknown, "unknown field");
  }
  for (bool required : {true, false}) {
    refusal.reset();
    const auto amount = engine::amount_field(*body, "amount", required, refusal);
    if (amount) {
      if (*amount <= 0) fail("amount_field accepted an amount that is not positive");
    } else if (refusal) {
      reckon::fuzz::check_response(*refusal, "amount refusal");
    } else if (required) {
      fail("a required amount missing without a refusal");
    }
  }
  const std::string f1 = engine::request_fingerprint(request, *body);
  const std::string f2 = engine::request_fingerprint(request, *body);
  if (f1 != f2 || f1.empty()) fail("request_fingerprint is not a stable, non-empty value");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  reckon::fuzz::EngineWorld& world = reckon::fuzz::EngineWorld::fresh();
  std::string_view in(reinterpret_cast<const char*>(data), size);
  HttpRequest request;
  request.method = take_line(in);
  request.target = world.expand(take_line(in));
  std::vector<std::pair<std::string, std::string>> fields;
  while (!in.empty() && fields.size() < 16) {
    const std::string line = take_line(in);
    if (line.empty()) break;
    const size_t colon = line.find(':');
    if (colon == std::string::npos) {
      fields.emplace_back(line, "");
    } else {
      fields.emplace_back(line.substr(0, colon), world.expand(trim(line.substr(colon + 1))));
    }
  }
  request.body = world.expand(std::string(in));

  (void)reckon::live::loggable_path(request.target);
  if (const auto refused = reckon::live::refuse_header_block(fields)) {
    if (refused->status < 400 || refused->code.empty() || refused->message.empty()) {
      fail("a header-block refusal without a status, code and message");
    }
    return 0;  // the live server answers it and closes; the engine never sees the request
  }
  for (const auto& [name, value] : fields) request.headers[lower(name)] = value;

  run_validators(request);

  for (int attempt = 0; attempt < 2; ++attempt) {
    const auto response = world.send(request);
    if (!response) fail("the engine never answered the request");
    reckon::fuzz::check_response(*response, "engine response");
    const std::string undocumented = reckon::sim::undocumented_answer(request, *response);
    if (!undocumented.empty()) fail(("answer-documented: " + undocumented).c_str());
  }
  return 0;
}
