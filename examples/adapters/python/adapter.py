#!/usr/bin/env python3
"""A correct PSP adapter for Reckon's simulated provider, in the standard library only.

It speaks the adapter protocol (version 1, docs/adapters.md) on stdin/stdout and translates
the engine's operations into the provider dialect of docs/psp-dialect.md. In production the
Transport below would be an HTTP client; under `reckon adapter-check` every request goes out
as an `http` message and the simulated network answers.

Rules it follows (the contract):
  * every retry of an operation sends the same idempotency key;
  * no answer, a 5xx or an unreadable body is 'unknown', never a decline;
  * a definitive answer (2xx, 402, 400, 404) is never retried; 409 (in progress) and 429
    (rate limited) are retried under the same key after a pause (Retry-After when given);
    202 (still processing) is 'unknown' until a lookup finds the outcome;
  * amounts are integers in minor units; the settlement report's decimal amounts are
    converted with the currency's ISO 4217 exponent, without floating point.
"""
import hashlib
import json
import sys

PROTOCOL = 1
KEY_LENGTH_MAX = 128
ATTEMPTS = 3
TIMEOUT_MS = 2000
LOOKUP_LAG_MS = 300
IN_PROGRESS_PAUSE_MS = 500
# docs/psp-dialect.md, "Replies": the outcome each definitive status carries, the states and
# operations a reply may name.
STATUS_OUTCOMES = {200: "succeeded", 402: "declined", 400: "failed", 404: "not_found"}
STATES = {"none", "authorized", "captured", "declined", "voided", "refunded"}
OPERATIONS = {"authorize", "capture", "void", "refund", "lookup"}
EXPONENTS = {
    "AUD": 2, "BHD": 3, "CAD": 2, "CHF": 2, "EUR": 2, "GBP": 2, "JOD": 3, "JPY": 0,
    "KRW": 0, "KWD": 3, "NOK": 2, "OMR": 3, "SEK": 2, "USD": 2,
}


def readable(status, body):
    """True when `body` is a reply docs/psp-dialect.md lets a caller read as an outcome: its
    outcome is the one its status carries and every field is there with its type. Anything
    else (a field missing or mistyped, an outcome or state not listed, a status that
    contradicts the outcome) may or may not have happened: ambiguous."""
    if status in (400, 404) and set(body) == {"error"}:
        return isinstance(body["error"], dict)  # a request the provider could not read
    amount = body.get("amount")
    return (body.get("outcome") == STATUS_OUTCOMES.get(status)
            and isinstance(body.get("authorization_id"), str)
            and (status != 200 or body["authorization_id"] != "")
            and isinstance(body.get("state"), str) and body["state"] in STATES
            and isinstance(body.get("operation"), str) and body["operation"] in OPERATIONS
            and isinstance(amount, int) and not isinstance(amount, bool) and amount >= 0
            and isinstance(body.get("detail"), str))


class ProtocolTransport:
    """Sends one HTTP request through the harness; returns (status, body) or None on timeout."""

    def __init__(self, inp, out):
        self.inp = inp
        self.out = out
        self.op_id = None
        self.last_headers = {}

    def send(self, message):
        self.out.write(json.dumps(message, separators=(",", ":")) + "\n")
        self.out.flush()

    def receive(self):
        line = self.inp.readline()
        if not line:
            sys.exit(0)
        return json.loads(line)

    def request(self, method, path, key, body):
        headers = {"PSP-Idempotency-Key": key}
        if body is not None:
            headers["Content-Type"] = "application/json"
        self.send({"type": "http", "id": self.op_id, "method": method, "path": path,
                   "headers": headers,
                   "body": "" if body is None else json.dumps(body, separators=(",", ":")),
                   "timeout_ms": TIMEOUT_MS})
        answer = self.receive()
        if answer["type"] == "http_timeout":
            return None
        self.last_headers = answer.get("headers", {})
        return answer["status"], answer["body"]

    def wait(self, ms):
        self.send({"type": "wait", "id": self.op_id, "ms": ms})
        self.receive()


