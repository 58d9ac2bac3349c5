"""The results file (`.mutate/results.json`): one record per mutant tried, rewritten
atomically after each, and the summary the goal is judged by."""

import json
import os
import subprocess
from pathlib import Path

from . import config

STATUSES = ("killed", "survived", "timeout", "not_compiled")
GOAL = 0.90


def git_state(repo):
    def git(*args):
        return subprocess.run(["git", "-C", str(repo), *args], capture_output=True,
                              text=True).stdout.strip()
    return {"commit": git("rev-parse", "HEAD"), "dirty": bool(git("status", "--porcelain"))}


def new(repo, options, population, selected):
    return {"tool": "tools/mutate", "tool_version": config.TOOL_VERSION, **git_state(repo),
            "options": options, "population": population, "selected": selected,
            "baseline": None, "mutants": [], "summary": None}


def load(path):
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("mutants"), list):
        raise ValueError(f"{path}: not a tools/mutate results file")
    return data


def save(path, data):
    """Write to PATH.tmp and rename: a reader (or a crash) never sees half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def content_key(record):
    """What a mutant changes, without its line number: the same key after lines moved."""
    return (record["file"], record["operator"], record.get("original", "").strip(),
            record.get("mutated", "").strip())


def ids_in(paths):
    """The mutant ids recorded in these results files (--not-in)."""
    return {r["id"] for p in paths for r in load(p)["mutants"]}


def merge(files_data):
    """Several results files (shards) as one: mutants by id, the later file winning. Only by
    id: shards hold the same change of a file at other lines, so a change is no identity. A
    re-run after the source moved a mutant's line leaves the old id behind (a stale id)."""
    first = dict(files_data[0])
    by_id = {}
    for data in files_data:
        for record in data["mutants"]:
            by_id[record["id"]] = record
    first["mutants"] = sorted(by_id.values(), key=sort_key)
    first["selected"] = sum(d.get("selected") or 0 for d in files_data)
    return first


def current_only(files_data, current, carry=None):
    """Several results files merged over today's mutants only. `current` maps each id of the
    current tree to its (original, mutated) lines. A record counts when its id is current and
    its lines are the same, the later file winning among those: a record kept under an id
    whose line has since moved (a stale id), or whose line now held other code, is left out.
    `carry(record)`, when given, names the line a record's line is at today when it lies in
    code left unchanged since the record's run (tools/mutate/history.py), or None; such a
    record counts under today's id there if today's mutant changes the same lines the same way.
    Returns (results, ids of the current tree with no such record)."""
    def today(record):
        return current.get(record["id"]) == (record.get("original"), record.get("mutated"))

    def carried(record):
        if today(record) or carry is None:
            return record
        line = carry(record)
        if line is None:
            return record
        moved = dict(record, line=line,
                     id=f"{record['file']}:{line}:{record['operator']}:{record['index']}")
        return moved if today(moved) else record

    out = merge([dict(d, mutants=[r for r in map(carried, d["mutants"]) if today(r)])
                 for d in files_data])
    return out, sorted(set(current) - {r["id"] for r in out["mutants"]})


def sort_key(record):
    return record["file"], record["line"], record["operator"], record["index"]


def summarize(records, survivors):
    """Counts and kill rate; `survivors` maps ids to survivors.Survivor."""
    count = {s: sum(1 for r in records if r["status"] == s) for s in STATUSES}
    alive = [r["id"] for r in records if r["status"] == "survived"]
    equivalent = sum(1 for i in alive if i in survivors and survivors[i].verdict == "equivalent")
    accepted = sum(1 for i in alive if i in survivors and survivors[i].verdict == "accepted")
    compiled = count["killed"] + count["survived"] + count["timeout"]
    judged = compiled - equivalent
    rate = (count["killed"] + count["timeout"]) / judged if judged else None
    return {"generated": len(records), "compiled": compiled, **count,
            "equivalent": equivalent, "accepted": accepted,
            "unlisted": len(alive) - equivalent - accepted,
            "kill_rate": None if rate is None else round(rate, 4),
            "goal": GOAL, "goal_met": rate is not None and rate >= GOAL,
            "listed_but_not_surviving": sorted(
                r["id"] for r in records if r["id"] in survivors and r["status"] != "survived")}
