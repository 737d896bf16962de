//! `--verify` and `pkscan verify`: checks found keys against the Pictify API,
//! each distinct key once per run, within client-side and server-announced rate
//! limits and a time budget, and folds the result into each finding's severity.
//! Keys go only into the `Authorization` header of a request to the validated API
//! base; every message here uses the redacted form.
pub mod client;
pub mod limiter;
pub mod time;

use crate::cli::{ApiArgs, VerifyArgs};
use crate::finding::{Attribution, Finding, Secret, Severity, Verification};
use client::{judge, ApiBase, Client, Reply, DEFAULT_API_BASE};
use limiter::Limiter;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

/// Environment variable naming the API base when `--api-base` is not given.
pub const API_BASE_ENV: &str = "PKSCAN_API_BASE";

/// Defaults, also quoted in `--help`.
pub const DEFAULT_CONCURRENCY: usize = 4;
pub const DEFAULT_RATE_PER_MINUTE: u32 = 60;
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
pub const DEFAULT_OVERALL_TIMEOUT: Duration = Duration::from_secs(120);
pub const DEFAULT_MAX_WAIT: Duration = Duration::from_secs(60);
/// Retries of one key after HTTP 429 before it is reported `unknown`.
pub const DEFAULT_RETRIES: u32 = 3;

