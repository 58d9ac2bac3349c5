// audit-log-complete (docs/api.md, "Audit log"), judged after quiescence with the checkers'
// own SQL: every operation the engine admitted has exactly one audit row, written with it,
// naming the operation's merchant, charge, kind and the client's Idempotency-Key; the actor
// is `engine` for the engine's own operations (no client key) and otherwise an API key's id,
// `key_` and 12 lowercase hex digits, never the key itself; each merchant in the simulated
// world has one API key, so all of a merchant's client operations name one actor. Refusals
// and replays add nothing: no audit row without its operation.
#include <map>

#include "sim/properties.h"

namespace reckon::sim {
namespace {

bool is_key_id(const std::string& actor) {
  if (actor.size() != 16 || !actor.starts_with("key_")) return false;
  for (char c : actor.substr(4)) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

void PropertyChecker::check_audit_log(sqlite3* store, TimeUs now_us) {
  attach(store);
  auto& orphans = store_.prepare(
      "SELECT COUNT(*), MIN(a.operation_id) FROM audit_log a "
      "WHERE NOT EXISTS (SELECT 1 FROM operations o WHERE o.id = a.operation_id)");
  orphans.step();
  const int64_t orphan_count = orphans.column_int(0);
  const std::string orphan = orphan_count > 0 ? orphans.column_text(1) : "";
  orphans.reset();
  if (orphan_count > 0) {
    return fail(kAuditLogComplete, "",
                std::to_string(orphan_count) + " audit row(s) name no operation, e.g. " + orphan +
                    ": a refusal or a replay was audited",
                now_us);
  }
  auto& st = store_.prepare(
      "SELECT o.id, o.kind, o.charge_id, c.merchant, o.idem_key, COUNT(a.id), MIN(a.action), "
      "MIN(a.charge_id), MIN(a.merchant), MIN(a.idempotency_key), MIN(a.actor), "
      "MAX(a.actor) FROM operations o JOIN charges c ON c.id = o.charge_id "
      "LEFT JOIN audit_log a ON a.operation_id = o.id GROUP BY o.id ORDER BY o.rowid");
  std::map<std::string, std::string> actor_of_merchant;
  std::string problem;
  std::string charge;
  while (problem.empty() && st.step() == SQLITE_ROW) {
    const std::string op = st.column_text(0);
    const std::string kind = st.column_text(1);
    charge = st.column_text(2);
    const std::string merchant = st.column_text(3);
    const std::string key = st.column_text(4);
    const int64_t rows = st.column_int(5);
    const std::string actor = st.column_text(10);
    if (rows != 1) {
      problem = kind + " operation " + op + " has " + std::to_string(rows) + " audit rows, not 1";
    } else if (st.column_text(6) != kind || st.column_text(7) != charge ||
               st.column_text(8) != merchant || st.column_text(9) != key) {
      problem = "the audit row of " + kind + " operation " + op + " says " + st.column_text(6) +
                " of " + st.column_text(7) + " for " + st.column_text(8) + " under key '" +
                st.column_text(9) + "'; the operation is " + kind + " of " + charge + " for " +
                merchant + " under key '" + key + "'";
    } else if (key.empty() ? actor != "engine" : !is_key_id(actor)) {
      problem = "the audit row of " + kind + " operation " + op + " names actor '" + actor +
                "', not " + (key.empty() ? "engine" : "an API key id key_<12 hex>");
    } else if (!key.empty()) {
      auto [known, inserted] = actor_of_merchant.try_emplace(merchant, actor);
      if (!inserted && known->second != actor) {
        problem = merchant + "'s one API key is audited as both " + known->second + " and " + actor;
      }
    }
  }
  st.reset();
  if (!problem.empty()) fail(kAuditLogComplete, charge, problem, now_us);
}

}  // namespace reckon::sim
