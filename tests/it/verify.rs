//! `--verify` and `pkscan verify` against a scripted fake of the Pictify API: a
//! real HTTP server on 127.0.0.1, started inside each test, that records every
//! request it sees. No test touches the real network.
use crate::util::*;
use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// One request as the server saw it.
#[derive(Clone, Debug)]
struct Seen {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    /// The key sent as a bearer token.
    fn bearer(&self) -> Option<&str> {
        self.header("authorization")?.strip_prefix("Bearer ")
    }
}

/// What the fake API does with a request.
enum Reply {
    Respond {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: String,
    },
    /// Accept the request and never answer (until the server stops).
    Hang,
    /// Answer after a pause (a slow API), to observe requests in flight.
    After(Duration, Box<Reply>),
}

const PROBLEM_401: &str = r#"{"type":"https://api.pictify.io/errors/invalid-api-key","title":"Invalid API key","status":401,"detail":"The API key is missing, malformed, revoked or deleted."}"#;
const PROBLEM_403: &str = r#"{"type":"https://api.pictify.io/errors/forbidden","title":"Forbidden","status":403,"detail":"This key cannot access this resource."}"#;

fn json(status: u16, body: &str) -> Reply {
    Reply::Respond {
        status,
        headers: vec![("Content-Type", "application/json".into())],
        body: body.into(),
    }
}

fn problem(status: u16, body: &str) -> Reply {
    Reply::Respond {
        status,
        headers: vec![("Content-Type", "application/problem+json".into())],
        body: body.into(),
    }
}

fn html(status: u16) -> Reply {
    Reply::Respond {
        status,
        headers: vec![("Content-Type", "text/html; charset=utf-8".into())],
        body: "<html><body><h1>Access denied</h1><p>Request blocked by proxy.</p></body></html>"
            .into(),
    }
}

fn templates() -> Reply {
    json(
        200,
        r#"{"data":[{"id":"tpl_1","name":"OG image"}],"has_more":true}"#,
    )
}

type Script = dyn Fn(usize, &Seen) -> Reply + Send + Sync;

/// A scripted stand-in for api.pictify.io. `script(n, request)` answers the n-th
/// request (0-based).
struct FakeApi {
    addr: SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
    /// (requests being answered now, the most there ever were at once)
    in_flight: Arc<Mutex<(usize, usize)>>,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
}

impl FakeApi {
    fn start(script: impl Fn(usize, &Seen) -> Reply + Send + Sync + 'static) -> FakeApi {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let in_flight = Arc::new(Mutex::new((0, 0)));
        let stop = Arc::new(AtomicBool::new(false));
        let script: Arc<Script> = Arc::new(script);
        let accept = {
            let (seen, stop, in_flight) = (seen.clone(), stop.clone(), in_flight.clone());
            std::thread::spawn(move || {
                for conn in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(conn) = conn else { continue };
                    let (seen, stop, script, in_flight) = (
                        seen.clone(),
                        stop.clone(),
                        script.clone(),
                        in_flight.clone(),
                    );
                    std::thread::spawn(move || serve(conn, &seen, &stop, &*script, &in_flight));
                }
            })
        };
        FakeApi {
            addr,
            seen,
            in_flight,
            stop,
            accept: Some(accept),
        }
    }

    fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn requests(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    /// The most requests that were being answered at the same time.
    fn max_in_flight(&self) -> usize {
        self.in_flight.lock().unwrap().1
    }
}

impl Drop for FakeApi {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(self.addr);
        if let Some(h) = self.accept.take() {
            let _ = h.join();
        }
    }
}

