"""Scores pkscan on the labelled accuracy corpus (tests/accuracy/{dev,holdout}).

Each case directory is scanned the way `tests/it/accuracy.rs` scans it
(`pkscan scan --format json --no-config <args> .` inside the directory) and
compared with its expect.toml. Matching is by path, line and rule; a reported
finding that matches no [[finding]] label is a false positive, whether it sits
on a line labelled [[clean]] or on a line nobody labelled.
"""
import argparse
import json
import os
import subprocess
import sys
import tomllib
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "tests", "accuracy")
SETS = ("dev", "holdout")


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--set", choices=("dev", "holdout", "all"), default="all")
    p.add_argument("--pkscan", metavar="PATH", help="binary to score (default: build target/release/pkscan)")
    p.add_argument("--failures", action="store_true", help="list every failing label")
    p.add_argument("--json", action="store_true", help="print JSON instead of tables")
    p.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 2)
    return p.parse_args()


def binary(path):
    if path:
        if not os.access(path, os.X_OK):
            sys.exit(f"accuracy: {path} is not an executable pkscan binary")
        return os.path.abspath(path)
    print("accuracy: building the release binary (cargo build --release)", file=sys.stderr)
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    return os.path.join(ROOT, "target", "release", "pkscan")


def load(sets):
    cases = []
    for s in sets:
        base = os.path.join(CORPUS, s)
        for name in sorted(os.listdir(base)):
            d = os.path.join(base, name)
            if not os.path.isdir(d):
                continue
            with open(os.path.join(d, "expect.toml"), "rb") as f:
                e = tomllib.load(f)
            cases.append({"set": s, "name": name, "dir": d, "expect": e})
    return cases


def scan(pkscan, case):
    cmd = [pkscan, "scan", "--format", "json", "--no-config", "--exclude", "expect.toml", *case["expect"].get("args", []), "."]
    env = dict(os.environ, NO_COLOR="1")
    env.pop("PKSCAN_API_BASE", None)
    p = subprocess.run(cmd, cwd=case["dir"], capture_output=True, env=env)
    if p.returncode not in (0, 1):
        return None, f"pkscan exited with {p.returncode}: {p.stderr.decode(errors='replace').strip()}"
    try:
        report = json.loads(p.stdout)
    except json.JSONDecodeError as e:
        return None, f"pkscan printed invalid JSON: {e}"
    found = [
        {
            "path": f.get("path", "").removeprefix("./"),
            "line": f.get("line"),
            "rule": f.get("rule_id"),
            "context": f.get("context"),
            "severity": f.get("severity"),
        }
        for f in report.get("findings", [])
    ]
    return found, None


def judge(case, found):
    """Per-label outcomes for one case, the same matching as tests/it/accuracy.rs."""
    e = case["expect"]
    used = [False] * len(found)
    out = {"findings": [], "cleans": [], "unexpected": []}

    def there(path, line):
        return [f"{r['rule']} {r['context']} {r['severity']}" for r in found if r["path"] == path and r["line"] == line]

    for lab in e.get("finding", []):
        exp = f"{lab['rule']} {lab['context']} {lab['severity']}"
        at = f"{lab['path']}:{lab['line']}"
        hit = next((i for i, r in enumerate(found)
                    if not used[i] and r["path"] == lab["path"] and r["line"] == lab["line"] and r["rule"] == lab["rule"]),
                   None)
        res = {"at": at, "expected": exp, "why": lab["why"], "known_limit": lab.get("known_limit")}
        if hit is None:
            got = there(lab["path"], lab["line"])
            res.update(found=False, context_ok=False, severity_ok=False, got="; ".join(got) or "nothing")
        else:
            used[hit] = True
            r = found[hit]
            res.update(found=True, context_ok=r["context"] == lab["context"],
                       severity_ok=r["severity"] == lab["severity"],
                       got=f"{r['rule']} {r['context']} {r['severity']}")
        out["findings"].append(res)
    for lab in e.get("clean", []):
        got = []
        for i, r in enumerate(found):
            if r["path"] == lab["path"] and r["line"] == lab["line"]:
                used[i] = True
                got.append(f"{r['rule']} {r['context']} {r['severity']}")
        out["cleans"].append({"at": f"{lab['path']}:{lab['line']}", "why": lab["why"], "ok": not got,
                              "got": "; ".join(got) or "nothing", "known_limit": lab.get("known_limit")})
    for i, r in enumerate(found):
        if not used[i]:
            out["unexpected"].append({"at": f"{r['path']}:{r['line']}", "got": f"{r['rule']} {r['context']} {r['severity']}"})
    return out


def empty():
    return {"cases": 0, "must_report": 0, "found": 0, "context_ok": 0, "severity_ok": 0, "exact": 0,
            "must_not_report": 0, "clean_ok": 0, "false_positives": 0, "errors": 0}


