#!/usr/bin/env python3
"""pkscan benchmark: builds a real node_modules corpus from a pinned package-lock,
installs the peers (ripgrep, Kingfisher with one custom pk_ rule), runs every tool
several times alternating after a warm-up, and prints medians of wall time and peak
RSS with the ratios pkscan/peer, pkscan's startup time and its findings on the corpus.

Standard library only. Every external step has a time limit and fails loudly: a
missing npm, pip or apt never turns into a hang. Run through bench/run.sh.
"""
import argparse
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
# Everything downloaded or built; PKSCAN_BENCH_WORK moves it (e.g. to a bigger disk).
WORK = Path(os.environ.get("PKSCAN_BENCH_WORK", BENCH / "work")).resolve()
PATTERN = r"pk_(live|test)_[A-Za-z0-9]{16,}"
KINGFISHER_VERSION = "2.14.0"
KINGFISHER_RULE = BENCH / "kingfisher-pk.yml"

# The targets, on the full corpus.
TARGET_RG_RATIO = 1.5
TARGET_KF_RATIO = 0.17
TARGET_RSS_MIB = 64
TARGET_STARTUP_MS = 5


# Time limits of the setup steps (seconds): generous for a full run, short for
# --smoke so that CI fails within minutes when a registry does not answer.
LIMITS = {"apt": 300, "pip": 600, "npm": 3600, "cargo-install": 900}
SMOKE_LIMITS = {"apt": 120, "pip": 150, "npm": 150, "cargo-install": 600}


class BenchError(Exception):
    """A step that cannot go on; its message says what to do."""


def log(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def run(cmd, timeout, what, cwd=None, env=None, quiet=True):
    """Runs a setup command with a time limit; raises BenchError naming the step."""
    log(f"{what}: {' '.join(str(c) for c in cmd)}")
    try:
        p = subprocess.run(
            [str(c) for c in cmd],
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE if quiet else None,
            stderr=subprocess.STDOUT if quiet else None,
            timeout=timeout,
            text=True,
        )
    except FileNotFoundError as e:
        raise BenchError(f"{what}: {cmd[0]} not found ({e})") from e
    except subprocess.TimeoutExpired as e:
        raise BenchError(f"{what}: no answer after {timeout}s (network or registry down?)") from e
    if p.returncode != 0:
        tail = "\n".join((p.stdout or "").splitlines()[-25:])
        raise BenchError(f"{what} failed with exit code {p.returncode}:\n{tail}")
    return p.stdout or ""


# --- peers and tools ---------------------------------------------------------------


def apt_install(pkg):
    if not shutil.which("apt-get"):
        raise BenchError(f"{pkg} is missing and apt-get is not available: install {pkg} by hand")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    try:
        run(["apt-get", "install", "-y", pkg], LIMITS["apt"], f"apt-get install {pkg}", env=env)
    except BenchError:
        run(["apt-get", "update"], LIMITS["apt"], "apt-get update", env=env)
        run(["apt-get", "install", "-y", pkg], LIMITS["apt"], f"apt-get install {pkg}", env=env)


def ensure_time():
    if not os.access("/usr/bin/time", os.X_OK):
        apt_install("time")
    return "/usr/bin/time"


def ensure_rg():
    rg = shutil.which("rg")
    if rg:
        return rg
    try:
        apt_install("ripgrep")
    except BenchError as e:
        log(f"apt could not install ripgrep ({e}); trying cargo install ripgrep")
        run(["cargo", "install", "--locked", "ripgrep"], LIMITS["cargo-install"],
            "cargo install ripgrep")
    rg = shutil.which("rg") or str(Path.home() / ".cargo/bin/rg")
    if not os.access(rg, os.X_OK):
        raise BenchError("ripgrep is still not installed")
    return rg


def ensure_kingfisher():
    venv = WORK / "kf-venv"
    kf = venv / "bin" / "kingfisher"
    if kf.exists():
        out = run([kf, "--version"], 60, "kingfisher --version")
        if KINGFISHER_VERSION in out:
            return kf
    if not (venv / "bin" / "pip").exists():
        run([sys.executable, "-m", "venv", venv], 120, "python3 -m venv (needs python3-venv)")
    run(
        [venv / "bin" / "pip", "install", "--disable-pip-version-check", "--timeout", "30",
         "--retries", "2", f"kingfisher-bin=={KINGFISHER_VERSION}"],
        LIMITS["pip"],
        "pip install kingfisher-bin",
    )
    if not kf.exists():
        raise BenchError(f"pip installed kingfisher-bin but {kf} does not exist")
    return kf


def build_pkscan(profile):
    cmd = ["cargo", "build", "--locked", "--bin", "pkscan"]
    if profile == "release":
        cmd.append("--release")
    run(cmd, 1800, f"cargo build ({profile})", cwd=REPO, quiet=False)
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    if not target.is_absolute():
        target = REPO / target
    built = target / ("release" if profile == "release" else "debug") / "pkscan"
    # Copy it at once: a shared target dir may be rebuilt by someone else mid-run.
    dest = WORK / "bin" / f"pkscan-{profile}"
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(built, dest)
    return dest


def ensure_corpus(name, timeout):
    """Installs bench/corpus/NAME/package-lock.json with npm ci; returns node_modules."""
    src = BENCH / "corpus" / name
    lock = (src / "package-lock.json").read_bytes()
    # Optional dependencies are installed: they are the platform's native modules
    # (next-swc, esbuild, rollup: single files of 10-130 MB), which a real checkout
    # has and which are what a scanner's memory per file is tested by.
    npm_ci = ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--legacy-peer-deps",
              "--fetch-timeout=60000", "--fetch-retries=2", "--loglevel=error"]
    digest = hashlib.sha256(lock + " ".join(npm_ci).encode()).hexdigest()
    dest = WORK / f"corpus-{name}"
    stamp = dest / ".installed"
    if stamp.exists() and stamp.read_text().strip() == digest:
        return dest / "node_modules"
    if not shutil.which("npm"):
        raise BenchError("npm is not installed: apt-get install -y npm (or install Node.js)")
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    shutil.copy2(src / "package.json", dest / "package.json")
    shutil.copy2(src / "package-lock.json", dest / "package-lock.json")
    run(
        npm_ci,
        timeout,
        f"npm ci ({name} corpus)",
        cwd=dest,
    )
    stamp.write_text(digest + "\n")
    return dest / "node_modules"


