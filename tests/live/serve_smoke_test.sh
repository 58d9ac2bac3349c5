#!/usr/bin/env bash
# reckon serve and psp-sim over real HTTP: authentication, idempotent replay, a card number
# refused and found nowhere (database, WAL, logs), bad command lines refused with exit 2,
# and a clean SIGTERM shutdown.
#
# usage: serve_smoke_test.sh RECKON_BINARY
set -euo pipefail
reckon=${1:?usage: serve_smoke_test.sh RECKON_BINARY}
script_name="serve smoke test"
# shellcheck source=tests/live/lib.sh
source "$(dirname "$0")/lib.sh"

expect_exit 2 "is not an IP address" "$reckon" serve --db "$work/x.db" --listen nohost:1 \
  --psp http://127.0.0.1:1
expect_exit 2 "must start with http://" "$reckon" serve --db "$work/x.db" --psp 127.0.0.1:1
expect_exit 2 "expected NUM/DEN" "$reckon" psp-sim --timeout 3/2
expect_exit 2 "is not a port" "$reckon" psp-sim --listen 127.0.0.1:99999

start_psp_and_serve "$reckon"
base="http://127.0.0.1:$(cat "$work/serve.port")"

post() {  # post KEY BODY [AUTH]: prints "STATUS BODY"
  curl -s -o "$work/body" -w '%{http_code}' -X POST "$base/v1/charges" \
    -H "Authorization: Bearer ${3:-sk_test_reckon_merchant_1}" -H "Idempotency-Key: $1" \
    -H 'Content-Type: application/json' -d "$2"
  echo " $(cat "$work/body")"
}

out=$(post k1 '{"amount":1000,"currency":"USD","source":"tok_smoke","capture":true}' sk_wrong)
[ "${out%% *}" = 401 ] || fail "a wrong API key got $out"
first=$(post k1 '{"amount":1000,"currency":"USD","source":"tok_smoke","capture":true}')
[ "${first%% *}" = 201 ] || fail "a charge got $first"
echo "$first" | grep -q '"status":"captured"' || fail "the charge is not captured: $first"
again=$(post k1 '{"amount":1000,"currency":"USD","source":"tok_smoke","capture":true}')
[ "$again" = "$first" ] || fail "the replay differs: $again vs $first"
other=$(post k1 '{"amount":2000,"currency":"USD","source":"tok_smoke","capture":true}')
[ "${other%% *}" = 422 ] || fail "same key, other body got $other"

pan=4242424242424242
out=$(post k2 "{\"amount\":1000,\"currency\":\"USD\",\"source\":\"tok_x\",\"note\":\"$pan\"}")
[ "${out%% *}" = 400 ] || fail "a card number got $out"
echo "$out" | grep -q card_number_refused || fail "a card number was not named: $out"
code=$(curl -s -o /dev/null -w '%{http_code}' "$base/v1/charges/nope" \
  -H "Authorization: Bearer sk_test_reckon_merchant_1")
[ "$code" = 404 ] || fail "an unknown charge got $code"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$base/v1/charges" \
  -H "Authorization: Bearer sk_test_reckon_merchant_1" -H "Idempotency-Key: big" \
  --data-binary @<(head -c 70000 /dev/zero | tr '\0' 'a'))
[ "$code" = 413 ] || fail "a 70 kB body got $code"

# Raw bytes that are not UTF-8 in the path (curl would percent-encode them).
exec 3<>"/dev/tcp/127.0.0.1/$(cat "$work/serve.port")"
printf 'GET /v1/charges/\x98\x99 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer sk_test_reckon_merchant_1\r\nConnection: close\r\n\r\n' >&3
timeout 5 cat <&3 >"$work/raw" || true
exec 3>&-
grep -q "404 Not Found" "$work/raw" || fail "a non-UTF-8 path did not get a 404: $(cat "$work/raw")"
kill -0 "$serve_pid" 2>/dev/null || fail "serve died on a non-UTF-8 path"

kill -TERM "$serve_pid"
wait "$serve_pid" || fail "serve exited non-zero after SIGTERM"
grep -q '"event":"stopped"' "$work/serve.log" || fail "no 'stopped' log line"
for f in "$work"/engine.db* "$work/serve.log" "$work/psp.log"; do
  if grep -q "$pan" "$f"; then fail "the card number is in $f"; fi
done
while read -r line; do
  echo "$line" | grep -q '^{.*"event":' || fail "a log line is not structured JSON: $line"
done <"$work/serve.log"
"$reckon" ledger verify --db "$work/engine.db" >/dev/null || fail "ledger verify"
"$reckon" audit --db "$work/engine.db" | grep -q '"action":"authorize"' ||
  fail "reckon audit does not list the charge"

# A merchants file replaces the built-in test keys; the key never reaches a log or the audit.
live_key=sk_live_smoke_0123456789abcdef
cat >"$work/merchants.toml" <<TOML
[[merchant]]
id = "smoke"
api_keys = ["$live_key"]
TOML
expect_exit 2 "--merchants" "$reckon" serve --db "$work/m.db" --psp http://127.0.0.1:9 \
  --merchants "$work/nope.toml"
"$reckon" serve --db "$work/m.db" --listen 127.0.0.1:0 --merchants "$work/merchants.toml" \
  --psp "http://127.0.0.1:$(cat "$work/psp.port")" --port-file "$work/serve2.port" \
  2>"$work/serve2.log" &
serve_pid=$!
pids+=("$serve_pid")
wait_for_file "$work/serve2.port"
base="http://127.0.0.1:$(cat "$work/serve2.port")"
out=$(post m1 '{"amount":1000,"currency":"USD","source":"tok_smoke"}')
[ "${out%% *}" = 401 ] || fail "a built-in test key was accepted with --merchants: $out"
out=$(post m1 '{"amount":1000,"currency":"USD","source":"tok_smoke"}' "$live_key")
[ "${out%% *}" = 201 ] || fail "the merchants file's key got $out"
kill -TERM "$serve_pid"
wait "$serve_pid" || fail "serve exited non-zero after SIGTERM"
"$reckon" audit --db "$work/m.db" --merchant smoke | grep -q '"actor":"key_' ||
  fail "the audit log does not name the key by its id"
for f in "$work"/m.db* "$work/serve2.log"; do
  if grep -q "$live_key" "$f"; then fail "the API key is in $f"; fi
done
echo "serve smoke test passed"
