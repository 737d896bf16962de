//! The per-blob pipeline shared by every input (files, git blobs, archive entries):
//! content → matcher → classify → findings.
use crate::classify::attribution::{self, placeholder_reason, KeySite};
use crate::classify::code::Code;
use crate::classify::context::{classify_file, refine, FileContext};
use crate::classify::key_severity;
use crate::classify::lexer::Lang;
use crate::classify::project::{shape_of, NoProject, ProjectFiles};
use crate::content::{self, surrounding, LineIndex};
use crate::decode::{self, Region};
use crate::finding::{
    fingerprint, Attribution, Confidence, Context, Finding, KeyEnvironment, Secret, Severity, Span,
};
use crate::matcher::{EncodedHit, Matcher, RawMatch};
use crate::outcome::{Notice, ScanOutcome};
use crate::rules::{Requirement, Rule, RuleKind, RuleSet};
use regex::bytes::Regex;
use std::sync::OnceLock;

mod window;
pub use window::WINDOWED_ABOVE;

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
    /// Decode base64, percent-encoded, escaped and concatenated keys.
    pub decode: bool,
    /// Every blob sits in this context, for this reason, whatever its path says:
    /// what a deployed site serves runs in browsers (`pkscan url`). Hits can
    /// still be refined within it (a key written to browser storage).
    pub context_override: Option<(Context, String)>,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            include_other_providers: false,
            binary: true,
            show_secrets: false,
            max_findings_per_blob: 100,
            decode: true,
            context_override: None,
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
    /// The blob mentions Pictify (any spelling of the name).
    pub mentions_pictify: bool,
    /// Judging the blob hit a bug (a panic, already printed to stderr by the
    /// hook): what it found is lost, and the caller says so in a notice. One
    /// bad file never stops a scan.
    pub failed: bool,
}

impl BlobResult {
    /// The notice for a blob whose scan failed (see [`BlobResult::failed`]).
    /// The panic's message stays on stderr: it may quote the blob.
    pub fn failure_notice(&self, path: String) -> Option<Notice> {
        self.failed.then(|| {
            Notice::warning_as(
                crate::outcome::cause::INTERNAL,
                path,
                "internal error (a bug) while scanning this file: it was not fully scanned; the message is on stderr, please report it".into(),
            )
        })
    }
}

/// Outcome of [`Scanner::prefilter`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Prefilter {
    /// No rule matched: nothing to report whatever the path.
    Clean,
    /// Some rule matched: run `scan_blob` with the real path.
    Hit,
    /// Binary and binary scanning is off.
    SkippedBinary,
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
    /// Per rule, the outcome of its whole-file checks for the current blob
    /// (`file_requires`/`file_unless`), computed at most once per blob.
    file_checks: Vec<Option<bool>>,
    hits: Vec<EncodedHit>,
    region: Region,
    decoded: Vec<DecodedKey>,
    /// The last prefiltered or scanned text mentions Pictify.
    mentions_pictify: bool,
}

/// A key found by decoding an encoded or split form.
#[derive(Debug)]
struct DecodedKey {
    rule: usize,
    secret: String,
    /// The encoded text in the blob.
    start: usize,
    end: usize,
    encoding: &'static str,
}

/// A key literal ready for attribution: plain, or decoded from `[start, end)`.
struct KeyHit<'a> {
    secret: &'a str,
    start: usize,
    end: usize,
    encoding: Option<&'static str>,
}

/// The lexed code of the blob being classified, built on its first hit and
/// kept for the others (rebuilt around a hit a large file's window misses).
struct CodeCache<'a> {
    text: &'a [u8],
    lang: Option<Lang>,
    code: Option<Code<'a>>,
}

impl<'a> CodeCache<'a> {
    fn new(path: &str, text: &'a [u8], binary: bool) -> CodeCache<'a> {
        let name = path
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or(path)
            .to_ascii_lowercase();
        let head = &text[..text.len().min(256)];
        CodeCache {
            text,
            lang: (!binary).then(|| Lang::of(&name, head)),
            code: None,
        }
    }

    fn at(&mut self, start: usize, end: usize) -> Option<&Code<'a>> {
        let lang = self.lang?;
        if !self.code.as_ref().is_some_and(|c| c.covers(start)) {
            self.code = Some(Code::new(self.text, lang, start, end));
        }
        self.code.as_ref()
    }
}

const ALLOW_MARKER: &[u8] = b"pkscan:allow";

/// One blob being classified: its text and what all its findings share.
struct Blob<'t, 'r> {
    path: &'r str,
    text: &'t [u8],
    binary: bool,
    file: &'r FileContext,
    lines: LineIndex<'t>,
    /// Encoded keys, hidden in every snippet like plain keys are.
    hidden: &'r [(usize, usize)],
    code: CodeCache<'t>,
    key_vars: Vec<KeyVar>,
}

/// A reported key or token: where it is, the variable holding it, and
/// whether the file sends it in a request to Pictify's API.
struct KeyVar {
    at: usize,
    var: Option<String>,
    requests: bool,
}

