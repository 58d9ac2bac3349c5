#!/usr/bin/env bash
# Style gate: every C++ file is clang-formatted, and no engine file includes the simulator,
# faults or reports; no sim file includes reports. `--tidy` also runs clang-tidy (slow).
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(git ls-files '*.cpp' '*.h')
if ! clang-format --dry-run --Werror $files; then
  echo "lint: run clang-format -i on the files above" >&2
  exit 1
fi
if grep -rEn '#include[[:space:]]*["<](sim|faults|reports)/' engine; then
  echo "lint: engine/ must not include sim/, faults/ or reports/" >&2
  exit 1
fi
if grep -rEn '#include[[:space:]]*["<]reports/' sim faults; then
  echo "lint: sim/ and faults/ must not include reports/" >&2
  exit 1
fi
if [ "${1:-}" = "--tidy" ]; then
  clang-tidy -p "${RECKON_BUILD_DIR:-build}" --quiet $(git ls-files 'engine/*.cpp' 'sim/*.cpp' 'faults/*.cpp' 'reports/*.cpp' 'cli/*.cpp')
fi
echo "lint: ok"
