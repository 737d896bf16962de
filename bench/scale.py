#!/usr/bin/env python3
"""pkscan at any size: a large text dump, directory trees and git histories of three
sizes each (about 4x apart), timed side by side with ripgrep and Kingfisher.

    bench/scale.sh file      a 1 GiB SQL dump with three keys (one at the end, two
                             across power-of-two offsets): wall, peak RSS, keys found
    bench/scale.sh tree      generated source trees of three sizes: time, RSS, growth
    bench/scale.sh history   generated git histories of three sizes (the largest with
                             more than a million objects): time, RSS, growth
    bench/scale.sh repos --repo bench/work/repos/clerk.git --repo ...
                             `pkscan git` on real bare clones: time, RSS, the issue's
                             ratios to Kingfisher for clerk and svelte
    bench/scale.sh all       file, tree and history (and repos with --repo)

Options: --runs N (default 3), --sizes 1|2|3 (tree, history: the first N sizes),
--file-size BYTES (file), --pkscan PATH (default: build release), --no-kingfisher.

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

# The issue's targets.
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


def size_report(title, args, load0, sizes, med, unit, extra):
    """The table of one benchmark over three sizes, its growth lines and notes."""
    out = header(title, f"- Load average {load0} at the start, {load()} at the end; {args.runs} rounds "
                        f"per size after a warm-up, interleaved, medians")
    out += size_table(sizes, med, "input")
    out += growth_lines([(l, n) for l, n, _d in sizes], med, unit)
    return out + [""] + extra


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


# --- growth between sizes ---------------------------------------------------------


def growth_lines(sizes, med, unit):
    """sizes: [(label, amount)], med: [{tool: (wall, rss, cpu)}] per size. Prints each
        tool's growth per step and the exponent k of time ~ input^k (1 is linear)."""
    import math
    if len(sizes) < 2:
        return ["", "(one size: no growth to report; run without --sizes for all three)"]
    out = ["", f"Growth between consecutive sizes (× per step of input; exponent k in "
           f"cost ∝ {unit}^k, 1 = linear):", "",
           "| tool | step | input × | wall × | CPU × | RSS × | k (wall) | k (CPU) |",
           "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    verdicts = []
    for tool in med[0]:
        for i in range(1, len(sizes)):
            x = sizes[i][1] / sizes[i - 1][1]
            (w0, r0, c0), (w1, r1, c1) = med[i - 1][tool], med[i][tool]
            kw, kc = math.log(w1 / w0) / math.log(x), math.log(c1 / c0) / math.log(x)
            out.append(f"| {tool} | {sizes[i - 1][0]} → {sizes[i][0]} | {x:.2f} | "
                       f"{w1 / w0:.2f} | {c1 / c0:.2f} | {r1 / r0:.2f} | {kw:.2f} | {kc:.2f} |")
            if tool == "pkscan":
                verdicts.append((kw, kc, math.log(r1 / r0) / math.log(x)))
    # Noise on a shared machine: 10% over linear still counts as linear.
    worst_t = max(min(kw, kc) for kw, kc, _ in verdicts)
    worst_m = max(km for _, _, km in verdicts)
    out.append("")
    out.append(f"- pkscan time: worst exponent {worst_t:.2f} (the lower of wall and CPU per step): "
               f"{'linear or better' if worst_t <= 1.1 else 'WORSE THAN LINEAR'}; memory: worst "
               f"exponent {worst_m:.2f}: {'linear or better' if worst_m <= 1.1 else 'WORSE THAN LINEAR'}")
    return out


def size_table(sizes, med, unit_cols):
    """One row per size and tool, pkscan first; ratios pkscan / peer of the same run."""
    out = ["", f"| size | {unit_cols} | tool | wall (s) | CPU (s) | peak RSS (MiB) "
           "| pkscan / peer, wall | pkscan / peer, RSS |",
           "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |"]
    for (label, _amount, desc), m in zip(sizes, med):
        pw, pr = m["pkscan"][0], m["pkscan"][1]
        for tool, (w, r, c) in m.items():
            rw = "" if tool == "pkscan" else f"{pw / w:.3f}"
            rr = "" if tool == "pkscan" else f"{pr / r:.2f}"
            out.append(f"| {label} | {desc} | {tool} | {w:.2f} | {c:.2f} | {r:.1f} | {rw} | {rr} |")
    return out


def samples_line(label, samples):
    return f"- {label} samples (wall s / CPU s / RSS MiB): " + "; ".join(
        f"{n}: " + ", ".join(f"{w:.2f}/{c:.2f}/{r / 1024:.0f}" for w, r, c in s)
        for n, s in samples.items())


def kingfisher_cmd(kf, target, output, extra=()):
    return [kf, "scan", "--no-update-check", "--no-validate", "--load-builtins", "false",
            "--rules-path", KF_RULE, "--rule", "all", "--confidence", "low", "--quiet",
            "--rule-cache-dir", bench.WORK / "kf-cache", "--format", "json", "--output", output,
            *extra, target]


def kingfisher_paths(output):
    """The paths of Kingfisher's findings in its JSON report."""
    try:
        d = json.loads(Path(output).read_text())
    except (OSError, ValueError):
        return None
    found = d.get("findings", []) if isinstance(d, dict) else d
    return sorted({f.get("finding", {}).get("path", "?") for f in found})


def peer_check(label, kf_out, want):
    """Kingfisher's findings against the planted keys' paths (it may print paths
    absolute or relative to the root)."""
    got = kingfisher_paths(kf_out)
    if got is None:
        return f"- {label}: Kingfisher's report could not be read"
    hit = all(any(g.endswith(str(w)) for g in got) for w in want) and len(got) == len(want)
    return (f"- {label}: Kingfisher reported keys in {len(got)} file(s)"
            + (", the planted ones" if hit else f": {got}"))


# --- source trees -------------------------------------------------------------------

TREE_SIZES = [("S", 10_000), ("M", 40_000), ("L", 160_000)]
WORDS = ("user account order item cart price total render image page layout theme style "
         "config cache client server request response token session queue worker event "
         "handler router store state value index count limit offset result error status "
         "report export import format parse build test mock fixture schema table column").split()


def ident(rnd, parts=2):
    w = [rnd.choice(WORDS) for _ in range(parts)]
    return w[0] + "".join(x.title() for x in w[1:])


def chunk(rnd, ext):
    """A few dozen lines of plausible source in the file kind `ext`."""
    f, a, b = ident(rnd), ident(rnd, 1), ident(rnd, 1)
    n = rnd.randint(3, 12)
    if ext in ("js", "ts"):
        typ = ": number" if ext == "ts" else ""
        body = "".join(f"  const {ident(rnd)} = {a}.{ident(rnd, 1)}({b}, {rnd.randint(0, 999)});\n"
                       f"  if (!{a}) throw new Error('{f}: missing {rnd.choice(WORDS)}');\n"
                       for _ in range(n))
        return (f"export function {f}({a}{typ}, {b}{typ}) {{\n{body}  return {a} + {b};\n}}\n\n"
                f"// {' '.join(rnd.choice(WORDS) for _ in range(12))}\n")
    if ext == "py":
        body = "".join(f"    {ident(rnd)} = {a}.get('{rnd.choice(WORDS)}', {rnd.randint(0, 99)})\n"
                       for _ in range(n))
        return (f"def {f}({a}, {b}=None):\n    \"\"\"{' '.join(rnd.choice(WORDS) for _ in range(10))}.\"\"\"\n"
                f"{body}    return {a}\n\n\n")
    if ext == "go":
        body = "".join(f"\t{ident(rnd)} := {a}.{ident(rnd, 1).title()}({rnd.randint(0, 99)})\n"
                       f"\tif err != nil {{\n\t\treturn fmt.Errorf(\"{f}: %w\", err)\n\t}}\n"
                       for _ in range(n))
        return f"func {f.title()}({a} *{b.title()}) error {{\n\tvar err error\n{body}\treturn nil\n}}\n\n"
    if ext == "json":
        return "".join(f'  "{ident(rnd)}": {{"{rnd.choice(WORDS)}": {rnd.randint(0, 9999)}, '
                       f'"id": "{rnd.getrandbits(64):016x}"}},\n' for _ in range(n))
    if ext == "md":
        return (f"## {f}\n\n" + " ".join(rnd.choice(WORDS) for _ in range(n * 12)) + ".\n\n"
                f"```sh\n{a} --{b} {rnd.randint(1, 99)}\n```\n\n")
    return "".join(f".{a}-{ident(rnd, 1)} {{ margin: {rnd.randint(0, 32)}px; color: "
                   f"#{rnd.getrandbits(24):06x}; }}\n" for _ in range(n))


EXTS = ["js"] * 30 + ["ts"] * 20 + ["py"] * 15 + ["go"] * 10 + ["json"] * 10 + ["md"] * 8 + ["css"] * 7
HEAD = {"js": "import {{ {i} }} from './{m}';\n\n", "ts": "import {{ {i} }} from './{m}';\n\n",
        "py": "from .{m} import {i}\n\n\n", "go": "package {m}\n\nimport \"fmt\"\n\n",
        "json": "{{\n", "md": "# {i}\n\n", "css": "/* {i} */\n"}


def planted_tree_keys(rnd):
    """Keys a server-side file holds, as (relative path, text, line)."""
    return [
        ("services/render/server/pictify.js",
         f"const pictify = new Pictify('{fake_key(rnd)}');\n", 1),
        ("services/api/settings.py", f"import os\n\nPICTIFY_API_KEY = '{fake_key(rnd)}'\n", 3),
        ("tools/export/render.go", f'package main\n\nconst pictifyKey = "{fake_key(rnd)}"\n', 3),
    ]


def make_tree(root, files, seed=13):
    """`files` source files (plus the planted ones) in nested package directories,
    about 4 KB each on average. Same seed, same bytes."""
    rnd = random.Random(seed)
    pool = {e: [chunk(rnd, e) for _ in range(400)] for e in set(EXTS)}
    tmp = root.with_name(root.name + ".tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    per_dir = 40
    for i in range(files):
        ext = rnd.choice(EXTS)
        d = i // per_dir
        rel = Path(f"packages/pkg{d // 64:03d}/src/{WORDS[d % len(WORDS)]}{d % 64:02d}/"
                   f"{ident(rnd)}{i}.{ext}")
        text = HEAD[ext].format(i=ident(rnd), m=WORDS[i % len(WORDS)])
        text += "".join(rnd.choice(pool[ext]) for _ in range(rnd.randint(1, 10)))
        if ext == "json":
            text += '  "end": true\n}\n'
        (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp / rel).write_text(text)
    keys = planted_tree_keys(random.Random(seed + 1))
    for rel, text, _line in keys:
        (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp / rel).write_text(text)
    tmp.rename(root)
    return [(rel, line) for rel, _t, line in keys]


def ensure_tree(files):
    root = WORK / f"tree-{files}"
    meta = WORK / f"tree-{files}.json"
    if not root.exists() or not meta.exists():
        log(f"writing a {files}-file source tree to {root}")
        meta.write_text(json.dumps(make_tree(root, files)))
    return root, [tuple(k) for k in json.loads(meta.read_text())]


def bench_tree(args, time_bin, rg, kf, pkscan):
    WORK.mkdir(parents=True, exist_ok=True)
    sizes, med, extra, ok = [], [], [], True
    load0 = load()
    for label, files in TREE_SIZES[:args.sizes]:
        root, keys = ensure_tree(files)
        n, size = bench.corpus_stats(root)
        report = WORK / f"pkscan-tree-{files}.json"
        suite = [("pkscan", [pkscan, "scan", "--no-ignore", "--quiet", "--format", "json",
                             "--output", report, root], {0, 1}),
                 ("rg", [rg, "-uuu", "-c", bench.PATTERN, root], {0, 1})]
        if not args.no_kingfisher:
            suite.append(("kingfisher", kingfisher_cmd(kf, root, WORK / f"kf-tree-{files}.json"),
                          {0, 200}))
        log(f"tree {label}: {n} files, {size / 1e6:.0f} MB")
        samples = interleaved(time_bin, suite, args.runs)
        med.append(medians(samples))
        sizes.append((label, n, f"{n:,} files, {size / 1e6:.0f} MB"))
        got = sorted((f["path"], f["line"]) for f in json.loads(report.read_text())["findings"])
        want = sorted(keys)
        good = got == want
        ok &= good
        extra.append(f"- {label}: pkscan found {len(got)} of the {len(want)} planted keys "
                     f"({'all, nothing else' if good else f'MISMATCH: got {got}'})")
        if not args.no_kingfisher:
            extra.append(peer_check(label, WORK / f"kf-tree-{files}.json", [k[0] for k in keys]))
        extra.append(samples_line(label, samples))
    return size_report("Source trees of three sizes", args, load0, sizes, med, "files", extra), ok


# --- git histories ------------------------------------------------------------------

HISTORY_SIZES = [("S", 6_250), ("M", 25_000), ("L", 100_000)]  # commits on main
HISTORY_FILES = 4000
HISTORY_KEYS = {  # path: where the key is
    "server/pictify.js": "added at 10% of the history, deleted at 50%",
    "services/api/settings.py": "added at 70%, still at HEAD",
    "tools/render.go": "only on the unmerged branch feature/render (forked at 30%)",
}


def history_stream(out, commits, seed=13):
    """A fast-import stream: one commit of HISTORY_FILES files in nested directories
    (src/pkgA/modB/subC/file, ten files a directory), then `commits` commits that each
    edit one to three of them, so each commit makes a handful of trees and blobs;
    three planted keys (HISTORY_KEYS). Same seed, same stream."""
    rnd = random.Random(seed)
    pool = {e: [chunk(rnd, e) for _ in range(400)] for e in set(EXTS)}
    keys = planted_tree_keys(random.Random(seed + 1))
    key_text = dict(zip(HISTORY_KEYS, (t for _p, t, _l in keys)))
    files = []
    for i in range(HISTORY_FILES):
        ext = rnd.choice(EXTS)
        path = (f"src/pkg{i % 10}/{WORDS[(i // 10) % 8]}/{WORDS[8 + (i // 80) % 5]}/"
                f"{ident(rnd)}{i}.{ext}")
        lines = "".join(rnd.choice(pool[ext]) for _ in range(rnd.randint(1, 6))).splitlines(True)
        files.append((path, lines))
    w = out.write

    def data(b):
        w(b"data %d\n" % len(b))
        w(b)
        w(b"\n")

    def commit(ref, n, msg, changes, parent=None):
        w(b"commit %s\nmark :%d\n" % (ref.encode(), n))
        w(b"author Bench Bot <bench@example.invalid> %d +0000\n" % (1_500_000_000 + n * 600))
        w(b"committer Bench Bot <bench@example.invalid> %d +0000\n" % (1_500_000_000 + n * 600))
        data(msg.encode())
        if parent:
            w(b"from :%d\n" % parent)
        for op, path, text in changes:
            if op == "D":
                w(b"D %s\n" % path.encode())
            else:
                w(b"M 100644 inline %s\n" % path.encode())
                data(text.encode())

    commit("refs/heads/main", 1, "initial import",
           [("M", p, "".join(ls)) for p, ls in files])
    fork = int(commits * 0.3)
    for n in range(2, commits + 2):
        changes = []
        for i in rnd.sample(range(HISTORY_FILES), rnd.randint(1, 3)):
            path, lines = files[i]
            j = rnd.randrange(len(lines))
            new = f"    // {ident(rnd)} {rnd.choice(WORDS)} {n}\n"
            if len(lines) > 150 or (rnd.random() < 0.3 and len(lines) > 20):
                del lines[j]
            elif rnd.random() < 0.5:
                lines[j] = new
            else:
                lines.insert(j, new)
            changes.append(("M", path, "".join(lines)))
        if n == int(commits * 0.1):
            changes.append(("M", "server/pictify.js", key_text["server/pictify.js"]))
        if n == int(commits * 0.5):
            changes.append(("D", "server/pictify.js", None))
        if n == int(commits * 0.7):
            p = "services/api/settings.py"
            changes.append(("M", p, key_text[p]))
        commit("refs/heads/main", n, f"change {n}: {ident(rnd, 3)}", changes)
    # An unmerged branch from the commit at 30%, the key in its third commit.
    m = commits + 2
    for k in range(5):
        ch = [("M", "tools/render.go", key_text["tools/render.go"])] if k == 2 else \
             [("M", "tools/NOTES.md", f"# render tool\n\nstep {k}\n")]
        commit("refs/heads/feature/render", m + k, f"render tool, step {k}", ch,
               parent=(fork if k == 0 else None))
    w(b"done\n")


def ensure_history(commits):
    """A bare, fully packed repository (cached): fast-import, then `git repack -a -d -f`
    (deltas computed as a server would), as real repositories are."""
    repo = WORK / f"history-{commits}.git"
    stamp = repo / "pkscan-bench-stamp"
    if stamp.exists():
        return repo, json.loads(stamp.read_text())
    if repo.exists():
        shutil.rmtree(repo)
    env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL="/dev/null")
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(repo)], check=True, env=env)
    log(f"generating a history of {commits} commits into {repo} (git fast-import)")
    fi = subprocess.Popen(["git", "--git-dir", str(repo), "fast-import", "--quiet", "--done"],
                          stdin=subprocess.PIPE, env=env)
    history_stream(fi.stdin, commits)
    fi.stdin.close()
    if fi.wait() != 0:
        raise bench.BenchError(f"git fast-import failed for {repo}")
    log(f"repacking {repo} (git repack -a -d -f)")
    subprocess.run(["git", "--git-dir", str(repo), "repack", "-a", "-d", "-f", "-q"],
                   check=True, env=env)
    subprocess.run(["git", "--git-dir", str(repo), "prune-packed"], check=True, env=env)
    objects, blobs, sizes = object_counts(repo, env)
    packs = list((repo / "objects" / "pack").glob("*.pack"))
    info = {"commits": commits + 6, "objects": objects, "blobs": blobs, "blob_bytes": sizes,
            "pack_bytes": sum(f.stat().st_size for f in packs), "packs": len(packs)}
    stamp.write_text(json.dumps(info))
    return repo, info