# --- measuring ---------------------------------------------------------------------


def measure(time_bin, cmd, ok, timeout=900):
    """One timed run: (wall s, peak RSS KiB, CPU s). Wall time from a monotonic clock
    around the child; peak RSS from GNU time's %M; user+system CPU from wait4(2),
    which has microsecond resolution where time's %U/%S have 10 ms."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf, tempfile.TemporaryFile("w+") as err:
        # time_bin None: run the tool directly (startup runs, where GNU time's own
        # fork and exec would be a large part of what is measured); RSS from wait4.
        wrap = [time_bin, "-f", "%e %M", "-o", tf.name] if time_bin else []
        full = wrap + [str(c) for c in cmd]
        t0 = time.perf_counter()
        p = subprocess.Popen(full, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err)
        # Block in wait4 (no polling that would compete for the 2 cores); a timer
        # kills a hung tool so the suite fails instead of hanging.
        timer = threading.Timer(timeout, p.kill)
        timer.start()
        try:
            _pid, status, ru = os.wait4(p.pid, 0)
        finally:
            timer.cancel()
        if os.WIFSIGNALED(status) and os.WTERMSIG(status) == 9:
            raise BenchError(f"{cmd[0]} took more than {timeout}s and was killed")
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        if p.returncode not in ok:
            err.seek(0)
            tail = "\n".join(err.read().splitlines()[-15:])
            raise BenchError(f"{' '.join(map(str, cmd))} exited with {p.returncode}:\n{tail}")
        if time_bin:
            lines = [ln for ln in Path(tf.name).read_text().splitlines() if ln.strip()]
            rss_kib = int(lines[-1].split()[1])
        else:
            rss_kib = ru.ru_maxrss
    return wall, rss_kib, ru.ru_utime + ru.ru_stime


def tools(pkscan, rg, kf, target, scratch):
    kf_env_cache = WORK / "kf-cache"
    return [
        ("pkscan", [pkscan, "scan", "--no-ignore", "--quiet", "--format", "json",
                    "--output", scratch / "pkscan.json", target], {0, 1}),
        ("rg", [rg, "-uuu", "-c", PATTERN, target], {0, 1}),
        ("kingfisher", [kf, "scan", "--no-update-check", "--no-validate", "--load-builtins",
                        "false", "--rules-path", KINGFISHER_RULE, "--rule", "all",
                        "--confidence", "low", "--quiet", "--rule-cache-dir", kf_env_cache,
                        "--format", "json", target], {0, 200}),
    ]


def sanity_check(time_bin, pkscan, rg, kf, scratch):
    """Every tool must find a key planted in a tiny tree: a peer that silently
    matches nothing (a rule it did not load, say) would make the timings meaningless."""
    import secrets
    import string

    tree = scratch / "sanity"
    if tree.exists():
        shutil.rmtree(tree)
    tree.mkdir()
    alphabet = string.ascii_letters + string.digits
    body = "".join(secrets.choice(alphabet) for _ in range(32))
    (tree / "app.js").write_text(f"const pictify = new Pictify('pk_live_{body}');\n")
    expect = {"pkscan": 1, "rg": 0, "kingfisher": 200}
    for n, cmd, _ok in tools(pkscan, rg, kf, tree, scratch):
        p = subprocess.run([str(c) for c in cmd], stdin=subprocess.DEVNULL,
                           capture_output=True, text=True, timeout=120)
        if p.returncode != expect[n]:
            raise BenchError(f"sanity check: {n} did not report the planted key (exit "
                             f"{p.returncode}, expected {expect[n]}):\n{p.stderr[-2000:]}")
    report = json.loads((scratch / "pkscan.json").read_text())
    if len(report["findings"]) != 1:
        raise BenchError(f"sanity check: pkscan reported {len(report['findings'])} findings, not 1")
    log("sanity check: every tool finds a planted key")


def corpus_stats(root):
    files = size = 0
    for dirpath, _dirs, names in os.walk(root):
        for n in names:
            p = os.path.join(dirpath, n)
            if os.path.isfile(p) and not os.path.islink(p):
                files += 1
                size += os.path.getsize(p)
    return files, size


def machine():
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return {"cores": os.cpu_count(), "cpu": cpu, "ram": mem, "kernel": platform.release()}


def version(cmd):
    try:
        out = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=30,
                             stdin=subprocess.DEVNULL).stdout
        return out.splitlines()[0].strip() if out else "?"
    except (OSError, subprocess.TimeoutExpired):
        return "?"


def verdict(ok):
    return "met" if ok else "MISSED"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--smoke", action="store_true",
                    help="tiny corpus, 2 runs, debug build (for CI: checks the suite works)")
    ap.add_argument("--runs", type=int, help="timed runs per tool (default 5; smoke 2)")
    ap.add_argument("--profile", choices=["release", "debug"],
                    help="pkscan build profile (default release; smoke debug)")
    ap.add_argument("--pkscan", type=Path, help="use this pkscan binary instead of building")
    args = ap.parse_args()

    name = "smoke" if args.smoke else "full"
    if args.smoke:
        LIMITS.update(SMOKE_LIMITS)
    runs = args.runs or (2 if args.smoke else 5)
    profile = args.profile or ("debug" if args.smoke else "release")
    WORK.mkdir(exist_ok=True)

    try:
        load0 = " / ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        load0 = "?"
    time_bin = ensure_time()
    rg = ensure_rg()
    kf = ensure_kingfisher()
    target = ensure_corpus(name, LIMITS["npm"])
    if args.pkscan:
        pkscan = args.pkscan.resolve()
        profile = "given"
    else:
        pkscan = build_pkscan(profile)

    files, size = corpus_stats(target)
    log(f"corpus {target}: {files} files, {size / 1e6:.0f} MB")
    scratch = WORK / "scratch"
    scratch.mkdir(exist_ok=True)
    empty = scratch / "empty"
    if empty.exists():
        shutil.rmtree(empty)
    empty.mkdir()

    sanity_check(time_bin, pkscan, rg, kf, scratch)
    suite = tools(pkscan, rg, kf, target, scratch)
    log("warm-up: one untimed run of each tool")
    for _name, cmd, ok in suite:
        measure(time_bin, cmd, ok)
    samples = {n: [] for n, _c, _o in suite}
    for i in range(runs):
        log(f"round {i + 1}/{runs}")
        for n, cmd, ok in suite:
            samples[n].append(measure(time_bin, cmd, ok))

    # Startup: each tool on an empty directory (pkscan's startup is a target).
    startup = {}
    empty_suite = tools(pkscan, rg, kf, empty, scratch)
    for n, cmd, ok in empty_suite:
        k = 3 if n == "kingfisher" else (10 if args.smoke else 30)
        runs_ = [measure(None, cmd, ok) for _ in range(k)]
        startup[n] = (statistics.median(w for w, _r, _c in runs_),
                      statistics.median(c for _w, _r, c in runs_))

    # Findings: pkscan's own report of the last full-corpus run; rg's matching lines.
    report = json.loads((scratch / "pkscan.json").read_text())
    pk_findings = len(report["findings"])
    rg_out = subprocess.run([str(rg), "-uuu", "-c", PATTERN, str(target)], capture_output=True,
                            text=True, timeout=900, stdin=subprocess.DEVNULL).stdout
    rg_lines = sum(int(ln.rsplit(":", 1)[1]) for ln in rg_out.splitlines() if ":" in ln)

    med = {n: (statistics.median(w for w, _r, _c in s),
               statistics.median(r for _w, r, _c in s) / 1024,
               statistics.median(c for _w, _r, c in s))
           for n, s in samples.items()}
    pk_wall, pk_rss, pk_cpu = med["pkscan"]
    rg_ratio = pk_wall / med["rg"][0]
    kf_ratio = pk_wall / med["kingfisher"][0]
    m = machine()
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    try:
        load = " / ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        load = "?"
    load = f"{load0} at the start, {load} at the end"

    out = []
    out.append(f"### pkscan benchmark ({name} corpus, {when})")
    out.append("")
    out.append(f"- Corpus: `npm ci` of bench/corpus/{name}/package-lock.json: "
               f"{files} files, {size / 1e6:.0f} MB (node_modules)")
    out.append(f"- Machine: {m['cores']} cores, {m['cpu']}, {m['ram']} RAM, Linux {m['kernel']}; "
               f"load average {load}")
    out.append(f"- Tools: pkscan {version([pkscan, '--version']).split()[-1]} ({profile} build), "
               f"{version([rg, '--version'])}, kingfisher {KINGFISHER_VERSION} "
               f"(one custom rule, built-ins off, no validation)")
    out.append(f"- Method: warm cache (one untimed run each), then {runs} rounds alternating "
               f"pkscan, rg, kingfisher; medians; wall from a monotonic clock, peak RSS from "
               f"`/usr/bin/time -f %M`, user+system CPU from wait4(2); startup: the tool alone "
               f"(no time wrapper) on an empty directory")
    out.append("")
    out.append("| tool | median wall (s) | median CPU (s) | median peak RSS (MiB) "
               "| pkscan / tool, wall | pkscan / tool, CPU | startup: empty dir, wall (CPU) ms |")
    out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for n, (w, r, c) in med.items():
        rw = "1.00" if n == "pkscan" else f"{pk_wall / w:.3f}"
        rc = "1.00" if n == "pkscan" else f"{pk_cpu / c:.3f}" if c > 0 else "-"
        out.append(f"| {n} | {w:.3f} | {c:.2f} | {r:.1f} | {rw} | {rc} | "
                   f"{startup[n][0] * 1000:.1f} ({startup[n][1] * 1000:.1f} CPU) |")
    out.append("")
    out.append("Commands (DIR is the corpus):")
    out.append("")
    out.append("- pkscan: `pkscan scan --no-ignore --quiet --format json --output FILE DIR`")
    out.append(f"- rg: `rg -uuu -c '{PATTERN}' DIR`")
    out.append("- kingfisher: `kingfisher scan --no-validate --load-builtins false --rules-path "
               "bench/kingfisher-pk.yml --rule all --confidence low --format json DIR`")
    out.append("")
    if args.smoke:
        out.append("Targets apply to the full corpus; on the smoke corpus they are informational.")
        out.append("")
    out.append("| target | measured | |")
    out.append("| --- | ---: | --- |")
    out.append(f"| pkscan wall ≤ {TARGET_RG_RATIO}× rg | {rg_ratio:.2f}× | "
               f"{verdict(rg_ratio <= TARGET_RG_RATIO)} |")
    out.append(f"| pkscan wall ≤ {TARGET_KF_RATIO}× kingfisher | {kf_ratio:.3f}× | "
               f"{verdict(kf_ratio <= TARGET_KF_RATIO)} |")
    out.append(f"| pkscan peak RSS < {TARGET_RSS_MIB} MiB | {pk_rss:.1f} MiB | "
               f"{verdict(pk_rss < TARGET_RSS_MIB)} |")
    st_wall, st_cpu = (x * 1000 for x in startup["pkscan"])
    out.append(f"| pkscan startup < {TARGET_STARTUP_MS} ms | {st_wall:.1f} ms wall, {st_cpu:.1f} ms CPU | "
               f"{verdict(st_wall < TARGET_STARTUP_MS)} |")
    out.append(f"| pkscan findings = 0 | {pk_findings} | {verdict(pk_findings == 0)} |")
    out.append("")
    out.append(f"rg found {rg_lines} line(s) matching the bare pattern; pkscan reports only keys it "
               f"attributes to Pictify or cannot attribute elsewhere.")
    out.append("")
    out.append("All samples (wall s / CPU s / peak RSS MiB):")
    out.append("")
    for n, s_ in samples.items():
        out.append(f"- {n}: " + ", ".join(f"{w:.3f}/{c:.2f}/{r / 1024:.0f}" for w, r, c in s_))
    text = "\n".join(out)
    print(text)
    (WORK / f"results-{name}.md").write_text(text + "\n")
    if pk_findings:
        titles = [f"{f.get('path')}:{f.get('line')} {f.get('rule_id')}" for f in report["findings"][:10]]
        log("pkscan reported findings on a corpus that has no Pictify keys:\n  " + "\n  ".join(titles))
        return 3
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as e:
        print(f"bench: error: {e}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
