#!/usr/bin/env bash
# Quick start, command one: installs the dependencies, builds, and runs the default sweep
# (seeds 1..100 of the default scenario with every fault of the slice on). Prints a summary
# and writes reckon-report.json. Extra arguments go to `reckon sweep`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/install-deps.sh
bash ci/build.sh
exec "${RECKON_BUILD_DIR:-build}/reckon" sweep --seeds 1..100 --report reckon-report.json "$@"
