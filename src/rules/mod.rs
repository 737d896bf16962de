//! Rules as data: the TOML schema, the built-in rule files embedded from `rules/`,
//! loading user rule files, and compiling them into regexes.
mod lazy;
pub mod validators;

use crate::finding::{Context, Severity};
use regex::bytes::Regex;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// Errors from loading or compiling rules.
#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    #[error("cannot read rule file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid rule file {file}: {message}")]
    Parse { file: String, message: String },
    #[error("rule {id} in {file}: {message}")]
    Invalid {
        id: String,
        file: String,
        message: String,
    },
    #[error("duplicate rule id {id} (in {first} and {second})")]
    Duplicate {
        id: String,
        first: String,
        second: String,
    },
}

/// What a rule looks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleKind {
    /// A Pictify key literal (`pk_live_…`/`pk_test_…`), attributed against look-alikes.
    Key,
    /// Another provider's publishable key with the same prefixes; used for attribution.
    Lookalike,
    /// Unsafe handling of Pictify keys without a literal key in the code.
    Practice,
    /// A credential recognised by the code around it rather than by its prefix.
    Token,
}

/// An example for `rules check`: plain text, or text with the path it lives at
/// (the path drives the context classification).
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub enum Example {
    Text(String),
    WithPath { path: String, text: String },
}

impl Example {
    pub fn path(&self) -> &str {
        match self {
            Example::Text(_) => "example.txt",
            Example::WithPath { path, .. } => path,
        }
    }
    pub fn text(&self) -> &str {
        match self {
            Example::Text(t) => t,
            Example::WithPath { text, .. } => text,
        }
    }
}

