// expired-keys-forgotten (docs/api.md, "Retention"), judged after quiescence with the
// checkers' own SQL: a completed key is remembered for 24 h from its first request, and the
// recovery job forgets expired keys in batches of 500 per pass. So once the engine has run a
// pass after a key's retention ended, the key is gone: a store that only grows is a slow
// outage (the key is also forgotten when it is reused, which the clients judge; this judges
// the ones never reused).
// An in-flight key is never forgotten, so only completed keys are judged.
#include "sim/properties.h"

namespace reckon::sim {

void PropertyChecker::check_expired_keys_forgotten(sqlite3* store, TimeUs created_before_us,
                                                   TimeUs now_us) {
  attach(store);
  auto& st = store_.prepare(
      "SELECT COUNT(*), SUM(created_us < ?1), MIN(created_us), "
      "(SELECT key FROM idempotency_keys WHERE state = 'done' ORDER BY created_us LIMIT 1) "
      "FROM idempotency_keys WHERE state = 'done'");
  st.bind(1, created_before_us);
  if (st.step() != SQLITE_ROW) return;
  const int64_t completed = st.column_int(0);
  const int64_t stale = st.column_int(1);
  const int64_t oldest_us = st.column_int(2);
  const std::string oldest_key = st.column_text(3);
  st.reset();
  // One pass forgets at most 500: with more completed keys than that, the rest may be due
  // to the next pass, and the rule cannot be judged from one look.
  constexpr int64_t kPurgeBatch = 500;
  if (stale == 0 || completed > kPurgeBatch) return;
  fail(kExpiredKeysForgotten, "",
       std::to_string(stale) + " completed idempotency key(s) first requested before t=" +
           std::to_string(created_before_us) +
           "us on the engine's clock are still stored, the oldest '" + oldest_key +
           "' from t=" + std::to_string(oldest_us) +
           "us: docs/api.md forgets a key 24 h after its first request, at the recovery job's "
           "next pass",
       now_us);
}

}  // namespace reckon::sim
