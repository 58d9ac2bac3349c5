// legitimate-request-honoured, judged at the engine as it answers: docs/api.md ("Capture, void
// or refund on an unresolved charge") has a capture, void or refund of a charge whose
// authorization is pending or unknown resolve it first, and refuse with 409
// `charge_unresolved` only if it stays unresolved. So a 409 `charge_not_capturable`,
// `charge_not_voidable` or `charge_not_refundable` may only be given for a charge the store
// holds resolved at that moment: given for a pending or unknown charge, it turns away a request
// the engine owed an answer about the charge's real outcome (say, a refund of a charge the
// PSP did capture). The store is read as the answer leaves the engine, before any later
// commit (the recovery job's, say) can resolve the charge.
// And a 409 `charge_unresolved` comes only after the engine asked: whatever attempt was in
// flight ended (step 1), and then the engine's own lookup did, or another drive it waited on
// (step 2). So some PSP call under the authorization's key was sent after the request arrived
// and ended (answered or timed out) before the answer. A refusal with none turned the request
// away without asking, or gave up on an attempt that was already on its way when it came.
#include "sim/error_body.h"
#include "sim/properties.h"

namespace reckon::sim {
namespace {

constexpr const char* kChargesPrefix = "/v1/charges/";

// "/v1/charges/{id}/{action}" -> id, when action is capture, void or refund; else "".
std::string settled_charge_id(const engine::HttpRequest& request) {
  if (request.method != "POST" || !request.target.starts_with(kChargesPrefix)) return "";
  const std::string rest = request.target.substr(std::string(kChargesPrefix).size());
  const size_t slash = rest.find('/');
  if (slash == std::string::npos || slash == 0) return "";
  const std::string action = rest.substr(slash + 1);
  if (action != "capture" && action != "void" && action != "refund") return "";
  return rest.substr(0, slash);
}

bool names_a_settled_state(const std::string& code) {
  return code == "charge_not_capturable" || code == "charge_not_voidable" ||
         code == "charge_not_refundable";
}

}  // namespace

void PropertyChecker::check_refusal(
    sqlite3* store, const engine::HttpRequest& request, const engine::HttpResponse& response,
    TimeUs received_us,
    const std::function<AuthorizationCalls(const std::string&)>& authorization_calls,
    TimeUs now_us) {
  if (response.status != 409) return;
  const std::string charge_id = settled_charge_id(request);
  if (charge_id.empty()) return;
  const std::string code = error_code_of(response.body);
  if (code == "charge_unresolved") {
    // The authorization's calls are found by the card token its creation carried, in the
    // world's own records (the engine's operations table would judge the engine by itself).
    const AuthorizationCalls calls = authorization_calls(charge_id);
    if (calls.keys.empty()) return;
    if (calls.last_ended && calls.last_ended->sent_us >= received_us) return;
    std::string keys;
    for (const std::string& key : calls.keys) keys += (keys.empty() ? "" : ", ") + key;
    return fail(kLegitimateRequestHonoured, charge_id,
                request.method + " " + request.target +
                    " was refused 409 charge_unresolved with no PSP call under the "
                    "authorization's key (" +
                    keys + ") sent and ended since it arrived at " + std::to_string(received_us) +
                    "us: docs/api.md waits for the attempt in flight, then asks the PSP once",
                now_us);
  }
  if (!names_a_settled_state(code)) return;
  attach(store);
  auto& st = store_.prepare("SELECT status FROM charges WHERE id = ?1");
  st.bind(1, charge_id);
  const std::string status = st.step() == SQLITE_ROW ? st.column_text(0) : "";
  st.reset();
  if (status != "pending" && status != "unknown") return;
  fail(kLegitimateRequestHonoured, charge_id,
       request.method + " " + request.target + " was refused 409 " + code +
           " while the charge was " + status +
           ": docs/api.md resolves an unresolved charge first (409 charge_unresolved "
           "only if it stays so)",
       now_us);
}

}  // namespace reckon::sim
