//! The HTTP side of `pkscan url`: GET requests only, with every cap enforced
//! here (requests, total and per-response bytes, redirects, per-request timeout,
//! overall deadline, request rate), redirects followed by hand so each hop is
//! checked, proxies from the environment (`HTTPS_PROXY`, `HTTP_PROXY`,
//! `ALL_PROXY`, `NO_PROXY`), no cookies, and no URL that carries a key.
use crate::verify::limiter::Limiter;
use std::io::Read;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use url::Url;

/// The caps of one audit. Every one has a flag (see `pkscan url --help`).
#[derive(Clone, Debug)]
pub struct Limits {
    /// HTTP requests in all, redirects included.
    pub max_requests: u64,
    /// Bytes of all response bodies together.
    pub max_total_bytes: u64,
    /// Bytes read of one response body; the rest is not read.
    pub max_response_bytes: u64,
    /// Redirects followed for one URL.
    pub max_redirects: u32,
    /// Time for one request, body included.
    pub request_timeout: Duration,
    /// Time for the whole audit.
    pub deadline: Duration,
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Requests started per second, in total.
    pub rate: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_requests: 1000,
            max_total_bytes: 512 * 1024 * 1024,
            max_response_bytes: 64 * 1024 * 1024,
            max_redirects: 10,
            request_timeout: Duration::from_secs(30),
            deadline: Duration::from_secs(300),
            concurrency: 4,
            rate: 10,
        }
    }
}

/// A cap that stops the audit from making more requests.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Cap {
    Requests,
    TotalBytes,
    Deadline,
}

/// A response body as far as it was read.
#[derive(Debug)]
pub struct Fetched {
    /// Where the body came from (after redirects).
    pub url: Url,
    pub status: u16,
    /// Lower case, without parameters.
    pub content_type: String,
    pub body: Vec<u8>,
    /// Why the body is incomplete, if it is.
    pub cut: Option<Cut>,
    /// The `SourceMap` (or `X-SourceMap`) header.
    pub source_map: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cut {
    /// `--max-response-size` reached.
    ResponseSize,
    /// `--max-total-size` reached while reading.
    TotalSize,
    /// The request timed out while the body was arriving.
    Timeout,
    /// The connection broke while the body was arriving.
    Broken,
}

/// Why nothing (usable) came back.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("not fetched: {0:?} cap reached")]
    Cap(Cap),
    #[error("not fetched: {0}")]
    Refused(String),
    #[error("redirect loop ({0} redirects, back to a URL already visited)")]
    RedirectLoop(u32),
    #[error("more than {0} redirects (--max-redirects)")]
    TooManyRedirects(u32),
    #[error("no answer within the request timeout")]
    Timeout,
    #[error("{0}")]
    Connection(String),
}

/// What the request is for: it sets `Accept`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Want {
    Page,
    Script,
    Json,
}

/// One shared client for all workers of an audit.
pub struct Fetcher {
    direct: ureq::Agent,
    /// Agents per proxy URL (`HTTPS_PROXY` and `HTTP_PROXY` may differ).
    proxied: Vec<(String, ureq::Agent)>,
    proxies: ProxyEnv,
    limits: Limits,
    limiter: Limiter,
    started: Instant,
    requests: AtomicU64,
    bytes: AtomicU64,
    headers: Vec<(String, String)>,
    /// Origins that receive `headers` (the audited site's), as `scheme://host:port`.
    header_origins: Mutex<Vec<String>>,
    /// Secrets found so far: no URL carrying one is ever requested.
    secrets: Mutex<Vec<String>>,
    user_agent: String,
    allow_local: bool,
}

/// `pkscan/<version> (+<project page>)`: says who is asking and why.
pub fn user_agent() -> String {
    format!(
        "pkscan/{} (secret audit of a site by its owner; +https://github.com/pictify/pkscan)",
        env!("CARGO_PKG_VERSION")
    )
}