def retry_after_ms(headers, default_ms):
    """Retry-After in delay-seconds (RFC 9110 section 10.2.3) as milliseconds, else default."""
    value = headers.get("Retry-After", "")
    return int(value) * 1000 if value.isdigit() else default_ms


def decimal_to_minor(text, exponent):
    """'12.345' with exponent 3 -> 12345; no floats. Raises ValueError on more decimals."""
    negative = text.startswith("-")
    digits = text[1:] if negative else text
    whole, _, frac = digits.partition(".")
    if len(frac) > exponent:
        if frac[exponent:].strip("0"):
            raise ValueError("amount %s has more decimals than the currency allows" % text)
        frac = frac[:exponent]
    value = int(whole or "0") * 10 ** exponent + int((frac + "0" * exponent)[:exponent] or "0")
    return -value if negative else value


class Adapter:
    name = "example-python"
    # What the hello tells the harness; the handlers below must keep these promises.
    capabilities = {"key_length_max": KEY_LENGTH_MAX, "long_keys": "hash",
                    "partial_capture": True, "multiple_refunds": True,
                    "lookup_lag_ms": LOOKUP_LAG_MS}

    def __init__(self, transport):
        self.t = transport

    # -- what the buggy twin overrides -------------------------------------------------
    def provider_key(self, key, attempt):
        if len(key) <= KEY_LENGTH_MAX:
            return key
        # Stable and collision-resistant: never truncate (two keys could become one).
        return "h-" + hashlib.sha256(key.encode()).hexdigest()

    def no_answer(self, op):
        return {"outcome": "unknown", "detail": "no definitive answer after %d attempts" % ATTEMPTS}

    def to_minor(self, text, currency):
        return decimal_to_minor(text, EXPONENTS[currency])

    def pause_before_retry(self, status):
        """Milliseconds to wait before retrying this answer under the same key; None: final.

        Not done yet: the key's first request is in progress (409), or the provider sheds
        load (429, saying how long to stay away in Retry-After)."""
        if status in (409, 429):
            return retry_after_ms(self.t.last_headers, IN_PROGRESS_PAUSE_MS)
        return None

    # -- the provider's dialect ----------------------------------------------------------
    def call(self, op, method, path, body):
        """Sends with retries on ambiguity; returns (status, parsed body) or None."""
        key = op.get("idempotency_key", "settlement")
        for attempt in range(ATTEMPTS):
            answer = self.t.request(method, path, self.provider_key(key, attempt), body)
            if answer is None:
                continue
            status, text = answer
            if status >= 500:
                continue
            pause_ms = self.pause_before_retry(status)
            if pause_ms is not None and attempt + 1 < ATTEMPTS:
                if pause_ms > 0:
                    self.t.wait(pause_ms)
                continue
            if path.startswith("/v1/settlements/"):
                return status, text
            try:
                parsed = json.loads(text)
            except ValueError:
                continue
            if not isinstance(parsed, dict):
                continue
            if status in STATUS_OUTCOMES and not readable(status, parsed):
                continue  # unreadable: as ambiguous as a 5xx; retried under the same key
            return status, parsed
        return None

    @staticmethod
    def outcome_for(status, body):
        if status == 200 and body.get("outcome") == "succeeded":
            return "succeeded"
        if status == 402:
            return "declined"
        if status == 400:
            return "failed"
        if status == 404:
            return "not_found"
        return "unknown"

    def finish(self, op, answer, with_operation=False):
        if answer is None:
            return self.no_answer(op)
        status, body = answer
        result = {"outcome": self.outcome_for(status, body),
                  "authorization_id": body.get("authorization_id", ""),
                  "state": body.get("state", "none"),
                  "amount_minor": body.get("amount", 0),
                  "detail": body.get("detail", "") if isinstance(body.get("detail"), str) else ""}
        if with_operation:
            result["operation"] = body.get("operation", "")
        if "error" in body:
            result["detail"] = body["error"].get("message", "")
        return result

    def authorize(self, op):
        body = {"amount": op["amount_minor"], "currency": op["currency"],
                "card_token": op["card_token"], "capture": op["capture"]}
        return self.finish(op, self.call(op, "POST", "/v1/authorizations", body))

    def capture(self, op):
        if (not self.capabilities["partial_capture"]
                and op["amount_minor"] < op.get("authorized_minor", op["amount_minor"])):
            return {"outcome": "not_sent", "detail": "partial capture is not supported"}
        path = "/v1/authorizations/%s/capture" % op["authorization_id"]
        return self.finish(op, self.call(op, "POST", path, {"amount": op["amount_minor"]}))

    def void(self, op):
        path = "/v1/authorizations/%s/void" % op["authorization_id"]
        return self.finish(op, self.call(op, "POST", path, {}))

    def refund(self, op):
        if not self.capabilities["multiple_refunds"] and op.get("refunded_minor", 0) > 0:
            return {"outcome": "not_sent", "detail": "one refund per capture"}
        path = "/v1/authorizations/%s/refunds" % op["authorization_id"]
        return self.finish(op, self.call(op, "POST", path, {"amount": op["amount_minor"]}))

    def lookup(self, op):
        answer = self.call(op, "GET", "/v1/lookups", None)
        if answer is not None and answer[0] == 404:
            # The provider's lookups lag behind its writes: ask once more after the lag.
            self.t.wait(LOOKUP_LAG_MS)
            answer = self.call(op, "GET", "/v1/lookups", None)
        if answer is not None and answer[0] == 404:
            return {"outcome": "not_found"}
        return self.finish(op, answer, with_operation=True)

    def settlement_report(self, op):
        answer = self.call(op, "GET", "/v1/settlements/%s" % op["date"], None)
        if answer is None:
            return self.no_answer(op)
        status, text = answer
        if status != 200:
            return {"outcome": "failed", "detail": "settlement report: status %d" % status}
        lines = []
        rows = text.strip("\n").split("\n")
        for row in rows[1:]:
            ref, merchant_ref, kind, gross, _fee, _net, currency = row.split(",")[:7]
            lines.append({"psp_reference": ref, "merchant_reference": merchant_ref,
                          "type": kind, "currency": currency,
                          "amount_minor": self.to_minor(gross, currency)})
        return {"outcome": "succeeded", "lines": lines}

    def handle(self, op):
        handler = {"authorize": self.authorize, "capture": self.capture, "void": self.void,
                   "refund": self.refund, "lookup": self.lookup,
                   "settlement_report": self.settlement_report}.get(op["op"])
        if handler is None:
            return {"outcome": "not_sent", "detail": "unknown operation %s" % op["op"]}
        return handler(op)

    def reset(self):
        """Forgets every state between seeds (this adapter keeps none)."""


def serve(adapter_class):
    transport = ProtocolTransport(sys.stdin, sys.stdout)
    adapter = adapter_class(transport)
    while True:
        message = transport.receive()
        kind = message["type"]
        if kind == "hello":
            transport.send({"type": "hello", "protocol": PROTOCOL, "adapter": adapter.name,
                            "capabilities": adapter.capabilities})
        elif kind == "reset":
            adapter.reset()
            transport.send({"type": "ready"})
        elif kind == "operation":
            transport.op_id = message["id"]
            result = adapter.handle(message)
            result["type"] = "result"
            result["id"] = message["id"]
            transport.send(result)
        elif kind == "bye":
            return


def with_options(argv):
    """--no-partial-capture, --single-refund: the same adapter for a provider without them."""
    capabilities = dict(Adapter.capabilities)
    for arg in argv:
        if arg == "--no-partial-capture":
            capabilities["partial_capture"] = False
        elif arg == "--single-refund":
            capabilities["multiple_refunds"] = False
        else:
            sys.exit("adapter.py: unknown option %r" % arg)
    return type("ConfiguredAdapter", (Adapter,), {"capabilities": capabilities})


if __name__ == "__main__":
    serve(with_options(sys.argv[1:]))
