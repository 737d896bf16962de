//! Real parts on 127.0.0.1 for audit tests: repositories built with the `git`
//! command, served by `git daemon` (git://) and by `git http-backend` behind a
//! small HTTP server that demands a token, and a scripted HTTP server playing the
//! GitHub and GitLab REST APIs.
#![allow(dead_code)]
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// git with an isolated configuration and a fixed identity, dated `stamp`.
fn git_cmd(dir: &Path, args: &[&str], stamp: &str) -> Command {
    let mut cmd = Command::new("git");
    cmd.args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Ada Tester")
        .env("GIT_AUTHOR_EMAIL", "ada@example.com")
        .env("GIT_COMMITTER_NAME", "Ada Tester")
        .env("GIT_COMMITTER_EMAIL", "ada@example.com")
        .env("GIT_AUTHOR_DATE", stamp)
        .env("GIT_COMMITTER_DATE", stamp);
    cmd
}

/// Runs git with an isolated configuration and a fixed identity.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = git_cmd(dir, args, "2024-03-05T10:00:00Z")
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?} in {}: {}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A work tree whose commits are pushed to a bare repository under the served root.
pub struct Upstream {
    pub work: PathBuf,
    pub bare: PathBuf,
}

impl Upstream {
    /// Creates `<root>/<name>.git` (bare) and a work tree for it in `scratch`.
    pub fn new(root: &Path, scratch: &Path, name: &str) -> Upstream {
        let bare = root.join(format!("{name}.git"));
        std::fs::create_dir_all(&bare).unwrap();
        git(&bare, &["init", "-q", "--bare", "-b", "main"]);
        let work = scratch.join(name.replace('/', "_"));
        std::fs::create_dir_all(&work).unwrap();
        git(&work, &["init", "-q", "-b", "main"]);
        git(&work, &["remote", "add", "origin", bare.to_str().unwrap()]);
        Upstream { work, bare }
    }

    pub fn write(&self, rel: &str, text: &str) -> &Self {
        let p = self.work.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self
    }

    pub fn remove(&self, rel: &str) -> &Self {
        std::fs::remove_file(self.work.join(rel)).unwrap();
        self
    }

    /// Commits everything (dated `date`, YYYY-MM-DD) and pushes; returns the SHA.
    pub fn commit(&self, msg: &str, date: &str) -> String {
        let sha = self.commit_local(msg, date);
        self.push(false);
        sha
    }

    /// Commits everything without pushing; returns the SHA.
    pub fn commit_local(&self, msg: &str, date: &str) -> String {
        git(&self.work, &["add", "-A"]);
        let stamp = format!("{date}T12:00:00Z");
        let out = git_cmd(
            &self.work,
            &["commit", "-q", "--allow-empty", "-m", msg],
            &stamp,
        )
        .output()
        .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        git(&self.work, &["rev-parse", "HEAD"])
    }

    pub fn push(&self, force: bool) {
        let mut args = vec!["push", "-q", "origin", "--all"];
        if force {
            args.push("--force");
        }
        git(&self.work, &args);
    }
}

/// Picks a free port on 127.0.0.1.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `git daemon` serving every repository under `root` over git://127.0.0.1.
pub struct GitDaemon {
    child: Child,
    pub port: u16,
    pub root: PathBuf,
}

