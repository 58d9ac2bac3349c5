#!/usr/bin/env python3
"""Lists the functions of the project's C++ sources longer than a limit (default 70 lines),
longest first, and counts them: the figure docs/architecture.md and the refactoring issue
track. A function is a brace block opened at namespace or class scope by a line whose text
before the `{` closes a parameter list (`)`, `) const`, `) override`, a constructor's
initialisers); lambdas and blocks inside a function count towards it. Comments and string
literals are blanked first, so braces in them do not count. A heuristic, not a parser: it
is checked against the tree by running it, and it only has to rank and count.

usage: python3 tools/dev/long_functions.py [--limit N] [DIR...]   (default dirs: the tree's)
"""
import argparse
import os
import re
import sys

DEFAULT_DIRS = ["adapters", "cli", "engine", "faults", "live", "oracle", "reports", "sdk", "sim"]
SCOPE_OPENERS = re.compile(r"\b(namespace|class|struct|union|enum|extern)\b[^;()]*$")
CONTROL = re.compile(r"^\s*(if|for|while|switch|catch|do|else|try)\b")


def blank_comments_and_strings(text):
    """The text with comments, string and character literals replaced by spaces (newlines
    kept), so that line numbers stay and braces inside them vanish."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text.startswith('R"', i):
            m = re.match(r'R"([^(\s]*)\(', text[i:])
            if not m:
                out.append(c)
                i += 1
                continue
            end = text.find(")" + m.group(1) + '"', i)
            j = n if end < 0 else end + len(m.group(1)) + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(" " * (j - i))
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def functions(path):
    """(first line, last line, name) of each top-level function body in the file."""
    text = blank_comments_and_strings(open(path, encoding="utf-8", errors="replace").read())
    found = []
    stack = []  # per open brace: "scope", "function" or "block"
    statement = ""  # text since the last ; { or } at this level
    line = 1
    start_line = 0
    for c in text:
        if c == "\n":
            line += 1
            statement += " "
            continue
        if c == "{":
            head = " ".join(statement.split())
            in_function = "function" in stack
            if in_function:
                stack.append("block")
            elif SCOPE_OPENERS.search(head) and not head.endswith(")"):
                stack.append("scope")
            elif head and not CONTROL.match(head) and re.search(
                    r"\)\s*(const|override|final|noexcept|mutable|&|&&|\s)*"
                    r"(->\s*[\w:<>,\s*&]+)?$|\)\s*:\s*.*$", head):
                stack.append("function")
                start_line = line
                name = re.findall(r"([~\w:]+)\s*\(", head)
                found.append([start_line, 0, name[0] if name else "?", path])
            else:
                stack.append("block")
            statement = ""
        elif c == "}":
            kind = stack.pop() if stack else "block"
            if kind == "function":
                found[-1][1] = line
            statement = ""
        elif c == ";":
            statement = ""
        else:
            statement += c
    return [tuple(f) for f in found if f[1]]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=70)
    parser.add_argument("dirs", nargs="*")
    args = parser.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    dirs = args.dirs or [os.path.join(root, d) for d in DEFAULT_DIRS]
    rows = []
    total = 0
    for d in dirs:
        for base, _, files in os.walk(d):
            for f in sorted(files):
                if not f.endswith((".cpp", ".h", ".cc", ".hpp")):
                    continue
                path = os.path.join(base, f)
                for first, last, name, _ in functions(path):
                    total += 1
                    length = last - first + 1
                    if length > args.limit:
                        rows.append((length, os.path.relpath(path, root), first, name))
    rows.sort(key=lambda r: (-r[0], r[1], r[2]))
    for length, path, first, name in rows:
        print("%4d  %s:%d  %s" % (length, path, first, name))
    print("%d of %d functions are longer than %d lines" % (len(rows), total, args.limit))
    return 0


if __name__ == "__main__":
    sys.exit(main())
