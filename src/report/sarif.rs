//! SARIF 2.1.0 report for GitHub code scanning and other SARIF viewers.
use super::{fix_with_history, shown_key, Report, ROTATE};
use crate::finding::{Finding, Severity};
use crate::rules::{Rule, RuleKind};
use serde_json::{json, Value};
use serde_sarif::sarif;
use std::collections::BTreeMap;
use std::io::{self, Write};

/// Key under `partialFingerprints`; versioned so the hash can change safely.
pub const FINGERPRINT_KEY: &str = "pkscanFingerprint/v1";

/// Highest severity a rule can produce, for the rule's `security-severity`.
fn rule_severity(rule: &Rule) -> Severity {
    match rule.def.kind {
        RuleKind::Key => Severity::Critical,
        RuleKind::Lookalike => Severity::Note,
        RuleKind::Practice => rule.def.severity.unwrap_or(Severity::High),
        // Token rules without a fixed severity rank like keys (by context).
        RuleKind::Token => rule.def.severity.unwrap_or(Severity::Critical),
    }
}

fn help_text(rule: &Rule) -> (String, String) {
    let d = &rule.def;
    let remediation = if d.remediation.is_empty() {
        "Keep Pictify keys on the server: read them from an environment variable or a secrets manager and call Pictify from a server-side endpoint.".to_string()
    } else {
        d.remediation.trim().to_string()
    };
    let guidance = "Pictify API keys give full access to the team's account. Use them only server-side: never in client-side JavaScript, mobile apps, public repositories, or browser localStorage/cookies. Never hardcode them; read them from environment variables or a secrets manager.";
    let text = format!(
        "{}\n\n{remediation}\n\n{guidance}\n\nIf a key was exposed: {ROTATE}",
        d.description.trim()
    );
    let markdown = format!(
        "**{}**\n\n{}\n\n**Fix:** {remediation}\n\n**Guidance:** {guidance}\n\n**If a key was exposed:** {ROTATE}\n\n1. Create a new key in the Pictify dashboard under *Settings > API Keys*.\n2. Switch the application to the new key (environment variable or secrets manager).\n3. Revoke the old key.\n4. Delete the old key.",
        d.name,
        d.description.trim()
    );
    (text, markdown)
}

fn descriptor(rule: &Rule) -> sarif::ReportingDescriptor {
    let d = &rule.def;
    let (text, markdown) = help_text(rule);
    let mut tags = vec!["security".to_string(), "secret".to_string()];
    tags.extend(d.tags.iter().cloned());
    tags.dedup();
    let mut props = BTreeMap::new();
    props.insert(
        "security-severity".to_string(),
        json!(rule_severity(rule).security_severity()),
    );
    props.insert("precision".to_string(), json!(d.precision));
    props.insert("provider".to_string(), json!(d.provider));
    props.insert(
        "kind".to_string(),
        json!(format!("{:?}", d.kind).to_lowercase()),
    );
    sarif::ReportingDescriptor::builder()
        .id(d.id.clone())
        .name(pascal(&d.id))
        .short_description(
            sarif::MultiformatMessageString::builder()
                .text(d.name.clone())
                .build(),
        )
        .full_description(
            sarif::MultiformatMessageString::builder()
                .text(d.description.trim().to_string())
                .build(),
        )
        .help(
            sarif::MultiformatMessageString::builder()
                .text(text)
                .markdown(markdown)
                .build(),
        )
        .default_configuration(
            sarif::ReportingConfiguration::builder()
                .level(json!(rule_severity(rule).sarif_level()))
                .build(),
        )
        .properties(
            sarif::PropertyBag::builder()
                .tags(tags)
                .additional_properties(props)
                .build(),
        )
        .build()
}

