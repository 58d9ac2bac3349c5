#pragma once
// The reckon command's exit codes: a contract with CI scripts. Never renumber.
// When several apply, the most serious wins: 3, then 1, then 4, then 5.

namespace reckon::cli {

inline constexpr int kExitPassed = 0;            // every property held
inline constexpr int kExitPropertyFailed = 1;    // a property failed on some seed
inline constexpr int kExitBadInput = 2;          // bad arguments or input files
inline constexpr int kExitNondeterministic = 3;  // a seed gave two different trace hashes
inline constexpr int kExitBudgetExhausted = 4;   // --budget ran out with seeds left unrun
// --require-coverage: a required transition (or transition x fault kind) never occurred.
inline constexpr int kExitCoverageGap = 5;
// reckon serve, EX_TEMPFAIL: a COMMIT failed and the database's state is uncertain
// (engine/store/db.h); nothing was answered from it, and a restart recovers.
inline constexpr int kExitUncertainCommit = 75;

}  // namespace reckon::cli