/// The practice rule that a key sent from the same file to Pictify's API
/// (through a client's base URL, an interceptor, a connection) makes redundant.
const CLIENT_CALL: &str = "pictify.client-side-call";

/// The practice rule for keys under variables the bundler inlines.
const PUBLIC_ENV_VAR: &str = "pictify.public-env-var";

/// Practice rules from the most specific problem to the most general, for
/// keeping one finding where several describe the same code.
const PRACTICE_ORDER: &[&str] = &[
    "pictify.browser-storage",
    "pictify.public-env-var",
    "pictify.client-side-sdk",
    "pictify.client-side-call",
];

/// `pk_` as UTF-16LE: how binaries store strings of compiled resources.
const UTF16_KEY_PREFIX: &[u8] = b"p\0k\0_\0";

/// How far along its line a hit looks for `pkscan:allow` and snippet bounds.
const LINE_NEAR: usize = 4096;

fn any_key_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"pk_(?:live|test)_[A-Za-z0-9_\-]{4,}").unwrap())
}

/// Runs that could be an unprefixed credential (see `looks_like_token`).
fn token_like_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"[A-Za-z0-9+/_\-]{20,}={0,2}").unwrap())
}

/// Letters and digits mixed with some randomness: a token, not a word or a
/// NAME_LIKE_THIS (those have no digits).
fn looks_like_token(run: &[u8]) -> bool {
    let digit = run.iter().any(u8::is_ascii_digit);
    let alpha = run.iter().any(u8::is_ascii_alphabetic);
    digit && alpha && std::str::from_utf8(run).is_ok_and(|s| attribution::entropy(s) >= 3.0)
}

impl Scratch {
    /// Whether the text last prefiltered with this scratch names Pictify.
    pub fn mentions_pictify(&self) -> bool {
        self.mentions_pictify
    }
}

impl Scanner {
    pub fn new(rules: RuleSet, opts: ScanOptions) -> Scanner {
        let matcher = Matcher::with_decode(&rules, opts.decode);
        Scanner {
            rules,
            matcher,
            opts,
        }
    }

    /// Cheap first pass: whether any rule matches `data` at all, before paths and
    /// classification. A superset of what `scan_blob` reports for any path, so an
    /// input that learns a blob's path only later (git history) can run the full
    /// pipeline on the few blobs that pass, with the right path.
    pub fn prefilter(&self, data: &[u8], scratch: &mut Scratch) -> Prefilter {
        let decoded = content::decode(data);
        let binary = decoded.is_binary();
        if binary && !self.opts.binary {
            return Prefilter::SkippedBinary;
        }
        scratch.raw.clear();
        scratch.hits.clear();
        scratch.mentions_pictify = self.matcher.find_with_encoded(
            &self.rules,
            &decoded.text,
            binary,
            &mut scratch.raw,
            &mut scratch.hits,
        );
        let utf16 = binary && memchr::memmem::find(&decoded.text, UTF16_KEY_PREFIX).is_some();
        if scratch.raw.is_empty() && scratch.hits.is_empty() && !utf16 {
            Prefilter::Clean
        } else {
            Prefilter::Hit
        }
    }

    /// Scans one blob. `path` is the display path (it also drives context).
    pub fn scan_blob(&self, path: &str, data: &[u8], scratch: &mut Scratch) -> BlobResult {
        self.scan_blob_in(&NoProject, path, data, scratch)
    }

    /// Scans one blob of a project whose other files (manifests above it)
    /// `project` can read: they say what kind of code the blob is.
    pub fn scan_blob_in(
        &self,
        project: &dyn ProjectFiles,
        path: &str,
        data: &[u8],
        scratch: &mut Scratch,
    ) -> BlobResult {
        let run =
            std::panic::AssertUnwindSafe(|| self.scan_unguarded(project, path, data, scratch));
        std::panic::catch_unwind(run).unwrap_or_else(|_| {
            *scratch = Scratch::default();
            BlobResult {
                failed: true,
                ..Default::default()
            }
        })
    }

    fn scan_unguarded(
        &self,
        project: &dyn ProjectFiles,
        path: &str,
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
        if decoded.text.len() > WINDOWED_ABOVE {
            return self.scan_windows(project, path, &decoded.text, binary, scratch);
        }
        let mut result = self.scan_text(project, path, &decoded.text, binary, scratch);
        if binary {
            self.scan_utf16_strings(path, &decoded.text, scratch, &mut result);
        }
        result
    }

    /// Like [`Scanner::scan_blob`], but the display path is built only when the
    /// prefilter hits: most files of a tree have no keyword hit, and formatting a
    /// path for each of them would be the only allocation on that path.
    pub fn scan_blob_lazy(
        &self,
        project: &dyn ProjectFiles,
        path: impl FnOnce() -> String,
        data: &[u8],
        scratch: &mut Scratch,
    ) -> BlobResult {
        match self.prefilter(data, scratch) {
            Prefilter::Clean => BlobResult {
                mentions_pictify: scratch.mentions_pictify,
                ..Default::default()
            },
            Prefilter::SkippedBinary => BlobResult {
                skipped_binary: true,
                ..Default::default()
            },
            Prefilter::Hit => self.scan_blob_in(project, &path(), data, scratch),
        }
    }

