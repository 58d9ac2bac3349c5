#!/usr/bin/env bash
# Installs every build and test dependency of Reckon from Debian's archive.
# Idempotent: safe to run on a machine that already has some of them.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config clang-format
  libsqlite3-dev sqlite3
  libxxhash-dev
  libboost-dev libboost-system-dev
  librapidcheck-dev
  libgtest-dev libgmock-dev googletest
  libbenchmark-dev
  nlohmann-json3-dev
  # xmllint: the tests validate reckon's JUnit XML against tests/data/junit.xsd
  libxml2-utils
  # headless browser: tests/reports/html_render_test.cpp renders the HTML report and reads the page
  chromium
  libcli11-dev
  libtomlplusplus-dev
  # the live-mode tests (tests/live/*.sh) talk HTTP to reckon serve with curl
  curl
  # reckon serve --tls-cert/--tls-key (live/ only); the openssl CLI makes the test's
  # throwaway certificates
  libssl-dev openssl
  # reckon adapter-check's example adapters and test fixtures (stdlib only)
  python3
)

# ci/sanitize.sh and ci/fuzz.sh (documented jobs, not .ci/run): `install-deps.sh --clang`
# adds Debian's clang-14 with its sanitizer and libFuzzer runtimes.
if [ "${1:-}" = "--clang" ]; then
  packages+=(clang-14 libclang-rt-14-dev)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
