#!/usr/bin/env python3
"""Scan step of the pkscan GitHub Action (action.yml); Python 3 standard library only.

Runs pkscan in `pr` (the pull request's commits), `history` (all of git history),
`tree` (the checked-out files) or `url` (what a deployed site serves) mode, writes SARIF, a Markdown job summary,
`::error`/`::warning` annotations and the step outputs `findings` and `sarif-file`.

In `pr` mode `.pkscan.toml`, and the rule files and baseline it names, are taken as
they are at the pull request's BASE commit, never from the pull request itself: a
pull request must not be able to allow-list, exclude or baseline its own leak. A
notice in the summary says when the pull request changes them.

Inputs arrive as INPUT_* environment variables set by action.yml (composite actions
do not set them by themselves). Exit codes: 0 clean (or findings with
fail-on-findings false), 1 findings, 2 error. No output of this script ever
contains a full key: SARIF messages are redacted by pkscan, and every line written
here passes through `scrub` as a second line of defence.
"""
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import urllib.parse

KEY_RE = re.compile(r"pk_(live|test)_[A-Za-z0-9_\-]{6,}")
CONFIG = ".pkscan.toml"
EMPTY_BASELINE = '{"schema": "pkscan-baseline/1", "entries": []}\n'
# GitHub shows at most 10 error annotations per step and 50 per job, and caps the
# job summary at 1 MiB: beyond these, the SARIF file and code scanning have it all.
MAX_ANNOTATIONS = 50
MAX_ROWS = 500


def inp(name, default=""):
    """An action input, from the INPUT_* variable action.yml sets."""
    value = os.environ.get(name, "").strip()
    return value if value else default


def truthy(value):
    return value.strip().lower() in ("true", "yes", "1", "on")


def scrub(text):
    """Redacts anything that still looks like a full key."""

    def redact(m):
        k = m.group(0)
        prefix = k[:8]
        body = k[8:]
        return f"{prefix}{body[:2]}…{body[-2:]}"

    return KEY_RE.sub(redact, text)


def esc_data(s):
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def esc_prop(s):
    return esc_data(s).replace(":", "%3A").replace(",", "%2C")


def md_cell(s):
    return s.replace("|", "\\|").replace("\n", " ")


def git(root, *args, check=True):
    p = subprocess.run(
        ["git", "-C", root, *args], capture_output=True, text=False, check=False
    )
    if check and p.returncode != 0:
        raise RuntimeError(
            f"git {' '.join(args)} failed: {p.stderr.decode(errors='replace').strip()}"
        )
    return p


def git_show(root, rev, rel):
    """Content of the file at ROOT-relative path `rel` at `rev`, or None if there is
    no file there."""
    # cat-file blob, not show: `git show REV:dir` prints a tree listing.
    p = git(root, "cat-file", "blob", f"{rev}:./{rel}", check=False)
    return p.stdout if p.returncode == 0 else None


def ensure_commit(root, sha):
    if git(root, "cat-file", "-e", f"{sha}^{{commit}}", check=False).returncode == 0:
        return
    git(root, "fetch", "--no-tags", "--quiet", "origin", sha, check=False)
    if git(root, "cat-file", "-e", f"{sha}^{{commit}}", check=False).returncode != 0:
        raise RuntimeError(
            f"commit {sha} is not in the checkout; use actions/checkout with fetch-depth: 0"
        )


def safe_rel(rel):
    """A config-relative path that stays inside the config directory, or None."""
    norm = os.path.normpath(rel)
    if os.path.isabs(norm) or norm == ".." or norm.startswith(".." + os.sep):
        return None
    return norm


