import textwrap
import unittest

from mutate.lexer import mask
from mutate.operators import generate
from mutate.source import Source


def mutants(code, ops=None, path="engine/x.cpp"):
    return generate(Source(path, textwrap.dedent(code)), ops)


def changes(code, op):
    """(line, mutated line text) of each mutant of one operator."""
    text = textwrap.dedent(code)
    out = []
    for m in generate(Source("engine/x.cpp", text), [op]):
        out.append((m.line, m.apply(text).splitlines()[m.line - 1].strip()))
    return out


class LexerTest(unittest.TestCase):
    def test_mask_keeps_length_and_lines(self):
        text = 'int a = 1; // x < y\n/* a\n + b */ s = "a < b";\nchar c = \'<\'; R"sql(\nx)sql";\n'
        masked, literals = mask(text)
        self.assertEqual(len(masked), len(text))
        self.assertEqual(masked.count("\n"), text.count("\n"))
        self.assertNotIn("<", masked)
        self.assertEqual([text[lit.start:lit.end] for lit in literals], ["a < b", "\nx"])

    def test_digit_separators_are_not_character_literals(self):
        masked, _ = mask("int64_t x = 1'000'000 + y;\n")
        self.assertIn("1'000'000 + y", masked)

    def test_preprocessor_lines_with_continuations(self):
        masked, _ = mask("#define F(x) \\\n  if (x < 1) {}\nint a = b < c;\n")
        self.assertEqual(masked.count("<"), 1)


class CodeOperatorsTest(unittest.TestCase):
    def test_ror(self):
        self.assertEqual(changes("if (a < b) x();\n", "ror"),
                         [(1, "if (a <= b) x();"), (1, "if (a >= b) x();")])
        self.assertEqual(changes("bool e = a == b;\n", "ror"), [(1, "bool e = a != b;")])

    def test_templates_shifts_and_arrows_are_not_relational(self):
        code = "std::vector<int> v; out << x >> y; auto f = [&]() -> int { return 1; };\n"
        self.assertEqual(changes(code, "ror"), [])

    def test_aor_skips_string_concatenation(self):
        self.assertEqual(changes('s = "a" + b; n = a + b;\n', "aor"),
                         [(1, 's = "a" + b; n = a - b;')])
        self.assertEqual(changes("x -= 2;\n", "aor"), [(1, "x += 2;")])

    def test_lcr(self):
        self.assertEqual(changes("if (a &&\n    b) f();\n", "lcr"), [(1, "if (a ||")])

    def test_crp(self):
        self.assertEqual(changes("x = f(2, 0) + 1'000;\n", "crp"),
                         [(1, "x = f(3, 0) + 1'000;"), (1, "x = f(1, 0) + 1'000;"),
                          (1, "x = f(2, 1) + 1'000;"), (1, "x = f(2, 0) + 1001;"),
                          (1, "x = f(2, 0) + 999;")])

    def test_crp_skips_floats_hex_pure_virtuals_and_zero_member_defaults(self):
        code = """\
            struct S {
              int64_t a = 0;
              int b = 3;
              virtual void f() = 0;
            };
            double d = 1.5 + 0x1F;
        """
        self.assertEqual(changes(code, "crp"), [(3, "int b = 4;"), (3, "int b = 2;")])

    def test_neg(self):
        self.assertEqual(changes("if (a && b) f();\nwhile (!done) g();\n", "neg"),
                         [(1, "if (!(a && b)) f();"), (2, "while (!(!done)) g();")])

    def test_neg_skips_declarations_and_single_comparisons(self):
        code = ("if (auto* p = find()) f();\nif (a < b) f();\n"
                "if (auto it = m.find(k); ok(it)) f();\n")
        self.assertEqual(changes(code, "neg"), [(3, "if (auto it = m.find(k); !(ok(it))) f();")])

    def test_sdl(self):
        code = """\
            void f() {
              st.reset();
              x.a = 3;
              int y = 4;
              return g(y);
            }
        """
        self.assertEqual(changes(code, "sdl"), [(2, ";"), (3, ";")])

    def test_sdl_multiline_call(self):
        code = "void f() {\n  call(a,\n       b);\n  ++n;\n}\n"
        text = textwrap.dedent(code)
        ms = generate(Source("engine/x.cpp", text), ["sdl"])
        self.assertEqual([m.line for m in ms], [2, 4])
        self.assertEqual(ms[0].apply(text), "void f() {\n  ;\n  ++n;\n}\n")

    def test_swap(self):
        self.assertEqual(changes("f(a, b.c, 1, std::min(x, y));\n", "swap"),
                         [(1, "f(b.c, a, 1, std::min(x, y));")])

    def test_ret(self):
        code = "return true;\nreturn 5;\nreturn 0;\nreturn a && b;\nreturn a < b;\nreturn !ok;\n"
        self.assertEqual(changes(code, "ret"),
                         [(1, "return false;"), (2, "return 0;"), (3, "return 1;"),
                          (4, "return !(a && b);"), (6, "return ok;")])


