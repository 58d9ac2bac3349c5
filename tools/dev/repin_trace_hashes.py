#!/usr/bin/env python3
"""Re-pins tests/sim/trace_hashes_test.cpp from a reckon binary, after a change that alters what
runs do on purpose (say why in the commit). Usage, from the repository root:

    python3 tools/dev/repin_trace_hashes.py [build/reckon]

Runs `reckon sweep --seeds 1..50` and, for each pinned fast scenario,
`reckon sweep --scenario scenarios/fast/F --seeds 1..10`, and rewrites the hashes in place.
Build the binary from the tree first: a stale one pins stale hashes."""
import json
import re
import subprocess
import sys
import tempfile

TEST = "tests/sim/trace_hashes_test.cpp"
PIN = re.compile(r'\{(\d+), "[0-9a-f]{16}"\}')


def hashes(reckon, args):
    with tempfile.NamedTemporaryFile(suffix=".json") as report:
        subprocess.run([reckon, "sweep", *args, "--jobs", "2", "--report", report.name],
                       check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        runs = json.load(open(report.name))["runs"]
    return {r["seed"]: r["trace_hash"] for r in runs}


def repin(block, pinned):
    return PIN.sub(lambda m: '{%s, "%s"}' % (m.group(1), pinned[int(m.group(1))]), block)


def main():
    reckon = sys.argv[1] if len(sys.argv) > 1 else "build/reckon"
    text = open(TEST).read()
    head, rest = text.split("const std::vector<PinnedScenario>", 1)
    out = [repin(head, hashes(reckon, ["--seeds", "1..50"])),
           "const std::vector<PinnedScenario>"]
    parts = re.split(r'(\{"[a-z-]+\.toml",)', rest)
    out.append(parts[0])
    for name_part, block in zip(parts[1::2], parts[2::2]):
        name = re.match(r'\{"([a-z-]+\.toml)",', name_part).group(1)
        pinned = hashes(reckon, ["--scenario", "scenarios/fast/" + name, "--seeds", "1..10"])
        out += [name_part, repin(block, pinned)]
    open(TEST, "w").write("".join(out))


if __name__ == "__main__":
    main()
