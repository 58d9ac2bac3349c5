"""The kill suite: the stages of config.STAGES run in order against one build of reckon, until
one fails. Exit codes are those of cli/exit_codes.h: 1 a property failed, 3 a seed was
nondeterministic, 5 required coverage missing; a signal (RECKON_CHECK aborts, a worker dies)
or any other code is a crash. Every one of them kills the mutant."""

import json
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import config, process

EXIT_PROPERTY_FAILED = 1
EXIT_NONDETERMINISTIC = 3
EXIT_COVERAGE_GAP = 5


@dataclass
class Verdict:
    status: str  # killed | survived | timeout
    killed_by: dict | None = None
    stages: list = field(default_factory=list)  # {"stage", "exit", "seconds"} per stage run
    seconds: float = 0.0


def first_failure(report):
    """{"property", "scenario", "seed"} of the first failure in a sweep or suite report."""
    for sweep in report.get("scenarios", [report]):
        for f in sweep.get("failures", []):
            return {"property": f.get("property", ""), "scenario": sweep.get("scenario", ""),
                    "seed": f.get("seed")}
        for run in sweep.get("runs", []):
            if not run.get("determinism", {}).get("deterministic", True):
                return {"property": "determinism", "scenario": sweep.get("scenario", ""),
                        "seed": run.get("seed")}
    return None


def _read_report(path):
    try:
        return json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return None


def classify(stage, finished, report):
    """What killed the mutant, from a failed stage's exit code, output and report."""
    code, why = finished.returncode, {"stage": stage}
    if code in (EXIT_PROPERTY_FAILED, EXIT_NONDETERMINISTIC) and report is not None:
        failure = first_failure(report)
        if failure:
            return why | failure
    if code == EXIT_COVERAGE_GAP:
        gaps = [line for line in finished.stderr.splitlines() if "never occurred" in line
                or "missing" in line]
        return why | {"property": "required-coverage", "detail": process.tail("\n".join(gaps), 3)}
    invariant = re.search(r"invariant broken: ([^\n]*)", finished.stderr)
    crash = f"signal {-code}" if code < 0 else f"exit {code}"
    return why | {"crash": crash, "detail": invariant.group(1) if invariant else
                  process.tail(finished.stderr, 6)}


class KillSuite:
    def __init__(self, binary, tree, workdir, jobs, timeout, stages=config.STAGES):
        self.binary = Path(binary).resolve()
        self.tree = Path(tree).resolve()  # the mirror: scenarios and coverage files
        self.workdir = Path(workdir).resolve()
        self.jobs = jobs
        self.timeout = timeout
        self.stages = stages

    def command(self, stage, report):
        args = [str(self.binary), *stage.args, "--jobs", str(self.jobs), "--report", str(report)]
        if stage.coverage and (self.tree / stage.coverage).is_file():
            args += ["--require-coverage", str(self.tree / stage.coverage)]
        return args

    def run(self):
        self.workdir.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ, RECKON_SCENARIOS_DIR=str(self.tree / "scenarios"))
        start, verdict = time.monotonic(), Verdict("survived")
        for stage in self.stages:
            left = self.timeout - (time.monotonic() - start)
            report = self.workdir / f"{stage.name}.json"
            report.unlink(missing_ok=True)
            finished = process.run(self.command(stage, report), left, cwd=self.workdir, env=env)
            verdict.stages.append({"stage": stage.name, "exit": finished.returncode,
                                   "seconds": round(finished.seconds, 2)})
            if finished.timed_out:
                verdict.status = "timeout"
                verdict.killed_by = {"stage": stage.name, "timeout": self.timeout}
                break
            if finished.returncode != 0:
                verdict.status = "killed"
                verdict.killed_by = classify(stage.name, finished, _read_report(report))
                break
        verdict.seconds = round(time.monotonic() - start, 2)
        return verdict