/// Errors that stop verification before any request is made.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error("invalid API base in {from}: {reason}")]
    InvalidBase { from: &'static str, reason: String },
    #[error(
        "refusing to send keys over plain http:// to {origin} (from {from}): use an https:// URL; \
         http:// is accepted only for loopback addresses (127.0.0.0/8, ::1, localhost)"
    )]
    InsecureBase { from: &'static str, origin: String },
    #[error("{option}: {reason}")]
    InvalidOption {
        option: &'static str,
        reason: &'static str,
    },
    #[error("starting a verification worker: {0}")]
    Worker(#[source] std::io::Error),
}

/// What the API said about a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// The key works (HTTP 200, or 403 with a Pictify problem body).
    Active,
    /// Revoked, deleted or malformed (HTTP 401 with a Pictify problem body).
    Inactive,
    /// No trustworthy answer: timeout, connection error, 5xx, 429 after the
    /// retry budget, or a body that is not the Pictify API's.
    Unknown,
    /// Never sent: placeholders, other providers, practice findings.
    NotChecked,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Inactive => "inactive",
            Status::Unknown => "unknown",
            Status::NotChecked => "not-checked",
        }
    }

    /// The severity a finding gets once its key has this status.
    pub fn severity(self, current: Severity) -> Severity {
        match self {
            Status::Active => Severity::Critical,
            Status::Inactive => Severity::Note,
            Status::Unknown | Status::NotChecked => current,
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How verification runs. Built from [`VerifyArgs`] or [`ApiArgs`].
#[derive(Clone, Debug)]
pub struct VerifyConfig {
    pub api_base: ApiBase,
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Requests started per minute, across all workers.
    pub rate_per_minute: u32,
    /// Budget for the whole run; keys not done by then are `unknown`.
    pub overall_timeout: Duration,
    /// Budget for one request (connect, send, read).
    pub request_timeout: Duration,
    /// Longest wait honoured for `Retry-After` or `X-RateLimit-Reset`.
    pub max_wait: Duration,
    /// Retries of one key after HTTP 429.
    pub retries: u32,
}

impl VerifyConfig {
    /// Defaults for everything but the API base.
    pub fn new(api_base: ApiBase) -> VerifyConfig {
        VerifyConfig {
            api_base,
            concurrency: DEFAULT_CONCURRENCY,
            rate_per_minute: DEFAULT_RATE_PER_MINUTE,
            overall_timeout: DEFAULT_OVERALL_TIMEOUT,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            max_wait: DEFAULT_MAX_WAIT,
            retries: DEFAULT_RETRIES,
        }
    }

    /// The configuration for `pkscan verify` and the shared connection options:
    /// API base from `--api-base`, else `PKSCAN_API_BASE`, else the default.
    pub fn from_api_args(a: &ApiArgs) -> Result<VerifyConfig, VerifyError> {
        let env = std::env::var(API_BASE_ENV).ok();
        let base = resolve_base(a.api_base.as_deref(), env.as_deref())?;
        let mut c = VerifyConfig::new(base);
        if let Some(t) = a.verify_request_timeout {
            c.request_timeout = nonzero(t, "--verify-request-timeout")?;
        }
        if let Some(t) = a.verify_timeout {
            c.overall_timeout = nonzero(t, "--verify-timeout")?;
        }
        if let Some(t) = a.verify_max_wait {
            c.max_wait = t;
        }
        Ok(c)
    }

    /// `None` when `--verify` is off (then nothing is validated and nothing is
    /// sent, so a stray `PKSCAN_API_BASE` cannot break an offline scan).
    pub fn from_args(a: &VerifyArgs) -> Result<Option<VerifyConfig>, VerifyError> {
        if !a.verify {
            return Ok(None);
        }
        let mut c = VerifyConfig::from_api_args(&a.api)?;
        if let Some(n) = a.verify_concurrency {
            if n == 0 {
                return Err(VerifyError::InvalidOption {
                    option: "--verify-concurrency",
                    reason: "must be at least 1",
                });
            }
            c.concurrency = n;
        }
        if let Some(r) = a.verify_rate {
            if r == 0 {
                return Err(VerifyError::InvalidOption {
                    option: "--verify-rate",
                    reason: "must be at least 1 request per minute",
                });
            }
            c.rate_per_minute = r;
        }
        Ok(Some(c))
    }
}

fn nonzero(t: Duration, option: &'static str) -> Result<Duration, VerifyError> {
    if t.is_zero() {
        Err(VerifyError::InvalidOption {
            option,
            reason: "must be longer than zero",
        })
    } else {
        Ok(t)
    }
}

/// `--api-base` wins over the environment; an empty environment value is unset.
pub fn resolve_base(flag: Option<&str>, env: Option<&str>) -> Result<ApiBase, VerifyError> {
    match (flag, env.filter(|e| !e.trim().is_empty())) {
        (Some(f), _) => ApiBase::parse(f, "--api-base"),
        (None, Some(e)) => ApiBase::parse(e, API_BASE_ENV),
        (None, None) => ApiBase::parse(DEFAULT_API_BASE, "the default API base"),
    }
}

/// The result of checking one key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub status: Status,
    /// Status of the last HTTP answer, if any came.
    pub http_status: Option<u16>,
    /// When the last request was sent (RFC 3339, UTC).
    pub checked_at: Option<String>,
    pub detail: String,
    /// Requests sent for this key (retries included).
    pub requests: u32,
    /// Of those, answered with HTTP 429.
    pub rate_limited: u32,
}

impl Outcome {
    fn not_sent(detail: impl Into<String>) -> Outcome {
        Outcome {
            status: Status::Unknown,
            http_status: None,
            checked_at: None,
            detail: detail.into(),
            requests: 0,
            rate_limited: 0,
        }
    }

    pub fn to_verification(&self) -> Verification {
        Verification {
            status: self.status.as_str().to_string(),
            http_status: self.http_status,
            checked_at: self.checked_at.clone(),
            detail: Some(self.detail.clone()),
        }
    }
}

/// What a verification run did, for the summary line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VerifySummary {
    /// Distinct keys sent (or due to be sent) to the API.
    pub keys: usize,
    pub active: usize,
    pub inactive: usize,
    pub unknown: usize,
    /// Findings whose key was never sent.
    pub not_checked: usize,
    /// HTTP requests made, retries included.
    pub requests: usize,
    /// Answers that were HTTP 429 (each was waited out, within the budgets).
    pub rate_limited: usize,
    /// `scheme://host[:port]` of the API asked.
    pub origin: String,
}

impl fmt::Display for VerifySummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "verified {} distinct key{} against {} ({} request{}): {} active, {} inactive, {} unknown",
            self.keys,
            if self.keys == 1 { "" } else { "s" },
            self.origin,
            self.requests,
            if self.requests == 1 { "" } else { "s" },
            self.active,
            self.inactive,
            self.unknown
        )?;
        if self.rate_limited > 0 {
            write!(f, "; rate limited {} time(s) (HTTP 429)", self.rate_limited)?;
        }
        if self.not_checked > 0 {
            write!(f, "; {} finding(s) not checked", self.not_checked)?;
        }
        Ok(())
    }
}

