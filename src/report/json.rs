//! JSON report: a documented, stable schema (`pkscan-report/1`, see README).
use super::{fix_with_history, severity_counts, shown_key, Report};
use crate::finding::{Finding, GitOrigin, Verification, WebOrigin};
use crate::outcome::Notice;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::{self, Write};

pub const SCHEMA: &str = "pkscan-report/1";

#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct JsonReport {
    pub schema: String,
    pub tool: JsonTool,
    pub roots: Vec<String>,
    pub summary: JsonSummary,
    pub findings: Vec<JsonFinding>,
    pub notices: Vec<JsonNotice>,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct JsonTool {
    pub name: String,
    pub version: String,
}

#[derive(Serialize, Deserialize, Debug, Clone, Default)]
pub struct JsonSummary {
    pub files_scanned: u64,
    pub bytes_scanned: u64,
    pub files_skipped: usize,
    pub findings: usize,
    pub suppressed: usize,
    pub by_severity: BTreeMap<String, usize>,
    /// Why findings were suppressed (baseline, allow-list, excludes) and stale
    /// baseline entries, as in the text summary. Additive in pkscan-report/1.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct JsonNotice {
    pub kind: String,
    pub path: String,
    pub reason: String,
    /// Short grouped cause (`too large`, `not a regular file`, `unreadable`, ...).
    #[serde(default)]
    pub category: String,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct JsonFinding {
    pub rule_id: String,
    pub rule_name: String,
    pub severity: String,
    pub confidence: String,
    pub context: String,
    pub context_reason: String,
    pub key_environment: String,
    pub provider: String,
    pub attribution: String,
    pub reason: String,
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    pub fingerprint: String,
    pub snippet: String,
    pub binary: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    pub fix: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub git: Option<GitOrigin>,
    /// `pkscan url`: the asset URL, what led to it, and the original source from
    /// the source map. Additive in pkscan-report/1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web: Option<WebOrigin>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verification: Option<Verification>,
    /// The scan root (path or repository as given) the finding came from. Added in
    /// pkscan-report/1 without a schema change; absent in older reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root: Option<String>,
    /// The file at the commit on the forge (`pkscan github`/`gitlab`). Additive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// With `--state`: `new` (first reported by this run) or `known`. Additive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incremental: Option<String>,
}

impl JsonFinding {
    pub fn from_finding(f: &Finding, report: &Report<'_>) -> JsonFinding {
        JsonFinding {
            rule_id: f.rule_id.clone(),
            rule_name: f.rule_name.clone(),
            severity: f.severity.as_str().into(),
            confidence: f.confidence.as_str().into(),
            context: f.context.as_str().into(),
            context_reason: f.context_reason.clone(),
            key_environment: f.key_environment.as_str().into(),
            provider: f.provider.clone(),
            attribution: f.attribution.as_str().into(),
            reason: f.reason.clone(),
            path: f.path.clone(),
            line: f.span.line,
            column: f.span.column,
            end_line: f.span.end_line,
            end_column: f.span.end_column,
            key: shown_key(f, report.show_secrets),
            fingerprint: f.fingerprint.clone(),
            snippet: f.snippet.clone(),
            binary: f.binary,
            encoding: f.encoding.clone(),
            fix: fix_with_history(f, report.rules),
            git: f.git.clone(),
            web: f.web.clone(),
            verification: f.verification.clone(),
            root: f.root.clone(),
            link: f.link.clone(),
            incremental: f.incremental.map(|n| n.as_str().to_string()),
        }
    }
}

pub fn build(report: &Report<'_>) -> JsonReport {
    JsonReport {
        schema: SCHEMA.into(),
        tool: JsonTool {
            name: "pkscan".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        },
        roots: report.roots.clone(),
        summary: JsonSummary {
            files_scanned: report.files_scanned,
            bytes_scanned: report.bytes_scanned,
            files_skipped: report
                .notices
                .iter()
                .filter(|n| n.kind == "skipped")
                .count(),
            findings: report.findings.len(),
            suppressed: report.suppressed,
            by_severity: severity_counts(report.findings)
                .into_iter()
                .map(|(s, n)| (s.as_str().to_string(), n))
                .collect(),
            notes: report
                .extra_summary
                .iter()
                .map(|l| l.trim().to_string())
                .collect(),
        },
        findings: report
            .findings
            .iter()
            .map(|f| JsonFinding::from_finding(f, report))
            .collect(),
        notices: report
            .notices
            .iter()
            .map(|n: &Notice| JsonNotice {
                kind: n.kind.into(),
                path: n.path.clone(),
                reason: n.reason.clone(),
                category: n.category.into(),
            })
            .collect(),
    }
}

pub fn write(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &build(report))?;
    writeln!(out)
}