impl GitDaemon {
    pub fn start(root: &Path) -> GitDaemon {
        // `git daemon` forks `git-daemon`, which killing `git` would leave
        // running: start the daemon itself, so dropping this stops it.
        let exec = git(root, &["--exec-path"]);
        let daemon = Path::new(&exec).join("git-daemon");
        for _ in 0..5 {
            let port = free_port();
            let mut child = Command::new(&daemon)
                .args([
                    "--listen=127.0.0.1",
                    &format!("--port={port}"),
                    &format!("--base-path={}", root.display()),
                    "--export-all",
                    "--reuseaddr",
                    "--informative-errors",
                    root.to_str().unwrap(),
                ])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start git daemon");
            let until = Instant::now() + Duration::from_secs(10);
            while Instant::now() < until {
                if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                    return GitDaemon {
                        child,
                        port,
                        root: root.to_path_buf(),
                    };
                }
                if child.try_wait().unwrap().is_some() {
                    break; // the port was taken meanwhile: try another
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        panic!("git daemon did not start");
    }

    pub fn url(&self, name: &str) -> String {
        format!("git://127.0.0.1:{}/{name}.git", self.port)
    }
}

impl Drop for GitDaemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One request as the fake server saw it.
#[derive(Clone, Debug)]
pub struct Seen {
    pub method: String,
    /// Path and query.
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub at: Instant,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or_default()
    }
    pub fn query(&self, key: &str) -> Option<String> {
        let q = self.target.split_once('?')?.1;
        q.split('&').find_map(|kv| {
            let (k, v) = kv.split_once('=')?;
            (k == key).then(|| v.to_string())
        })
    }
}

/// An answer: status, headers, body.
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn json(status: u16, body: serde_json::Value) -> Answer {
        Answer {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.to_string().into_bytes(),
        }
    }
    pub fn with(mut self, k: &str, v: impl Into<String>) -> Answer {
        self.headers.push((k.into(), v.into()));
        self
    }
}

type Handler = dyn Fn(&Seen, &[u8], &Server) -> Answer + Send + Sync;

/// A threaded HTTP/1.1 server on 127.0.0.1 answering each request through `handler`.
pub struct Server {
    pub addr: SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
    /// Per-key counters for handlers (e.g. "answered 429 once already").
    pub counters: Arc<Mutex<HashMap<String, usize>>>,
}

impl Server {
    pub fn start(
        handler: impl Fn(&Seen, &[u8], &Server) -> Answer + Send + Sync + 'static,
    ) -> Arc<Server> {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let handler: Arc<Handler> = Arc::new(handler);
        let server = Arc::new(Server {
            addr,
            seen: Arc::new(Mutex::new(Vec::new())),
            stop: Arc::new(AtomicBool::new(false)),
            accept: None,
            counters: Arc::new(Mutex::new(HashMap::new())),
        });
        let s2 = Arc::clone(&server);
        let accept = std::thread::spawn(move || {
            for conn in listener.incoming() {
                if s2.stop.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(conn) = conn else { continue };
                let (s3, h) = (Arc::clone(&s2), Arc::clone(&handler));
                std::thread::spawn(move || serve(conn, &s3, &*h));
            }
        });
        // The accept thread is detached: it ends when `stop` is set and a
        // connection wakes it (see `shutdown`).
        drop(accept);
        server
    }

    pub fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn requests(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    /// Increments and returns the counter `key` (1 on the first call).
    pub fn bump(&self, key: &str) -> usize {
        let mut c = self.counters.lock().unwrap();
        let n = c.entry(key.to_string()).or_default();
        *n += 1;
        *n
    }

    pub fn shutdown(&self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr);
    }
}

fn serve(conn: TcpStream, server: &Server, handler: &Handler) {
    conn.set_read_timeout(Some(Duration::from_secs(20))).ok();
    let mut reader = BufReader::new(conn.try_clone().unwrap());
    // One request per connection (the answer says `Connection: close`).
    {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
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
            at: Instant::now(),
        };
        let body = read_body(&req, &mut reader);
        server.seen.lock().unwrap().push(req.clone());
        let answer = handler(&req, &body, server);
        let mut out = format!("HTTP/1.1 {} Fake\r\n", answer.status).into_bytes();
        for (k, v) in &answer.headers {
            out.extend_from_slice(format!("{k}: {v}\r\n").as_bytes());
        }
        out.extend_from_slice(
            format!(
                "Content-Length: {}\r\nConnection: close\r\n\r\n",
                answer.body.len()
            )
            .as_bytes(),
        );
        out.extend_from_slice(&answer.body);
        let mut w = &conn;
        let _ = w.write_all(&out);
        let _ = w.flush();
    }
}

