//! `rules check`: every example is found through the full pipeline, every
//! negative example is not, and every example contains one of the rule's keywords.
use crate::rules::{RuleKind, RuleSet};
use crate::scan::{ScanOptions, Scanner, Scratch};

/// Outcome of checking a rule set.
#[derive(Debug, Default)]
pub struct CheckReport {
    pub examples: usize,
    pub negative_examples: usize,
    /// One line per failure: `rule-id: what went wrong`.
    pub failures: Vec<String>,
}

/// Checks every rule's examples against the full scan pipeline. The rule set
/// is cloned into two scanners: the default one, and one that also reports
/// other providers (needed to see look-alike attributions).
pub fn check_rules(set: &RuleSet) -> CheckReport {
    let mut report = CheckReport::default();
    let rebuild = |others: bool| {
        let mut copy = RuleSet::default();
        for r in &set.rules {
            // Re-compiling from definitions keeps the checked rules identical.
            copy.rules.push(
                crate::rules::compile(r.def.clone(), &r.source, true)
                    .expect("compiled once already"),
            );
        }
        Scanner::new(
            copy,
            ScanOptions {
                include_other_providers: others,
                ..ScanOptions::default()
            },
        )
    };
    let default = rebuild(false);
    let with_others = rebuild(true);
    let mut scratch = Scratch::default();
    let encoded_keywords: Vec<String> = crate::decode::keywords()
        .into_iter()
        .map(|k| k.text)
        .collect();
    for rule in &set.rules {
        let d = &rule.def;
        let scanner = if d.kind == RuleKind::Lookalike {
            &with_others
        } else {
            &default
        };
        if d.examples.is_empty() {
            report.failures.push(format!("{}: has no examples", d.id));
        }
        let mut keywords: Vec<String> = if d.kind == RuleKind::Lookalike {
            Vec::new()
        } else {
            rule.prefilter_keywords()
        };
        // Examples of encoded keys contain an encoded prefix instead.
        if d.kind == RuleKind::Key && !d.no_decode {
            keywords.extend(encoded_keywords.iter().cloned());
        }
        for (i, ex) in d.examples.iter().enumerate() {
            report.examples += 1;
            if !keywords.is_empty() && !keywords.iter().any(|k| ex.text().contains(k.as_str())) {
                report.failures.push(format!(
                    "{}: example {} contains none of its keywords",
                    d.id,
                    i + 1
                ));
            }
            let found = scanner.scan_blob(ex.path(), ex.text().as_bytes(), &mut scratch);
            if !found.findings.iter().any(|f| f.rule_id == d.id) {
                let got: Vec<String> = found
                    .findings
                    .iter()
                    .map(|f| format!("{} ({})", f.rule_id, f.reason))
                    .collect();
                report.failures.push(format!(
                    "{}: example {} ({}) is not reported{}",
                    d.id,
                    i + 1,
                    ex.path(),
                    if got.is_empty() {
                        String::new()
                    } else {
                        format!("; got {}", got.join(", "))
                    }
                ));
            }
        }
        for (i, ex) in d.negative_examples.iter().enumerate() {
            report.negative_examples += 1;
            let found = scanner.scan_blob(ex.path(), ex.text().as_bytes(), &mut scratch);
            if let Some(f) = found.findings.iter().find(|f| f.rule_id == d.id) {
                report.failures.push(format!(
                    "{}: negative example {} ({}) is reported: {}",
                    d.id,
                    i + 1,
                    ex.path(),
                    f.reason
                ));
            }
        }
    }
    report
}