/// A rule as written in a TOML file (`[[rule]]` tables).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    /// Stable identifier; baselines and SARIF alerts depend on it.
    pub id: String,
    pub name: String,
    pub description: String,
    pub kind: RuleKind,
    /// Who issues the credential (`Pictify`, `Stripe`, ...).
    #[serde(default = "default_provider")]
    pub provider: String,
    /// Literal strings for the Aho-Corasick prefilter; one must occur for the rule to run.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Also prefilter on the lower-case, UPPER-CASE and Capitalized forms of each
    /// keyword (the casings identifiers use), so `pictify` finds `Pictify` and
    /// `PICTIFY` too. The automaton itself stays case-sensitive: ASCII
    /// case-insensitive matching would switch off its SIMD prefilter.
    #[serde(default)]
    pub keyword_casings: bool,
    /// Where the regex runs once a keyword is seen: `window` (default: a window
    /// around each keyword hit) or `file` (the whole blob; for rules whose
    /// pattern sits anywhere in a file that mentions the keyword).
    #[serde(default)]
    pub keyword_scope: KeywordScope,
    /// Regex confirming a match. For `key` and `token` rules, capture group 1
    /// (or the group named `secret`) is the secret.
    #[serde(default)]
    pub pattern: Option<String>,
    /// Look-alikes: the whole key must match this to belong to the provider.
    #[serde(default)]
    pub shape: Option<String>,
    /// Look-alikes: a shape so specific that it attributes the key without any context.
    #[serde(default)]
    pub distinctive: Option<String>,
    /// Look-alikes: regexes whose presence near a key names the provider.
    #[serde(default)]
    pub context: Vec<String>,
    /// Look-alikes: a built-in structural check of the key body (`clerk-frontend-api`).
    #[serde(default)]
    pub validator: Option<String>,
    /// Key and look-alike rules: the provider's SDK packages as imported or
    /// declared in a manifest (npm `@liveblocks/client`, PyPI, Maven group
    /// `com.stripe`, CocoaPods, pub, gems, Go modules). A key passed to a call
    /// whose callee comes from one of them is the provider's.
    #[serde(default)]
    pub packages: Vec<String>,
    /// Key and look-alike rules: callees whose name alone identifies the
    /// provider (`loadStripe`, `new Magic`, `Stripe.setPublishableKey`); generic
    /// names (`createClient`) belong in `packages` instead.
    #[serde(default)]
    pub calls: Vec<String>,
    /// Key and look-alike rules: option, property or attribute names the
    /// provider's docs pass the key under (`publicApiKey`, `publishableKey`).
    #[serde(default)]
    pub options: Vec<String>,
    /// Key and look-alike rules: hosts of the provider's HTTP API; a key sent
    /// as a credential to one is the provider's (`api.pictify.io`).
    #[serde(default)]
    pub api_hosts: Vec<String>,
    /// Key and look-alike rules: hosts the provider serves its browser script
    /// from (`js.stripe.com`); a key handed to that script is the provider's.
    #[serde(default)]
    pub script_hosts: Vec<String>,
    /// Practice and token rules: severity of a finding (key rules use key kind × context).
    #[serde(default)]
    pub severity: Option<Severity>,
    /// Practice and token rules: report only in files of these contexts (empty: any).
    #[serde(default)]
    pub contexts: Vec<Context>,
    /// Practice and token rules: the file must also match this regex somewhere.
    #[serde(default)]
    pub file_requires: Option<String>,
    /// Practice and token rules: a file matching this regex anywhere is skipped
    /// (markers such as `'use server'` that put the whole file on a server).
    #[serde(default)]
    pub file_unless: Option<String>,
    /// Practice and token rules: the lines around the match must match this regex
    /// (a string), or every one of these regexes (a list).
    #[serde(default)]
    pub near: OneOrMany,
    /// How many lines around the match `near` looks at (default 3).
    #[serde(default)]
    pub near_lines: Option<usize>,
    /// Practice and token rules: a match whose surrounding lines match this is dropped.
    #[serde(default)]
    pub unless_near: Option<String>,
    /// Practice and token rules: what the rule reports (the secret of a token
    /// rule, the whole match of a practice rule) must match this regex.
    #[serde(default)]
    pub match_requires: Option<String>,
    /// Practice and token rules: what the rule reports is dropped if it matches
    /// this regex (e.g. `^pk_` so a token rule leaves prefixed keys to the key rule).
    #[serde(default)]
    pub match_unless: Option<String>,
    /// Practice and token rules: the context findings are reported in, whatever
    /// the file's (for rules that themselves recognise where a key goes, such as
    /// browser storage). Checked against `contexts` before it is applied.
    #[serde(default)]
    pub report_context: Option<Context>,
    /// Token rules: `credential` reports a candidate only when the code treats
    /// it as this provider's credential: sent as one in a request to the
    /// provider's API host (`api_hosts` of its key rules), passed to its client,
    /// or assigned to a name naming it, directly or through one variable.
    #[serde(default)]
    pub requires: Option<Requirement>,
    /// Opt out of decoding encoded forms for this rule.
    #[serde(default)]
    pub no_decode: bool,
    /// SARIF precision: very-high, high, medium or low.
    #[serde(default = "default_precision")]
    pub precision: String,
    /// What to do about it; shown in text output and SARIF help.
    #[serde(default)]
    pub remediation: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub examples: Vec<Example>,
    #[serde(default)]
    pub negative_examples: Vec<Example>,
}

/// What a token rule's candidate must be shown to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Requirement {
    Credential,
}

/// Where a rule's regex runs after a keyword hit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum KeywordScope {
    #[default]
    Window,
    File,
}

/// A regex field that takes one pattern or a list of patterns.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    #[default]
    None,
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn patterns(&self) -> Vec<&str> {
        match self {
            OneOrMany::None => Vec::new(),
            OneOrMany::One(p) => vec![p.as_str()],
            OneOrMany::Many(ps) => ps.iter().map(String::as_str).collect(),
        }
    }
}

fn default_provider() -> String {
    "Pictify".to_string()
}
fn default_precision() -> String {
    "high".to_string()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    #[serde(default)]
    rule: Vec<RuleDef>,
}

