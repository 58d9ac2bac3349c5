#!/usr/bin/env bash
# PSP webhooks over real sockets: psp-sim withholds every answer (--timeout 1/1), so the
# engine's calls and its recovery lookups are all ambiguous, and only psp-sim's signed
# webhook (POST /v1/psp/webhooks) can settle a charge. With the right secret the charge
# becomes authorized; with a wrong one it stays unknown and psp-sim logs 401s (the control:
# nothing but the webhook settles it). Bad secret flags exit 2 without echoing the secret.
#
# usage: psp_webhook_test.sh RECKON_BINARY
set -euo pipefail
reckon=${1:?usage: psp_webhook_test.sh RECKON_BINARY}
script_name="psp webhook test"
# shellcheck source=tests/live/lib.sh
source "$(dirname "$0")/lib.sh"

secret=whsec_live_test_0123456789abcdef
printf '%s' "$secret" >"$work/secret"         # no newline
printf '%s\n' "$secret" >"$work/secret_nl"    # one trailing newline: the same secret
printf 'whsec_other_secret_0123456789\n' >"$work/wrong"
printf 'tooshort_s3cr\n' >"$work/short"  # 13 bytes

expect_exit 2 "--psp-webhook-secret-file '$work/short'" "$reckon" serve --db "$work/x.db" \
  --psp http://127.0.0.1:9 --psp-webhook-secret-file "$work/short"
if grep -q tooshort_s3cr "$work/err"; then fail "serve echoed the secret"; fi
expect_exit 2 "--psp-webhook-secret-file '$work/nope'" "$reckon" serve --db "$work/x.db" \
  --psp http://127.0.0.1:9 --psp-webhook-secret-file "$work/nope"
head -c 5000 /dev/zero | tr '\0' 'k' >"$work/long"
expect_exit 2 "4096 bytes" "$reckon" serve --db "$work/x.db" --psp http://127.0.0.1:9 \
  --psp-webhook-secret-file "$work/long"
expect_exit 2 "needs --webhook-secret-file" "$reckon" psp-sim --webhook http://127.0.0.1:9/x
expect_exit 2 "needs --webhook URL" "$reckon" psp-sim --webhook-secret-file "$work/secret"
expect_exit 2 "--webhook-secret-file '$work/short'" "$reckon" psp-sim \
  --webhook http://127.0.0.1:9/x --webhook-secret-file "$work/short"
expect_exit 2 "must start with http://" "$reckon" psp-sim --webhook 127.0.0.1:9 \
  --webhook-secret-file "$work/secret"
[ ! -e "$work/x.db" ] || fail "serve opened its database despite a bad secret file"

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# start_pair NAME SERVE_SECRET_FILE: psp-sim sends webhooks to serve, serve calls psp-sim.
# serve's port is picked up front (psp-sim needs it); should another process take it
# first, serve cannot listen and the pair is started again on another port.
start_pair() {
  local name=$1 serve_secret=$2
  for _ in 1 2 3 4 5; do
    local serve_port
    serve_port=$(free_port)
    rm -f "$work/$name.psp.port" "$work/$name.serve.port"
    "$reckon" psp-sim --listen 127.0.0.1:0 --timeout 1/1 --timeout-hold-ms 300 --decline 0/1 \
      --webhook "http://127.0.0.1:$serve_port/v1/psp/webhooks" \
      --webhook-secret-file "$work/secret" --port-file "$work/$name.psp.port" \
      2>"$work/$name.psp.log" &
    psp_pid=$!
    pids+=("$psp_pid")
    wait_for_file "$work/$name.psp.port"
    "$reckon" serve --db "$work/$name.db" --listen "127.0.0.1:$serve_port" \
      --psp "http://127.0.0.1:$(cat "$work/$name.psp.port")" --psp-timeout-ms 200 \
      --psp-webhook-secret-file "$serve_secret" --port-file "$work/$name.serve.port" \
      2>"$work/$name.serve.log" &
    serve_pid=$!
    pids+=("$serve_pid")
    for _ in $(seq 1 200); do
      [ -s "$work/$name.serve.port" ] && break
      kill -0 "$serve_pid" 2>/dev/null || break
      sleep 0.05
    done
    if [ -s "$work/$name.serve.port" ]; then
      base="http://127.0.0.1:$serve_port"
      return 0
    fi
    kill -9 "$psp_pid" "$serve_pid" 2>/dev/null || true
  done
  fail "could not start serve and psp-sim ($name)"
}

