"""Past texts of the engine's files, found by the sha256 a result records of the text it ran
on (`source_sha256`), and where a line of such a text is today.

A refactoring moves lines, and a mutant's id names its line, so without this every result
below an edit stops counting for today's tree. A result carries to today's id only when its
line lies in a block the edit left unchanged (difflib's equal blocks, as
tools/dev/remap_verdict_lines.py moves the verdicts) and today's mutant there changes the same
text the same way: code that was rewritten is run again."""

import difflib
import hashlib
import subprocess


def _git(repo, *args, stdin=None):
    return subprocess.run(["git", "-C", str(repo), *args], input=stdin, capture_output=True,
                          check=True).stdout


def texts_by_sha256(repo, files, wanted):
    """{sha256: text} for every version of `files` in the repository's history whose sha256
    is in `wanted` (texts run from an uncommitted tree are not found)."""
    if not wanted or not files:
        return {}
    log = _git(repo, "log", "--all", "--format=", "--raw", "--no-abbrev", "--", *sorted(files))
    blobs = set()
    for line in log.decode().splitlines():
        parts = line.split()
        if len(parts) >= 5 and line.startswith(":") and set(parts[3]) != {"0"}:
            blobs.add(parts[3])
    if not blobs:
        return {}
    batch = _git(repo, "cat-file", "--batch", stdin="".join(b + "\n" for b in sorted(blobs)).encode())
    found, pos = {}, 0
    while pos < len(batch):
        header_end = batch.index(b"\n", pos)
        header = batch[pos:header_end].split()
        size = int(header[2])
        body = batch[header_end + 1:header_end + 1 + size]
        pos = header_end + 1 + size + 1  # the body, then a newline
        sha = hashlib.sha256(body).hexdigest()
        if sha in wanted:
            found[sha] = body.decode("utf-8")
    return found


def line_map(old_text, new_text):
    """{old line: new line} (1-based) for the lines the edit left unchanged with their context:
    inside a block of unchanged lines, not at either end of it (the lines just before and
    after are unchanged and still adjacent). difflib also matches lone common lines (`}`,
    `return s;`) between changed code, which are not the same code in the same place."""
    old, new = old_text.splitlines(), new_text.splitlines()
    moved = {}
    for block in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_matching_blocks():
        for k in range(1, block.size - 1):
            moved[block.a + k + 1] = block.b + k + 1
    return moved
