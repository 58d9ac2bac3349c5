#pragma once
// The tampers ledger-verify-sound writes into a final ledger: each one docs/ledger.md ("The
// hash chain", "reckon ledger verify") says `reckon ledger verify` detects, as SQL over the
// engine's tables, with what the verdict must name. Written from docs/ledger.md alone; the
// engine's verifier is what they judge (sim/ledger_verifier_check.h).

#include <sqlite3.h>

#include <cstdint>
#include <string>

#include "sim/prng.h"

namespace reckon::sim {

struct Tamper {
  std::string what;  // in words, for the failure message
  std::string sql;   // run with the append-only triggers dropped; its last statement's
                     // changed rows tell whether it applied (0: nothing to see)
  // A rewriting tamper then recomputes every hash and the anchor, as docs/ledger.md says a
  // forger can: the chain no longer sees it, and only the balance checks are left to.
  bool rewrite_chain = false;
  // What the verdict must name (docs/ledger.md: "naming the first problem"), when not "":
  // an entry edited in place is where the chain first breaks; an anchor that disagrees with
  // the file is `ledger_head`.
  std::string first_problem = "";
  std::string or_problem = "";  // another way the verdict may name it, when not ""
  // When not "": SQL run after the tamper whose one text value is what the verdict must
  // name, for a tamper whose subject the SQL itself chooses.
  std::string first_problem_sql = "";
};

// One tamper drawn from `stream` over a ledger whose entry and transaction ids span the
// given ranges (ids may have gaps: a tamper of a missing id changes nothing).
Tamper draw_tamper(PrngStream& stream, int64_t first_entry, int64_t last_entry, int64_t first_txn,
                   int64_t last_txn);

// Two single-currency transactions of two entries each, in currencies X and Y, made to mix
// them: A = {X +a, Y -a}, B = {Y +a, X -a}; A is the first such transaction at or after
// `txn` (else the first), B the first in another currency (before or after A). Every
// transaction and every currency still sums to zero: only "every transaction balances in
// one currency" sees it.
Tamper currency_swap_tamper(const std::string& txn);

// Recomputes every entry's hash with the checkers' own statement of the chain
// (oracle/ledger_chain_rule.h), and the anchor's head, as a forger who knows docs/ledger.md
// would. False on a SQLite error, which `error` then names.
bool rewrite_chain(sqlite3* store, std::string& error);

}  // namespace reckon::sim