/// `pictify.api-key` → `PictifyApiKey`.
fn pascal(id: &str) -> String {
    id.split(['.', '-', '_'])
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut c = p.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// Percent-encodes what may not appear raw in a relative URI reference.
pub fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'.'
            | b'_'
            | b'~'
            | b'/'
            | b'!'
            | b'$'
            | b'&'
            | b'\''
            | b'('
            | b')'
            | b'*'
            | b'+'
            | b','
            | b';'
            | b'='
            | b':'
            | b'@' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Where a finding or notice is: a path relative to `%SRCROOT%`, or an absolute
/// URI as it stands (a deployed site's asset URL, `webpack://app/x.ts`).
fn artifact(path: &str, absolute: bool) -> sarif::ArtifactLocation {
    if absolute {
        // A URL the `url` crate wrote is a valid URI already (its query kept).
        let uri = if is_web_url(path) {
            path.to_string()
        } else {
            uri_path(path)
        };
        sarif::ArtifactLocation::builder().uri(uri).build()
    } else {
        sarif::ArtifactLocation::builder()
            .uri(uri_path(path))
            .uri_base_id("%SRCROOT%".to_string())
            .build()
    }
}

fn is_web_url(path: &str) -> bool {
    path.starts_with("https://") || path.starts_with("http://")
}

fn level(s: Severity) -> sarif::ResultLevel {
    match s.sarif_level() {
        "error" => sarif::ResultLevel::Error,
        "warning" => sarif::ResultLevel::Warning,
        _ => sarif::ResultLevel::Note,
    }
}

fn message(f: &Finding, report: &Report<'_>) -> String {
    let what = match shown_key(f, report.show_secrets) {
        Some(k) => format!("{} ({}) {k}", f.rule_name, f.key_environment.as_str()),
        None => f.rule_name.clone(),
    };
    let original = f
        .web
        .as_ref()
        .and_then(|w| w.original.as_ref())
        .map(|o| format!(" Original source: {}:{}.", o.source, o.line))
        .unwrap_or_default();
    format!(
        "{what} in {} code ({}). {}.{original} {}",
        f.context.as_str(),
        f.context_reason,
        f.reason,
        fix_with_history(f, report.rules)
    )
}

fn result(f: &Finding, report: &Report<'_>, rule_index: Option<usize>) -> sarif::Result {
    let region = sarif::Region::builder()
        .start_line(f.span.line as i64)
        .start_column(f.span.column as i64)
        .end_line(f.span.end_line as i64)
        .end_column(f.span.end_column as i64)
        .snippet(
            sarif::ArtifactContent::builder()
                .text(f.snippet.clone())
                .build(),
        )
        .build();
    let location = sarif::Location::builder()
        .physical_location(
            sarif::PhysicalLocation::builder()
                .artifact_location(artifact(&f.path, f.web.is_some()))
                .region(region)
                .build(),
        )
        .build();
    // The original source a source map names: where the fix goes.
    let related = f.web.as_ref().and_then(|w| w.original.as_ref()).map(|o| {
        let absolute = o.source.contains(':') || o.source.starts_with('/');
        vec![sarif::Location::builder()
            .id(1)
            .physical_location(
                sarif::PhysicalLocation::builder()
                    .artifact_location(artifact(o.source.trim_start_matches('/'), absolute))
                    .region(
                        sarif::Region::builder()
                            .start_line(o.line as i64)
                            .start_column(o.column as i64)
                            .build(),
                    )
                    .build(),
            )
            .message(
                sarif::Message::builder()
                    .text(format!(
                        "original source{} (source map {})",
                        if o.in_sources_content {
                            ", published in the map's sourcesContent"
                        } else {
                            ""
                        },
                        o.source_map
                    ))
                    .build(),
            )
            .build()]
    });
    let mut props: BTreeMap<String, Value> = BTreeMap::new();
    props.insert("severity".into(), json!(f.severity.as_str()));
    props.insert(
        "security-severity".into(),
        json!(f.severity.security_severity()),
    );
    props.insert("context".into(), json!(f.context.as_str()));
    props.insert("keyEnvironment".into(), json!(f.key_environment.as_str()));
    props.insert("provider".into(), json!(f.provider));
    props.insert("attribution".into(), json!(f.attribution.as_str()));
    props.insert("confidence".into(), json!(f.confidence.as_str()));
    if let Some(k) = shown_key(f, report.show_secrets) {
        props.insert("redactedKey".into(), json!(k));
    }
    if f.binary {
        props.insert("binary".into(), json!(true));
    }
    if let Some(e) = &f.encoding {
        props.insert("encoding".into(), json!(e));
    }
    if let Some(g) = &f.git {
        props.insert("commit".into(), json!(g.commit));
        props.insert("author".into(), json!(g.author));
        props.insert("date".into(), json!(g.date));
        props.insert("commitSummary".into(), json!(g.summary));
        props.insert("presentAtHead".into(), json!(g.present_at_head));
    }
    if let Some(v) = &f.verification {
        props.insert("verification".into(), json!(v));
    }
    if let Some(r) = &f.root {
        props.insert("root".into(), json!(r));
    }
    if let Some(l) = &f.link {
        props.insert("link".into(), json!(l));
    }
    if let Some(n) = f.incremental {
        props.insert("incremental".into(), json!(n.as_str()));
    }
    if let Some(w) = &f.web {
        props.insert("url".into(), json!(w.url));
        if let Some(v) = &w.found_via {
            props.insert("foundVia".into(), json!(v));
        }
        if let Some(o) = &w.original {
            props.insert("originalSource".into(), json!(o));
        }
    }
    let mut fps = BTreeMap::new();
    fps.insert(FINGERPRINT_KEY.to_string(), f.fingerprint.clone());
    let b = sarif::Result::builder()
        .rule_id(f.rule_id.clone())
        .level(level(f.severity))
        .message(sarif::Message::builder().text(message(f, report)).build())
        .locations(vec![location])
        .related_locations(related.unwrap_or_default())
        .partial_fingerprints(fps)
        .properties(
            sarif::PropertyBag::builder()
                .additional_properties(props)
                .build(),
        );
    match rule_index {
        Some(i) => b.rule_index(i as i64).build(),
        None => b.build(),
    }
}

pub fn build(report: &Report<'_>) -> sarif::Sarif {
    let rules: Vec<&Rule> = report.rules.rules.iter().collect();
    let descriptors: Vec<sarif::ReportingDescriptor> =
        rules.iter().map(|r| descriptor(r)).collect();
    let results: Vec<sarif::Result> = report
        .findings
        .iter()
        .map(|f| {
            let idx = rules.iter().position(|r| r.def.id == f.rule_id);
            result(f, report, idx)
        })
        .collect();
    let notifications: Vec<sarif::Notification> = report
        .notices
        .iter()
        .map(|n| {
            sarif::Notification::builder()
                .level(json!(if n.kind == "skipped" {
                    "warning"
                } else {
                    "note"
                }))
                .message(
                    sarif::Message::builder()
                        .text(format!("{} {}: {}", n.kind, n.path, n.reason))
                        .build(),
                )
                .locations(vec![sarif::Location::builder()
                    .physical_location(
                        sarif::PhysicalLocation::builder()
                            .artifact_location(artifact(&n.path, is_web_url(&n.path)))
                            .build(),
                    )
                    .build()])
                .build()
        })
        .collect();
    let driver = sarif::ToolComponent::builder()
        .name("pkscan".to_string())
        .semantic_version(env!("CARGO_PKG_VERSION").to_string())
        .version(env!("CARGO_PKG_VERSION").to_string())
        .information_uri("https://github.com/pictify/pkscan".to_string())
        .rules(descriptors)
        .build();
    let mut run = sarif::Run::builder()
        .tool(sarif::Tool::builder().driver(driver).build())
        .results(results)
        .column_kind(json!("unicodeCodePoints"))
        .invocations(vec![sarif::Invocation::builder()
            .execution_successful(true)
            .tool_execution_notifications(notifications)
            .build()])
        .build();
    // Paths are relative to the one absolute root scanned, or else to the
    // working directory (relative roots keep their prefix in paths).
    let base = match report.roots.as_slice() {
        [root] if std::path::Path::new(root).is_absolute() => Some(std::path::PathBuf::from(root)),
        _ => std::env::current_dir().ok(),
    };
    if let Some(base) = base {
        if let Ok(abs) = std::fs::canonicalize(base) {
            if abs.is_dir() {
                let mut uri = format!(
                    "file://{}",
                    uri_path(&abs.to_string_lossy().replace('\\', "/"))
                );
                if !uri.ends_with('/') {
                    uri.push('/');
                }
                let mut bases = BTreeMap::new();
                bases.insert(
                    "%SRCROOT%".to_string(),
                    sarif::ArtifactLocation::builder().uri(uri).build(),
                );
                run.original_uri_base_ids = Some(bases);
            }
        }
    }
    sarif::Sarif::builder()
        .schema("https://json.schemastore.org/sarif-2.1.0.json".to_string())
        .version(json!("2.1.0"))
        .runs(vec![run])
        .build()
}

pub fn write(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &build(report))?;
    writeln!(out)
}