def add(acc, case, res):
    acc["cases"] += 1
    if res is None:
        acc["errors"] += 1
        acc["must_report"] += len(case["expect"].get("finding", []))
        acc["must_not_report"] += len(case["expect"].get("clean", []))
        return
    for f in res["findings"]:
        acc["must_report"] += 1
        acc["found"] += f["found"]
        acc["context_ok"] += f["found"] and f["context_ok"]
        acc["severity_ok"] += f["found"] and f["severity_ok"]
        acc["exact"] += f["found"] and f["context_ok"] and f["severity_ok"]
    for c in res["cleans"]:
        acc["must_not_report"] += 1
        acc["clean_ok"] += c["ok"]
        acc["false_positives"] += 0 if c["ok"] else c["got"].count(";") + 1
    acc["false_positives"] += len(res["unexpected"])


def ratios(a):
    def r(n, d):
        return round(n / d, 3) if d else None
    return dict(a, recall=r(a["found"], a["must_report"]), context_accuracy=r(a["context_ok"], a["found"]),
                severity_accuracy=r(a["severity_ok"], a["found"]), exact=r(a["exact"], a["must_report"]),
                clean_pass=r(a["clean_ok"], a["must_not_report"]))


def pct(x):
    return "   -" if x is None else f"{x * 100:3.0f}%"


def table(title, rows):
    print(f"\n{title}")
    print(f"  {'':24} {'cases':>5} {'must':>5} {'recall':>6} {'ctx':>5} {'sev':>5} {'exact':>6} {'clean':>5} {'pass':>5} {'FP':>4}")
    for name, a in rows:
        print(f"  {name:24} {a['cases']:5} {a['must_report']:5} {pct(a['recall']):>6} {pct(a['context_accuracy']):>5} "
              f"{pct(a['severity_accuracy']):>5} {pct(a['exact']):>6} {a['must_not_report']:5} {pct(a['clean_pass']):>5} "
              f"{a['false_positives']:4}" + (f"  ({a['errors']} errors)" if a["errors"] else ""))


def main():
    args = parse_args()
    sets = SETS if args.set == "all" else (args.set,)
    pkscan = binary(args.pkscan)
    cases = load(sets)
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as ex:
        scans = list(ex.map(lambda c: scan(pkscan, c), cases))

    by_set, by_fw, by_kind, total = {}, {}, {}, empty()
    failures, errors = [], []
    for case, (found, err) in zip(cases, scans):
        res = None if err else judge(case, found)
        if err:
            errors.append(f"{case['set']}/{case['name']}: {err}")
        e = case["expect"]
        for acc in (by_set.setdefault(case["set"], empty()), by_fw.setdefault(e["framework"], empty()),
                    by_kind.setdefault(e["kind"], empty()), total):
            add(acc, case, res)
        if res is None:
            continue
        cid = f"{case['set']}/{case['name']}"
        for f in res["findings"]:
            if not (f["found"] and f["context_ok"] and f["severity_ok"]):
                what = "missed" if not f["found"] else "wrong judgement"
                failures.append({"case": cid, "at": f["at"], "kind": what, "expected": f["expected"], "got": f["got"],
                                 "why": f["why"], "known_limit": f["known_limit"]})
        for c in res["cleans"]:
            if not c["ok"]:
                failures.append({"case": cid, "at": c["at"], "kind": "false positive", "expected": "nothing",
                                 "got": c["got"], "why": c["why"], "known_limit": c["known_limit"]})
        for u in res["unexpected"]:
            failures.append({"case": cid, "at": u["at"], "kind": "unexpected", "expected": "nothing (not labelled)",
                             "got": u["got"], "why": "", "known_limit": None})

    result = {
        "pkscan": pkscan,
        "sets": {k: ratios(v) for k, v in by_set.items()},
        "frameworks": {k: ratios(v) for k, v in sorted(by_fw.items())},
        "kinds": {k: ratios(v) for k, v in sorted(by_kind.items())},
        "total": ratios(total),
        "errors": errors,
    }
    if args.failures:
        result["failures"] = failures
    if args.json:
        json.dump(result, sys.stdout, indent=2)
        print()
        return
    print(f"pkscan accuracy: {pkscan}")
    print("must = labels that must be reported; recall = reported at that path:line with that rule;")
    print("ctx / sev = right context / severity among those found; exact = all three right;")
    print("clean = labels that must not be reported; pass = nothing reported there; FP = reported but not labelled a finding")
    table("per set", [(k, result["sets"][k]) for k in sets if k in result["sets"]] + [("all", result["total"])])
    table("per kind", list(result["kinds"].items()))
    table("per framework", list(result["frameworks"].items()))
    for e in errors:
        print(f"error: {e}", file=sys.stderr)
    if args.failures:
        print(f"\nfailures ({len(failures)}):")
        for f in failures:
            lim = f"  (known limit: {f['known_limit']})" if f["known_limit"] else ""
            why = f"  [{f['why']}]" if f["why"] else ""
            print(f"  {f['case']}: {f['at']}: {f['kind']}: expected {f['expected']}, got {f['got']}{lim}{why}")


if __name__ == "__main__":
    main()