/// Whether a finding's key may be sent to Pictify; `Err` says why not.
pub fn eligible(f: &Finding) -> Result<&Secret, &'static str> {
    let Some(secret) = &f.secret else {
        return Err("no key in this finding");
    };
    match f.attribution {
        Attribution::Pictify | Attribution::Unattributed => {}
        Attribution::Placeholder => return Err("a placeholder; never sent"),
        Attribution::OtherProvider => return Err("another provider's key; never sent to Pictify"),
        Attribution::Practice => return Err("no key in this finding"),
    }
    if !f.provider.eq_ignore_ascii_case("pictify") {
        return Err("not a Pictify rule; never sent to Pictify");
    }
    if !header_safe(secret.expose()) {
        return Err("contains characters that cannot be sent in an HTTP header");
    }
    Ok(secret)
}

/// Printable ASCII without spaces, of a sane length: anything else cannot be a
/// bearer token and must not be able to inject into the request.
pub fn header_safe(key: &str) -> bool {
    (8..=1024).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic())
}

/// Checks the key of every eligible finding (each distinct key once), records
/// the result in `Finding::verification` and adjusts severity: `active` becomes
/// critical, `inactive` a note, `unknown` keeps it. Other findings get
/// `not-checked`.
pub fn apply(findings: &mut [Finding], cfg: &VerifyConfig) -> Result<VerifySummary, VerifyError> {
    // Deduplicate by key; sorted so the order of requests is deterministic.
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    for f in findings.iter() {
        if let Ok(s) = eligible(f) {
            let next = index.len();
            index.entry(s.expose().to_string()).or_insert(next);
        }
    }
    let mut keys: Vec<(String, usize)> = index.into_iter().collect();
    keys.sort_by_key(|(_, first_seen)| *first_seen);
    let secrets: Vec<Secret> = keys.iter().map(|(k, _)| Secret::new(k.clone())).collect();
    let outcomes = check_all(&secrets, cfg)?;
    let by_key: BTreeMap<&str, &Outcome> = secrets
        .iter()
        .map(Secret::expose)
        .zip(outcomes.iter())
        .collect();

    let mut summary = VerifySummary {
        keys: secrets.len(),
        origin: cfg.api_base.origin().to_string(),
        requests: outcomes.iter().map(|o| o.requests as usize).sum(),
        rate_limited: outcomes.iter().map(|o| o.rate_limited as usize).sum(),
        ..VerifySummary::default()
    };
    for o in &outcomes {
        match o.status {
            Status::Active => summary.active += 1,
            Status::Inactive => summary.inactive += 1,
            Status::Unknown | Status::NotChecked => summary.unknown += 1,
        }
    }
    for f in findings.iter_mut() {
        let outcome = match eligible(f) {
            Ok(s) => by_key.get(s.expose()).map(|o| (*o).clone()),
            Err(why) => {
                summary.not_checked += 1;
                Some(Outcome {
                    status: Status::NotChecked,
                    ..Outcome::not_sent(why)
                })
            }
        };
        if let Some(o) = outcome {
            f.severity = o.status.severity(f.severity);
            f.verification = Some(o.to_verification());
        }
    }
    Ok(summary)
}

/// Checks one key by itself (for `pkscan verify`).
pub fn check_one(key: &Secret, cfg: &VerifyConfig) -> Result<Outcome, VerifyError> {
    let mut all = check_all(std::slice::from_ref(key), cfg)?;
    Ok(all.remove(0))
}

