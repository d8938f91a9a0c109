"""Whole-process cost of two commands, start-up included, runs alternating (standard library only).

    python3 scripts/peers/cold_start.py --runs 10 --a '["cimd", "create", ...]' \
        --b '["fastmcp", "auth", "cimd", "create", ...]' --json-out FILE

Each run spawns the command with stdin, stdout and stderr on /dev/null and reaps it with os.wait4:
wall time from just before the spawn to just after the reap, user + system CPU time and peak RSS
from the child's rusage. A and B alternate (one warm-up pair first, untimed), so a pair shares the
machine's state and the B/A ratio is taken pair by pair. A run that exits non-zero stops the
measurement: a failing command is fast and would look good.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time


def run_once(argv):
    with open(os.devnull, "r+b") as null:
        t0 = time.perf_counter()
        child = subprocess.Popen(argv, stdin=null, stdout=null, stderr=null)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - t0
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"cold_start: {' '.join(argv)} exited {code}")
    # ru_maxrss is in KiB on Linux.
    return {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime, "rss_mib": usage.ru_maxrss / 1024}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--a", required=True, help="command A as a JSON array")
    ap.add_argument("--b", required=True, help="command B as a JSON array")
    ap.add_argument("--json-out")
    args = ap.parse_args()
    a, b = json.loads(args.a), json.loads(args.b)
    run_once(a)
    run_once(b)
    runs_a, runs_b = [], []
    for _ in range(args.runs):
        runs_a.append(run_once(a))
        runs_b.append(run_once(b))
    result = {"a": {"argv": a, "runs": runs_a}, "b": {"argv": b, "runs": runs_b},
              "b_over_a_wall": [y["wall_s"] / x["wall_s"] for x, y in zip(runs_a, runs_b)]}
    for name, runs in (("A", runs_a), ("B", runs_b)):
        walls = [r["wall_s"] * 1000 for r in runs]
        print(f"{name}: wall min {min(walls):.1f} ms, median {statistics.median(walls):.1f} ms, max {max(walls):.1f} ms")
    if args.json_out:
        with open(args.json_out, "w") as f:
            json.dump(result, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
