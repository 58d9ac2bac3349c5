"""`mutate run`: mirror the tree, build it, check the unmutated engine passes the kill
suite, then for each mutant: apply, build, run the kill suite, restore, record."""

import hashlib
import re
import signal
import sys
import time
from pathlib import Path

from . import build, results, selection, survivors
from .suite import KillSuite


class SetupError(Exception):
    """The run cannot start (exit 2)."""


def _say(text):
    print(text, flush=True)


def _first_error(log):
    for line in log.splitlines():
        if re.search(r"\berror\b", line):
            return line.strip()[:300]
    return log.strip().splitlines()[-1][:300] if log.strip() else ""


def _sha256(text):
    return hashlib.sha256(text.encode()).hexdigest()


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt


class Runner:
    def __init__(self, opts):
        self.opts = opts
        self.repo = Path(opts.repo).resolve()
        self.workdir = self.repo / opts.workdir
        self.results_path = Path(opts.results) if opts.results else self.workdir / "results.json"
        self.builder = build.Builder(self.workdir, opts.jobs, opts.build_timeout)
        self.suite = KillSuite(self.builder.binary, self.builder.src, self.workdir / "sweeps",
                               opts.jobs, opts.timeout, opts.stages)
        self.survivors = survivors.load(self.repo / opts.survivors)

    def options(self):
        o = self.opts
        return {"files": o.files, "operators": o.operators, "exclude": o.exclude,
                "sample": o.sample, "seed": o.seed, "shard": o.shard, "jobs": o.jobs,
                "timeout": o.timeout, "stages": [s.name for s in o.stages],
                "not_in": list(o.not_in)}

    def start(self, population, chosen):
        if self.opts.resume and self.results_path.exists():
            data = results.load(self.results_path)
            now = results.git_state(self.repo)["commit"]
            if data.get("commit") != now:
                _say(f"warning: resuming results of commit {data.get('commit', '')[:12]} "
                     f"at commit {now[:12]}")
            data.update(options=self.options(), population=len(population),
                        selected=len(chosen))
            return data
        return results.new(self.repo, self.options(), len(population), len(chosen))

    def baseline(self):
        t = time.monotonic()
        configured = self.builder.configure()
        if configured.returncode != 0:
            raise SetupError("cmake failed on the mirror:\n" + configured.stdout[-3000:] +
                             configured.stderr[-3000:])
        made = self.builder.make()
        if made.returncode != 0:
            raise SetupError("the unmutated tree does not build:\n" + made.stdout[-3000:])
        out = {"configure_seconds": round(configured.seconds, 1),
               "build_seconds": round(made.seconds, 1)}
        _say(f"baseline: configure {configured.seconds:.1f}s, build {made.seconds:.1f}s")
        if not self.opts.no_baseline:
            verdict = self.suite.run()
            if verdict.status != "survived":
                raise SetupError(f"the unmutated engine fails the kill suite ({verdict.status}): "
                                 f"{verdict.killed_by}")
            out["suite"] = verdict.stages
            out["suite_seconds"] = verdict.seconds
            _say(f"baseline: kill suite passes in {verdict.seconds:.1f}s " + ", ".join(
                f"{s['stage']} {s['seconds']:.1f}s" for s in verdict.stages))
        out["seconds"] = round(time.monotonic() - t, 1)
        return out

    def try_mutant(self, mutant):
        path = self.builder.src / mutant.file
        original_text = path.read_text(encoding="utf-8")
        original, mutated = mutant.original_and_mutated(original_text)
        record = {"id": mutant.id, "file": mutant.file, "line": mutant.line,
                  "operator": mutant.operator, "index": mutant.index,
                  "description": mutant.description, "original": original, "mutated": mutated,
                  "source_sha256": _sha256(original_text)}
        start = time.monotonic()
        try:
            path.write_text(mutant.apply(original_text), encoding="utf-8")
            made = self.builder.make()
            record["build_seconds"] = round(made.seconds, 2)
            if made.returncode != 0:
                record.update(status="not_compiled", killed_by=None,
                              build_error="build timed out" if made.timed_out
                              else _first_error(made.stdout))
            else:
                verdict = self.suite.run()
                record.update(status=verdict.status, killed_by=verdict.killed_by,
                              stages=verdict.stages, suite_seconds=verdict.seconds)
        finally:
            path.write_text(original_text, encoding="utf-8")  # newer mtime: rebuilt next time
        record["seconds"] = round(time.monotonic() - start, 2)
        return record

    def run(self):
        if self.results_path.exists() and not (self.opts.resume or self.opts.fresh):
            raise SetupError(f"{self.results_path} exists: --resume continues it, --fresh "
                             "replaces it")
        signal.signal(signal.SIGTERM, _raise_interrupt)
        written = build.sync(self.repo, self.builder.src)
        _say(f"mirror: {self.builder.src} ({written} file(s) written or removed)")
        population = selection.all_mutants(self.builder.src, self.opts.files,
                                           self.opts.operators, self.opts.excludes)
        chosen = selection.narrow(population, self.opts.sample, self.opts.seed, self.opts.shard,
                                  self.opts.ids, results.ids_in(self.opts.not_in))
        data = self.start(population, chosen)
        # A record counts as done only if its file is still the text it was made from.
        current = {f: _sha256((self.builder.src / f).read_text(encoding="utf-8"))
                   for f in {m.file for m in chosen}}
        # The others are stale: their file changed (ids move with lines, and the mutant is
        # re-run under its id of today) or they are no longer selected.
        chosen_ids = {m.id for m in chosen}
        kept = [r for r in data["mutants"]
                if r["id"] in chosen_ids and current.get(r["file"]) == r.get("source_sha256")]
        if len(kept) != len(data["mutants"]):
            _say(f"resume: {len(data['mutants']) - len(kept)} earlier result(s) dropped: their "
                 "source changed or they are no longer selected")
        data["mutants"] = kept
        done = {r["id"] for r in kept}
        todo = [m for m in chosen if m.id not in done]
        _say(f"{len(population)} mutants, {len(chosen)} selected, {len(todo)} to run")
        data["baseline"] = self.baseline()
        results.save(self.results_path, data)
        for k, mutant in enumerate(todo, start=1):
            record = self.try_mutant(mutant)
            data["mutants"] = [r for r in data["mutants"] if r["id"] != mutant.id] + [record]
            data["mutants"].sort(key=results.sort_key)
            data["summary"] = results.summarize(data["mutants"], self.survivors)
            results.save(self.results_path, data)
            _say(f"[{k}/{len(todo)}] {mutant.id:45} {_status_line(record)}")
        data["summary"] = results.summarize(data["mutants"], self.survivors)
        results.save(self.results_path, data)
        return data


