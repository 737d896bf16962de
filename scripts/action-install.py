#!/usr/bin/env python3
"""Install step of the pkscan GitHub Action (action.yml); Python 3 standard library only.

Puts the release binary of pkscan for this runner on PATH, after checking it
against the release's SHA256SUMS: one download of SHA256SUMS, one of the archive,
one checksum. The version is the `version` input, else the ref the workflow
used the action at (`uses: pictify/pkscan@v1.2.3`).

When there is no release to use, it says why and leaves the build to the next
steps (a cached `cargo install` of the action's own source, the same code):
  - the action ref is a branch or a commit SHA, not a version tag;
  - the release has no SHA256SUMS, or no archive for this OS and architecture.

It stops the job, and nothing is run, when a download does not match its
checksum, when SHA256SUMS lists an archive that cannot be downloaded, when the
archive lacks the binary, or when the binary reports another version. An
explicit `version` input that cannot be installed is an error too: building
the action's source instead would run a different version than was asked for.

Environment (set by action.yml and the runner):
  INPUT_VERSION        the `version` input: 1.2.3 or v1.2.3; empty for the action ref
  ACTION_REF           ${{ github.action_ref }}
  ACTION_REPOSITORY    ${{ github.action_repository }} (owner/name)
  GITHUB_ACTION_PATH   where the runner checked the action out
  RUNNER_OS, RUNNER_ARCH, RUNNER_TEMP, GITHUB_OUTPUT, GITHUB_PATH
  PKSCAN_RELEASE_BASE  optional: the URL under which release assets live, as
                       BASE/v1.2.3/FILE (default
                       https://github.com/OWNER/NAME/releases/download); https,
                       or http only to a loopback address (tests)

Step outputs: method (release or cargo), version, pkscan (the binary's path).
Exit codes: 0 installed, or the build is left to cargo; 1 an error above.
"""
import hashlib
import ipaddress
import os
import re
import subprocess
import sys
import tarfile
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile

DEFAULT_REPOSITORY = "pictify/pkscan"
VERSION_RE = re.compile(r"^v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)$")
# (RUNNER_OS, RUNNER_ARCH) -> the Rust target release.yml builds for it.
TARGETS = {
    ("Linux", "X64"): "x86_64-unknown-linux-musl",
    ("Linux", "ARM64"): "aarch64-unknown-linux-musl",
    ("macOS", "X64"): "x86_64-apple-darwin",
    ("macOS", "ARM64"): "aarch64-apple-darwin",
    ("Windows", "X64"): "x86_64-pc-windows-msvc",
}
MAX_DOWNLOAD = 256 << 20
TIMEOUT = 30
RETRIES = 3


class Failed(Exception):
    """An integrity or input error: the job must stop."""


class Unavailable(Exception):
    """No release binary to use: the action builds pkscan instead."""


def env(name, default=""):
    value = os.environ.get(name, "").strip()
    return value or default


def output(**values):
    path = env("GITHUB_OUTPUT")
    if path:
        with open(path, "a", encoding="utf-8") as f:
            for k, v in values.items():
                f.write(f"{k}={v}\n")


def annotate(kind, message):
    print(f"::{kind}::pkscan: {message}", flush=True)


def target():
    """The release target for this runner, or None."""
    runner = (env("RUNNER_OS"), env("RUNNER_ARCH"))
    if runner == ("", ""):
        import platform

        system = {"Linux": "Linux", "Darwin": "macOS", "Windows": "Windows"}.get(
            platform.system(), platform.system()
        )
        arch = {"x86_64": "X64", "amd64": "X64", "aarch64": "ARM64", "arm64": "ARM64"}.get(
            platform.machine().lower(), platform.machine()
        )
        runner = (system, arch)
    return runner, TARGETS.get(runner)


def action_ref_and_repository():
    """The ref and repository the workflow used the action at. Composite actions
    do not always get github.action_ref; the checkout path ends in
    OWNER/NAME/REF, so it is the second source."""
    ref, repo = env("ACTION_REF"), env("ACTION_REPOSITORY")
    parts = os.path.normpath(env("GITHUB_ACTION_PATH")).split(os.sep)
    if len(parts) >= 4 and parts[-4] == "_actions":
        repo = repo or f"{parts[-3]}/{parts[-2]}"
        ref = ref or parts[-1]
    return ref, repo or DEFAULT_REPOSITORY


def check_base(base):
    """Release assets come over https; plain http only from this machine."""
    url = urllib.parse.urlsplit(base)
    if url.scheme == "https" and url.hostname:
        return base.rstrip("/")
    if url.scheme == "http" and url.hostname:
        host = url.hostname
        try:
            loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False
        if loopback:
            return base.rstrip("/")
    raise Failed(
        f"PKSCAN_RELEASE_BASE must be an https:// URL (http:// only on a loopback address), got {base!r}"
    )


