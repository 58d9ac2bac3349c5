// A correct PSP adapter in C++ on Reckon's adapter SDK (sdk/include/reckon/adapter.h), for
// the simulated provider's dialect (docs/psp-dialect.md). The same translation as
// examples/adapters/python/adapter.py: keys kept on every retry, every non-answer 'unknown',
// definitive answers never retried, settlement amounts converted with ISO 4217 exponents.
#include <reckon/adapter.h>

#include <cstdio>
#include <set>
#include <sstream>

namespace {

using namespace reckon::adapter_sdk;

constexpr int kAttempts = 3;
constexpr int kKeyLengthMax = 128;
constexpr int64_t kLookupLagMs = 300;
constexpr int64_t kInProgressPauseMs = 500;

// Retry-After in delay-seconds (RFC 9110 section 10.2.3) as milliseconds, else `fallback`.
int64_t retry_after_ms(const HttpResponse& answer, int64_t fallback) {
  const auto it = answer.headers.find("Retry-After");
  if (it == answer.headers.end() || it->second.empty() || it->second.size() > 6 ||
      it->second.find_first_not_of("0123456789") != std::string::npos) {
    return fallback;
  }
  return std::stoll(it->second) * 1000;
}

const std::map<std::string, int> kExponents = {
    {"AUD", 2}, {"BHD", 3}, {"CAD", 2}, {"CHF", 2}, {"EUR", 2}, {"GBP", 2}, {"JOD", 3},
    {"JPY", 0}, {"KRW", 0}, {"KWD", 3}, {"NOK", 2}, {"OMR", 3}, {"SEK", 2}, {"USD", 2}};

// A stable stand-in for a long key. Production code would use a cryptographic hash; two
// independent 64-bit FNV-1a hashes keep the example dependency-free. Never truncate: two
// keys sharing a prefix would become one.
std::string hashed_key(const std::string& key) {
  uint64_t a = 14695981039346656037ULL;
  uint64_t b = 1099511628211ULL * 31;
  for (unsigned char c : key) {
    a = (a ^ c) * 1099511628211ULL;
    b = (b ^ c) * 1099511628211ULL + 7;
  }
  char out[40];
  std::snprintf(out, sizeof out, "h-%016llx%016llx", static_cast<unsigned long long>(a),
                static_cast<unsigned long long>(b));
  return out;
}

// docs/psp-dialect.md, "Replies": the outcome a definitive status carries ("" for none).
std::string outcome_of_status(int status) {
  switch (status) {
    case 200:
      return "succeeded";
    case 402:
      return "declined";
    case 400:
      return "failed";
    case 404:
      return "not_found";
    default:
      return "";
  }
}

// A definitive reply a caller may read: its outcome the one its status carries, every field
// there with its type, states and operations the dialect lists. Anything else may or may
// not have happened (ambiguous), like a 5xx.
bool readable(int status, const nlohmann::json& body) {
  if (!body.is_object()) return false;
  if ((status == 400 || status == 404) && body.size() == 1 && body.contains("error")) {
    return body["error"].is_object();  // a request the provider could not read
  }
  static const std::set<std::string> kStates = {"none",     "authorized", "captured",
                                                "declined", "voided",     "refunded"};
  static const std::set<std::string> kOperations = {"authorize", "capture", "void", "refund",
                                                    "lookup"};
  const auto text = [&](const char* field) {
    return body.contains(field) && body[field].is_string();
  };
  if (!text("outcome") || body["outcome"] != outcome_of_status(status)) return false;
  if (!text("authorization_id") || (status == 200 && body["authorization_id"] == "")) return false;
  if (!text("state") || kStates.count(body["state"].get<std::string>()) == 0) return false;
  if (!text("operation") || kOperations.count(body["operation"].get<std::string>()) == 0) {
    return false;
  }
  if (!text("detail")) return false;
  return body.contains("amount") && body["amount"].is_number_integer() &&
         body["amount"].get<int64_t>() >= 0;
}

// "12.345" with exponent 3 -> 12345, without floating point.
int64_t to_minor(const std::string& text, int exponent) {
  const bool negative = !text.empty() && text[0] == '-';
  const std::string digits = negative ? text.substr(1) : text;
  const size_t dot = digits.find('.');
  const std::string whole = digits.substr(0, dot);
  std::string frac = dot == std::string::npos ? "" : digits.substr(dot + 1);
  frac.resize(static_cast<size_t>(exponent), '0');
  int64_t scale = 1;
  for (int i = 0; i < exponent; ++i) scale *= 10;
  const int64_t value =
      std::stoll(whole.empty() ? "0" : whole) * scale + (frac.empty() ? 0 : std::stoll(frac));
  return negative ? -value : value;
}

class ExampleAdapter : public PspAdapter {
 public:
  std::string name() const override { return "example-cpp"; }
  Capabilities capabilities() const override {
    Capabilities c;
    c.key_length_max = kKeyLengthMax;
    c.lookup_lag_ms = kLookupLagMs;
    return c;
  }

