//! Releases: the archives `scripts/release-pack.py` makes (as release.yml runs
//! it), the Action's download-and-verify install (`scripts/action-install.py`)
//! against a real HTTP server on 127.0.0.1 serving a fake release built from
//! this test's own binary, and the shape of `.github/workflows/release.yml`.
use crate::util::bin;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex, OnceLock};

const VERSION: &str = env!("CARGO_PKG_VERSION");
/// The target action-install.py picks for RUNNER_OS=Linux, RUNNER_ARCH=X64.
const LINUX: &str = "x86_64-unknown-linux-musl";
const WINDOWS: &str = "x86_64-pc-windows-msvc";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn python() -> bool {
    let ok = Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("SKIPPED release test: python3 is not available");
    }
    ok
}

/// A fake release of this version: this test's binary packed for Linux x86_64
/// and Windows, with SHA256SUMS, exactly as release.yml packs the real ones.
fn pack(out: &Path) -> BTreeMap<String, Vec<u8>> {
    let status = Command::new("python3")
        .arg(root().join("scripts/release-pack.py"))
        .args(["--version", VERSION, "--docs-bin"])
        .arg(bin())
        .arg("--out")
        .arg(out)
        .arg(format!("{LINUX}={}", bin().display()))
        .arg(format!("{WINDOWS}={}", bin().display()))
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .expect("run release-pack.py");
    assert!(
        status.status.success(),
        "release-pack.py: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect()
}

fn sha256(data: &[u8]) -> String {
    Sha256::digest(data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn archive(target: &str) -> String {
    let ext = if target.contains("windows") {
        "zip"
    } else {
        "tar.gz"
    };
    format!("pkscan-{VERSION}-{target}.{ext}")
}

/// The fake release, packed once per test run (the debug binary is large).
fn packed() -> &'static (tempfile::TempDir, BTreeMap<String, Vec<u8>>) {
    static PACKED: OnceLock<(tempfile::TempDir, BTreeMap<String, Vec<u8>>)> = OnceLock::new();
    PACKED.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let files = pack(dir.path());
        (dir, files)
    })
}

#[test]
fn release_archives_hold_binary_docs_man_page_and_completions_and_match_sha256sums() {
    if !python() {
        return;
    }
    let (dir, files) = packed();
    let files = files.clone();
    let sums = String::from_utf8(files["SHA256SUMS"].clone()).unwrap();
    let listed: Vec<(&str, &str)> = sums
        .lines()
        .map(|l| l.split_once("  ").expect("sha256sum format"))
        .collect();
    assert_eq!(listed.len(), 2, "{sums}");
    for (sum, name) in &listed {
        assert_eq!(*sum, sha256(&files[*name]), "{name}");
    }
    assert_eq!(
        files.len(),
        3,
        "two archives and SHA256SUMS: {:?}",
        files.keys()
    );

    // The tar.gz, listed with the system's tar: names, and the binary executable.
    let top = format!("pkscan-{VERSION}-{LINUX}");
    let list = Command::new("tar")
        .args(["-tvzf"])
        .arg(dir.path().join(archive(LINUX)))
        .output()
        .unwrap();
    assert!(list.status.success());
    let list = String::from_utf8_lossy(&list.stdout);
    for member in [
        "pkscan",
        "README.md",
        "CHANGELOG.md",
        "LICENSE-MIT",
        "LICENSE-APACHE",
        "doc/pkscan.1",
        "complete/pkscan.bash",
        "complete/_pkscan",
        "complete/pkscan.fish",
        "complete/_pkscan.ps1",
        "complete/pkscan.elv",
    ] {
        let line = list
            .lines()
            .find(|l| l.ends_with(&format!(" {top}/{member}")))
            .unwrap_or_else(|| panic!("{member} not in the archive:\n{list}"));
        let mode = if member == "pkscan" {
            "-rwxr-xr-x"
        } else {
            "-rw-r--r--"
        };
        assert!(line.starts_with(mode), "{line}");
    }
    // The packed man page is the one the binary prints.
    let unpacked = tempfile::tempdir().unwrap();
    let x = Command::new("tar")
        .arg("-xzf")
        .arg(dir.path().join(archive(LINUX)))
        .arg("-C")
        .arg(unpacked.path())
        .output()
        .unwrap();
    assert!(x.status.success());
    let man = Command::new(bin()).arg("man").output().unwrap().stdout;
    assert_eq!(
        std::fs::read(unpacked.path().join(&top).join("doc/pkscan.1")).unwrap(),
        man
    );
    assert_eq!(
        std::fs::read(unpacked.path().join(&top).join("pkscan")).unwrap(),
        std::fs::read(bin()).unwrap()
    );

    // The same input gives byte-identical archives (SOURCE_DATE_EPOCH).
    let again = tempfile::tempdir().unwrap();
    assert_eq!(pack(again.path())["SHA256SUMS"], files["SHA256SUMS"]);

    // The zip carries pkscan.exe.
    let zip = &files[&archive(WINDOWS)];
    let name = format!("pkscan-{VERSION}-{WINDOWS}/pkscan.exe");
    assert!(
        zip.windows(name.len()).any(|w| w == name.as_bytes()),
        "{name} in the zip"
    );
}