/// Checks distinct keys with at most `cfg.concurrency` requests in flight.
fn check_all(keys: &[Secret], cfg: &VerifyConfig) -> Result<Vec<Outcome>, VerifyError> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let deadline = Instant::now() + cfg.overall_timeout;
    let client = Client::new(&cfg.api_base);
    let limiter = Limiter::new(cfg.rate_per_minute);
    let next = AtomicUsize::new(0);
    let results: Vec<Mutex<Option<Outcome>>> = keys.iter().map(|_| Mutex::new(None)).collect();
    let workers = cfg.concurrency.clamp(1, keys.len());
    std::thread::scope(|scope| -> Result<(), VerifyError> {
        for i in 0..workers {
            let work = || loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                let Some(key) = keys.get(n) else { break };
                let o = check_key(&client, &limiter, key.expose(), cfg, deadline);
                *results[n].lock().unwrap_or_else(|e| e.into_inner()) = Some(o);
            };
            std::thread::Builder::new()
                .name(format!("pkscan-verify-{i}"))
                .spawn_scoped(scope, work)
                .map_err(VerifyError::Worker)?;
        }
        Ok(())
    })?;
    Ok(results
        .into_iter()
        .map(|m| {
            m.into_inner()
                .unwrap_or_else(|e| e.into_inner())
                .unwrap_or_else(|| Outcome::not_sent("verification worker stopped"))
        })
        .collect())
}

/// One key: wait for a slot, send, and on 429 wait and retry within the budget.
fn check_key(
    client: &Client,
    limiter: &Limiter,
    key: &str,
    cfg: &VerifyConfig,
    deadline: Instant,
) -> Outcome {
    let timeout_msg = || {
        format!(
            "not checked within --verify-timeout ({})",
            fmt_duration(cfg.overall_timeout)
        )
    };
    let mut out = Outcome::not_sent(timeout_msg());
    let mut retries = 0;
    loop {
        if limiter.acquire(deadline).is_err() {
            if out.http_status == Some(429) {
                out.detail = format!(
                    "rate limited (HTTP 429); --verify-timeout ({}) reached while waiting to retry",
                    fmt_duration(cfg.overall_timeout)
                );
            }
            return out;
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return out;
        }
        let timeout = cfg.request_timeout.min(left);
        out.checked_at = Some(time::rfc3339(SystemTime::now()));
        out.requests += 1;
        let sent = Instant::now();
        match client.probe(key, timeout) {
            Reply::Timeout => {
                out.status = Status::Unknown;
                out.http_status = None;
                out.detail = format!("no answer within {}", fmt_duration(timeout));
                return out;
            }
            Reply::Connection(msg) => {
                out.status = Status::Unknown;
                out.http_status = None;
                out.detail = format!("connection failed: {msg}");
                return out;
            }
            Reply::Http(r) => {
                out.http_status = Some(r.status);
                if r.status == 429 {
                    out.rate_limited += 1;
                }
                if let Some(reset) = r.rate_limit_reset {
                    // X-RateLimit-Remaining: 0 — nobody sends until the reset.
                    limiter.pause_until(sent + reset.min(cfg.max_wait));
                }
                if r.status == 429 && retries < cfg.retries {
                    let backoff = Duration::from_secs(1u64 << retries.min(6));
                    let wait = r.retry_after.unwrap_or(backoff).min(cfg.max_wait);
                    limiter.pause_until(Instant::now() + wait);
                    retries += 1;
                    continue;
                }
                let (status, detail) = judge(&r);
                out.status = status;
                out.detail = if r.status == 429 {
                    format!("rate limited (HTTP 429) after {retries} retries")
                } else {
                    detail
                };
                return out;
            }
        }
    }
}

