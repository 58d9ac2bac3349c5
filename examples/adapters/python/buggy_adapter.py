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
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import adapter  # noqa: E402

BUGS = ("new-key-per-retry", "timeout-as-decline", "kwd-exponent", "truncate-long-keys",
        "no-lookup-lag", "retry-definitive", "count-across-reset")
DEFAULT_BUGS = BUGS[:3]


def chosen_bugs(argv):
    bugs = set()
    for i, arg in enumerate(argv):
        if arg == "--bug" and i + 1 < len(argv):
            if argv[i + 1] not in BUGS:
                sys.exit("buggy_adapter.py: unknown bug %r (known: %s)" % (argv[i + 1], ", ".join(BUGS)))
            bugs.add(argv[i + 1])
    return bugs or set(DEFAULT_BUGS)


def make_buggy(bugs):
    class BuggyAdapter(adapter.Adapter):
        name = "buggy-python"

        results = 0

        def provider_key(self, key, attempt):
            if "truncate-long-keys" in bugs:
                key = key[:adapter.KEY_LENGTH_MAX]
            base = super().provider_key(key, attempt)
            if "new-key-per-retry" in bugs and attempt > 0:
                return "%s-r%d" % (base[:120], attempt)
            return base

        def no_answer(self, op):
            if "timeout-as-decline" in bugs:
                if op["op"] == "lookup":
                    return {"outcome": "not_found"}
                return {"outcome": "declined", "detail": "timed out"}
            return super().no_answer(op)

        def to_minor(self, text, currency):
            if "kwd-exponent" in bugs and currency == "KWD":
                # Two decimals assumed; the third is cut off: '12.345' becomes 1234.
                whole, _, frac = text.lstrip("-").partition(".")
                value = int(whole) * 100 + int((frac + "00")[:2])
                return -value if text.startswith("-") else value
            return super().to_minor(text, currency)

        def lookup(self, op):
            if "no-lookup-lag" in bugs:
                answer = self.call(op, "GET", "/v1/lookups", None)
                if answer is not None and answer[0] == 404:
                    return {"outcome": "not_found"}
                return self.finish(op, answer, with_operation=True)
            return super().lookup(op)

        def call(self, op, method, path, body):
            answer = super().call(op, method, path, body)
            if "retry-definitive" in bugs and answer is not None and 400 <= answer[0] < 500:
                answer = super().call(op, method, path, body)
            return answer

        def handle(self, op):
            result = super().handle(op)
            if "count-across-reset" in bugs:
                BuggyAdapter.results += 1
                result["detail"] = "result %d" % BuggyAdapter.results
            return result

    return BuggyAdapter


if __name__ == "__main__":
    adapter.serve(make_buggy(chosen_bugs(sys.argv[1:])))
