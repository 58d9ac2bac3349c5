"""Command line: list, show, run, report (docs/mutation.md)."""

import argparse
import subprocess
import sys
from collections import Counter
from pathlib import Path

from . import config, history, results, runner, selection, survivors
from .report import compare, markdown


def _selection_args(p):
    p.add_argument("--files", nargs="+", metavar="GLOB",
                   help="only these sources (globs such as engine/store/*.cpp)")
    p.add_argument("--operators", nargs="+", metavar="OP",
                   help=f"only these operators ({', '.join(sorted(selection.OPERATORS))})")
    p.add_argument("--exclude", nargs="+", metavar="GLOB", default=[],
                   help=f"exclude these sources too (always: {', '.join(config.DEFAULT_EXCLUDES)})")
    p.add_argument("--ids", nargs="+", metavar="ID", default=[],
                   help="only these mutants (FILE:LINE:OPERATOR:INDEX), e.g. last run's survivors")
    p.add_argument("--sample", type=int, metavar="N",
                   help="a deterministic sample of N mutants (see --seed)")
    p.add_argument("--seed", default="1", metavar="S", help="the sample's seed (default 1)")
    p.add_argument("--shard", metavar="I/N",
                   help="mutants whose index (in id order, after --sample) is I modulo N, 0-based")
    p.add_argument("--not-in", nargs="+", metavar="FILE", default=[],
                   help="leave out mutants whose id is in these results files (applied first): "
                        "what runs at other commits have not reached")


def _stages(text):
    names = [n for n in text.split(",") if n]
    known = {s.name: s for s in config.STAGES}
    unknown = [n for n in names if n not in known]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"stages are among {', '.join(known)}")
    return tuple(known[n] for n in names)


def parser():
    top = argparse.ArgumentParser(prog="python3 tools/mutate",
                                  description="Mutation testing of engine/ (docs/mutation.md)")
    top.add_argument("--repo", default=str(config.REPO_ROOT), help=argparse.SUPPRESS)
    sub = top.add_subparsers(dest="command", required=True)

    p = sub.add_parser("list", help="print mutant ids and what each changes")
    _selection_args(p)
    p.add_argument("--summary", action="store_true", help="counts per operator and per file")

    p = sub.add_parser("show", help="print the diff of one mutant")
    p.add_argument("id")

    p = sub.add_parser("run", help="build and test mutants, write results")
    _selection_args(p)
    p.add_argument("--results", metavar="FILE", help="default .mutate/results.json")
    p.add_argument("--resume", action="store_true", help="skip mutants already in --results")
    p.add_argument("--fresh", action="store_true", help="replace an existing --results file")
    p.add_argument("--timeout", type=float, default=config.DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"kill-suite time per mutant (default {config.DEFAULT_TIMEOUT})")
    p.add_argument("--build-timeout", type=float, default=config.DEFAULT_BUILD_TIMEOUT,
                   metavar="SECONDS", help=argparse.SUPPRESS)
    p.add_argument("--jobs", type=int, default=config.DEFAULT_JOBS,
                   help=f"ninja -j and sweep --jobs (default {config.DEFAULT_JOBS})")
    p.add_argument("--stages", type=_stages, default=config.STAGES, metavar="A,B",
                   help=f"kill-suite stages (default {','.join(s.name for s in config.STAGES)})")
    p.add_argument("--no-baseline", action="store_true",
                   help="skip checking that the unmutated engine passes the kill suite")
    p.add_argument("--strict", action="store_true",
                   help="exit 1 when a survivor is not in the survivors file")
    p.add_argument("--workdir", default=config.WORKDIR, help=argparse.SUPPRESS)

    p = sub.add_parser("report", help="Markdown from results; or compare two results files")
    p.add_argument("results", nargs="*", metavar="RESULTS.json",
                   help="results files (shards are merged); default .mutate/results.json")
    p.add_argument("--compare", nargs=2, metavar=("OLD", "NEW"))
    p.add_argument("--current", action="store_true",
                   help="only the mutants of the current tree, each under the result whose "
                        "lines are today's (stale ids left out; the unreached are counted)")
    p.add_argument("--out", metavar="FILE", help="write here instead of stdout")
    p.add_argument("--unreached", metavar="FILE",
                   help="with --current: write the ids of today's mutants with no result here, "
                        "one per line (for `run --ids $(cat FILE)`)")

    for p in sub.choices.values():
        p.add_argument("--survivors", default=config.SURVIVORS_FILE, help=argparse.SUPPRESS)
    return top


def _mutants(opts):
    ops = selection.parse_operators(opts.operators)
    excludes = tuple(config.DEFAULT_EXCLUDES) + tuple(opts.exclude)
    return selection.all_mutants(opts.repo, opts.files, ops, excludes)


