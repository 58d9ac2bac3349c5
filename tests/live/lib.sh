# Shared by the live-mode scripts (tests/live/*.sh, bench/live_load.sh): a scratch
# directory, every started process killed on exit, failing with the server's log, waiting
# for a --port-file, and checking that a bad command line exits with a code and a message.
# Source it after setting `script_name`.
work=$(mktemp -d)
pids=()      # started processes; all are killed on exit
keep_work=0  # set by fail: the files stay for a person to read

cleanup() {
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "$keep_work" = 1 ]; then echo "$script_name: files kept in $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

fail() {
  echo "$script_name FAILED: $*" >&2
  if [ -f "$work/serve.log" ]; then
    echo "--- serve log (last 20 lines)" >&2
    tail -20 "$work/serve.log" >&2
  fi
  keep_work=1
  exit 1
}

wait_for_file() {
  for _ in $(seq 1 200); do
    [ -s "$1" ] && return 0
    sleep 0.05
  done
  fail "$1 did not appear within 10 s"
}

expect_exit() {  # expect_exit CODE PATTERN COMMAND...: exit code and a message on stderr
  local want=$1 pattern=$2
  shift 2
  local got=0
  "$@" >"$work/out" 2>"$work/err" || got=$?
  [ "$got" = "$want" ] || fail "'$*' exited $got, expected $want"
  grep -q -- "$pattern" "$work/err" || fail "'$*' did not say '$pattern': $(cat "$work/err")"
}

# start_psp_and_serve RECKON [PSP-SIM FLAGS...]: psp-sim and `reckon serve --sync group` on
# free ports, logs in $work/psp.log and $work/serve.log, the engine's port in
# $work/serve.port; sets serve_pid.
start_psp_and_serve() {
  local reckon_binary=$1
  shift
  "$reckon_binary" psp-sim --listen 127.0.0.1:0 --port-file "$work/psp.port" "$@" \
    2>"$work/psp.log" &
  pids+=("$!")
  wait_for_file "$work/psp.port"
  "$reckon_binary" serve --db "$work/engine.db" --listen 127.0.0.1:0 --sync group \
    --psp "http://127.0.0.1:$(cat "$work/psp.port")" --port-file "$work/serve.port" \
    2>"$work/serve.log" &
  serve_pid=$!
  pids+=("$serve_pid")
  wait_for_file "$work/serve.port"
}
