#!/usr/bin/env python3
"""Two pkscan binaries and ripgrep on one tree, interleaved, for a before/after
measurement of a change: `bench/compare.py BASE NEW DIR [--runs N]`.

Each round runs BASE, NEW and `rg -uuu` once, after one untimed warm-up of each.
Prints medians of wall time, user+system CPU and peak RSS, and the medians of
the per-round ratios (NEW/BASE, NEW/rg, BASE/rg): on a shared machine the ratios
from the same round are what to quote. Standard library only.
"""
import argparse
import os
import statistics
import subprocess
import time

PATTERN = r"pk_(live|test)_[A-Za-z0-9]{16,}"


def run(cmd):
    t = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.monotonic() - t
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024, status


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("base")
    ap.add_argument("new")
    ap.add_argument("dir")
    ap.add_argument("--runs", type=int, default=9)
    a = ap.parse_args()
    scan = lambda b: [b, "scan", "--no-ignore", "--quiet", "--no-config", "--format", "json", "--output", os.devnull, a.dir]
    tools = {"base": scan(a.base), "new": scan(a.new), "rg": ["rg", "-uuu", "-c", PATTERN, a.dir]}
    for cmd in tools.values():
        run(cmd)
    res = {k: [] for k in tools}
    for _ in range(a.runs):
        for k, cmd in tools.items():
            res[k].append(run(cmd))
    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])
    print(f"{a.runs} rounds on {a.dir} (load average {load})")
    print(f"{'tool':6} {'wall s':>8} {'cpu s':>8} {'rss MiB':>8}")
    for k, v in res.items():
        med = lambda i: statistics.median(x[i] for x in v)
        print(f"{k:6} {med(0):8.3f} {med(1):8.3f} {med(2):8.1f}")
    ratio = lambda x, y, i: statistics.median(p[i] / q[i] for p, q in zip(res[x], res[y]))
    for x, y in (("new", "base"), ("new", "rg"), ("base", "rg")):
        print(f"{x}/{y}: wall {ratio(x, y, 0):.3f}, cpu {ratio(x, y, 1):.3f}")


if __name__ == "__main__":
    main()
