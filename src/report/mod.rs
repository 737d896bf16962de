//! Reports: one format per module behind a small `write_report` entry point.
//! Reporters only read findings; they never change what was found.
mod html;
mod json;
mod sarif;
mod text;

pub use json::{JsonFinding, JsonReport, SCHEMA as JSON_SCHEMA};

use crate::finding::{Attribution, Context, Finding, Severity};
use crate::outcome::Notice;
use crate::rules::RuleSet;
use std::io::{self, Write};

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    Sarif,
    /// One self-contained page: summary, timeline, filterable findings.
    Html,
}

/// Everything a report shows.
pub struct Report<'a> {
    /// What was scanned, as the user named it (paths, or a git description).
    pub roots: Vec<String>,
    pub findings: &'a [Finding],
    pub notices: &'a [Notice],
    pub files_scanned: u64,
    pub bytes_scanned: u64,
    pub rules: &'a RuleSet,
    pub show_secrets: bool,
    /// Findings left out by `--min-severity`, baselines or config (counted, not shown).
    pub suppressed: usize,
    /// Extra lines for the summary (baseline status and the like).
    pub extra_summary: Vec<String>,
}

/// Writes the report in the chosen format.
pub fn write_report(
    report: &Report<'_>,
    format: Format,
    color: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Text => text::write(report, color, out),
        Format::Json => json::write(report, out),
        Format::Sarif => sarif::write(report, out),
        Format::Html => html::write(report, out),
    }
}

/// Said of a key found in git history that is no longer at HEAD.
pub const ONLY_IN_HISTORY: &str = "only in history: removing it is not enough, rotate it";

/// Whether to warn that removing the key from the code is not enough: a key
/// that may be Pictify's and is only in history. Another service's publishable
/// key, a placeholder or a practice finding needs no rotation.
pub fn history_warning(f: &Finding) -> bool {
    f.git.as_ref().is_some_and(|g| !g.present_at_head)
        && matches!(
            f.attribution,
            Attribution::Pictify | Attribution::Unattributed
        )
}

/// `fix_for`, led by the history warning when the key is only in git history
/// (JSON and SARIF, where there is no separate note line).
pub fn fix_with_history(f: &Finding, rules: &RuleSet) -> String {
    let fix = fix_for(f, rules);
    if history_warning(f) {
        let mut note = ONLY_IN_HISTORY.to_string();
        note[..1].make_ascii_uppercase();
        format!("{note}. {fix}")
    } else {
        fix
    }
}

/// What to do about a finding, in one or two sentences. A `--verify` result
/// changes the advice: a revoked key only needs removing, a working one comes first.
pub fn fix_for(f: &Finding, rules: &RuleSet) -> String {
    match f.verification.as_ref().map(|v| v.status.as_str()) {
        Some("inactive") => {
            "Already revoked (the Pictify API rejects it): remove it from the code; no rotation needed."
                .to_string()
        }
        Some("active") => format!(
            "The key works right now: rotate it first. {}",
            fix_unverified(f, rules)
        ),
        _ => fix_unverified(f, rules),
    }
}

fn fix_unverified(f: &Finding, rules: &RuleSet) -> String {
    if let Some(r) = rules.get(&f.rule_id) {
        if (f.secret.is_none() || r.def.kind != crate::rules::RuleKind::Key)
            && !r.def.remediation.is_empty()
        {
            return r.def.remediation.trim().to_string();
        }
    }
    match f.attribution {
        crate::finding::Attribution::OtherProvider => {
            return format!(
                "{} publishable keys are meant for browsers; no action needed.",
                f.provider
            )
        }
        crate::finding::Attribution::Placeholder => {
            return "A placeholder; no action needed.".to_string()
        }
        _ => {}
    }
    let place = match f.context {
        Context::ClientJs | Context::Mobile | Context::BrowserStorage => {
            "Never ship a Pictify key to browsers or apps: call Pictify from a server-side endpoint that reads the key from an environment variable."
        }
        Context::Server => "Do not hardcode the key: read it from an environment variable (PICTIFY_API_KEY) or a secrets manager.",
        Context::Config => "Do not commit the key: keep it in an environment variable or secrets manager outside the repository.",
        Context::Docs | Context::Test => "Use a placeholder such as `pk_test_your_key` in docs and tests, and load real keys from the environment.",
    };
    format!("{place} {ROTATE}")
}

/// Pictify's rotation steps for a key that may be exposed.
pub const ROTATE: &str = "Rotate the key: create a new key in the Pictify dashboard (Settings > API Keys), switch the application to it, revoke the old key, then delete it.";

/// Counts of findings per severity, most severe first.
pub fn severity_counts(findings: &[Finding]) -> Vec<(Severity, usize)> {
    Severity::ALL
        .iter()
        .rev()
        .map(|s| (*s, findings.iter().filter(|f| f.severity == *s).count()))
        .filter(|(_, n)| *n > 0)
        .collect()
}

/// The key as it may be shown: redacted unless `--show-secrets`.
pub fn shown_key(f: &Finding, show_secrets: bool) -> Option<String> {
    f.secret.as_ref().map(|s| {
        if show_secrets {
            s.expose().to_string()
        } else {
            s.redacted()
        }
    })
}

/// The one-line summary of a report (used on stderr for machine formats).
pub fn text_summary(report: &Report<'_>) -> String {
    text::summary_line(report)
}
