"""The mutation operators on C++ code. Each is a generator of Candidates over a Source;
`generate` numbers them into Mutants. The code is clang-formatted, so binary operators have
spaces around them and regexes on the masked text (lexer.py) find them."""

import re

from .lexer import matching_close, top_level
from .mutants import Candidate, Edit, Mutant, snippet as _snippet
from .sql_operator import sql


def _binary(ops):
    alternatives = "|".join(re.escape(o) for o in sorted(ops, key=len, reverse=True))
    return re.compile(rf"(?<=\s)({alternatives})(?=\s)")


def _replace(m, new, desc=None):
    return Candidate(m.start(1), desc or f"'{m.group(1)}' -> '{new}'",
                     (Edit(m.start(1), m.end(1), new),))


_ROR = {"<": ("<=", ">="), "<=": ("<", ">"), ">": (">=", "<="), ">=": (">", "<"),
        "==": ("!=",), "!=": ("==",)}
_ROR_RE = _binary(_ROR)
_LOGICAL_RE = re.compile(r"(?<=\s)(&&|\|\|)(?=\s)")


def ror(src):
    """Relational operator: each to its boundary neighbour and to its negation."""
    for m in _ROR_RE.finditer(src.masked):
        for new in _ROR[m.group(1)]:
            yield _replace(m, new)


_AOR = {"+": "-", "-": "+", "*": "/", "/": "*", "%": "/",
        "+=": "-=", "-=": "+=", "*=": "/=", "/=": "*="}
_AOR_RE = _binary(_AOR)


def aor(src):
    """Arithmetic operator swaps. A `+` or `+=` next to a string literal is concatenation:
    skipped."""
    masked = src.masked
    for m in _AOR_RE.finditer(masked):
        before = masked[:m.start()].rstrip()[-1:]
        after = masked[m.end():].lstrip()[:1]
        if m.group(1) in ("+", "+=") and '"' in (before, after):
            continue
        yield _replace(m, _AOR[m.group(1)])


def lcr(src):
    """Logical connector: && <-> ||."""
    for m in _LOGICAL_RE.finditer(src.masked):
        yield _replace(m, "||" if m.group(1) == "&&" else "&&")


_INT_RE = re.compile(r"(?<![\w.'\"])(\d[\d']*)([uUlLzZ]*)(?![\w.'\"])")


def crp(src):
    """Integer constants (and so bounds) +1 and -1; 0 becomes 1. Not a pure-virtual `= 0`,
    nor a zero default member initializer (`int64_t seq = 0;` in a struct): the members are
    set before they are read, and in a header each such mutant rebuilds half the engine."""
    masked = src.masked
    for m in _INT_RE.finditer(masked):
        value = int(m.group(1).replace("'", ""))
        before = masked[max(0, m.start() - 200):m.start()]
        if value == 0 and re.search(r"=\s*$", before) and (
                re.search(r"\)[\s\w]*=\s*$", before) or src.in_class_body(m.start())):
            continue
        for new in (value + 1, value - 1) if value > 0 else (value + 1,):
            yield _replace(m, str(new), f"{m.group(1)} -> {new}")


def _is_single_comparison(top):
    return len(_ROR_RE.findall(top)) == 1 and not re.search(r"&&|\|\||\?", top)


def _trim(masked, start, end):
    while start < end and masked[start].isspace():
        start += 1
    while end > start and masked[end - 1].isspace():
        end -= 1
    return start, end


def neg(src):
    """Negate the condition of an if or while. Skipped: a condition that declares or assigns
    (`if (auto* p = f())`), and a single comparison, whose negation `ror` already makes."""
    masked = src.masked
    for m in re.finditer(r"\b(if|while)\s*\(", masked):
        close = matching_close(masked, m.end() - 1)
        if close < 0:
            continue
        start, end = m.end(), close
        semi = top_level(masked[start:end]).rfind(";")  # if (init; condition)
        if semi >= 0:
            start += semi + 1
        start, end = _trim(masked, start, end)
        top = top_level(masked[start:end])
        if not top or re.search(r"(?<![=!<>])=(?!=)", top) or _is_single_comparison(top):
            continue
        cond = _snippet(src.text[start:end], 40)
        yield Candidate(m.start(), f"{m.group(1)} ({cond}) -> {m.group(1)} (!({cond}))",
                        (Edit(start, start, "!("), Edit(end, end, ")")))


