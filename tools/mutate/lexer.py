"""A masked view of C++ source, so that operators can match code with regexes.

`mask(text)` returns a string of the same length with the same newlines in which:
- comments and preprocessor lines are spaces;
- every character of a string or character literal (quotes, prefix and raw delimiters
  included, newlines excepted) is `"` (strings) or `'` (characters);
and the list of string literals with the offsets of their contents, for the `sql`
operator, which is the one operator that looks inside literals.
"""

import re
from dataclasses import dataclass

_RAW_OPEN = re.compile(r'(?:u8|u|U|L)?R"([^()\\\s"]{0,16})\(')


@dataclass(frozen=True)
class Literal:
    start: int  # offset of the first character of the contents
    end: int    # offset just after the last character of the contents
    raw: bool


def _fill(out, start, end, ch):
    for i in range(start, end):
        if out[i] != "\n":
            out[i] = ch


def _is_digit_separator(text, i):
    """A `'` inside a number (1'000'000) is a digit separator, not a character literal."""
    j = i
    while j > 0 and (text[j - 1].isalnum() or text[j - 1] in "_.'"):
        j -= 1
    return j < i and text[j].isdigit()


def _line_start(text, i):
    return text.rfind("\n", 0, i) + 1


def mask(text):
    out = list(text)
    literals = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "/" and text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end < 0 else end
            _fill(out, i, end, " ")
            i = end
        elif c == "/" and text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            _fill(out, i, end, " ")
            i = end
        elif c == "#" and not text[_line_start(text, i):i].strip():
            end = i
            while True:  # a preprocessor line, with its backslash continuations
                nl = text.find("\n", end)
                nl = n if nl < 0 else nl
                if nl == n or not text[end:nl].rstrip(" \t").endswith("\\"):
                    end = nl
                    break
                end = nl + 1
            _fill(out, i, end, " ")
            i = end
        elif c in "uULR" and (m := _RAW_OPEN.match(text, i)) and (
                i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            close = text.find(")" + m.group(1) + '"', m.end())
            end = n if close < 0 else close + len(m.group(1)) + 2
            literals.append(Literal(m.end(), close if close >= 0 else n, True))
            _fill(out, i, end, '"')
            i = end
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"' and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            literals.append(Literal(i + 1, min(j, n), False))
            _fill(out, i, min(j + 1, n), '"')
            i = j + 1
        elif c == "'" and not _is_digit_separator(text, i):
            j = i + 1
            while j < n and text[j] != "'" and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            _fill(out, i, min(j + 1, n), "'")
            i = j + 1
        else:
            i += 1
    return "".join(out), literals


_OPEN = {")": "(", "]": "[", "}": "{"}


def matching_close(masked, open_at):
    """Offset of the bracket closing the one at `open_at` (in masked text), or -1."""
    depth = 0
    for i in range(open_at, len(masked)):
        ch = masked[i]
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
            if depth == 0:
                return i
    return -1


def top_level(segment):
    """`segment` with the contents of every bracket pair replaced by spaces, so that a
    regex sees only its outermost level."""
    out = list(segment)
    depth = 0
    for i, ch in enumerate(segment):
        if ch in ")]}":
            depth -= 1
        if depth > 0 and ch != "\n":
            out[i] = " "
        if ch in "([{":
            depth += 1
    return "".join(out)
