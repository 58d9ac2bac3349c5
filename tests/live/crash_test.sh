#!/usr/bin/env bash
# The live crash test: psp-sim (misbehaving) and serve on localhost, concurrent clients that
# retry with their keys, and SIGKILLs of the server at random moments. After every restart:
# the ledger verifies, no card is charged twice, and every answer a client was given is in
# the database. At the end, after recovery had time to run: the engine agrees with the PSP
# and nothing is left pending or unknown.
#
# With PLANT (a defect from `reckon bugs`), the server runs with it planted and the test
# passes only if a check catches it.
#
# usage: crash_test.sh RECKON_BINARY [KILLS=3] [CHARGES=150] [SYNC=full|group] [SEED=1] [PLANT]
set -euo pipefail
reckon=${1:?usage: crash_test.sh RECKON_BINARY [KILLS] [CHARGES] [SYNC] [SEED]}
kills=${2:-3}
charges=${3:-150}
sync_mode=${4:-full}
seed=${5:-1}
plant=${6:-}
plant_args=()
[ -z "$plant" ] || plant_args=(--plant "$plant")
RANDOM=$seed  # the kill moments repeat for a seed (the OS's scheduling does not)

script_name="crash test"
# shellcheck source=tests/live/lib.sh
source "$(dirname "$0")/lib.sh"

start_serve() {
  rm -f "$work/serve.port"
  "$reckon" serve --db "$work/engine.db" --sync "$sync_mode" --listen 127.0.0.1:0 \
    --psp "http://127.0.0.1:$psp_port" --psp-timeout-ms 500 \
    "${plant_args[@]}" --port-file "$work/serve.port" 2>>"$work/serve.log" &
  serve_pid=$!
  pids+=("$serve_pid")
  wait_for_file "$work/serve.port"
  serve_port=$(cat "$work/serve.port")
}

check() {
  "$reckon" check-live --db "$work/engine.db" --psp "http://127.0.0.1:$psp_port" \
    --acks "$work/acks.jsonl" "$@" >"$work/check.out" 2>&1 || {
    if [ -n "$plant" ] && grep -q '^FAIL' "$work/check.out"; then
      echo "crash test caught the planted $plant after $restarts restarts:" \
        "$(grep -m1 '^FAIL' "$work/check.out")"
      exit 0
    fi
    cat "$work/check.out" >&2
    fail "check-live $* after $restarts restarts"
  }
  "$reckon" ledger verify --db "$work/engine.db" >/dev/null || fail "ledger verify"
}

# The PSP misbehaves a little: answers lost after processing, 5xx before and after.
"$reckon" psp-sim --listen 127.0.0.1:0 --seed "$seed" --timeout 2/100 --timeout-hold-ms 1000 \
  --error-before 2/100 --error-after 2/100 --latency-jitter-ms 2 \
  --port-file "$work/psp.port" 2>"$work/psp.log" &
pids+=("$!")
wait_for_file "$work/psp.port"
psp_port=$(cat "$work/psp.port")

restarts=0
start_serve
: >"$work/acks.jsonl"
"$reckon" load --target "http://127.0.0.1:$serve_port" --clients 8 --charges "$charges" \
  --acks "$work/acks.jsonl" --give-up-after-ms 60000 >"$work/load.out" 2>&1 &
load_pid=$!
pids+=("$load_pid")

for _ in $(seq 1 "$kills"); do
  sleep "0.$((RANDOM % 6 + 2))"
  kill -0 "$load_pid" 2>/dev/null || break  # the load finished before this kill
  kill -9 "$serve_pid"
  wait "$serve_pid" 2>/dev/null || true
  restarts=$((restarts + 1))
  # The port stays the same, so the clients (which retry) find the new server.
  "$reckon" serve --db "$work/engine.db" --sync "$sync_mode" --listen "127.0.0.1:$serve_port" \
    --psp "http://127.0.0.1:$psp_port" --psp-timeout-ms 500 "${plant_args[@]}" \
    2>>"$work/serve.log" &
  serve_pid=$!
  pids+=("$serve_pid")
  sleep 0.2
  check --safety-only
done

[ "$restarts" -gt 0 ] || fail "the load finished before the first kill: raise CHARGES"
wait "$load_pid" || fail "load did not get a final answer for every charge: $(cat "$work/load.out")"
sleep 1.5  # recovery passes (every 0.5 s) resolve what the kills left unknown
kill -TERM "$serve_pid"
wait "$serve_pid" || fail "serve did not stop cleanly on SIGTERM"
check
[ -z "$plant" ] || fail "the planted $plant was not caught"
echo "crash test passed: $restarts SIGKILLs, $(wc -l <"$work/acks.jsonl") acknowledged charges," \
  "sync=$sync_mode; $(head -1 "$work/load.out")"
