#!/usr/bin/env bash
# reckon serve against the hostile requests issue 19 reproduced, over raw sockets: request
# smuggling through Transfer-Encoding, repeated single-value headers, a card number in the
# path (never answered back, never logged), the 401's WWW-Authenticate, a case-insensitive
# Bearer scheme, and Idempotency-Keys that hold Luhn-valid digit runs.
#
# usage: serve_hostile_test.sh RECKON_BINARY
set -euo pipefail
reckon=${1:?usage: serve_hostile_test.sh RECKON_BINARY}
script_name="serve hostile test"
# shellcheck source=tests/live/lib.sh
source "$(dirname "$0")/lib.sh"

start_psp_and_serve "$reckon"
port=$(cat "$work/serve.port")
auth='Authorization: Bearer sk_test_reckon_merchant_1'

raw() {  # raw BYTES: sends them on one connection, prints everything the server answers
  exec 3<>"/dev/tcp/127.0.0.1/$port"
  # The server may refuse after the header block and close while the rest is still being
  # written: that EPIPE is the server doing its job, not a failure of the test.
  (trap '' PIPE; printf '%b' "$1" >&3) 2>/dev/null || true
  timeout 5 cat <&3 || true
  exec 3>&-
}

# Smuggling: the "body" is a second request. It must never run: one 400, then the close.
smuggled='GET /v1/charges HTTP/1.1\r\nHost: x\r\n'"$auth"'\r\n\r\n'
for te in gzip identity xchunked 'chunked, chunked'; do
  out=$(raw "POST /v1/charges HTTP/1.1\r\nHost: x\r\n$auth\r\nIdempotency-Key: s1\r\nTransfer-Encoding: $te\r\n\r\n$smuggled")
  [ "$(grep -c '^HTTP/1.1 ' <<<"$out")" = 1 ] || fail "TE '$te': not exactly one answer: $out"
  grep -q '^HTTP/1.1 400' <<<"$out" || fail "TE '$te' was not refused: $out"
  grep -q transfer_encoding_unsupported <<<"$out" || fail "TE '$te': no code: $out"
done

# One key, one API key: a second copy is refused, not silently preferred.
out=$(raw "POST /v1/charges HTTP/1.1\r\nHost: x\r\n$auth\r\nIdempotency-Key: d1\r\nIdempotency-Key: d2\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
grep -q '^HTTP/1.1 400' <<<"$out" && grep -q header_repeated <<<"$out" ||
  fail "two Idempotency-Key headers: $out"
out=$(raw "GET /v1/charges HTTP/1.1\r\nHost: x\r\n$auth\r\nAuthorization: Bearer sk_test_reckon_merchant_2\r\nConnection: close\r\n\r\n")
grep -q header_repeated <<<"$out" || fail "two Authorization headers: $out"

# A card number in the path: refused, not echoed, and not in the log.
pan=4111111111111111
out=$(raw "GET /v1/charges/$pan HTTP/1.1\r\nHost: x\r\n$auth\r\nConnection: close\r\n\r\n")
grep -q card_number_refused <<<"$out" || fail "a PAN in the path: $out"
if grep -q "$pan" <<<"$out"; then fail "the answer echoes the PAN: $out"; fi

# 401 names the scheme; the scheme's case does not matter.
out=$(raw "GET /v1/charges HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
grep -qi '^WWW-Authenticate: Bearer' <<<"$out" || fail "a 401 without WWW-Authenticate: $out"
out=$(raw "GET /v1/charges HTTP/1.1\r\nHost: x\r\nAuthorization: bearer sk_test_reckon_merchant_1\r\nConnection: close\r\n\r\n")
grep -q '^HTTP/1.1 200' <<<"$out" || fail "'bearer' (lower case) was refused: $out"

# Keys are not card data: a UUIDv4 whose digits join into a Luhn-valid run, a timestamp.
for key in 44d50172-6227-4051-813b-c6bad8a9f8f4 order-1700000000004; do
  code=$(curl -s -o "$work/body" -w '%{http_code}' -X POST "http://127.0.0.1:$port/v1/charges" \
    -H "$auth" -H "Idempotency-Key: $key" -H 'Content-Type: application/json' \
    -d '{"amount":1000,"currency":"USD","source":"tok_hostile"}')
  [ "$code" = 201 ] || fail "key $key got $code $(cat "$work/body")"
done

kill -0 "$serve_pid" 2>/dev/null || fail "serve died"
kill -TERM "$serve_pid"
wait "$serve_pid" || fail "serve exited non-zero after SIGTERM"
for f in "$work"/engine.db* "$work/serve.log"; do
  if grep -q "$pan" "$f"; then fail "the card number is in $f"; fi
done
echo "serve hostile test passed"
