//! Project configuration (`.pkscan.toml`): the one file where a project records its
//! choices: extra rules, excluded paths, allow-listed fingerprints, thresholds, and
//! the baseline to apply. Unknown keys are errors with their line number.
use crate::finding::{Context, Severity};
use ignore::overrides::{Override, OverrideBuilder};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The file name looked for in the scanned root.
pub const FILE_NAME: &str = ".pkscan.toml";

/// Errors from reading or validating a configuration file.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// `line`/`column` are 1-based; the message says what to change.
    #[error("{path}:{line}:{column}: {message}")]
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
}

/// `.pkscan.toml` as written.
///
/// There is deliberately no `api-base` key: the verification API base is never
/// read from a file inside the scanned repository. A pull request could otherwise
/// point it at its own server and collect every key pkscan finds in history. Only
/// `--api-base`/`PKSCAN_API_BASE`, which whoever runs pkscan controls, may change it.
/// `deny_unknown_fields` turns such a key into an error instead of ignoring it.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConfigFile {
    /// Extra rule files or directories, relative to the config file.
    #[serde(default)]
    pub rules: Vec<String>,
    /// Globs (gitignore syntax) of paths to leave out.
    #[serde(default)]
    pub exclude: Vec<String>,
    #[serde(default)]
    pub min_severity: Option<Severity>,
    /// Report only findings in these contexts (empty: all).
    #[serde(default)]
    pub contexts: Vec<Context>,
    /// Report only findings of these providers (empty: all that are reported).
    #[serde(default)]
    pub providers: Vec<String>,
    #[serde(default)]
    pub include_other_providers: bool,
    /// Baseline file, relative to the config file.
    #[serde(default)]
    pub baseline: Option<String>,
    /// Allow-listed fingerprints, each with a reason.
    #[serde(default)]
    pub allow: Vec<Spanned<AllowEntry>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllowEntry {
    pub fingerprint: Spanned<String>,
    /// Why this finding is acceptable; required, so a reviewer can judge it.
    pub reason: Spanned<String>,
}

/// A loaded configuration with paths resolved against the config file's directory.
#[derive(Debug, Default)]
pub struct Config {
    /// Where it came from (`None`: no config file).
    pub path: Option<PathBuf>,
    pub rules: Vec<PathBuf>,
    pub exclude: Vec<String>,
    pub min_severity: Option<Severity>,
    pub contexts: Vec<Context>,
    pub providers: Vec<String>,
    pub include_other_providers: bool,
    pub baseline: Option<PathBuf>,
    /// Fingerprint → reason.
    pub allow: BTreeMap<String, String>,
}

impl Config {
    /// Reads and validates a config file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Config::parse(path, &text)
    }

    /// `.pkscan.toml` in `root` (or in the directory of a file root), if there is one.
    pub fn discover(root: &Path) -> Option<PathBuf> {
        let dir = if root.is_file() { root.parent()? } else { root };
        let p = dir.join(FILE_NAME);
        p.is_file().then_some(p)
    }

    /// Parses config text; `path` names the file in errors and anchors relative paths.
    pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
        let invalid = |span: Option<std::ops::Range<usize>>, message: String| {
            let (line, column) = span.map_or((1, 1), |s| line_col(text, s.start));
            ConfigError::Invalid {
                path: path.to_path_buf(),
                line,
                column,
                message,
            }
        };
        let file: ConfigFile = toml::from_str(text).map_err(|e| {
            let mut message = e.message().trim().to_string();
            if message.contains("api-base") || message.contains("api_base") {
                message.push_str(
                    "; the verification API base is never read from a file in the scanned \
                     repository (a pull request could redirect keys to its own server): \
                     use --api-base or PKSCAN_API_BASE",
                );
            }
            invalid(e.span(), message)
        })?;
        let base = path.parent().unwrap_or(Path::new("."));
        let mut allow = BTreeMap::new();
        for entry in &file.allow {
            let e = entry.get_ref();
            let fp = e.fingerprint.get_ref().trim().to_ascii_lowercase();
            if fp.len() != 32 || !fp.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(invalid(
                    Some(e.fingerprint.span()),
                    format!(
                        "allow: fingerprint {:?} is not a pkscan fingerprint (32 hex digits, \
                         shown as `id:` in text output and `fingerprint` in JSON)",
                        e.fingerprint.get_ref()
                    ),
                ));
            }
            let reason = e.reason.get_ref().trim();
            if reason.is_empty() {
                return Err(invalid(
                    Some(e.reason.span()),
                    "allow: reason must say why this finding is acceptable".into(),
                ));
            }
            if allow.insert(fp.clone(), reason.to_string()).is_some() {
                return Err(invalid(
                    Some(entry.span()),
                    format!("allow: fingerprint {fp} is listed twice"),
                ));
            }
        }
        // Validate globs now so a typo names the config file, not a later walk.
        for g in &file.exclude {
            let mut b = OverrideBuilder::new("/");
            b.add(&format!("!{g}")).map_err(|e| {
                let at = text.find(g.as_str()).map(|s| s..s + g.len());
                invalid(at, format!("exclude: invalid glob {g:?}: {e}"))
            })?;
        }
        Ok(Config {
            path: Some(path.to_path_buf()),
            rules: file.rules.iter().map(|r| base.join(r)).collect(),
            exclude: file.exclude,
            min_severity: file.min_severity,
            contexts: file.contexts,
            providers: file.providers,
            include_other_providers: file.include_other_providers,
            baseline: file.baseline.map(|b| base.join(b)),
            allow,
        })
    }
}

