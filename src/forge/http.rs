//! The HTTP side of forge listings: a validated API URL (HTTPS, plain HTTP only to
//! loopback), the token in one header only, `Link`/`X-Next-Page` pagination kept on
//! the API's origin, and the primary and secondary rate limits (`X-RateLimit-*`,
//! `RateLimit-*`, `Retry-After`) waited out up to a limit.
use super::{ForgeError, Token};
use crate::verify::client::{parse_reset, parse_retry_after, user_agent};
use std::io::Read;
use std::time::{Duration, SystemTime};

/// A listing page is a JSON array of at most 100 repositories; far less than this.
const MAX_BODY: u64 = 32 * 1024 * 1024;
/// Pages followed at most (100 per page: a million repositories).
const MAX_PAGES: usize = 10_000;
/// Retries of one page after a server error or a dropped connection.
const RETRIES: u32 = 3;
/// GitHub asks clients hitting a secondary limit without `Retry-After` to wait
/// at least a minute.
const SECONDARY_DEFAULT_WAIT: Duration = Duration::from_secs(60);

/// A parsed, checked API base URL.
#[derive(Clone, Debug)]
pub struct ApiUrl {
    url: url::Url,
}

impl ApiUrl {
    /// Checks `raw`: http(s), no credentials, no query; plain `http://` only to a
    /// loopback host, since the token would travel in clear.
    pub fn parse(raw: &str) -> Result<ApiUrl, ForgeError> {
        let bad = |reason: String| ForgeError::ApiUrl(reason);
        let mut url = url::Url::parse(raw.trim())
            .map_err(|e| bad(format!("{:?} is not a URL: {e}", raw.trim())))?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(bad(
                "credentials in the URL are not allowed; the token comes from the environment"
                    .into(),
            ));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(bad("the API URL must not have a query or fragment".into()));
        }
        let host = url
            .host_str()
            .ok_or_else(|| bad("the URL has no host".into()))?;
        match url.scheme() {
            "https" => {}
            "http" if is_loopback(host) => {}
            "http" => {
                return Err(bad(format!(
                    "refusing plain http:// to {host}: the token would travel unencrypted; use https:// (http:// only for 127.0.0.1, ::1, localhost)"
                )))
            }
            s => return Err(bad(format!("unsupported scheme {s:?}; use https://"))),
        }
        if !url.path().ends_with('/') {
            let p = format!("{}/", url.path());
            url.set_path(&p);
        }
        Ok(ApiUrl { url })
    }

    /// `path` (no leading slash) below the base, with query pairs.
    pub fn join(&self, path: &str, query: &[(&str, &str)]) -> url::Url {
        let mut u = self.url.clone();
        u.set_path(&format!("{}{path}", self.url.path()));
        if !query.is_empty() {
            u.query_pairs_mut().extend_pairs(query);
        }
        u
    }

    pub fn host(&self) -> &str {
        self.url.host_str().unwrap_or_default()
    }

    /// `scheme://host[:port]`, safe to print.
    pub fn origin(&self) -> String {
        self.url.origin().ascii_serialization()
    }

    fn same_origin(&self, other: &url::Url) -> bool {
        self.url.origin() == other.origin()
    }
}

