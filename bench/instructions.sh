#!/usr/bin/env bash
# Instructions per simulated payment: callgrind counts the instructions of a fixed sweep, a
# figure any machine reproduces (wall time on a shared machine does not). Prints the total,
# the payments the sweep ran, and their ratio. docs/performance.md records the history.
#
#   bench/instructions.sh                      # default scenario, seeds 1..20
#   bench/instructions.sh --seeds 1..5 --scenario swarm
#
# Extra arguments go to `reckon sweep`. RECKON_BIN names the binary (default build/reckon);
# RECKON_CALLGRIND_OUT keeps the profile for callgrind_annotate.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${RECKON_BIN:-build/reckon}"
command -v valgrind >/dev/null || { echo "bench/instructions.sh: valgrind is not installed" >&2; exit 2; }
[[ -x "$bin" ]] || { echo "bench/instructions.sh: no binary at $bin (run ci/build.sh)" >&2; exit 2; }
args=("$@")
[[ ${#args[@]} -gt 0 ]] || args=(--seeds 1..20)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
out="${RECKON_CALLGRIND_OUT:-$work/callgrind.out}"
valgrind --tool=callgrind --callgrind-out-file="$out" "$bin" sweep --jobs 1 --report "$work/report.json" \
  "${args[@]}" >"$work/summary.txt" 2>"$work/valgrind.txt" || {
  echo "bench/instructions.sh: the sweep failed" >&2
  cat "$work/summary.txt" "$work/valgrind.txt" >&2
  exit 1
}
instructions="$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$work/valgrind.txt")"
read -r payments virtual_ms < <(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(d["payments"], sum(r["stats"]["virtual_duration_us"] for r in d["runs"]) // 1000)' "$work/report.json")
python3 - "$instructions" "$payments" "$virtual_ms" "${args[*]}" <<'PY'
import sys
instructions, payments, virtual_ms, args = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
print(f"sweep                    reckon sweep --jobs 1 {args}")
print(f"instructions             {instructions:,}")
print(f"simulated payments       {payments:,}")
print(f"instructions per payment {instructions // max(payments, 1):,}")
print(f"virtual seconds          {virtual_ms / 1000:,.1f}")
print(f"instructions per virtual second {instructions * 1000 // max(virtual_ms, 1):,}")
PY
