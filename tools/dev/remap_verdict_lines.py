#!/usr/bin/env python3
"""Moves the survivor verdicts of one engine file to the line numbers of its new text.

A mutant id names its line (file:line:operator:index), so an edit above a judged line moves
the id, and the verdict no longer matches the mutant when the file is run again. For each
verdict id of FILE in tests/data/mutation-survivors.toml whose line lies in a part of the file
the edit left unchanged (difflib's equal blocks between the old text, by default HEAD's, and
the working tree's), this rewrites the line to where that text is now. Verdicts on changed
lines are left as they are, to be judged again.

usage: tools/dev/remap_verdict_lines.py FILE [--old-rev REV]"""
import argparse
import difflib
import re
import subprocess
from pathlib import Path

SURVIVORS = Path("tests/data/mutation-survivors.toml")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--old-rev", default="HEAD")
    args = ap.parse_args()
    old = subprocess.run(["git", "show", f"{args.old_rev}:{args.file}"], check=True,
                         capture_output=True, text=True).stdout.splitlines()
    new = Path(args.file).read_text(encoding="utf-8").splitlines()
    moved = {}
    for block in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_matching_blocks():
        for k in range(block.size):
            moved[block.a + k + 1] = block.b + k + 1
    pattern = re.compile(r'^(id = "' + re.escape(args.file) + r':)(\d+)(:[^"]+")$', re.M)
    count = 0

    def shift(m):
        nonlocal count
        line = int(m.group(2))
        if moved.get(line, line) != line:
            count += 1
        return f"{m.group(1)}{moved.get(line, line)}{m.group(3)}"

    SURVIVORS.write_text(pattern.sub(shift, SURVIVORS.read_text(encoding="utf-8")),
                         encoding="utf-8")
    print(f"{args.file}: {count} verdict id(s) moved")


if __name__ == "__main__":
    main()
