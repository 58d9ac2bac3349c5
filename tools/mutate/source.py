"""One C++ file as the operators see it: text, masked text, literals and skipped lines."""

import bisect
import re

from . import config
from .lexer import mask, matching_close, top_level


class Source:
    def __init__(self, path, text, skip_calls=config.SKIP_CALLS,
                 planted_word=config.PLANTED_WORD,
                 planted_functions=config.PLANTED_ONLY_FUNCTIONS):
        self.path = path  # repo-relative
        self.text = text
        self.masked, self.literals = mask(text)
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.skip_lines = self._skipped(skip_calls)
        if planted_word:
            self.skip_lines |= self._planted(planted_word, planted_functions)
        self.skip_lines |= self._coverage_excluded()

    def line_of(self, offset):
        """1-based line of an offset."""
        return bisect.bisect_right(self._line_starts, offset)

    def line_start(self, line):
        return self._line_starts[line - 1]

    def in_class_body(self, offset):
        """Whether the innermost braces around `offset` are a struct, class or union body."""
        if not hasattr(self, "_class_bodies"):
            self._class_bodies = []
            for m in re.finditer(r"\{", self.masked):
                head = re.split(r"[;{}]", self.masked[:m.start()])[-1]
                kind = re.match(r"\s*(?:template\s*<[^>]*>\s*)?(struct|class|union)\b", head)
                self._class_bodies.append((m.start(), matching_close(self.masked, m.start()),
                                           bool(kind)))
        inner = [(a, is_class) for a, b, is_class in self._class_bodies if a < offset < b]
        return bool(inner) and max(inner)[1]

    def lines_of(self, start, end):
        return set(range(self.line_of(start), self.line_of(end) + 1))

    def skipped(self, offset):
        return self.line_of(offset) in self.skip_lines

    def _skipped(self, skip_calls):
        """Lines never mutated: #include and other preprocessor lines, and every line of a
        call to one of `skip_calls` (RECKON_CHECK, assert, ...)."""
        skip = set()
        for n, line in enumerate(self.text.splitlines(), start=1):
            if line.lstrip().startswith("#"):
                skip.add(n)
        if skip_calls:
            names = "|".join(re.escape(c) for c in skip_calls)
            for m in re.finditer(rf"(?<!\w)(?:{names})\s*\(", self.masked):
                close = matching_close(self.masked, m.end() - 1)
                close = len(self.masked) - 1 if close < 0 else close
                skip.update(range(self.line_of(m.start()), self.line_of(close) + 1))
        return skip

    def _coverage_excluded(self):
        """Lines ci/coverage.sh leaves out too: GCOVR_EXCL_START..GCOVR_EXCL_STOP regions and
        GCOVR_EXCL_LINE lines. Each states why in its comment (planted defect only, live mode
        only): code the simulator never runs for the correct engine, so no sweep can reach a
        mutant of it. One statement of that set serves both tools."""
        skip, start = set(), None
        for n, line in enumerate(self.text.splitlines(), start=1):
            if "GCOVR_EXCL_START" in line:
                start = n
            if start is not None or "GCOVR_EXCL_LINE" in line:
                skip.add(n)
            if "GCOVR_EXCL_STOP" in line:
                start = None
        return skip

    def _planted(self, word, functions):
        """Lines of code that runs only with a planted defect on (config.PLANTED_WORD)."""
        masked, word_re = self.masked, re.compile(rf"\b{re.escape(word)}\b", re.I)
        skip = {n for n, line in enumerate(self.text.splitlines(), start=1)
                if word_re.search(line)}
        for m in re.finditer(r"\bif\s*\(", masked):
            close = matching_close(masked, m.end() - 1)
            cond = masked[m.end():close]
            guard = re.search(rf"(!\s*)?[\w.>-]*{re.escape(word)}", cond, re.I)
            if close < 0 or not guard or guard.group(1) or "||" in top_level(cond):
                continue
            body = re.compile(r"\s*").match(masked, close + 1).end()
            end = matching_close(masked, body) if masked[body:body + 1] == "{" else \
                masked.find(";", body)
            if end >= 0:
                skip |= self.lines_of(m.start(), end)
        for name in functions:
            for m in re.finditer(rf"\b{re.escape(name)}\s*\(", masked):
                close = matching_close(masked, m.end() - 1)
                body = re.compile(r"[\s\w]*").match(masked, close + 1).end()
                if close >= 0 and masked[body:body + 1] == "{":
                    skip |= self.lines_of(m.start(), matching_close(masked, body))
        return skip