def base_config(root, base, head, tmp, notes):
    """Materializes the base commit's config and the files it names under `tmp`.
    Returns the pkscan arguments that select it."""
    text = git_show(root, base, CONFIG)
    watched = [CONFIG]
    if text is None:
        args = ["--no-config"]
    else:
        cfg_path = os.path.join(tmp, CONFIG)
        with open(cfg_path, "wb") as f:
            f.write(text)
        args = ["--config", cfg_path]
        refs = {"rules": [], "baseline": []}
        try:
            import tomllib

            data = tomllib.loads(text.decode("utf-8"))
            refs["rules"] = [r for r in data.get("rules", []) if isinstance(r, str)]
            if isinstance(data.get("baseline"), str):
                refs["baseline"] = [data["baseline"]]
        except ImportError:
            notes.append(
                "Python has no tomllib (needs 3.11+): rule files and baseline named in "
                f"`{CONFIG}` were not copied from the base commit."
            )
        except (ValueError, UnicodeDecodeError):
            pass  # pkscan reports the parse error with its line number
        for kind, paths in refs.items():
            for rel in paths:
                norm = safe_rel(rel)
                if norm is None:
                    notes.append(f"`{CONFIG}` names `{rel}` outside the repository; ignored.")
                    continue
                watched.append(norm)
                materialize(root, base, norm, tmp, kind, notes)
    changed = git(
        root, "diff", "--name-only", "--relative", base, head, "--", *watched, check=False
    ).stdout.decode(errors="replace").split()
    if changed:
        files = ", ".join(f"`{c}`" for c in changed)
        notes.append(
            f"This pull request changes {files}. The scan used them as they are at the "
            f"base commit `{base[:12]}`, so a pull request cannot allow-list or baseline "
            "its own findings; the changes take effect once merged."
        )
    return args


def materialize(root, base, rel, tmp, kind, notes):
    dest = os.path.join(tmp, rel)
    os.makedirs(os.path.dirname(dest) or tmp, exist_ok=True)
    blob = git_show(root, base, rel)
    if blob is not None:
        with open(dest, "wb") as f:
            f.write(blob)
        return
    # A directory of rule files.
    listed = git(root, "ls-tree", "-r", "--name-only", base, f"./{rel}/", check=False)
    names = [n for n in listed.stdout.decode(errors="replace").splitlines() if n]
    if names:
        os.makedirs(dest, exist_ok=True)
        for name in names:
            inner = os.path.relpath(name, rel)
            blob = git_show(root, base, name)
            if blob is not None and safe_rel(inner):
                os.makedirs(os.path.dirname(os.path.join(dest, inner)), exist_ok=True)
                with open(os.path.join(dest, inner), "wb") as f:
                    f.write(blob)
        return
    if kind == "baseline":
        with open(dest, "w") as f:
            f.write(EMPTY_BASELINE)
        notes.append(f"Baseline `{rel}` does not exist at the base commit; none applied.")
    else:
        notes.append(f"Rule file `{rel}` does not exist at the base commit.")


def web_location(result, root, workspace):
    """For a finding at a URL: (location shown, repository file to annotate or "",
    its line). The file is the original source from the source map when it names a
    file that exists in the checkout."""
    loc = result["locations"][0]["physicalLocation"]
    url = loc["artifactLocation"]["uri"]
    line = loc.get("region", {}).get("startLine", 1)
    where = f"{url}:{line}"
    for rel in result.get("relatedLocations", []):
        ploc = rel.get("physicalLocation", {})
        src = urllib.parse.unquote(ploc.get("artifactLocation", {}).get("uri", ""))
        src_line = ploc.get("region", {}).get("startLine", 1)
        where += f" (source: {src}:{src_line})"
        # webpack://app/lib/x.ts, turbopack:///[project]/lib/x.ts, src/x.ts
        candidate = re.sub(r"^[a-z]+://(/\[project\]/|[^/]*/)?", "", src)
        full = os.path.normpath(os.path.join(root, candidate))
        if candidate and not os.path.isabs(candidate) and os.path.isfile(full):
            return where, os.path.relpath(full, workspace).replace(os.sep, "/"), src_line
    return where, "", line


def write_file(var, text):
    path = os.environ.get(var)
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write(text)


