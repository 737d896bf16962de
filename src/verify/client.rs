//! The HTTP side of verification: the validated API base (HTTPS only, plain HTTP
//! only to loopback), one blocking `GET /templates?limit=1` per attempt with the key
//! in the `Authorization` header and redirects never followed, and the reading of
//! the answer (status, problem body, rate-limit headers) into a verdict.
use super::time::parse_http_date;
use super::{Status, VerifyError};
use std::io::Read;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The Pictify API used when neither `--api-base` nor `PKSCAN_API_BASE` is set.
pub const DEFAULT_API_BASE: &str = "https://api.pictify.io";

/// The endpoint checked: it lists templates without rendering, so it costs no
/// render quota.
const PROBE_PATH: &str = "/templates?limit=1";

/// Bodies are only inspected for their problem-JSON shape; more is never needed.
const MAX_BODY: u64 = 64 * 1024;

/// An API base that is safe to send keys to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiBase {
    /// Without a trailing slash.
    url: String,
    /// `scheme://host[:port]`, for messages.
    origin: String,
}

impl ApiBase {
    /// Validates a base URL. `from` names where it came from (`--api-base`,
    /// `PKSCAN_API_BASE`) so the error can say what to fix. Errors echo only the
    /// scheme, host and port, never a path or query someone may have put a key in.
    pub fn parse(raw: &str, from: &'static str) -> Result<ApiBase, VerifyError> {
        let invalid = |reason: String| VerifyError::InvalidBase { from, reason };
        let url = url::Url::parse(raw.trim()).map_err(|e| {
            invalid(format!(
                "not a URL ({e}); expected something like {DEFAULT_API_BASE}"
            ))
        })?;
        let host = url
            .host()
            .ok_or_else(|| invalid("the URL has no host".into()))?;
        let origin = match url.port() {
            Some(p) => format!("{}://{}:{p}", url.scheme(), host),
            None => format!("{}://{}", url.scheme(), host),
        };
        if !url.username().is_empty() || url.password().is_some() {
            return Err(invalid(format!(
                "{origin}: credentials in the URL are not allowed; the key is sent in the Authorization header"
            )));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(invalid(format!(
                "{origin}: the base must not have a query or fragment"
            )));
        }
        match url.scheme() {
            "https" => {}
            "http" if is_loopback(&host) => {}
            "http" => return Err(VerifyError::InsecureBase { from, origin }),
            other => {
                return Err(invalid(format!(
                    "{origin}: unsupported scheme {other:?}; use https://"
                )))
            }
        }
        let url = url.as_str().trim_end_matches('/').to_string();
        Ok(ApiBase { url, origin })
    }

    /// `scheme://host[:port]` of the base (safe to print).
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The full URL of the probe request.
    pub fn probe_url(&self) -> String {
        format!("{}{PROBE_PATH}", self.url)
    }
}

fn is_loopback(host: &url::Host<&str>) -> bool {
    match host {
        url::Host::Domain(d) => d.eq_ignore_ascii_case("localhost"),
        url::Host::Ipv4(ip) => Ipv4Addr::is_loopback(ip),
        url::Host::Ipv6(ip) => Ipv6Addr::is_loopback(ip),
    }
}

/// What one request brought back.
#[derive(Debug)]
pub enum Reply {
    Http(HttpReply),
    /// No complete answer within the request timeout.
    Timeout,
    /// DNS, TCP or TLS failure; the text never contains the key.
    Connection(String),
}

/// An HTTP answer, reduced to what verification looks at.
#[derive(Debug, Default)]
pub struct HttpReply {
    pub status: u16,
    pub content_type: String,
    pub body: Vec<u8>,
    /// `Retry-After`, as a wait from now.
    pub retry_after: Option<Duration>,
    /// Set when `X-RateLimit-Remaining` is 0: the wait until `X-RateLimit-Reset`.
    pub rate_limit_reset: Option<Duration>,
}

/// A blocking client for the probe request. Cheap to share between threads.
pub struct Client {
    agent: ureq::Agent,
    url: String,
}

impl Client {
    pub fn new(base: &ApiBase) -> Client {
        let agent = ureq::AgentBuilder::new()
            // A redirect could carry the request (and, with other clients, the
            // key) elsewhere: never follow one, report it.
            .redirects(0)
            // Proxies from the environment are not used: a plain-HTTP proxy
            // would see the key.
            .try_proxy_from_env(false)
            .user_agent(&user_agent())
            .build();
        Client {
            agent,
            url: base.probe_url(),
        }
    }

