#include "sim/answer_documented.h"

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <utility>
#include <vector>

#include "sim/error_body.h"

namespace reckon::sim {
namespace {

// The routes of docs/api.md's "Routes" table, and the PSP's notice route of
// docs/psp-dialect.md; kNone is every other method and target ("no such route").
enum class Route { kCreate, kCapture, kVoid, kRefund, kRetrieve, kList, kPspNotice, kNone };

struct RouteReading {
  Route route = Route::kNone;
  std::string charge_id;  // the {id} of a charge route
  // The target is not written as docs/api.md writes its routes (an empty segment, a trailing
  // slash, no leading slash, a query on a route that takes none). The documents do not say
  // what such a target means, so it may be refused as no route, or taken as the route it
  // spells once the empty segments are dropped.
  bool unusual = false;
};

std::vector<std::string> split_path(const std::string& path, bool& empty_segment) {
  std::vector<std::string> out;
  size_t start = path.starts_with('/') ? 1 : 0;
  empty_segment = start == 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    if (slash == start) {
      empty_segment = true;
    } else {
      out.push_back(path.substr(start, slash - start));
    }
    start = slash + 1;
  }
  return out;
}

RouteReading read_route(const engine::HttpRequest& request) {
  const size_t query = request.target.find('?');
  const std::string path = request.target.substr(0, query);
  bool empty_segment = false;
  const std::vector<std::string> segments = split_path(path, empty_segment);
  RouteReading reading;
  reading.unusual = empty_segment || query != std::string::npos;
  // docs/psp-dialect.md's notice route, POST /v1/psp/webhooks; spelled otherwise (a query, an
  // empty segment) it may be taken as the notice route or as no merchant route.
  if (request.method == "POST" && segments == std::vector<std::string>{"v1", "psp", "webhooks"}) {
    reading.route = Route::kPspNotice;
    return reading;
  }
  reading.unusual = empty_segment;
  const bool charges = segments.size() >= 2 && segments[0] == "v1" && segments[1] == "charges";
  if (!charges) return reading;
  const bool post = request.method == "POST";
  const bool get = request.method == "GET";
  if (segments.size() == 2 && (post || get)) {
    reading.route = post ? Route::kCreate : Route::kList;
  } else if (segments.size() == 3 && get) {
    reading.route = Route::kRetrieve;
  } else if (segments.size() == 4 && post) {
    const std::string& action = segments[3];
    if (action == "capture") reading.route = Route::kCapture;
    if (action == "void") reading.route = Route::kVoid;
    if (action == "refund") reading.route = Route::kRefund;
  }
  if (segments.size() >= 3) reading.charge_id = segments[2];
  // Only the list reads a query (docs/api.md, "The list").
  if (query != std::string::npos && reading.route != Route::kList) reading.unusual = true;
  return reading;
}

using Answers = std::vector<std::pair<int, std::string>>;  // (status, code); "" for success

void add(Answers& to, int status, std::initializer_list<const char*> codes) {
  for (const char* code : codes) to.emplace_back(status, code);
}

// docs/api.md, "Idempotency": the refusals every POST may get, and the two 503s.
void add_post_common(Answers& to) {
  add(to, 400,
      {"idempotency_key_missing", "idempotency_key_invalid", "body_invalid_json", "body_not_object",
       "body_too_deep", "field_unknown", "header_repeated"});
  add(to, 413, {"body_too_large"});
  add(to, 422, {"idempotency_key_reused"});
  add(to, 409, {"request_in_progress"});
  add(to, 503, {"psp_outcome_unknown", "storage_unavailable"});
}

// docs/api.md, "Errors by route": what capture, void and refund share (200, the charge; 404
// for no such charge of this merchant; 409 while its authorization stays unresolved), and each
// one's own 409s, 400s and 402s.
void add_settlement(Answers& to, std::initializer_list<const char*> conflicts,
                    std::initializer_list<const char*> invalid,
                    std::initializer_list<const char*> declined) {
  add(to, 200, {""});
  add(to, 404, {"charge_not_found"});
  add(to, 409, {"charge_unresolved"});
  add(to, 409, conflicts);
  add(to, 400, invalid);
  add(to, 402, declined);
  add_post_common(to);
}

// docs/api.md, "Errors by route" (and "Routes" for the success statuses).
Answers documented_answers(Route route) {
  Answers out;
  if (route == Route::kPspNotice) {
    // docs/psp-dialect.md, "Webhooks": not a merchant route, no API key.
    add(out, 200, {""});
    add(out, 400, {"invalid_webhook"});
    add(out, 401, {"invalid_signature"});
    add(out, 404, {"route_not_found"});  // the engine has no PSP webhook secret
    add(out, 409, {"operation_in_flight"});
    add(out, 503, {"storage_unavailable"});
    return out;
  }
  // "Authentication": checked before anything but the target's card-number scan.
  add(out, 401, {"unauthorized"});
  add(out, 400, {"card_number_refused"});
  switch (route) {
    case Route::kCreate:
      add(out, 201, {""});
      add(out, 400,
          {"amount_missing", "amount_invalid", "currency_invalid", "source_invalid",
           "capture_invalid"});
      add(out, 402, {"payment_declined", "payment_failed"});
      add_post_common(out);
      break;
    case Route::kCapture:
      add_settlement(out, {"authorization_expired", "charge_not_capturable"},
                     {"amount_exceeds_authorization", "amount_invalid"},
                     {"capture_declined", "capture_failed"});
      break;
    case Route::kVoid:
      add_settlement(out, {"charge_not_voidable"}, {}, {"void_declined", "void_failed"});
      break;
    case Route::kRefund:
      add_settlement(out, {"charge_not_refundable"},
                     {"amount_exceeds_refundable", "amount_invalid"},
                     {"refund_declined", "refund_failed"});
      break;
    case Route::kRetrieve:
      add(out, 200, {""});
      add(out, 404, {"charge_not_found"});
      break;
    case Route::kList:
      add(out, 200, {""});
      add(out, 400, {"limit_invalid", "starting_after_invalid", "parameter_unknown"});
      break;
    case Route::kNone:
      add(out, 404, {"route_not_found"});  // "any | 404 | route_not_found | no such route"
      break;
    case Route::kPspNotice:
      break;
  }
  return out;
}

bool allows(const Answers& answers, int status, const std::string& code) {
  for (const auto& [s, c] : answers) {
    if (s == status && c == code) return true;
  }
  return false;
}

const char* route_name(Route route) {
  switch (route) {
    case Route::kCreate:
      return "create";
    case Route::kCapture:
      return "capture";
    case Route::kVoid:
      return "void";
    case Route::kRefund:
      return "refund";
    case Route::kRetrieve:
      return "retrieve";
    case Route::kList:
      return "list";
    case Route::kPspNotice:
      return "PSP notice";
    case Route::kNone:
      return "no such route";
  }
  return "?";
}

// docs/api.md: a 402 "also carries the charge" (docs/openapi.json: "the body carries the
// charge as it now is"); on a capture, void or refund it is the charge the path names.
std::string declined_without_charge(const RouteReading& reading, const std::string& body) {
  const auto json = nlohmann::json::parse(body, nullptr, false);
  const auto charge = json.is_object() ? json.find("charge") : json.end();
  if (!json.is_object() || charge == json.end() || !charge->is_object()) {
    return "a 402 without the charge";
  }
  const auto id = charge->find("id");
  if (id == charge->end() || !id->is_string()) return "a 402 whose charge has no id";
  const bool settles = reading.route == Route::kCapture || reading.route == Route::kVoid ||
                       reading.route == Route::kRefund;
  if (settles && id->get<std::string>() != reading.charge_id) {
    return "a 402 carrying charge " + id->get<std::string>() + ", not the path's " +
           reading.charge_id;
  }
  return "";
}

}  // namespace

