#!/usr/bin/env bash
# The README's test command: builds, then runs the fast suite with ctest.
# Long sweeps are opt-in: RECKON_LONG_TESTS=1 ci/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${RECKON_BUILD_DIR:-build}"
bash ci/build.sh
ctest --test-dir "$build_dir" --output-on-failure -j "${RECKON_JOBS:-$(nproc)}" --timeout 600
