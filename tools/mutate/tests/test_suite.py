import time
import unittest

from mutate import process
from mutate.suite import classify, first_failure


class ReportParsingTest(unittest.TestCase):
    def test_first_failure_of_a_sweep_report(self):
        report = {"scenario": "default", "failures": [
            {"property": "no-double-charge", "seed": 7}, {"property": "liveness", "seed": 9}]}
        self.assertEqual(first_failure(report),
                         {"property": "no-double-charge", "scenario": "default", "seed": 7})

    def test_first_failure_of_a_suite_report(self):
        report = {"suite": "fast", "scenarios": [
            {"scenario": "baseline", "failures": [], "runs": [{"seed": 1}]},
            {"scenario": "torn-write", "failures": [{"property": "ledger-balanced", "seed": 4}]}]}
        self.assertEqual(first_failure(report),
                         {"property": "ledger-balanced", "scenario": "torn-write", "seed": 4})

    def test_nondeterminism(self):
        report = {"scenario": "s", "failures": [], "runs": [
            {"seed": 2, "determinism": {"deterministic": False}}]}
        self.assertEqual(first_failure(report)["property"], "determinism")

    def test_crash_and_coverage(self):
        crashed = process.Finished(-6, 1.0, "", "x\nreckon: invariant broken: a driven "
                                   "operation exists (op) at engine/operations.cpp:66\n")
        self.assertEqual(classify("fast", crashed, None)["crash"], "signal 6")
        self.assertIn("a driven operation exists", classify("fast", crashed, None)["detail"])
        gap = process.Finished(5, 1.0, "", "reckon sweep: pending -> unknown never occurred\n")
        self.assertEqual(classify("default", gap, None)["property"], "required-coverage")


class ProcessTest(unittest.TestCase):
    def test_timeout_kills_the_whole_group(self):
        start = time.monotonic()
        finished = process.run(["sh", "-c", "sleep 30 & sleep 30; echo never"], 0.5)
        self.assertTrue(finished.timed_out)
        self.assertLess(time.monotonic() - start, 10)

    def test_exit_code_and_output(self):
        finished = process.run(["sh", "-c", "echo out; echo err >&2; exit 3"], 10)
        self.assertEqual((finished.returncode, finished.stdout, finished.stderr),
                         (3, "out\n", "err\n"))


if __name__ == "__main__":
    unittest.main()