def cmd_list(opts):
    chosen = selection.narrow(_mutants(opts), opts.sample, opts.seed, opts.shard, opts.ids,
                              results.ids_in(opts.not_in))
    if not opts.summary:
        for m in chosen:
            print(f"{m.id}\t{m.description}")
        return 0
    for title, key in (("operator", lambda m: m.operator), ("file", lambda m: m.file)):
        counts = Counter(key(m) for m in chosen)
        print(f"{title:40} mutants")
        for name, n in sorted(counts.items()):
            print(f"  {name:38} {n}")
    print(f"{'total':40} {len(chosen)}")
    return 0


def cmd_show(opts):
    from .mutants import parse_id
    parsed = parse_id(opts.id)
    if not parsed:
        print(f"mutate: '{opts.id}' is not an id FILE:LINE:OPERATOR:INDEX", file=sys.stderr)
        return 2
    for m in selection.all_mutants(opts.repo, [parsed[0]], [parsed[2]]):
        if m.id == opts.id:
            text = (Path(opts.repo) / m.file).read_text(encoding="utf-8")
            print(f"{m.id}: {m.description}")
            print(m.diff(text), end="")
            return 0
    print(f"mutate: no mutant {opts.id} in the current tree (lines move: `list --files "
          f"{parsed[0]} --operators {parsed[2]}` shows its ids)", file=sys.stderr)
    return 2


def cmd_run(opts):
    opts.operators = selection.parse_operators(opts.operators)
    opts.excludes = tuple(config.DEFAULT_EXCLUDES) + tuple(opts.exclude)
    if opts.shard:
        selection.parse_shard(opts.shard)
    return runner.main(opts)


def carry_to_today(repo, loaded, texts_now):
    """For report --current: where each record's line is today, through the text it ran on
    (found in git history by its source_sha256) and today's text (tools/mutate/history.py)."""
    wanted = {r.get("source_sha256") for d in loaded for r in d["mutants"]} - {None}
    try:
        past = history.texts_by_sha256(repo, {r["file"] for d in loaded for r in d["mutants"]},
                                       wanted)
    except (OSError, subprocess.CalledProcessError) as e:
        print(f"mutate: no git history to carry results over moved lines ({e}); only results "
              "of today's lines at today's ids count", file=sys.stderr)
        past = {}
    maps = {}

    def carry(record):
        old_text, new_text = past.get(record.get("source_sha256")), texts_now.get(record["file"])
        if old_text is None or new_text is None:
            return None
        key = (record["source_sha256"], record["file"])
        if key not in maps:
            maps[key] = history.line_map(old_text, new_text)
        span = len(record.get("original", "").splitlines()) or 1
        lines = [maps[key].get(record["line"] + k) for k in range(span)]
        # Every line of the mutant's span unchanged and still consecutive.
        if None in lines or lines != list(range(lines[0], lines[0] + span)):
            return None
        return lines[0]
    return carry


def cmd_report(opts):
    listed = survivors.load(Path(opts.repo) / opts.survivors)
    if opts.compare:
        text = compare(results.load(opts.compare[0]), results.load(opts.compare[1]), listed)
    else:
        files = opts.results or [str(Path(opts.repo) / config.WORKDIR / "results.json")]
        loaded = [results.load(f) for f in files]
        merged = results.merge(loaded)
        if opts.current:
            current, texts = {}, {}
            for m in selection.all_mutants(opts.repo):
                if m.file not in texts:
                    texts[m.file] = (Path(opts.repo) / m.file).read_text(encoding="utf-8")
                current[m.id] = tuple(m.original_and_mutated(texts[m.file]))
            merged, unreached = results.current_only(loaded, current,
                                                     carry_to_today(opts.repo, loaded, texts))
            print(f"mutate: {len(current)} mutants in the current tree, "
                  f"{len(unreached)} with no result of today's lines"
                  + (f" (first: {unreached[0]})" if unreached else ""), file=sys.stderr)
            if opts.unreached:
                Path(opts.unreached).write_text("".join(i + "\n" for i in unreached),
                                                encoding="utf-8")
        text = markdown(merged, listed)
    if opts.out:
        Path(opts.out).write_text(text, encoding="utf-8")
    else:
        print(text, end="")
    return 0


def main(argv=None):
    opts = parser().parse_args(argv)
    try:
        return {"list": cmd_list, "show": cmd_show, "run": cmd_run,
                "report": cmd_report}[opts.command](opts)
    except (ValueError, OSError, survivors.SurvivorsFileError) as e:
        print(f"mutate: {e}", file=sys.stderr)
        return 2
