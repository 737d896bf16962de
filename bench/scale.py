#!/usr/bin/env python3
"""pkscan at any size: a large text dump, directory trees and git histories of three
sizes each (about 4x apart), timed side by side with ripgrep and Kingfisher.

    bench/scale.sh file      a 1 GiB SQL dump with three keys (one at the end, two
                             across power-of-two offsets): wall, peak RSS, keys found
    bench/scale.sh tree      generated source trees of three sizes: time, RSS, growth
    bench/scale.sh history   generated git histories of three sizes (the largest with
                             more than a million objects): time, RSS, growth
    bench/scale.sh all       all three

Every comparison runs the tools interleaved (pkscan, peer, pkscan, peer, ...) after
one untimed warm-up run each, and reports medians, ratios from the same run and the
load average, because the machine is shared. Targets are printed, never asserted.
Everything generated goes to bench/work/scale/ (git-ignored). Standard library only.
"""
import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402  (shared helpers: peers, measuring, machine facts)

WORK = bench.WORK / "scale"
KF_RULE = bench.KINGFISHER_RULE
ALPHA = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

# The targets.
FILE_RG_RATIO = 1.5
FILE_RSS_MIB = 64


def log(msg):
    bench.log(msg)


def load():
    try:
        return " / ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def fake_key(rnd, live=True):
    body = "".join(rnd.choice(ALPHA) for _ in range(32))
    return ("pk_live_" if live else "pk_test_") + body


def interleaved(time_bin, suite, runs):
    """suite: [(name, cmd, ok_codes)]. One untimed run each, then `runs` rounds in
    turn. Returns {name: [(wall, rss_kib, cpu), ...]}."""
    for _n, cmd, ok in suite:
        bench.measure(time_bin, cmd, ok, timeout=3600)
    samples = {n: [] for n, _c, _o in suite}
    for i in range(runs):
        log(f"round {i + 1}/{runs}")
        for n, cmd, ok in suite:
            samples[n].append(bench.measure(time_bin, cmd, ok, timeout=3600))
    return samples


def medians(samples):
    return {n: (statistics.median(w for w, _r, _c in s),
                statistics.median(r for _w, r, _c in s) / 1024,
                statistics.median(c for _w, _r, c in s))
            for n, s in samples.items()}


def header(title, extra=""):
    m = bench.machine()
    out = [f"### {title}", "",
           f"- Machine: {m['cores']} cores, {m['cpu']}, {m['ram']} RAM, Linux {m['kernel']}"]
    if extra:
        out.append(extra)
    return out


# --- a large dump -------------------------------------------------------------------


def sql_block(rnd, first_id, size):
    """About `size` bytes of INSERT lines: names, e-mails, hashes, JSON, timestamps."""
    words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel",
             "india", "juliet", "kilo", "lima", "mike", "november", "oscar", "papa"]
    lines = []
    n = 0
    i = first_id
    while n < size:
        name = f"{rnd.choice(words).title()} {rnd.choice(words).title()}"
        h = "%032x" % rnd.getrandbits(128)
        meta = json.dumps({"plan": rnd.choice(["free", "pro", "team"]),
                           "tags": rnd.sample(words, 3), "score": rnd.randint(0, 9999)})
        line = (f"INSERT INTO `users` VALUES ({i},'{name}','{name.split()[0].lower()}{i}"
                f"@example.com','{h}','{meta}','2024-0{1 + i % 9}-1{i % 10} 12:{i % 60:02d}:00');\n")
        lines.append(line)
        n += len(line)
        i += 1
    return "".join(lines).encode(), i


