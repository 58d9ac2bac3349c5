#pragma once
// check-live's `ledger` row: a live run's database judged by the checkers' own statement of
// docs/ledger.md (oracle/ledger_rules.h: the chart of accounts, each transaction balanced in
// one currency, each currency summing to zero, the hash chain) and by the anchor rule (the
// `ledger_head` row records exactly the entries, transactions and head the file holds, and
// every transaction has entries). It never asks the engine's own verifier: a bug there must
// not also blind the check of a live run.

#include <string>

namespace reckon::cli {

struct LiveLedgerVerdict {
  bool bad_input = false;  // the file cannot be read as an engine database
  bool sound = false;
  // "ledger ok: T transactions, E entries, chain head H" when sound (the line `reckon ledger
  // verify` prints), else the first problem found, or why the file cannot be read.
  std::string message;
};

// Reads the database at `path` read-only, in one read transaction (a live server may still
// be committing).
LiveLedgerVerdict judge_live_ledger(const std::string& path);

}  // namespace reckon::cli
