"""Which files are mutated, and which of their mutants a run takes: filters, a deterministic
sample, a shard."""

import hashlib
import re
from pathlib import Path

from . import config
from .operators import OPERATORS, generate
from .source import Source


def _glob_regex(pattern):
    """A path glob: `*` and `?` stay inside a folder, `**/` matches any number of folders
    (none included)."""
    out, i = "", 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out, i = out + "(?:.*/)?", i + 3
        elif pattern.startswith("**", i):
            out, i = out + ".*", i + 2
        elif pattern[i] == "*":
            out, i = out + "[^/]*", i + 1
        elif pattern[i] == "?":
            out, i = out + "[^/]", i + 1
        else:
            out, i = out + re.escape(pattern[i]), i + 1
    return re.compile(out + r"\Z")


def matches(path, patterns):
    return any(_glob_regex(p).match(path) for p in patterns)


def source_files(root, includes=config.SOURCE_GLOBS, excludes=config.DEFAULT_EXCLUDES):
    """Repo-relative paths of the files to mutate, sorted."""
    root = Path(root)
    found = set()
    for pattern in includes:
        top = pattern.split("*", 1)[0].rsplit("/", 1)[0] or "."
        for path in (root / top).rglob("*"):
            rel = path.relative_to(root).as_posix()
            if path.is_file() and matches(rel, (pattern,)) and not matches(rel, excludes):
                found.add(rel)
    return sorted(found)


def parse_operators(values):
    """`--operators ror,aor sdl` -> the names, checked."""
    names = [n for v in values or () for n in v.split(",") if n]
    unknown = sorted(set(names) - set(OPERATORS))
    if unknown:
        raise ValueError(f"unknown operator(s) {', '.join(unknown)}; "
                         f"known: {', '.join(sorted(OPERATORS))}")
    return sorted(set(names)) or sorted(OPERATORS)


def all_mutants(root, files=None, operators=None, excludes=config.DEFAULT_EXCLUDES):
    """Every mutant of the selected files, in id order (file, line, operator, index).
    `files`: globs that narrow the default sources."""
    root = Path(root)
    out = []
    for rel in source_files(root, excludes=excludes):
        if files and not matches(rel, files):
            continue
        src = Source(rel, (root / rel).read_text(encoding="utf-8"))
        out.extend(generate(src, operators))
    return out


def sample(mutants, n, seed):
    """`n` mutants chosen by sha256(seed:id): the same for a given seed and set of ids,
    and nested (a bigger n keeps the smaller sample). Returned in id order."""
    def rank(m):
        return hashlib.sha256(f"{seed}:{m.id}".encode()).hexdigest()
    chosen = {m.id for m in sorted(mutants, key=rank)[:n]}
    return [m for m in mutants if m.id in chosen]


def parse_shard(text):
    """`I/N`, 0-based like `reckon sweep --shard`: returns (I, N)."""
    m = re.fullmatch(r"(\d+)/(\d+)", text or "")
    if not m or int(m[2]) < 1 or int(m[1]) >= int(m[2]):
        raise ValueError(f"--shard wants I/N with 0 <= I < N, got '{text}'")
    return int(m[1]), int(m[2])


def shard(mutants, index, count):
    """The mutants whose position in id order is `index` modulo `count`."""
    return [m for k, m in enumerate(mutants) if k % count == index]


def narrow(mutants, sample_size=None, seed="1", shard_text=None, ids=None, left_out=None):
    """--not-in (`left_out`: ids to leave out), --ids, then --sample, then --shard."""
    if left_out:
        mutants = [m for m in mutants if m.id not in left_out]
    if ids:
        known = {m.id for m in mutants}
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise ValueError(f"no such mutant among the selected sources: {', '.join(unknown)} "
                             "(`tools/mutate list` prints the ids of today's sources)")
        wanted = set(ids)
        mutants = [m for m in mutants if m.id in wanted]
    if sample_size is not None:
        mutants = sample(mutants, sample_size, seed)
    if shard_text:
        mutants = shard(mutants, *parse_shard(shard_text))
    return mutants