/// A rule ready to run.
#[derive(Debug)]
pub struct Rule {
    pub def: RuleDef,
    /// Where it came from (built-in file name or user path), for messages.
    pub source: String,
    pub pattern: Option<LazyBytes>,
    /// The capture group holding the secret: found at load for user rules (so
    /// a missing group is an error then), on first use for built-in ones
    /// (parsing every pattern at startup cost a tenth of it; tests check them).
    secret_group: OnceLock<usize>,
    pub shape: Option<LazyStr>,
    pub distinctive: Option<LazyStr>,
    pub context: Vec<LazyBytes>,
    pub file_requires: Option<LazyBytes>,
    pub file_unless: Option<LazyBytes>,
    /// All must match the lines around a match.
    pub near: Vec<LazyBytes>,
    pub unless_near: Option<LazyBytes>,
    pub match_requires: Option<LazyBytes>,
    pub match_unless: Option<LazyBytes>,
}

/// A byte regex compiled on first use (see `lazy`).
pub type LazyBytes = lazy::Lazy<Regex>;

impl Rule {
    /// The capture group of `pattern` that holds the secret (0: the whole match,
    /// for rules that report no secret).
    pub fn secret_group(&self) -> usize {
        *self.secret_group.get_or_init(|| {
            if !matches!(self.def.kind, RuleKind::Key | RuleKind::Token) {
                return 0;
            }
            self.pattern
                .as_ref()
                .and_then(|re| re.capture_names().position(|n| n == Some("secret")))
                .unwrap_or(1)
        })
    }
}
/// A string regex compiled on first use (see `lazy`).
pub type LazyStr = lazy::Lazy<regex::Regex>;

impl Rule {
    pub fn id(&self) -> &str {
        &self.def.id
    }
    pub fn kind(&self) -> RuleKind {
        self.def.kind
    }

    /// The literal strings the prefilter looks for: the keywords, plus their
    /// common casings when `keyword_casings` is set. De-duplicated, in order.
    pub fn prefilter_keywords(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for kw in &self.def.keywords {
            let mut forms = vec![kw.clone()];
            if self.def.keyword_casings {
                let lower = kw.to_ascii_lowercase();
                let mut title = lower.clone();
                if let Some(first) = title.get_mut(0..1) {
                    first.make_ascii_uppercase();
                }
                forms.extend([lower, kw.to_ascii_uppercase(), title]);
            }
            for f in forms {
                if !out.contains(&f) {
                    out.push(f);
                }
            }
        }
        out
    }
}

/// All rules of a run, in a stable order (built-in files by name, then user files).
#[derive(Debug, Default)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
}

impl RuleSet {
    /// The rules compiled into the binary.
    pub fn builtin() -> Result<RuleSet, RuleError> {
        let mut set = RuleSet::default();
        for (name, json) in BUILTIN_RULES_COMPACT {
            set.add_parsed(name, serde_json::from_str(json), false)?;
        }
        Ok(set)
    }

    /// The built-in rules with their examples, for `rules check` and `rules list`.
    pub fn builtin_with_examples() -> Result<RuleSet, RuleError> {
        RuleSet::builtin_from(BUILTIN_RULE_FILES)
    }

    fn builtin_from(files: &[(&str, &str)]) -> Result<RuleSet, RuleError> {
        let mut set = RuleSet::default();
        for (name, text) in files {
            set.add(name, text, false)?;
        }
        Ok(set)
    }

    /// Built-in rules plus user rule files or directories of `*.toml` files.
    pub fn load(extra: &[PathBuf]) -> Result<RuleSet, RuleError> {
        RuleSet::builtin()?.with(extra)
    }

    /// Like [`RuleSet::load`], keeping the built-in rules' examples.
    pub fn load_with_examples(extra: &[PathBuf]) -> Result<RuleSet, RuleError> {
        RuleSet::builtin_with_examples()?.with(extra)
    }

    fn with(mut self, extra: &[PathBuf]) -> Result<RuleSet, RuleError> {
        for path in extra {
            self.add_path(path)?;
        }
        Ok(self)
    }

