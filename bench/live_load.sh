#!/usr/bin/env bash
# Load benchmark of live mode: psp-sim and reckon serve on localhost, a fresh database per
# row, `reckon load` with 1, 8 and 64 concurrent clients, for each durability mode.
# Prints durable charges per second (final answers: captured or declined, each committed
# and fsynced before it was sent) and end-to-end latency p50/p99 per charge.
#
# usage: bench/live_load.sh [RECKON_BINARY=build/reckon] [CHARGES_PER_ROW=2000]
set -euo pipefail
reckon=${1:-build/reckon}
charges=${2:-2000}
script_name=live_load
# shellcheck source=tests/live/lib.sh
source "$(dirname "$0")/../tests/live/lib.sh"

"$reckon" psp-sim --listen 127.0.0.1:0 --port-file "$work/psp.port" 2>/dev/null &
pids+=("$!")
wait_for_file "$work/psp.port"
psp="http://127.0.0.1:$(cat "$work/psp.port")"

printf "%-6s %8s %12s %10s %10s\n" sync clients "charges/s" "p50 ms" "p99 ms"
for sync_mode in full group; do
  for clients in 1 8 64; do
    rm -f "$work"/engine.db* "$work/serve.port"
    "$reckon" serve --db "$work/engine.db" --sync "$sync_mode" --listen 127.0.0.1:0 --psp "$psp" \
      --port-file "$work/serve.port" 2>/dev/null &
    serve_pid=$!
    pids+=("$serve_pid")
    wait_for_file "$work/serve.port"
    n=$charges
    [ "$sync_mode" = full ] && [ "$clients" = 1 ] && n=$((charges / 4))  # ~8 ms a charge
    json=$("$reckon" load --target "http://127.0.0.1:$(cat "$work/serve.port")" \
      --clients "$clients" --charges "$n" --format json)
    kill -TERM "$serve_pid"
    wait "$serve_pid"
    field() { echo "$json" | grep -o "\"$1\":[0-9.e+-]*" | cut -d: -f2; }
    awk -v s="$sync_mode" -v c="$clients" -v r="$(field final_per_second)" \
      -v p50="$(field p50_us)" -v p99="$(field p99_us)" \
      'BEGIN { printf "%-6s %8d %12.0f %10.2f %10.2f\n", s, c, r, p50 / 1000, p99 / 1000 }'
  done
done
