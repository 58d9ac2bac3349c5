#!/usr/bin/env bash
# A team's project finds Reckon in a build tree (find_package(Reckon)), builds its C++
# adapter on the SDK and runs the conformance check through reckon_add_adapter_test.
# Usage: adapter_package_test.sh RECKON_BUILD_DIR EXAMPLE_SOURCE_DIR
set -euo pipefail
reckon_build="$1"
example="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# From the build tree.
cmake -S "$example" -B "$work/from-build" -G Ninja -DReckon_DIR="$reckon_build" >/dev/null
cmake --build "$work/from-build" -j 1 >/dev/null
ctest --test-dir "$work/from-build" --output-on-failure
test -s "$work/from-build/example_cpp_adapter.conformance.junit.xml"
# From an installed prefix, found through CMAKE_PREFIX_PATH, with the build tree moved out
# of sight (Reckon_DIR unset): the installed config must point into the prefix only.
cmake --install "$reckon_build" --prefix "$work/prefix" >/dev/null
grep -rq "$reckon_build" "$work/prefix" --include=ReckonConfig.cmake &&
  { echo "the installed config points into the build tree" >&2; exit 1; }
cmake -S "$example" -B "$work/from-install" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/from-install" -j 1 >/dev/null
ctest --test-dir "$work/from-install" --output-on-failure
test -s "$work/from-install/example_cpp_adapter.conformance.junit.xml"
echo "adapter_package_test: ok"