fn read_body(req: &Seen, reader: &mut impl BufRead) -> Vec<u8> {
    let mut body = Vec::new();
    if let Some(n) = req
        .header("content-length")
        .and_then(|v| v.parse::<usize>().ok())
    {
        body.resize(n, 0);
        let _ = reader.read_exact(&mut body);
    } else if req
        .header("transfer-encoding")
        .is_some_and(|v| v.eq_ignore_ascii_case("chunked"))
    {
        loop {
            let mut size = String::new();
            if reader.read_line(&mut size).unwrap_or(0) == 0 {
                break;
            }
            let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
            if n == 0 {
                let mut end = String::new();
                let _ = reader.read_line(&mut end);
                break;
            }
            let mut chunk = vec![0; n];
            let _ = reader.read_exact(&mut chunk);
            body.extend_from_slice(&chunk);
            let mut crlf = String::new();
            let _ = reader.read_line(&mut crlf);
        }
    }
    body
}

/// Runs `git http-backend` (CGI) for one smart-HTTP request against `root`.
pub fn http_backend(root: &Path, req: &Seen, body: &[u8]) -> Answer {
    let (path, query) = req.target.split_once('?').unwrap_or((&req.target, ""));
    let mut cmd = Command::new("git");
    cmd.arg("http-backend")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("GIT_PROJECT_ROOT", root)
        .env("GIT_HTTP_EXPORT_ALL", "1")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("REQUEST_METHOD", &req.method)
        .env("PATH_INFO", path)
        .env("QUERY_STRING", query)
        .env("CONTENT_LENGTH", body.len().to_string())
        .env("REMOTE_ADDR", "127.0.0.1")
        .env("REMOTE_USER", "tester")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if let Some(ct) = req.header("content-type") {
        cmd.env("CONTENT_TYPE", ct);
    }
    if let Some(ce) = req.header("content-encoding") {
        cmd.env("HTTP_CONTENT_ENCODING", ce);
    }
    if let Some(p) = req.header("git-protocol") {
        cmd.env("GIT_PROTOCOL", p);
    }
    let mut child = cmd.spawn().expect("git http-backend");
    {
        let mut stdin = child.stdin.take().unwrap();
        let _ = stdin.write_all(body);
    }
    let out = child.wait_with_output().unwrap();
    let raw = out.stdout;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| (i, 4))
        .or_else(|| raw.windows(2).position(|w| w == b"\n\n").map(|i| (i, 2)));
    let Some((i, sep)) = split else {
        return Answer {
            status: 500,
            headers: vec![],
            body: raw,
        };
    };
    let head = String::from_utf8_lossy(&raw[..i]).to_string();
    let mut status = 200;
    let mut headers = Vec::new();
    for l in head.lines() {
        if let Some((k, v)) = l.split_once(':') {
            if k.eq_ignore_ascii_case("status") {
                status = v.trim().split(' ').next().unwrap().parse().unwrap_or(500);
            } else {
                headers.push((k.trim().to_string(), v.trim().to_string()));
            }
        }
    }
    Answer {
        status,
        headers,
        body: raw[i + sep..].to_vec(),
    }
}

/// Every file under `dir` (recursively) whose bytes contain `needle`.
pub fn files_containing(dir: &Path, needle: &[u8]) -> Vec<PathBuf> {
    let mut hits = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            let Ok(meta) = std::fs::symlink_metadata(&p) else {
                continue;
            };
            if meta.is_dir() {
                stack.push(p);
            } else if meta.is_file() {
                if let Ok(data) = std::fs::read(&p) {
                    if memchr_find(&data, needle) {
                        hits.push(p);
                    }
                }
            }
        }
    }
    hits
}

fn memchr_find(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}
