#!/usr/bin/env python3
"""The example adapter's buggy twin, for showing that `reckon adapter-check` finds real bugs.

    buggy_adapter.py [--bug NAME]...

Without --bug, the first three are on:
  new-key-per-retry   every retry sends a fresh idempotency key (a lost answer charges twice)
  timeout-as-decline  an operation that got no answer is reported declined (or, for a
                      lookup, not found) instead of unknown
  kwd-exponent        the currency table says KWD has 2 decimals, not 3
  truncate-long-keys  a key longer than the provider takes is cut to 128 characters
  no-lookup-lag       a lookup's first not_found is final (no second look after the lag)
  retry-definitive    a 4xx answer is retried like a 5xx
  count-across-reset  numbers its results in `detail` and keeps counting after a reset
  partial-capture-undeclared  the hello says partial_capture is false, yet a partial
                      capture is sent anyway
  refund-key-per-charge  a refund's key is derived from the authorization id, so a second
                      refund replays the first
  assume-two-decimals  authorize converts amounts as if every currency had 2 decimals
  no-capture-flag     authorize leaves out `capture` (a sale is only authorized)
  float-settlement    settlement amounts are parsed with float: '19.99' becomes 1998
  void-wrong-path     a void is sent to /cancel (another provider's path), which is a 404
  lookup-404-as-failed  a lookup's final 404 is reported 'failed' instead of 'not_found'
  refuse-long-keys    the hello says long keys are hashed, yet a long key is refused
  key-as-authorization-id  the idempotency key is reported as the authorization id
  default-exponent    the currency table lacks JPY and unknown currencies default to 2 decimals
  prefix-keys         every key is sent with a merchant prefix ('m1-'), so it no longer
                      matches the operation's key
  strict-fields       an operation with a field it does not know is refused as 'not_sent'
  decline-as-failed   a 402 decline is reported 'failed'
  failed-as-declined  a 400 refusal is reported 'declined'
  lookup-reads-status  a lookup reads the state from `status`, which the provider never sends
  refund-sign-dropped  a settlement refund line's sign is dropped (a positive amount)
  hash-at-limit       a key of exactly key_length_max characters is hashed too (off by one)
  refund-state-guessed  a successful refund always reports state 'refunded'
  keys-lowercased     keys are sent in lower case ('Order_7.1' becomes 'order_7.1')
  capture-authorized-amount  remembers what its own authorizations were for and captures
                      that amount, whatever the capture asks (a partial capture takes all)
  log-card-tokens     when the provider does not answer, the request body (with the card
                      token) is written to stderr
  salted-long-keys    a long key is mapped with Python's hash(), which is salted per
                      process: stable across retries, another key after a restart
  log-test-card       logs the sandbox's test card number with every authorization
  4xx-is-failed       every 4xx but 402 and 404 is read as 'failed' (a 409 or 429 too)
  2xx-is-succeeded    every 2xx is read as 'succeeded' (a 202 "still processing" too)
  retry-429-at-once   a 429 is retried at once, without waiting for its Retry-After
  short-deadline      gives each request 1000 ms, less than the provider's slowest answer
  status-over-outcome  a definitive reply is read by its status alone: a 200 whose body says
                      'declined', names an outcome the dialect does not list, or none, is
                      'succeeded'
  log-unreadable-reply  an unreadable reply is logged with the request that drew it (its
                      card token too, for an authorization)
  usual-currencies-only  a currency outside the adapter's list (USD EUR GBP JPY KWD) is sent
                      as USD, the merchant's default
  settlement-5xx-empty  a 5xx to a settlement report is read as "no report yet": an empty one
  lookup-says-authorize  a lookup that finds the key always reports operation 'authorize'
  empty-200-is-success  a 200 to a capture, void or refund whose body is not a JSON object
                      is a success ("some providers send an empty 200"), its state guessed
  log-token-rarely    the card token of every 40th authorization the process handles is
                      written to stderr (a debug line on a rare path)
  lookup-right-after-202  after a 202 the key is looked up at once, and that lookup's 404
                      is read as 'failed' (the operation is not done yet)
  token-in-request-note  each http message to the harness carries a debugging 'note' field
                      with the card token (a field outside the request, which no provider
                      needs and which ends up in whatever logs the messages)
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import adapter  # noqa: E402

BUGS = ("new-key-per-retry", "timeout-as-decline", "kwd-exponent", "truncate-long-keys",
        "no-lookup-lag", "retry-definitive", "count-across-reset", "partial-capture-undeclared",
        "refund-key-per-charge", "assume-two-decimals", "no-capture-flag", "float-settlement",
        "strict-fields", "decline-as-failed", "failed-as-declined", "lookup-reads-status",
        "refund-sign-dropped", "hash-at-limit", "refund-state-guessed", "void-wrong-path",
        "lookup-404-as-failed", "refuse-long-keys", "key-as-authorization-id",
        "default-exponent", "prefix-keys", "keys-lowercased", "capture-authorized-amount",
        "log-card-tokens", "salted-long-keys", "log-test-card", "4xx-is-failed",
        "2xx-is-succeeded", "retry-429-at-once", "short-deadline", "status-over-outcome",
        "log-unreadable-reply", "usual-currencies-only", "settlement-5xx-empty",
        "lookup-says-authorize", "empty-200-is-success", "log-token-rarely",
        "lookup-right-after-202", "token-in-request-note")
KNOWN_OPERATION_FIELDS = {"type", "id", "op", "idempotency_key", "amount_minor", "currency",
                          "card_token", "capture", "authorization_id", "date",
                          "authorized_minor", "captured_minor", "refunded_minor"}
DEFAULT_BUGS = BUGS[:3]
LAST_REQUEST = None  # the request of the call under way (bug log-unreadable-reply)


def chosen_bugs(argv):
    bugs = set()
    for i, arg in enumerate(argv):
        if arg == "--bug" and i + 1 < len(argv):
            if argv[i + 1] not in BUGS:
                sys.exit("buggy_adapter.py: unknown bug %r (known: %s)" % (argv[i + 1], ", ".join(BUGS)))
            bugs.add(argv[i + 1])
    return bugs or set(DEFAULT_BUGS)


def make_buggy(bugs):
    if "short-deadline" in bugs:
        adapter.TIMEOUT_MS = 1000  # "a second is plenty": the provider may take 1.5 s
    if "status-over-outcome" in bugs:
        checked = adapter.readable
        # Every field but the outcome is still checked: only the outcome is taken from the
        # status.
        adapter.readable = lambda status, body: checked(
            status, dict(body, outcome=adapter.STATUS_OUTCOMES.get(status)))
    if "log-unreadable-reply" in bugs:
        judged = adapter.readable

        def readable_logged(status, body):
            ok = judged(status, body)
            if not ok:
                sys.stderr.write("buggy-python: unreadable reply %d %s to %s\n"
                                 % (status, json.dumps(body), json.dumps(LAST_REQUEST)))
            return ok
        adapter.readable = readable_logged
    class BuggyAdapter(adapter.Adapter):
        name = "buggy-python"

        results = 0

        if "partial-capture-undeclared" in bugs:
            capabilities = dict(adapter.Adapter.capabilities, partial_capture=False)

        def __init__(self, transport):
            super().__init__(transport)
            self.authorized = {}  # authorization id -> amount (capture-authorized-amount)

        def reset(self):
            self.authorized = {}

        def provider_key(self, key, attempt):
            if "keys-lowercased" in bugs:
                key = key.lower()
            if "hash-at-limit" in bugs and len(key) == adapter.KEY_LENGTH_MAX:
                return "h-" + adapter.hashlib.sha256(key.encode()).hexdigest()
            if "salted-long-keys" in bugs and len(key) > adapter.KEY_LENGTH_MAX:
                return "h-%016x" % (hash(key) & 0xFFFFFFFFFFFFFFFF)
            if "truncate-long-keys" in bugs:
                key = key[:adapter.KEY_LENGTH_MAX]
            if "prefix-keys" in bugs:
                return "m1-" + super().provider_key(key, attempt)
            base = super().provider_key(key, attempt)
            if "new-key-per-retry" in bugs and attempt > 0:
                return "%s-r%d" % (base[:120], attempt)
            return base

        def pause_before_retry(self, status):
            if "4xx-is-failed" in bugs:
                return None
            if "retry-429-at-once" in bugs and status == 429:
                return 0
            return super().pause_before_retry(status)

        def no_answer(self, op):
            if "timeout-as-decline" in bugs:
                if op["op"] == "lookup":
                    return {"outcome": "not_found"}
                return {"outcome": "declined", "detail": "timed out"}
            return super().no_answer(op)

        def to_minor(self, text, currency):
            if "default-exponent" in bugs and currency == "JPY":
                return adapter.decimal_to_minor(text, 2)
            if "float-settlement" in bugs:
                return int(float(text) * 10 ** adapter.EXPONENTS[currency])
            if "kwd-exponent" in bugs and currency == "KWD":
                # Two decimals assumed; the third is cut off: '12.345' becomes 1234.
                whole, _, frac = text.lstrip("-").partition(".")
                value = int(whole) * 100 + int((frac + "00")[:2])
                return -value if text.startswith("-") else value
            return super().to_minor(text, currency)

        def lookup_lag_aware(self, op):
            if "no-lookup-lag" in bugs:
                answer = self.call(op, "GET", "/v1/lookups", None)
                if answer is not None and answer[0] == 404:
                    return {"outcome": "not_found"}
                return self.finish(op, answer, with_operation=True)
            return super().lookup(op)

        def call(self, op, method, path, body):
            global LAST_REQUEST
            LAST_REQUEST = {"path": path, "body": body}
            if "token-in-request-note" in bugs and not getattr(self.t, "notes_tokens", False):
                self.t.notes_tokens = True
                write = self.t.send

                def send_with_note(message):
                    token = ((LAST_REQUEST or {}).get("body") or {}).get("card_token")
                    if message.get("type") == "http" and token:
                        message = dict(message, note="authorizing card " + token)
                    write(message)
                self.t.send = send_with_note
            if "empty-200-is-success" in bugs and not getattr(self.t, "trusts_empty_200", False):
                self.t.trusts_empty_200 = True
                send = self.t.request

                def request(method, path, key, body):
                    answer = send(method, path, key, body)
                    if (answer is None or answer[0] != 200 or method != "POST"
                            or not path.startswith("/v1/authorizations/")):
                        return answer
                    try:
                        if isinstance(json.loads(answer[1]), dict):
                            return answer
                    except ValueError:
                        pass
                    return 200, json.dumps({
                        "outcome": "succeeded", "detail": "", "operation": "capture",
                        "authorization_id": path.split("/")[3],
                        "state": "voided" if path.endswith("/void") else "captured",
                        "amount": (body or {}).get("amount", 0)})
                self.t.request = request
            answer = super().call(op, method, path, body)
            if "log-card-tokens" in bugs and answer is None:
                sys.stderr.write("buggy-python: no answer to %s %s\n" % (path, json.dumps(body)))
            if "retry-definitive" in bugs and answer is not None and 400 <= answer[0] < 500:
                answer = super().call(op, method, path, body)
            return answer

        def call_with_key(self, op, key, method, path, body):
            return self.call(dict(op, idempotency_key=key), method, path, body)

        def void(self, op):
            if "void-wrong-path" in bugs:
                path = "/v1/authorizations/%s/cancel" % op["authorization_id"]
                return self.finish(op, self.call(op, "POST", path, {}))
            return super().void(op)

        def lookup(self, op):
            result = self.lookup_lag_aware(op)
            if "lookup-404-as-failed" in bugs and result["outcome"] == "not_found":
                return {"outcome": "failed", "detail": "lookup: status 404"}
            return result

        def refund(self, op):
            if "refund-key-per-charge" in bugs:
                path = "/v1/authorizations/%s/refunds" % op["authorization_id"]
                key = "refund-" + op["authorization_id"]
                return self.finish(op, self.call_with_key(op, key, "POST", path,
                                                          {"amount": op["amount_minor"]}))
            result = super().refund(op)
            if "refund-state-guessed" in bugs and result["outcome"] == "succeeded":
                result["state"] = "refunded"
            return result

        def capture(self, op):
            if "capture-authorized-amount" in bugs:
                amount = self.authorized.get(op["authorization_id"], op["amount_minor"])
                op = dict(op, amount_minor=amount)
            if "partial-capture-undeclared" in bugs:
                # Declared false, yet sent: the declaration is never looked at.
                path = "/v1/authorizations/%s/capture" % op["authorization_id"]
                return self.finish(op, self.call(op, "POST", path, {"amount": op["amount_minor"]}))
            return super().capture(op)

        def authorize(self, op):
            self.authorizations_seen = getattr(self, "authorizations_seen", 0) + 1
            if "log-token-rarely" in bugs and self.authorizations_seen % 40 == 0:
                sys.stderr.write("buggy-python: authorization %d, card %s\n"
                                 % (self.authorizations_seen, op["card_token"]))
            if "log-test-card" in bugs:
                sys.stderr.write("buggy-python: sandbox authorize, card 4242 4242 4242 4242\n")
            result = self.authorize_with_bugs(op)
            if result.get("outcome") == "succeeded":
                self.authorized[result.get("authorization_id")] = op["amount_minor"]
            return result

        def authorize_with_bugs(self, op):
            if ("usual-currencies-only" in bugs
                    and op["currency"] not in ("USD", "EUR", "GBP", "JPY", "KWD")):
                op = dict(op, currency="USD")
            if "assume-two-decimals" in bugs or "no-capture-flag" in bugs:
                amount = op["amount_minor"]
                if "assume-two-decimals" in bugs:
                    exponent = adapter.EXPONENTS[op["currency"]]
                    amount = amount * 100 // 10 ** exponent
                body = {"amount": amount, "currency": op["currency"],
                        "card_token": op["card_token"]}
                if "no-capture-flag" not in bugs:
                    body["capture"] = op["capture"]
                return self.finish(op, self.call(op, "POST", "/v1/authorizations", body))
            return super().authorize(op)

        @staticmethod
        def outcome_for(status, body):
            if "decline-as-failed" in bugs and status == 402:
                return "failed"
            if "failed-as-declined" in bugs and status == 400:
                return "declined"
            if "4xx-is-failed" in bugs and 400 <= status < 500 and status not in (402, 404):
                return "failed"
            if "2xx-is-succeeded" in bugs and 200 <= status < 300:
                return "succeeded"
            if "status-over-outcome" in bugs and status == 200:
                return "succeeded"
            return adapter.Adapter.outcome_for(status, body)

        def finish(self, op, answer, with_operation=False):
            if ("lookup-right-after-202" in bugs and not with_operation and answer is not None
                    and answer[0] == 202):
                found = self.call(op, "GET", "/v1/lookups", None)
                if found is not None and found[0] == 404:
                    return {"outcome": "failed", "detail": "no such operation after its 202"}
                if found is not None and found[0] == 200:
                    return super().finish(op, found)
            result = super().finish(op, answer, with_operation)
            if "lookup-reads-status" in bugs and with_operation and answer is not None:
                result["state"] = answer[1].get("status", "none")
            if ("lookup-says-authorize" in bugs and with_operation
                    and result["outcome"] == "succeeded"):
                result["operation"] = "authorize"
            return result

        def settlement_report(self, op):
            if "settlement-5xx-empty" in bugs:
                answer = self.t.request("GET", "/v1/settlements/%s" % op["date"],
                                        self.provider_key("settlement", 0), None)
                if answer is not None and answer[0] >= 500:
                    return {"outcome": "succeeded", "lines": []}
            result = super().settlement_report(op)
            if "refund-sign-dropped" in bugs:
                for line in result.get("lines", []):
                    line["amount_minor"] = abs(line["amount_minor"])
            return result

        def handle(self, op):
            if ("refuse-long-keys" in bugs
                    and len(op.get("idempotency_key", "")) > adapter.KEY_LENGTH_MAX):
                return {"outcome": "not_sent", "detail": "key too long"}
            if "strict-fields" in bugs:
                unknown = sorted(set(op) - KNOWN_OPERATION_FIELDS)
                if unknown:
                    return {"outcome": "not_sent", "detail": "unknown field %s" % unknown[0]}
            result = super().handle(op)
            if "key-as-authorization-id" in bugs and result.get("authorization_id"):
                result["authorization_id"] = op.get("idempotency_key", "")
            if "count-across-reset" in bugs:
                BuggyAdapter.results += 1
                result["detail"] = "result %d" % BuggyAdapter.results
            return result

    return BuggyAdapter


if __name__ == "__main__":
    adapter.serve(make_buggy(chosen_bugs(sys.argv[1:])))