    /// Binaries also hold strings as UTF-16LE (Android binary XML such as a
    /// compiled `AndroidManifest.xml`, .NET and Windows resources). The UTF-16
    /// units around each `pk_` are narrowed to text (other units become line
    /// breaks, so neighbouring strings of a string pool read as nearby lines),
    /// scanned like a binary, and the spans mapped back to the blob.
    fn scan_utf16_strings(
        &self,
        path: &str,
        data: &[u8],
        scratch: &mut Scratch,
        result: &mut BlobResult,
    ) {
        const NEEDLE: &[u8] = UTF16_KEY_PREFIX;
        const BEFORE: usize = 512;
        const MAX_RUN: usize = 4096;
        let printable = |b: u8| (0x20..0x7f).contains(&b) || b == b'\t';
        let finder = memchr::memmem::Finder::new(NEEDLE);
        let mut lines: Option<LineIndex<'_>> = None;
        let mut from = 0;
        while let Some(hit) = finder.find(&data[from..]).map(|i| from + i) {
            // The key's own run ends the window.
            let mut hi = hit;
            while hi + 1 < data.len()
                && hi - hit < 2 * MAX_RUN
                && data[hi + 1] == 0
                && printable(data[hi])
            {
                hi += 2;
            }
            // Context before it, aligned with the hit, never before the last window.
            let mut lo = hit - (hit - from).min(2 * BEFORE);
            if (hit - lo) % 2 == 1 {
                lo += 1;
            }
            let mut narrow: Vec<u8> = Vec::with_capacity((hi - lo) / 2);
            let mut origin: Vec<usize> = Vec::with_capacity((hi - lo) / 2 + 1);
            for i in (lo..hi).step_by(2) {
                let c = if data[i + 1] == 0 && printable(data[i]) {
                    data[i]
                } else {
                    b'\n'
                };
                if c == b'\n' && narrow.last() == Some(&b'\n') {
                    continue;
                }
                narrow.push(c);
                origin.push(i);
            }
            origin.push(hi);
            from = hi.max(hit + NEEDLE.len());
            let found = self.scan_text(&NoProject, path, &narrow, true, scratch);
            result.dropped += found.dropped;
            let lines = lines.get_or_insert_with(|| LineIndex::new(data));
            for mut f in found.findings {
                let (a, b) = (origin[f.span.byte_start], origin[f.span.byte_end]);
                f.span = self.span(lines, a, b);
                f.encoding = Some("utf-16le".into());
                f.reason = f.reason.replace(
                    "found as a byte string in a binary file",
                    "found as a UTF-16 string in a binary file",
                );
                if result.findings.len() >= self.opts.max_findings_per_blob {
                    result.dropped += 1;
                } else {
                    result.findings.push(f);
                }
            }
        }
    }

