// GET /v1/charges: the merchant's charges in creation order, a page at a time.
//
//   limit           1..100 (default 10)
//   starting_after  a charge id of this merchant: the page starts after it (the cursor is
//                   the charge's (created_us, id), so it stays valid while charges are added)
#include <string>
#include <string_view>

#include "engine/charge_view.h"
#include "engine/engine.h"

namespace reckon::engine {
namespace {

constexpr int64_t kListLimitDefault = 10;
constexpr int64_t kListLimitMax = 100;

struct ListQuery {
  int64_t limit = kListLimitDefault;
  std::optional<std::string> starting_after;
};

std::optional<int64_t> parse_limit(std::string_view text) {
  if (text.empty() || text.size() > 3) return std::nullopt;
  int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (value < 1 || value > kListLimitMax) return std::nullopt;
  return value;
}

// Parses the query string; a refusal names the parameter and the problem.
std::optional<HttpResponse> parse_list_query(const std::string& target, ListQuery& q) {
  const size_t mark = target.find('?');
  if (mark == std::string::npos) return std::nullopt;
  std::string_view rest = std::string_view(target).substr(mark + 1);
  bool seen_limit = false;
  while (!rest.empty()) {
    const size_t amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    const std::string_view name = pair.substr(0, eq);
    const std::string_view value = eq == std::string_view::npos ? "" : pair.substr(eq + 1);
    if (name == "limit" && !seen_limit) {
      seen_limit = true;
      auto limit = parse_limit(value);
      if (!limit) {
        return error_response(
            400, "limit_invalid",
            "parameter 'limit' must be an integer from 1 to " + std::to_string(kListLimitMax));
      }
      q.limit = *limit;
    } else if (name == "starting_after" && !q.starting_after) {
      q.starting_after = std::string(value);
    } else {
      return error_response(400, "parameter_unknown",
                            "unknown or repeated query parameter '" + std::string(name) + "'");
    }
  }
  return std::nullopt;
}

}  // namespace

void PaymentEngine::list_charges(const HttpRequest& request, const std::string& merchant,
                                 Responder respond) {
  ListQuery q;
  if (auto refusal = parse_list_query(request.target, q)) return respond(*refusal);
  std::optional<ChargeRow> cursor;
  if (q.starting_after) {
    cursor = load_charge(*db_, *q.starting_after);
    // Another merchant's charge is refused exactly like a missing one: its existence is
    // not disclosed.
    if (!cursor || cursor->merchant != merchant) {
      return respond(error_response(400, "starting_after_invalid",
                                    "parameter 'starting_after' must be one of your charge ids"));
    }
  }
  auto page = list_charges_page(*db_, merchant, cursor, q.limit + 1);
  if (cursor && config_.planted.has(Defect::kListCursorInclusive)) {
    // GCOVR_EXCL_START: planted defect only (ci/coverage.sh)
    page.insert(page.begin(), *cursor);  // planted: (created_us, id) >= the cursor
    if (static_cast<int64_t>(page.size()) > q.limit + 1) page.pop_back();
    // GCOVR_EXCL_STOP
  }
  bool has_more = static_cast<int64_t>(page.size()) > q.limit;
  if (has_more) page.pop_back();
  if (config_.planted.has(Defect::kListHasMoreOnShortPage)) {
    // GCOVR_EXCL_START: planted defect only (ci/coverage.sh)
    has_more = has_more || !page.empty();  // planted: a short page promises more
    // GCOVR_EXCL_STOP
  }
  respond(HttpResponse{200, charge_list_json(page, has_more)});
}

}  // namespace reckon::engine