    /// Sends the probe for `key`, giving up after `timeout`.
    pub fn probe(&self, key: &str, timeout: Duration) -> Reply {
        let result = self
            .agent
            .get(&self.url)
            .timeout(timeout)
            .set("Authorization", &format!("Bearer {key}"))
            .set("Accept", "application/json, application/problem+json")
            .call();
        let resp = match result {
            Ok(r) | Err(ureq::Error::Status(_, r)) => r,
            Err(ureq::Error::Transport(t)) => return transport_reply(&t),
        };
        let header = |name: &str| resp.header(name).map(str::trim).map(str::to_string);
        let now = SystemTime::now();
        let retry_after = header("retry-after").and_then(|v| parse_retry_after(&v, now));
        let rate_limit_reset = match header("x-ratelimit-remaining").as_deref() {
            Some("0") => Some(
                header("x-ratelimit-reset")
                    .and_then(|v| parse_reset(&v, now))
                    .unwrap_or(Duration::from_secs(1)),
            ),
            _ => None,
        };
        let status = resp.status();
        let content_type = resp.content_type().to_ascii_lowercase();
        let mut body = Vec::new();
        if let Err(e) = resp.into_reader().take(MAX_BODY).read_to_end(&mut body) {
            if e.kind() == std::io::ErrorKind::TimedOut {
                return Reply::Timeout;
            }
            // A truncated body is judged on what arrived; an unreadable one is
            // not a Pictify problem body, so the verdict will be `unknown`.
        }
        Reply::Http(HttpReply {
            status,
            content_type,
            body,
            retry_after,
            rate_limit_reset,
        })
    }
}

/// `pkscan/<version>`.
pub fn user_agent() -> String {
    format!("pkscan/{}", env!("CARGO_PKG_VERSION"))
}

fn transport_reply(t: &ureq::Transport) -> Reply {
    let mut source: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(t);
    while let Some(e) = source {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            if matches!(
                io.kind(),
                std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
            ) {
                return Reply::Timeout;
            }
        }
        source = e.source();
    }
    // The transport error's text names the URL and the cause, never headers.
    let mut msg = t.kind().to_string();
    if let Some(m) = t.message() {
        msg = format!("{msg}: {m}");
    }
    if let Some(src) = std::error::Error::source(t) {
        msg = format!("{msg}: {src}");
    }
    Reply::Connection(msg)
}

