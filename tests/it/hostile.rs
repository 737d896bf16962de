//! Hostile and broken input: a tree with a FIFO, a socket, a symlink loop, a
//! dangling link, an unreadable file, a 100 MB single-line bundle, binary and
//! invalid-UTF-8 files, a damaged git object, a zip bomb, nested archives and app
//! packages. The scan must finish, say what it skipped, and find the keys that are there.
use crate::util::*;
use serde_json::Value;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Generous: the point is that the scan never hangs (a FIFO opened for reading
/// would block forever), not how fast it is.
const TIMEOUT: Duration = Duration::from_secs(300);

/// Runs pkscan in `dir`, killing it and failing the test if it does not finish.
pub fn run_bounded(dir: &Path, args: &[&str]) -> Run {
    let mut cmd = Command::new(bin());
    cmd.args(args).current_dir(dir);
    wait_bounded(cmd, TIMEOUT)
}

/// Runs a prepared pkscan command, killing it and failing the test if it does
/// not finish within `timeout`.
pub fn wait_bounded(mut cmd: Command, timeout: Duration) -> Run {
    let args: Vec<_> = cmd.get_args().map(|a| a.to_owned()).collect();
    let mut child = cmd
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run pkscan");
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let t_out = std::thread::spawn(move || {
        let mut s = Vec::new();
        out.read_to_end(&mut s).ok();
        s
    });
    let t_err = std::thread::spawn(move || {
        let mut s = Vec::new();
        err.read_to_end(&mut s).ok();
        s
    });
    let deadline = Instant::now() + timeout;
    let status = loop {
        if let Some(st) = child.try_wait().expect("wait for pkscan") {
            break st;
        }
        if Instant::now() > deadline {
            child.kill().ok();
            child.wait().ok();
            panic!("pkscan {args:?} did not finish within {timeout:?}: it hangs");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&t_out.join().unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&t_err.join().unwrap()).into_owned(),
    }
}

/// Runs pkscan as `nobody` (for root, which can read anything), or `None` if
/// that is not possible here (no setpriv, or `nobody` cannot reach the binary).
fn run_as_nobody(dir: &Path, args: &[&str]) -> Option<Run> {
    let bin = bin();
    let go = |extra: &[&str]| {
        Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            .arg(&bin)
            .args(extra)
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .output()
            .ok()
    };
    let probe = go(&["--version"])?;
    if !probe.status.success() {
        return None;
    }
    go(args).map(Run::from)
}

/// Whether this process can read a file with no permissions (root can).
fn can_read_unreadable(p: &Path) -> bool {
    std::fs::read(p).is_ok()
}

pub fn zip_bytes(entries: &[(&str, &[u8])], deflate: bool) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(if deflate {
            zip::CompressionMethod::Deflated
        } else {
            zip::CompressionMethod::Stored
        })
        .large_file(true);
    for (name, data) in entries {
        w.start_file(*name, opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// A DEX-shaped blob: magic, NUL-padded header, the key as a byte string in the
/// string data section, as d8 writes string constants.
fn dex_with(key: &str) -> Vec<u8> {
    let mut d = b"dex\n035\0".to_vec();
    d.extend_from_slice(&[0u8; 104]);
    d.extend_from_slice(&[0x12, 0x34, 0, 0]);
    d.push(key.len() as u8);
    d.extend_from_slice(key.as_bytes());
    d.push(0);
    d.extend_from_slice(b"\x0fPICTIFY_API_KEY\0");
    d.extend_from_slice(&[0u8; 64]);
    d
}

struct Planted {
    bundle: String,
    binary: String,
    latin1: String,
    nested: String,
    dex: String,
    ipa: String,
    tgz: String,
    locked: String,
    manifest: String,
}

/// Builds the hostile tree in `p` (with the 100 MB bundle if `huge`) and returns
/// the keys it planted, and the socket listener to keep alive.
fn hostile_tree(p: &Project, huge: bool) -> (Planted, Vec<Box<dyn std::any::Any>>) {
    let root = p.path();
    let keys = Planted {
        bundle: live_key(801),
        binary: live_key(802),
        latin1: live_key(803),
        nested: live_key(804),
        dex: live_key(805),
        ipa: live_key(806),
        tgz: live_key(807),
        locked: live_key(808),
        manifest: live_key(809),
    };
    let mut keep: Vec<Box<dyn std::any::Any>> = Vec::new();

    // Special files: reading a FIFO blocks until a writer comes; a socket cannot be read.
    let st = Command::new("mkfifo")
        .arg(root.join("pipe"))
        .status()
        .expect("mkfifo");
    assert!(st.success());
    keep.push(Box::new(
        std::os::unix::net::UnixListener::bind(root.join("daemon.sock")).unwrap(),
    ));

    // A symlink loop (followed with --follow) and a dangling link.
    std::fs::create_dir_all(root.join("loop")).unwrap();
    std::os::unix::fs::symlink("..", root.join("loop/up")).unwrap();
    std::os::unix::fs::symlink("no/such/target", root.join("dangling")).unwrap();

    // A file nobody may read.
    p.write("locked.env", format!("PICTIFY_API_KEY={}\n", keys.locked));
    set_mode(&root.join("locked.env"), 0o000);

    // A 100 MB single-line minified bundle, the key near the end.
    if huge {
        let f = std::fs::File::create(root.join("huge.min.js")).unwrap();
        let mut w = std::io::BufWriter::new(f);
        let chunk = b"var a=function(b){return b*2+1};".repeat(1024);
        let target = 100 * 1024 * 1024;
        let mut written = 0;
        while written < target {
            w.write_all(&chunk).unwrap();
            written += chunk.len();
        }
        write!(w, "window.PICTIFY_KEY=\"{}\";var z=1;", keys.bundle).unwrap();
        w.flush().unwrap();
    }

    // Binary with NUL bytes, and a text file with invalid UTF-8 before the key.
    let mut bin = vec![0u8, 1, 2, 0, 0xff];
    bin.extend_from_slice(format!("\0pictify\0{}\0", keys.binary).as_bytes());
    p.write("vendor/blob.bin", bin);
    let mut latin = b"# caf\xe9 \xff\xfe\n".to_vec();
    latin.extend_from_slice(format!("PICTIFY = \"{}\"  # d", keys.latin1).as_bytes());
    latin.extend_from_slice(b"\xe9j\xe0\n");
    p.write("scripts/latin1.py", latin);

    // A damaged loose git object outside .git: a zlib header and junk.
    let mut obj = b"x\x9c\x4b\xca\xc9\x4f\x52".to_vec();
    obj.extend((0..4000u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8));
    p.write(
        "backup/objects/3f/1c0ffee0ddba11c0ffee0ddba11c0ffee0ddba1",
        obj,
    );

    // A zip bomb: 64 MiB of zeros deflates to ~64 KiB (ratio ~1000:1).
    let zeros = vec![0u8; 64 * 1024 * 1024];
    p.write(
        "dist/bomb.zip",
        zip_bytes(&[("zeros.bin", &zeros), ("later.txt", b"x")], true),
    );
    drop(zeros);

    // A key two archives deep.
    let props = format!("pictify.api.key={}\n", keys.nested);
    let inner = zip_bytes(&[("a.properties", props.as_bytes())], true);
    p.write(
        "libs/nested.zip",
        zip_bytes(&[("inner.jar", &inner), ("notes.txt", b"nothing")], true),
    );

    // An APK: the key compiled into classes.dex.
    // Binary XML keeps its strings in UTF-16LE.
    let mut manifest = b"\x03\x00\x08\x00\x01\x00\x1c\x00".to_vec();
    for s in [
        "com.pictify.demo",
        "pictify_api_key",
        keys.manifest.as_str(),
    ] {
        manifest.extend_from_slice(&(s.len() as u16).to_le_bytes());
        for u in s.encode_utf16() {
            manifest.extend_from_slice(&u.to_le_bytes());
        }
        manifest.extend_from_slice(&[0, 0]);
    }
    p.write(
        "out/x.apk",
        zip_bytes(
            &[
                ("AndroidManifest.xml", &manifest),
                ("classes.dex", &dex_with(&keys.dex)),
                ("res/raw/empty.txt", b""),
            ],
            true,
        ),
    );

    // An IPA: the key in the Mach-O executable.
    let mut macho = b"\xcf\xfa\xed\xfe\x0c\x00\x00\x01".to_vec();
    macho.extend_from_slice(&[0u8; 32]);
    macho.extend_from_slice(format!("{}\0", keys.ipa).as_bytes());
    p.write(
        "build/Demo.ipa",
        zip_bytes(&[("Payload/Demo.app/Demo", &macho)], true),
    );

    // A gzipped tarball with a server file.
    let body = format!("const pictifyKey = '{}';\n", keys.tgz);
    let mut b = tar::Builder::new(Vec::new());
    let mut h = tar::Header::new_gnu();
    h.set_size(body.len() as u64);
    h.set_mode(0o644);
    h.set_cksum();
    b.append_data(&mut h, "pkg/server/render.js", body.as_bytes())
        .unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&b.into_inner().unwrap()).unwrap();
    p.write("release.tgz", gz.finish().unwrap());

    (keys, keep)
}

fn set_mode(p: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn find<'a>(findings: &'a [Value], path: &str) -> &'a Value {
    findings
        .iter()
        .find(|f| f["path"] == path)
        .unwrap_or_else(|| panic!("no finding at {path}: {findings:#?}"))
}

fn notice<'a>(notices: &'a [Value], path: &str) -> &'a Value {
    notices
        .iter()
        .find(|n| n["path"] == path)
        .unwrap_or_else(|| panic!("no notice for {path}: {notices:#?}"))
}

