//! `pkscan merge`: JSON reports of separate runs (one per repository, say) turned
//! back into findings and merged into one outcome for an organisation-wide report.
use crate::finding::{
    redact, Attribution, Confidence, Finding, KeyEnvironment, Novelty, Secret, Span,
};
use crate::outcome::{Notice, ScanOutcome};
use crate::report::{JsonFinding, JsonReport};
use anyhow::{bail, Context as _, Result};
use std::collections::BTreeSet;
use std::path::PathBuf;

fn attribution(s: &str) -> Option<Attribution> {
    Some(match s {
        "pictify" => Attribution::Pictify,
        "unattributed" => Attribution::Unattributed,
        "other-provider" => Attribution::OtherProvider,
        "placeholder" => Attribution::Placeholder,
        "practice" => Attribution::Practice,
        _ => return None,
    })
}

fn confidence(s: &str) -> Option<Confidence> {
    Some(match s {
        "low" => Confidence::Low,
        "medium" => Confidence::Medium,
        "high" => Confidence::High,
        _ => return None,
    })
}

fn key_environment(s: &str) -> Option<KeyEnvironment> {
    Some(match s {
        "live" => KeyEnvironment::Live,
        "test" => KeyEnvironment::Test,
        "unknown" => KeyEnvironment::Unknown,
        _ => return None,
    })
}

/// A finding from a JSON report. The report holds only the redacted key (unless it
/// was written with --show-secrets: then the key is redacted here), so the merged
/// report never shows more than the inputs did by default.
pub fn to_finding(j: JsonFinding, default_root: Option<&String>) -> Result<Finding, String> {
    let bad = |field: &str, v: &str| format!("finding at {}: unknown {field} {v:?}", j.path);
    let key = j.key.as_ref().map(|k| {
        if k.contains('…') {
            k.clone()
        } else {
            redact(k)
        }
    });
    Ok(Finding {
        severity: j
            .severity
            .parse()
            .map_err(|_| bad("severity", &j.severity))?,
        confidence: confidence(&j.confidence).ok_or_else(|| bad("confidence", &j.confidence))?,
        context: j.context.parse().map_err(|_| bad("context", &j.context))?,
        key_environment: key_environment(&j.key_environment)
            .ok_or_else(|| bad("key_environment", &j.key_environment))?,
        attribution: attribution(&j.attribution)
            .ok_or_else(|| bad("attribution", &j.attribution))?,
        span: Span {
            line: j.line,
            column: j.column,
            end_line: j.end_line,
            end_column: j.end_column,
            byte_start: 0,
            byte_end: 0,
        },
        root: j.root.or_else(|| default_root.cloned()),
        link: j.link,
        incremental: match j.incremental.as_deref() {
            None => None,
            Some("new") => Some(Novelty::New),
            Some("known") => Some(Novelty::Known),
            Some(other) => return Err(bad("incremental", other)),
        },
        rule_id: j.rule_id,
        rule_name: j.rule_name,
        path: j.path,
        context_reason: j.context_reason,
        provider: j.provider,
        reason: j.reason,
        secret: key.map(Secret::new),
        snippet: j.snippet,
        binary: j.binary,
        encoding: j.encoding,
        fingerprint: j.fingerprint,
        git: j.git,
        web: j.web,
        verification: j.verification,
    })
}

/// Reads JSON reports and merges them: findings with the same root, path and
/// fingerprint are kept once (the first by position), output order is sorted.
/// Returns the union of the reports' roots and the merged outcome.
pub fn load_reports(paths: &[PathBuf]) -> Result<(Vec<String>, ScanOutcome)> {
    let mut roots = BTreeSet::new();
    let mut out = ScanOutcome::default();
    let mut notices = BTreeSet::new();
    for path in paths {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading report {}", path.display()))?;
        let report: JsonReport = serde_json::from_str(&text).with_context(|| {
            format!(
                "{} is not a pkscan JSON report (write one with --format json)",
                path.display()
            )
        })?;
        if report.schema != crate::report::JSON_SCHEMA {
            bail!(
                "{}: schema {:?} is not supported (expected {:?})",
                path.display(),
                report.schema,
                crate::report::JSON_SCHEMA
            );
        }
        let default_root = match report.roots.as_slice() {
            [one] => Some(one.clone()),
            _ => None,
        };
        for j in report.findings {
            let f = to_finding(j, default_root.as_ref())
                .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
            out.findings.push(f);
        }
        for n in report.notices {
            let kind = if n.kind == "skipped" {
                "skipped"
            } else {
                "warning"
            };
            notices.insert(Notice {
                kind,
                path: n.path,
                reason: n.reason,
                category: crate::outcome::cause::from_name(&n.category),
            });
        }
        out.files_scanned += report.summary.files_scanned;
        out.bytes_scanned += report.summary.bytes_scanned;
        roots.extend(report.roots);
    }
    out.sort();
    let mut seen = BTreeSet::new();
    out.findings
        .retain(|f| seen.insert((f.root.clone(), f.path.clone(), f.fingerprint.clone())));
    out.notices = notices.into_iter().collect();
    Ok((roots.into_iter().collect(), out))
}
