"""Every default of tools/mutate in one place: sources, exclusions, build, kill suite."""

from dataclasses import dataclass
from pathlib import Path

TOOL_VERSION = "1"

# The repository root: tools/mutate/config.py -> ../..
REPO_ROOT = Path(__file__).resolve().parent.parent.parent

# Which files are mutated (repo-relative globs; `**` matches any number of folders).
SOURCE_GLOBS = ("engine/**/*.cpp", "engine/**/*.h")

# Never mutated: the gallery of planted defects (its code is off unless --plant asks for
# it). engine/psp_wire.cpp stays in: its live-only functions' survivors are listed as such in
# the survivors file, and its reply decoder reads PSP webhooks in the simulator.
DEFAULT_EXCLUDES = ("engine/planted.cpp", "engine/planted.h")

# Calls whose whole text (all the lines of the call) is never mutated: assertions, and the
# simulator's crash hooks (deleting one removes a fault-injection point, not engine
# behaviour, so every such mutant would be equivalent).
SKIP_CALLS = ("RECKON_CHECK", "assert", "static_assert", "crash_point")

# Code that runs only with a planted defect on is not mutated either: such a mutant switches
# the defect on (the planted-defect gallery already shows that caught) or changes code that
# never runs (equivalent). That is: every line mentioning the word below (comments included),
# the body of an `if` whose condition is a conjunction with an un-negated mention of it, and
# the functions named here, which only a planted defect calls.
PLANTED_WORD = "planted"
PLANTED_ONLY_FUNCTIONS = ("edit_capture_entries", "book_success_again", "planted_next_endpoint")

# Working folder, relative to the repo root (in .gitignore).
WORKDIR = ".mutate"
SURVIVORS_FILE = "tests/data/mutation-survivors.toml"

# The mirror build: only the reckon target, no tests or benchmarks, warnings not errors
# (an unused variable left by a deleted statement is not "did not compile"). libstdc++'s
# assertions are on: a mutant that reads an empty std::optional or indexes past a vector's end
# aborts there (a kill) instead of reading whatever the memory held, which an optimised build
# may turn into the original behaviour (psp_wire.cpp:134:lcr:0 in rerun-42).
CMAKE_ARGS = (
    "-G", "Ninja",
    "-DCMAKE_BUILD_TYPE=Release",
    "-DCMAKE_CXX_FLAGS=-D_GLIBCXX_ASSERTIONS",
    "-DCMAKE_CXX_COMPILER_LAUNCHER=ccache",
    "-DRECKON_WERROR=OFF",
    "-DRECKON_BUILD_TESTS=OFF",
    "-DRECKON_BUILD_BENCH=OFF",
)
BUILD_TARGET = "reckon"

DEFAULT_JOBS = 2
DEFAULT_TIMEOUT = 300        # seconds per mutant for the kill suite (all stages together)
DEFAULT_BUILD_TIMEOUT = 900  # seconds per mutant build (a header mutant rebuilds many files)


@dataclass(frozen=True)
class Stage:
    """One `reckon sweep` of the kill suite. `coverage` is a repo-relative
    --require-coverage file, used when it exists in the tree under test."""

    name: str
    args: tuple[str, ...]
    coverage: str = ""


# Cheapest first; the suite stops at the first stage that fails. A sweep does not stop at
# its first failure, and failing seeds are slow (liveness waits for its deadline), so the
# 10-seed smoke stage kills most mutants in seconds. Measured on the unmutated engine
# (Release, --jobs 1): smoke 0.3 s, default 4.6 s (1..200), fast 10.3 s, fast-swarm 5.3 s.
STAGES = (
    Stage("smoke", ("sweep", "--seeds", "1..10")),
    Stage("default", ("sweep", "--seeds", "1..200"), "ci/required-transitions-default.toml"),
    Stage("fast", ("sweep", "--suite", "fast"), "ci/required-transitions.toml"),
    Stage("fast-swarm", ("sweep", "--suite", "fast", "--swarm", "--seeds", "1..8")),
)