def main():
    with tempfile.TemporaryDirectory(prefix="pkscan-action-") as tmp:
        return scan(tmp)


def scan(tmp):
    mode = inp("INPUT_MODE", "pr").lower()
    path = inp("INPUT_PATH", ".")
    extra = shlex.split(inp("INPUT_ARGS"))
    verify = truthy(inp("INPUT_VERIFY", "false"))
    min_severity = inp("INPUT_MIN_SEVERITY")
    fail = truthy(inp("INPUT_FAIL_ON_FINDINGS", "true"))
    sarif_rel = inp("INPUT_SARIF_FILE", "pkscan.sarif")
    pkscan = os.environ.get("PKSCAN_BIN", "pkscan")

    workspace = os.environ.get("GITHUB_WORKSPACE") or os.getcwd()
    root = os.path.normpath(path if os.path.isabs(path) else os.path.join(workspace, path))
    sarif = sarif_rel if os.path.isabs(sarif_rel) else os.path.join(workspace, sarif_rel)
    notes = []
    title = ""

    if mode == "pr":
        event_path = os.environ.get("GITHUB_EVENT_PATH", "")
        try:
            with open(event_path, encoding="utf-8") as f:
                event = json.load(f)
        except (OSError, ValueError) as e:
            return error(f"mode pr needs the event file GITHUB_EVENT_PATH ({e})")
        pr = event.get("pull_request")
        if not pr:
            return error(
                "mode pr runs on pull_request events; use mode history or tree for other events"
            )
        base, head = pr["base"]["sha"], pr["head"]["sha"]
        try:
            ensure_commit(root, base)
            ensure_commit(root, head)
            cfg_args = base_config(root, base, head, tmp, notes)
        except RuntimeError as e:
            return error(str(e))
        cmd = [pkscan, "git", root, "--range", f"{base}..{head}", *cfg_args]
        title = f"pull request commits `{base[:7]}..{head[:7]}`"
    elif mode == "history":
        cmd = [pkscan, "git", root]
        title = "full git history"
    elif mode == "tree":
        cmd = [pkscan, "scan", root]
        title = "working tree"
    elif mode == "url":
        urls = inp("INPUT_URL").split()
        if not urls:
            return error("mode url needs the url input (the deployment to audit)")
        bad = [u for u in urls if not re.match(r"^https?://", u)]
        if bad:
            return error("mode url takes http:// or https:// URLs")
        # `--` keeps a URL from being read as an option.
        cmd = [pkscan, "url", "--", *urls]
        title = "deployment " + ", ".join(f"`{u}`" for u in urls)
    else:
        return error(f"unknown mode {mode!r}: use pr, history, tree or url")
    opts = []
    if verify:
        opts.append("--verify")
    if min_severity:
        opts += ["--min-severity", min_severity]
    opts += extra
    opts += ["--format", "sarif", "--output", sarif, "--color", "never"]
    if mode == "url":
        i = cmd.index("--")
        cmd = cmd[:i] + opts + cmd[i:]
    else:
        cmd += opts

    os.makedirs(os.path.dirname(sarif), exist_ok=True)
    print(scrub("pkscan: running " + shlex.join(cmd)), flush=True)
    # In url mode the project's .pkscan.toml (allow-list, baseline) is the one in `path`.
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=root if mode == "url" else None)
    log = scrub(proc.stderr)
    sys.stderr.write(log)
    if proc.returncode not in (0, 1):
        return error(f"pkscan failed (exit {proc.returncode})", log)

    with open(sarif, encoding="utf-8") as f:
        doc = json.load(f)
    results = [r for run in doc.get("runs", []) for r in run.get("results", [])]

    rows = []
    for i, r in enumerate(results):
        loc = r["locations"][0]["physicalLocation"]
        uri = urllib.parse.unquote(loc["artifactLocation"]["uri"])
        region = loc.get("region", {})
        line = region.get("startLine", 1)
        props = r.get("properties", {})
        web = uri.startswith(("http://", "https://"))
        if web:
            # A deployed asset: annotate the original source when the source map
            # names a file of this repository, else the run as a whole.
            where, file_rel, line = web_location(r, root, workspace)
        else:
            file_rel = os.path.relpath(os.path.join(root, uri), workspace).replace(os.sep, "/")
            where = f"{file_rel}:{line}"
        level = {"error": "error", "warning": "warning"}.get(r.get("level"), "notice")
        commit = props.get("commit", "")
        message = r["message"]["text"]
        if commit:
            message += f" (introduced in commit {commit[:12]}: {props.get('commitSummary', '')})"
        if i < MAX_ANNOTATIONS and web and not file_rel:
            print(scrub(f"::{level} title={esc_prop('pkscan: ' + r['ruleId'])}::{esc_data(message)}"))
        elif i < MAX_ANNOTATIONS:
            print(
                scrub(
                    f"::{level} file={esc_prop(file_rel)},line={line},"
                    f"endLine={region.get('endLine', line)},col={region.get('startColumn', 1)},"
                    f"endColumn={region.get('endColumn', 1)},"
                    f"title={esc_prop('pkscan: ' + r['ruleId'])}::{esc_data(message)}"
                )
            )
        rows.append(
            (
                props.get("severity", r.get("level", "")),
                where,
                r["ruleId"],
                props.get("redactedKey", ""),
                props.get("context", ""),
                commit[:12],
            )
        )

    n = len(results)
    if n > MAX_ANNOTATIONS:
        print(f"::warning::pkscan: {n - MAX_ANNOTATIONS} more findings are not annotated; see the job summary and SARIF")
    md = [f"## pkscan: {n} finding{'s' if n != 1 else ''} in the {title}", ""]
    for note in notes:
        md += ["> [!NOTE]", f"> {note}", ""]
    if rows:
        md += [
            "| Severity | Location | Rule | Key (redacted) | Context | Commit |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for row in rows[:MAX_ROWS]:
            md.append("| " + " | ".join(f"`{md_cell(c)}`" if c else "" for c in row) + " |")
        if len(rows) > MAX_ROWS:
            md.append(f"\n… and {len(rows) - MAX_ROWS} more: see the SARIF report `{sarif_rel}`.")
        md += [
            "",
            "**What to do:** remove each key from the code and read it from an environment "
            "variable on the server. A key that was committed or pushed is exposed: rotate it "
            "(Pictify dashboard, *Settings > API Keys*: create a new key, switch the app to it, "
            "revoke and delete the old one). Not a real key? Add a comment containing "
            "`pkscan:allow` on that line, or its fingerprint with a reason under `[[allow]]` "
            "in `.pkscan.toml` (in a pull request this takes effect once merged).",
        ]
    else:
        md.append("No Pictify API keys found.")
    summary_lines = [line for line in log.splitlines() if line.strip()]
    if summary_lines:
        md += ["", "<details><summary>pkscan output</summary>", "", "```"]
        md += summary_lines
        md += ["```", "", "</details>"]
    write_file("GITHUB_STEP_SUMMARY", scrub("\n".join(md) + "\n"))
    write_file("GITHUB_OUTPUT", f"findings={n}\nsarif-file={sarif_rel}\n")

    if n and fail:
        print(f"::error::pkscan found {n} finding{'s' if n != 1 else ''}; see the job summary")
        return 1
    return 0


def error(message, log=""):
    print(f"::error title=pkscan::{esc_data(scrub(message))}")
    md = f"## pkscan: error\n\n{scrub(message)}\n"
    if log.strip():
        md += f"\n```\n{scrub(log).strip()}\n```\n"
    write_file("GITHUB_STEP_SUMMARY", md)
    write_file("GITHUB_OUTPUT", "findings=\nsarif-file=\n")
    return 2


if __name__ == "__main__":
    sys.exit(main())