def bench_history(args, time_bin, rg, kf, pkscan):
    WORK.mkdir(parents=True, exist_ok=True)
    sizes, med, extra, ok = [], [], [], True
    load0 = load()
    for label, commits in HISTORY_SIZES[:args.sizes]:
        repo, info = ensure_history(commits)
        report = WORK / f"pkscan-history-{commits}.json"
        suite = [("pkscan", [pkscan, "git", repo, "--quiet", "--format", "json",
                             "--output", report], {0, 1})]
        if not args.no_kingfisher:
            suite.append(("kingfisher", kingfisher_cmd(kf, repo, WORK / f"kf-history-{commits}.json",
                                                       ["--git-history", "full"]), {0, 200}))
        log(f"history {label}: {info}")
        samples = interleaved(time_bin, suite, args.runs)
        med.append(medians(samples))
        sizes.append((label, info["objects"],
                      f"{info['commits']:,} commits, {info['objects']:,} objects, "
                      f"{info['blob_bytes'] / 1e6:.0f} MB of blobs, {info['pack_bytes'] / 1e6:.0f} MB packed"))
        got = sorted({f["path"] for f in json.loads(report.read_text())["findings"]})
        want = sorted(HISTORY_KEYS)
        good = got == want
        ok &= good
        extra.append(f"- {label}: pkscan found keys at {got} "
                     f"({'all three planted keys, nothing else' if good else 'MISMATCH with ' + str(want)})")
        if not args.no_kingfisher:
            extra.append(peer_check(label, WORK / f"kf-history-{commits}.json", want))
        extra.append(samples_line(label, samples))
    return size_report("Git histories of three sizes", args, load0, sizes, med, "objects", extra), ok