def _status_line(r):
    times = f"build {r.get('build_seconds', 0):.1f}s"
    if "suite_seconds" in r:
        times += f", suite {r['suite_seconds']:.1f}s"
    k = r.get("killed_by") or {}
    if r["status"] == "killed" and "seed" in k:
        why = f"{k['property']} ({k['stage']}: {k.get('scenario', '')} seed {k.get('seed')})"
    elif r["status"] == "killed" and "property" in k:
        why = f"{k['property']} ({k['stage']})"
    elif r["status"] == "killed":
        why = f"{k.get('crash')} ({k.get('stage')}): {k.get('detail', '')[:80]}"
    elif r["status"] == "not_compiled":
        why = r.get("build_error", "")[:100]
    else:
        why = ""
    return f"{r['status']:12} {times}  {why}".rstrip()


def main(opts):
    try:
        runner = Runner(opts)
        data = runner.run()
    except (SetupError, survivors.SurvivorsFileError) as e:
        print(f"mutate: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("mutate: interrupted; the results so far are saved (--resume continues)",
              file=sys.stderr)
        return 130
    from .report import markdown
    md_path = runner.results_path.with_suffix(".md")
    md_path.write_text(markdown(data, runner.survivors), encoding="utf-8")
    s = data["summary"]
    rate = "n/a" if s["kill_rate"] is None else f"{100 * s['kill_rate']:.1f}%"
    _say(f"{s['generated']} mutants: {s['killed']} killed, {s['timeout']} timed out, "
         f"{s['survived']} survived ({s['equivalent']} equivalent, {s['accepted']} accepted, "
         f"{s['unlisted']} unlisted), {s['not_compiled']} not compiled; kill rate {rate}")
    _say(f"results: {runner.results_path}, report: {md_path}")
    return 1 if opts.strict and s["unlisted"] else 0
