"""The results file (`.mutate/results.json`): one record per mutant tried, rewritten
atomically after each, and the summary the goal is judged by."""

from collections import defaultdict
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


def merge(files_data):
    """Several results files (shards) as one: mutants by id, the later file winning. A later
    record that is not the same change under the same id replaces the one earlier record that
    makes its change of the same file (the mutant's lines moved between the runs, e.g. a
    re-run with --ids after the source changed); an ambiguous change (two such earlier
    records) replaces nothing."""
    first = dict(files_data[0])
    by_id = {}
    for data in files_data:
        later = data["mutants"]
        same = {r["id"] for r in later
                if r["id"] in by_id and content_key(by_id[r["id"]]) == content_key(r)}
        by_content = defaultdict(list)
        for known_id, known in by_id.items():
            if known_id not in same:
                by_content[content_key(known)].append(known_id)
        for record in later:
            moved_from = by_content.get(content_key(record), [])
            if record["id"] not in same and len(moved_from) == 1:
                by_id.pop(moved_from.pop(), None)
            by_id[record["id"]] = record
    first["mutants"] = sorted(by_id.values(), key=sort_key)
    first["selected"] = sum(d.get("selected") or 0 for d in files_data)
    return first


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