#[test]
fn hostile_tree_finishes_reports_skips_and_finds_keys() {
    let p = Project::new();
    let (keys, _keep) = hostile_tree(&p, true);
    let root_reads = can_read_unreadable(&p.path().join("locked.env"));

    let r = run_bounded(p.path(), &["scan", "--follow", "--format", "json", "."]);
    assert_eq!(r.code, 1, "stderr: {}", r.stderr);
    let v = r.json();
    let findings = v["findings"].as_array().unwrap().clone();
    let notices = v["notices"].as_array().unwrap().clone();

    // Every planted key that can be read is found, at the right path and context.
    let bundle = find(&findings, "huge.min.js");
    assert_eq!(bundle["line"], 1);
    assert_eq!(bundle["context"], "client-js");
    let col = bundle["column"].as_u64().unwrap();
    let expected_col = std::fs::metadata(p.path().join("huge.min.js"))
        .unwrap()
        .len()
        - (keys.bundle.len() + "\";var z=1;".len()) as u64
        + 1;
    assert_eq!(col, expected_col);
    assert!(bundle["snippet"].as_str().unwrap().len() < 300);

    assert_eq!(find(&findings, "vendor/blob.bin")["binary"], true);
    let latin = find(&findings, "scripts/latin1.py");
    assert_eq!(
        (latin["line"].as_u64(), latin["column"].as_u64()),
        (Some(2), Some(12))
    );
    assert_eq!(
        find(&findings, "libs/nested.zip!/inner.jar!/a.properties")["context"],
        "config"
    );
    let dex = find(&findings, "out/x.apk!/classes.dex");
    assert_eq!(dex["context"], "mobile");
    assert_eq!(dex["severity"], "critical");
    assert_eq!(dex["binary"], true);
    let manifest = find(&findings, "out/x.apk!/AndroidManifest.xml");
    assert_eq!(manifest["context"], "mobile");
    assert_eq!(manifest["encoding"], "utf-16le");
    assert_eq!(manifest["confidence"], "high", "{manifest}");
    let ipa = find(&findings, "build/Demo.ipa!/Payload/Demo.app/Demo");
    assert_eq!(ipa["context"], "mobile");
    assert_eq!(
        find(&findings, "release.tgz!/pkg/server/render.js")["context"],
        "server"
    );

    let mut want = vec![
        "build/Demo.ipa!/Payload/Demo.app/Demo",
        "huge.min.js",
        "libs/nested.zip!/inner.jar!/a.properties",
        "out/x.apk!/AndroidManifest.xml",
        "out/x.apk!/classes.dex",
        "release.tgz!/pkg/server/render.js",
        "scripts/latin1.py",
        "vendor/blob.bin",
    ];
    if root_reads {
        want.push("locked.env");
        want.sort();
    }
    let got: Vec<&str> = findings
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(got, want);

    // What could not be scanned is reported with its path and reason.
    let pipe = notice(&notices, "pipe");
    assert_eq!(pipe["kind"], "skipped");
    assert_eq!(pipe["category"], "not a regular file");
    assert!(pipe["reason"].as_str().unwrap().contains("named pipe"));
    assert!(notice(&notices, "daemon.sock")["reason"]
        .as_str()
        .unwrap()
        .contains("socket"));
    let lp = notice(&notices, "loop/up");
    assert_eq!(lp["category"], "symlink loop");
    assert_eq!(notice(&notices, "dangling")["category"], "broken symlink");
    let bomb = notice(&notices, "dist/bomb.zip!/zeros.bin");
    assert_eq!(bomb["category"], "archive limit");
    assert!(bomb["reason"].as_str().unwrap().contains("zip bomb"));
    if !root_reads {
        let locked = notice(&notices, "locked.env");
        assert_eq!(locked["category"], "unreadable");
        assert!(locked["reason"]
            .as_str()
            .unwrap()
            .contains("ermission denied"));
    }
    let expected_skips = if root_reads { 5 } else { 6 };
    assert_eq!(
        v["summary"]["files_skipped"], expected_skips,
        "{notices:#?}"
    );
    // The damaged git object was scanned like any other file.
    assert!(!notices
        .iter()
        .any(|n| n["path"].as_str().unwrap().starts_with("backup/")));

    // The summary line on stderr groups the skips by cause.
    let summary = r
        .stderr
        .lines()
        .find(|l| l.starts_with("scanned "))
        .expect("summary line");
    assert!(
        summary.contains(&format!("skipped {expected_skips}: ")),
        "{summary}"
    );
    for part in [
        "2 not a regular file",
        "1 symlink loop",
        "1 broken symlink",
        "1 archive limit",
    ] {
        assert!(summary.contains(part), "{part} missing in {summary}");
    }
    if !root_reads {
        assert!(summary.contains("1 unreadable"), "{summary}");
    }
    // Each notice was also printed on stderr with its path.
    assert!(r
        .stderr
        .contains("pkscan: skipped: pipe: not a regular file (named pipe)"));

    // No full key anywhere.
    for k in [
        &keys.bundle,
        &keys.dex,
        &keys.nested,
        &keys.locked,
        &keys.manifest,
    ] {
        assert!(!r.stdout.contains(k.as_str()) && !r.stderr.contains(k.as_str()));
    }
}

