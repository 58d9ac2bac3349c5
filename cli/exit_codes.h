#pragma once
// The reckon command's exit codes: a contract with CI scripts. Never renumber.

namespace reckon::cli {

inline constexpr int kExitPassed = 0;            // every property held
inline constexpr int kExitPropertyFailed = 1;    // a property failed on some seed
inline constexpr int kExitBadInput = 2;          // bad arguments or input files
inline constexpr int kExitNondeterministic = 3;  // a seed gave two different trace hashes

}  // namespace reckon::cli
