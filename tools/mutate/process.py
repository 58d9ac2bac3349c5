"""Running a child process in its own process group, with a time limit that kills the whole
group (a sweep's forked workers included), also when we are interrupted."""

import os
import signal
import subprocess
import time
from dataclasses import dataclass


@dataclass
class Finished:
    returncode: int | None  # None: killed at the time limit; negative: died of a signal
    seconds: float
    stdout: str
    stderr: str

    @property
    def timed_out(self):
        return self.returncode is None


def _kill_group(proc):
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def run(args, timeout, cwd=None, env=None):
    start = time.monotonic()
    proc = subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, errors="replace",
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=max(timeout, 0.1))
        code = proc.returncode
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        out, err = proc.communicate()
        code = None
    except BaseException:  # Ctrl-C, SIGTERM: leave no sweep workers behind
        _kill_group(proc)
        raise
    return Finished(code, time.monotonic() - start, out or "", err or "")


def tail(text, lines=12, chars=2000):
    return "\n".join(text.rstrip().splitlines()[-lines:])[-chars:]