    /// Matches and classifies decoded text (`binary`: literal key rules only).
    fn scan_text(
        &self,
        project: &dyn ProjectFiles,
        path: &str,
        text: &[u8],
        binary: bool,
        scratch: &mut Scratch,
    ) -> BlobResult {
        scratch.raw.clear();
        scratch.hits.clear();
        scratch.decoded.clear();
        let mentions_pictify = self.matcher.find_with_encoded(
            &self.rules,
            text,
            binary,
            &mut scratch.raw,
            &mut scratch.hits,
        );
        let nothing = BlobResult {
            mentions_pictify,
            ..Default::default()
        };
        if scratch.raw.is_empty() && scratch.hits.is_empty() {
            return nothing;
        }
        self.decode_hits(text, scratch);
        if scratch.raw.is_empty() && scratch.decoded.is_empty() {
            return nothing;
        }
        let shape = if binary {
            None
        } else {
            shape_of(project, path, text)
        };
        let file_ctx = match &self.opts.context_override {
            Some((context, reason)) => FileContext {
                context: *context,
                reason: reason.clone(),
                project: shape,
            },
            None => classify_file(path, text, binary, shape),
        };
        let mut result = BlobResult {
            mentions_pictify,
            ..Default::default()
        };
        // Encoded text is hidden in every snippet, like plain keys are.
        let hidden: Vec<(usize, usize)> =
            scratch.decoded.iter().map(|d| (d.start, d.end)).collect();
        let mut blob = Blob {
            path,
            text,
            binary,
            file: &file_ctx,
            lines: LineIndex::new(text),
            hidden: &hidden,
            code: CodeCache::new(path, text, binary),
            key_vars: Vec::new(),
        };
        let push = |result: &mut BlobResult, f: Option<Finding>| {
            let Some(mut f) = f else { return };
            if binary {
                f.binary = true;
            }
            if result.findings.len() >= self.opts.max_findings_per_blob {
                result.dropped += 1;
            } else {
                result.findings.push(f);
            }
        };
        let Scratch {
            raw: raws,
            file_checks,
            decoded,
            ..
        } = scratch;
        file_checks.clear();
        file_checks.resize(self.rules.rules.len(), None);
        for (i, raw) in raws.iter().enumerate() {
            if result.findings.len() >= self.opts.max_findings_per_blob {
                // A file stuffed with keys must not cost a full analysis of each.
                result.dropped += raws.len() - i;
                break;
            }
            let rule = &self.rules.rules[raw.rule];
            let finding = match rule.kind() {
                RuleKind::Key => {
                    let Ok(secret) = std::str::from_utf8(&text[raw.secret_start..raw.secret_end])
                    else {
                        continue;
                    };
                    let hit = KeyHit {
                        secret,
                        start: raw.secret_start,
                        end: raw.secret_end,
                        encoding: None,
                    };
                    self.key_finding(rule, &hit, &mut blob)
                }
                RuleKind::Practice | RuleKind::Token => {
                    let file_ok = &mut file_checks[raw.rule];
                    self.practice_finding(rule, raw, file_ok, &mut blob)
                }
                RuleKind::Lookalike => None,
            };
            push(&mut result, finding);
        }
        for (i, d) in decoded.iter().enumerate() {
            if result.findings.len() >= self.opts.max_findings_per_blob {
                result.dropped += decoded.len() - i;
                break;
            }
            let hit = KeyHit {
                secret: &d.secret,
                start: d.start,
                end: d.end,
                encoding: Some(d.encoding),
            };
            let rule = &self.rules.rules[d.rule];
            let f = self.key_finding(rule, &hit, &mut blob);
            push(&mut result, f);
        }
        self.one_finding_per_problem(&mut result.findings, &mut blob.code, &blob.key_vars);
        // A public variable read in several places of a file (imported, then
        // used) is one problem: its first mention is reported.
        let mut seen_vars: Vec<String> = Vec::new();
        result.findings.retain(|f| {
            if f.rule_id != PUBLIC_ENV_VAR {
                return true;
            }
            let Some(v) = crate::classify::context::bundler_var_in(
                &text[f.span.byte_start..f.span.byte_end.min(text.len())],
            ) else {
                return true;
            };
            if seen_vars.contains(&v) {
                return false;
            }
            seen_vars.push(v);
            true
        });
        // A token rule that matched the encoded form of a key a key rule already
        // decoded (a base64 `pk_live_…` in a Kubernetes Secret) is the same secret.
        let key_spans: Vec<(usize, usize)> = result
            .findings
            .iter()
            .filter(|f| self.kind_of(&f.rule_id) != Some(RuleKind::Token) && f.secret.is_some())
            .map(|f| (f.span.byte_start, f.span.byte_end))
            .collect();
        if !key_spans.is_empty() {
            result.findings.retain(|f| {
                self.kind_of(&f.rule_id) != Some(RuleKind::Token)
                    || !key_spans
                        .iter()
                        .any(|&(a, b)| a < f.span.byte_end && f.span.byte_start < b)
            });
        }
        result
    }

    /// Weighs project-level evidence once a whole project has been scanned
    /// (a directory or a repository's history, not staged changes) for the
    /// keys nothing in their own file tied to an owner: a project that names
    /// Pictify somewhere uses Pictify, and they are taken as its keys (low
    /// confidence, full severity); in a project that never names Pictify they
    /// are another provider's (hidden unless other providers are shown).
    pub fn settle_project(&self, outcome: &mut ScanOutcome) {
        if outcome.partial {
            return;
        }
        if outcome.mentions_pictify {
            for f in &mut outcome.findings {
                if f.attribution == Attribution::Unattributed {
                    f.attribution = Attribution::Pictify;
                    f.confidence = Confidence::Low;
                    f.severity = key_severity(f.key_environment, f.context);
                    f.reason = f.reason.replace(
                        attribution::UNATTRIBUTED,
                        "the project uses Pictify (other files name it) and nothing ties the key to another provider",
                    );
                }
            }
            return;
        }
        let Some(other) = self.rules.get(attribution::OTHER_RULE) else {
            return;
        };
        let show = self.opts.include_other_providers;
        outcome.findings.retain_mut(|f| {
            if f.attribution != Attribution::Unattributed {
                return true;
            }
            if !show {
                return false;
            }
            let Some(secret) = &f.secret else { return true };
            f.rule_id = other.def.id.clone();
            f.rule_name = other.def.name.clone();
            f.fingerprint = fingerprint(&f.rule_id, secret.expose());
            f.attribution = Attribution::OtherProvider;
            f.provider = "unknown".into();
            f.confidence = Confidence::Low;
            f.severity = Severity::Note;
            f.reason = f.reason.replace(
                attribution::UNATTRIBUTED,
                "not Pictify's: nothing in the project names Pictify, and nothing in the code ties the key to it",
            );
            true
        });
    }

