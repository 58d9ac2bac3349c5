#pragma once
// ledger-verify-sound: the engine's offline verifier (`reckon ledger verify`,
// engine/ledger_verify.h) judged at the end of a seed, once the independent ledger checks
// (ledger-balanced, ledger-zero-sum, ledger-hash-chain) found the final ledger sound:
//   1. on that ledger it reports ok, counting exactly the entries and transactions the
//      store holds, with the last entry's hash as the head, in docs/ledger.md's exit-0 line;
//   2. after one tamper docs/ledger.md ("The hash chain") says is detectable, drawn from the
//      seed's "ledger-tamper" stream (an entry's amount, account or transaction changed, an
//      entry deleted, a transaction row deleted, the tail or the anchor cut or edited, an
//      empty transaction added; or an entry's currency changed, a minor unit moved between
//      transactions, or two transactions made to mix two currencies, with every hash and
//      the anchor recomputed, which only the balance checks of docs/ledger.md's `reckon
//      ledger verify` can see; the append-only triggers dropped first; sim/ledger_tamper.h),
//      it reports the ledger bad, naming what docs/ledger.md says it names; and, on a copy
//      of every ledger holding two currencies, the same for two transactions made to mix
//      them (the tamper only one of the verifier's checks sees, so judged on every seed);
//   3. a path holding no database, and a database that is not the engine's, are bad input
//      (docs/ledger.md, exit 2), never a verified empty ledger.
// The tamper is written into the engine's final database: nothing reads it afterwards.
// This file hosts the engine's verifier (it calls engine/ code as the subject under test);
// what is right comes from the store's rows, read with its own SQL, and from docs/ledger.md.

#include <sqlite3.h>

#include <string>
#include <vector>

#include "engine/planted.h"
#include "sim/run_types.h"

namespace reckon::sim {

void check_ledger_verifier(sqlite3* store, const std::string& db_path, uint64_t seed,
                           const engine::PlantedDefects& planted, TimeUs now_us,
                           std::vector<Failure>& failures);

}  // namespace reckon::sim