/// `10s`, `1.5s`, `250ms`, `2m`.
pub fn fmt_duration(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        let s = d.as_secs();
        if s >= 60 && s % 60 == 0 {
            format!("{}m", s / 60)
        } else {
            format!("{s}s")
        }
    } else if d < Duration::from_secs(1) {
        format!("{}ms", d.as_millis())
    } else {
        format!("{:.1}s", d.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Confidence, Context, KeyEnvironment, Span};

    fn finding(secret: Option<&str>, attribution: Attribution, provider: &str) -> Finding {
        Finding {
            rule_id: "pictify.api-key".into(),
            rule_name: "Pictify API key".into(),
            path: "a.js".into(),
            root: None,
            link: None,
            incremental: None,
            span: Span {
                line: 1,
                column: 1,
                end_line: 1,
                end_column: 2,
                byte_start: 0,
                byte_end: 1,
            },
            context: Context::Server,
            context_reason: String::new(),
            key_environment: KeyEnvironment::Live,
            provider: provider.into(),
            attribution,
            reason: String::new(),
            confidence: Confidence::High,
            severity: Severity::High,
            secret: secret.map(Secret::new),
            snippet: String::new(),
            binary: false,
            encoding: None,
            fingerprint: String::new(),
            git: None,
            web: None,
            verification: None,
        }
    }

    #[test]
    fn only_pictify_and_unattributed_keys_are_sent() {
        let k = "pk_live_0123456789abcdefABCDEF";
        assert!(eligible(&finding(Some(k), Attribution::Pictify, "Pictify")).is_ok());
        assert!(eligible(&finding(Some(k), Attribution::Unattributed, "Pictify")).is_ok());
        assert!(eligible(&finding(Some(k), Attribution::OtherProvider, "Stripe")).is_err());
        assert!(eligible(&finding(Some(k), Attribution::Placeholder, "none")).is_err());
        assert!(eligible(&finding(None, Attribution::Practice, "Pictify")).is_err());
        // A user token rule for another service is never sent to Pictify.
        assert!(eligible(&finding(
            Some("0123456789abcdef0123"),
            Attribution::Pictify,
            "Acme"
        ))
        .is_err());
        // Nothing that could break out of the header.
        assert!(eligible(&finding(
            Some("pk_live_abc\r\nX-Evil: 1"),
            Attribution::Pictify,
            "Pictify"
        ))
        .is_err());
        assert!(eligible(&finding(
            Some("pk_live_abc def ghijkl"),
            Attribution::Pictify,
            "Pictify"
        ))
        .is_err());
    }

    #[test]
    fn status_drives_severity() {
        assert_eq!(Status::Active.severity(Severity::Low), Severity::Critical);
        assert_eq!(
            Status::Inactive.severity(Severity::Critical),
            Severity::Note
        );
        assert_eq!(Status::Unknown.severity(Severity::High), Severity::High);
        assert_eq!(
            Status::NotChecked.severity(Severity::Medium),
            Severity::Medium
        );
    }

    #[test]
    fn flag_beats_environment_beats_default() {
        let b = resolve_base(Some("http://127.0.0.1:1"), Some("https://env.example")).unwrap();
        assert_eq!(b.origin(), "http://127.0.0.1:1");
        let b = resolve_base(None, Some("https://env.example")).unwrap();
        assert_eq!(b.origin(), "https://env.example");
        let b = resolve_base(None, Some("  ")).unwrap();
        assert_eq!(b.origin(), "https://api.pictify.io");
        let e = resolve_base(None, Some("http://env.example")).unwrap_err();
        assert!(e.to_string().contains(API_BASE_ENV), "{e}");
    }

    #[test]
    fn findings_never_sent_are_not_checked_and_keep_severity() {
        // Nothing eligible: no request is possible (the base is unroutable on purpose).
        let cfg = VerifyConfig::new(ApiBase::parse("https://192.0.2.1", "--api-base").unwrap());
        let mut fs = vec![
            finding(
                Some("pk_live_51abcdefghijklmnop"),
                Attribution::OtherProvider,
                "Stripe",
            ),
            finding(None, Attribution::Practice, "Pictify"),
        ];
        let s = apply(&mut fs, &cfg).unwrap();
        assert_eq!((s.keys, s.requests, s.not_checked), (0, 0, 2));
        for f in &fs {
            assert_eq!(f.verification.as_ref().unwrap().status, "not-checked");
            assert_eq!(f.severity, Severity::High);
        }
    }

    #[test]
    fn durations_print_compactly() {
        assert_eq!(fmt_duration(Duration::from_secs(10)), "10s");
        assert_eq!(fmt_duration(Duration::from_secs(120)), "2m");
        assert_eq!(fmt_duration(Duration::from_millis(300)), "300ms");
        assert_eq!(fmt_duration(Duration::from_millis(1500)), "1.5s");
    }
}

#[cfg(test)]
mod cli_tests {
    use crate::cli::parse_duration;
    use std::time::Duration;

    #[test]
    fn durations_parse_with_units() {
        assert_eq!(parse_duration("10"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_duration("10s"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_duration("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert!(parse_duration("2h").is_err());
        assert!(parse_duration("-1s").is_err());
        assert!(parse_duration("fast").is_err());
        assert!(parse_duration("999999m").is_err());
    }
}