# --- real repositories --------------------------------------------------------------

def object_counts(repo, env):
    """(objects, blobs, bytes of blob content) in a repository's object database."""
    objects = blobs = size = 0
    p = subprocess.Popen(["git", "--git-dir", str(repo), "cat-file", "--batch-all-objects",
                          "--batch-check=%(objecttype) %(objectsize)"],
                         stdout=subprocess.PIPE, text=True, env=env)
    for line in p.stdout:
        kind, n = line.split()
        objects += 1
        if kind == "blob":
            blobs += 1
            size += int(n)
    if p.wait() != 0:
        raise bench.BenchError(f"git cat-file failed for {repo}")
    return objects, blobs, size


# The issue's targets for two public repositories (pkscan / Kingfisher, same run).
REPO_TARGETS = {"clerk": {"rss": 0.5, "wall": 0.3}, "svelte": {"rss": 0.4}}


def repo_facts(repo):
    env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL="/dev/null")
    git = ["git", "--git-dir", str(repo)]
    commits = subprocess.run(git + ["rev-list", "--all", "--count"], capture_output=True,
                             text=True, env=env).stdout.strip()
    objects, blobs, size = object_counts(repo, env)
    pack = sum(f.stat().st_size for f in (repo / "objects" / "pack").glob("*.pack"))
    return (f"{int(commits or 0):,} commits, {objects:,} objects, {blobs:,} blobs, "
            f"{size / 1e9:.1f} GB of blobs, {pack / 1e6:.0f} MB packed")