class SkippingTest(unittest.TestCase):
    def test_comments_and_plain_strings_are_not_mutated(self):
        code = '// a < b && c\n/* x + 1 */\nlog("a < b AND 3");\n'
        self.assertEqual(mutants(code, ["ror", "aor", "lcr", "crp", "sql"]), [])

    def test_checks_asserts_and_includes_are_skipped(self):
        code = ('#include <a>\nRECKON_CHECK(a < b &&\n             c == 1, "x");\n'
                "assert(n > 0);\ncrash_point(\"p\");\n")
        self.assertEqual(mutants(code), [])

    def test_planted_code_is_skipped(self):
        code = """\
            void g() {
              if (config_.planted.has(Defect::kX) && a) {
                y = 1;
              }
              if (!config_.planted.has(Defect::kY)) {
                z = 2;
              }
            }
        """
        self.assertEqual(sorted({m.line for m in mutants(code)}), [6])

    def test_coverage_excluded_regions_are_skipped(self):
        code = """\
            int a() { return x > 1; }
            // GCOVR_EXCL_START: live mode only
            int b() { return x > 2; }
            // GCOVR_EXCL_STOP
            int c() { return x > 3 ? 4 : 5; }  // GCOVR_EXCL_LINE: live mode only
            int d() { return x > 6; }
        """
        self.assertEqual(sorted({m.line for m in mutants(code)}), [1, 6])


class SqlOperatorTest(unittest.TestCase):
    def test_predicates(self):
        code = ('auto& st = db.prepare("SELECT a FROM t WHERE x = ?1 AND y < 3 '
                'AND d IS NULL ORDER BY a");\n')
        descriptions = [m.description for m in mutants(code, ["sql"])]
        self.assertEqual(descriptions, [  # in column order
            "SQL drop 'x = ?1 AND'", "SQL '=' -> '<>'", "SQL drop 'AND y < 3'", "SQL AND -> OR",
            "SQL '<' -> '<='", "SQL drop 'AND d IS NULL'", "SQL AND -> OR",
            "SQL IS NULL -> IS NOT NULL", "SQL ORDER BY a -> DESC"])

    def test_continuation_literals_are_sql_when_their_statement_is(self):
        code = ('db.prepare("SELECT a FROM t "\n'
                '           "WHERE x = 1 "\n'
                '           "AND y = 2");\n')
        self.assertEqual(sorted({m.line for m in mutants(code, ["sql"])}), [2, 3])

    def test_in_list_and_set_clause(self):
        code = 'db.prepare("UPDATE t SET s = ?1 WHERE s IN (\'a\', \'b\')");\n'
        text = textwrap.dedent(code)
        got = [m.apply(text).strip() for m in generate(Source("engine/x.cpp", text), ["sql"])]
        self.assertEqual(got, [
            'db.prepare("UPDATE t SET s = ?1 WHERE s IN (\'b\')");',
            'db.prepare("UPDATE t SET s = ?1 WHERE s IN (\'a\')");'])

    def test_raw_sql_with_comments(self):
        code = ('constexpr auto k = R"sql(\nCREATE TABLE t (\n'
                '  a INT CHECK (a > 0)  -- a < b\n);\n)sql";\n')
        ms = mutants(code, ["sql"])
        self.assertEqual([(m.line, m.description) for m in ms], [(3, "SQL '>' -> '>='")])


class IdsTest(unittest.TestCase):
    CODE = "int f(int a, int b) {\n  if (a < b && b > 2) return a + 1;\n  return b;\n}\n"

    def test_ids_are_file_line_operator_index_in_order(self):
        ids = [m.id for m in mutants(self.CODE)]
        self.assertEqual(ids, sorted(ids, key=lambda i: (int(i.split(":")[1]), i.split(":")[2],
                                                         int(i.split(":")[3]))))
        self.assertIn("engine/x.cpp:2:ror:0", ids)
        self.assertIn("engine/x.cpp:2:ror:3", ids)
        self.assertEqual(len(ids), len(set(ids)))

    def test_ids_are_stable(self):
        self.assertEqual([m.id for m in mutants(self.CODE)], [m.id for m in mutants(self.CODE)])
        # An edit elsewhere keeps the ids of untouched lines (lines above move them).
        changed = self.CODE.replace("return b;", "return b - 1;")
        before = {m.id: m.description for m in mutants(self.CODE) if m.line == 2}
        after = {m.id: m.description for m in mutants(changed) if m.line == 2}
        self.assertEqual(before, after)


if __name__ == "__main__":
    unittest.main()
