//! The per-blob pipeline shared by every input (files, git blobs, archive entries):
//! content → matcher → classify → findings.
use crate::classify::attribution::{self, placeholder_reason, KeySite};
use crate::classify::context::{classify_file, refine, FileContext};
use crate::classify::key_severity;
use crate::content::{self, surrounding, LineIndex};
use crate::finding::{
    fingerprint, Attribution, Confidence, Finding, KeyEnvironment, Secret, Severity, Span,
};
use crate::matcher::{Matcher, RawMatch};
use crate::rules::{Rule, RuleKind, RuleSet};
use regex::bytes::Regex;
use std::sync::OnceLock;

/// Options that change what the pipeline reports.
#[derive(Clone, Debug)]
pub struct ScanOptions {
    /// Report other providers' keys and placeholders too (marked as such).
    pub include_other_providers: bool,
    /// Search binary files for literal keys.
    pub binary: bool,
    /// Print full keys in snippets.
    pub show_secrets: bool,
    /// At most this many findings are kept per blob; the rest are counted.
    pub max_findings_per_blob: usize,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            include_other_providers: false,
            binary: true,
            show_secrets: false,
            max_findings_per_blob: 100,
        }
    }
}

/// What scanning one blob produced.
#[derive(Debug, Default)]
pub struct BlobResult {
    pub findings: Vec<Finding>,
    /// Findings beyond the per-blob cap.
    pub dropped: usize,
    /// The blob was binary and binary scanning is off.
    pub skipped_binary: bool,
}

/// Rules, prefilter and options: everything needed to scan a blob. `Sync`, so one
/// scanner serves all worker threads.
pub struct Scanner {
    pub rules: RuleSet,
    matcher: Matcher,
    pub opts: ScanOptions,
}

/// Per-thread scratch space reused across blobs, so the no-hit path allocates nothing.
#[derive(Default)]
pub struct Scratch {
    raw: Vec<RawMatch>,
}

const ALLOW_MARKER: &[u8] = b"pkscan:allow";

fn any_key_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"pk_(?:live|test)_[A-Za-z0-9_\-]{4,}").unwrap())
}

impl Scanner {
    pub fn new(rules: RuleSet, opts: ScanOptions) -> Scanner {
        let matcher = Matcher::new(&rules);
        Scanner {
            rules,
            matcher,
            opts,
        }
    }

    /// Scans one blob. `path` is the display path (it also drives context).
    pub fn scan_blob(&self, path: &str, data: &[u8], scratch: &mut Scratch) -> BlobResult {
        self.scan_blob_lazy(|| path.to_string(), data, scratch)
    }

    /// Like [`Scanner::scan_blob`], but the display path is built only when a match
    /// needs it: most files of a tree have no keyword hit, and formatting a path
    /// for each of them would be the only allocation on that path.
    pub fn scan_blob_lazy(
        &self,
        path: impl FnOnce() -> String,
        data: &[u8],
        scratch: &mut Scratch,
    ) -> BlobResult {
        let decoded = content::decode(data);
        let binary = decoded.is_binary();
        if binary && !self.opts.binary {
            return BlobResult {
                skipped_binary: true,
                ..Default::default()
            };
        }
        let text: &[u8] = &decoded.text;
        scratch.raw.clear();
        self.matcher
            .find(&self.rules, text, binary, &mut scratch.raw);
        if scratch.raw.is_empty() {
            return BlobResult::default();
        }
        let path = path();
        let path = path.as_str();
        let file_ctx = classify_file(path, text, binary);
        let mut lines = LineIndex::new(text);
        let mut result = BlobResult::default();
        for raw in scratch.raw.iter() {
            let rule = &self.rules.rules[raw.rule];
            let finding = match rule.kind() {
                RuleKind::Key => {
                    self.key_finding(rule, raw, path, text, binary, &file_ctx, &mut lines)
                }
                RuleKind::Practice | RuleKind::Token => {
                    self.practice_finding(rule, raw, path, text, &file_ctx, &mut lines)
                }
                RuleKind::Lookalike => None,
            };
            let Some(mut f) = finding else { continue };
            if binary {
                f.binary = true;
            }
            if result.findings.len() >= self.opts.max_findings_per_blob {
                result.dropped += 1;
            } else {
                result.findings.push(f);
            }
        }
        result
    }

