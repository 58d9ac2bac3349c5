"""The `sql` operator: changed predicates and status lists inside string literals that look
like SQL. Only literals: SQL split over several adjacent literals is mutated literal by
literal (an IN list or a conjunct must sit inside one literal)."""

import re

from .lexer import matching_close
from .mutants import Candidate, Edit, snippet as _snippet

# A literal is SQL when it, or a literal it is concatenated with ("..." "..."), names one.
_SQL_HINT = re.compile(r"\b(SELECT|INSERT INTO|UPDATE|DELETE FROM|WHERE|CREATE|VALUES|FROM|"
                       r"JOIN|ORDER BY|GROUP BY|PRAGMA)\b")
_COMPARE = {"=": "<>", "<>": "=", "!=": "=", "<": "<=", "<=": "<", ">": ">=", ">=": ">"}
_COMPARE_RE = re.compile(r"(?<=\s)(<>|!=|<=|>=|=|<|>)(?=\s)")
_VALUE = r"(?:\?\d*|'+|-?[\w.]+)"
_CONJUNCT = (rf"[\w.]+\s+(?:=|<>|!=|<=|>=|<|>)\s+-?{_VALUE}"
             r"|[\w.]+\s+IS\s+(?:NOT\s+)?NULL")
_SET_CLAUSE = re.compile(r"\bSET\b.*?(?=\bWHERE\b|\bRETURNING\b|;|$)", re.S)


def _chains(src):
    """The literals grouped by concatenation: only whitespace between them."""
    chains = []
    for lit in src.literals:
        prev = chains[-1][-1] if chains else None
        if prev and not src.masked[prev.end + 1:lit.start - 1].strip():
            chains[-1].append(lit)
        else:
            chains.append([lit])
    return chains


def _looks_like_sql(text, chain):
    return any(text[lit.start - 5:lit.start] == 'R"sql' or _SQL_HINT.search(
        text[lit.start:lit.end]) for lit in chain)


def _sql_mask(content):
    """SQL comments to spaces, SQL string literals to quotes (same length, same newlines)."""
    def blank(m, ch):
        return "".join(c if c == "\n" else ch for c in m.group(0))
    content = re.sub(r"'[^']*'", lambda m: blank(m, "'"), content)
    return re.sub(r"--[^\n]*", lambda m: blank(m, " "), content)


def _in_lists(content, masked, base):
    for m in re.finditer(r"\bIN\s*\(", masked):
        close = matching_close(masked, m.end() - 1)
        if close < 0:
            continue
        items, begin = [], m.end()
        for i in range(m.end(), close + 1):
            if i == close or masked[i] == ",":
                raw = content[begin:i]
                lead = len(raw) - len(raw.lstrip())
                items.append((begin + lead, begin + len(raw.rstrip())))
                begin = i + 1
        if len(items) < 2 or not all(re.fullmatch(r"'[^']*'|-?\d+|\?\d*", content[a:b])
                                     for a, b in items):
            continue
        for k, (a, b) in enumerate(items):
            # Drop the item with the separator after it (the last: with the one before it).
            cut = (a, items[k + 1][0]) if k + 1 < len(items) else (items[k - 1][1], b)
            yield Candidate(base + a, f"drop {content[a:b]} from IN (...)",
                            (Edit(base + cut[0], base + cut[1], ""),))


def _candidates(content, base):
    masked = _sql_mask(content)
    set_ranges = [m.span() for m in _SET_CLAUSE.finditer(masked)]
    for m in _COMPARE_RE.finditer(masked):
        if masked.lstrip().startswith("PRAGMA") or any(a <= m.start() < b for a, b in set_ranges):
            continue  # an assignment, not a predicate
        new = _COMPARE[m.group(1)]
        yield Candidate(base + m.start(), f"SQL '{m.group(1)}' -> '{new}'",
                        (Edit(base + m.start(), base + m.end(), new),))
    for m in re.finditer(r"\b(AND|OR)\b", masked):
        if re.search(r"\b(BETWEEN\s+\S+|INSERT|UPDATE)\s+$", masked[:m.start()]):
            continue  # BETWEEN a AND b, INSERT OR IGNORE
        new = "OR" if m.group(1) == "AND" else "AND"
        yield Candidate(base + m.start(), f"SQL {m.group(1)} -> {new}",
                        (Edit(base + m.start(), base + m.end(), new),))
    yield from _in_lists(content, masked, base)
    for m in re.finditer(r"\bNOT\s+(?=IN\b)", masked):
        yield Candidate(base + m.start(), "SQL NOT IN -> IN",
                        (Edit(base + m.start(), base + m.end(), ""),))
    for m in re.finditer(r"\bIS\s+(NOT\s+)?NULL\b", masked):
        new = "IS NULL" if m.group(1) else "IS NOT NULL"
        yield Candidate(base + m.start(), f"SQL {' '.join(m.group(0).split())} -> {new}",
                        (Edit(base + m.start(), base + m.end(), new),))
    for m in re.finditer(r"\bORDER\s+BY\s+[\w.]+(\s+(ASC|DESC)\b)?", masked):
        key_end = m.start(1) if m.group(1) else m.end()
        new = "" if m.group(2) == "DESC" else " DESC"
        yield Candidate(base + m.start(), f"SQL {_snippet(content[m.start():m.end()])} -> "
                        f"{'ASC' if new == '' else 'DESC'}",
                        (Edit(base + key_end, base + m.end(), new),))
    for m in re.finditer(rf"\s+AND\s+(?:{_CONJUNCT})(?=[\s)]|$)", masked):
        yield Candidate(base + m.start(), f"SQL drop '{_snippet(content[m.start():m.end()])}'",
                        (Edit(base + m.start(), base + m.end(), ""),))
    for m in re.finditer(rf"\bWHERE\s+((?:{_CONJUNCT})\s+AND\s+)", masked):
        yield Candidate(base + m.start(1), f"SQL drop '{_snippet(content[m.start(1):m.end(1)])}'",
                        (Edit(base + m.start(1), base + m.end(1), ""),))


def sql(src):
    for chain in _chains(src):
        if _looks_like_sql(src.text, chain):
            for lit in chain:
                yield from _candidates(src.text[lit.start:lit.end], lit.start)
