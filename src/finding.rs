//! Findings: what was found, where, how sure we are, how bad it is, and how to show it safely.
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;

/// Separates an archive's path from an entry's path inside it in a finding's
/// path (`app.apk!/classes.dex`).
pub const ARCHIVE_SEP: &str = "!/";

/// How urgent a finding is. Ordered from least to most severe.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 5] = [
        Severity::Note,
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// One step less severe (never below `Note`).
    pub fn lower(self) -> Severity {
        match self {
            Severity::Critical => Severity::High,
            Severity::High => Severity::Medium,
            Severity::Medium => Severity::Low,
            Severity::Low | Severity::Note => Severity::Note,
        }
    }

    /// SARIF `level` for this severity.
    pub fn sarif_level(self) -> &'static str {
        match self {
            Severity::Critical | Severity::High => "error",
            Severity::Medium => "warning",
            Severity::Low | Severity::Note => "note",
        }
    }

    /// GitHub code scanning `security-severity` score (0.0 to 10.0).
    pub fn security_severity(self) -> &'static str {
        match self {
            Severity::Critical => "9.5",
            Severity::High => "8.0",
            Severity::Medium => "5.5",
            Severity::Low => "3.0",
            Severity::Note => "1.0",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Severity::ALL
            .into_iter()
            .find(|v| v.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                format!("unknown severity {s:?} (expected note, low, medium, high or critical)")
            })
    }
}

/// Where a finding sits, as it matters for Pictify's guidance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Context {
    /// Code or config that ships to browsers.
    ClientJs,
    /// iOS, Android, Flutter and React Native sources, resources and builds.
    Mobile,
    /// The key is written to localStorage, sessionStorage, cookies or IndexedDB.
    BrowserStorage,
    /// Env files, compose, Kubernetes, CI and other committed configuration.
    Config,
    /// Server-side or tooling code that hardcodes the key.
    Server,
    /// Documentation.
    Docs,
    /// Tests and fixtures.
    Test,
}

impl Context {
    pub const ALL: [Context; 7] = [
        Context::ClientJs,
        Context::Mobile,
        Context::BrowserStorage,
        Context::Config,
        Context::Server,
        Context::Docs,
        Context::Test,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Context::ClientJs => "client-js",
            Context::Mobile => "mobile",
            Context::BrowserStorage => "browser-storage",
            Context::Config => "config",
            Context::Server => "server",
            Context::Docs => "docs",
            Context::Test => "test",
        }
    }

    /// Places a key must never be, because anyone using the app can read it.
    pub fn is_public(self) -> bool {
        matches!(
            self,
            Context::ClientJs | Context::Mobile | Context::BrowserStorage
        )
    }
}

impl fmt::Display for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Context {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Context::ALL
            .into_iter()
            .find(|v| v.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                format!("unknown context {s:?} (expected client-js, mobile, browser-storage, config, server, docs or test)")
            })
    }
}

/// Which Pictify environment a key belongs to, from its prefix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KeyEnvironment {
    Live,
    Test,
    /// No key literal (practice rules) or a key without an environment prefix.
    Unknown,
}

impl KeyEnvironment {
    pub fn from_secret(secret: &str) -> KeyEnvironment {
        if secret.starts_with("pk_live_") {
            KeyEnvironment::Live
        } else if secret.starts_with("pk_test_") {
            KeyEnvironment::Test
        } else {
            KeyEnvironment::Unknown
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            KeyEnvironment::Live => "live",
            KeyEnvironment::Test => "test",
            KeyEnvironment::Unknown => "unknown",
        }
    }
}

/// Who a `pk_` key belongs to.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Attribution {
    /// The code around it names Pictify.
    Pictify,
    /// Nothing names an owner; reported as a possible Pictify key.
    Unattributed,
    /// Another service's publishable key (Stripe, Clerk, ...).
    OtherProvider,
    /// Documentation placeholder or a value that cannot be a real key.
    Placeholder,
    /// Not a key finding: a practice rule (unsafe handling without a literal key).
    Practice,
}

impl Attribution {
    pub fn as_str(&self) -> &'static str {
        match self {
            Attribution::Pictify => "pictify",
            Attribution::Unattributed => "unattributed",
            Attribution::OtherProvider => "other-provider",
            Attribution::Placeholder => "placeholder",
            Attribution::Practice => "practice",
        }
    }
    /// Reported without `--include-other-providers`.
    pub fn reported_by_default(&self) -> bool {
        !matches!(self, Attribution::OtherProvider | Attribution::Placeholder)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }
}

/// A span in a blob: 1-based lines and columns (columns count Unicode code points),
/// plus the byte range in the scanned (decoded) text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    #[serde(skip)]
    pub byte_start: usize,
    #[serde(skip)]
    pub byte_end: usize,
}

/// Where a blob found in git history came from.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct GitOrigin {
    pub commit: String,
    pub author: String,
    pub date: String,
    pub summary: String,
    /// The path in that commit.
    pub path: String,
    /// Whether the key is still in the tree at HEAD (or the working tree).
    pub present_at_head: bool,
}

/// Where a finding in a deployed site came from (`pkscan url`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct WebOrigin {
    /// The URL the scanned bytes were served from (the finding's path).
    pub url: String,
    /// What led the audit there: the page that loads a script, the script or
    /// build manifest that names a chunk, the script a source map belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub found_via: Option<String>,
    /// The original source, when a source map covers the position.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original: Option<OriginalSource>,
}