    /// Keeps one finding per problem. A key or token reported where a practice
    /// finding points already says what it would (keep it server-side, rotate
    /// it), with the key to act on: `new Pictify({ apiKey: 'pk_live_…' })` in
    /// client code is one finding, and so is a `fetch(…)` whose headers hold
    /// the key three lines below, or use the variable holding it. Of practice
    /// findings on the same code, the most specific stays (a key in storage,
    /// then a public variable, then a client, then a request).
    fn one_finding_per_problem(
        &self,
        findings: &mut Vec<Finding>,
        code: &mut CodeCache<'_>,
        key_vars: &[KeyVar],
    ) {
        let reported: Vec<&KeyVar> = key_vars
            .iter()
            .filter(|k| {
                findings.iter().any(|f| {
                    f.secret.is_some()
                        && f.attribution.reported_by_default()
                        && f.span.byte_start <= k.at
                        && k.at < f.span.byte_end.max(f.span.byte_start + 1)
                })
            })
            .collect();
        let key_lines: Vec<usize> = findings
            .iter()
            .filter(|f| f.secret.is_some() && f.attribution.reported_by_default())
            .map(|f| f.span.line)
            .collect();
        let mut statements: Vec<Option<Vec<(usize, usize)>>> = Vec::with_capacity(findings.len());
        for f in findings.iter() {
            statements.push(if f.secret.is_some() {
                None
            } else {
                code.at(f.span.byte_start, f.span.byte_end)
                    .map(|c| c.related_statements(f.span.byte_start))
            });
        }
        let covered = |i: usize, f: &Finding| -> bool {
            if key_lines
                .iter()
                .any(|l| (f.span.line..=f.span.end_line).contains(l))
            {
                return true;
            }
            let Some(spans) = &statements[i] else {
                return false;
            };
            reported.iter().any(|k| {
                (f.rule_id == CLIENT_CALL && k.requests)
                    || spans.iter().any(|&(s, e)| (s..e).contains(&k.at))
                    || k.var.as_deref().is_some_and(|v| {
                        code.code
                            .as_ref()
                            .is_some_and(|c| spans.iter().any(|&sp| c.mentions_in(sp, v)))
                    })
            })
        };
        let mut drop = vec![false; findings.len()];
        for (i, f) in findings.iter().enumerate() {
            if f.secret.is_none() && !reported.is_empty() && covered(i, f) {
                drop[i] = true;
            }
        }
        let rank = |id: &str| {
            PRACTICE_ORDER
                .iter()
                .position(|r| *r == id)
                .unwrap_or(PRACTICE_ORDER.len())
        };
        let mut order: Vec<usize> = (0..findings.len()).collect();
        order.sort_by_key(|&i| rank(&findings[i].rule_id));
        let mut taken: Vec<(usize, usize)> = Vec::new();
        for i in order {
            let f = &findings[i];
            if drop[i] || f.secret.is_some() || !PRACTICE_ORDER.contains(&f.rule_id.as_str()) {
                continue;
            }
            let mine = statements[i].as_ref().and_then(|v| v.first().copied());
            let overlaps = taken
                .iter()
                .any(|&(s, e)| mine.is_some_and(|(ms, me)| ms < e && s < me));
            if overlaps {
                drop[i] = true;
            } else if let Some(m) = mine {
                taken.push(m);
            }
        }
        let mut i = 0;
        findings.retain(|_| {
            i += 1;
            !drop[i - 1]
        });
    }

    fn kind_of(&self, rule_id: &str) -> Option<RuleKind> {
        self.rules.get(rule_id).map(Rule::kind)
    }

    /// Decodes the regions around encoded-form hits and runs the decodable key
    /// rules over them. A decoded key that overlaps a plain key match replaces
    /// it when it extends it (`'pk_live_Ab…' + 'cd'`), and is dropped otherwise.
    fn decode_hits(&self, text: &[u8], scratch: &mut Scratch) {
        let Scratch {
            raw,
            hits,
            region,
            decoded,
            ..
        } = scratch;
        for hit in hits.iter() {
            if !decode::decode_at(text, hit.trigger, hit.start, hit.end, region) {
                continue;
            }
            for &r in self.matcher.decode_rules() {
                let rule = &self.rules.rules[r];
                let Some(re) = &rule.pattern else { continue };
                for caps in re.captures_iter(&region.bytes) {
                    let Some(sec) = caps.get(rule.secret_group()) else {
                        continue;
                    };
                    if sec.end() <= region.min_end || sec.is_empty() {
                        continue;
                    }
                    let Ok(secret) = std::str::from_utf8(sec.as_bytes()) else {
                        continue;
                    };
                    let (start, end) = region.span(sec.start(), sec.end());
                    decoded.push(DecodedKey {
                        rule: r,
                        secret: secret.to_string(),
                        start,
                        end,
                        encoding: region.encoding,
                    });
                }
            }
        }
        if decoded.is_empty() {
            return;
        }
        decoded.sort_by_key(|d| (d.start, d.rule));
        decoded.dedup_by(|b, a| a.rule == b.rule && a.start == b.start);
        // Plain key matches by start, to find the ones a decoded key overlaps
        // without comparing every pair.
        let rules = &self.rules.rules;
        let mut plain: Vec<(usize, usize, usize)> = raw
            .iter()
            .enumerate()
            .filter(|(_, m)| rules[m.rule].kind() == RuleKind::Key)
            .map(|(i, m)| (m.secret_start, m.secret_end, i))
            .collect();
        plain.sort_unstable();
        let longest = plain.iter().map(|p| p.1 - p.0).max().unwrap_or(0);
        let mut replaced = vec![false; raw.len()];
        decoded.retain(|d| {
            let lo = plain.partition_point(|p| p.0 + longest <= d.start);
            let hi = plain.partition_point(|p| p.0 < d.end);
            let overlapping = plain[lo..hi.max(lo)].iter().filter(|p| p.1 > d.start);
            // Kept only if it extends every plain match it overlaps; those go.
            let keep = overlapping.clone().all(|&(s, e, _)| {
                d.secret.len() > e - s && d.secret.as_bytes().starts_with(&text[s..e])
            });
            if keep {
                for &(_, _, i) in overlapping {
                    replaced[i] = true;
                }
            }
            keep
        });
        let mut i = 0;
        raw.retain(|_| {
            i += 1;
            !replaced[i - 1]
        });
    }

