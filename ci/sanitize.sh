#!/usr/bin/env bash
# The whole test suite under AddressSanitizer + UndefinedBehaviorSanitizer, built by Debian's
# clang-14 into ./build-asan (any UB aborts: -fno-sanitize-recover). The same build holds the
# libFuzzer targets (ci/fuzz.sh). docs/ci.md says when this runs.
#
# usage: ci/sanitize.sh [build-only]
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${RECKON_ASAN_BUILD_DIR:-build-asan}"
CC=clang-14 CXX=clang++-14 cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DRECKON_WERROR=ON -DRECKON_SANITIZE=address,undefined -DRECKON_FUZZ=ON \
  -DRECKON_BUILD_BENCH=OFF >/dev/null
cmake --build "$build_dir" -j "${RECKON_JOBS:-$(nproc)}"
[ "${1:-}" = build-only ] && exit 0
# detect_leaks: the suite forks reckon children that exit without freeing; LSan would report
# process-lifetime allocations, not defects. halt_on_error: the first finding fails the test.
export ASAN_OPTIONS="detect_leaks=0:halt_on_error=1:abort_on_error=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
ctest --test-dir "$build_dir" -j "${RECKON_JOBS:-$(nproc)}" --timeout 1800 --output-on-failure
