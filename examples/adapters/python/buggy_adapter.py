#!/usr/bin/env python3
"""The example adapter's buggy twin, for showing that `reckon adapter-check` finds real bugs.

    buggy_adapter.py [--bug new-key-per-retry] [--bug timeout-as-decline] [--bug kwd-exponent]

Without --bug, all three are on:
  new-key-per-retry   every retry sends a fresh idempotency key (a lost answer charges twice)
  timeout-as-decline  an operation that got no answer is reported declined (or, for a
                      lookup, not found) instead of unknown
  kwd-exponent        the currency table says KWD has 2 decimals, not 3
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import adapter  # noqa: E402

BUGS = ("new-key-per-retry", "timeout-as-decline", "kwd-exponent")


def chosen_bugs(argv):
    bugs = set()
    for i, arg in enumerate(argv):
        if arg == "--bug" and i + 1 < len(argv):
            if argv[i + 1] not in BUGS:
                sys.exit("buggy_adapter.py: unknown bug %r (known: %s)" % (argv[i + 1], ", ".join(BUGS)))
            bugs.add(argv[i + 1])
    return bugs or set(BUGS)


def make_buggy(bugs):
    class BuggyAdapter(adapter.Adapter):
        name = "buggy-python"

        def provider_key(self, key, attempt):
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

    return BuggyAdapter


if __name__ == "__main__":
    adapter.serve(make_buggy(chosen_bugs(sys.argv[1:])))
