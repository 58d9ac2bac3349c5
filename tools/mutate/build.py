"""The mirror of the tree under test (`.mutate/src`) and its build (`.mutate/build`).

The mirror is a plain copy of the files git knows (tracked, and untracked but not ignored),
so that a mutant never touches the working tree. Syncing rewrites only files whose content
differs, so unchanged files keep their mtimes and ninja rebuilds only what changed."""

import re
import shutil
import subprocess
from pathlib import Path

from . import config, process

_NEVER_COPIED = re.compile(r"(\.git|\.mutate|build[^/]*)/|(.*/)?__pycache__/")


def tree_files(repo):
    """Repo-relative paths of the files to mirror."""
    out = subprocess.run(["git", "-C", str(repo), "ls-files", "-z", "--cached", "--others",
                          "--exclude-standard"], check=True, capture_output=True).stdout
    paths = sorted({p for p in out.decode().split("\0") if p})
    return [p for p in paths if not _NEVER_COPIED.match(p) and (Path(repo) / p).is_file()]


def sync(repo, mirror):
    """Make `mirror` a copy of the tree; returns how many files were written or removed."""
    repo, mirror = Path(repo), Path(mirror)
    files = tree_files(repo)
    changed = 0
    for rel in files:
        src, dst = repo / rel, mirror / rel
        data = src.read_bytes()
        if dst.is_file() and dst.read_bytes() == data:
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        dst.write_bytes(data)
        shutil.copymode(src, dst)
        changed += 1
    keep = set(files)
    for path in sorted(mirror.rglob("*"), reverse=True):
        rel = path.relative_to(mirror).as_posix()
        if path.is_file() and rel not in keep:
            path.unlink()
            changed += 1
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return changed


class Builder:
    def __init__(self, workdir, jobs, timeout=config.DEFAULT_BUILD_TIMEOUT):
        self.src = Path(workdir) / "src"
        self.build = Path(workdir) / "build"
        self.jobs = jobs
        self.timeout = timeout

    @property
    def binary(self):
        return self.build / config.BUILD_TARGET

    def configure(self):
        """cmake, once per set of arguments: ninja re-runs it by itself when a CMakeLists.txt
        changes, and a change of config.CMAKE_ARGS (recorded next to the build) runs it again."""
        stamp = self.build / "reckon-mutate-cmake-args"
        args = "\n".join(config.CMAKE_ARGS)
        if (self.build / "build.ninja").is_file() and stamp.is_file() and \
                stamp.read_text(encoding="utf-8") == args:
            return process.Finished(0, 0.0, "", "")
        # A -D dropped from the arguments would stay in the cache: start from a fresh one.
        (self.build / "CMakeCache.txt").unlink(missing_ok=True)
        done = process.run(["cmake", "-S", str(self.src), "-B", str(self.build),
                            *config.CMAKE_ARGS], self.timeout)
        if done.returncode == 0:
            stamp.write_text(args, encoding="utf-8")
        return done

    def make(self):
        return process.run(["ninja", "-C", str(self.build), f"-j{self.jobs}",
                            config.BUILD_TARGET], self.timeout)
