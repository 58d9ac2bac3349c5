import unittest

from mutate import config
from mutate.survivors import SurvivorsFileError, parse

GOOD = '''
# comment
[[survivor]]
id = "engine/money.cpp:12:crp:0"
verdict = "equivalent"
reason = "the table is searched by name; its order does not matter"

[[survivor]]
id = "engine/x.cpp:3:sdl:0"
verdict = "accepted"
reason = "only a log line"
'''


class SurvivorsFileTest(unittest.TestCase):
    def test_parses_entries(self):
        entries = parse(GOOD)
        self.assertEqual(sorted(entries), ["engine/money.cpp:12:crp:0", "engine/x.cpp:3:sdl:0"])
        self.assertEqual(entries["engine/x.cpp:3:sdl:0"].verdict, "accepted")

    def test_empty_file_has_no_entries(self):
        self.assertEqual(parse("# nothing yet\n"), {})

    def assertRejected(self, text, *fragments):
        with self.assertRaises(SurvivorsFileError) as caught:
            parse(text, "s.toml")
        for fragment in fragments:
            self.assertIn(fragment, str(caught.exception))

    def test_malformed_files_name_the_problem(self):
        entry = '[[survivor]]\nid = "engine/a.cpp:1:ror:0"\nverdict = "%s"\nreason = "r"\n'
        self.assertRejected(entry % "maybe", "s.toml: survivor #1", "verdict", "maybe")
        self.assertRejected('[[survivor]]\nid = "engine/a.cpp:1:ror:0"\nverdict = "accepted"\n',
                            "survivor #1", "missing reason")
        self.assertRejected(entry % "accepted" + entry % "equivalent", "survivor #2", "twice")
        self.assertRejected('[[survivor]]\nid = "engine/a.cpp"\nverdict = "accepted"\n'
                            'reason = "r"\n', "not FILE:LINE:OPERATOR:INDEX")
        self.assertRejected(entry.replace('reason = "r"', 'reason = ""') % "accepted",
                            "one non-empty line")
        self.assertRejected(entry % "accepted" + "colour = 1\n", "unknown key(s) colour")
        self.assertRejected("[[survivor]\n", "s.toml: not TOML")
        self.assertRejected("[other]\n", "unknown top-level key(s) other")

    def test_the_repository_file_is_valid(self):
        path = config.REPO_ROOT / config.SURVIVORS_FILE
        parse(path.read_text(encoding="utf-8"), str(path))


if __name__ == "__main__":
    unittest.main()
