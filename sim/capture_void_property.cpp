// capture-void-exclusive, the engine's side and the end-of-run side (the client's side, "never
// both answered 200", is judged where the answers arrive: sim/client_races.cpp).
//
// A capture and a void of one authorization exclude each other: whichever the engine admits
// first settles the authorization, and the other is refused (409) before it reaches the PSP.
// So at every step a charge has at most one capture or void operation that is under way or
// succeeded (pending, unknown, succeeded); a second may be admitted only after the first
// failed or was declined.
#include "sim/properties.h"

namespace reckon::sim {

void PropertyChecker::check_engine_settlements(TimeUs now_us) {
  // Operations never come back to life (failed and declined are final), so a second live
  // settlement can only appear as a new row: looking at the rows committed since the last
  // look, and counting their charge's live settlements, is enough.
  // Equalities rather than IN lists: SQLite builds a temporary b-tree for each IN list of
  // three or more constants every time the statement runs.
  // Every new row moves the mark, settlement or not, so no row is read twice; the count
  // is made (CASE evaluates lazily) only for captures and voids.
  auto& st = store_.prepare(
      "SELECT o.rowid, o.charge_id, CASE WHEN o.kind = 'capture' OR o.kind = 'void' THEN "
      "(SELECT COUNT(*) FROM operations s WHERE "
      "s.charge_id = o.charge_id AND (s.kind = 'capture' OR s.kind = 'void') AND "
      "(s.status = 'pending' OR s.status = 'unknown' OR s.status = 'succeeded')) ELSE 0 END "
      "FROM operations o WHERE o.rowid > ?1 ORDER BY o.rowid");
  st.bind(1, last_settlement_rowid_);
  std::string charge;
  while (st.step() == SQLITE_ROW) {
    last_settlement_rowid_ = st.column_int(0);
    if (st.column_int(2) <= 1) continue;
    charge = st.column_text(1);
    break;
  }
  st.reset();
  if (charge.empty()) return;
  auto& listing = store_.prepare(
      "SELECT group_concat(kind || ' ' || status, ', ') FROM operations WHERE charge_id = ?1 AND "
      "(kind = 'capture' OR kind = 'void')");
  listing.bind(1, charge);
  const std::string operations = listing.step() == SQLITE_ROW ? listing.column_text(0) : "";
  listing.reset();
  fail(kCaptureVoidExclusive, charge,
       "charge " + charge + " has " + operations +
           ": more than one capture or void under way or succeeded at once",
       now_us);
}

void PropertyChecker::check_race_outcomes(sqlite3* store, const std::vector<RaceOutcome>& races,
                                          TimeUs now_us) {
  attach(store);
  auto& st = store_.prepare("SELECT status FROM charges WHERE id = ?1");
  for (const auto& race : races) {
    st.bind(1, race.charge_id);
    const std::string status = st.step() == SQLITE_ROW ? st.column_text(0) : "missing";
    st.reset();
    // A won capture may be refunded afterwards; a void is final.
    const bool agrees =
        race.capture_won ? status == "captured" || status == "refunded" : status == "voided";
    if (agrees) continue;
    fail(kCaptureVoidExclusive, race.charge_id,
         "the " + std::string(race.capture_won ? "capture" : "void") + " of " + race.charge_id +
             " won its race (answered 200 at " + std::to_string(race.at_us) +
             "us), but the charge ends " + status,
         now_us);
    return;
  }
}

}  // namespace reckon::sim
