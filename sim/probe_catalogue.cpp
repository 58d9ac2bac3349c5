#include "sim/probe_catalogue.h"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "oracle/currencies.h"
#include "sim/card_numbers.h"

namespace reckon::sim {
namespace {

engine::HttpRequest post(const std::string& api_key, const std::string& key,
                         const std::string& target, const std::string& body) {
  engine::HttpRequest r;
  r.method = "POST";
  r.target = target;
  r.headers["authorization"] = "Bearer " + api_key;
  if (!key.empty()) r.headers["idempotency-key"] = key;
  r.headers["content-type"] = "application/json";
  r.body = body;
  return r;
}

engine::HttpRequest bodiless(const std::string& method, const std::string& api_key,
                             const std::string& target) {
  engine::HttpRequest r;
  r.method = method;
  r.target = target;
  r.headers["authorization"] = "Bearer " + api_key;
  return r;
}

engine::HttpRequest get(const std::string& api_key, const std::string& target) {
  return bodiless("GET", api_key, target);
}

// A create body with one field replaced (or removed, with an empty replacement).
std::string create_body(const ProbeContext& c, const std::string& field,
                        const std::string& json_value, int64_t amount_minor = kProbeAmountMinor) {
  std::vector<std::pair<std::string, std::string>> fields = {
      {"amount", std::to_string(amount_minor)},
      {"currency", "\"" + c.currency + "\""},
      {"source", "\"" + c.token + "\""},
      {"capture", "false"}};
  std::string body = "{";
  bool replaced = false;
  for (auto& [name, value] : fields) {
    if (name == field) {
      replaced = true;
      if (json_value.empty()) continue;
      value = json_value;
    }
    body += (body.size() > 1 ? "," : "") + ("\"" + name + "\":") + value;
  }
  if (!replaced) body += ",\"" + field + "\":" + json_value;
  return body + "}";
}

struct Case {
  const char* name;
  bool needs_charge;
  std::function<ProbeRequest(const ProbeContext&)> make;
  bool needs_psp_notices_off = false;
};

// A list of the caller's own charges with one bad query: refused 400 with `code`.
// `c` as it is written inside a JSON string (the token's bad characters are visible ASCII).
std::string json_char(char c) {
  return c == '\\' ? std::string("\\\\") : std::string(1, c);
}

Case bad_list_query(const char* name, const char* query, const char* code) {
  return {name, false, [=](const ProbeContext& c) {
            return ProbeRequest{name, get(c.own_api_key, std::string("/v1/charges?") + query), 400,
                                code, false};
          }};
}

// A request to a route docs/api.md does not list: 404 route_not_found, whatever it carries.
// `target` may name the probing merchant's authorized charge as "{charge}".
Case no_such_route(const char* name, const char* method, const char* target) {
  const bool needs_charge = std::string_view(target).find("{charge}") != std::string_view::npos;
  return {name, needs_charge, [=](const ProbeContext& c) {
            std::string path = target;
            if (const size_t at = path.find("{charge}"); at != std::string::npos) {
              path.replace(at, std::string_view("{charge}").size(), c.authorized_charge);
            }
            engine::HttpRequest r = std::string_view(method) == "POST"
                                        ? post(c.own_api_key, c.key, path, "{}")
                                        : bodiless(method, c.own_api_key, path);
            return ProbeRequest{name, r, 404, "route_not_found", false};
          }};
}

// A create with one bad field: refused 400 with `code`, storing nothing.
// "[[{}],[{}],...]": `count` arrays side by side, three levels deep whatever the count.
std::string arrays_side_by_side(int count) {
  std::string out = "[";
  for (int i = 0; i < count; ++i) out += i ? ",[{}]" : "[{}]";
  return out + "]";
}

Case bad_create_field(const char* name, const char* field, std::string json_value,
                      const char* code) {
  return {name, false, [=](const ProbeContext& c) {
            return ProbeRequest{
                name, post(c.own_api_key, c.key, "/v1/charges", create_body(c, field, json_value)),
                400, code, true};
          }};
}

enum class CardWriting { kAsWritten, kInToken };

// A create whose `field` carries the probe's card number, as the merchant wrote it (plain or
// grouped by spaces or dashes) or glued into a token with underscores: refused 400
// card_number_refused, storing nothing.
Case card_number_create(const char* name, const char* field, CardWriting writing) {
  return {name, false, [=](const ProbeContext& c) {
            const std::string text = writing == CardWriting::kInToken
                                         ? "tok_" + grouped_card_number(c.card_number, '_')
                                         : grouped_card_number(c.card_number, c.card_separator);
            return ProbeRequest{name,
                                post(c.own_api_key, c.key, "/v1/charges",
                                     create_body(c, field, "\"" + text + "\"")),
                                400, "card_number_refused", true};
          }};
}

// A create whose field `note` holds the probe's card number deeper down: docs/api.md scans
// "any value or key, strings and integers, at any depth". `wrap` writes the JSON value
// around the number's text (plain digits where it is written as an integer).
Case card_number_nested(const char* name, std::string (*wrap)(const std::string& grouped,
                                                              const std::string& digits)) {
  return {name, false, [=](const ProbeContext& c) {
            return ProbeRequest{
                name,
                post(c.own_api_key, c.key, "/v1/charges",
                     create_body(c, "note",
                                 wrap(grouped_card_number(c.card_number, c.card_separator),
                                      c.card_number))),
                400, "card_number_refused", true};
          }};
}

// A create whose Idempotency-Key header is `spell(key)`: malformed, so refused 400
// idempotency_key_invalid, storing nothing.
Case quoted_key_create(const char* name, std::string (*spell)(const std::string& key)) {
  return {name, false, [=](const ProbeContext& c) {
            return ProbeRequest{name,
                                post(c.own_api_key, spell(c.key), "/v1/charges",
                                     create_body(c, "capture", "false")),
                                400, "idempotency_key_invalid", false};
          }};
}

const std::vector<Case>& catalogue() {
  static const std::vector<Case> cases = {
      // Fields of a create (docs/api.md, "Errors by route").
      bad_create_field("create-amount-missing", "amount", "", "amount_missing"),
      bad_create_field("create-amount-zero", "amount", "0", "amount_invalid"),
      bad_create_field("create-amount-negative", "amount", "-100", "amount_invalid"),
      bad_create_field("create-amount-fraction", "amount", "100.5", "amount_invalid"),
      bad_create_field("create-amount-string", "amount", "\"100\"", "amount_invalid"),
      bad_create_field("create-amount-past-int64", "amount", "9223372036854775808",
                       "amount_invalid"),
      {"create-amount-past-maximum", false,
       [](const ProbeContext& c) {
         // docs/api.md: under 10^9 major units of the currency; this is exactly 10^9.
         const int exponent = oracle::iso4217_minor_units(c.currency).value_or(2);
         const long long over = 1'000'000'000LL * oracle::minor_units_per_major(exponent);
         return ProbeRequest{"create-amount-past-maximum",
                             post(c.own_api_key, c.key, "/v1/charges",
                                  create_body(c, "amount", std::to_string(over))),
                             400, "amount_invalid", true};
       }},
      bad_create_field("create-currency-missing", "currency", "", "currency_invalid"),
      bad_create_field("create-currency-not-iso", "currency", "\"QQQ\"", "currency_invalid"),
      bad_create_field("create-currency-number", "currency", "840", "currency_invalid"),
      bad_create_field("create-currency-empty", "currency", "\"\"", "currency_invalid"),
      bad_create_field("create-source-missing", "source", "", "source_invalid"),
      bad_create_field("create-source-not-token", "source", "\"card_123\"", "source_invalid"),
      bad_create_field("create-source-number", "source", "4242", "source_invalid"),
      bad_create_field("create-source-object", "source", "{\"token\": \"tok_a\"}",
                       "source_invalid"),
      bad_create_field("create-source-token-empty", "source", "\"tok_\"", "source_invalid"),
      // Brackets inside a string are not nesting (docs/api.md counts the body's levels), and
      // an escaped quote does not end the string: the token's characters are the one rule
      // broken, not the depth.
      bad_create_field("create-source-brackets", "source", "\"tok_" + std::string(40, '[') + "\"",
                       "source_invalid"),
      bad_create_field("create-source-escaped-quote-brackets", "source",
                       "\"tok_\\\"" + std::string(40, '{') + "\"", "source_invalid"),
      {"create-source-token-too-long", false,
       [](const ProbeContext& c) {
         // docs/api.md: tok_ and 1 to 60 characters; this one has 61.
         const std::string token = "\"tok_" + std::string(61, 'a') + "\"";
         return ProbeRequest{
             "create-source-token-too-long",
             post(c.own_api_key, c.key, "/v1/charges", create_body(c, "source", token)), 400,
             "source_invalid", true};
       }},
      {"create-source-token-bad-first-character", false,
       [](const ProbeContext& c) {
         // The first character after tok_ is held to the alphabet like the rest.
         const std::string token = "\"tok_" + json_char(c.token_bad_char) + "abcd\"";
         return ProbeRequest{
             "create-source-token-bad-first-character",
             post(c.own_api_key, c.key, "/v1/charges", create_body(c, "source", token)), 400,
             "source_invalid", true};
       }},
      {"create-source-token-bad-character", false,
       [](const ProbeContext& c) {
         std::string name = "abcd";
         name.insert(c.token_bad_at, json_char(c.token_bad_char));
         const std::string token = "\"tok_" + name + "\"";
         return ProbeRequest{
             "create-source-token-bad-character",
             post(c.own_api_key, c.key, "/v1/charges", create_body(c, "source", token)), 400,
             "source_invalid", true};
       }},
      bad_create_field("create-capture-string", "capture", "\"true\"", "capture_invalid"),
      bad_create_field("create-field-unknown", "metadata", "{}", "field_unknown"),
      // Common refusals on every POST (docs/api.md, "Idempotency").
      // A card number of the probe's own (13 to 19 digits, written with or without spaces or
      // dashes) where a token belongs, in a field of its own, and glued into a token with
      // underscores (docs/api.md, "Card numbers").
      card_number_create("create-card-number", "source", CardWriting::kAsWritten),
      card_number_create("create-card-number-in-other-field", "note", CardWriting::kAsWritten),
      card_number_create("create-token-holding-card-number", "source", CardWriting::kInToken),
      card_number_nested("create-card-number-in-array",
                         [](const std::string& grouped, const std::string&) {
                           return "[\"order 7\", \"" + grouped + "\"]";
                         }),
      card_number_nested("create-card-number-nested",
                         [](const std::string& grouped, const std::string&) {
                           return "{\"customer\": {\"card\": \"" + grouped + "\"}}";
                         }),
      card_number_nested("create-card-number-as-key",
                         [](const std::string& grouped, const std::string&) {
                           return "{\"" + grouped + "\": true}";
                         }),
      card_number_nested("create-card-number-as-integer",
                         [](const std::string& grouped, const std::string& digits) {
                           // Past int64 a number is no integer the API reads (docs/api.md: amounts
                           // are int64); such a card number goes as a string.
                           const bool fits =
                               digits.size() < 19 || digits <= std::string("9223372036854775807");
                           return fits ? "[" + digits + "]" : "[\"" + grouped + "\"]";
                         }),
      {"get-card-number-in-path", false,
       [](const ProbeContext& c) {
         // The target is scanned first of all: a 404 would echo it.
         return ProbeRequest{"get-card-number-in-path",
                             get(c.own_api_key, "/v1/charges/" + c.card_number), 400,
                             "card_number_refused", false};
       }},
      {"create-body-not-json", false,
       [](const ProbeContext& c) {
         return ProbeRequest{"create-body-not-json",
                             post(c.own_api_key, c.key, "/v1/charges", "{\"amount\": 100,"), 400,
                             "body_invalid_json", true};
       }},
      {"create-body-array", false,
       [](const ProbeContext& c) {
         return ProbeRequest{"create-body-array",
                             post(c.own_api_key, c.key, "/v1/charges", "[100]"), 400,
                             "body_not_object", true};
       }},
      {"create-body-too-deep", false,
       [](const ProbeContext& c) {
         // 40 levels: past docs/api.md's 32, checked before the fields.
         const std::string deep = std::string(40, '[') + std::string(40, ']');
         return ProbeRequest{
             "create-body-too-deep",
             post(c.own_api_key, c.key, "/v1/charges", create_body(c, "metadata", deep)), 400,
             "body_too_deep", true};
       }},
      // The boundary itself: the object and 31 arrays are 32 levels, which docs/api.md
      // allows (the unknown field is then the one rule broken); one array more is too deep.
      bad_create_field("create-body-at-deepest-allowed", "metadata",
                       std::string(31, '[') + "1" + std::string(31, ']'), "field_unknown"),
      bad_create_field("create-body-one-level-too-deep", "metadata",
                       std::string(32, '[') + "1" + std::string(32, ']'), "body_too_deep"),
      // An escaped quote and an escaped backslash end no string early and leave none open:
      // the nesting after them still counts, one level too deep.
      bad_create_field(
          "create-body-too-deep-after-escapes", "metadata",
          "[\"q\\\"\", \"b\\\\\", " + std::string(31, '[') + "1" + std::string(31, ']') + "]",
          "body_too_deep"),
      // Depth is nesting, not the count of brackets: forty arrays side by side are three
      // levels (the object, the list, each array), so the unknown field is the rule broken.
      bad_create_field("create-body-wide-not-deep", "metadata", arrays_side_by_side(40),
                       "field_unknown"),
      {"create-body-too-large", false,
       [](const ProbeContext& c) {
         // Valid JSON padded with whitespace to one byte past docs/api.md's 64 KiB: the
         // smallest body the limit refuses (the follow-up sends the largest it allows).
         std::string body = create_body(c, "capture", "false");
         body.insert(1, std::string(kLargestBodyBytes + 1 - body.size(), ' '));
         return ProbeRequest{"create-body-too-large",
                             post(c.own_api_key, c.key, "/v1/charges", body), 413, "body_too_large",
                             true};
       }},
      // Authentication (checked before anything else).
      {"create-no-api-key", false,
       [](const ProbeContext& c) {
         auto r = post(c.own_api_key, c.key, "/v1/charges", create_body(c, "capture", "false"));
         r.headers.erase("authorization");
         return ProbeRequest{"create-no-api-key", r, 401, "unauthorized", true};
       }},
      {"create-basic-auth", false,
       [](const ProbeContext& c) {
         auto r = post(c.own_api_key, c.key, "/v1/charges", create_body(c, "capture", "false"));
         r.headers["authorization"] = "Basic " + c.own_api_key;
         return ProbeRequest{"create-basic-auth", r, 401, "unauthorized", true};
       }},
      {"create-bearer-without-space", false,
       [](const ProbeContext& c) {
         // docs/api.md: one or more spaces follow the scheme; "Bearersk_..." has none.
         auto r = post(c.own_api_key, c.key, "/v1/charges", create_body(c, "capture", "false"));
         r.headers["authorization"] = "Bearer" + c.own_api_key;
         return ProbeRequest{"create-bearer-without-space", r, 401, "unauthorized", true};
       }},
      {"create-bearer-misspelt", false,
       [](const ProbeContext& c) {
         // docs/api.md: the scheme is Bearer, in any case; one letter off is another scheme.
         std::string scheme = "Bearer";
         scheme[c.scheme_typo_at] = c.scheme_typo_letter;
         auto r = post(c.own_api_key, c.key, "/v1/charges", create_body(c, "capture", "false"));
         r.headers["authorization"] = scheme + " " + c.own_api_key;
         return ProbeRequest{"create-bearer-misspelt", r, 401, "unauthorized", true};
       }},
      {"create-bearer-no-key", false,
       [](const ProbeContext& c) {
         auto r = post(c.own_api_key, c.key, "/v1/charges", create_body(c, "capture", "false"));
         r.headers["authorization"] = "Bearer   ";
         return ProbeRequest{"create-bearer-no-key", r, 401, "unauthorized", true};
       }},
      {"create-unknown-api-key", false,
       [](const ProbeContext& c) {
         return ProbeRequest{
             "create-unknown-api-key",
             post(c.own_api_key + "x", c.key, "/v1/charges", create_body(c, "capture", "false")),
             401, "unauthorized", true};
       }},
      // The Idempotency-Key itself.
      {"create-key-missing", false,
       [](const ProbeContext& c) {
         return ProbeRequest{
             "create-key-missing",
             post(c.own_api_key, "", "/v1/charges", create_body(c, "capture", "false")), 400,
             "idempotency_key_missing", false};
       }},
      {"create-key-too-long", false,
       [](const ProbeContext& c) {
         // docs/api.md: at most 255 characters; this one is one more.
         std::string key = c.key + ".";
         while (key.size() < 256) key += 'k';
         return ProbeRequest{
             "create-key-too-long",
             post(c.own_api_key, key, "/v1/charges", create_body(c, "capture", "false")), 400,
             "idempotency_key_invalid", false};
       }},
      {"create-key-control-character", false,
       [](const ProbeContext& c) {
         return ProbeRequest{"create-key-control-character",
                             post(c.own_api_key, c.key + c.key_bad_char + "1", "/v1/charges",
                                  create_body(c, "capture", "false")),
                             400, "idempotency_key_invalid", false};
       }},
      // RFC 8941 sf-strings that are not well formed (docs/api.md: `\"` and `\\` are the
      // only escapes), and one that spells the empty key.
      quoted_key_create("create-key-bad-escape",
                        [](const std::string& key) { return "\"" + key + "\\n\""; }),
      quoted_key_create("create-key-unescaped-quote",
                        [](const std::string& key) { return "\"" + key + "\"x\""; }),
      quoted_key_create("create-key-quoted-empty",
                        [](const std::string&) { return std::string("\"\""); }),
      // The closing quote escaped: the string never ends (RFC 8941, 4.2.5).
      quoted_key_create("create-key-closing-quote-escaped",
                        [](const std::string& key) { return "\"" + key + "\\\""; }),
      // Routes and charges that are not there, or not the merchant's.
      {"post-route-unknown", false,
       [](const ProbeContext& c) {
         return ProbeRequest{
             "post-route-unknown",
             post(c.own_api_key, c.key, "/v1/charge", create_body(c, "capture", "false")), 404,
             "route_not_found", false};
       }},
      no_such_route("route-delete-charges", "DELETE", "/v1/charges"),
      no_such_route("route-put-charge", "PUT", "/v1/charges/{charge}"),
      no_such_route("route-post-charge", "POST", "/v1/charges/{charge}"),
      no_such_route("route-get-capture", "GET", "/v1/charges/{charge}/capture"),
      no_such_route("route-action-unknown", "POST", "/v1/charges/{charge}/cancel"),
      no_such_route("route-too-deep", "GET", "/v1/charges/{charge}/refund/1"),
      // The PSP's notice route takes POST only; any other method is a merchant's request
      // for a route docs/api.md does not list.
      no_such_route("route-get-psp-notices", "GET", "/v1/psp/webhooks"),
      // docs/api.md: POST /v1/psp/webhooks is 404 unless the engine has a PSP webhook
      // secret, whatever the notice carries: here a PSP's headers and a notice-shaped body.
      {"psp-notice-while-off", false,
       [](const ProbeContext&) {
         engine::HttpRequest r;
         r.method = "POST";
         r.target = "/v1/psp/webhooks";
         r.headers["content-type"] = "application/json";
         r.headers["psp-signature"] = "sha256=" + std::string(64, '0');
         r.body = R"({"id":"pspevt_1","idempotency_key":"op_1","outcome":"succeeded",)"
                  R"("authorization_id":"psp_1","state":"authorized","operation":"authorize",)"
                  R"("amount":100,"detail":""})";
         return ProbeRequest{"psp-notice-while-off", r, 404, "route_not_found", false};
       },
       true},
      no_such_route("route-version-unknown", "GET", "/v2/charges"),
      // Shorter than any route: what health checks, crawlers and a base URL pasted as is ask.
      no_such_route("route-root", "GET", "/"),
      no_such_route("route-version-only", "GET", "/v1"),
      no_such_route("route-post-version-only", "POST", "/v1"),
      {"capture-charge-missing", false,
       [](const ProbeContext& c) {
         return ProbeRequest{"capture-charge-missing",
                             post(c.own_api_key, c.key, "/v1/charges/ch_never_made/capture", "{}"),
                             404, "charge_not_found", false};
       }},
      {"get-charge-missing", false,
       [](const ProbeContext& c) {
         return ProbeRequest{"get-charge-missing", get(c.own_api_key, "/v1/charges/ch_never_made"),
                             404, "charge_not_found", false};
       }},
      {"get-charge-of-other-merchant", true,
       [](const ProbeContext& c) {
         return ProbeRequest{"get-charge-of-other-merchant",
                             get(c.other_api_key, "/v1/charges/" + c.authorized_charge), 404,
                             "charge_not_found", false};
       }},
      {"void-charge-of-other-merchant", true,
       [](const ProbeContext& c) {
         return ProbeRequest{
             "void-charge-of-other-merchant",
             post(c.other_api_key, c.key, "/v1/charges/" + c.authorized_charge + "/void", "{}"),
             404, "charge_not_found", false};
       }},
      // Operations on an authorized charge, one rule broken.
      {"capture-amount-zero", true,
       [](const ProbeContext& c) {
         return ProbeRequest{
             "capture-amount-zero",
             post(c.own_api_key, c.key, "/v1/charges/" + c.authorized_charge + "/capture",
                  "{\"amount\":0}"),
             400, "amount_invalid", false};
       }},
      {"capture-amount-string", true,
       [](const ProbeContext& c) {
         return ProbeRequest{
             "capture-amount-string",
             post(c.own_api_key, c.key, "/v1/charges/" + c.authorized_charge + "/capture",
                  "{\"amount\":\"50\"}"),
             400, "amount_invalid", false};
       }},
      {"void-field-unknown", true,
       [](const ProbeContext& c) {
         return ProbeRequest{"void-field-unknown",
                             post(c.own_api_key, c.key,
                                  "/v1/charges/" + c.authorized_charge + "/void", "{\"amount\":1}"),
                             400, "field_unknown", false};
       }},
      {"refund-of-authorized", true,
       [](const ProbeContext& c) {
         return ProbeRequest{
             "refund-of-authorized",
             post(c.own_api_key, c.key, "/v1/charges/" + c.authorized_charge + "/refund", "{}"),
             409, "charge_not_refundable", false};
       }},
      // The list's query (docs/api.md, "The list").
      bad_list_query("list-limit-zero", "limit=0", "limit_invalid"),
      bad_list_query("list-limit-past-100", "limit=101", "limit_invalid"),
      bad_list_query("list-limit-not-number", "limit=ten", "limit_invalid"),
      bad_list_query("list-limit-decimal", "limit=1.5", "limit_invalid"),
      bad_list_query("list-parameter-unknown", "status=captured", "parameter_unknown"),
      bad_list_query("list-limit-repeated", "limit=5&limit=5", "parameter_unknown"),
      bad_list_query("list-limit-four-digits", "limit=1000", "limit_invalid"),
      bad_list_query("list-limit-negative", "limit=-5", "limit_invalid"),
      bad_list_query("list-limit-empty", "limit=", "limit_invalid"),
      bad_list_query("list-limit-without-value", "limit", "limit_invalid"),
      {"list-cursor-repeated", true,
       [](const ProbeContext& c) {
         const std::string cursor = "starting_after=" + c.authorized_charge;
         return ProbeRequest{"list-cursor-repeated",
                             get(c.own_api_key, "/v1/charges?" + cursor + "&" + cursor), 400,
                             "parameter_unknown", false};
       }},
      bad_list_query("list-cursor-missing", "starting_after=ch_never_made",
                     "starting_after_invalid"),
      {"list-cursor-of-other-merchant", true,
       [](const ProbeContext& c) {
         return ProbeRequest{
             "list-cursor-of-other-merchant",
             get(c.other_api_key, "/v1/charges?starting_after=" + c.authorized_charge), 400,
             "starting_after_invalid", false};
       }},
  };
  return cases;
}

}  // namespace

int probe_count() {
  return static_cast<int>(catalogue().size());
}

std::optional<ProbeRequest> make_probe(int index, const ProbeContext& context) {
  const Case& c = catalogue().at(static_cast<size_t>(index));
  if (c.needs_charge && context.authorized_charge.empty()) return std::nullopt;
  if (c.needs_psp_notices_off && context.psp_notices_on) return std::nullopt;
  return c.make(context);
}

bool probe_needs_charge(int index) {
  return catalogue().at(static_cast<size_t>(index)).needs_charge;
}

engine::HttpRequest valid_create(const std::string& api_key, const std::string& key,
                                 const std::string& token, const std::string& currency,
                                 int64_t amount_minor) {
  ProbeContext c;
  c.token = token;
  c.currency = currency;
  return post(api_key, key, "/v1/charges", create_body(c, "capture", "false", amount_minor));
}

}  // namespace reckon::sim
