"""Markdown from results: one run's report, or the comparison of two runs."""

from collections import Counter, defaultdict

from .results import content_key, summarize


def _pct(rate):
    return "n/a" if rate is None else f"{100 * rate:.1f}%"


def _cell(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _grouped(records, survivors, key):
    groups = defaultdict(list)
    for r in records:
        groups[r[key]].append(r)
    rows = []
    for name in sorted(groups):
        s = summarize(groups[name], survivors)
        rows.append([f"`{name}`", s["generated"], s["not_compiled"], s["killed"] + s["timeout"],
                     s["survived"], s["equivalent"], _pct(s["kill_rate"])])
    return _table([key, "mutants", "not compiled", "killed", "survived", "equivalent",
                   "kill rate"], rows)


def _killer(r):
    k = r.get("killed_by") or {}
    if "property" in k:
        return k["property"]
    if "crash" in k:
        return f"crash ({k['crash']})"
    return "timeout" if r["status"] == "timeout" else "?"


def markdown(data, survivors):
    records = data["mutants"]
    s = summarize(records, survivors)
    head = (f"commit `{data.get('commit', '')[:12]}`{' (dirty tree)' if data.get('dirty') else ''}"
            f", tools/mutate {data.get('tool_version', '?')}, {s['generated']} mutants of "
            f"{data.get('selected', s['generated'])} selected ({data.get('population', '?')} "
            "in the population)")
    summary = _table(["", "count"], [
        ["generated", s["generated"]], ["not compiled", s["not_compiled"]],
        ["compiled", s["compiled"]], ["killed", s["killed"]], ["timed out", s["timeout"]],
        ["survived", s["survived"]], ["- equivalent", s["equivalent"]],
        ["- accepted", s["accepted"]], ["- unlisted", s["unlisted"]],
        ["**kill rate** (killed + timed out) / (compiled - equivalent)",
         f"**{_pct(s['kill_rate'])}** (goal {_pct(s['goal'])})"]])
    killers = Counter(_killer(r) for r in records if r["status"] in ("killed", "timeout"))
    killed_by = _table(["killed by", "mutants"], sorted(killers.items(), key=lambda kv: -kv[1]))
    alive = [r for r in records if r["status"] == "survived"]
    survivor_rows = []
    for r in alive:
        entry = survivors.get(r["id"])
        after = r.get("mutated", "").strip().splitlines()
        survivor_rows.append([f"`{r['id']}`", f"`{after[0].strip()[:90] if after else ''}`",
                              entry.verdict if entry else "**unlisted**",
                              entry.reason if entry else ""])
    parts = ["# Mutation testing of engine/", head, "## Summary", summary,
             "## Per file", _grouped(records, survivors, "file"),
             "## Per operator", _grouped(records, survivors, "operator"),
             "## What killed them", killed_by,
             "## Survivors", _table(["id", "mutated line", "verdict", "reason"], survivor_rows)
             if survivor_rows else "None."]
    if s["listed_but_not_surviving"]:
        parts += ["## Listed in the survivors file but not surviving",
                  "\n".join(f"- `{i}`" for i in s["listed_but_not_surviving"])]
    return "\n\n".join(parts) + "\n"


def match(old, new):
    """Pairs (old record, new record) of the same mutant: the same id with the same change,
    else the same change of the same file (its lines moved), in order. Unpaired ones get None."""
    pairs, left = [], []
    old_by_id = {r["id"]: r for r in old}
    used = set()
    for r in new:
        o = old_by_id.get(r["id"])
        if o is not None and content_key(o) == content_key(r):
            pairs.append((o, r))
            used.add(o["id"])
        else:
            left.append(r)
    by_content = defaultdict(list)
    for o in old:
        if o["id"] not in used:
            by_content[content_key(o)].append(o)
    for r in left:
        candidates = by_content.get(content_key(r))
        pairs.append((candidates.pop(0) if candidates else None, r))
    pairs += [(o, None) for group in by_content.values() for o in group]
    return pairs


def compare(old, new, survivors):
    so, sn = summarize(old["mutants"], survivors), summarize(new["mutants"], survivors)
    rows = [[k, so[k], sn[k]] for k in ("generated", "not_compiled", "compiled", "killed",
                                        "timeout", "survived", "equivalent", "unlisted")]
    rows.append(["kill rate", _pct(so["kill_rate"]), _pct(sn["kill_rate"])])
    changes = defaultdict(list)
    only_old = only_new = 0
    for o, n in match(old["mutants"], new["mutants"]):
        if n is None:
            only_old += 1
        elif o is None:
            only_new += 1
        elif o["status"] != n["status"]:
            changes[(o["status"], n["status"])].append((o, n))
    parts = ["# Mutation testing: comparison",
             f"old `{old.get('commit', '')[:12]}`, new `{new.get('commit', '')[:12]}`",
             _table(["", "old", "new"], rows),
             f"{only_old} mutant(s) only in the old run, {only_new} only in the new run."]
    for (was, now), items in sorted(changes.items(), key=lambda kv: kv[0] != ("killed",
                                                                              "survived")):
        parts.append(f"## {was} -> {now} ({len(items)})")
        parts.append(_table(["old id", "new id", "change"],
                            [[f"`{o['id']}`", f"`{n['id']}`", n["description"]]
                             for o, n in items]))
    return "\n\n".join(parts) + "\n"