fn serve(
    conn: TcpStream,
    seen: &Mutex<Vec<Seen>>,
    stop: &AtomicBool,
    script: &Script,
    in_flight: &Mutex<(usize, usize)>,
) {
    conn.set_read_timeout(Some(Duration::from_secs(10))).ok();
    let mut reader = BufReader::new(conn.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return; // the wake-up connection, or a client that gave up
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_string();
    let target = parts.next().unwrap_or_default().to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    let req = Seen {
        method,
        target,
        headers,
    };
    let n = {
        let mut s = seen.lock().unwrap();
        s.push(req.clone());
        s.len() - 1
    };
    {
        let mut f = in_flight.lock().unwrap();
        f.0 += 1;
        f.1 = f.1.max(f.0);
    }
    // A request leaves the in-flight count just before its answer is written:
    // once the client has the answer it may send the next request at once,
    // before this thread gets to run again.
    respond(conn, script(n, &req), stop, || {
        in_flight.lock().unwrap().0 -= 1;
    });
}

fn respond(conn: TcpStream, reply: Reply, stop: &AtomicBool, done: impl FnOnce()) {
    match reply {
        Reply::After(pause, reply) => {
            std::thread::sleep(pause);
            respond(conn, *reply, stop, done);
        }
        Reply::Hang => {
            let until = Instant::now() + Duration::from_secs(60);
            while !stop.load(Ordering::SeqCst) && Instant::now() < until {
                std::thread::sleep(Duration::from_millis(20));
            }
            done();
        }
        Reply::Respond {
            status,
            headers,
            body,
        } => {
            let mut out = format!("HTTP/1.1 {status} Scripted\r\n");
            for (k, v) in headers {
                out.push_str(&format!("{k}: {v}\r\n"));
            }
            out.push_str(&format!(
                "Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            ));
            done();
            let mut w = conn;
            let _ = w.write_all(out.as_bytes());
            let _ = w.flush();
        }
    }
}

/// Runs pkscan in `dir` with `PKSCAN_API_BASE` set as given (or removed) and
/// `stdin` piped in.
fn pkscan(dir: &std::path::Path, args: &[&str], env_base: Option<&str>, stdin: &str) -> Run {
    let mut cmd = Command::new(bin());
    cmd.args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("PKSCAN_API_BASE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(b) = env_base {
        cmd.env("PKSCAN_API_BASE", b);
    }
    let mut child = cmd.spawn().expect("run pkscan");
    let mut input = child.stdin.take().unwrap();
    // pkscan may exit before reading stdin (a refused API base): that is fine.
    if let Err(e) = input.write_all(stdin.as_bytes()) {
        assert_eq!(
            e.kind(),
            std::io::ErrorKind::BrokenPipe,
            "writing stdin: {e}"
        );
    }
    drop(input);
    Run::from(child.wait_with_output().unwrap())
}

/// A project with one Pictify key hardcoded in server code (severity high).
fn server_project(key: &str) -> Project {
    let p = Project::new();
    p.write(
        "server/render.js",
        format!("const pictify = new Pictify({{ apiKey: '{key}' }});\n"),
    );
    p
}

/// `--verify --format json` against `api`; fast limits so tests stay quick.
fn scan_verify(p: &Project, api: &FakeApi, extra: &[&str]) -> Run {
    let base = api.base();
    let mut args = vec![
        "scan",
        "--format",
        "json",
        "--verify",
        "--api-base",
        &base,
        "--verify-rate",
        "6000",
    ];
    args.extend_from_slice(extra);
    args.push(".");
    pkscan(p.path(), &args, None, "")
}

fn verification(r: &Run, i: usize) -> Value {
    let v = r.json();
    v["findings"][i]["verification"].clone()
}

fn severity(r: &Run, i: usize) -> String {
    r.json()["findings"][i]["severity"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Nothing a run printed contains the key.
fn assert_no_key(r: &Run, key: &str) {
    assert!(!r.stdout.contains(key), "key in stdout:\n{}", r.stdout);
    assert!(!r.stderr.contains(key), "key in stderr:\n{}", r.stderr);
    // Not even the body without its prefix.
    let body = &key[8..];
    assert!(!r.stdout.contains(body) && !r.stderr.contains(body));
}

/// Every request is the documented probe, with the key as bearer token.
fn assert_probe(seen: &Seen, key: &str) {
    assert_eq!(seen.method, "GET");
    assert_eq!(seen.target, "/templates?limit=1");
    assert_eq!(seen.bearer(), Some(key), "Authorization header");
    assert_eq!(
        seen.header("user-agent"),
        Some(format!("pkscan/{}", env!("CARGO_PKG_VERSION")).as_str())
    );
}

fn is_rfc3339_utc(s: &str) -> bool {
    let b = s.as_bytes();
    s.len() == 20
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && b[19] == b'Z'
        && s.chars()
            .enumerate()
            .all(|(i, c)| [4, 7, 10, 13, 16, 19].contains(&i) || c.is_ascii_digit())
}

#[test]
fn verify_200_is_active_and_critical() {
    let key = live_key(501);
    let p = server_project(&key);
    let api = FakeApi::start(|_, _| templates());
    let r = scan_verify(&p, &api, &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v = verification(&r, 0);
    assert_eq!(v["status"], "active");
    assert_eq!(v["http_status"], 200);
    assert!(is_rfc3339_utc(v["checked_at"].as_str().unwrap()), "{v}");
    // Hardcoded server-side is high; a key that works is critical wherever it is.
    assert_eq!(severity(&r, 0), "critical");
    assert!(r.json()["findings"][0]["fix"]
        .as_str()
        .unwrap()
        .starts_with("The key works right now"));
    let seen = api.requests();
    assert_eq!(seen.len(), 1);
    assert_probe(&seen[0], &key);
    assert!(
        r.stderr.contains("1 active, 0 inactive, 0 unknown"),
        "{}",
        r.stderr
    );
    assert_no_key(&r, &key);

    // The same verdict reaches SARIF (properties.verification) and text.
    let base = api.base();
    let sarif = pkscan(
        p.path(),
        &["scan", "-f", "sarif", "--verify", "--api-base", &base, "."],
        None,
        "",
    );
    let s: Value = serde_json::from_str(&sarif.stdout).unwrap();
    let props = &s["runs"][0]["results"][0]["properties"]["verification"];
    assert_eq!(props["status"], "active");
    assert_eq!(props["http_status"], 200);
    assert_eq!(s["runs"][0]["results"][0]["level"], "error");
    assert_no_key(&sarif, &key);
    let text = pkscan(
        p.path(),
        &["scan", "--verify", "--api-base", &base, "."],
        None,
        "",
    );
    assert!(
        text.stdout.contains("verified: active (HTTP 200) at "),
        "{}",
        text.stdout
    );
    assert_no_key(&text, &key);
    assert_eq!(api.requests().len(), 3, "one request per run");
}

#[test]
fn verify_401_problem_is_inactive_and_drops_to_note() {
    let key = live_key(502);
    let p = Project::new();
    // Client code: critical before verification.
    p.write(
        "src/App.jsx",
        format!("import React from 'react'\nconst pictify = '{key}'\n"),
    );
    let api = FakeApi::start(|_, _| problem(401, PROBLEM_401));
    let r = scan_verify(&p, &api, &[]);
    assert_eq!(r.code, 1, "a revoked key is still reported, as a note");
    let v = verification(&r, 0);
    assert_eq!(v["status"], "inactive");
    assert_eq!(v["http_status"], 401);
    assert_eq!(v["detail"], "already revoked; remove it");
    assert_eq!(severity(&r, 0), "note");
    assert_eq!(api.requests().len(), 1);
    assert_probe(&api.requests()[0], &key);
    assert_no_key(&r, &key);
    // --min-severity drops it like any other note.
    let base = api.base();
    let hi = pkscan(
        p.path(),
        &[
            "scan",
            "--verify",
            "--api-base",
            &base,
            "--min-severity",
            "low",
            ".",
        ],
        None,
        "",
    );
    assert_eq!(hi.code, 0, "{}{}", hi.stdout, hi.stderr);
}

#[test]
fn verify_403_problem_is_active() {
    let key = test_key(503);
    let p = server_project(&key);
    let api = FakeApi::start(|_, _| problem(403, PROBLEM_403));
    let r = scan_verify(&p, &api, &[]);
    let v = verification(&r, 0);
    assert_eq!(
        v["status"], "active",
        "a valid key without permission still works"
    );
    assert_eq!(v["http_status"], 403);
    assert_eq!(severity(&r, 0), "critical");
    assert_eq!(api.requests().len(), 1);
    assert_no_key(&r, &key);
}

#[test]
fn verify_403_html_page_is_unknown() {
    let key = live_key(504);
    let p = server_project(&key);
    let api = FakeApi::start(|_, _| html(403));
    let r = scan_verify(&p, &api, &[]);
    let v = verification(&r, 0);
    assert_eq!(
        v["status"], "unknown",
        "a proxy's 403 page verifies nothing"
    );
    assert_eq!(v["http_status"], 403);
    assert_eq!(severity(&r, 0), "high", "unknown leaves severity alone");
    assert_eq!(api.requests().len(), 1);
    assert_no_key(&r, &key);
}

#[test]
fn verify_429_waits_retry_after_then_succeeds() {
    let key = live_key(505);
    let p = server_project(&key);
    let api = FakeApi::start(|n, _| {
        if n == 0 {
            Reply::Respond {
                status: 429,
                headers: vec![
                    ("Content-Type", "application/problem+json".into()),
                    ("Retry-After", "1".into()),
                    ("X-RateLimit-Limit", "60".into()),
                    ("X-RateLimit-Remaining", "0".into()),
                    ("X-RateLimit-Reset", "1".into()),
                ],
                body: r#"{"type":"https://api.pictify.io/errors/rate-limited","status":429}"#
                    .into(),
            }
        } else {
            templates()
        }
    });
    let r = scan_verify(&p, &api, &[]);
    let v = verification(&r, 0);
    assert_eq!(v["status"], "active", "{v}");
    assert_eq!(v["http_status"], 200);
    let seen = api.requests();
    assert_eq!(seen.len(), 2, "one retry after the 429");
    for s in &seen {
        assert_probe(s, &key);
    }
    assert_no_key(&r, &key);
}

#[test]
fn verify_429_gives_up_after_the_retry_budget() {
    let key = live_key(506);
    let p = server_project(&key);
    let api = FakeApi::start(|_, _| Reply::Respond {
        status: 429,
        headers: vec![("Retry-After", "0".into())],
        body: String::new(),
    });
    let r = scan_verify(&p, &api, &[]);
    let v = verification(&r, 0);
    assert_eq!(v["status"], "unknown", "429 never means invalid");
    assert_eq!(v["http_status"], 429);
    assert_eq!(severity(&r, 0), "high");
    assert_eq!(api.requests().len(), 4, "the first try and three retries");
    assert!(r.stderr.contains("rate limited 4 time(s)"), "{}", r.stderr);
    assert_no_key(&r, &key);
}

#[test]
fn verify_never_waits_past_the_overall_timeout() {
    // Retry-After beyond --verify-timeout: give up at once instead of hanging.
    let key = live_key(507);
    let p = server_project(&key);
    let api = FakeApi::start(|_, _| Reply::Respond {
        status: 429,
        headers: vec![("Retry-After", "30".into())],
        body: String::new(),
    });
    let r = scan_verify(&p, &api, &["--verify-timeout", "2s"]);
    let v = verification(&r, 0);
    assert_eq!(v["status"], "unknown");
    assert_eq!(v["http_status"], 429);
    assert!(
        v["detail"].as_str().unwrap().contains("--verify-timeout"),
        "{v}"
    );
    assert_eq!(api.requests().len(), 1);
}

#[test]
fn verify_honours_ratelimit_remaining_zero_until_reset() {
    // After `X-RateLimit-Remaining: 0` no request goes out until the reset (30 s
    // here); with a 2 s budget the second key is left unknown, never sent.
    let (a, b) = (live_key(508), live_key(509));
    let p = Project::new();
    p.write(
        "server/a.js",
        format!("const pictify = new Pictify({{ apiKey: '{a}' }});\n"),
    );
    p.write(
        "server/b.js",
        format!("const pictify = new Pictify({{ apiKey: '{b}' }});\n"),
    );
    let api = FakeApi::start(|_, _| Reply::Respond {
        status: 200,
        headers: vec![
            ("Content-Type", "application/json".into()),
            ("X-RateLimit-Remaining", "0".into()),
            ("X-RateLimit-Reset", "30".into()),
        ],
        body: "{\"data\":[]}".into(),
    });
    let r = scan_verify(
        &p,
        &api,
        &["--verify-concurrency", "1", "--verify-timeout", "2s"],
    );
    let statuses: Vec<String> = (0..2)
        .map(|i| verification(&r, i)["status"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(statuses, ["active", "unknown"]);
    assert!(verification(&r, 1)["detail"]
        .as_str()
        .unwrap()
        .contains("not checked within --verify-timeout"));
    let seen = api.requests();
    assert_eq!(seen.len(), 1);
    assert_probe(&seen[0], &a);
    assert_no_key(&r, &a);
    assert_no_key(&r, &b);
}

#[test]
fn verify_hanging_response_is_unknown_after_the_timeout() {
    let key = live_key(510);
    let p = server_project(&key);
    let api = FakeApi::start(|_, _| Reply::Hang);
    let r = scan_verify(&p, &api, &["--verify-request-timeout", "300ms"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v = verification(&r, 0);
    assert_eq!(v["status"], "unknown");
    assert!(v.get("http_status").is_none(), "{v}");
    assert!(
        v["detail"]
            .as_str()
            .unwrap()
            .contains("no answer within 300ms"),
        "{v}"
    );
    assert_eq!(severity(&r, 0), "high");
    assert_eq!(api.requests().len(), 1);
    assert_no_key(&r, &key);
}

#[test]
fn verify_500_is_unknown() {
    let key = live_key(511);
    let p = server_project(&key);
    let api = FakeApi::start(|_, _| {
        problem(
            500,
            r#"{"type":"https://api.pictify.io/errors/internal","status":500}"#,
        )
    });
    let r = scan_verify(&p, &api, &[]);
    let v = verification(&r, 0);
    assert_eq!(
        v["status"], "unknown",
        "a server error says nothing about the key"
    );
    assert_eq!(v["http_status"], 500);
    assert_eq!(severity(&r, 0), "high");
    assert_eq!(api.requests().len(), 1);
    assert_no_key(&r, &key);
}

#[test]
fn verify_same_key_in_ten_files_is_one_request() {
    let key = live_key(512);
    let p = Project::new();
    for i in 0..10 {
        p.write(
            &format!("server/job{i}.js"),
            format!("// job {i}\nconst pictify = new Pictify({{ apiKey: '{key}' }});\n"),
        );
    }
    let api = FakeApi::start(|_, _| problem(401, PROBLEM_401));
    let r = scan_verify(&p, &api, &[]);
    let findings = r.json()["findings"].as_array().unwrap().clone();
    assert_eq!(findings.len(), 10);
    for f in &findings {
        assert_eq!(f["verification"]["status"], "inactive");
        assert_eq!(f["severity"], "note");
    }
    let seen = api.requests();
    assert_eq!(seen.len(), 1, "each distinct key is checked once per run");
    assert_probe(&seen[0], &key);
    assert_no_key(&r, &key);
}

#[test]
fn verify_sends_only_pictify_keys() {
    let key = live_key(513);
    let stripe = format!("pk_live_51{}", fake_body(514, 97));
    let p = Project::new();
    p.write(
        "server/render.js",
        format!("const pictify = new Pictify({{ apiKey: '{key}' }});\n"),
    );
    p.write(
        "src/checkout.js",
        format!("const stripe = await loadStripe('{stripe}');\n"),
    );
    p.write(
        "README.md",
        "PICTIFY_API_KEY=pk_live_your_pictify_api_key_here\n",
    );
    let api = FakeApi::start(|_, _| templates());
    let r = scan_verify(&p, &api, &["--include-other-providers"]);
    let v = r.json();
    let by_path = |path: &str| {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"] == path)
            .unwrap_or_else(|| panic!("no finding in {path}: {v}"))
            .clone()
    };
    assert_eq!(
        by_path("server/render.js")["verification"]["status"],
        "active"
    );
    for path in ["src/checkout.js", "README.md"] {
        let f = by_path(path);
        assert_eq!(f["verification"]["status"], "not-checked", "{f}");
        assert_eq!(f["severity"], "note");
    }
    let seen = api.requests();
    assert_eq!(seen.len(), 1);
    assert_probe(&seen[0], &key);
    assert!(
        r.stderr.contains("2 finding(s) not checked"),
        "{}",
        r.stderr
    );
}

#[test]
fn no_verify_flag_means_no_request() {
    let key = live_key(515);
    let p = server_project(&key);
    let api = FakeApi::start(|_, _| templates());
    let base = api.base();
    // Even with the API base configured in the environment.
    let r = pkscan(
        p.path(),
        &["scan", "--format", "json", "."],
        Some(&base),
        "",
    );
    assert_eq!(r.code, 1);
    assert!(r.json()["findings"][0].get("verification").is_none());
    assert_eq!(severity(&r, 0), "high");
    // Options without --verify are pointed out, and still send nothing.
    let r = pkscan(
        p.path(),
        &["scan", "--api-base", &base, "--verify-rate", "10", "."],
        None,
        "",
    );
    assert!(
        r.stderr
            .contains("--api-base, --verify-rate has no effect without --verify"),
        "{}",
        r.stderr
    );
    assert_eq!(api.requests().len(), 0);
}

#[test]
fn verify_uses_pkscan_api_base_from_the_environment() {
    let key = live_key(516);
    let p = server_project(&key);
    let api = FakeApi::start(|_, _| templates());
    let base = api.base();
    let r = pkscan(
        p.path(),
        &["scan", "-f", "json", "--verify", "."],
        Some(&base),
        "",
    );
    assert_eq!(verification(&r, 0)["status"], "active");
    assert_eq!(api.requests().len(), 1);
    assert_no_key(&r, &key);
}

#[test]
fn plain_http_to_a_non_loopback_host_is_refused_without_a_request() {
    let key = live_key(517);
    let p = server_project(&key);
    let api = FakeApi::start(|_, _| templates());
    // 0.0.0.0 is not a loopback address, yet on Linux a connection to it reaches
    // the fake API on 127.0.0.1: had pkscan not refused, the server would see it.
    let insecure = format!("http://0.0.0.0:{}", api.addr.port());
    let r = pkscan(
        p.path(),
        &["scan", "--verify", "--api-base", &insecure, "."],
        None,
        "",
    );
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr
            .contains("refusing to send keys over plain http://")
            && r.stderr.contains("--api-base")
            && r.stderr.contains("https://"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.is_empty(), "no report: {}", r.stdout);
    let r = pkscan(p.path(), &["scan", "--verify", "."], Some(&insecure), "");
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("PKSCAN_API_BASE"), "{}", r.stderr);
    let r = pkscan(
        p.path(),
        &["verify", "--api-base", "http://api.pictify.io"],
        None,
        &format!("{key}\n"),
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("refusing"), "{}", r.stderr);
    assert_no_key(&r, &key);
    assert_eq!(api.requests().len(), 0);
}

#[test]
fn verify_subcommand_reads_one_key_from_stdin() {
    let (old, new) = (live_key(518), live_key(519));
    // The old key is revoked, the new one works.
    let api = {
        let new = new.clone();
        FakeApi::start(move |_, seen| {
            if seen.bearer() == Some(new.as_str()) {
                templates()
            } else {
                problem(401, PROBLEM_401)
            }
        })
    };
    let dir = tempfile::tempdir().unwrap();
    let base = api.base();
    let r = pkscan(
        dir.path(),
        &["verify", "--api-base", &base],
        None,
        &format!("{old}\n"),
    );
    assert_eq!(r.code, 0, "inactive exits 0: {}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("inactive (HTTP 401)"), "{}", r.stdout);
    assert!(
        r.stdout.contains(&old[..10]),
        "shows the redacted key: {}",
        r.stdout
    );
    assert_no_key(&r, &old);

    let r = pkscan(
        dir.path(),
        &["verify", "--json"],
        Some(&base),
        &format!("  {new}\r\n\n"),
    );
    assert_eq!(r.code, 1, "active exits 1: {}{}", r.stdout, r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["status"], "active");
    assert_eq!(v["http_status"], 200);
    assert_no_key(&r, &new);

    let seen = api.requests();
    assert_eq!(seen.len(), 2);
    assert_probe(&seen[0], &old);
    assert_probe(&seen[1], &new);

    // Never from argv; empty or several keys are errors; nothing is sent.
    let r = pkscan(dir.path(), &["verify", &old, "--api-base", &base], None, "");
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("does not take the key as an argument"),
        "{}",
        r.stderr
    );
    assert_no_key(&r, &old);
    let r = pkscan(dir.path(), &["verify", "--api-base", &base], None, "");
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("no key on standard input"),
        "{}",
        r.stderr
    );
    let r = pkscan(
        dir.path(),
        &["verify", "--api-base", &base],
        None,
        &format!("{old}\n{new}\n"),
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("exactly one key"), "{}", r.stderr);
    assert_no_key(&r, &old);
    assert_no_key(&r, &new);
    assert_eq!(api.requests().len(), 2);
}

#[test]
fn verify_subcommand_unreachable_api_is_unknown() {
    // A port nothing listens on: connection refused, exit 2, no key in the error.
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let key = live_key(520);
    let dir = tempfile::tempdir().unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let r = pkscan(
        dir.path(),
        &["verify", "--api-base", &base],
        None,
        &format!("{key}\n"),
    );
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("unknown") && r.stdout.contains("connection failed"),
        "{}",
        r.stdout
    );
    assert_no_key(&r, &key);
}

/// A project with `n` distinct Pictify keys, one file each.
fn many_keys_project(n: u64, seed: u64) -> (Project, Vec<String>) {
    let p = Project::new();
    let keys: Vec<String> = (0..n).map(|i| live_key(seed + i)).collect();
    for (i, k) in keys.iter().enumerate() {
        p.write(
            &format!("server/job{i:02}.js"),
            format!("const pictify = new Pictify({{ apiKey: '{k}' }});\n"),
        );
    }
    (p, keys)
}

#[test]
fn verify_keeps_at_most_concurrency_requests_in_flight() {
    let (p, keys) = many_keys_project(6, 600);
    let api =
        FakeApi::start(|_, _| Reply::After(Duration::from_millis(150), Box::new(templates())));
    let r = scan_verify(&p, &api, &["--verify-concurrency", "2"]);
    assert_eq!(api.requests().len(), 6, "{}", r.stderr);
    assert!(
        api.max_in_flight() <= 2,
        "{} in flight",
        api.max_in_flight()
    );
    for i in 0..6 {
        assert_eq!(verification(&r, i)["status"], "active");
    }
    for k in &keys {
        assert_no_key(&r, k);
    }
}

#[test]
fn verify_rate_limits_requests_per_minute() {
    // One request per minute and a 2 s budget: only the first key goes out, the
    // others are reported unknown rather than sent early or waited for.
    let (p, keys) = many_keys_project(3, 610);
    let api = FakeApi::start(|_, _| templates());
    let base = api.base();
    let r = pkscan(
        p.path(),
        &[
            "scan",
            "-f",
            "json",
            "--verify",
            "--api-base",
            &base,
            "--verify-rate",
            "1",
            "--verify-timeout",
            "2s",
            ".",
        ],
        None,
        "",
    );
    let statuses: Vec<String> = (0..3)
        .map(|i| verification(&r, i)["status"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| *s == "active").count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| *s == "unknown").count(),
        2,
        "{statuses:?}"
    );
    assert_eq!(api.requests().len(), 1);
    assert!(
        r.stderr.contains("1 active, 0 inactive, 2 unknown"),
        "{}",
        r.stderr
    );
    for k in &keys {
        assert_no_key(&r, k);
    }
}

#[test]
fn verify_never_follows_a_redirect() {
    let key = live_key(620);
    let p = server_project(&key);
    let elsewhere = FakeApi::start(|_, _| templates());
    let target = format!("{}/templates?limit=1", elsewhere.base());
    let api = FakeApi::start(move |_, _| Reply::Respond {
        status: 307,
        headers: vec![("Location", target.clone())],
        body: String::new(),
    });
    let r = scan_verify(&p, &api, &[]);
    let v = verification(&r, 0);
    assert_eq!(v["status"], "unknown");
    assert_eq!(v["http_status"], 307);
    assert!(
        v["detail"]
            .as_str()
            .unwrap()
            .contains("redirect not followed"),
        "{v}"
    );
    assert_eq!(api.requests().len(), 1);
    assert_eq!(
        elsewhere.requests().len(),
        0,
        "the key must not follow a redirect"
    );
    assert_no_key(&r, &key);
}