  Result handle(const Operation& op, Transport& t) override {
    if (op.op == "authorize") {
      return finish(call(op, t, "POST", "/v1/authorizations",
                         {{"amount", op.amount_minor},
                          {"currency", op.currency},
                          {"card_token", op.card_token},
                          {"capture", op.capture}}));
    }
    const std::string charge = "/v1/authorizations/" + op.authorization_id;
    if (op.op == "capture") {
      return finish(call(op, t, "POST", charge + "/capture", {{"amount", op.amount_minor}}));
    }
    if (op.op == "void")
      return finish(call(op, t, "POST", charge + "/void", nlohmann::json::object()));
    if (op.op == "refund") {
      return finish(call(op, t, "POST", charge + "/refunds", {{"amount", op.amount_minor}}));
    }
    if (op.op == "lookup") return lookup(op, t);
    if (op.op == "settlement_report") return settlement(op, t);
    Result r;
    r.outcome = "not_sent";
    r.detail = "unknown operation " + op.op;
    return r;
  }

 private:
  // Retries on ambiguity with the same key; the answer, or nullopt (ambiguous).
  std::optional<HttpResponse> call(const Operation& op, Transport& t, const char* method,
                                   const std::string& path, const nlohmann::json& body) {
    HttpRequest request;
    request.method = method;
    request.path = path;
    const std::string& key =
        op.idempotency_key.empty() ? std::string("settlement") : op.idempotency_key;
    request.headers["PSP-Idempotency-Key"] =
        key.size() <= static_cast<size_t>(kKeyLengthMax) ? key : hashed_key(key);
    if (!body.is_null()) {
      request.headers["Content-Type"] = "application/json";
      request.body = body.dump();
    }
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
      const auto answer = t.send(request);
      if (!answer || answer->status >= 500) continue;
      // 409 (the key's first request in progress) and 429 (rate limited): nothing was done;
      // retried under the same key after Retry-After (seconds), else a short pause.
      if ((answer->status == 409 || answer->status == 429) && attempt + 1 < kAttempts) {
        t.wait_ms(retry_after_ms(*answer, kInProgressPauseMs));
        continue;
      }
      // An unreadable definitive reply is as ambiguous as a 5xx: retried under the same key.
      if (!outcome_of_status(answer->status).empty() && path.rfind("/v1/settlements/", 0) != 0 &&
          !readable(answer->status, nlohmann::json::parse(answer->body, nullptr, false))) {
        continue;
      }
      return answer;
    }
    return std::nullopt;
  }

  static Result finish(const std::optional<HttpResponse>& answer) {
    Result r;
    if (!answer) {
      r.detail = "no definitive answer";
      return r;  // unknown
    }
    const auto body = nlohmann::json::parse(answer->body, nullptr, false);
    if (!body.is_object()) return r;  // unreadable: unknown
    const std::string outcome = body.value("outcome", "");
    if (answer->status == 200 && outcome == "succeeded")
      r.outcome = "succeeded";
    else if (answer->status == 402)
      r.outcome = "declined";
    else if (answer->status == 400)
      r.outcome = "failed";
    else if (answer->status == 404)
      r.outcome = "not_found";
    r.authorization_id = body.value("authorization_id", "");
    r.state = body.value("state", "none");
    r.operation = body.value("operation", "");
    r.amount_minor = body.value("amount", int64_t{0});
    r.detail = body.value("detail", "");
    return r;
  }

  Result lookup(const Operation& op, Transport& t) {
    auto answer = call(op, t, "GET", "/v1/lookups", nullptr);
    if (answer && answer->status == 404) {
      t.wait_ms(kLookupLagMs);  // the provider's lookups lag behind its writes
      answer = call(op, t, "GET", "/v1/lookups", nullptr);
    }
    Result r = finish(answer);
    if (r.outcome != "not_found") return r;
    Result not_found;
    not_found.outcome = "not_found";
    return not_found;
  }

  Result settlement(const Operation& op, Transport& t) {
    const auto answer = call(op, t, "GET", "/v1/settlements/" + op.date, nullptr);
    Result r;
    if (!answer) return r;
    if (answer->status != 200) {
      r.outcome = "failed";
      return r;
    }
    std::istringstream csv(answer->body);
    std::string line;
    std::getline(csv, line);  // the header
    std::vector<SettlementLine> lines;
    while (std::getline(csv, line)) {
      if (line.empty()) continue;
      std::vector<std::string> f;
      std::istringstream cells(line);
      for (std::string cell; std::getline(cells, cell, ',');) f.push_back(cell);
      if (f.size() < 7) return r;  // unreadable: unknown
      const auto exponent = kExponents.find(f[6]);
      if (exponent == kExponents.end()) return r;  // a currency it cannot price: unknown
      lines.push_back({f[0], f[1], f[2], to_minor(f[3], exponent->second), f[6]});
    }
    r.outcome = "succeeded";
    r.lines = std::move(lines);
    return r;
  }
};

}  // namespace

int main() {
  ExampleAdapter adapter;
  return serve(adapter);
}