def bench_repos(args, time_bin, rg, kf, pkscan):
    """`pkscan git` and Kingfisher over real repositories (bare clones), interleaved."""
    if not args.repo:
        raise bench.BenchError("repos: name one or more bare repositories with --repo PATH")
    out = header("Real histories: pkscan git against Kingfisher",
                 f"- Load average {load()} at the start; {args.runs} rounds per repository after "
                 f"a warm-up, interleaved, medians")
    rows = ["", "| repository | size | tool | wall (s) | CPU (s) | peak RSS (MiB) | findings |",
            "| --- | --- | --- | ---: | ---: | ---: | ---: |"]
    notes = []
    for repo in args.repo:
        repo = repo.resolve()
        name = repo.name.removesuffix(".git")
        report, kf_out = WORK / f"pkscan-repo-{name}.json", WORK / f"kf-repo-{name}.json"
        suite = [("pkscan", [pkscan, "git", repo, "--quiet", "--format", "json",
                             "--output", report], {0, 1}),
                 ("kingfisher", kingfisher_cmd(kf, repo, kf_out, ["--git-history", "full"]),
                  {0, 200})]
        log(f"repository {repo}")
        facts = repo_facts(repo)
        samples = interleaved(time_bin, suite, args.runs)
        med = medians(samples)
        counts = {"pkscan": len(json.loads(report.read_text())["findings"]),
                  "kingfisher": len(kingfisher_paths(kf_out) or [])}
        for tool, (w, r, c) in med.items():
            rows.append(f"| {name} | {facts} | {tool} | {w:.2f} | {c:.2f} | {r:.1f} | {counts[tool]} |")
        (pw, pr, pc), (kw, kr, kc) = med["pkscan"], med["kingfisher"]
        line = (f"- {name}: pkscan / Kingfisher: wall {pw / kw:.3f}, CPU {pc / kc:.3f}, "
                f"peak RSS {pr / kr:.2f}")
        t = REPO_TARGETS.get(name.split("-")[0], {})
        checks = []
        if "rss" in t:
            checks.append(f"RSS ≤ {t['rss']}×: {bench.verdict(pr / kr <= t['rss'])}")
        if "wall" in t:
            checks.append(f"wall ≤ {t['wall']}×: {bench.verdict(pw / kw <= t['wall'])}")
        notes.append(line + (f" (targets: {'; '.join(checks)})" if checks else ""))
        notes.append(samples_line(name, samples))
        notes.append("  (findings: pkscan's reported findings; Kingfisher's: distinct files "
                     "with a match of its one pk_ rule)")
    out += rows + [""] + notes + [f"- Load average at the end: {load()}"]
    return out, True


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("what", choices=["file", "tree", "history", "repos", "all"])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--pkscan", type=Path, help="pkscan binary (default: build release)")
    ap.add_argument("--file-size", type=int, default=1 << 30)
    ap.add_argument("--no-kingfisher", action="store_true")
    ap.add_argument("--sizes", type=int, default=3, choices=[1, 2, 3],
                    help="tree/history: only the first N sizes (quicker)")
    ap.add_argument("--repo", type=Path, action="append", default=[],
                    help="repos: a bare repository to scan (repeatable), e.g. "
                         "bench/work/repos/clerk.git")
    args = ap.parse_args()
    bench.WORK.mkdir(exist_ok=True)
    time_bin = bench.ensure_time()
    rg = bench.ensure_rg()
    kf = bench.ensure_kingfisher()
    pkscan = args.pkscan.resolve() if args.pkscan else bench.build_pkscan("release")
    text = []
    ok = True
    for what, fn in (("file", bench_file), ("tree", bench_tree), ("history", bench_history),
                     ("repos", bench_repos)):
        if args.what == what or (args.what == "all" and (what != "repos" or args.repo)):
            out, good = fn(args, time_bin, rg, kf, pkscan)
            text += out + [""]
            ok &= good
            print("\n".join(out + [""]), flush=True)
    (WORK / f"results-{args.what}.md").write_text("\n".join(text) + "\n")
    return 0 if ok else 3


if __name__ == "__main__":
    try:
        sys.exit(main())
    except bench.BenchError as e:
        print(f"scale: error: {e}", file=sys.stderr)
        sys.exit(2)