def fetch(url):
    """The body of url, or None for 404. Retries other failures a few times."""
    request = urllib.request.Request(url, headers={"User-Agent": "pkscan-action"})
    last = None
    for attempt in range(RETRIES):
        if attempt:
            time.sleep(2**attempt)
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as r:
                body = r.read(MAX_DOWNLOAD + 1)
                if len(body) > MAX_DOWNLOAD:
                    raise Failed(f"{url} is larger than {MAX_DOWNLOAD >> 20} MiB")
                return body
        except urllib.error.HTTPError as e:
            if e.code == 404:
                return None
            last = f"HTTP {e.code}"
            if e.code < 500 and e.code != 429:
                break
        except (urllib.error.URLError, OSError) as e:
            last = str(getattr(e, "reason", e))
    raise Unavailable(f"could not download {url}: {last}")


def expected_sum(sums, name):
    """The SHA-256 that SHA256SUMS gives for name, or None."""
    for line in sums.decode("utf-8", "replace").splitlines():
        m = re.match(r"^([0-9a-fA-F]{64}) [ *](.+)$", line.strip())
        if m and m.group(2) == name:
            return m.group(1).lower()
    return None


def extract(archive_path, member, dest):
    """Writes the single file `member` of the archive to dest; nothing else is
    unpacked, so no path in the archive can write outside dest."""
    if archive_path.endswith(".zip"):
        with zipfile.ZipFile(archive_path) as z:
            try:
                data = z.read(member)
            except KeyError:
                data = None
    else:
        with tarfile.open(archive_path, "r:gz") as t:
            try:
                info = t.getmember(member)
            except KeyError:
                info = None
            data = t.extractfile(info).read() if info is not None and info.isfile() else None
    if data is None:
        raise Failed(f"{os.path.basename(archive_path)} has no {member}")
    with open(dest, "wb") as f:
        f.write(data)
    os.chmod(dest, 0o755)


def install(version, repo, target_name):
    base = check_base(env("PKSCAN_RELEASE_BASE", f"https://github.com/{repo}/releases/download"))
    tag = f"v{version}"
    sums_url = f"{base}/{tag}/SHA256SUMS"
    sums = fetch(sums_url)
    if sums is None:
        raise Unavailable(f"release {tag} of {repo} has no SHA256SUMS ({sums_url})")
    ext = "zip" if "windows" in target_name else "tar.gz"
    top = f"pkscan-{version}-{target_name}"
    name = f"{top}.{ext}"
    want = expected_sum(sums, name)
    if want is None:
        raise Unavailable(f"release {tag} has no {name} in SHA256SUMS")
    body = fetch(f"{base}/{tag}/{name}")
    if body is None:
        raise Failed(
            f"release {tag} lists {name} in SHA256SUMS, but the asset is missing ({base}/{tag}/{name})"
        )
    got = hashlib.sha256(body).hexdigest()
    if got != want:
        raise Failed(
            f"checksum mismatch for {name}: SHA256SUMS says {want}, the download is {got}. "
            "The file was changed or damaged after the release was made; it was not run."
        )
    dest_dir = os.path.join(env("RUNNER_TEMP", os.path.join(os.getcwd(), ".pkscan-action")), top)
    os.makedirs(dest_dir, exist_ok=True)
    archive_path = os.path.join(dest_dir, name)
    with open(archive_path, "wb") as f:
        f.write(body)
    exe = "pkscan.exe" if ext == "zip" else "pkscan"
    binary = os.path.join(dest_dir, exe)
    extract(archive_path, f"{top}/{exe}", binary)
    os.remove(archive_path)
    said = subprocess.run([binary, "--version"], capture_output=True, text=True)
    if said.returncode != 0 or said.stdout.strip() != f"pkscan {version}":
        raise Failed(
            f"{name} holds a binary that says {said.stdout.strip() or said.stderr.strip()!r}, "
            f"not 'pkscan {version}'"
        )
    print(f"pkscan: installed {name} (sha256 {got}, verified against SHA256SUMS)", flush=True)
    path_file = env("GITHUB_PATH")
    if path_file:
        with open(path_file, "a", encoding="utf-8") as f:
            f.write(dest_dir + "\n")
    output(method="release", version=version, pkscan=binary)


def main():
    requested = env("INPUT_VERSION")
    ref, repo = action_ref_and_repository()
    runner, target_name = target()
    source = "version input" if requested else f"action ref {ref!r}"
    m = VERSION_RE.match(requested or ref)
    try:
        if requested and not m:
            raise Failed(f"version {requested!r} is not a release version such as 1.2.3 or v1.2.3")
        if not m:
            raise Unavailable(f"{source} is not a release tag (vX.Y.Z)")
        if target_name is None:
            raise Unavailable(f"releases have no binary for {runner[0]} {runner[1]}")
        install(m.group(1), repo, target_name)
        return 0
    except Failed as e:
        annotate("error", str(e))
        return 1
    except Unavailable as e:
        if requested:
            annotate("error", f"cannot install pkscan {requested}: {e}")
            return 1
        # A tag that should have a release says so loudly; a branch or SHA ref
        # building from source is the expected path and only a notice.
        annotate("warning" if m else "notice", f"{e}; building pkscan from the action's source with cargo")
        output(method="cargo", version="", pkscan="")
        return 0


if __name__ == "__main__":
    sys.exit(main())