impl Fetcher {
    /// `allow_local`: addresses on loopback and private networks may be reached
    /// (the audited site is on one). Otherwise a public site's page cannot make
    /// the audit fetch from the network it runs on (a cloud metadata address).
    pub fn new(
        limits: Limits,
        headers: Vec<(String, String)>,
        allow_local: bool,
    ) -> Result<Fetcher, String> {
        let proxies = ProxyEnv::from_env()?;
        let base = || {
            ureq::AgentBuilder::new()
                .redirects(0)
                .try_proxy_from_env(false)
                .max_idle_connections_per_host(limits.concurrency.max(1))
        };
        let direct = base().resolver(GuardedResolver { allow_local }).build();
        let mut proxied = Vec::new();
        for p in [&proxies.https, &proxies.http].into_iter().flatten() {
            if proxied.iter().any(|(u, _)| u == p) {
                continue;
            }
            let proxy =
                ureq::Proxy::new(p).map_err(|e| format!("proxy {}: {e}", redact_userinfo(p)))?;
            proxied.push((p.clone(), base().proxy(proxy).build()));
        }
        let per_minute = limits.rate.max(1).saturating_mul(60);
        Ok(Fetcher {
            direct,
            proxied,
            proxies,
            limiter: Limiter::new(per_minute),
            limits,
            started: Instant::now(),
            requests: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
            headers,
            header_origins: Mutex::new(Vec::new()),
            secrets: Mutex::new(Vec::new()),
            user_agent: user_agent(),
            allow_local,
        })
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Requests made and body bytes read so far.
    pub fn usage(&self) -> (u64, u64) {
        (
            self.requests.load(Ordering::SeqCst),
            self.bytes.load(Ordering::SeqCst),
        )
    }

    fn deadline(&self) -> Instant {
        self.started + self.limits.deadline
    }

    /// `--header` values go to this origin from now on.
    pub fn trust_origin(&self, url: &Url) {
        let o = url.origin().ascii_serialization();
        let mut v = self
            .header_origins
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if !v.contains(&o) {
            v.push(o);
        }
    }

    /// No URL containing `secret` will be requested.
    pub fn remember_secret(&self, secret: &str) {
        let mut v = self.secrets.lock().unwrap_or_else(|e| e.into_inner());
        if !v.iter().any(|s| s == secret) {
            v.push(secret.to_string());
        }
    }

    /// Why `url` must not be requested, if it must not.
    pub fn refusal(&self, url: &Url) -> Option<String> {
        if !matches!(url.scheme(), "http" | "https") {
            return Some(format!("unsupported scheme {}:", url.scheme()));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Some("the URL carries credentials".into());
        }
        let raw = url.as_str();
        let decoded = super::discover::percent_decode(raw);
        if key_like(raw) || key_like(&decoded) {
            return Some("the URL carries a key (it is reported where the URL appears)".into());
        }
        let secrets = self.secrets.lock().unwrap_or_else(|e| e.into_inner());
        if secrets
            .iter()
            .any(|s| raw.contains(s.as_str()) || decoded.contains(s.as_str()))
        {
            return Some("the URL carries a secret found in this audit".into());
        }
        None
    }

    /// Reserves one request against `--max-requests`.
    fn take_request(&self) -> Result<(), Cap> {
        self.requests
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                (n < self.limits.max_requests).then_some(n + 1)
            })
            .map(|_| ())
            .map_err(|_| Cap::Requests)
    }

    /// Reserves up to `want` bytes against `--max-total-size`; 0 when spent.
    fn take_bytes(&self, want: u64) -> u64 {
        let mut got = 0;
        let _ = self
            .bytes
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                got = want.min(self.limits.max_total_bytes.saturating_sub(n));
                Some(n + got)
            });
        got
    }

    fn give_back_bytes(&self, n: u64) {
        self.bytes.fetch_sub(n, Ordering::SeqCst);
    }

    /// Whether the total-bytes cap is spent.
    pub fn bytes_spent(&self) -> bool {
        self.bytes.load(Ordering::SeqCst) >= self.limits.max_total_bytes
    }

    fn agent_for(&self, url: &Url) -> &ureq::Agent {
        match self.proxies.for_url(url) {
            Some(p) => self
                .proxied
                .iter()
                .find(|(u, _)| u == p)
                .map_or(&self.direct, |(_, a)| a),
            None => &self.direct,
        }
    }

    /// GETs `url`, following redirects (each hop checked and counted). `same_site`
    /// says which redirect targets are acceptable (pages stay on the site).
    pub fn get(
        &self,
        url: &Url,
        want: Want,
        same_site: Option<&dyn Fn(&Url) -> bool>,
    ) -> Result<Fetched, FetchError> {
        let mut chain: Vec<Url> = Vec::new();
        let mut current = url.clone();
        let mut retried = false;
        loop {
            if let Some(why) = self.refusal(&current) {
                return Err(FetchError::Refused(why));
            }
            if let Some(why) = local_refusal(&current, self.allow_local) {
                return Err(FetchError::Refused(why));
            }
            let deadline = self.deadline();
            if Instant::now() >= deadline {
                return Err(FetchError::Cap(Cap::Deadline));
            }
            if self.bytes_spent() {
                return Err(FetchError::Cap(Cap::TotalBytes));
            }
            self.take_request().map_err(FetchError::Cap)?;
            if self.limiter.acquire(deadline).is_err() {
                return Err(FetchError::Cap(Cap::Deadline));
            }
            let timeout = self
                .limits
                .request_timeout
                .min(deadline.saturating_duration_since(Instant::now()));
            let mut req = self
                .agent_for(&current)
                .get(current.as_str())
                .timeout(timeout)
                .set("User-Agent", &self.user_agent)
                .set("Accept-Encoding", "gzip")
                .set(
                    "Accept",
                    match want {
                        Want::Page => "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8",
                        Want::Script => "*/*",
                        Want::Json => "application/json,*/*;q=0.8",
                    },
                );
            let origin = current.origin().ascii_serialization();
            let trusted = self
                .header_origins
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .contains(&origin);
            if trusted {
                for (k, v) in &self.headers {
                    req = req.set(k, v);
                }
            }
            let resp = match req.call() {
                Ok(r) | Err(ureq::Error::Status(_, r)) => r,
                Err(ureq::Error::Transport(t)) => return Err(transport_error(&t)),
            };
            let status = resp.status();
            if (300..400).contains(&status) && status != 304 {
                if let Some(loc) = resp.header("location") {
                    let next = current.join(loc.trim()).map_err(|e| {
                        FetchError::Connection(format!("HTTP {status} with a bad Location ({e})"))
                    })?;
                    chain.push(current.clone());
                    let hops = chain.len() as u32;
                    if chain
                        .iter()
                        .any(|u| strip_fragment(u) == strip_fragment(&next))
                    {
                        return Err(FetchError::RedirectLoop(hops));
                    }
                    if hops > self.limits.max_redirects {
                        return Err(FetchError::TooManyRedirects(self.limits.max_redirects));
                    }
                    if let Some(ok) = same_site {
                        if !ok(&next) {
                            return Err(FetchError::Refused(format!(
                                "redirected off the site, to {}",
                                next.origin().ascii_serialization()
                            )));
                        }
                    }
                    current = next;
                    continue;
                }
            }
            // Asked to slow down: wait as told (within reason) and try once more.
            if (status == 429 || status == 503) && !retried {
                let wait = resp
                    .header("retry-after")
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .map(Duration::from_secs)
                    .filter(|w| *w <= Duration::from_secs(30));
                if let Some(w) = wait {
                    self.limiter.pause_until(Instant::now() + w);
                    retried = true;
                    continue;
                }
            }
            return Ok(self.read(current, status, resp));
        }
    }

    fn read(&self, url: Url, status: u16, resp: ureq::Response) -> Fetched {
        let content_type = resp
            .header("content-type")
            .unwrap_or("")
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        let source_map = resp
            .header("sourcemap")
            .or(resp.header("x-sourcemap"))
            .map(|s| s.trim().to_string());
        let gzip = resp
            .header("content-encoding")
            .is_some_and(|e| e.trim().eq_ignore_ascii_case("gzip"));
        let reader = resp.into_reader();
        let mut reader: Box<dyn Read> = if gzip {
            Box::new(flate2::read::GzDecoder::new(reader))
        } else {
            Box::new(reader)
        };
        let max = self.limits.max_response_bytes;
        let mut body = Vec::new();
        let mut cut = None;
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let room = max.saturating_sub(body.len() as u64);
            if room == 0 {
                // One byte more says whether there was more.
                let mut one = [0u8; 1];
                if matches!(reader.read(&mut one), Ok(n) if n > 0) {
                    cut = Some(Cut::ResponseSize);
                }
                break;
            }
            let want = room.min(buf.len() as u64);
            let got = self.take_bytes(want);
            if got == 0 {
                cut = Some(Cut::TotalSize);
                break;
            }
            match reader.read(&mut buf[..got as usize]) {
                Ok(0) => {
                    self.give_back_bytes(got);
                    break;
                }
                Ok(n) => {
                    self.give_back_bytes(got - n as u64);
                    body.extend_from_slice(&buf[..n]);
                }
                Err(e) => {
                    self.give_back_bytes(got);
                    cut = Some(match e.kind() {
                        std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => {
                            Cut::Timeout
                        }
                        _ => Cut::Broken,
                    });
                    break;
                }
            }
        }
        Fetched {
            url,
            status,
            content_type,
            body,
            cut,
            source_map,
        }
    }
}