/// 1-based line and column of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rfind('\n')
        .map_or(before.chars().count(), |i| before[i + 1..].chars().count())
        + 1;
    (line, column)
}

/// Matches display paths against exclude globs with the walker's (gitignore)
/// semantics: a path is excluded when it or one of its parent directories matches.
/// Used after the scan for inputs that do not walk the file system (git history).
pub struct PathFilter {
    globs: Option<Override>,
}

impl PathFilter {
    pub fn new(globs: &[String]) -> Result<PathFilter, ignore::Error> {
        if globs.is_empty() {
            return Ok(PathFilter { globs: None });
        }
        let mut b = OverrideBuilder::new("/");
        for g in globs {
            b.add(&format!("!{g}"))?;
        }
        Ok(PathFilter {
            globs: Some(b.build()?),
        })
    }

    pub fn is_excluded(&self, path: &str) -> bool {
        let Some(o) = &self.globs else { return false };
        let full = PathBuf::from("/").join(path);
        let mut is_dir = false;
        let mut p: Option<&Path> = Some(&full);
        while let Some(cur) = p {
            if cur == Path::new("/") {
                break;
            }
            if o.matched(cur, is_dir).is_ignore() {
                return true;
            }
            is_dir = true;
            p = cur.parent();
        }
        false
    }
}

/// The commented starter file `pkscan init` writes.
pub const STARTER: &str = r#"# pkscan project configuration. pkscan reads .pkscan.toml from the scanned
# directory (`pkscan scan`) or the repository (`pkscan git`); `--config FILE`
# uses another file and `--no-config` ignores it. Unknown keys are errors.
# Paths are relative to this file. Command-line options override these values.
#
# There is no setting for the verification API address on purpose: it is never
# read from a file in the repository (a pull request could point it at its own
# server). Use --api-base or PKSCAN_API_BASE where you run pkscan.

# Extra rule files or directories of *.toml rule files (same format as rules/).
# rules = ["pkscan-rules/"]

# Paths to leave out (gitignore-style globs).
# exclude = ["vendor/**", "third_party/**"]

# Report only findings at or above this severity: note, low, medium, high, critical.
# min-severity = "low"

# Report only findings in these contexts: client-js, mobile, browser-storage,
# config, server, docs, test (default: all).
# contexts = ["client-js", "mobile", "browser-storage", "config", "server"]

# Report only findings of these providers (default: all that are reported).
# Naming another provider (e.g. "Stripe") also reports its publishable keys.
# providers = ["Pictify"]

# Also report other providers' publishable keys and placeholders, marked as such.
# include-other-providers = false

# Findings already known when pkscan was adopted; only new ones are reported.
# Create it with: pkscan scan --write-baseline .pkscan-baseline.json .
# baseline = ".pkscan-baseline.json"

# Accepted findings, by fingerprint (the `fingerprint:` of the text report, or
# `fingerprint` in JSON). A reason is required. For a single line, a comment
# containing pkscan:allow on that line also works.
# [[allow]]
# fingerprint = "0123456789abcdef0123456789abcdef"
# reason = "revoked sandbox key kept as a test fixture"
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starter_parses() {
        let c = Config::parse(Path::new("x/.pkscan.toml"), STARTER).unwrap();
        assert!(c.allow.is_empty() && c.rules.is_empty());
    }

    #[test]
    fn unknown_key_names_line() {
        let err = Config::parse(Path::new("c.toml"), "exclude = []\n\nbogus = 1\n").unwrap_err();
        assert!(err.to_string().starts_with("c.toml:3:1:"), "{err}");
        assert!(err.to_string().contains("bogus"), "{err}");
    }

    #[test]
    fn path_filter_matches_parents() {
        let f = PathFilter::new(&["vendor".into(), "*.min.js".into()]).unwrap();
        assert!(f.is_excluded("vendor/a/b.js"));
        assert!(f.is_excluded("web/app.min.js"));
        assert!(!f.is_excluded("src/app.js"));
    }
}
