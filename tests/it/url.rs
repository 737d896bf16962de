//! `pkscan url` against real HTTP servers on 127.0.0.1 started inside each test:
//! sites shaped like the build output of Next.js (webpack), Create React App and
//! a real Vite build, plus hostile routes (redirect loops, endless and huge
//! responses, a page linking to 10,000 pages). Every server logs every request,
//! and the tests check that no request carries a key, that only GET is sent,
//! and that the caps hold. Nothing touches the internet.
use crate::util::*;
use serde_json::Value;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// One request as a server saw it: the request line and every header.
#[derive(Clone, Debug)]
struct Seen {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    /// The whole request head as it arrived.
    raw: String,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    fn path(&self) -> &str {
        // Proxy requests carry the absolute URL.
        let t = self.target.as_str();
        match t.find("://") {
            Some(i) => t[i + 3..].find('/').map_or("/", |j| &t[i + 3 + j..]),
            None => t,
        }
    }
}

/// What a route answers.
#[derive(Clone)]
enum Reply {
    Ok(&'static str, Vec<u8>),
    /// Status, headers, body.
    Raw(u16, Vec<(&'static str, String)>, Vec<u8>),
    Redirect(String),
    /// Headers, then one byte every 50 ms, forever (until the client goes).
    Endless,
    /// `n` bytes of JavaScript-ish filler, as fast as the client reads.
    Huge(u64),
}

fn js(body: impl Into<Vec<u8>>) -> Reply {
    Reply::Ok("application/javascript", body.into())
}
fn html(body: impl Into<Vec<u8>>) -> Reply {
    Reply::Ok("text/html; charset=utf-8", body.into())
}
fn json(body: impl Into<Vec<u8>>) -> Reply {
    Reply::Ok("application/json", body.into())
}

type Routes = dyn Fn(&str) -> Option<Reply> + Send + Sync;

/// A web server on 127.0.0.1 that logs every request.
struct Site {
    addr: SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
    /// Body bytes written, in all.
    written: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
}

impl Site {
    fn start(routes: impl Fn(&str) -> Option<Reply> + Send + Sync + 'static) -> Site {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let written = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let routes: Arc<Routes> = Arc::new(routes);
        let accept = {
            let (seen, stop, written) = (seen.clone(), stop.clone(), written.clone());
            std::thread::spawn(move || {
                for conn in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(conn) = conn else { continue };
                    let (seen, stop, routes, written) =
                        (seen.clone(), stop.clone(), routes.clone(), written.clone());
                    std::thread::spawn(move || serve(conn, &seen, &stop, &*routes, &written));
                }
            })
        };
        Site {
            addr,
            seen,
            written,
            stop,
            accept: Some(accept),
        }
    }
    /// A site serving fixed files.
    fn files(files: HashMap<String, Reply>) -> Site {
        Site::start(move |p| files.get(p.split('?').next().unwrap()).cloned())
    }
    fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.origin())
    }
    fn requests(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
    fn paths(&self) -> Vec<String> {
        self.requests()
            .iter()
            .map(|r| r.path().to_string())
            .collect()
    }
}

impl Drop for Site {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
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
    routes: &Routes,
    written: &AtomicU64,
) {
    conn.set_read_timeout(Some(Duration::from_secs(10))).ok();
    let mut reader = BufReader::new(conn.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let mut raw = line.clone();
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_string();
    let target = parts.next().unwrap_or_default().to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
            break;
        }
        raw.push_str(&h);
        if let Some((k, v)) = h.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    let req = Seen {
        method,
        target,
        headers,
        raw,
    };
    seen.lock().unwrap().push(req.clone());
    let mut out = conn;
    let head = |status: u16, headers: &[(&str, String)], len: Option<usize>| {
        let mut h = format!(
            "HTTP/1.1 {status} X\r\nConnection: close\r\nSet-Cookie: session=abc123; Path=/\r\n"
        );
        for (k, v) in headers {
            h.push_str(&format!("{k}: {v}\r\n"));
        }
        if let Some(n) = len {
            h.push_str(&format!("Content-Length: {n}\r\n"));
        }
        h.push_str("\r\n");
        h
    };
    let reply = routes(req.path()).unwrap_or(Reply::Raw(
        404,
        vec![("Content-Type", "text/plain".into())],
        b"not found".to_vec(),
    ));
    let send = |out: &mut TcpStream, status, hs: &[(&str, String)], body: &[u8]| {
        let _ = out.write_all(head(status, hs, Some(body.len())).as_bytes());
        if out.write_all(body).is_ok() {
            written.fetch_add(body.len() as u64, Ordering::SeqCst);
        }
    };
    match reply {
        Reply::Ok(ct, body) => send(&mut out, 200, &[("Content-Type", ct.into())], &body),
        Reply::Raw(status, hs, body) => send(&mut out, status, &hs, &body),
        Reply::Redirect(to) => send(&mut out, 302, &[("Location", to)], b""),
        Reply::Endless => {
            let _ = out.write_all(
                head(
                    200,
                    &[("Content-Type", "application/javascript".into())],
                    None,
                )
                .as_bytes(),
            );
            while !stop.load(Ordering::SeqCst) {
                if out.write_all(b"/").is_err() {
                    break;
                }
                written.fetch_add(1, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        Reply::Huge(n) => {
            let _ = out.write_all(
                head(
                    200,
                    &[("Content-Type", "application/javascript".into())],
                    Some(n as usize),
                )
                .as_bytes(),
            );
            let chunk = vec![b'x'; 64 * 1024];
            let mut left = n;
            while left > 0 && !stop.load(Ordering::SeqCst) {
                let k = left.min(chunk.len() as u64) as usize;
                if out.write_all(&chunk[..k]).is_err() {
                    break;
                }
                written.fetch_add(k as u64, Ordering::SeqCst);
                left -= k as u64;
            }
        }
    }
}

/// Runs `pkscan url ARGS` in an empty directory, without proxies from the
/// environment of whoever runs the tests.
fn pkscan_url(args: &[&str]) -> Run {
    pkscan_url_env(args, &[])
}

fn pkscan_url_env(args: &[&str], env: &[(&str, &str)]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let mut c = Command::new(bin());
    c.arg("url")
        .args(args)
        .current_dir(dir.path())
        .env("NO_COLOR", "1");
    without_proxies(&mut c);
    for (k, v) in env {
        c.env(k, v);
    }
    Run::from(c.output().expect("run pkscan"))
}

/// Proxies from the environment of whoever runs the tests do not apply.
fn without_proxies(c: &mut Command) {
    for v in [
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "ALL_PROXY",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
        "PKSCAN_API_BASE",
    ] {
        c.env_remove(v);
    }
}

/// No request to any of `sites` carried any of `keys`, and all were GETs with
/// pkscan's User-Agent and no cookie.
fn assert_manners(sites: &[&Site], keys: &[&str]) {
    for s in sites {
        for r in s.requests() {
            assert_eq!(r.method, "GET", "only GET is sent: {}", r.raw);
            for k in keys {
                assert!(!r.raw.contains(k), "a request carried a key: {}", r.raw);
            }
            assert!(
                r.header("cookie").is_none(),
                "no cookie is ever sent: {}",
                r.raw
            );
            assert!(
                r.header("user-agent")
                    .is_some_and(|u| u.starts_with("pkscan/")),
                "{}",
                r.raw
            );
        }
    }
}

/// Encodes source map segments `(generated column, original line, original
/// column)` on generated line 0, all 0-based, source 0.
fn mappings(segs: &[(u32, u32, u32)]) -> String {
    fn vlq(v: i64, out: &mut String) {
        const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut u = if v < 0 { ((-v) << 1) | 1 } else { v << 1 };
        loop {
            let mut d = (u & 31) as usize;
            u >>= 5;
            if u > 0 {
                d |= 32;
            }
            out.push(A[d] as char);
            if u == 0 {
                break;
            }
        }
    }
    let mut out = String::new();
    let (mut gc, mut ol, mut oc) = (0i64, 0i64, 0i64);
    for (i, &(g, l, c)) in segs.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        vlq(g as i64 - gc, &mut out);
        vlq(0, &mut out);
        vlq(l as i64 - ol, &mut out);
        vlq(c as i64 - oc, &mut out);
        (gc, ol, oc) = (g as i64, l as i64, c as i64);
    }
    out
}

/// A minified chunk holding `code` after a webpack preamble, with a source map
/// that maps the string literal in it to `original` (line and column, 1-based)
/// of `source`, and carries `content` as its `sourcesContent`.
fn chunk_with_map(
    name: &str,
    code: &str,
    source: &str,
    original: (u32, u32),
    content: &str,
) -> (String, String) {
    let pre =
        "\"use strict\";(self.webpackChunk_app=self.webpackChunk_app||[]).push([[1],{42:(e,t,n)=>{";
    let js = format!("{pre}{code}}}}}]);\n//# sourceMappingURL={name}.map\n");
    let lit = pre.len() + code.find('"').unwrap_or(0);
    let map = serde_json::json!({
        "version": 3,
        "file": name,
        "sources": [source],
        "sourcesContent": [content],
        "names": [],
        "mappings": mappings(&[(0, 0, 0), (lit as u32, original.0 - 1, original.1 - 1), (lit as u32 + 60, original.0, 0)]),
    });
    (js, map.to_string())
}

fn finding<'a>(v: &'a Value, path_ends: &str) -> &'a Value {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with(path_ends))
        .unwrap_or_else(|| panic!("no finding at *{path_ends}: {v:#}"))
}

fn stripe_key(seed: u64) -> String {
    format!("pk_live_51{}", fake_body(seed, 97))
}

/// A site shaped like `next build` output (webpack, pages and app router).
struct NextSite {
    site: Site,
    cdn: Site,
    keys: Vec<String>,
}

fn next_site() -> NextSite {
    let inline = live_key(1501);
    let lazy = live_key(1502);
    let page_chunk = test_key(1503);
    let cdn_key = live_key(1504);
    let only_in_map = live_key(1505);
    let stripe = stripe_key(1506);
    let cdn = {
        let cdn_key = cdn_key.clone();
        Site::start(move |p| {
            (p == "/widgets/v2/embed.js").then(|| {
                js(format!("window.PictifyEmbed={{init:function(){{return new Pictify({{apiKey:\"{cdn_key}\"}})}}}};"))
            })
        })
    };
    let build = "B1d_x9";
    let mut files: HashMap<String, Reply> = HashMap::new();
    let index = format!(
        r#"<!DOCTYPE html><html lang="en"><head><meta charSet="utf-8"/><link rel="preload" as="script" fetchPriority="low" href="/_next/static/chunks/webpack-3f92.js"/><script src="/_next/static/chunks/main-app-a1dc.js" async=""></script><script src="{cdn}/widgets/v2/embed.js" async=""></script><link rel="manifest" href="/site.webmanifest"/></head><body><main><h1>Cards</h1><a href="/about/">About</a><a href="/loop-a">Old link</a></main><script src="/_next/static/chunks/webpack-3f92.js" async=""></script><script>window.__PICTIFY__={{key:"{inline}"}};</script><script>self.__next_f.push([1,"0:{{\"P\":null,\"b\":\"{build}\"}}"])</script></body></html>"#,
        cdn = cdn.origin()
    );
    files.insert("/".into(), html(index));
    files.insert("/about/".into(), html("<!DOCTYPE html><html><body><p>About</p><script src=\"/_next/static/chunks/main-app-a1dc.js\"></script></body></html>"));
    files.insert(
        "/site.webmanifest".into(),
        json(r#"{"name":"Cards","start_url":"/","icons":[]}"#),
    );
    files.insert(
        "/_next/static/chunks/webpack-3f92.js".into(),
        js(r#"(()=>{"use strict";var s={};s.u=e=>"static/chunks/"+e+"."+({128:"3b460ae0",828:"5c7c1bf7"})[e]+".js",s.miniCssF=e=>{},s.p="/_next/"})();"#),
    );
    files.insert(
        "/_next/static/chunks/main-app-a1dc.js".into(),
        js("(self.webpackChunk_app=self.webpackChunk_app||[]).push([[358],{}]);"),
    );
    // The lazy chunk with the key, only named by the runtime's chunk map.
    let code = format!("n.d(t,{{renderCard:()=>a}});async function a(e){{return fetch(\"https://api.pictify.io/image\",{{headers:{{Authorization:\"Bearer {lazy}\"}}}})}}");
    let code = code.replacen(
        "\"https://api.pictify.io/image\"",
        "`https://api.pictify.io/image`",
        1,
    );
    let content = "const apiKey = process.env.NEXT_PUBLIC_PICTIFY_API_KEY;\nexport async function renderCard(title) {\n  return fetch('https://api.pictify.io/image', { headers: { Authorization: `Bearer ${apiKey}` } });\n}\n";
    let (c128, m128) = chunk_with_map(
        "128.3b460ae0.js",
        &code,
        "webpack://app/./lib/pictify.ts",
        (3, 59),
        content,
    );
    files.insert("/_next/static/chunks/128.3b460ae0.js".into(), js(c128));
    files.insert(
        "/_next/static/chunks/128.3b460ae0.js.map".into(),
        json(m128),
    );
    // A Stripe publishable key: meant for browsers, not reported.
    let (c828, m828) = chunk_with_map(
        "828.5c7c1bf7.js",
        &format!("const s=loadStripe(\"{stripe}\");"),
        "webpack://app/./lib/stripe.ts",
        (1, 30),
        &format!("const s = loadStripe(process.env.NEXT_PUBLIC_STRIPE_KEY);\n// was: new Pictify({{ apiKey: '{only_in_map}' }})\n"),
    );
    // The map's original text also carries a key the bundle dropped (a comment).
    files.insert("/_next/static/chunks/828.5c7c1bf7.js".into(), js(c828));
    files.insert(
        "/_next/static/chunks/828.5c7c1bf7.js.map".into(),
        json(m828),
    );
    // A pages-router page chunk named only by the build manifest.
    files.insert(
        format!("/_next/static/{build}/_buildManifest.js"),
        js(r#"self.__BUILD_MANIFEST={__rewrites:{afterFiles:[],beforeFiles:[],fallback:[]},"/dashboard":["static/chunks/pages/dashboard-9f8e.js"],sortedPages:["/_app","/_error","/dashboard"]},self.__BUILD_MANIFEST_CB&&self.__BUILD_MANIFEST_CB();"#),
    );
    files.insert(
        format!("/_next/static/{build}/_ssgManifest.js"),
        js("self.__SSG_MANIFEST=new Set([]);self.__SSG_MANIFEST_CB&&self.__SSG_MANIFEST_CB()"),
    );
    files.insert(
        "/_next/static/chunks/pages/dashboard-9f8e.js".into(),
        js(format!("(self.webpackChunk_app=self.webpackChunk_app||[]).push([[7],{{9:(e,t,n)=>{{const c={{pictifyKey:\"{page_chunk}\"}};}}}}]);")),
    );
    files.insert(
        "/dashboard".into(),
        html("<html><body>Dashboard</body></html>"),
    );
    files.insert("/loop-a".into(), Reply::Redirect("/loop-b".into()));
    files.insert("/loop-b".into(), Reply::Redirect("/loop-a".into()));
    let site = Site::files(files);
    NextSite {
        site,
        cdn,
        keys: vec![inline, lazy, page_chunk, cdn_key, only_in_map, stripe],
    }
}

#[test]
fn next_site_keys_in_lazy_chunks_inline_scripts_cdn_and_source_maps() {
    let s = next_site();
    let r = pkscan_url(&[
        "--format",
        "json",
        "-H",
        "X-Preview-Token: preview-secret",
        &s.site.url("/"),
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v = r.json();
    let keys: Vec<&str> = s.keys.iter().map(String::as_str).collect();
    let shown: Vec<String> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["key"].as_str().map(String::from))
        .collect();
    // The inline script, the lazy chunk, the page chunk only the build manifest
    // names, the CDN script, the key only in sourcesContent: all five, and the
    // Stripe key is not among them.
    assert_eq!(shown.len(), 5, "{v:#}");
    for k in &keys[..5] {
        let red = format!("{}…{}", &k[..10], &k[k.len() - 2..]);
        assert!(shown.contains(&red), "{red} not reported: {v:#}");
    }
    assert!(
        !r.stdout.contains(&keys[5][..20]),
        "the Stripe key is not reported"
    );
    for f in v["findings"].as_array().unwrap() {
        assert_eq!(f["context"], "client-js", "{f:#}");
    }
    // The inline script: the page, with line and column.
    let page = finding(&v, &format!("{}/", s.site.addr));
    assert_eq!(page["web"]["url"], s.site.url("/"));
    assert_eq!(page["line"], 1);
    assert!(page.get("severity").is_some_and(|x| x == "critical"));
    // The lazy chunk: asset URL with line and column, original file and line.
    let lazy = finding(&v, "/_next/static/chunks/128.3b460ae0.js");
    assert_eq!(lazy["line"], 1);
    assert!(lazy["column"].as_u64().unwrap() > 100);
    assert_eq!(
        lazy["web"]["original"]["source"],
        "webpack://app/lib/pictify.ts"
    );
    assert_eq!(lazy["web"]["original"]["line"], 3);
    assert_eq!(lazy["web"]["original"]["in_sources_content"], false);
    assert_eq!(
        lazy["web"]["found_via"],
        s.site.url("/_next/static/chunks/webpack-3f92.js")
    );
    // Only in the source map's sourcesContent: reported at the map, with its original path.
    let map = finding(&v, "/_next/static/chunks/828.5c7c1bf7.js.map");
    assert_eq!(
        map["web"]["original"]["source"],
        "webpack://app/lib/stripe.ts"
    );
    assert_eq!(map["web"]["original"]["line"], 2);
    assert_eq!(map["web"]["original"]["in_sources_content"], true);
    // The page chunk only the build manifest names.
    let dash = finding(&v, "/_next/static/chunks/pages/dashboard-9f8e.js");
    assert!(dash["web"]["found_via"]
        .as_str()
        .unwrap()
        .ends_with("_buildManifest.js"));
    // The script from the second origin.
    let cdn = finding(&v, "/widgets/v2/embed.js");
    assert!(cdn["path"].as_str().unwrap().starts_with(&s.cdn.origin()));
    // The redirect loop is a notice, and the audit went on.
    let notices = v["notices"].as_array().unwrap();
    assert!(
        notices
            .iter()
            .any(|n| n["path"].as_str().unwrap().ends_with("/loop-a")
                && n["reason"].as_str().unwrap().contains("redirect loop")),
        "{notices:#?}"
    );
    assert!(notices.iter().any(|n| n["category"] == "plain http"));
    assert_manners(&[&s.site, &s.cdn], &keys);
    // --header goes to the audited site only, never to the CDN.
    assert!(s
        .site
        .requests()
        .iter()
        .all(|r| r.header("x-preview-token") == Some("preview-secret")));
    assert!(s
        .cdn
        .requests()
        .iter()
        .all(|r| r.header("x-preview-token").is_none()));
    // Nothing was fetched twice; the linked page and the manifest's route were.
    let paths = s.site.paths();
    let mut dedup = paths.clone();
    dedup.sort();
    dedup.dedup();
    assert_eq!(paths.len(), dedup.len(), "{paths:?}");
    assert!(paths.contains(&"/about/".to_string()) && paths.contains(&"/dashboard".to_string()));
}

#[test]
fn every_format_shows_urls_and_original_sources() {
    let s = next_site();
    let sarif = pkscan_url(&["--format", "sarif", &s.site.url("/")]);
    assert_eq!(sarif.code, 1, "{}", sarif.stderr);
    let v: Value = serde_json::from_str(&sarif.stdout).unwrap();
    let schema: Value = serde_json::from_str(include_str!("../sarif-schema-2.1.0.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&v)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(errors.is_empty(), "SARIF schema errors: {errors:#?}");
    let results = v["runs"][0]["results"].as_array().unwrap();
    let lazy = results
        .iter()
        .find(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
                .ends_with("/128.3b460ae0.js")
        })
        .expect("a result at the chunk's URL");
    let loc = &lazy["locations"][0]["physicalLocation"];
    assert_eq!(
        loc["artifactLocation"]["uri"],
        s.site.url("/_next/static/chunks/128.3b460ae0.js")
    );
    assert!(loc["artifactLocation"].get("uriBaseId").is_none());
    let rel = &lazy["relatedLocations"][0]["physicalLocation"];
    assert_eq!(
        rel["artifactLocation"]["uri"],
        "webpack://app/lib/pictify.ts"
    );
    assert_eq!(rel["region"]["startLine"], 3);
    assert!(lazy["message"]["text"]
        .as_str()
        .unwrap()
        .contains("Original source: webpack://app/lib/pictify.ts:3"));
    let text = pkscan_url(&[&s.site.url("/")]);
    assert!(
        text.stdout
            .contains(&s.site.url("/_next/static/chunks/128.3b460ae0.js")),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout
            .contains("source: webpack://app/lib/pictify.ts:3:"),
        "{}",
        text.stdout
    );
    assert!(text.stdout.contains("via: "), "{}", text.stdout);
    assert!(!text.stdout.contains(&s.keys[1]), "keys are redacted");
}

#[test]
fn baselines_apply_to_url_findings() {
    let s = next_site();
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("baseline.json");
    let b = base.to_str().unwrap();
    let w = pkscan_url(&["--write-baseline", b, &s.site.url("/")]);
    assert_eq!(w.code, 0, "{}", w.stderr);
    let again = pkscan_url(&["--baseline", b, "--format", "json", &s.site.url("/")]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(again.json()["findings"].as_array().unwrap().len(), 0);
}

#[test]
fn cra_chunk_listed_only_in_the_asset_manifest() {
    let key = live_key(1510);
    let mut files: HashMap<String, Reply> = HashMap::new();
    files.insert("/".into(), html(r#"<!doctype html><html><head><script defer="defer" src="/static/js/main.8f8f1e6d.js"></script><link href="/static/css/main.073c9b0a.css" rel="stylesheet"></head><body><noscript>You need to enable JavaScript to run this app.</noscript><div id="root"></div></body></html>"#));
    files.insert(
        "/static/js/main.8f8f1e6d.js".into(),
        js("!function(){\"use strict\";var e={};console.log(\"app\")}();"),
    );
    files.insert(
        "/asset-manifest.json".into(),
        json(r#"{"files":{"main.css":"/static/css/main.073c9b0a.css","main.js":"/static/js/main.8f8f1e6d.js","static/js/787.28cb0dcd.chunk.js":"/static/js/787.28cb0dcd.chunk.js","index.html":"/index.html"},"entrypoints":["static/css/main.073c9b0a.css","static/js/main.8f8f1e6d.js"]}"#),
    );
    files.insert(
        "/static/js/787.28cb0dcd.chunk.js".into(),
        js(format!("\"use strict\";(self.webpackChunkcra=self.webpackChunkcra||[]).push([[787],{{787:(e,t,n)=>{{n.r(t);const r={{REACT_APP_PICTIFY_KEY:\"{key}\"}}}}}}]);")),
    );
    let site = Site::files(files);
    let r = pkscan_url(&["--format", "json", &site.url("/")]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v = r.json();
    let f = finding(&v, "/static/js/787.28cb0dcd.chunk.js");
    assert_eq!(f["web"]["found_via"], site.url("/asset-manifest.json"));
    assert_eq!(f["severity"], "critical");
    assert_manners(&[&site], &[&key]);
}

/// The real output of `vite build` (bench/url-fixtures.sh builds it from the npm
/// registry); the key is a placeholder of the right length, replaced here.
#[test]
fn real_vite_build_output() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/url/vite");
    let key = live_key(1520);
    let placeholder = format!("pk_live_{}", "X".repeat(32));
    let mut files: HashMap<String, Reply> = HashMap::new();
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else {
                out.push(p);
            }
        }
    }
    let mut all = Vec::new();
    walk(&root, &mut all);
    assert!(all.len() >= 5, "the fixture is there: {all:?}");
    for p in all {
        let rel = format!(
            "/{}",
            p.strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        );
        let body = std::fs::read_to_string(&p)
            .unwrap()
            .replace(&placeholder, &key);
        let ct = match p.extension().and_then(|e| e.to_str()) {
            Some("html") => "text/html",
            Some("js") => "text/javascript",
            _ => "application/json",
        };
        if rel == "/index.html" {
            files.insert("/".into(), Reply::Ok(ct, body.clone().into_bytes()));
        }
        files.insert(rel, Reply::Ok(ct, body.into_bytes()));
    }
    let site = Site::files(files);
    let r = pkscan_url(&["--format", "json", &site.url("/")]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v = r.json();
    let keys: Vec<&Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["key"].is_string())
        .collect();
    assert_eq!(keys.len(), 1, "{v:#}");
    let f = keys[0];
    assert!(
        f["path"].as_str().unwrap().contains("/assets/share-"),
        "{f:#}"
    );
    let o = &f["web"]["original"];
    assert_eq!(o["source"], "src/lib/pictify.ts", "{f:#}");
    assert_eq!(o["line"], 5, "the line that sends the key: {f:#}");
    assert_manners(&[&site], &[&key]);
}

#[test]
fn hostile_site_caps_hold() {
    let mut files: HashMap<String, Reply> = HashMap::new();
    let mut many = String::from("<html><body>");
    for i in 0..10_000 {
        many.push_str(&format!("<a href=\"/p/{i}\">{i}</a>"));
    }
    many.push_str("<script src=\"/endless.js\"></script><script src=\"/huge.js\"></script><a href=\"/loop-a\">loop</a></body></html>");
    files.insert("/".into(), html(many));
    files.insert("/endless.js".into(), Reply::Endless);
    files.insert("/huge.js".into(), Reply::Huge(200 * 1024 * 1024));
    files.insert("/loop-a".into(), Reply::Redirect("/loop-b".into()));
    files.insert("/loop-b".into(), Reply::Redirect("/loop-a".into()));
    let pages = Site::start(move |p| {
        files.get(p).cloned().or_else(|| {
            p.strip_prefix("/p/").map(|n| {
                html(format!(
                    "<html><body>page {n}<a href=\"/p/{}\">next</a></body></html>",
                    n.len()
                ))
            })
        })
    });
    let started = Instant::now();
    let r = pkscan_url(&[
        "--format",
        "json",
        "--max-pages",
        "20",
        "--max-response-size",
        "1M",
        "--request-timeout",
        "2s",
        "--rate",
        "200",
        "--concurrency",
        "8",
        &pages.url("/"),
    ]);
    let took = started.elapsed();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = r.json();
    let notices = v["notices"].as_array().unwrap();
    let reason = |path: &str, needle: &str| {
        notices.iter().any(|n| {
            n["path"].as_str().unwrap().ends_with(path)
                && n["reason"].as_str().unwrap().contains(needle)
        })
    };
    assert!(reason("/huge.js", "--max-response-size"), "{notices:#?}");
    assert!(reason("/endless.js", "--request-timeout"), "{notices:#?}");
    assert!(reason("/loop-a", "redirect loop"), "{notices:#?}");
    assert!(
        reason("(audit)", "--max-pages (20) reached"),
        "{notices:#?}"
    );
    let paths = pages.paths();
    let page_requests = paths.iter().filter(|p| p.starts_with("/p/")).count();
    // 20 pages in all: the start page, the redirect loop's first URL, 18 more.
    assert_eq!(page_requests, 18, "{paths:?}");
    // Of the 200 MB, about one megabyte was read (the rest sat in socket buffers
    // at most when the client hung up).
    assert!(pages.written.load(Ordering::SeqCst) < 64 * 1024 * 1024);
    assert!(v["summary"]["bytes_scanned"].as_u64().unwrap() < 3 * 1024 * 1024);
    assert!(took < Duration::from_secs(60), "{took:?}");
    assert_manners(&[&pages], &[]);
}

#[test]
fn request_total_and_time_caps_are_notices() {
    let site = Site::start(|p| {
        Some(match p {
            "/" => html(
                (0..50)
                    .map(|i| format!("<script src=\"/s{i}.js\"></script>"))
                    .collect::<String>(),
            ),
            _ => js("var x=1;"),
        })
    });
    let r = pkscan_url(&["--format", "json", "--max-requests", "5", &site.url("/")]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(site.requests().len(), 5);
    let notices = r.json()["notices"].clone();
    assert!(
        notices.to_string().contains("--max-requests (5) reached"),
        "{notices:#}"
    );
    let site = Site::start(|p| {
        Some(match p {
            "/" => html(
                (0..50)
                    .map(|i| format!("<script src=\"/t{i}.js\"></script>"))
                    .collect::<String>(),
            ),
            _ => js(vec![b'x'; 10_000]),
        })
    });
    let r = pkscan_url(&[
        "--format",
        "json",
        "--max-total-size",
        "50K",
        &site.url("/"),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = r.json();
    assert!(v["summary"]["bytes_scanned"].as_u64().unwrap() <= 50 * 1024);
    assert!(
        v["notices"]
            .to_string()
            .contains("--max-total-size (50 KiB) reached"),
        "{:#}",
        v["notices"]
    );
    // One request per second for two seconds: the deadline stops it.
    let started = Instant::now();
    let r = pkscan_url(&[
        "--format",
        "json",
        "--rate",
        "1",
        "--timeout",
        "2s",
        &site.url("/"),
    ]);
    assert!(started.elapsed() < Duration::from_secs(20));
    assert!(
        r.json()["notices"]
            .to_string()
            .contains("--timeout (2s) reached"),
        "{}",
        r.stdout
    );
}

#[test]
fn proxies_from_the_environment_are_honoured() {
    let key = live_key(1530);
    let body = format!("<html><script>const pictifyKey = \"{key}\";</script></html>");
    // The proxy answers for a host that does not resolve: only a request through
    // it can succeed.
    let proxy = Site::start(move |p| (p == "/").then(|| html(body.clone())));
    let proxy_url = proxy.origin();
    let r = pkscan_url_env(
        &["--format", "json", "http://site.invalid/"],
        &[("HTTP_PROXY", &proxy_url)],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    let seen = proxy.requests();
    assert_eq!(seen[0].target, "http://site.invalid/");
    assert_manners(&[&proxy], &[&key]);
    // NO_PROXY sends it direct, where the name does not resolve.
    let r = pkscan_url_env(
        &["http://site.invalid/"],
        &[
            ("HTTP_PROXY", &proxy_url),
            ("NO_PROXY", "localhost,.invalid"),
        ],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("cannot fetch http://site.invalid/"),
        "{}",
        r.stderr
    );
    assert_eq!(proxy.requests().len(), 1);
}

#[test]
fn a_public_site_cannot_make_the_audit_fetch_local_addresses() {
    // The page is on a "public" host (through the proxy); it points at a
    // loopback address, which is refused.
    let local = Site::start(|_| Some(js("var internal=1;")));
    let page = format!(
        "<html><script src=\"{}/metadata.js\"></script></html>",
        local.origin()
    );
    let proxy = Site::start(move |p| (p == "/").then(|| html(page.clone())));
    let r = pkscan_url_env(
        &["--format", "json", "http://site.invalid/"],
        &[("HTTP_PROXY", &proxy.origin())],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        local.requests().is_empty(),
        "nothing was sent to the local address"
    );
    assert!(
        r.json()["notices"]
            .to_string()
            .contains("on a local network"),
        "{}",
        r.stdout
    );
}

#[test]
fn urls_that_carry_keys_are_never_requested() {
    let key = live_key(1540);
    let body = format!(
        "<html><script src=\"/pictify-embed.js?key={key}\"></script><a href=\"/share?k={}\">x</a><script src=\"/b.js\"></script></html>",
        key.replace('_', "%5F")
    );
    let site = Site::start(move |p| {
        Some(if p == "/" {
            html(body.clone())
        } else {
            js("var b=1;")
        })
    });
    let r = pkscan_url(&["--format", "json", &site.url("/")]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_manners(&[&site], &[&key, &key.replace('_', "%5F")]);
    assert_eq!(site.paths(), ["/", "/b.js"]);
    assert!(r.json()["notices"].to_string().contains("carries a key"));
}

#[test]
fn unreachable_start_is_an_error_and_bad_arguments_are_refused() {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    drop(l);
    let r = pkscan_url(&[&format!("http://{addr}/")]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains(&format!("cannot fetch http://{addr}/")),
        "{}",
        r.stderr
    );
    let r = pkscan_url(&["ftp://example.com/"]);
    assert_eq!(r.code, 2);
    let r = pkscan_url(&["https://user:pw@example.com/"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--header"));
    assert!(!r.stderr.contains("pw@"));
}

#[test]
fn github_action_url_mode_annotates_the_original_source() {
    let s = next_site();
    let ws = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(ws.path().join("lib")).unwrap();
    std::fs::write(ws.path().join("lib/pictify.ts"), "export {}\n").unwrap();
    let gh = tempfile::tempdir().unwrap();
    let (output, summary) = (gh.path().join("output"), gh.path().join("summary.md"));
    let mut cmd = Command::new("python3");
    cmd.arg(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/action-scan.py"))
        .current_dir(ws.path())
        .env("PKSCAN_BIN", bin())
        .env("GITHUB_WORKSPACE", ws.path())
        .env("GITHUB_OUTPUT", &output)
        .env("GITHUB_STEP_SUMMARY", &summary);
    without_proxies(&mut cmd);
    for (k, v) in [
        ("MODE", "url"),
        ("URL", s.site.url("/").as_str()),
        ("PATH", ""),
        ("ARGS", ""),
        ("VERIFY", ""),
        ("MIN_SEVERITY", ""),
        ("FAIL_ON_FINDINGS", ""),
        ("SARIF_FILE", ""),
    ] {
        cmd.env(format!("INPUT_{k}"), v);
    }
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The lazy chunk's finding lands on the repository file the map names.
    assert!(
        stdout.contains("::error file=lib/pictify.ts,line=3,"),
        "{stdout}"
    );
    // Findings without a repository file are annotated on the run.
    assert!(
        stdout.contains("::error title=pkscan%3A pictify.api-key::"),
        "{stdout}"
    );
    for k in &s.keys {
        assert!(!stdout.contains(k.as_str()));
    }
    let outputs = std::fs::read_to_string(&output).unwrap();
    assert!(outputs.contains("findings=5"), "{outputs}");
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(
        md.contains(&format!("deployment `{}`", s.site.url("/"))),
        "{md}"
    );
    assert!(
        md.contains("(source: webpack://app/lib/pictify.ts:3)"),
        "{md}"
    );
    assert!(ws.path().join("pkscan.sarif").is_file());
}

#[test]
fn verify_checks_keys_found_on_a_site_with_the_api_only() {
    let key = live_key(1550);
    let page = format!("<html><script>new Pictify({{ apiKey: \"{key}\" }});</script></html>");
    let site = Site::start(move |p| (p == "/").then(|| html(page.clone())));
    let api = Site::start(|p| {
        p.starts_with("/templates").then(|| {
            Reply::Raw(
                401,
                vec![("Content-Type", "application/problem+json".into())],
                br#"{"type":"https://api.pictify.io/errors/invalid-api-key","title":"Invalid API key","status":401,"detail":"The API key is missing, malformed, revoked or deleted."}"#.to_vec(),
            )
        })
    });
    let r = pkscan_url(&[
        "--format",
        "json",
        "--verify",
        "--api-base",
        &api.origin(),
        &site.url("/"),
    ]);
    let v = r.json();
    let f = &v["findings"][0];
    assert_eq!(f["verification"]["status"], "inactive", "{v:#}");
    let seen = api.requests();
    assert_eq!(seen.len(), 1);
    assert_eq!(
        seen[0].header("authorization"),
        Some(format!("Bearer {key}").as_str())
    );
    assert_manners(&[&site], &[&key]);
}

#[test]
fn inline_source_maps_give_original_locations_too() {
    use base64::Engine as _;
    let (shipped, hidden) = (live_key(1560), live_key(1561));
    let code = format!("const c={{pictifyKey:\"{shipped}\"}};");
    let content = format!(
        "export const c = {{ pictifyKey: process.env.NEXT_PUBLIC_KEY }};\n// old: new Pictify({{ apiKey: '{hidden}' }})\n"
    );
    let (chunk, map) = chunk_with_map(
        "app.js",
        &code,
        "webpack://app/./src/config.ts",
        (1, 20),
        &content,
    );
    let inline = format!(
        "data:application/json;charset=utf-8;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(map)
    );
    let chunk = chunk.replace("app.js.map", &inline);
    let site = Site::start(move |p| {
        Some(match p {
            "/" => html("<html><script src=\"/app.js\"></script></html>"),
            "/app.js" => js(chunk.clone()),
            _ => return None,
        })
    });
    let r = pkscan_url(&["--format", "json", &site.url("/")]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v = r.json();
    let f = v["findings"].as_array().unwrap();
    assert_eq!(f.len(), 2, "{v:#}");
    for f in f {
        assert_eq!(f["path"], site.url("/app.js"));
        assert_eq!(
            f["web"]["original"]["source"],
            "webpack://app/src/config.ts"
        );
    }
    let hidden_at = f
        .iter()
        .find(|f| f["web"]["original"]["in_sources_content"] == true)
        .unwrap();
    assert_eq!(hidden_at["web"]["original"]["line"], 2);
    // Located at the inline map, on the script's last lines.
    assert_eq!(hidden_at["line"], 2);
    assert_eq!(
        site.paths(),
        ["/", "/app.js"],
        "nothing fetched for an inline map"
    );
}

#[test]
fn gzip_responses_are_decoded_within_the_size_cap() {
    use flate2::{write::GzEncoder, Compression};
    let key = live_key(1570);
    let gz = |text: &[u8]| {
        let mut e = GzEncoder::new(Vec::new(), Compression::default());
        e.write_all(text).unwrap();
        e.finish().unwrap()
    };
    let small = gz(format!("const pictifyKey = \"{key}\";").as_bytes());
    // 8 MiB of zeros compress to a few KiB: decoded, they are cut at the cap.
    let bomb = gz(&vec![b'0'; 8 * 1024 * 1024]);
    let site = Site::start(move |p| {
        let enc = |b: &Vec<u8>| {
            Reply::Raw(
                200,
                vec![
                    ("Content-Type", "application/javascript".into()),
                    ("Content-Encoding", "gzip".into()),
                ],
                b.clone(),
            )
        };
        Some(match p {
            "/" => html(
                "<html><script src=\"/a.js\"></script><script src=\"/bomb.js\"></script></html>",
            ),
            "/a.js" => enc(&small),
            "/bomb.js" => enc(&bomb),
            _ => return None,
        })
    });
    let r = pkscan_url(&[
        "--format",
        "json",
        "--max-response-size",
        "1M",
        &site.url("/"),
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v = r.json();
    assert!(finding(&v, "/a.js")["key"].is_string());
    assert!(
        v["notices"].to_string().contains("--max-response-size"),
        "{:#}",
        v["notices"]
    );
    assert!(v["summary"]["bytes_scanned"].as_u64().unwrap() < 2 * 1024 * 1024);
    let seen = site.requests();
    assert!(seen
        .iter()
        .all(|r| r.header("accept-encoding") == Some("gzip")));
}

#[test]
fn html_report_links_the_asset_a_site_served() {
    let key = live_key(1560);
    let page = "<html><script src=\"/app.js\"></script></html>".to_string();
    let script = format!("new Pictify({{ apiKey: \"{key}\" }});");
    let site = Site::start(move |p| match p {
        "/" => Some(html(page.clone())),
        "/app.js" => Some(Reply::Raw(
            200,
            vec![("Content-Type", "application/javascript".into())],
            script.clone().into_bytes(),
        )),
        _ => None,
    });
    let r = pkscan_url(&["--format", "html", &site.url("/")]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        r.stdout.matches("<tr class=\"finding").count(),
        1,
        "{}",
        r.stdout
    );
    let asset = site.url("/app.js");
    assert!(
        r.stdout.contains(&format!("<a href=\"{asset}\"")),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains(&key));
}