fn strip_fragment(u: &Url) -> Url {
    let mut u = u.clone();
    u.set_fragment(None);
    u
}

/// A `pk_live_`/`pk_test_` string long enough to be a key.
fn key_like(s: &str) -> bool {
    let mut rest = s;
    while let Some(i) = rest.find("pk_") {
        let tail = &rest[i + 3..];
        if let Some(body) = tail.strip_prefix("live_").or(tail.strip_prefix("test_")) {
            let n = body
                .bytes()
                .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-')
                .count();
            if n >= 8 {
                return true;
            }
        }
        rest = tail;
    }
    false
}

fn transport_error(t: &ureq::Transport) -> FetchError {
    let mut source: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(t);
    while let Some(e) = source {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            if matches!(
                io.kind(),
                std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
            ) {
                return FetchError::Timeout;
            }
            if io.to_string().starts_with(LOCAL_REFUSED) {
                return FetchError::Refused(io.to_string());
            }
        }
        source = e.source();
    }
    let mut msg = t.kind().to_string();
    if let Some(m) = t.message() {
        msg.push_str(": ");
        msg.push_str(m);
    }
    FetchError::Connection(msg)
}

const LOCAL_REFUSED: &str = "on a local network";

/// Loopback, private, link-local, shared and unspecified addresses.
pub fn is_local(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || (o[0] == 100 && (64..128).contains(&o[1]))
                || o[0] == 0
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_local(IpAddr::V4(v4));
            }
            let s = v6.segments();
            v6.is_loopback()
                || v6.is_unspecified()
                || (s[0] & 0xfe00) == 0xfc00
                || (s[0] & 0xffc0) == 0xfe80
        }
    }
}