#[test]
fn hostile_tree_sarif_carries_notifications_and_validates() {
    let p = Project::new();
    let (_keys, _keep) = hostile_tree(&p, false);
    let r = run_bounded(p.path(), &["scan", "--follow", "--format", "sarif", "."]);
    assert_eq!(r.code, 1, "stderr: {}", r.stderr);
    let sarif = r.json();
    let schema: Value = serde_json::from_str(include_str!("../sarif-schema-2.1.0.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(errors.is_empty(), "SARIF schema errors: {errors:#?}");
    let notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    let uris: Vec<&str> = notes
        .iter()
        .map(|n| {
            n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    for want in [
        "pipe",
        "daemon.sock",
        "loop/up",
        "dangling",
        "dist/bomb.zip!/zeros.bin",
    ] {
        assert!(uris.contains(&want), "{want} not in {uris:?}");
    }
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(results.iter().any(|r| {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "out/x.apk!/classes.dex"
            && r["properties"]["context"] == "mobile"
    }));
}

#[test]
fn oversized_file_is_skipped_and_reported_but_exit_code_is_unchanged() {
    let p = Project::new();
    p.write("big.txt", vec![b'a'; 2 * 1024 * 1024]);
    p.write("ok.txt", "nothing here\n");
    let r = run_bounded(p.path(), &["scan", "--max-file-size", "1M", "."]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("scanned 1 file"), "{}", r.stdout);
    assert!(r.stdout.contains("skipped 1: 1 too large"), "{}", r.stdout);
    assert!(r.stderr.contains(
        "pkscan: skipped: big.txt: larger than --max-file-size (2097152 > 1048576 bytes)"
    ));
}

#[test]
fn fifo_given_as_root_is_skipped_without_blocking() {
    let p = Project::new();
    let st = Command::new("mkfifo")
        .arg(p.path().join("fifo"))
        .status()
        .unwrap();
    assert!(st.success());
    let r = run_bounded(p.path(), &["scan", "fifo"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("fifo: not a regular file (named pipe)"),
        "{}",
        r.stderr
    );
    // A link to the FIFO, followed, is caught before it is opened too.
    std::os::unix::fs::symlink("fifo", p.path().join("link")).unwrap();
    let r = run_bounded(p.path(), &["scan", "--follow", "."]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("skipped 2: 2 not a regular file"),
        "{}",
        r.stdout
    );
}

#[test]
fn unreadable_root_is_an_error_naming_it() {
    let r = run_bounded(Path::new("."), &["scan", "/definitely/not/here"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("cannot read /definitely/not/here")
            && r.stderr.contains("check that the path exists"),
        "{}",
        r.stderr
    );
}

#[test]
fn no_archives_scans_packages_as_plain_files() {
    let p = Project::new();
    let key = live_key(811);
    // Stored, so the key is visible in the raw bytes too.
    p.write(
        "app.apk",
        zip_bytes(&[("classes.dex", &dex_with(&key))], false),
    );
    let r = run_bounded(p.path(), &["scan", "--format", "json", "."]);
    assert_eq!(r.findings()[0].0, "app.apk!/classes.dex");
    let r = run_bounded(
        p.path(),
        &["scan", "--no-archives", "--format", "json", "."],
    );
    let f = r.findings();
    assert_eq!(f.len(), 1);
    assert_eq!((f[0].0.as_str(), f[0].2.as_str()), ("app.apk", "mobile"));
}

/// As a non-root user (root reads everything, so as root the scan runs as
/// `nobody` through setpriv when it is there), unreadable files and directories
/// are reported with path and reason and the scan goes on.
#[test]
fn unreadable_files_and_dirs_are_reported_and_the_scan_goes_on() {
    let p = Project::new();
    let key = live_key(812);
    p.write("ok/a.py", format!("PICTIFY_KEY = '{key}'\n"));
    p.write(
        "secret/b.py",
        format!("PICTIFY_KEY = '{}'\n", live_key(813)),
    );
    p.write("c.env", format!("PICTIFY_API_KEY={}\n", live_key(814)));
    set_mode(&p.path().join("c.env"), 0o000);
    let args = ["scan", "--format", "json", "."];
    let as_root = can_read_unreadable(&p.path().join("c.env"));
    if as_root {
        // Let `nobody` into the tree; the two items stay locked.
        for d in [p.path(), &p.path().join("ok")] {
            set_mode(d, 0o755);
        }
        set_mode(&p.path().join("ok/a.py"), 0o644);
    }
    set_mode(&p.path().join("secret"), 0o000);
    let run = |args: &[&str]| {
        if as_root {
            run_as_nobody(p.path(), args)
        } else {
            Some(run_bounded(p.path(), args))
        }
    };
    let Some(r) = run(&args) else {
        eprintln!("skipping: running as root and cannot run pkscan as nobody (no setpriv, or the binary is not reachable)");
        return;
    };
    // A root that cannot be read at all is an error, not an empty scan.
    let root_err = run(&["scan", "secret"]).unwrap();
    assert_eq!(root_err.code, 2, "{}", root_err.stderr);
    assert!(
        root_err.stderr.contains("cannot read secret"),
        "{}",
        root_err.stderr
    );
    set_mode(&p.path().join("secret"), 0o755);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v = r.json();
    let paths: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, vec!["ok/a.py"]);
    let notices = v["notices"].as_array().unwrap();
    for path in ["c.env", "secret"] {
        let n = notice(notices, path);
        assert_eq!(n["category"], "unreadable");
        assert!(
            n["reason"].as_str().unwrap().contains("ermission denied"),
            "{n}"
        );
    }
    assert!(r.stderr.contains("skipped 2: 2 unreadable"), "{}", r.stderr);
}

/// A single line stuffed with 100,000 keys: the scan keeps the first findings,
/// says how many it did not examine, and per-key work stays local to each key
/// (it used to rescan the whole line for each one).
#[test]
fn a_line_stuffed_with_keys_is_capped_and_reported() {
    let p = Project::new();
    let mut line = String::with_capacity(4 * 1024 * 1024);
    for i in 0..100_000u64 {
        line.push_str(&live_key(10_000 + i));
        line.push(' ');
    }
    p.write("storm.js", line);
    // The file alone: a directory that never names Pictify would hide them all.
    let r = run_bounded(p.path(), &["scan", "--format", "json", "storm.js"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v = r.json();
    assert_eq!(v["findings"].as_array().unwrap().len(), 100);
    let n = &v["notices"][0];
    assert_eq!(n["kind"], "warning");
    assert_eq!(n["path"], "storm.js");
    assert!(
        n["reason"]
            .as_str()
            .unwrap()
            .starts_with("99900 more possible keys in this file were not examined"),
        "{n}"
    );
}