    fn allowed(text: &[u8], start: usize) -> bool {
        let (ls, le) = content::line_bounds_near(text, start, LINE_NEAR);
        memchr::memmem::find(&text[ls..le], ALLOW_MARKER).is_some()
    }

    fn key_finding(&self, rule: &Rule, hit: &KeyHit<'_>, b: &mut Blob<'_, '_>) -> Option<Finding> {
        let (path, text, binary, file_ctx, hidden) = (b.path, b.text, b.binary, b.file, b.hidden);
        let Blob {
            lines,
            code,
            key_vars,
            ..
        } = b;
        let secret = hit.secret;
        if !binary && Self::allowed(text, hit.start) {
            return None;
        }
        let lexed = code.at(hit.start, hit.end);
        let site = lexed.map(|c| c.site(hit.start, hit.end)); // Whether the code sends the key in a request to Pictify's API (then a
                                                              // `client-side-call` finding in this file is the same problem).
        let requests = match (lexed, site.as_ref()) {
            (Some(c), Some(s)) => {
                attribution::provider_credential(&self.rules, "Pictify", s, None, c.url_hosts())
                    .is_some_and(|why| why.contains(attribution::SENT))
            }
            _ => false,
        };
        key_vars.push(KeyVar {
            at: hit.start,
            var: site.as_ref().and_then(|s| s.defined_as.clone()),
            requests,
        });
        let verdict = attribution::attribute(
            &self.rules,
            &KeySite {
                path,
                text,
                secret,
                start: hit.start,
                end: hit.end,
                site: site.as_ref(),
                imports: lexed.map_or(&[], |c| c.imports()),
            },
        );
        if !verdict.attribution.reported_by_default() && !self.opts.include_other_providers {
            return None;
        }
        let (ss, se) = surrounding(text, hit.start, hit.end, 0, 200);
        let (mut context, mut context_reason) = refine(file_ctx, &text[ss..se], binary);
        if let Some((c, why)) = site
            .as_ref()
            .and_then(|s| where_code_runs(file_ctx, text, hit.start, s))
        {
            (context, context_reason) = (c, why);
        }
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
            // A guess is reported one step lower than a key known to be Pictify's.
            Attribution::Unattributed => key_severity(env, context).lower(),
            _ => key_severity(env, context),
        };
        let mut reason = verdict.reason;
        if binary {
            reason.push_str("; found as a byte string in a binary file");
        }
        if let Some(enc) = hit.encoding {
            reason.push_str(&format!("; decoded from {}", encoding_phrase(enc)));
        }
        Some(Finding {
            fingerprint: fingerprint(&rule_id, secret),
            rule_id,
            rule_name,
            path: path.to_string(),
            span: self.span(lines, hit.start, hit.end),
            context,
            context_reason,
            key_environment: env,
            provider: verdict.provider,
            attribution: verdict.attribution,
            reason,
            confidence: verdict.confidence,
            severity,
            snippet: self.snippet(text, hit.start, hit.end, true, false, hidden),
            secret: Some(Secret::new(secret)),
            binary,
            encoding: hit.encoding.map(str::to_string),
            git: None,
            web: None,
            verification: None,
            root: None,
            link: None,
            incremental: None,
        })
    }

    fn practice_finding(
        &self,
        rule: &Rule,
        raw: &RawMatch,
        file_ok: &mut Option<bool>,
        b: &mut Blob<'_, '_>,
    ) -> Option<Finding> {
        let (path, text, file_ctx, hidden) = (b.path, b.text, b.file, b.hidden);
        let Blob {
            lines,
            code,
            key_vars,
            ..
        } = b;
        if Self::allowed(text, raw.start) {
            return None;
        }
        let (ss, se) = surrounding(text, raw.start, raw.end, 0, 200);
        let (mut context, mut context_reason) = refine(file_ctx, &text[ss..se], false);
        let d = &rule.def;
        if !d.contexts.is_empty()
            && !d.contexts.contains(&context)
            && !d.contexts.contains(&file_ctx.context)
        {
            return None;
        }
        // What the rule reports: the secret of a token rule, the whole match otherwise.
        let (start, end) = if d.kind == RuleKind::Token {
            (raw.secret_start, raw.secret_end)
        } else {
            (raw.start, raw.end)
        };
        let reported = &text[start..end];
        if rule
            .match_requires
            .as_ref()
            .is_some_and(|r| !r.is_match(reported))
            || rule
                .match_unless
                .as_ref()
                .is_some_and(|r| r.is_match(reported))
        {
            return None;
        }
        let n = d.near_lines.unwrap_or(3);
        let (ns, ne) = surrounding(text, raw.start, raw.end, n, 600);
        let near = &text[ns..ne];
        if !rule.near.iter().all(|r| r.is_match(near)) {
            return None;
        }
        if rule.unless_near.as_ref().is_some_and(|r| r.is_match(near)) {
            return None;
        }
        // Whole-file checks last and once per blob: each is a pass over the blob.
        let ok = *file_ok.get_or_insert_with(|| {
            rule.file_requires.as_ref().is_none_or(|r| r.is_match(text))
                && !rule.file_unless.as_ref().is_some_and(|r| r.is_match(text))
        });
        if !ok {
            return None;
        }
        let mut reason = d.description.clone();
        let mut shown_by_code = false;
        let secret = if d.kind == RuleKind::Token {
            let s = std::str::from_utf8(reported).ok()?;
            if placeholder_reason(s).is_some() || attribution::entropy(s) < 3.0 {
                return None;
            }
            // The base64 of a `pk_` key or placeholder (a Kubernetes Secret's
            // data) is judged as that key, by the key rule's decoder.
            if self.opts.decode && encodes_a_key(s) {
                return None;
            }
            // Such a token is the provider's only by what the code does with it.
            if d.requires == Some(Requirement::Credential) {
                let c = code.at(start, end)?;
                let site = c.site(start, end);
                let why = attribution::provider_credential(
                    &self.rules,
                    &d.provider,
                    &site,
                    c.text_of_comment(start),
                    c.url_hosts(),
                )?;
                key_vars.push(KeyVar {
                    at: start,
                    var: site.defined_as.clone(),
                    requests: why.contains(attribution::SENT),
                });
                reason = format!("{reason} It is {why}.");
                shown_by_code = true;
            }
            Some(Secret::new(s))
        } else {
            None
        };
        if let Some(rc) = d.report_context {
            if rc != context {
                context = rc;
                context_reason = d.name.clone();
            }
        }
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
        // A token rule without a fixed severity ranks like a key of unknown
        // environment in the same place.
        let severity = match (d.severity, d.kind) {
            (Some(s), _) => s,
            (None, RuleKind::Token) => key_severity(KeyEnvironment::Unknown, context),
            (None, _) => Severity::High,
        };
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
            reason,
            confidence: match d.precision.as_str() {
                // The code itself shows what the token is.
                _ if shown_by_code => Confidence::High,
                "very-high" | "high" => Confidence::High,
                "medium" => Confidence::Medium,
                _ => Confidence::Low,
            },
            severity,
            // The matched code of a practice rule is shown; anything on the line
            // that looks like a token (a `.env` value next to a public name) is not.
            snippet: self.snippet(text, start, end, secret.is_some(), true, hidden),
            secret,
            binary: false,
            encoding: None,
            git: None,
            web: None,
            verification: None,
            root: None,
            link: None,
            incremental: None,
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

    /// A short, single-line window around `[start, end)` with every key in it
    /// redacted: `[start, end)` itself when `redact_span` (it is the secret), with
    /// `redact_tokens` also every token-like run (unprefixed credentials), and
    /// the `hidden` spans (encoded keys).
    fn snippet(
        &self,
        text: &[u8],
        start: usize,
        end: usize,
        redact_span: bool,
        redact_tokens: bool,
        hidden: &[(usize, usize)],
    ) -> String {
        const SIDE: usize = 48;
        let (ls, le) = content::line_bounds_near(text, start, LINE_NEAR);
        let mut lo = floor_char(text, start.saturating_sub(SIDE).max(ls));
        let mut hi = ceil_char(text, (end + SIDE).min(le.max(end)));
        // Never cut through a key or token at the window's edge: a cut-off
        // piece would be too short to be recognised and redacted.
        let tok = |b: u8| b.is_ascii_alphanumeric() || b"+/_-=".contains(&b);
        let (lo_cap, hi_cap) = (lo.saturating_sub(256).max(ls), (hi + 256).min(le.max(end)));
        while lo > lo_cap && tok(text[lo - 1]) && tok(text[lo]) {
            lo -= 1;
        }
        while hi < hi_cap && tok(text[hi]) && hi > 0 && tok(text[hi - 1]) {
            hi += 1;
        }
        let mut s = String::new();
        if lo > ls {
            s.push('…');
        }
        let window = &text[lo..hi];
        let secret_rel = (start - lo, end.min(hi) - lo);
        let mut last = 0;
        let mut pieces: Vec<(usize, usize)> = Vec::new();
        if redact_span {
            pieces.push(secret_rel);
        }
        if !self.opts.show_secrets {
            pieces.extend(any_key_re().find_iter(window).map(|m| (m.start(), m.end())));
            if redact_tokens {
                pieces.extend(
                    token_like_re()
                        .find_iter(window)
                        .filter(|m| looks_like_token(m.as_bytes()))
                        .map(|m| (m.start(), m.end())),
                );
            }
            pieces.extend(
                hidden
                    .iter()
                    .filter(|&&(a, b)| a < hi && b > lo && (a, b) != (start, end))
                    .map(|&(a, b)| (a.max(lo) - lo, b.min(hi) - lo)),
            );
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

/// A value in a framework's configuration under a name that the framework
/// hands to the browser or the app (`next.config.js` `env`, Expo `extra`,
/// Vite `define`): the project's client context, not the config file's.
fn client_setting(
    file: &FileContext,
    site: &crate::classify::code::Site,
) -> Option<(Context, String)> {
    if !matches!(file.context, Context::Config | Context::Server) {
        return None;
    }
    // A value printed into pages as JavaScript (`wp_localize_script`).
    let k = crate::classify::evidence::knowledge();
    if let Some(c) = site.calls.iter().find(|c| {
        !c.tag
            && k.client_calls
                .iter()
                .any(|x| *x == c.callee || c.callee.ends_with(&format!(".{x}")))
    }) {
        return Some((
            Context::ClientJs,
            format!("passed to `{}`, which prints it into every page", c.callee),
        ));
    }
    // An inline script of a page template (ERB, Jinja, Blade, EJS) is
    // rendered into every page: browser code, though the file is a server's.
    if site.calls.iter().any(|c| c.tag && c.callee == "script") {
        return Some((
            Context::ClientJs,
            "in an inline `<script>` of a page template, rendered into the page".into(),
        ));
    }
    let shape = file.project.as_ref()?;
    let kind = shape.kind();
    let slot = site.slots.iter().find(|s| {
        kind.client_slots.iter().any(|c| {
            s.rsplit('.')
                .next()
                .is_some_and(|l| l.eq_ignore_ascii_case(c))
        })
    })?;
    Some((
        kind.context,
        format!(
            "`{slot}` in `{}` of a {} reaches {}",
            shape.rel,
            kind.name,
            if kind.context == Context::Mobile {
                "the app"
            } else {
                "the browser"
            }
        ),
    ))
}

/// Where the code around a key runs, when the code itself says more than the
/// file does: a framework's server-only function in a client file
/// (`getServerSideProps`, a Remix `loader`), an Astro frontmatter, or a value
/// of a server or config file that reaches the browser (`client_setting`).
fn where_code_runs(
    file: &FileContext,
    text: &[u8],
    at: usize,
    site: &crate::classify::code::Site,
) -> Option<(Context, String)> {
    if site
        .functions
        .iter()
        .any(|f| f == crate::classify::code::TEST_ITEM)
        && file.context != Context::Docs
    {
        return Some((
            Context::Test,
            "in an item compiled only for tests (`#[cfg(test)]`)".into(),
        ));
    }
    if let Some(shape) = &file.project {
        let kind = shape.kind();
        if matches!(file.context, Context::ClientJs | Context::Mobile) {
            let wrappers = site.calls.iter().filter(|c| !c.tag).map(|c| &c.callee);
            if let Some(f) = site
                .functions
                .iter()
                .chain(wrappers)
                .find(|f| kind.server_functions.iter().any(|s| s == *f))
            {
                return Some((
                    Context::Server,
                    format!(
                        "inside `{f}`, which a {} runs only on the server",
                        kind.name
                    ),
                ));
            }
            if let Some(c) = kind.frontmatter_context {
                if in_frontmatter(text, at) {
                    return Some((
                        c,
                        format!(
                            "in the frontmatter of a {} page, which runs on the server",
                            kind.name
                        ),
                    ));
                }
            }
        }
    }
    client_setting(file, site)
}

/// Whether `at` lies between a file's leading `---` fences.
fn in_frontmatter(text: &[u8], at: usize) -> bool {
    let Some(rest) = text.strip_prefix(b"---") else {
        return false;
    };
    let body = 3;
    match memchr::memmem::find(rest, b"\n---") {
        Some(end) => at >= body && at < body + end,
        None => false,
    }
}

/// Whether a token is the base64 of a `pk_live_`/`pk_test_` string.
fn encodes_a_key(token: &str) -> bool {
    use base64::Engine;
    let t = token.trim_end_matches('=');
    [
        base64::engine::general_purpose::STANDARD_NO_PAD,
        base64::engine::general_purpose::URL_SAFE_NO_PAD,
    ]
    .iter()
    .filter_map(|e| e.decode(t).ok())
    .any(|d| d.starts_with(b"pk_live_") || d.starts_with(b"pk_test_"))
}

/// How the reason line names an encoding.
fn encoding_phrase(enc: &str) -> &str {
    match enc {
        "percent" => "percent-encoding",
        "js-escape" => "JavaScript/JSON escapes",
        "concatenation" => "string literals joined together",
        other => other,
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