/// A position in the source a bundle was built from, from its source map.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct OriginalSource {
    /// As the map names it, tidied (`webpack://app/lib/pictify.ts`, `src/lib/pictify.ts`).
    pub source: String,
    /// 1-based.
    pub line: usize,
    /// 1-based.
    pub column: usize,
    /// The source map's URL.
    pub source_map: String,
    /// Found in the map's `sourcesContent` (the original text it carries), not
    /// in the generated code.
    #[serde(default)]
    pub in_sources_content: bool,
}

/// Result of checking a key against the Pictify API.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Verification {
    /// `active`, `inactive`, `unknown` or `not-checked`.
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checked_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// A secret value that never prints itself in full by accident.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }
    /// The full value. Only for verification, fingerprints and `--show-secrets`.
    pub fn expose(&self) -> &str {
        &self.0
    }
    /// `pk_live_Ab…9x`: prefix, two characters, an ellipsis, the last two characters.
    pub fn redacted(&self) -> String {
        redact(&self.0)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({})", self.redacted())
    }
}

/// Redacts a secret for display: known prefix plus at most four characters of the body.
pub fn redact(s: &str) -> String {
    // Already redacted (a key read back from a report): keys never contain `…`.
    if s.contains('…') {
        return s.to_string();
    }
    let prefix_len = ["pk_live_", "pk_test_"]
        .iter()
        .find(|p| s.starts_with(*p))
        .map_or(0, |p| p.len());
    let (prefix, body) = s.split_at(prefix_len);
    let chars: Vec<char> = body.chars().collect();
    if chars.len() < 8 {
        let shown: String = chars.iter().take(1).collect();
        return format!("{prefix}{shown}…");
    }
    let head: String = chars[..2].iter().collect();
    let tail: String = chars[chars.len() - 2..].iter().collect();
    format!("{prefix}{head}…{tail}")
}

/// One reported problem.
#[derive(Clone, Debug)]
pub struct Finding {
    pub rule_id: String,
    pub rule_name: String,
    /// Display path: relative to the scan root, forward slashes; `archive!/entry` inside archives.
    pub path: String,
    pub span: Span,
    pub context: Context,
    pub context_reason: String,
    pub key_environment: KeyEnvironment,
    pub provider: String,
    pub attribution: Attribution,
    /// One line saying why the key was attributed the way it was.
    pub reason: String,
    pub confidence: Confidence,
    pub severity: Severity,
    /// The matched key; `None` for practice rules.
    pub secret: Option<Secret>,
    /// A short window of the line around the hit, with the key redacted.
    pub snippet: String,
    /// Found as a byte string in a binary file.
    pub binary: bool,
    /// How the key was encoded in the file (`base64`, `percent`, ...), if it was.
    pub encoding: Option<String>,
    pub fingerprint: String,
    pub git: Option<GitOrigin>,
    /// Set by `pkscan url`: the asset URL, what led to it, the original source.
    pub web: Option<WebOrigin>,
    pub verification: Option<Verification>,
    /// The scan root (path or repository, as given) this finding came from; set by
    /// the command layer so multi-root audits and merged reports can say where.
    pub root: Option<String>,
    /// A link to the file at the commit on the forge (GitHub, GitLab), when known.
    pub link: Option<String>,
    /// With `--state`: whether an earlier run already reported this finding.
    pub incremental: Option<Novelty>,
}

/// Whether an incremental run (`--state`) reports a finding for the first time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Novelty {
    New,
    Known,
}

impl Novelty {
    pub fn as_str(self) -> &'static str {
        match self {
            Novelty::New => "new",
            Novelty::Known => "known",
        }
    }
}

impl Finding {
    /// The redacted key, or `None` for practice findings.
    pub fn redacted_key(&self) -> Option<String> {
        self.secret.as_ref().map(Secret::redacted)
    }

    /// Deterministic order: path, position, rule.
    pub fn sort_key(&self) -> (&str, usize, usize, &str) {
        (&self.path, self.span.line, self.span.column, &self.rule_id)
    }
}

/// Stable fingerprint: hash of rule id and secret (or, for practice rules, of the
/// path and the normalised matched text), never the secret itself.
pub fn fingerprint(rule_id: &str, material: &str) -> String {
    let mut h = Sha256::new();
    h.update(rule_id.as_bytes());
    h.update([0]);
    h.update(material.as_bytes());
    let digest = h.finalize();
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_keeps_prefix_and_four_chars() {
        assert_eq!(redact("pk_live_Ab3dEfGhIjKl9x"), "pk_live_Ab…9x");
        assert_eq!(redact("pk_test_abc"), "pk_test_a…");
        assert_eq!(redact("0123456789abcdef0123"), "01…23");
    }

    #[test]
    fn severity_steps_down_to_note() {
        assert_eq!(Severity::Critical.lower(), Severity::High);
        assert_eq!(Severity::Note.lower(), Severity::Note);
        assert_eq!("HIGH".parse::<Severity>().unwrap(), Severity::High);
    }

    #[test]
    fn fingerprint_is_stable_and_hides_secret() {
        let a = fingerprint("pictify.api-key", "pk_live_secretsecret");
        assert_eq!(a, fingerprint("pictify.api-key", "pk_live_secretsecret"));
        assert_ne!(a, fingerprint("pictify.api-key", "pk_live_secretsecreu"));
        assert!(!a.contains("secret"));
        assert_eq!(a.len(), 32);
    }
}
