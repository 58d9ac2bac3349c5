#!/usr/bin/env python3
"""A bad adapter for tests/adapters/adapter_check_test.cpp: correct handshake and reset, then, at
the first operation, the misbehaviour named by argv[1]."""
import json
import sys
import time

MODE = sys.argv[1]
WAITS_LEFT = 0


def send(obj_or_text):
    text = obj_or_text if isinstance(obj_or_text, str) else json.dumps(obj_or_text)
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


CAPS = {"key_length_max": 128, "long_keys": "hash", "partial_capture": True,
        "multiple_refunds": True, "lookup_lag_ms": 0}

while True:
    line = sys.stdin.readline()  # not `for line in sys.stdin`: that reads ahead and blocks
    if not line:
        break
    msg = json.loads(line)
    kind = msg["type"]
    if kind == "hello":
        if MODE == "silent":
            time.sleep(3600)
        if MODE == "bad-hello":
            send({"type": "hello", "protocol": 1, "capabilities": dict(CAPS, partial_capture="yes")})
        elif MODE == "wrong-version":
            send({"type": "hello", "protocol": 2, "capabilities": CAPS})
        else:
            send({"type": "hello", "protocol": 1, "adapter": "misbehave-" + MODE, "capabilities": CAPS})
    elif kind == "reset":
        if MODE == "out-of-turn":
            # Two lines in one write, so the extra one is there before the harness speaks.
            send('{"type": "ready"}\n{"type": "log", "message": "ready and waiting"}')
        else:
            send({"type": "ready"})
    elif kind == "operation":
        op_id = msg["id"]
        if MODE == "malformed-json":
            send('{"type": "result", "id": "%s", "outcome": ' % op_id)
        elif MODE == "unknown-type":
            send({"type": "shrug", "id": op_id})
        elif MODE == "wrong-field-type":
            send({"type": "result", "id": op_id, "outcome": "succeeded", "amount_minor": "1999"})
        elif MODE == "unlisted-state":
            send({"type": "result", "id": op_id, "outcome": "unknown", "state": ""})
        elif MODE == "wrong-id":
            send({"type": "result", "id": "op-999", "outcome": "unknown"})
        elif MODE == "invalid-utf8":
            sys.stdout.buffer.write(b"\xff\n")
            sys.stdout.flush()
        elif MODE == "long-utf8-cut":
            # Not JSON, and byte 200 falls inside a two-byte character.
            send("x" + "\u00e9" * 150)
        elif MODE == "number-overflow":
            # JSON's grammar allows it; no double holds it (found by fuzzing, issue 19).
            send('{"type": "result", "id": "%s", "outcome": "succeeded", "amount_minor": 1e400}' % op_id)
        elif MODE == "crash":
            sys.stderr.write("misbehave.py: crashing on purpose\n")
            sys.exit(3)
        elif MODE == "hang":
            time.sleep(3600)
        elif MODE.startswith("waits-"):
            # waits-N: N `wait` messages, then the result (the limit is 64 before a result).
            WAITS_LEFT = int(MODE[len("waits-"):]) - 1
            send({"type": "wait", "id": op_id, "ms": 1})
        else:
            send({"type": "result", "id": op_id, "outcome": "unknown"})
    elif kind == "waited":
        if WAITS_LEFT > 0:
            WAITS_LEFT -= 1
            send({"type": "wait", "id": msg["id"], "ms": 1})
        else:
            send({"type": "result", "id": msg["id"], "outcome": "unknown"})
    elif kind == "bye":
        break