    fn allowed(text: &[u8], start: usize) -> bool {
        let (ls, le) = LineIndex::line_bounds(text, start);
        memchr::memmem::find(&text[ls..le], ALLOW_MARKER).is_some()
    }

    #[allow(clippy::too_many_arguments)]
    fn key_finding(
        &self,
        rule: &Rule,
        raw: &RawMatch,
        path: &str,
        text: &[u8],
        binary: bool,
        file_ctx: &FileContext,
        lines: &mut LineIndex<'_>,
    ) -> Option<Finding> {
        let secret = std::str::from_utf8(&text[raw.secret_start..raw.secret_end]).ok()?;
        if !binary && Self::allowed(text, raw.secret_start) {
            return None;
        }
        let verdict = attribution::attribute(
            &self.rules,
            &KeySite {
                path,
                text,
                secret,
                start: raw.secret_start,
                end: raw.secret_end,
            },
        );
        if !verdict.attribution.reported_by_default() && !self.opts.include_other_providers {
            return None;
        }
        let (ss, se) = surrounding(text, raw.secret_start, raw.secret_end, 0, 200);
        let (context, context_reason) = refine(file_ctx, &text[ss..se], binary);
        let env = KeyEnvironment::from_secret(secret);
        let (rule_id, rule_name) = match verdict.lookalike {
            Some(i) => (
                self.rules.rules[i].def.id.clone(),
                self.rules.rules[i].def.name.clone(),
            ),
            None => (rule.def.id.clone(), rule.def.name.clone()),
        };
        let severity = match verdict.attribution {
            Attribution::OtherProvider | Attribution::Placeholder => Severity::Note,
            _ => key_severity(env, context),
        };
        let mut reason = verdict.reason;
        if binary {
            reason.push_str("; found as a byte string in a binary file");
        }
        Some(Finding {
            fingerprint: fingerprint(&rule_id, secret),
            rule_id,
            rule_name,
            path: path.to_string(),
            span: self.span(lines, raw.secret_start, raw.secret_end),
            context,
            context_reason,
            key_environment: env,
            provider: verdict.provider,
            attribution: verdict.attribution,
            reason,
            confidence: verdict.confidence,
            severity,
            snippet: self.snippet(text, raw.secret_start, raw.secret_end),
            secret: Some(Secret::new(secret)),
            binary,
            encoding: None,
            git: None,
            verification: None,
        })
    }

