//! Human-readable report: findings grouped by file, most severe first within a
//! file's order, each with where, what, why and what to do.
use super::{fix_for, severity_counts, shown_key, Report};
use crate::finding::{Attribution, Finding, Severity};
use std::io::{self, Write};

struct Paint {
    on: bool,
}

impl Paint {
    fn wrap(&self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn severity(&self, s: Severity) -> String {
        let label = format!("{:<8}", s.as_str().to_uppercase());
        let code = match s {
            Severity::Critical => "1;41;97",
            Severity::High => "1;31",
            Severity::Medium => "1;33",
            Severity::Low => "36",
            Severity::Note => "2",
        };
        self.wrap(code, &label)
    }
}

pub fn write(report: &Report<'_>, color: bool, out: &mut dyn Write) -> io::Result<()> {
    let p = Paint { on: color };
    // Several roots (multi-root audits, merged reports): a heading per root.
    let mut roots: Vec<Option<&str>> = report.findings.iter().map(|f| f.root.as_deref()).collect();
    roots.dedup();
    let by_root = roots.len() > 1 || report.roots.len() > 1;
    let mut current_root: Option<Option<&str>> = None;
    let mut current: Option<&str> = None;
    for f in report.findings {
        if by_root && current_root != Some(f.root.as_deref()) {
            if current_root.is_some() {
                writeln!(out)?;
            }
            let name = f.root.as_deref().unwrap_or("(unknown root)");
            writeln!(out, "{}", p.wrap("1", &format!("== {name} ==")))?;
            current_root = Some(f.root.as_deref());
            current = None;
        }
        if current != Some(f.path.as_str()) {
            if current.is_some() {
                writeln!(out)?;
            }
            writeln!(out, "{}", p.wrap("1;4", &f.path))?;
            current = Some(&f.path);
        }
        write_finding(report, &p, f, out)?;
    }
    if !report.findings.is_empty() {
        writeln!(out)?;
    }
    writeln!(out, "{}", summary_line(report))?;
    for line in &report.extra_summary {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

fn write_finding(
    report: &Report<'_>,
    p: &Paint,
    f: &Finding,
    out: &mut dyn Write,
) -> io::Result<()> {
    let key = shown_key(f, report.show_secrets)
        .map(|k| format!(" {}", p.wrap("1", &k)))
        .unwrap_or_default();
    let env = match (&f.attribution, f.secret.is_some()) {
        (Attribution::Practice, _) | (_, false) => String::new(),
        _ => format!(" ({})", f.key_environment.as_str()),
    };
    writeln!(
        out,
        "  {} {}:{}  {}{}{}  [{}]",
        p.severity(f.severity),
        f.span.line,
        f.span.column,
        f.rule_name,
        env,
        key,
        f.context.as_str(),
    )?;
    let mut why = format!("{} (confidence {})", f.reason, f.confidence.as_str());
    if f.secret.is_some() {
        why.push_str(&format!("; context: {}", f.context_reason));
    }
    writeln!(out, "      {} {}", p.wrap("2", "why:"), why)?;
    if !f.snippet.is_empty() {
        writeln!(out, "      {} {}", p.wrap("2", "code:"), f.snippet)?;
    }
    if let Some(g) = &f.git {
        let short = &g.commit[..g.commit.len().min(12)];
        writeln!(
            out,
            "      {} {} {} by {} on {}: {}",
            p.wrap("2", "commit:"),
            short,
            g.path,
            g.author,
            g.date,
            g.summary
        )?;
        if super::history_warning(f) {
            writeln!(
                out,
                "      {} {}",
                p.wrap("2", "note:"),
                super::ONLY_IN_HISTORY
            )?;
        }
    }
    if let Some(w) = &f.web {
        if let Some(o) = &w.original {
            let how = if o.in_sources_content {
                "original code published in the source map"
            } else {
                "from the source map"
            };
            writeln!(
                out,
                "      {} {}:{}:{}  ({how} {})",
                p.wrap("2", "source:"),
                o.source,
                o.line,
                o.column,
                o.source_map
            )?;
        }
        if let Some(v) = &w.found_via {
            writeln!(out, "      {} {}", p.wrap("2", "via:"), v)?;
        }
    }
    if let Some(v) = &f.verification {
        let http = v
            .http_status
            .map(|s| format!(" (HTTP {s})"))
            .unwrap_or_default();
        let at = v
            .checked_at
            .as_deref()
            .map(|t| format!(" at {t}"))
            .unwrap_or_default();
        let detail = v
            .detail
            .as_deref()
            .map(|d| format!(": {d}"))
            .unwrap_or_default();
        writeln!(
            out,
            "      {} {}{}{}{}",
            p.wrap("2", "verified:"),
            v.status,
            http,
            at,
            detail
        )?;
    }
    writeln!(
        out,
        "      {} {}",
        p.wrap("2", "fix:"),
        fix_for(f, report.rules)
    )?;
    writeln!(
        out,
        "      {} {}  {} {}",
        p.wrap("2", "rule:"),
        f.rule_id,
        p.wrap("2", "fingerprint:"),
        f.fingerprint
    )?;
    Ok(())
}

/// `scanned N files (X MB), skipped M: 1 too large, 1 unreadable; K findings: a critical, b high`.
pub fn summary_line(report: &Report<'_>) -> String {
    let causes = crate::outcome::skip_causes(report.notices);
    let skipped: usize = causes.iter().map(|(_, n)| n).sum();
    let mut s = format!(
        "scanned {} file{} ({}), skipped {}",
        report.files_scanned,
        if report.files_scanned == 1 { "" } else { "s" },
        human_bytes(report.bytes_scanned),
        skipped
    );
    if !causes.is_empty() {
        let parts: Vec<String> = causes.iter().map(|(c, n)| format!("{n} {c}")).collect();
        s.push_str(&format!(": {}", parts.join(", ")));
    }
    if report.findings.is_empty() {
        s.push_str("; no findings");
    } else {
        let counts: Vec<String> = severity_counts(report.findings)
            .iter()
            .map(|(sev, n)| format!("{n} {sev}"))
            .collect();
        s.push_str(&format!(
            "; {} finding{}: {}",
            report.findings.len(),
            if report.findings.len() == 1 { "" } else { "s" },
            counts.join(", ")
        ));
    }
    if report.suppressed > 0 {
        s.push_str(&format!(" ({} suppressed)", report.suppressed));
    }
    s
}

fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KB", "MB", "GB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1000.0 && u < UNITS.len() - 1 {
        v /= 1000.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}