pub fn is_loopback(host: &str) -> bool {
    let h = host.trim_start_matches('[').trim_end_matches(']');
    h.eq_ignore_ascii_case("localhost")
        || h.parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// A client for one forge API: sends the token (if any) as `Authorization:
/// Bearer`, follows pagination, waits out rate limits up to `max_wait` each.
pub struct Api {
    agent: ureq::Agent,
    pub base: ApiUrl,
    token: Option<Token>,
    extra_headers: Vec<(&'static str, &'static str)>,
    max_wait: Duration,
    /// Named in messages: `GitHub`, `GitLab`.
    pub forge: &'static str,
    /// Receives one line per wait, for stderr.
    notify: Box<dyn Fn(&str) + Send + Sync>,
}

/// One answer, reduced to what listing needs.
struct Page {
    status: u16,
    body: Vec<u8>,
    next: Option<String>,
    retry_after: Option<Duration>,
    /// The wait until the window resets, when the remaining count is 0.
    exhausted_for: Option<Duration>,
}

impl Api {
    pub fn new(
        forge: &'static str,
        base: ApiUrl,
        token: Option<Token>,
        extra_headers: Vec<(&'static str, &'static str)>,
        max_wait: Duration,
        notify: Box<dyn Fn(&str) + Send + Sync>,
    ) -> Api {
        let agent = ureq::AgentBuilder::new()
            // A redirect could take the token to another host: never followed.
            .redirects(0)
            .try_proxy_from_env(false)
            .timeout(Duration::from_secs(60))
            .user_agent(&user_agent())
            .build();
        Api {
            agent,
            base,
            token,
            extra_headers,
            max_wait,
            forge,
            notify,
        }
    }

    /// Every item of every page starting at `first`, in order.
    pub fn get_all(&self, first: url::Url) -> Result<Vec<serde_json::Value>, ForgeError> {
        let mut items = Vec::new();
        let mut next = Some(first);
        let mut pages = 0;
        while let Some(url) = next.take() {
            pages += 1;
            if pages > MAX_PAGES {
                return Err(ForgeError::Api(format!(
                    "{}: more than {MAX_PAGES} pages; stopping",
                    self.forge
                )));
            }
            let page = self.get_page(&url)?;
            let value: serde_json::Value = serde_json::from_slice(&page.body).map_err(|e| {
                ForgeError::Api(format!(
                    "{} answered {} with something that is not JSON: {e}",
                    self.forge,
                    url.path()
                ))
            })?;
            match value {
                serde_json::Value::Array(v) => items.extend(v),
                _ => {
                    return Err(ForgeError::Api(format!(
                        "{} answered {} with JSON that is not a list",
                        self.forge,
                        url.path()
                    )))
                }
            }
            if let Some(n) = page.next {
                let u = url::Url::parse(&n)
                    .or_else(|_| url.join(&n))
                    .map_err(|e| ForgeError::Api(format!("bad next-page link: {e}")))?;
                if !self.base.same_origin(&u) {
                    // The token is only ever sent to the API's own origin.
                    return Err(ForgeError::Api(format!(
                        "{}: the next-page link points away from {}; refusing to follow it",
                        self.forge,
                        self.base.origin()
                    )));
                }
                next = Some(u);
            }
            if let Some(wait) = page.exhausted_for {
                if next.is_some() {
                    self.wait(wait, "rate limit used up; waiting for the reset")?;
                }
            }
        }
        Ok(items)
    }

    /// One page, retried through rate limits and transient failures.
    fn get_page(&self, url: &url::Url) -> Result<Page, ForgeError> {
        let mut failures = 0;
        loop {
            let page = match self.request(url) {
                Ok(p) => p,
                Err(e) => {
                    failures += 1;
                    if failures > RETRIES {
                        return Err(e);
                    }
                    self.wait(
                        Duration::from_secs(1 << (failures - 1)),
                        &format!("{e}; retrying"),
                    )?;
                    continue;
                }
            };
            match page.status {
                200..=299 => return Ok(page),
                403 | 429 if page.retry_after.is_some() || page.exhausted_for.is_some() => {
                    let wait = page.retry_after.or(page.exhausted_for).unwrap_or_default();
                    let what = if page.retry_after.is_some() {
                        "asked to slow down (Retry-After)"
                    } else {
                        "rate limit used up (X-RateLimit-Remaining: 0)"
                    };
                    self.wait(wait, &format!("{what}; waiting"))?;
                }
                429 => self.wait(
                    SECONDARY_DEFAULT_WAIT,
                    "HTTP 429 without Retry-After; waiting",
                )?,
                500..=599 => {
                    failures += 1;
                    if failures > RETRIES {
                        return Err(self.status_error(url, &page));
                    }
                    self.wait(
                        Duration::from_secs(1 << (failures - 1)),
                        &format!("HTTP {}; retrying", page.status),
                    )?;
                }
                _ => return Err(self.status_error(url, &page)),
            }
        }
    }

    fn status_error(&self, url: &url::Url, page: &Page) -> ForgeError {
        let message = serde_json::from_slice::<serde_json::Value>(&page.body)
            .ok()
            .and_then(|v| {
                v.get("message")
                    .or_else(|| v.get("error"))
                    .and_then(|m| m.as_str().map(str::to_string))
            })
            .map(|m| format!(": {}", m.chars().take(200).collect::<String>()))
            .unwrap_or_default();
        let hint = match page.status {
            401 => format!(
                " (the token was rejected: check {})",
                if self.token.is_some() {
                    "that it is valid and not expired"
                } else {
                    "that one is set"
                }
            ),
            403 => " (the token lacks access, or the API refused the request)".into(),
            404 => " (not found, or not visible with this token)".into(),
            _ => String::new(),
        };
        ForgeError::Api(format!(
            "{} answered HTTP {} for {}{message}{hint}",
            self.forge,
            page.status,
            url.path()
        ))
    }

    fn wait(&self, d: Duration, why: &str) -> Result<(), ForgeError> {
        if d > self.max_wait {
            return Err(ForgeError::RateLimited {
                forge: self.forge,
                wait: crate::verify::fmt_duration(d),
                max: crate::verify::fmt_duration(self.max_wait),
            });
        }
        (self.notify)(&format!(
            "{}: {why} {}",
            self.forge,
            crate::verify::fmt_duration(d)
        ));
        std::thread::sleep(d);
        Ok(())
    }

    fn request(&self, url: &url::Url) -> Result<Page, ForgeError> {
        let mut req = self.agent.request_url("GET", url);
        for (k, v) in &self.extra_headers {
            req = req.set(k, v);
        }
        if let Some(t) = &self.token {
            req = req.set("Authorization", &format!("Bearer {}", t.expose()));
        }
        let resp = match req.call() {
            Ok(r) | Err(ureq::Error::Status(_, r)) => r,
            Err(ureq::Error::Transport(t)) => {
                // The transport error names the URL and the cause, never headers.
                return Err(ForgeError::Api(format!(
                    "cannot reach {} at {}: {}",
                    self.forge,
                    self.base.origin(),
                    t.kind()
                )));
            }
        };
        let now = SystemTime::now();
        let header = |names: &[&str]| {
            names
                .iter()
                .find_map(|n| resp.header(n))
                .map(|v| v.trim().to_string())
        };
        let retry_after = header(&["retry-after"]).and_then(|v| parse_retry_after(&v, now));
        let remaining = header(&["x-ratelimit-remaining", "ratelimit-remaining"]);
        let exhausted_for = (remaining.as_deref() == Some("0")).then(|| {
            header(&["x-ratelimit-reset", "ratelimit-reset"])
                .and_then(|v| parse_reset(&v, now))
                // A second of slack: the window resets at that second, not before.
                .map(|d| d + Duration::from_secs(1))
                .unwrap_or(SECONDARY_DEFAULT_WAIT)
        });
        let next = header(&["link"]).and_then(|l| next_link(&l)).or_else(|| {
            header(&["x-next-page"])
                .filter(|p| !p.is_empty())
                .map(|p| with_page(url, &p))
        });
        let status = resp.status();
        let mut body = Vec::new();
        resp.into_reader()
            .take(MAX_BODY)
            .read_to_end(&mut body)
            .map_err(|e| ForgeError::Api(format!("reading {}'s answer: {e}", self.forge)))?;
        Ok(Page {
            status,
            body,
            next,
            retry_after,
            exhausted_for,
        })
    }
}

/// The `rel="next"` target of a `Link` header.
pub fn next_link(header: &str) -> Option<String> {
    header.split(',').find_map(|part| {
        let mut pieces = part.split(';');
        let target = pieces.next()?.trim();
        let is_next = pieces.any(|p| {
            let p = p.trim().replace(' ', "");
            p == "rel=\"next\"" || p == "rel=next"
        });
        (is_next && target.starts_with('<') && target.ends_with('>'))
            .then(|| target[1..target.len() - 1].to_string())
    })
}

/// `url` with its `page` query parameter set to `page` (GitLab's `X-Next-Page`).
fn with_page(url: &url::Url, page: &str) -> String {
    let mut u = url.clone();
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| k != "page")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    u.query_pairs_mut()
        .clear()
        .extend_pairs(pairs)
        .append_pair("page", page);
    u.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_urls_are_checked() {
        assert!(ApiUrl::parse("https://api.github.com").is_ok());
        assert!(ApiUrl::parse("http://127.0.0.1:8080/api/v3").is_ok());
        assert!(ApiUrl::parse("http://[::1]:8080").is_ok());
        for bad in [
            "http://github.example.com",
            "https://user:pw@github.example.com",
            "https://x.example.com/?a=b",
            "ftp://x.example.com",
            "not a url",
        ] {
            assert!(ApiUrl::parse(bad).is_err(), "{bad}");
        }
        let a = ApiUrl::parse("https://ghe.example.com/api/v3").unwrap();
        assert_eq!(
            a.join("orgs/acme/repos", &[("per_page", "100")]).as_str(),
            "https://ghe.example.com/api/v3/orgs/acme/repos?per_page=100"
        );
    }

    #[test]
    fn link_headers_and_next_pages() {
        let h = r#"<https://api.github.com/orgs/a/repos?page=2>; rel="next", <https://api.github.com/orgs/a/repos?page=5>; rel="last""#;
        assert_eq!(
            next_link(h).as_deref(),
            Some("https://api.github.com/orgs/a/repos?page=2")
        );
        assert_eq!(next_link(r#"<https://x/?page=1>; rel="prev""#), None);
        let u = url::Url::parse(
            "https://gitlab.example.com/api/v4/groups/a/projects?per_page=100&page=1",
        )
        .unwrap();
        assert_eq!(
            with_page(&u, "2"),
            "https://gitlab.example.com/api/v4/groups/a/projects?per_page=100&page=2"
        );
    }
}