/// Whether a host (name or address) is on a local network, resolving names.
pub fn host_is_local(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => is_local(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => is_local(IpAddr::V6(ip)),
        Some(url::Host::Domain(d)) => {
            d.eq_ignore_ascii_case("localhost")
                || (d, url.port_or_known_default().unwrap_or(443))
                    .to_socket_addrs()
                    .is_ok_and(|mut a| a.any(|a| is_local(a.ip())))
        }
        None => false,
    }
}

/// A literal local address in a URL when local addresses are off limits (names
/// are checked by [`GuardedResolver`] when they resolve, or by the proxy).
fn local_refusal(url: &Url, allow_local: bool) -> Option<String> {
    let ip = match url.host()? {
        url::Host::Ipv4(ip) => IpAddr::V4(ip),
        url::Host::Ipv6(ip) => IpAddr::V6(ip),
        url::Host::Domain(d) if d.eq_ignore_ascii_case("localhost") => {
            IpAddr::V4(std::net::Ipv4Addr::LOCALHOST)
        }
        url::Host::Domain(_) => return None,
    };
    (!allow_local && is_local(ip))
        .then(|| format!("{LOCAL_REFUSED} address {ip}; the audited site is not"))
}

/// Resolves names, dropping local addresses unless the audited site is local.
struct GuardedResolver {
    allow_local: bool,
}

impl ureq::Resolver for GuardedResolver {
    fn resolve(&self, netloc: &str) -> std::io::Result<Vec<SocketAddr>> {
        let all: Vec<SocketAddr> = netloc.to_socket_addrs()?.collect();
        if self.allow_local {
            return Ok(all);
        }
        let public: Vec<SocketAddr> = all.iter().copied().filter(|a| !is_local(a.ip())).collect();
        if public.is_empty() && !all.is_empty() {
            return Err(std::io::Error::other(format!(
                "{LOCAL_REFUSED} address {}; the audited site is not",
                all[0].ip()
            )));
        }
        Ok(public)
    }
}

/// Proxies from the environment, as curl and most tools read them.
#[derive(Debug, Default)]
struct ProxyEnv {
    https: Option<String>,
    http: Option<String>,
    no_proxy: Vec<String>,
}

