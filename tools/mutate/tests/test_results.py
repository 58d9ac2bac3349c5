import json
import tempfile
import unittest
from pathlib import Path

from mutate import history, results
from mutate.report import compare, markdown, match
from mutate.survivors import Survivor


def record(line, status, op="ror", original="a < b", mutated="a <= b", file="engine/a.cpp"):
    return {"id": f"{file}:{line}:{op}:0", "file": file, "line": line, "operator": op,
            "index": 0, "description": "d", "original": original, "mutated": mutated,
            "status": status, "killed_by": {"property": "liveness", "stage": "fast",
                                            "scenario": "baseline", "seed": 3}
            if status == "killed" else None}


RECORDS = ([record(n, "killed") for n in range(1, 15)] + [record(20, "timeout")] +
           [record(n, "survived") for n in (30, 31, 32)] + [record(40, "not_compiled")])
LISTED = {"engine/a.cpp:30:ror:0": Survivor("engine/a.cpp:30:ror:0", "equivalent", "why"),
          "engine/a.cpp:31:ror:0": Survivor("engine/a.cpp:31:ror:0", "accepted", "why"),
          "engine/a.cpp:1:ror:0": Survivor("engine/a.cpp:1:ror:0", "accepted", "stale")}


class SummaryTest(unittest.TestCase):
    def test_arithmetic(self):
        s = results.summarize(RECORDS, LISTED)
        self.assertEqual((s["generated"], s["compiled"], s["killed"], s["timeout"],
                          s["survived"], s["not_compiled"]), (19, 18, 14, 1, 3, 1))
        self.assertEqual((s["equivalent"], s["accepted"], s["unlisted"]), (1, 1, 1))
        self.assertEqual(s["kill_rate"], round(15 / 17, 4))  # (killed+timeout)/(compiled-equiv)
        self.assertFalse(s["goal_met"])
        self.assertEqual(s["listed_but_not_surviving"], ["engine/a.cpp:1:ror:0"])

    def test_current_only_drops_stale_ids_and_moved_lines(self):
        older = {"mutants": [record(1, "survived"), record(9, "killed", original="y = 2")]}
        newer = {"mutants": [record(1, "killed"), record(2, "survived"),
                             record(3, "killed", original="x = 1"),
                             record(9, "killed", original="stale")]}
        current = {"engine/a.cpp:1:ror:0": ("a < b", "a <= b"),   # the same mutant
                   "engine/a.cpp:3:ror:0": ("a < b", "a <= b"),   # line 3 holds other code now
                   "engine/a.cpp:9:ror:0": ("a < b", "a <= b")}   # never run
        kept, unreached = results.current_only([older, newer], current)
        self.assertEqual([(r["id"], r["status"]) for r in kept["mutants"]],
                         [("engine/a.cpp:1:ror:0", "killed")])
        self.assertEqual(unreached, ["engine/a.cpp:3:ror:0", "engine/a.cpp:9:ror:0"])

    def test_current_only_carries_a_record_over_lines_that_moved_unchanged(self):
        old_text = "int f() {\n  if (a < b) return 1;\n  return 0;\n}\n"
        new_text = "// a comment added above\nint g();\n" + old_text
        moved = history.line_map(old_text, new_text)
        self.assertEqual(moved[2], 4)  # line 2 of 4, inside the unchanged block
        ran = record(2, "killed", original="  if (a < b) return 1;",
                     mutated="  if (a <= b) return 1;")
        current = {"engine/a.cpp:4:ror:0": ("  if (a < b) return 1;", "  if (a <= b) return 1;")}
        kept, unreached = results.current_only([{"mutants": [ran]}], current,
                                               carry=lambda r: moved.get(r["line"]))
        self.assertEqual([(r["id"], r["status"]) for r in kept["mutants"]],
                         [("engine/a.cpp:4:ror:0", "killed")])
        self.assertEqual(unreached, [])
        # A line rewritten since (the mutant there changes other text) is not carried.
        rewritten = {"engine/a.cpp:4:ror:0": ("  if (a < c) return 1;", "  if (a <= c) return 1;")}
        kept, unreached = results.current_only([{"mutants": [ran]}], rewritten,
                                               carry=lambda r: moved.get(r["line"]))
        self.assertEqual(kept["mutants"], [])
        self.assertEqual(unreached, ["engine/a.cpp:4:ror:0"])

    def test_line_map_leaves_out_rewritten_lines_and_lines_without_their_context(self):
        old = "w\nx\ny\nb\nz\nv\nu\n"
        # b rewritten; the lines next to it lose their context on that side.
        moved = history.line_map(old, "w\nx\ny\nB\nz\nv\nu\n")
        self.assertEqual(moved, {2: 2, 6: 6})
        # A lone common line between rewritten ones (a closing brace) is never carried.
        self.assertEqual(history.line_map("p\n}\nq\n", "P\n}\nQ\n"), {})

    def test_nothing_compiled_has_no_rate(self):
        s = results.summarize([record(1, "not_compiled")], {})
        self.assertIsNone(s["kill_rate"])

    def test_save_is_atomic_and_round_trips(self):
        with tempfile.TemporaryDirectory() as d:
            path = Path(d) / "r.json"
            data = {"mutants": RECORDS, "commit": "abc"}
            results.save(path, data)
            self.assertEqual(results.load(path), json.loads(json.dumps(data)))
            self.assertEqual([p.name for p in Path(d).iterdir()], ["r.json"])

    def test_merge_shards(self):
        a = {"mutants": RECORDS[:5], "selected": 5}
        b = {"mutants": RECORDS[5:], "selected": 14}
        merged = results.merge([b, a])
        self.assertEqual([r["id"] for r in merged["mutants"]],
                         [r["id"] for r in sorted(RECORDS, key=results.sort_key)])
        self.assertEqual(merged["selected"], 19)


class ReportTest(unittest.TestCase):
    def test_markdown(self):
        text = markdown({"mutants": RECORDS, "commit": "0123456789abcdef"}, LISTED)
        self.assertIn("**88.2%**", text)
        self.assertIn("| `engine/a.cpp:32:ror:0` | `a <= b` | **unlisted** |  |", text)
        self.assertIn("| liveness | 14 |", text)
        self.assertIn("Listed in the survivors file but not surviving", text)

    def test_compare_matches_moved_lines_by_content(self):
        old = [record(10, "killed"), record(11, "killed", mutated="a >= b"),
               record(12, "survived", op="sdl", original="x();", mutated=";")]
        new = [record(13, "survived"), record(14, "killed", mutated="a >= b"),
               record(99, "killed", op="crp", original="1", mutated="2")]
        pairs = match(old, new)
        paired = {(o["line"] if o else None, n["line"] if n else None) for o, n in pairs}
        self.assertEqual(paired, {(10, 13), (11, 14), (None, 99), (12, None)})
        text = compare({"mutants": old, "commit": "a"}, {"mutants": new, "commit": "b"}, {})
        self.assertIn("## killed -> survived (1)", text)
        self.assertIn("1 mutant(s) only in the old run, 1 only in the new run.", text)


if __name__ == "__main__":
    unittest.main()
