//! Two-stage matching: an Aho-Corasick keyword prefilter over the whole blob, then
//! each rule's regex confirms matches only in windows around keyword hits. The
//! same pass reports hits of encoded key prefixes (see `decode`) for decoding.
use crate::decode::{self, Trigger};
use crate::rules::{KeywordScope, RuleKind, RuleSet};
use aho_corasick::{packed, AhoCorasick, AhoCorasickBuilder, MatchKind};

/// How far before a keyword hit a rule's regex may start matching.
const WINDOW_BEFORE: usize = 512;
/// How far after a keyword hit a rule's regex may end.
const WINDOW_AFTER: usize = 1024;

/// A confirmed regex match in a blob.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct RawMatch {
    pub rule: usize,
    /// Whole regex match.
    pub start: usize,
    pub end: usize,
    /// The secret (capture group), or the whole match for rules without one.
    pub secret_start: usize,
    pub secret_end: usize,
}

/// A hit of an encoded-form keyword, to be decoded by `decode::decode_at`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EncodedHit {
    pub trigger: Trigger,
    pub start: usize,
    pub end: usize,
}

/// Compiled prefilter for a rule set. Shared by all threads.
pub struct Matcher {
    prefilter: Option<Prefilter>,
    /// For each keyword pattern, the rules that use it.
    keyword_rules: Vec<Vec<usize>>,
    /// For each keyword pattern, the encoded form it starts, if any. Encoded-only
    /// keywords have no rules, so plain matching never sees them.
    triggers: Vec<Option<Trigger>>,
    /// Key rules whose regexes run over decoded text (empty: decoding is off).
    decode_rules: Vec<usize>,
    /// Rules that run in binary files (literal key rules only).
    binary_ok: Vec<bool>,
    /// Rules whose regex runs over the whole blob once a keyword is seen.
    whole_file: Vec<bool>,
    /// For each keyword pattern, whether it is a spelling of "pictify": a blob
    /// with such a hit mentions Pictify (project-level evidence).
    names_pictify: Vec<bool>,
    n_rules: usize,
}

/// The keyword search. `AhoCorasick` picks its own prefilter by heuristics and
/// uses the SIMD one (Teddy) only when the keywords start with at least three
/// distinct bytes: `pk_live_`, `pk_test_`, `pictify`, `Pictify`, `PICTIFY` start
/// with `p`/`P` only, and the automaton falls back to scanning for those common
/// letters (about 1 GB/s on real JavaScript against 5 GB/s with Teddy). Teddy is
/// used directly whenever the CPU and the keyword count allow it.
enum Prefilter {
    Teddy(packed::Searcher),
    Automaton(AhoCorasick),
}

impl Matcher {
    /// A matcher for plain keys only.
    pub fn new(rules: &RuleSet) -> Matcher {
        Matcher::with_decode(rules, false)
    }

