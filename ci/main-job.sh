#!/usr/bin/env bash
# Quick start, command one: installs the dependencies, builds, and runs the default sweep:
# every scenario in scenarios/fast/ over its seeds, on all cores. Prints a summary per
# scenario and writes reckon-report.json and reckon-junit.xml. Fails (exit 5) when the suite
# leaves a transition that ci/required-transitions.toml requires uncovered. Extra arguments
# go to `reckon sweep`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/install-deps.sh
bash ci/build.sh reckon  # only what the sweep runs: not the test suite
exec "${RECKON_BUILD_DIR:-build}/reckon" sweep --suite fast --jobs "$(nproc)" \
  --report reckon-report.json --junit reckon-junit.xml \
  --require-coverage ci/required-transitions.toml "$@"