std::string undocumented_answer(const engine::HttpRequest& request,
                                const engine::HttpResponse& response) {
  const RouteReading reading = read_route(request);
  Answers answers = documented_answers(reading.route);
  if (reading.unusual) {
    add(answers, 404, {"route_not_found"});
    add(answers, 400, {"parameter_unknown"});
    if (reading.route == Route::kPspNotice) {
      for (const auto& answer : documented_answers(Route::kNone)) answers.push_back(answer);
    }
  }
  // docs/api.md, "Idempotency": the common refusals apply "on every POST", and the document
  // does not say whether routing comes before them: a POST to no route may get them too.
  if (reading.route == Route::kNone && request.method == "POST") add_post_common(answers);
  const bool success = response.status >= 200 && response.status < 300;
  const std::string code = success ? "" : error_code_of(response.body);
  const std::string said = request.method + " " + request.target + " (" +
                           route_name(reading.route) + ") was answered " +
                           std::to_string(response.status);
  if (!success && code.empty()) {
    return said +
           " without an error code: docs/api.md gives every error as "
           "{\"error\": {\"code\", \"message\"}}";
  }
  if (!success && !error_has_message(response.body)) {
    return said + " " + code + " without a message: docs/api.md gives every error one";
  }
  if (!allows(answers, response.status, code)) {
    // The documented answers of the same class (2xx, 4xx, 5xx) say what was expected.
    std::string listed;
    for (const auto& [s, c] : answers) {
      if (s / 100 != response.status / 100) continue;
      listed += (listed.empty() ? "" : ", ") + std::to_string(s) + (c.empty() ? "" : " " + c);
    }
    const std::string klass = std::to_string(response.status / 100) + "xx";
    return said + (code.empty() ? "" : " " + code) +
           ", which the documentation does not give this route (its " + klass +
           " answers: " + (listed.empty() ? "none" : listed) + ")";
  }
  if (response.status == 402) {
    const std::string problem = declined_without_charge(reading, response.body);
    if (!problem.empty()) return said + " " + code + ": " + problem;
  }
  return "";
}

}  // namespace reckon::sim