    pub fn add_path(&mut self, path: &Path) -> Result<(), RuleError> {
        let read_err = |source| RuleError::Read {
            path: path.to_path_buf(),
            source,
        };
        if path.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(read_err)?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect();
            files.sort();
            for f in files {
                self.add_path(&f)?;
            }
            return Ok(());
        }
        let text = std::fs::read_to_string(path).map_err(read_err)?;
        self.add_file(&path.display().to_string(), &text)
    }

    /// Parses and compiles one rule file.
    pub fn add_file(&mut self, name: &str, text: &str) -> Result<(), RuleError> {
        self.add(name, text, true)
    }

    fn add(&mut self, name: &str, text: &str, eager: bool) -> Result<(), RuleError> {
        self.add_parsed(name, toml::from_str(text), eager)
    }

    /// Compiles the rules of one parsed file (TOML from users, JSON for the
    /// compact built-ins).
    fn add_parsed<E: std::fmt::Display>(
        &mut self,
        name: &str,
        parsed: Result<RuleFile, E>,
        eager: bool,
    ) -> Result<(), RuleError> {
        let file = parsed.map_err(|e| RuleError::Parse {
            file: name.to_string(),
            message: e.to_string(),
        })?;
        for def in file.rule {
            if let Some(prev) = self.rules.iter().find(|r| r.def.id == def.id) {
                return Err(RuleError::Duplicate {
                    id: def.id,
                    first: prev.source.clone(),
                    second: name.to_string(),
                });
            }
            let rule = compile(def, name, eager)?;
            self.rules.push(rule);
        }
        Ok(())
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.def.id == id)
    }

    /// The index of the rule with this id.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.rules.iter().position(|r| r.def.id == id)
    }

    pub fn of_kind(&self, kind: RuleKind) -> impl Iterator<Item = &Rule> {
        self.rules.iter().filter(move |r| r.def.kind == kind)
    }
}

