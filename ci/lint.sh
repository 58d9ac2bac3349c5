#!/usr/bin/env bash
# Style gate: every C++ file is clang-formatted, and no engine file includes the simulator,
# faults, reports, live mode or Boost; no sim file includes reports or live mode; the checkers
# and the simulated world use engine/ only for wire types and ports
# (ci/check-oracle-independence.sh). `--tidy` also runs clang-tidy (slow).
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(git ls-files '*.cpp' '*.h')
if ! clang-format --dry-run --Werror $files; then
  echo "lint: run clang-format -i on the files above" >&2
  exit 1
fi
if grep -rEn '#include[[:space:]]*["<](sim|faults|reports|live|boost)/' engine; then
  echo "lint: engine/ must not include sim/, faults/, reports/, live/ or Boost (I/O stays at the edge)" >&2
  exit 1
fi
if grep -rEn '#include[[:space:]]*["<](sim|faults|reports)/' live; then
  echo "lint: live/ is the engine's edge: it must not include sim/, faults/ or reports/" >&2
  exit 1
fi
if grep -rEn '#include[[:space:]]*["<](live|boost)/' sim faults; then
  echo "lint: sim/ and faults/ must not include live/ or Boost I/O" >&2
  exit 1
fi
if grep -rEn '#include[[:space:]]*["<]reports/' sim faults; then
  echo "lint: sim/ and faults/ must not include reports/" >&2
  exit 1
fi
if grep -rEn '#include[[:space:]]*["<]adapters/' engine sim faults reports live; then
  echo "lint: adapters/ (process I/O of the adapter protocol) is used only by cli/" >&2
  exit 1
fi
bash ci/check-oracle-independence.sh
if [ "${1:-}" = "--tidy" ]; then
  clang-tidy -p "${RECKON_BUILD_DIR:-build}" --quiet $(git ls-files 'engine/*.cpp' 'sim/*.cpp' 'faults/*.cpp' 'reports/*.cpp' 'cli/*.cpp')
fi
echo "lint: ok"
