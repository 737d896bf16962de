//! Structural checks that look-alike rules name in `validator`: provider key
//! formats that a regex cannot express (a Clerk key decodes to its host).
use base64::Engine;
use regex::Regex;
use std::sync::OnceLock;

/// The validators a rule can name.
pub const KNOWN: &[&str] = &["clerk-frontend-api"];

/// Runs the validator `name` on a key body: why the body is that provider's, if it is.
pub fn run(name: &str, body: &str) -> Option<String> {
    match name {
        "clerk-frontend-api" => clerk_frontend_api(body),
        _ => None,
    }
}

/// Clerk publishable keys are the base64 of the instance's frontend API host
/// followed by `$`, e.g. `clerk.example.com$`.
fn clerk_frontend_api(body: &str) -> Option<String> {
    let trimmed = body.trim_end_matches('=');
    let decoded = base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(trimmed)
        .or_else(|_| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(trimmed))
        .ok()?;
    let s = std::str::from_utf8(&decoded).ok()?;
    let host = s.strip_suffix('$')?;
    static HOST: OnceLock<Regex> = OnceLock::new();
    let re = HOST.get_or_init(|| {
        Regex::new(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$").unwrap()
    });
    re.is_match(host)
        .then(|| format!("decodes to the frontend host `{host}$`"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clerk_host() {
        use base64::engine::general_purpose::STANDARD;
        let body = STANDARD.encode("clerk.example.com$");
        assert!(clerk_frontend_api(&body).is_some());
        let body = STANDARD.encode("not a host$");
        assert!(clerk_frontend_api(&body).is_none());
        assert!(clerk_frontend_api("q8ZfT2vLm9XwRk4NbH7sYc1D").is_none());
    }
}