/// `Retry-After: 120` or `Retry-After: <HTTP date>`.
pub fn parse_retry_after(v: &str, now: SystemTime) -> Option<Duration> {
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = parse_http_date(v)?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// `X-RateLimit-Reset` comes in two conventions: seconds until the reset, or the
/// reset time in Unix seconds. Values that can only be timestamps (after 2001)
/// are read as such.
pub fn parse_reset(v: &str, now: SystemTime) -> Option<Duration> {
    let n: u64 = v.split('.').next()?.parse().ok()?;
    if n >= 1_000_000_000 {
        let at = UNIX_EPOCH + Duration::from_secs(n);
        Some(at.duration_since(now).unwrap_or(Duration::ZERO))
    } else {
        Some(Duration::from_secs(n))
    }
}

/// What an answer (other than 429, which is retried) says about a key.
pub fn judge(r: &HttpReply) -> (Status, String) {
    match r.status {
        200 if serde_json::from_slice::<serde_json::Value>(&r.body).is_ok() => {
            (Status::Active, "the key works".into())
        }
        200 => (
            Status::Unknown,
            format!(
                "HTTP 200 with an unexpected body ({}); not the Pictify API?",
                describe(r)
            ),
        ),
        401 if is_problem(r) => (Status::Inactive, "already revoked; remove it".into()),
        403 if is_problem(r) => (
            Status::Active,
            "the key is valid (it lacks permission for /templates)".into(),
        ),
        401 | 403 => (
            Status::Unknown,
            format!(
                "HTTP {} without a Pictify problem body ({}); a proxy or firewall answered?",
                r.status,
                describe(r)
            ),
        ),
        300..=399 => (
            Status::Unknown,
            format!("HTTP {} redirect not followed: check --api-base", r.status),
        ),
        429 => (
            Status::Unknown,
            "rate limited (HTTP 429) after the retry budget".into(),
        ),
        500..=599 => (Status::Unknown, format!("server error (HTTP {})", r.status)),
        s => (
            Status::Unknown,
            format!("unexpected HTTP {s} ({})", describe(r)),
        ),
    }
}

/// A Pictify error answer: RFC 9457 problem JSON (by content type, or a JSON
/// object with a `type` member).
pub fn is_problem(r: &HttpReply) -> bool {
    let Ok(serde_json::Value::Object(obj)) = serde_json::from_slice(&r.body) else {
        return false;
    };
    r.content_type == "application/problem+json"
        || obj.get("type").is_some_and(serde_json::Value::is_string)
}

fn describe(r: &HttpReply) -> String {
    if r.content_type.is_empty() {
        format!("{} bytes, no content type", r.body.len())
    } else {
        format!("{} bytes of {}", r.body.len(), r.content_type)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(status: u16, ct: &str, body: &str) -> HttpReply {
        HttpReply {
            status,
            content_type: ct.into(),
            body: body.as_bytes().to_vec(),
            ..HttpReply::default()
        }
    }

    const PROBLEM: &str = r#"{"type":"https://docs.pictify.io/errors/invalid-api-key","title":"Invalid API key","status":401}"#;

    #[test]
    fn accepts_https_and_loopback_http_only() {
        let ok = [
            "https://api.pictify.io",
            "https://api.pictify.io/",
            "https://example.test:8443/v1/",
            "http://127.0.0.1:8080",
            "http://127.10.0.3",
            "http://[::1]:9000",
            "http://localhost:1234",
            "http://LOCALHOST",
        ];
        for b in ok {
            ApiBase::parse(b, "--api-base").unwrap_or_else(|e| panic!("{b}: {e}"));
        }
        let insecure = [
            "http://api.pictify.io",
            "http://0.0.0.0:8080",
            "http://10.0.0.1",
            "http://[::ffff:127.0.0.1]",
            "http://localhost.example.com",
        ];
        for b in insecure {
            assert!(
                matches!(
                    ApiBase::parse(b, "--api-base"),
                    Err(VerifyError::InsecureBase { .. })
                ),
                "{b}"
            );
        }
        for b in [
            "ftp://api.pictify.io",
            "api.pictify.io",
            "https://user:pw@api.pictify.io",
            "https://api.pictify.io/?k=1",
            "https://api.pictify.io/#x",
        ] {
            assert!(
                matches!(
                    ApiBase::parse(b, "--api-base"),
                    Err(VerifyError::InvalidBase { .. })
                ),
                "{b}"
            );
        }
    }

    #[test]
    fn errors_never_echo_path_or_query() {
        let e = ApiBase::parse("https://api.pictify.io/?key=pk_live_secret", "--api-base")
            .unwrap_err()
            .to_string();
        assert!(!e.contains("pk_live_secret"), "{e}");
        let e = ApiBase::parse("http://example.com/pk_live_secret", "PKSCAN_API_BASE")
            .unwrap_err()
            .to_string();
        assert!(!e.contains("pk_live_secret"), "{e}");
        assert!(
            e.contains("PKSCAN_API_BASE") && e.contains("https://"),
            "{e}"
        );
    }

    #[test]
    fn probe_url_keeps_a_path_prefix() {
        let b = ApiBase::parse("http://127.0.0.1:9/v1/", "--api-base").unwrap();
        assert_eq!(b.probe_url(), "http://127.0.0.1:9/v1/templates?limit=1");
        assert_eq!(b.origin(), "http://127.0.0.1:9");
    }

    #[test]
    fn judges_answers_as_the_api_reference_defines_them() {
        let j = |r: HttpReply| judge(&r).0;
        assert_eq!(
            j(reply(200, "application/json", r#"{"data":[]}"#)),
            Status::Active
        );
        assert_eq!(
            j(reply(200, "text/html", "<html>login</html>")),
            Status::Unknown
        );
        assert_eq!(
            j(reply(401, "application/problem+json", PROBLEM)),
            Status::Inactive
        );
        assert_eq!(j(reply(401, "application/json", PROBLEM)), Status::Inactive);
        assert_eq!(
            j(reply(401, "application/json", r#"{"error":"x"}"#)),
            Status::Unknown
        );
        assert_eq!(j(reply(401, "text/html", "<h1>401</h1>")), Status::Unknown);
        assert_eq!(
            j(reply(
                403,
                "application/problem+json",
                r#"{"title":"Forbidden"}"#
            )),
            Status::Active
        );
        assert_eq!(
            j(reply(403, "text/html", "<h1>Access denied</h1>")),
            Status::Unknown
        );
        assert_eq!(j(reply(302, "", "")), Status::Unknown);
        assert_eq!(
            j(reply(404, "application/problem+json", PROBLEM)),
            Status::Unknown
        );
        assert_eq!(
            j(reply(500, "application/problem+json", PROBLEM)),
            Status::Unknown
        );
        assert_eq!(j(reply(503, "", "")), Status::Unknown);
        assert_eq!(
            judge(&reply(401, "application/problem+json", PROBLEM)).1,
            "already revoked; remove it"
        );
    }

    #[test]
    fn reads_rate_limit_headers() {
        let now = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(parse_retry_after("soon", now), None);
        let date = super::super::time::rfc3339(now); // sanity: a fixed instant
        assert_eq!(date, "2027-01-15T08:00:00Z");
        assert_eq!(
            parse_retry_after("Fri, 15 Jan 2027 08:00:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after("Fri, 15 Jan 2027 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_reset("42", now), Some(Duration::from_secs(42)));
        assert_eq!(
            parse_reset("1800000012", now),
            Some(Duration::from_secs(12))
        );
        assert_eq!(parse_reset("1799999999", now), Some(Duration::ZERO));
        assert_eq!(parse_reset("x", now), None);
    }
}
