#!/usr/bin/env bash
# Runs a libFuzzer target (tests/fuzz/<target>_fuzz.cpp) for a while, from its committed seed
# corpus, in the ASan+UBSan build that ci/sanitize.sh makes (./build-asan, clang-14,
# RECKON_FUZZ=ON). The committed corpus stays untouched: libFuzzer grows a scratch copy
# under build-asan/fuzz-corpus/TARGET and writes what it finds (crash-*, leak-*, timeout-*,
# oom-*) to build-asan/fuzz-artifacts/TARGET/. Exits non-zero if any target found anything.
#
# usage: ci/fuzz.sh TARGET|all SECONDS
#   TARGET: scenario_toml decision_file merchants_toml settlement_csv http_request
#           adapter_protocol psp_webhook history_db
# env: RECKON_ASAN_BUILD_DIR (default build-asan), RECKON_JOBS (build parallelism)
set -euo pipefail
cd "$(dirname "$0")/.."

all_targets=(scenario_toml decision_file merchants_toml settlement_csv http_request
             adapter_protocol psp_webhook history_db)

usage() {
  echo "usage: ci/fuzz.sh TARGET|all SECONDS (targets: ${all_targets[*]})" >&2
  exit 2
}
[ $# -eq 2 ] || usage
target="$1"
seconds="$2"
[[ "$seconds" =~ ^[0-9]+$ ]] && [ "$seconds" -gt 0 ] || usage
if [ "$target" = all ]; then
  targets=("${all_targets[@]}")
else
  known=0
  for t in "${all_targets[@]}"; do [ "$t" = "$target" ] && known=1; done
  [ "$known" = 1 ] || usage
  targets=("$target")
fi

build_dir="${RECKON_ASAN_BUILD_DIR:-build-asan}"
if [ ! -f "$build_dir/build.ninja" ]; then
  bash ci/sanitize.sh build-only
fi
# UB aborts (the build uses -fno-sanitize-recover); leaks are findings here (unlike ctest's
# forked children, a fuzz target frees what it allocates).
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"

failed=()
summary=()
for t in "${targets[@]}"; do
  cmake --build "$build_dir" -j "${RECKON_JOBS:-1}" --target "fuzz_$t"
  seeds="tests/fuzz/corpus/$t"
  work="$build_dir/fuzz-corpus/$t"
  artifacts="$build_dir/fuzz-artifacts/$t"
  log="$build_dir/fuzz-artifacts/$t.log"
  mkdir -p "$work" "$artifacts"
  cp -n "$seeds"/* "$work"/ 2>/dev/null || true
  echo "== fuzz_$t for ${seconds}s (corpus $work, artifacts $artifacts/)"
  rc=0
  "$build_dir/tests/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$artifacts/" "$work" "$seeds" >"$log" 2>&1 || rc=$?
  execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)"
  line="fuzz_$t: rc=$rc executions=${execs:-?} corpus=$(find "$work" -type f | wc -l)"
  if [ "$rc" -ne 0 ]; then
    line+=" FOUND SOMETHING (log $log)"
    failed+=("$t")
    grep -E "(ERROR: |SUMMARY: |what\(\)|runtime error:|^fuzz[ :]|^reckon: |Test unit written)" \
      "$log" | head -n 20 >&2 || true
  fi
  echo "$line"
  summary+=("$line")
done

echo "== summary"
printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "libFuzzer found problems in: ${failed[*]}" >&2
  exit 1
fi