def make_dump(path, size, rnd):
    """A `size`-byte SQL dump with three keys: across the offsets size/4 and size/2
    (256 MiB and 512 MiB in a 1 GiB dump; the key's middle on the boundary) and on
    the last line. Returns [key, line, column] of each (1-based)."""
    block, _ = sql_block(random.Random(1), 1, 4 << 20)
    keys = []
    pos = {"written": 0, "line": 1}
    with open(path, "wb") as f:
        def put(b):
            f.write(b)
            pos["written"] += len(b)
            pos["line"] += b.count(b"\n")

        def fill_to(offset):
            """Whole lines of dump up to exactly `offset`."""
            while pos["written"] + len(block) <= offset:
                put(block)
            gap = offset - pos["written"]
            cut = block[:gap].rfind(b"\n") + 1
            put(block[:cut])
            if gap > cut:
                put(b"-" * (gap - cut - 1) + b"\n")

        def key_line(offset_of_key, prefix, key):
            fill_to(offset_of_key - len(prefix))
            keys.append([key, pos["line"], len(prefix) + 1])
            put(prefix + key.encode() + b"');\n")

        for mark in (size // 4, size // 2):
            key_line(mark - 16, b"INSERT INTO `settings` VALUES (7,'pictify_api_key','",
                     fake_key(rnd))
        prefix = b"INSERT INTO `settings` VALUES (8,'pictify_test_key','"
        key = fake_key(rnd, live=False)
        key_line(size - len(b"');\n") - len(key), prefix, key)
    return keys


def bench_file(args, time_bin, rg, kf, pkscan):
    size = args.file_size
    WORK.mkdir(parents=True, exist_ok=True)
    path = WORK / f"dump-{size}.sql"
    meta = WORK / f"dump-{size}.json"
    if not path.exists() or not meta.exists() or path.stat().st_size != size:
        log(f"writing a {size / 2**20:.0f} MiB dump to {path}")
        keys = make_dump(path, size, random.Random(13))
        meta.write_text(json.dumps(keys))
    keys = json.loads(meta.read_text())
    report = WORK / "pkscan-file.json"
    suite = [
        ("pkscan", [pkscan, "scan", "--quiet", "--format", "json", "--output", report,
                    "--max-file-size", str(2 * size), path], {0, 1}),
        ("rg", [rg, "-c", bench.PATTERN, path], {0, 1}),
    ]
    if not args.no_kingfisher:
        suite.append(("kingfisher", [kf, "scan", "--no-update-check", "--no-validate",
                                     "--load-builtins", "false", "--rules-path", KF_RULE, "--rule",
                                     "all", "--confidence", "low", "--quiet", "--format", "json",
                                     # Its default skips files over 256 MB.
                                     "--max-file-size", "0", path], {0, 200}))
    load0 = load()
    samples = interleaved(time_bin, suite, args.runs)
    med = medians(samples)
    found = json.loads(report.read_text())["findings"]
    got = sorted((f["line"], f["column"]) for f in found)
    want = sorted((k[1], k[2]) for k in keys)
    out = header(f"A {size / 2**20:.0f} MiB SQL dump with three keys",
                 f"- Load average {load0} at the start, {load()} at the end; {args.runs} rounds, medians")
    out += ["", "| tool | wall (s) | CPU (s) | peak RSS (MiB) | pkscan / tool, wall |",
            "| --- | ---: | ---: | ---: | ---: |"]
    pw = med["pkscan"][0]
    for n, (w, r, c) in med.items():
        out.append(f"| {n} | {w:.3f} | {c:.2f} | {r:.1f} | {pw / w:.2f} |")
    out.append("")
    ok_keys = got == want
    out.append(f"- keys found by pkscan at (line, column): {got}; planted: {want} "
               f"({'all found' if ok_keys else 'MISMATCH'})")
    rg_ratio = pw / med["rg"][0]
    out.append(f"- target: wall ≤ {FILE_RG_RATIO}× rg: {rg_ratio:.2f}× "
               f"({bench.verdict(rg_ratio <= FILE_RG_RATIO)}); peak RSS < {FILE_RSS_MIB} MiB: "
               f"{med['pkscan'][1]:.1f} MiB ({bench.verdict(med['pkscan'][1] < FILE_RSS_MIB)})")
    out.append("- samples (wall s / CPU s / RSS MiB): " + "; ".join(
        f"{n}: " + ", ".join(f"{w:.2f}/{c:.2f}/{r / 1024:.0f}" for w, r, c in s)
        for n, s in samples.items()))
    return out, ok_keys


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("what", choices=["file", "tree", "history", "all"])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--pkscan", type=Path, help="pkscan binary (default: build release)")
    ap.add_argument("--file-size", type=int, default=1 << 30)
    ap.add_argument("--no-kingfisher", action="store_true")
    args = ap.parse_args()
    bench.WORK.mkdir(exist_ok=True)
    time_bin = bench.ensure_time()
    rg = bench.ensure_rg()
    kf = bench.ensure_kingfisher()
    pkscan = args.pkscan.resolve() if args.pkscan else bench.build_pkscan("release")
    text = []
    ok = True
    if args.what in ("file", "all"):
        out, good = bench_file(args, time_bin, rg, kf, pkscan)
        text += out + [""]
        ok &= good
    print("\n".join(text))
    return 0 if ok else 3


if __name__ == "__main__":
    try:
        sys.exit(main())
    except bench.BenchError as e:
        print(f"scale: error: {e}", file=sys.stderr)
        sys.exit(2)