    fn practice_finding(
        &self,
        rule: &Rule,
        raw: &RawMatch,
        path: &str,
        text: &[u8],
        file_ctx: &FileContext,
        lines: &mut LineIndex<'_>,
    ) -> Option<Finding> {
        if Self::allowed(text, raw.start) {
            return None;
        }
        let (ss, se) = surrounding(text, raw.start, raw.end, 0, 200);
        let (context, context_reason) = refine(file_ctx, &text[ss..se], false);
        let d = &rule.def;
        if !d.contexts.is_empty()
            && !d.contexts.contains(&context)
            && !d.contexts.contains(&file_ctx.context)
        {
            return None;
        }
        if let Some(req) = &rule.file_requires {
            if !req.is_match(text) {
                return None;
            }
        }
        let n = d.near_lines.unwrap_or(3);
        let (ns, ne) = surrounding(text, raw.start, raw.end, n, 600);
        let near = &text[ns..ne];
        if rule.near.as_ref().is_some_and(|r| !r.is_match(near)) {
            return None;
        }
        if rule.unless_near.as_ref().is_some_and(|r| r.is_match(near)) {
            return None;
        }
        let secret = if d.kind == RuleKind::Token {
            let s = std::str::from_utf8(&text[raw.secret_start..raw.secret_end]).ok()?;
            if placeholder_reason(s).is_some() || attribution::entropy(s) < 3.0 {
                return None;
            }
            Some(Secret::new(s))
        } else {
            None
        };
        let (start, end) = if secret.is_some() {
            (raw.secret_start, raw.secret_end)
        } else {
            (raw.start, raw.end)
        };
        let matched = String::from_utf8_lossy(&text[raw.start..raw.end]);
        let material = match &secret {
            Some(s) => s.expose().to_string(),
            // Practice findings have no secret: hash the path and the normalised
            // matched text, so moving code within the file keeps the fingerprint.
            None => format!(
                "{path}\0{}",
                matched.split_whitespace().collect::<Vec<_>>().join(" ")
            ),
        };
        let severity = d.severity.unwrap_or(Severity::High);
        Some(Finding {
            fingerprint: fingerprint(&d.id, &material),
            rule_id: d.id.clone(),
            rule_name: d.name.clone(),
            path: path.to_string(),
            span: self.span(lines, start, end),
            context,
            context_reason,
            key_environment: KeyEnvironment::Unknown,
            provider: d.provider.clone(),
            attribution: if secret.is_some() {
                Attribution::Pictify
            } else {
                Attribution::Practice
            },
            reason: d.description.clone(),
            confidence: match d.precision.as_str() {
                "very-high" | "high" => Confidence::High,
                "medium" => Confidence::Medium,
                _ => Confidence::Low,
            },
            severity,
            snippet: self.snippet(text, start, end),
            secret,
            binary: false,
            encoding: None,
            git: None,
            verification: None,
        })
    }

    fn span(&self, lines: &mut LineIndex<'_>, start: usize, end: usize) -> Span {
        let (line, column) = lines.position(start);
        let (end_line, end_column) = lines.position(end);
        Span {
            line,
            column,
            end_line,
            end_column,
            byte_start: start,
            byte_end: end,
        }
    }

    /// A short, single-line window around `[start, end)` with every key in it redacted.
    fn snippet(&self, text: &[u8], start: usize, end: usize) -> String {
        const SIDE: usize = 48;
        let (ls, le) = LineIndex::line_bounds(text, start);
        let lo = floor_char(text, start.saturating_sub(SIDE).max(ls));
        let hi = ceil_char(text, (end + SIDE).min(le.max(end)));
        let mut s = String::new();
        if lo > ls {
            s.push('…');
        }
        let window = &text[lo..hi];
        let secret_rel = (start - lo, end.min(hi) - lo);
        let mut last = 0;
        let mut pieces: Vec<(usize, usize)> = vec![secret_rel];
        if !self.opts.show_secrets {
            pieces.extend(any_key_re().find_iter(window).map(|m| (m.start(), m.end())));
        }
        pieces.sort_unstable();
        for (a, b) in pieces {
            if a < last {
                continue;
            }
            s.push_str(&clean(&window[last..a]));
            let val = String::from_utf8_lossy(&window[a..b]);
            if self.opts.show_secrets {
                s.push_str(&val);
            } else {
                s.push_str(&crate::finding::redact(&val));
            }
            last = b;
        }
        s.push_str(&clean(&window[last..]));
        if hi < le {
            s.push('…');
        }
        s.trim().to_string()
    }
}

fn clean(b: &[u8]) -> String {
    String::from_utf8_lossy(b)
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn floor_char(text: &[u8], mut i: usize) -> usize {
    while i > 0 && i < text.len() && (text[i] & 0xC0) == 0x80 {
        i -= 1;
    }
    i
}

fn ceil_char(text: &[u8], mut i: usize) -> usize {
    while i < text.len() && (text[i] & 0xC0) == 0x80 {
        i += 1;
    }
    i
}
