"""tests/data/mutation-survivors.toml: the verdict on every mutant the kill suite lets live.

    [[survivor]]
    id = "engine/money.cpp:41:crp:1"
    verdict = "equivalent"   # or "accepted"
    reason = "one line: why it cannot be killed, or why it is left alive"
"""

import tomllib
from dataclasses import dataclass

from .mutants import parse_id

VERDICTS = ("equivalent", "accepted")
_REQUIRED = ("id", "verdict", "reason")


class SurvivorsFileError(ValueError):
    pass


@dataclass(frozen=True)
class Survivor:
    id: str
    verdict: str
    reason: str


def parse(text, name="mutation-survivors.toml"):
    """{id: Survivor}; a malformed file raises SurvivorsFileError naming the entry."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise SurvivorsFileError(f"{name}: not TOML: {e}") from None
    extra = sorted(set(data) - {"survivor"})
    if extra:
        raise SurvivorsFileError(f"{name}: unknown top-level key(s) {', '.join(extra)}; "
                                 "entries are [[survivor]] tables")
    entries = data.get("survivor", [])
    if not isinstance(entries, list):
        raise SurvivorsFileError(f"{name}: 'survivor' must be an array of tables ([[survivor]])")
    out = {}
    for n, entry in enumerate(entries, start=1):
        where = f"{name}: survivor #{n}"
        missing = [k for k in _REQUIRED if k not in entry]
        unknown = sorted(set(entry) - set(_REQUIRED))
        if missing or unknown:
            raise SurvivorsFileError(f"{where}: " + "; ".join(
                ([f"missing {', '.join(missing)}"] if missing else []) +
                ([f"unknown key(s) {', '.join(unknown)}"] if unknown else [])))
        if not all(isinstance(entry[k], str) for k in _REQUIRED):
            raise SurvivorsFileError(f"{where}: id, verdict and reason must be strings")
        if not parse_id(entry["id"]):
            raise SurvivorsFileError(f"{where}: id '{entry['id']}' is not FILE:LINE:OPERATOR:INDEX")
        if entry["verdict"] not in VERDICTS:
            raise SurvivorsFileError(f"{where} ({entry['id']}): verdict must be \"equivalent\" "
                                     f"or \"accepted\", got \"{entry['verdict']}\"")
        reason = entry["reason"].strip()
        if not reason or "\n" in reason:
            raise SurvivorsFileError(f"{where} ({entry['id']}): reason must be one non-empty line")
        if entry["id"] in out:
            raise SurvivorsFileError(f"{where}: id '{entry['id']}' is listed twice")
        out[entry["id"]] = Survivor(entry["id"], entry["verdict"], reason)
    return out


def load(path):
    """The survivors file's entries; an absent file has none."""
    try:
        text = open(path, encoding="utf-8").read()
    except FileNotFoundError:
        return {}
    return parse(text, str(path))