/// Validates and prepares one rule. Built-in rules compile their regexes lazily
/// and unchecked (the test suite compiles every one); user rules compile at once
/// (`eager`) so that every problem is reported before the scan starts.
pub(crate) fn compile(def: RuleDef, file: &str, eager: bool) -> Result<Rule, RuleError> {
    let check = if eager {
        lazy::Check::Compile
    } else {
        lazy::Check::None
    };
    let invalid = |message: String| RuleError::Invalid {
        id: def.id.clone(),
        file: file.to_string(),
        message,
    };
    if def.id.is_empty()
        || !def
            .id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c))
    {
        return Err(invalid(
            "id must be non-empty lowercase letters, digits, '.', '_' or '-'".into(),
        ));
    }
    let bytes_re = |what: &str, p: &Option<String>| -> Result<Option<LazyBytes>, RuleError> {
        p.as_deref()
            .map(|p| {
                LazyBytes::new(p, check).map_err(|e| invalid(format!("bad {what} regex: {e}")))
            })
            .transpose()
    };
    let str_re = |what: &str, p: &Option<String>| -> Result<Option<LazyStr>, RuleError> {
        p.as_deref()
            .map(|p| LazyStr::new(p, check).map_err(|e| invalid(format!("bad {what} regex: {e}"))))
            .transpose()
    };
    let pattern = bytes_re("pattern", &def.pattern)?;
    let needs_pattern = !matches!(def.kind, RuleKind::Lookalike);
    if needs_pattern && pattern.is_none() {
        return Err(invalid("a pattern is required".into()));
    }
    if needs_pattern && def.keywords.is_empty() {
        return Err(invalid(
            "at least one keyword is required for the prefilter".into(),
        ));
    }
    if def.keywords.iter().any(|k| k.len() < 3) {
        return Err(invalid("keywords must be at least 3 bytes long".into()));
    }
    let secret_group = OnceLock::new();
    if let Some(re) = pattern.as_ref().filter(|_| eager) {
        if matches!(def.kind, RuleKind::Key | RuleKind::Token) {
            let (count, named) = lazy::captures(re.as_str(), "secret")
                .map_err(|e| invalid(format!("bad pattern regex: {e}")))?;
            let group = *secret_group.get_or_init(|| named.unwrap_or(1));
            if count <= group {
                return Err(invalid(
                    "pattern needs a capture group (or one named `secret`) for the secret".into(),
                ));
            }
        }
    }
    if matches!(def.kind, RuleKind::Key | RuleKind::Lookalike) {
        // These only steer practice and token findings; on other kinds they
        // would be silently ignored.
        let misplaced: Vec<&str> = [
            ("contexts", !def.contexts.is_empty()),
            ("file_requires", def.file_requires.is_some()),
            ("file_unless", def.file_unless.is_some()),
            ("near", !def.near.patterns().is_empty()),
            ("near_lines", def.near_lines.is_some()),
            ("unless_near", def.unless_near.is_some()),
            ("match_requires", def.match_requires.is_some()),
            ("match_unless", def.match_unless.is_some()),
            ("report_context", def.report_context.is_some()),
            ("requires", def.requires.is_some()),
        ]
        .iter()
        .filter(|(_, set)| *set)
        .map(|(name, _)| *name)
        .collect();
        if !misplaced.is_empty() {
            return Err(invalid(format!(
                "{} only apply to practice and token rules",
                misplaced.join(", ")
            )));
        }
    } else {
        let misplaced: Vec<&str> = [
            ("packages", !def.packages.is_empty()),
            ("calls", !def.calls.is_empty()),
            ("options", !def.options.is_empty()),
            ("api_hosts", !def.api_hosts.is_empty()),
            ("script_hosts", !def.script_hosts.is_empty()),
        ]
        .iter()
        .filter(|(_, set)| *set)
        .map(|(name, _)| *name)
        .collect();
        if !misplaced.is_empty() {
            return Err(invalid(format!(
                "{} only apply to key and look-alike rules",
                misplaced.join(", ")
            )));
        }
    }
    if def.kind == RuleKind::Lookalike && def.shape.is_none() && def.validator.is_none() {
        return Err(invalid("a look-alike needs a shape or a validator".into()));
    }
    if let Some(v) = &def.validator {
        if !validators::KNOWN.contains(&v.as_str()) {
            return Err(invalid(format!(
                "unknown validator {v:?} (known: {})",
                validators::KNOWN.join(", ")
            )));
        }
    }
    if !["very-high", "high", "medium", "low"].contains(&def.precision.as_str()) {
        return Err(invalid(
            "precision must be very-high, high, medium or low".into(),
        ));
    }
    let near = def
        .near
        .patterns()
        .into_iter()
        .map(|p| LazyBytes::new(p, check).map_err(|e| invalid(format!("bad near regex: {e}"))))
        .collect::<Result<Vec<_>, _>>()?;
    let context = def
        .context
        .iter()
        .map(|p| LazyBytes::new(p, check).map_err(|e| invalid(format!("bad context regex: {e}"))))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Rule {
        shape: str_re("shape", &def.shape)?,
        distinctive: str_re("distinctive", &def.distinctive)?,
        file_requires: bytes_re("file_requires", &def.file_requires)?,
        file_unless: bytes_re("file_unless", &def.file_unless)?,
        near,
        unless_near: bytes_re("unless_near", &def.unless_near)?,
        match_requires: bytes_re("match_requires", &def.match_requires)?,
        match_unless: bytes_re("match_unless", &def.match_unless)?,
        context,
        pattern,
        secret_group,
        source: file.to_string(),
        def,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_rules_load() {
        let set = RuleSet::builtin().unwrap();
        assert!(set.get("pictify.api-key").is_some());
        assert!(set.of_kind(RuleKind::Lookalike).count() >= 2);
    }

    #[test]
    fn compact_builtin_rules_are_the_full_rules_without_examples() {
        let compact = RuleSet::builtin().unwrap();
        let full = RuleSet::builtin_with_examples().unwrap();
        assert_eq!(compact.rules.len(), full.rules.len());
        for (c, f) in compact.rules.iter().zip(&full.rules) {
            let mut f = f.def.clone();
            f.examples.clear();
            f.negative_examples.clear();
            assert_eq!(format!("{:?}", c.def), format!("{f:?}"));
        }
    }

    #[test]
    fn every_builtin_regex_compiles() {
        // Built-in rules load unchecked for a fast start; this is their check.
        for r in RuleSet::builtin_with_examples().unwrap().rules {
            match compile(r.def.clone(), &r.source, true) {
                // The group found lazily is the one the load-time check found.
                Ok(eager) => assert_eq!(r.secret_group(), eager.secret_group(), "{}", r.def.id),
                Err(e) => panic!("{e}"),
            }
        }
    }

    #[test]
    fn unknown_fields_are_errors() {
        let mut set = RuleSet::default();
        let err = set
            .add_file(
                "x.toml",
                "[[rule]]\nid='a'\nname='a'\ndescription='a'\nkind='key'\nkeywords=['pk_']\npattern='(pk_)'\nbogus=1\n",
            )
            .unwrap_err();
        assert!(err.to_string().contains("bogus"), "{err}");
    }

    const PRACTICE: &str =
        "[[rule]]\nid='p'\nname='p'\ndescription='p'\nkind='practice'\npattern='x'\n";

    #[test]
    fn keyword_casings_expand_to_common_forms() {
        let mut set = RuleSet::default();
        let text =
            format!("{PRACTICE}keywords=['pictify', 'api.pictify.io']\nkeyword_casings=true\n");
        set.add_file("x.toml", &text).unwrap();
        assert_eq!(
            set.get("p").unwrap().prefilter_keywords(),
            [
                "pictify",
                "PICTIFY",
                "Pictify",
                "api.pictify.io",
                "API.PICTIFY.IO",
                "Api.pictify.io"
            ]
        );
        let mut plain = RuleSet::default();
        plain
            .add_file("x.toml", &format!("{PRACTICE}keywords=['Pictify']\n"))
            .unwrap();
        assert_eq!(plain.get("p").unwrap().prefilter_keywords(), ["Pictify"]);
    }

    #[test]
    fn near_takes_one_pattern_or_a_list() {
        let mut set = RuleSet::default();
        set.add_file("a.toml", &format!("{PRACTICE}keywords=['abc']\nnear='a'\n"))
            .unwrap();
        assert_eq!(set.get("p").unwrap().near.len(), 1);
        let mut set = RuleSet::default();
        set.add_file(
            "b.toml",
            &format!("{PRACTICE}keywords=['abc']\nnear=['a', 'b']\nkeyword_scope='file'\nreport_context='browser-storage'\n"),
        )
        .unwrap();
        let r = set.get("p").unwrap();
        assert_eq!(r.near.len(), 2);
        assert_eq!(r.def.keyword_scope, KeywordScope::File);
        assert_eq!(r.def.report_context, Some(Context::BrowserStorage));
        let err = RuleSet::default()
            .add_file(
                "c.toml",
                &format!("{PRACTICE}keywords=['abc']\nnear=['a', '(']\n"),
            )
            .unwrap_err();
        assert!(err.to_string().contains("bad near regex"), "{err}");
    }

    #[test]
    fn practice_fields_on_key_rules_are_errors() {
        let err = RuleSet::default()
            .add_file(
                "k.toml",
                "[[rule]]\nid='k'\nname='k'\ndescription='k'\nkind='key'\nkeywords=['pk_']\npattern='(pk_)'\nmatch_unless='x'\nreport_context='config'\n",
            )
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("match_unless, report_context only apply to practice and token rules"),
            "{err}"
        );
    }

    #[test]
    fn duplicate_ids_are_errors() {
        let mut set = RuleSet::default();
        let r = "[[rule]]\nid='a'\nname='a'\ndescription='a'\nkind='key'\nkeywords=['pk_']\npattern='(pk_)'\n";
        set.add_file("x.toml", r).unwrap();
        let err = set.add_file("y.toml", r).unwrap_err();
        assert!(matches!(err, RuleError::Duplicate { .. }));
    }
}