impl ProxyEnv {
    fn from_env() -> Result<ProxyEnv, String> {
        let var = |names: &[&str]| {
            names
                .iter()
                .find_map(|n| std::env::var(n).ok().filter(|v| !v.trim().is_empty()))
        };
        let all = var(&["ALL_PROXY", "all_proxy"]);
        let https = var(&["HTTPS_PROXY", "https_proxy"]).or(all.clone());
        let http = var(&["http_proxy", "HTTP_PROXY"]).or(all);
        for p in [&https, &http].into_iter().flatten() {
            let scheme = p.split_once("://").map_or("http", |(s, _)| s);
            if scheme != "http" {
                return Err(format!(
                    "proxy {}: only http:// proxies are supported (CONNECT is used for https:// sites)",
                    redact_userinfo(p)
                ));
            }
        }
        let no_proxy = var(&["NO_PROXY", "no_proxy"])
            .unwrap_or_default()
            .split(',')
            .map(|s| s.trim().trim_start_matches('.').to_ascii_lowercase())
            .filter(|s| !s.is_empty())
            .collect();
        Ok(ProxyEnv {
            https,
            http,
            no_proxy,
        })
    }

    /// The proxy for `url`, if one applies. Loopback is never proxied (as in Go's
    /// and most tools' defaults); `NO_PROXY` lists hosts, domain suffixes
    /// (`example.com` covers `a.example.com`), `host:port`, or `*`.
    fn for_url(&self, url: &Url) -> Option<&String> {
        let p = match url.scheme() {
            "https" => self.https.as_ref(),
            _ => self.http.as_ref(),
        }?;
        let host = url
            .host_str()?
            .trim_matches(['[', ']'])
            .to_ascii_lowercase();
        let loopback =
            host == "localhost" || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
        if loopback {
            return None;
        }
        let port = url.port_or_known_default();
        let excluded = self.no_proxy.iter().any(|e| {
            if e == "*" {
                return true;
            }
            let (h, want_port) = match e.rsplit_once(':') {
                Some((h, p)) if !h.contains(':') || h.ends_with(']') => (h, p.parse::<u16>().ok()),
                _ => (e.as_str(), None),
            };
            let h = h.trim_matches(['[', ']']);
            (host == h || host.ends_with(&format!(".{h}")))
                && want_port.is_none_or(|wp| Some(wp) == port)
        });
        (!excluded).then_some(p)
    }
}

/// A proxy URL for messages, without its user and password.
fn redact_userinfo(p: &str) -> String {
    match (p.find("://"), p.rfind('@')) {
        (Some(s), Some(a)) if a > s => format!("{}://…@{}", &p[..s], &p[a + 1..]),
        (None, Some(a)) => format!("…@{}", &p[a + 1..]),
        _ => p.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(https: Option<&str>, http: Option<&str>, no: &str) -> ProxyEnv {
        ProxyEnv {
            https: https.map(String::from),
            http: http.map(String::from),
            no_proxy: no
                .split(',')
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect(),
        }
    }

    #[test]
    fn proxy_choice_honours_no_proxy() {
        let u = |s: &str| Url::parse(s).unwrap();
        let e = env(
            Some("http://p:3128"),
            Some("http://q:3128"),
            "internal.example,b.example:8443",
        );
        assert_eq!(
            e.for_url(&u("https://site.example/")).map(String::as_str),
            Some("http://p:3128")
        );
        assert_eq!(
            e.for_url(&u("http://site.example/")).map(String::as_str),
            Some("http://q:3128")
        );
        assert_eq!(e.for_url(&u("https://x.internal.example/")), None);
        assert_eq!(e.for_url(&u("https://internal.example/")), None);
        assert!(e.for_url(&u("https://notinternal.example/")).is_some());
        assert_eq!(e.for_url(&u("https://b.example:8443/")), None);
        assert!(e.for_url(&u("https://b.example/")).is_some());
        assert_eq!(e.for_url(&u("http://127.0.0.1:8080/")), None);
        assert_eq!(e.for_url(&u("http://localhost/")), None);
        assert_eq!(
            env(Some("http://p"), None, "*").for_url(&u("https://a.example/")),
            None
        );
        assert_eq!(env(None, None, "").for_url(&u("https://a.example/")), None);
    }

    #[test]
    fn local_addresses() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:10.0.0.1",
        ] {
            assert!(is_local(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["8.8.8.8", "172.32.0.1", "2606:4700::1111"] {
            assert!(!is_local(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn keys_in_urls_and_headers() {
        assert!(key_like("https://s.example/x.js?k=pk_live_Ab3dEfGh12"));
        assert!(!key_like("https://s.example/pk_live_/x.js"));
        assert!(!key_like("https://s.example/pk_test_ab"));
        assert_eq!(
            redact_userinfo("http://u:p@proxy:3128"),
            "http://…@proxy:3128"
        );
    }
}