    /// A matcher that, with `decode`, also reports hits of the encoded forms of
    /// the key prefixes for the key rules that do not opt out (`no_decode`).
    pub fn with_decode(rules: &RuleSet, decode: bool) -> Matcher {
        let mut keywords: Vec<String> = Vec::new();
        let mut keyword_rules: Vec<Vec<usize>> = Vec::new();
        for (i, rule) in rules.rules.iter().enumerate() {
            if rule.pattern.is_none() {
                continue;
            }
            for kw in rule.prefilter_keywords() {
                match keywords.iter().position(|k| *k == kw) {
                    Some(p) => keyword_rules[p].push(i),
                    None => {
                        keywords.push(kw);
                        keyword_rules.push(vec![i]);
                    }
                }
            }
        }
        let mut triggers = vec![None; keywords.len()];
        let decode_rules: Vec<usize> = rules
            .rules
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                decode && r.def.kind == RuleKind::Key && r.pattern.is_some() && !r.def.no_decode
            })
            .map(|(i, _)| i)
            .collect();
        if !decode_rules.is_empty() {
            for kw in decode::keywords() {
                match keywords.iter().position(|k| *k == kw.text) {
                    Some(p) => triggers[p] = Some(kw.trigger),
                    None => {
                        keywords.push(kw.text);
                        keyword_rules.push(Vec::new());
                        triggers.push(Some(kw.trigger));
                    }
                }
            }
        }
        // Leftmost-first is what enables the SIMD (Teddy) prefilter. Overlapping
        // keywords are rare and only cost a missed window start, which the
        // window margins cover.
        let prefilter = (!keywords.is_empty()).then(|| {
            packed::Config::new()
                .match_kind(packed::MatchKind::LeftmostFirst)
                .builder()
                .extend(&keywords)
                .build()
                .map_or_else(
                    || {
                        Prefilter::Automaton(
                            AhoCorasickBuilder::new()
                                .match_kind(MatchKind::LeftmostFirst)
                                .build(&keywords)
                                .expect("keyword automaton"),
                        )
                    },
                    Prefilter::Teddy,
                )
        });
        Matcher {
            prefilter,
            keyword_rules,
            triggers,
            decode_rules,
            binary_ok: rules
                .rules
                .iter()
                .map(|r| r.def.kind == RuleKind::Key)
                .collect(),
            whole_file: rules
                .rules
                .iter()
                .map(|r| r.def.keyword_scope == KeywordScope::File)
                .collect(),
            names_pictify: keywords
                .iter()
                .map(|k| k.eq_ignore_ascii_case("pictify"))
                .collect(),
            n_rules: rules.rules.len(),
        }
    }

    /// Key rules whose regexes run over decoded regions.
    pub fn decode_rules(&self) -> &[usize] {
        &self.decode_rules
    }

    /// Runs the prefilter and confirms candidates. `binary` restricts matching to
    /// literal key rules. Matches are sorted and de-duplicated.
    pub fn find(&self, rules: &RuleSet, text: &[u8], binary: bool, out: &mut Vec<RawMatch>) {
        let mut hits = Vec::new();
        self.find_with_encoded(rules, text, binary, out, &mut hits);
    }

    /// Whether the keyword pattern `pattern` spells "pictify".
    fn mentions(&self, pattern: usize) -> bool {
        self.names_pictify.get(pattern).copied().unwrap_or(false)
    }

    /// Like [`Matcher::find`], and in the same pass appends the hits of encoded
    /// forms to `hits` (never in binary blobs, which are not decoded).
    /// Returns whether the text mentions Pictify (a keyword hit spelling it).
    pub fn find_with_encoded(
        &self,
        rules: &RuleSet,
        text: &[u8],
        binary: bool,
        out: &mut Vec<RawMatch>,
        hits: &mut Vec<EncodedHit>,
    ) -> bool {
        let mut mentions = false;
        let Some(prefilter) = &self.prefilter else {
            return false;
        };
        // Windows per rule, merged as we go (hits arrive in increasing order).
        let mut windows: Vec<Vec<(usize, usize)>> = Vec::new();
        let mut on_hit = |start: usize, end: usize, pattern: usize| {
            mentions |= self.mentions(pattern);
            if let Some(trigger) = self.triggers[pattern] {
                if !binary {
                    hits.push(EncodedHit {
                        trigger,
                        start,
                        end,
                    });
                }
            }
            if self.keyword_rules[pattern].is_empty() {
                return;
            }
            if windows.is_empty() {
                windows = vec![Vec::new(); self.n_rules];
            }
            let lo = start.saturating_sub(WINDOW_BEFORE);
            let hi = (end + WINDOW_AFTER).min(text.len());
            for &r in &self.keyword_rules[pattern] {
                if binary && !self.binary_ok[r] {
                    continue;
                }
                let w = &mut windows[r];
                let (lo, hi) = if self.whole_file[r] {
                    (0, text.len())
                } else {
                    (lo, hi)
                };
                match w.last_mut() {
                    Some(last) if lo <= last.1 => last.1 = last.1.max(hi),
                    _ => w.push((lo, hi)),
                }
            }
        };
        match prefilter {
            Prefilter::Teddy(s) => {
                for m in s.find_iter(text) {
                    on_hit(m.start(), m.end(), m.pattern().as_usize());
                }
            }
            Prefilter::Automaton(ac) => {
                for m in ac.find_iter(text) {
                    on_hit(m.start(), m.end(), m.pattern().as_usize());
                }
            }
        }
        if windows.is_empty() {
            return mentions;
        }
        let first = out.len();
        for (r, ws) in windows.iter().enumerate() {
            let rule = &rules.rules[r];
            let Some(re) = &rule.pattern else { continue };
            for &(lo, hi) in ws {
                let hay = &text[..hi];
                let mut at = lo;
                while at <= hay.len() {
                    let Some(caps) = re.captures_at(hay, at) else {
                        break;
                    };
                    let whole = caps.get(0).unwrap();
                    let sec = caps.get(rule.secret_group()).unwrap_or(whole);
                    out.push(RawMatch {
                        rule: r,
                        start: whole.start(),
                        end: whole.end(),
                        secret_start: sec.start(),
                        secret_end: sec.end(),
                    });
                    at = if whole.end() > whole.start() {
                        whole.end()
                    } else {
                        whole.end() + 1
                    };
                }
            }
        }
        out[first..].sort_unstable();
        let mut seen = first;
        for i in first..out.len() {
            if i == first
                || (out[i].rule, out[i].secret_start)
                    != (out[seen - 1].rule, out[seen - 1].secret_start)
            {
                out[seen] = out[i];
                seen += 1;
            }
        }
        out.truncate(seen);
        mentions
    }
}