// ---------------------------------------------------------------- a release server

/// A static file server on 127.0.0.1 that records the paths asked for.
struct Server {
    port: u16,
    seen: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start(files: BTreeMap<String, Vec<u8>>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        // The thread ends with the test process; every test's client exits first.
        std::thread::spawn(move || {
            for conn in listener.incoming().flatten() {
                serve(conn, &files, &log);
            }
        });
        Server { port, seen }
    }

    fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn requests(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }
}

fn serve(mut conn: TcpStream, files: &BTreeMap<String, Vec<u8>>, seen: &Mutex<Vec<String>>) {
    let mut reader = BufReader::new(conn.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
            break;
        }
    }
    seen.lock().unwrap().push(path.clone());
    let (status, body) = match files.get(&path) {
        Some(b) => ("200 OK", b.as_slice()),
        None => ("404 Not Found", b"not found".as_slice()),
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = conn.write_all(head.as_bytes());
    let _ = conn.write_all(body);
}

/// A release as served: `/v{VERSION}/FILE` for each packed file.
fn release() -> BTreeMap<String, Vec<u8>> {
    packed()
        .1
        .iter()
        .map(|(name, data)| (format!("/v{VERSION}/{name}"), data.clone()))
        .collect()
}

struct Install {
    code: i32,
    stdout: String,
    outputs: BTreeMap<String, String>,
    path_dirs: Vec<String>,
    temp: tempfile::TempDir,
}

