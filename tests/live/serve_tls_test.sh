#!/usr/bin/env bash
# reckon serve --tls-cert/--tls-key: a throwaway self-signed certificate, a charge and its
# idempotent replay over HTTPS (curl verifying against the certificate), plain HTTP to the
# TLS port refused, TLS 1.2 accepted and TLS 1.1 refused, a client that never finishes the
# handshake dropped, every bad flag combination refused with exit 2 before listening, and a
# clean SIGTERM shutdown.
#
# usage: serve_tls_test.sh RECKON_BINARY
set -euo pipefail
reckon=${1:?usage: serve_tls_test.sh RECKON_BINARY}
script_name="serve TLS test"
# shellcheck source=tests/live/lib.sh
source "$(dirname "$0")/lib.sh"

make_cert() {  # make_cert CERT KEY: a self-signed certificate for 127.0.0.1, valid one day
  openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 -keyout "$2" -out "$1" 2>/dev/null ||
    fail "openssl could not make a certificate"
}
make_cert "$work/cert.pem" "$work/key.pem"
make_cert "$work/other_cert.pem" "$work/other_key.pem"

"$reckon" psp-sim --listen 127.0.0.1:0 --port-file "$work/psp.port" 2>"$work/psp.log" &
pids+=("$!")
wait_for_file "$work/psp.port"
psp="http://127.0.0.1:$(cat "$work/psp.port")"

# expect_refused PATTERN TLS-FLAGS...: exit 2, PATTERN on stderr, and no port was bound.
expect_refused() {
  local pattern=$1
  shift
  local got=0
  rm -f "$work/refused.port"
  "$reckon" serve --db "$work/refused.db" --listen 127.0.0.1:0 --psp "$psp" \
    --port-file "$work/refused.port" "$@" >"$work/out" 2>"$work/err" || got=$?
  [ "$got" = 2 ] || fail "serve $* exited $got, expected 2: $(cat "$work/err")"
  grep -qF -- "$pattern" "$work/err" || fail "serve $* did not say '$pattern': $(cat "$work/err")"
  [ ! -e "$work/refused.port" ] || fail "serve $* listened before refusing"
}
echo "not a certificate" >"$work/garbage.pem"
mkdir "$work/a_directory"
expect_refused "--tls-cert '$work/cert.pem' needs --tls-key" --tls-cert "$work/cert.pem"
expect_refused "--tls-key '$work/key.pem' needs --tls-cert" --tls-key "$work/key.pem"
expect_refused "--tls-cert '$work/absent.pem': no such file" \
  --tls-cert "$work/absent.pem" --tls-key "$work/key.pem"
expect_refused "--tls-key '$work/absent.pem': no such file" \
  --tls-cert "$work/cert.pem" --tls-key "$work/absent.pem"
expect_refused "--tls-key '$work/a_directory': not a regular file" \
  --tls-cert "$work/cert.pem" --tls-key "$work/a_directory"
if [ "$(id -u)" != 0 ]; then  # root reads a mode-000 file anyway
  cp "$work/key.pem" "$work/unreadable.pem"
  chmod 000 "$work/unreadable.pem"
  expect_refused "--tls-key '$work/unreadable.pem': cannot read" \
    --tls-cert "$work/cert.pem" --tls-key "$work/unreadable.pem"
fi
expect_refused "--tls-cert '$work/garbage.pem': not a PEM certificate" \
  --tls-cert "$work/garbage.pem" --tls-key "$work/key.pem"
expect_refused "--tls-cert '$work/key.pem': not a PEM certificate" \
  --tls-cert "$work/key.pem" --tls-key "$work/key.pem"
expect_refused "--tls-key '$work/cert.pem': not an unencrypted PEM private key" \
  --tls-cert "$work/cert.pem" --tls-key "$work/cert.pem"
expect_refused "--tls-key '$work/other_key.pem' does not match the certificate in --tls-cert '$work/cert.pem'" \
  --tls-cert "$work/cert.pem" --tls-key "$work/other_key.pem"

"$reckon" serve --db "$work/engine.db" --listen 127.0.0.1:0 --psp "$psp" \
  --tls-cert "$work/cert.pem" --tls-key "$work/key.pem" --port-file "$work/serve.port" \
  2>"$work/serve.log" &
serve_pid=$!
pids+=("$serve_pid")
wait_for_file "$work/serve.port"
port=$(cat "$work/serve.port")

post() {  # post KEY BODY [CURL-OPTIONS...]: prints "STATUS BODY"
  local key=$1 body=$2
  shift 2
  curl -s --cacert "$work/cert.pem" -o "$work/body" -w '%{http_code}' "$@" -X POST \
    "https://127.0.0.1:$port/v1/charges" -H "Authorization: Bearer sk_test_reckon_merchant_1" \
    -H "Idempotency-Key: $key" -H 'Content-Type: application/json' -d "$body"
  echo " $(cat "$work/body")"
}
charge='{"amount":1000,"currency":"USD","source":"tok_tls","capture":true}'
first=$(post k1 "$charge")
[ "${first%% *}" = 201 ] || fail "a charge over HTTPS got $first"
echo "$first" | grep -q '"status":"captured"' || fail "the charge is not captured: $first"
again=$(post k1 "$charge")
[ "$again" = "$first" ] || fail "the replay over HTTPS differs: $again vs $first"
tls12=$(post k2 "$charge" --tlsv1.2 --tls-max 1.2)
[ "${tls12%% *}" = 201 ] || fail "a charge over TLS 1.2 got $tls12"

# Plain HTTP to the TLS port gets no HTTP answer at all.
got=0
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 \
  "http://127.0.0.1:$port/v1/charges/nope" \
  -H "Authorization: Bearer sk_test_reckon_merchant_1") || got=$?
[ "$got" != 0 ] && [ "$code" = 000 ] || fail "plain HTTP to the TLS port got $code (curl exit $got)"
# TLS 1.1 is refused by the server (the client lowers its own security level to offer it).
if openssl s_client -connect "127.0.0.1:$port" -tls1_1 -cipher 'DEFAULT:@SECLEVEL=0' \
  </dev/null >"$work/tls11" 2>&1; then
  fail "a TLS 1.1 handshake succeeded: $(cat "$work/tls11")"
fi
# A client that connects and never starts the handshake is dropped after 10 s.
exec 3<>"/dev/tcp/127.0.0.1/$port"
started=$SECONDS
timeout 20 cat <&3 >/dev/null || fail "a silent client held its connection for 20 s"
exec 3>&-
[ $((SECONDS - started)) -ge 8 ] || fail "a silent client was dropped after $((SECONDS - started)) s"
kill -0 "$serve_pid" 2>/dev/null || fail "serve died"
grep -q '"event":"tls_handshake_failed"' "$work/serve.log" || fail "no tls_handshake_failed log"

kill -TERM "$serve_pid"
wait "$serve_pid" || fail "serve exited non-zero after SIGTERM"
grep -q '"event":"stopped"' "$work/serve.log" || fail "no 'stopped' log line"
grep -q '"tls":true' "$work/serve.log" || fail "the listening line does not say tls"
"$reckon" ledger verify --db "$work/engine.db" >/dev/null || fail "ledger verify"
echo "serve TLS test passed"