auth=(-H "Authorization: Bearer sk_test_reckon_merchant_1")

create_charge() {  # prints "STATUS BODY"
  curl -s -o "$work/body" -w '%{http_code}' -X POST "$base/v1/charges" "${auth[@]}" \
    -H "Idempotency-Key: $1" -H 'Content-Type: application/json' \
    -d '{"amount":1000,"currency":"USD","source":"tok_hook"}'
  echo " $(cat "$work/body")"
}

charge_status() {  # charge_status ID: the charge's status
  curl -s "$base/v1/charges/$1" "${auth[@]}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])'
}

only_charge_id() {
  curl -s "$base/v1/charges?limit=10" "${auth[@]}" | python3 -c '
import json, sys
data = json.load(sys.stdin)["data"]
assert len(data) == 1, data
print(data[0]["id"])'
}

# 1. The right secret: the webhook settles the charge.
start_pair good "$work/secret_nl"
out=$(create_charge k1)
[ "${out%% *}" = 503 ] || fail "with every PSP answer withheld the charge got $out"
echo "$out" | grep -q psp_outcome_unknown || fail "not psp_outcome_unknown: $out"
id=$(only_charge_id) || fail "no charge listed"
status=unknown
for _ in $(seq 1 300); do  # 30 s: the webhook's backoff reaches 4 s after five deliveries
  status=$(charge_status "$id")
  [ "$status" = authorized ] && break
  sleep 0.1
done
[ "$status" = authorized ] || fail "the charge is still $status; psp-sim: $(tail -5 "$work/good.psp.log")"
grep '"event":"psp_webhook_delivered"' "$work/good.psp.log" | grep -q '"disposition":"applied"' ||
  fail "psp-sim logged no applied delivery: $(grep psp_webhook "$work/good.psp.log")"
again=$(create_charge k1)
[ "${again%% *}" = 201 ] || fail "the retry after the webhook got $again"
echo "$again" | grep -q '"status":"authorized"' || fail "the retry's charge: $again"
"$reckon" ledger verify --db "$work/good.db" >/dev/null || fail "ledger verify"
kill -TERM "$psp_pid" "$serve_pid"
wait "$psp_pid" "$serve_pid" 2>/dev/null || true

# 2. A wrong secret in serve: every delivery is refused, the charge stays unknown.
start_pair wrong "$work/wrong"
out=$(create_charge k2)
[ "${out%% *}" = 503 ] || fail "with a wrong secret the charge got $out"
id=$(only_charge_id) || fail "no charge listed"
for _ in $(seq 1 100); do
  [ "$(grep -c '"status":401' "$work/wrong.psp.log")" -ge 3 ] && break
  sleep 0.1
done
[ "$(grep -c '"status":401' "$work/wrong.psp.log")" -ge 3 ] ||
  fail "psp-sim did not log 401s: $(grep psp_webhook "$work/wrong.psp.log")"
grep -q '"error_code":"invalid_signature"' "$work/wrong.psp.log" ||
  fail "the 401 is not invalid_signature"
status=$(charge_status "$id")
[ "$status" = unknown ] || fail "with a wrong secret the charge became $status"

for f in "$work"/*.log "$work"/*.db*; do
  if grep -q "$secret" "$f"; then fail "the secret is in $f"; fi
done
echo "psp webhook test passed"