_NOT_STATEMENTS = frozenset("""
    return break continue throw goto case default using typedef namespace template
    static_assert if for while switch do else delete co_return co_await co_yield public
    private protected friend struct class enum union const constexpr static auto inline
    extern virtual explicit typename""".split())
_CALL_RE = re.compile(r"^(?:::)?[A-Za-z_]\w*(?:\s*(?:\.|->|::)\s*[A-Za-z_]\w*)*\s*(?:<[^;]*?>)?\(")
_LHS_RE = re.compile(r"^\**[A-Za-z_][\w:]*(?:(?:\.|->)[A-Za-z_]\w*|\(\)|\[\])*$")
_ASSIGN_RE = re.compile(r"^(\S+) (?:=|\+=|-=|\*=|/=|%=|\|=|&=|\^=|<<=|>>=) ")
_INCDEC_RE = re.compile(r"^(?:(?:\+\+|--)[\w.\->\[\]]+|[\w.\->\[\]]+(?:\+\+|--));$")
_MAX_STATEMENT_LINES = 15


def _statement_end(masked, start):
    """Offset of the `;` ending the statement at `start`, or -1 if what starts there is not a
    simple statement (a block, a function or class body, unbalanced brackets)."""
    depth, limit = 0, _MAX_STATEMENT_LINES
    for i in range(start, len(masked)):
        ch = masked[i]
        if ch == "\n":
            limit -= 1
            if limit == 0:
                return -1
        elif ch in "([{":
            if ch == "{" and depth == 0 and masked[:i].rstrip()[-1:] != "=":
                return -1
            depth += 1
        elif ch in ")]}":
            depth -= 1
            if depth < 0:
                return -1
        elif ch == ";" and depth == 0:
            return i
    return -1


def _starts_statement(src, start):
    """Whether the code before `start` ends a statement, a block opening or a case label."""
    before = src.masked[:start].rstrip()
    if not before or before[-1] in ";{}":
        return True
    if before[-1] == ":":
        label = src.masked[src.line_start(src.line_of(len(before) - 1)):len(before)].strip()
        return re.match(r"(case\b|default\b)", label) is not None
    return False


def sdl(src):
    """Delete a statement that starts its line and is a call, an assignment or ++/--:
    never a declaration, return, break, throw or control statement. Replaced by `;`."""
    masked = src.masked
    for line in range(1, masked.count("\n") + 2):
        line_start = src.line_start(line)
        nl = masked.find("\n", line_start)
        text = masked[line_start:len(masked) if nl < 0 else nl]
        if not text.strip():
            continue
        start = line_start + len(text) - len(text.lstrip())
        if not _starts_statement(src, start):
            continue
        end = _statement_end(masked, start)
        if end < 0:
            continue
        flat = " ".join(masked[start:end + 1].split())
        word = re.match(r"[A-Za-z_]\w*", flat)
        if word and word.group(0) in _NOT_STATEMENTS or re.search(r"= (delete|default);$", flat):
            continue
        top = re.sub(r"\[\s*\]", "[]", re.sub(r"\(\s*\)", "()", top_level(flat)))
        assign = _ASSIGN_RE.match(top)
        if assign:
            ok = _LHS_RE.match(assign.group(1)) is not None
        else:
            ok = _INCDEC_RE.match(flat) is not None or (
                _CALL_RE.match(flat) is not None and " = " not in top)
        if ok:
            yield Candidate(start, f"delete '{_snippet(src.text[start:end + 1])}'",
                            (Edit(start, end + 1, ";"),))


_CONTROL = frozenset("if while for switch return sizeof decltype alignof catch "
                     "static_assert noexcept".split())
