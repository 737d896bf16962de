#!/usr/bin/env python3
"""Packs pkscan release archives and SHA256SUMS; Python 3 standard library only.

Used by .github/workflows/release.yml, and by the tests, which build a fake
release from their own binary and serve it to the Action's installer.

    release-pack.py --version 0.1.0 --docs-bin PATH --out DIR TARGET=BINARY...

For each TARGET (a Rust target triple) it writes DIR/pkscan-VERSION-TARGET.tar.gz
(.zip for Windows targets) holding one directory of the same name:

    pkscan (pkscan.exe)    the binary
    README.md, CHANGELOG.md, LICENSE-MIT, LICENSE-APACHE
    doc/pkscan.1           the man page (`pkscan man`)
    complete/              completions for bash, zsh, fish, PowerShell, elvish

The man page and completions come from --docs-bin, a pkscan that runs on this
machine (they are the same for every target). Then DIR/SHA256SUMS lists every
archive in `sha256sum` format. Archives are reproducible: sorted entries, fixed
owner, and the modification time of SOURCE_DATE_EPOCH (else 0).
"""
import argparse
import gzip
import hashlib
import io
import os
import subprocess
import sys
import tarfile
import time
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOCS = ["README.md", "CHANGELOG.md", "LICENSE-MIT", "LICENSE-APACHE"]
COMPLETIONS = {
    "bash": "pkscan.bash",
    "zsh": "_pkscan",
    "fish": "pkscan.fish",
    "powershell": "_pkscan.ps1",
    "elvish": "pkscan.elv",
}


def archive_name(version, target):
    ext = "zip" if "windows" in target else "tar.gz"
    return f"pkscan-{version}-{target}.{ext}"


def generated(docs_bin, version):
    """The man page and completion scripts, from a pkscan that runs here."""

    def run(*args):
        out = subprocess.run([docs_bin, *args], capture_output=True, check=True)
        return out.stdout

    got = run("--version").decode().strip()
    if got != f"pkscan {version}":
        sys.exit(f"release-pack: {docs_bin} says {got!r}, expected 'pkscan {version}'")
    files = {"doc/pkscan.1": run("man")}
    for shell, name in COMPLETIONS.items():
        files[f"complete/{name}"] = run("completions", shell)
    return files


def members(version, target, binary, extra):
    """(path inside the archive, bytes, executable?) in a fixed order."""
    top = f"pkscan-{version}-{target}"
    exe = "pkscan.exe" if "windows" in target else "pkscan"
    with open(binary, "rb") as f:
        out = [(f"{top}/{exe}", f.read(), True)]
    for name in DOCS:
        with open(os.path.join(ROOT, name), "rb") as f:
            out.append((f"{top}/{name}", f.read(), False))
    out += [(f"{top}/{p}", data, False) for p, data in sorted(extra.items())]
    return out


def write_tar_gz(path, entries, mtime):
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        dirs = sorted({os.path.dirname(p) for p, _, _ in entries} - {""})
        for d in dirs:
            info = tarfile.TarInfo(d)
            info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o755, mtime
            tar.addfile(info)
        for name, data, executable in entries:
            info = tarfile.TarInfo(name)
            info.size, info.mtime = len(data), mtime
            info.mode = 0o755 if executable else 0o644
            tar.addfile(info, io.BytesIO(data))
    with open(path, "wb") as f, gzip.GzipFile(
        fileobj=f, mode="wb", mtime=mtime, filename="", compresslevel=6
    ) as gz:
        gz.write(raw.getvalue())


def write_zip(path, entries, mtime):
    stamp = max(mtime, 315532800)  # zip dates start in 1980
    when = tuple(time.gmtime(stamp))[:6]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data, executable in entries:
            info = zipfile.ZipInfo(name, date_time=when)
            info.external_attr = (0o755 if executable else 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--version", required=True, help="release version, without the v")
    ap.add_argument("--docs-bin", required=True, help="a pkscan that runs here")
    ap.add_argument("--out", required=True, help="directory for archives and SHA256SUMS")
    ap.add_argument("builds", nargs="+", metavar="TARGET=BINARY")
    a = ap.parse_args()
    version = a.version.removeprefix("v")
    mtime = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
    extra = generated(a.docs_bin, version)
    os.makedirs(a.out, exist_ok=True)
    names = []
    for build in a.builds:
        target, sep, binary = build.partition("=")
        if not sep or not target or not binary:
            sys.exit(f"release-pack: expected TARGET=BINARY, got {build!r}")
        name = archive_name(version, target)
        entries = members(version, target, binary, extra)
        path = os.path.join(a.out, name)
        (write_zip if name.endswith(".zip") else write_tar_gz)(path, entries, mtime)
        names.append(name)
        print(f"release-pack: {name}")
    with open(os.path.join(a.out, "SHA256SUMS"), "w") as f:
        for name in sorted(names):
            f.write(f"{sha256(os.path.join(a.out, name))}  {name}\n")
    print("release-pack: SHA256SUMS")


if __name__ == "__main__":
    main()
