#!/usr/bin/env bash
# Configures and builds Reckon into ./build (or $RECKON_BUILD_DIR) with warnings as errors.
# Arguments name the targets to build (e.g. `ci/build.sh reckon`); none builds everything.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${RECKON_BUILD_DIR:-build}"
jobs="${RECKON_JOBS:-$(nproc)}"
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRECKON_WERROR=ON >/dev/null
targets=()
for target in "$@"; do targets+=(--target "$target"); done
cmake --build "$build_dir" -j "$jobs" "${targets[@]}"