_COMMUTATIVE = frozenset("min max swap gcd lcm hypot".split())
_SKIP_CALLEES = _CONTROL | _COMMUTATIVE
_NOT_VALUES = frozenset("""this true false nullptr int bool char double float size_t int64_t
    uint64_t int32_t uint32_t int16_t uint16_t int8_t uint8_t unsigned long short auto void
    const""".split())
_SIMPLE_ARG = re.compile(r"[A-Za-z_]\w*(?:(?:\.|->)[A-Za-z_]\w*)*")


def _arguments(masked, open_at, close):
    """(start, end) of each top-level argument between the brackets, trimmed."""
    top = top_level(masked[open_at + 1:close])
    args, begin = [], open_at + 1
    for i, ch in enumerate(top + ","):
        if ch == ",":
            args.append(_trim(masked, begin, open_at + 1 + i))
            begin = open_at + 2 + i
    return args


def swap(src):
    """Swap two adjacent arguments of a call when both are simple names (a, a.b, a->b)."""
    masked, text = src.masked, src.text
    for m in re.finditer(r"(?<=[\w>])\(", masked):
        callee = re.search(r"(\w+)\s*(?:<[^()]*>)?$", masked[max(0, m.start() - 80):m.start()])
        if not callee or callee.group(1) in _SKIP_CALLEES:
            continue
        close = matching_close(masked, m.start())
        if close < 0:
            continue
        args = _arguments(masked, m.start(), close)
        for (a0, a1), (b0, b1) in zip(args, args[1:]):
            a, b = text[a0:a1], text[b0:b1]
            if (a != b and _SIMPLE_ARG.fullmatch(a) and _SIMPLE_ARG.fullmatch(b)
                    and not {a, b} & _NOT_VALUES):
                yield Candidate(a0, f"{callee.group(1)}(..., {a}, {b}, ...) -> "
                                f"{callee.group(1)}(..., {b}, {a}, ...)",
                                (Edit(a0, a1, b), Edit(b0, b1, a)))


_INT_LITERAL = re.compile(r"-?\d[\d']*[uUlLzZ]*")


def ret(src):
    """Changed return values: true <-> false; an integer literal -> 0 (0 -> 1); a boolean
    expression (&&, ||, leading !) negated. A single comparison is left to `ror`."""
    masked, text = src.masked, src.text
    for m in re.finditer(r"\breturn\b", masked):
        end = _statement_end(masked, m.end())
        if end < 0:
            continue
        start, stop = _trim(masked, m.end(), end)
        expr = text[start:stop]
        top = top_level(masked[start:stop])
        if expr in ("true", "false"):
            new = "false" if expr == "true" else "true"
        elif _INT_LITERAL.fullmatch(expr):
            new = "1" if int(expr.rstrip("uUlLzZ").replace("'", "")) == 0 else "0"
        elif "?" in top or not (re.search(r"&&|\|\|", top) or top.startswith("!")):
            continue
        elif top.startswith("!") and not _LOGICAL_RE.search(top) and not _ROR_RE.search(top):
            new = expr[1:].lstrip()
        else:
            new = f"!({expr})"
        yield Candidate(m.start(), f"return {_snippet(expr, 40)} -> return {_snippet(new, 40)}",
                        (Edit(start, stop, new),))


OPERATORS = {"aor": aor, "crp": crp, "lcr": lcr, "neg": neg, "ret": ret, "ror": ror,
             "sdl": sdl, "sql": sql, "swap": swap}


def generate(src, operators=None):
    """The mutants of one Source, ordered by (line, operator, index)."""
    mutants = []
    for name in sorted(operators or OPERATORS):
        per_line = {}
        for seq, cand in enumerate(OPERATORS[name](src)):
            if src.skipped(cand.anchor):
                continue
            per_line.setdefault(src.line_of(cand.anchor), []).append((cand.anchor, seq, cand))
        for line, cands in per_line.items():
            for index, (_, _, cand) in enumerate(sorted(cands, key=lambda c: c[:2])):
                mutants.append(Mutant(src.path, line, name, index, cand.description, cand.edits))
    mutants.sort(key=lambda m: (m.line, m.operator, m.index))
    return mutants
