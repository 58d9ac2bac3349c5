#!/usr/bin/env bash
# A team's project finds Reckon in a build tree (find_package(Reckon)), builds its C++
# adapter on the SDK and runs the conformance check through reckon_add_adapter_test.
# Usage: adapter_package_test.sh RECKON_BUILD_DIR EXAMPLE_SOURCE_DIR
set -euo pipefail
reckon_build="$1"
example="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cmake -S "$example" -B "$work" -G Ninja -DReckon_DIR="$reckon_build" >/dev/null
cmake --build "$work" -j 1 >/dev/null
ctest --test-dir "$work" --output-on-failure
test -s "$work/example_cpp_adapter.conformance.junit.xml"
echo "adapter_package_test: ok"