fn install(base: &str, vars: &[(&str, &str)]) -> Install {
    let temp = tempfile::tempdir().unwrap();
    let output = temp.path().join("output");
    let path_file = temp.path().join("path");
    let runner_temp = temp.path().join("runner-temp");
    std::fs::create_dir(&runner_temp).unwrap();
    let mut cmd = Command::new("python3");
    cmd.arg(root().join("scripts/action-install.py"))
        .current_dir(temp.path())
        .env("PKSCAN_RELEASE_BASE", base)
        .env("RUNNER_OS", "Linux")
        .env("RUNNER_ARCH", "X64")
        .env("RUNNER_TEMP", &runner_temp)
        .env("GITHUB_OUTPUT", &output)
        .env("GITHUB_PATH", &path_file)
        .env("GITHUB_ACTION_PATH", root())
        .env("INPUT_VERSION", "")
        .env("ACTION_REF", "")
        .env("ACTION_REPOSITORY", "pictify/pkscan");
    for (k, v) in vars {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run action-install.py");
    let read = |p: &Path| std::fs::read_to_string(p).unwrap_or_default();
    Install {
        code: out.status.code().unwrap_or(-1),
        stdout: format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
        outputs: read(&output)
            .lines()
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        path_dirs: read(&path_file).lines().map(str::to_string).collect(),
        temp,
    }
}

#[test]
fn action_installs_the_verified_release_binary_with_one_download_and_one_checksum() {
    if !python() {
        return;
    }
    let server = Server::start(release());
    let tag = format!("v{VERSION}");
    let r = install(&server.base(), &[("ACTION_REF", &tag)]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_eq!(r.outputs["method"], "release", "{}", r.stdout);
    assert_eq!(r.outputs["version"], VERSION);
    assert!(
        r.stdout.contains("verified against SHA256SUMS"),
        "{}",
        r.stdout
    );
    assert_eq!(
        server.requests(),
        [
            format!("/v{VERSION}/SHA256SUMS"),
            format!("/v{VERSION}/{}", archive(LINUX))
        ],
        "the cold start is SHA256SUMS plus the archive"
    );
    // The binary on PATH is the released one, and it runs.
    let binary = PathBuf::from(&r.outputs["pkscan"]);
    assert_eq!(
        r.path_dirs,
        [binary.parent().unwrap().display().to_string()]
    );
    assert!(binary.starts_with(r.temp.path().join("runner-temp")));
    assert_eq!(
        std::fs::read(&binary).unwrap(),
        std::fs::read(bin()).unwrap()
    );
    let out = Command::new(&binary).arg("--version").output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("pkscan {VERSION}")
    );
    // Only the binary is left: the archive is removed once unpacked.
    let left: Vec<_> = std::fs::read_dir(binary.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["pkscan"]);

    // The version input pins a release whatever the ref; `v` is optional.
    let r = install(
        &server.base(),
        &[("INPUT_VERSION", VERSION), ("ACTION_REF", "main")],
    );
    assert_eq!(r.outputs["method"], "release", "{}", r.stdout);

    // Without github.action_ref, the ref comes from the action's checkout path.
    let actions = r.temp.path().join("_actions/pictify/pkscan").join(&tag);
    std::fs::create_dir_all(&actions).unwrap();
    let r = install(
        &server.base(),
        &[("GITHUB_ACTION_PATH", actions.to_str().unwrap())],
    );
    assert_eq!(r.outputs["method"], "release", "{}", r.stdout);
}

#[test]
fn action_stops_on_a_checksum_mismatch_and_runs_nothing() {
    if !python() {
        return;
    }
    let mut files = release();
    // One byte of the archive changed after SHA256SUMS was made.
    let key = format!("/v{VERSION}/{}", archive(LINUX));
    let data = files.get_mut(&key).unwrap();
    let mid = data.len() / 2;
    data[mid] ^= 0x01;
    let server = Server::start(files);
    let r = install(&server.base(), &[("ACTION_REF", &format!("v{VERSION}"))]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stdout.contains("::error::pkscan: checksum mismatch for"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("it was not run"), "{}", r.stdout);
    assert!(
        !r.outputs.contains_key("method"),
        "no fallback: {:?}",
        r.outputs
    );
    assert!(r.path_dirs.is_empty());
    let unpacked = walk(&r.temp.path().join("runner-temp"));
    assert!(
        !unpacked.iter().any(|p| p.ends_with("pkscan")),
        "nothing extracted: {unpacked:?}"
    );

    // A SHA256SUMS whose line was edited instead: the same stop.
    let mut files = release();
    let sums_key = format!("/v{VERSION}/SHA256SUMS");
    let sums = String::from_utf8(files[&sums_key].clone()).unwrap();
    let line = sums.lines().find(|l| l.ends_with(&archive(LINUX))).unwrap();
    let forged = sums.replacen(line, &format!("{}{}", "0".repeat(64), &line[64..]), 1);
    assert_ne!(forged, sums);
    files.insert(sums_key, forged.into_bytes());
    let server = Server::start(files);
    let r = install(&server.base(), &[("ACTION_REF", &format!("v{VERSION}"))]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("checksum mismatch"), "{}", r.stdout);
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

#[test]
fn action_missing_asset_falls_back_or_stops_as_documented() {
    if !python() {
        return;
    }
    let tag = format!("v{VERSION}");
    // No archive for this platform in the release: build from source, loudly.
    let mut files = release();
    let key = format!("/v{VERSION}/SHA256SUMS");
    let only_windows: String = String::from_utf8(files[&key].clone())
        .unwrap()
        .lines()
        .filter(|l| l.contains("windows"))
        .map(|l| format!("{l}\n"))
        .collect();
    files.insert(key.clone(), only_windows.into_bytes());
    files.remove(&format!("/v{VERSION}/{}", archive(LINUX)));
    let server = Server::start(files);
    let r = install(&server.base(), &[("ACTION_REF", &tag)]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_eq!(r.outputs["method"], "cargo");
    assert!(
        r.stdout.contains(&format!(
            "::warning::pkscan: release {tag} has no {} in SHA256SUMS",
            archive(LINUX)
        )),
        "{}",
        r.stdout
    );
    // The same with an explicit version input is an error: a build would be
    // another version than the one asked for.
    let r = install(&server.base(), &[("INPUT_VERSION", &tag)]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stdout
            .contains(&format!("::error::pkscan: cannot install pkscan {tag}")),
        "{}",
        r.stdout
    );

    // Listed in SHA256SUMS but not downloadable: a broken release, an error.
    let mut files = release();
    files.remove(&format!("/v{VERSION}/{}", archive(LINUX)));
    let server = Server::start(files);
    let r = install(&server.base(), &[("ACTION_REF", &tag)]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("the asset is missing"), "{}", r.stdout);

    // No release at all for the tag (no SHA256SUMS): build from source.
    let server = Server::start(BTreeMap::new());
    let r = install(&server.base(), &[("ACTION_REF", &tag)]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_eq!(r.outputs["method"], "cargo");
    assert!(r.stdout.contains("has no SHA256SUMS"), "{}", r.stdout);
}

#[test]
fn action_falls_back_to_cargo_for_branch_and_sha_refs_without_any_download() {
    if !python() {
        return;
    }
    let server = Server::start(release());
    for reference in ["main", "0123456789abcdef0123456789abcdef01234567", ""] {
        let r = install(&server.base(), &[("ACTION_REF", reference)]);
        assert_eq!(r.code, 0, "{reference}: {}", r.stdout);
        assert_eq!(r.outputs["method"], "cargo", "{reference}");
        assert!(r.stdout.contains("::notice::pkscan:"), "{}", r.stdout);
        assert!(r
            .stdout
            .contains("building pkscan from the action's source"));
        assert!(r.path_dirs.is_empty());
    }
    // A runner the releases do not cover builds too.
    let r = install(
        &server.base(),
        &[
            ("ACTION_REF", &format!("v{VERSION}")),
            ("RUNNER_OS", "Windows"),
            ("RUNNER_ARCH", "ARM64"),
        ],
    );
    assert_eq!(r.outputs["method"], "cargo", "{}", r.stdout);
    assert!(server.requests().is_empty(), "{:?}", server.requests());

    // Bad input and a plain-http mirror elsewhere than this machine stop the job.
    let r = install(&server.base(), &[("INPUT_VERSION", "latest")]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.contains("is not a release version"),
        "{}",
        r.stdout
    );
    let r = install(
        "http://example.com/releases",
        &[("ACTION_REF", &format!("v{VERSION}"))],
    );
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("must be an https:// URL"), "{}", r.stdout);
}

// ---------------------------------------------------------------- release.yml

fn workflow() -> String {
    std::fs::read_to_string(root().join(".github/workflows/release.yml")).unwrap()
}

#[test]
fn release_workflow_builds_every_platform_with_well_known_actions_and_documents_every_step() {
    let text = workflow();
    for target in [
        "x86_64-unknown-linux-musl",
        "aarch64-unknown-linux-musl",
        "x86_64-apple-darwin",
        "aarch64-apple-darwin",
        "x86_64-pc-windows-msvc",
    ] {
        assert!(text.contains(&format!("- target: {target}")), "{target}");
    }
    let allowed = [
        "actions/checkout@v4",
        "actions/upload-artifact@v4",
        "actions/download-artifact@v4",
        "actions/attest-build-provenance@v2",
    ];
    let lines: Vec<&str> = text.lines().collect();
    let mut steps = 0;
    let mut in_run = None;
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim_start();
        let indent = line.len() - t.len();
        if let Some(run_indent) = in_run {
            if !t.is_empty() && indent <= run_indent {
                in_run = None;
            } else {
                // Values reach scripts through env:, never pasted into the code.
                assert!(
                    !line.contains("${{"),
                    "expression inside run: line {}",
                    i + 1
                );
                continue;
            }
        }
        if let Some(action) = t.strip_prefix("uses: ") {
            assert!(allowed.contains(&action), "line {}: {action}", i + 1);
        }
        if t.starts_with("run: |") {
            in_run = Some(indent);
        }
        if t.starts_with("- name: ") {
            steps += 1;
            assert!(
                lines[i - 1].trim_start().starts_with('#'),
                "step without a comment saying what it does, line {}: {t}",
                i + 1
            );
        }
    }
    assert!(steps >= 12, "{steps} steps");
    assert!(
        text.contains("permissions:\n  contents: read\n"),
        "read-only by default"
    );
    assert!(
        text.contains("scripts/release-pack.py"),
        "packs with the tested script"
    );
    assert!(text.contains("sha256sum --check SHA256SUMS"));
    assert!(text.contains("--locked"));
}

// ---------------------------------------------------------------- the crate package

/// `include` in Cargo.toml, as written (`/src/**/*.rs`, `/rules/*.toml`, `/README.md`).
fn package_include() -> Vec<String> {
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    let start = manifest.find("\ninclude = [").expect("include list");
    let list = &manifest[start..manifest[start..].find(']').unwrap() + start];
    regex::Regex::new(r#""([^"]+)""#)
        .unwrap()
        .captures_iter(list)
        .map(|c| c[1].to_string())
        .collect()
}

/// Whether a repository-relative path matches one `include` pattern of the
/// three forms used there.
fn included(path: &str, patterns: &[String]) -> bool {
    patterns.iter().any(|p| {
        let p = p.trim_start_matches('/');
        if let Some((dir, ext)) = p.split_once("/**/*") {
            path.starts_with(&format!("{dir}/")) && path.ends_with(ext)
        } else if let Some((dir, ext)) = p.split_once("/*") {
            path.strip_prefix(&format!("{dir}/"))
                .is_some_and(|rest| !rest.contains('/') && rest.ends_with(ext))
        } else {
            path == p
        }
    })
}

/// Everything the build reads is in the package (else `cargo install pkscan`
/// fails), and what only development needs is not.
#[test]
fn the_crate_package_holds_what_the_build_reads_and_leaves_out_tests_and_corpora() {
    let patterns = package_include();
    let mut read = vec!["build.rs".to_string(), "Cargo.lock".to_string()];
    for dir in ["rules"] {
        for e in std::fs::read_dir(root().join(dir)).unwrap() {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            read.push(format!("{dir}/{name}"));
        }
    }
    let re = regex::Regex::new(r#"include_(?:str|bytes)!\("([^"]+)"\)"#).unwrap();
    let mut stack = vec![root().join("src")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let rel = p
                .strip_prefix(root())
                .unwrap()
                .to_string_lossy()
                .into_owned();
            read.push(rel.clone());
            let text = std::fs::read_to_string(&p).unwrap_or_default();
            for c in re.captures_iter(&text) {
                let target = p.parent().unwrap().join(&c[1]);
                let target = std::fs::canonicalize(&target)
                    .unwrap_or_else(|_| panic!("{rel}: {} does not exist", &c[1]));
                let rel = target
                    .strip_prefix(std::fs::canonicalize(root()).unwrap())
                    .unwrap();
                read.push(rel.to_string_lossy().into_owned());
            }
        }
    }
    for path in &read {
        assert!(
            included(path, &patterns),
            "{path} is not in the package: {patterns:?}"
        );
    }
    for path in [
        "tests/it/main.rs",
        "bench/run.sh",
        "demo/app/components/ShareCard.tsx",
        "tests/accuracy/README.md",
        ".github/workflows/release.yml",
        "scripts/action-install.py",
    ] {
        assert!(
            !included(path, &patterns),
            "{path} should stay out of the package"
        );
    }
    for path in ["LICENSE-MIT", "LICENSE-APACHE", "README.md", "CHANGELOG.md"] {
        assert!(included(path, &patterns), "{path}");
        assert!(root().join(path).exists(), "{path}");
    }
}
