"""A mutant: a named, deterministic set of text edits to one source file."""

import difflib
import re
from dataclasses import dataclass

ID_PATTERN = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<op>[a-z]+):(?P<index>\d+)$")


@dataclass(frozen=True)
class Edit:
    start: int  # offset in the file's text
    end: int
    text: str   # replaces text[start:end]


@dataclass(frozen=True)
class Candidate:
    """What an operator proposes; `generate` (operators.py) numbers it into a Mutant."""

    anchor: int  # offset whose line names the mutant
    description: str
    edits: tuple[Edit, ...]


def snippet(text, limit=60):
    """`text` on one line, whitespace collapsed, at most `limit` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit - 3] + "..."


@dataclass(frozen=True)
class Mutant:
    file: str  # repo-relative, with forward slashes
    line: int  # 1-based line of the first edit
    operator: str
    index: int  # among this operator's mutants of this line, in column order
    description: str
    edits: tuple[Edit, ...]

    @property
    def id(self):
        return f"{self.file}:{self.line}:{self.operator}:{self.index}"

    def apply(self, text):
        for e in sorted(self.edits, key=lambda e: e.start, reverse=True):
            text = text[:e.start] + e.text + text[e.end:]
        return text

    def span(self, text):
        """(first line, last line), 1-based, of the original text the edits touch."""
        first = min(e.start for e in self.edits)
        last = max(max(e.end - 1, e.start) for e in self.edits)
        return text.count("\n", 0, first) + 1, text.count("\n", 0, last) + 1

    def original_and_mutated(self, text):
        """The touched lines before and after, as two strings."""
        first, last = self.span(text)
        before = text.splitlines()[first - 1:last]
        mutated_lines = self.apply(text).splitlines()
        grown = len(mutated_lines) - len(text.splitlines())
        after = mutated_lines[first - 1:last + grown]
        return "\n".join(before), "\n".join(after)

    def diff(self, text, context=3):
        return "".join(difflib.unified_diff(
            text.splitlines(keepends=True), self.apply(text).splitlines(keepends=True),
            fromfile=f"a/{self.file}", tofile=f"b/{self.file}", n=context))


def parse_id(mutant_id):
    """(file, line, operator, index) of a mutant id, or None if it is not one."""
    m = ID_PATTERN.match(mutant_id)
    if not m:
        return None
    return m["file"], int(m["line"]), m["op"], int(m["index"])
