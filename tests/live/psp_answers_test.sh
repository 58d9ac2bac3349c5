#!/usr/bin/env bash
# psp-sim answers 409 in_progress, 429 rate_limited and 202 processing (docs/psp-dialect.md),
# each to a quarter of the requests, over real sockets. None is a decline or a failure:
# reckon serve reads each as ambiguous and its recovery settles the charge by lookup, so
# after the load every acknowledged charge holds at the PSP exactly as the engine says
# (check-live: no double charge, engine and PSP agree, liveness) and the ledger verifies.
#
# usage: psp_answers_test.sh RECKON_BINARY
set -euo pipefail
reckon=${1:?usage: psp_answers_test.sh RECKON_BINARY}
script_name="psp answers test"
# shellcheck source=tests/live/lib.sh
source "$(dirname "$0")/lib.sh"

expect_exit 2 "--in-progress '2/1'" "$reckon" psp-sim --in-progress 2/1
expect_exit 2 "--rate-limit 'x'" "$reckon" psp-sim --rate-limit x
expect_exit 2 "--processing '1/0'" "$reckon" psp-sim --processing 1/0

# A 429 says when to come back (RFC 6585 section 4): Retry-After: 1.
"$reckon" psp-sim --listen 127.0.0.1:0 --port-file "$work/limited.port" --rate-limit 1/1 \
  2>"$work/limited.log" &
pids+=("$!")
wait_for_file "$work/limited.port"
curl -s -D "$work/limited.headers" -o /dev/null -X POST \
  -H 'Content-Type: application/json' -H 'PSP-Idempotency-Key: k-1' \
  -d '{"amount":100,"currency":"USD","card_token":"tok_1","capture":false}' \
  "http://127.0.0.1:$(cat "$work/limited.port")/v1/authorizations"
grep -q '^HTTP/1.1 429' "$work/limited.headers" || fail "psp-sim --rate-limit 1/1 did not answer 429"
grep -qi '^Retry-After: 1' "$work/limited.headers" ||
  fail "psp-sim's 429 has no Retry-After: $(cat "$work/limited.headers")"

start_psp_and_serve "$reckon" --in-progress 1/4 --rate-limit 1/4 --processing 1/4 --decline 0/1
psp="http://127.0.0.1:$(cat "$work/psp.port")"
"$reckon" load --target "http://127.0.0.1:$(cat "$work/serve.port")" --clients 4 --charges 60 \
  --acks "$work/acks.jsonl" --give-up-after-ms 30000 >"$work/load.out" 2>&1 ||
  fail "load did not get a final answer for every charge: $(cat "$work/load.out")"
sleep 2  # recovery passes (every 0.5 s) settle what the three answers left unknown
kill -TERM "$serve_pid"
wait "$serve_pid" || fail "serve did not stop cleanly on SIGTERM"

grep -q '"status":409' "$work/psp.log" || fail "psp-sim never answered 409: $(tail -3 "$work/psp.log")"
grep -q '"status":429' "$work/psp.log" || fail "psp-sim never answered 429"
grep -q '"status":202' "$work/psp.log" || fail "psp-sim never answered 202"
"$reckon" check-live --db "$work/engine.db" --psp "$psp" --acks "$work/acks.jsonl" \
  >"$work/check.out" 2>&1 || fail "check-live: $(cat "$work/check.out")"
"$reckon" ledger verify --db "$work/engine.db" >/dev/null || fail "ledger verify"
echo "psp answers test passed: $(wc -l <"$work/acks.jsonl") acknowledged charges;" \
  "$(head -1 "$work/load.out")"
