#pragma once
// audit-export-faithful: the engine's audit export (`reckon audit --db FILE [--merchant M]`,
// engine/audit.h) judged at the end of a seed against the audit_log rows read with the
// checkers' own SQL (docs/api.md, "Audit log"): it lists every row, oldest first, each field
// as stored; with a merchant, exactly that merchant's rows in the same order, and none for a
// merchant with no rows; a path holding no database is an error, not an empty log, and the
// reader leaves no file behind there.
// This file hosts the engine's reader (it calls engine/ code as the subject under test);
// what is right comes from the store's rows and from docs/api.md.

#include <sqlite3.h>

#include <string>
#include <vector>

#include "engine/planted.h"
#include "sim/run_types.h"

namespace reckon::sim {

void check_audit_reader(sqlite3* store, const std::string& db_path,
                        const engine::PlantedDefects& planted, TimeUs now_us,
                        std::vector<Failure>& failures);

}  // namespace reckon::sim
