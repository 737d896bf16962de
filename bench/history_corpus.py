#!/usr/bin/env python3
"""Writes a `git fast-import` stream for the history benchmark's corpus.

Real content: published versions of npm packages (the tarballs given on the
command line, in version order per package), committed under vendor/<package>/.
With --batch 0 each package version is one commit; with --batch N the files a
version adds or changes are committed N at a time, which gives the shape of a
real project's history (many commits, each touching a few files).

Three generated keys are planted (they belong to no one): one committed and
deleted again, one still at HEAD, one only on an unmerged branch.

Usage: history_corpus.py --batch N PACKAGE=TARBALL[,TARBALL...] ... | git fast-import
"""
import argparse
import secrets
import string
import sys
import tarfile

out = sys.stdout.buffer
mark = 0
when = 1_600_000_000


def key(kind):
    alphabet = string.ascii_letters + string.digits
    return f"pk_{kind}_" + "".join(secrets.choice(alphabet) for _ in range(32))


def data(b):
    out.write(b"data %d\n" % len(b) + b + b"\n")


def commit(branch, message, changes, parent=None):
    """changes: list of (path, bytes or None for delete). Returns the mark."""
    global mark, when
    mark += 1
    when += 60
    out.write(b"commit refs/heads/%s\nmark :%d\n" % (branch.encode(), mark))
    out.write(b"committer Bench Bot <bench@example.invalid> %d +0000\n" % when)
    data(message.encode())
    if parent is not None:
        out.write(b"from :%d\n" % parent)
    for path, content in changes:
        p = path.encode()
        if content is None:
            out.write(b"D " + p + b"\n")
        else:
            out.write(b"M 100644 inline " + p + b"\n")
            data(content)
    return mark


def files_of(tarball, prefix):
    files = {}
    with tarfile.open(tarball) as t:
        for m in t.getmembers():
            if not m.isfile():
                continue
            # npm tarballs put everything under package/ (a few use another top dir).
            rel = m.name.split("/", 1)[1] if "/" in m.name else m.name
            f = t.extractfile(m)
            if f is not None:
                files[f"{prefix}/{rel}"] = f.read()
    return files


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--batch", type=int, default=0)
    ap.add_argument("packages", nargs="+", help="NAME=TARBALL[,TARBALL...]")
    args = ap.parse_args()
    versions = {}
    for spec in args.packages:
        name, tarballs = spec.split("=", 1)
        versions[name] = tarballs.split(",")
    state = {name: {} for name in versions}
    rounds = max(len(v) for v in versions.values())
    head = None
    before_last = None
    for i in range(rounds):
        for name, tarballs in versions.items():
            if i >= len(tarballs):
                continue
            new = files_of(tarballs[i], f"vendor/{name}")
            old = state[name]
            changed = [(p, c) for p, c in sorted(new.items()) if old.get(p) != c]
            deleted = [(p, None) for p in sorted(old) if p not in new]
            state[name] = new
            version = tarballs[i].rsplit("-", 1)[-1].removesuffix(".tgz")
            if args.batch <= 0:
                head = commit("main", f"vendor {name}@{version}", changed + deleted, head)
                continue
            todo = changed + deleted
            for start in range(0, len(todo), args.batch):
                part = todo[start:start + args.batch]
                head = commit("main", f"{name}@{version}: {part[0][0]}", part, head)
        if i == 1:
            code = f"const pictify = new Pictify('{key('live')}')\n"
            head = commit("main", "server config", [("server/config.js", code.encode())], head)
        elif i == 2:
            head = commit("main", "remove key", [("server/config.js", None)], head)
        elif i == 3:
            code = f"export const PICTIFY_KEY = '{key('live')}'\n"
            head = commit("main", "web app", [("web/app.js", code.encode())], head)
        if i == rounds - 2:
            before_last = head
    env = f"PICTIFY_API_KEY={key('test')}\n".encode()
    commit("experiment", "experiment", [(".env.local", env)], before_last or head)


if __name__ == "__main__":
    main()
