//! Attribution: is a `pk_live_`/`pk_test_` key Pictify's, another provider's
//! publishable key, a documentation placeholder, or unattributed?
use crate::content::surrounding;
use crate::finding::{Attribution, Confidence};
use crate::rules::{validators, Rule, RuleKind, RuleSet};
use std::sync::OnceLock;

/// How far (lines, and bytes on each side) attribution looks for context.
const NEAR_LINES: usize = 4;
const NEAR_BYTES: usize = 600;

/// The outcome of attributing one key.
#[derive(Clone, Debug)]
pub struct Verdict {
    pub attribution: Attribution,
    /// Look-alike rule id when another provider's; `None` otherwise.
    pub lookalike: Option<usize>,
    pub provider: String,
    pub confidence: Confidence,
    pub reason: String,
}

fn pictify_re() -> &'static regex::bytes::Regex {
    static R: OnceLock<regex::bytes::Regex> = OnceLock::new();
    R.get_or_init(|| regex::bytes::Regex::new(r"(?i)pictify").unwrap())
}

/// What a key is attributed from.
pub struct KeySite<'a> {
    pub path: &'a str,
    pub text: &'a [u8],
    pub secret: &'a str,
    pub start: usize,
    pub end: usize,
}

/// Decides who owns a key. Order: placeholder; structural validators; mentions
/// on the key's own line (nearest wins); distinctive shapes; mentions in nearby
/// lines (nearest wins); the path; mentions anywhere in the file.
pub fn attribute(rules: &RuleSet, site: &KeySite<'_>) -> Verdict {
    let lookalikes: Vec<(usize, &Rule)> = rules
        .rules
        .iter()
        .enumerate()
        .filter(|(_, r)| r.kind() == RuleKind::Lookalike)
        .collect();
    let body = site
        .secret
        .split_once('_')
        .and_then(|(_, rest)| rest.split_once('_'))
        .map_or(site.secret, |(_, b)| b);

    if let Some(why) = placeholder_reason(body) {
        return Verdict {
            attribution: Attribution::Placeholder,
            lookalike: None,
            provider: "none".into(),
            confidence: Confidence::High,
            reason: format!("placeholder, not a real key: {why}"),
        };
    }

    for &(i, r) in &lookalikes {
        if let Some(v) = &r.def.validator {
            if let Some(why) = validators::run(v, body) {
                return other(i, r, Confidence::High, why);
            }
        }
    }

    let fits = |r: &Rule| r.shape.as_ref().is_none_or(|s| s.is_match(site.secret));

    // Same line (bounded for minified code).
    let (ls, le) = surrounding(site.text, site.start, site.end, 0, 240);
    if let Some(v) = nearest_mention(
        &lookalikes,
        site,
        ls,
        le,
        &fits,
        Confidence::High,
        "on the same line",
    ) {
        return v;
    }

    for &(i, r) in &lookalikes {
        if r.distinctive
            .as_ref()
            .is_some_and(|d| d.is_match(site.secret))
        {
            return other(
                i,
                r,
                Confidence::Medium,
                format!(
                    "has the shape of a {} ({} characters)",
                    r.def.name,
                    site.secret.len()
                ),
            );
        }
    }

    let (ns, ne) = surrounding(site.text, site.start, site.end, NEAR_LINES, NEAR_BYTES);
    if let Some(v) = nearest_mention(&lookalikes, site, ns, ne, &fits, Confidence::High, "nearby") {
        return v;
    }

    if site.path.to_ascii_lowercase().contains("pictify") {
        return pictify(Confidence::High, "the path names Pictify".into());
    }
    for &(i, r) in &lookalikes {
        if fits(r) && r.context.iter().any(|c| c.is_match(site.path.as_bytes())) {
            return other(
                i,
                r,
                Confidence::Medium,
                format!("the path names {}", r.def.provider),
            );
        }
    }

    // Anywhere in the file: weaker evidence.
    if pictify_re().is_match(site.text) {
        return pictify(Confidence::Medium, "the file mentions Pictify".into());
    }
    for &(i, r) in &lookalikes {
        if fits(r) && r.context.iter().any(|c| c.is_match(site.text)) {
            return other(
                i,
                r,
                Confidence::Low,
                format!(
                    "the file uses {} and the key fits its shape",
                    r.def.provider
                ),
            );
        }
    }

    Verdict {
        attribution: Attribution::Unattributed,
        lookalike: None,
        provider: "Pictify".into(),
        confidence: Confidence::Low,
        reason: "no provider is named nearby; treated as a possible Pictify key".into(),
    }
}

fn pictify(confidence: Confidence, reason: String) -> Verdict {
    Verdict {
        attribution: Attribution::Pictify,
        lookalike: None,
        provider: "Pictify".into(),
        confidence,
        reason,
    }
}

fn other(i: usize, r: &Rule, confidence: Confidence, reason: String) -> Verdict {
    Verdict {
        attribution: Attribution::OtherProvider,
        lookalike: Some(i),
        provider: r.def.provider.clone(),
        confidence,
        reason: format!("{} publishable key: {reason}", r.def.provider),
    }
}

/// Finds the provider named closest to the key within `[lo, hi)`.
fn nearest_mention<'a>(
    lookalikes: &[(usize, &'a Rule)],
    site: &KeySite<'_>,
    lo: usize,
    hi: usize,
    fits: &dyn Fn(&Rule) -> bool,
    confidence: Confidence,
    where_: &str,
) -> Option<Verdict> {
    let window = &site.text[lo..hi];
    let key_lo = site.start - lo;
    let key_hi = site.end - lo;
    // Rank mentions by (line score, byte distance). Names usually precede values
    // (`"stripe": {` above `"publishableKey": …`), so a mention on a following
    // line ranks two lines further away than one on a preceding line.
    let rank = |s: usize, e: usize| -> (usize, usize) {
        if e <= key_lo {
            let lines = memchr::memchr_iter(b'\n', &window[e..key_lo]).count();
            (lines, key_lo - e)
        } else {
            let lines = memchr::memchr_iter(b'\n', &window[key_hi..s]).count();
            (if lines == 0 { 0 } else { lines + 2 }, s - key_hi)
        }
    };
    // Mentions inside the key itself do not count.
    let outside = |s: usize, e: usize| e <= key_lo || s >= key_hi;
    // (rank, look-alike or None for Pictify, the word that named it)
    type Mention<'r> = ((usize, usize), Option<(usize, &'r Rule)>, String);
    let mut best: Option<Mention<'_>> = None;
    let mut consider = |m: regex::bytes::Match<'_>, who: Option<(usize, &'a Rule)>| {
        if !outside(m.start(), m.end()) {
            return;
        }
        let r = rank(m.start(), m.end());
        if best.as_ref().is_none_or(|b| r < b.0) {
            best = Some((r, who, String::from_utf8_lossy(m.as_bytes()).into_owned()));
        }
    };
    for m in pictify_re().find_iter(window) {
        consider(m, None);
    }
    for &(i, r) in lookalikes {
        if !fits(r) {
            continue;
        }
        for c in &r.context {
            for m in c.find_iter(window) {
                consider(m, Some((i, r)));
            }
        }
    }
    let (_, who, word) = best?;
    Some(match who {
        None => pictify(confidence, format!("`{word}` is named {where_}")),
        Some((i, r)) => other(i, r, confidence, format!("`{word}` is named {where_}")),
    })
}

/// Why a key body cannot be a real key, if it cannot.
pub fn placeholder_reason(body: &str) -> Option<String> {
    let lower = body.to_ascii_lowercase();
    const WORDS: &[&str] = &[
        "your",
        "xxxx",
        "abc123",
        "123456",
        "example",
        "sample",
        "dummy",
        "placeholder",
        "changeme",
        "change_me",
        "replace",
        "insert",
        "redacted",
        "fake",
        "here",
        "todo",
        "<",
        ">",
        "...",
        "***",
        "{{",
        "}}",
        "${",
    ];
    if let Some(w) = WORDS.iter().find(|w| lower.contains(*w)) {
        return Some(format!("contains `{w}`"));
    }
    let chars: Vec<char> = body.chars().collect();
    if chars.len() >= 6 {
        let distinct = {
            let mut v = chars.clone();
            v.sort_unstable();
            v.dedup();
            v.len()
        };
        if distinct <= 4 {
            return Some("repeats the same few characters".into());
        }
        let ascending = chars
            .windows(2)
            .filter(|w| (w[1] as i32 - w[0] as i32) == 1)
            .count();
        if ascending * 10 >= (chars.len() - 1) * 6 {
            return Some("is a character sequence".into());
        }
    }
    if entropy(body) < min_entropy(body) {
        return Some("too little randomness".into());
    }
    // Identifiers such as `pk_live_publishable_key_value` are words, not keys.
    let has_digit = body.bytes().any(|b| b.is_ascii_digit());
    if !has_digit
        && body.contains('_')
        && body
            .split('_')
            .filter(|w| !w.is_empty())
            .all(|w| w.len() >= 2)
    {
        return Some("reads as words joined by underscores".into());
    }
    None
}

/// The entropy below which a body is too regular to be a real key. Short hex
/// bodies (Magic's 16 hex characters) average only ~3.4 bits per character:
/// 3.0 would call one real key in seven a placeholder, 2.5 about one in 600,
/// while `deadbeefdeadbeef`-style fillers (~2.2 bits) are still caught.
fn min_entropy(body: &str) -> f64 {
    if body.len() <= 20 && body.bytes().all(|b| b.is_ascii_hexdigit()) {
        2.5
    } else {
        3.0
    }
}

/// Shannon entropy in bits per character.
pub fn entropy(s: &str) -> f64 {
    let mut counts = [0usize; 256];
    for b in s.bytes() {
        counts[b as usize] += 1;
    }
    let n = s.len() as f64;
    if n == 0.0 {
        return 0.0;
    }
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / n;
            -p * p.log2()
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders() {
        for p in [
            "your_api_key",
            "abc123def456ghi789",
            "xxxxxxxxxxxxxxxx",
            "0123456789abcdefgh",
            "publishable_key_value",
            "aaaaaaaaaaaaaaaaaaaa",
        ] {
            assert!(placeholder_reason(p).is_some(), "{p}");
        }
        for k in ["q8ZfT2vLm9XwRk4NbH7sYc1D", "3kF9xQ2mZ7pL1vN8bR4tW6yH0jC5"] {
            assert!(placeholder_reason(k).is_none(), "{k}");
        }
    }

    #[test]
    fn short_hex_keys_are_not_placeholders() {
        // Real-shaped 16-hex bodies with below-average entropy (< 3.0 bits).
        for k in ["BAC6AE9ACB1E0B6E", "4C5CCC18ACBC8E35", "310B3408214424F4"] {
            assert!(entropy(k) < 3.0, "{k} is a low-entropy sample");
            assert!(placeholder_reason(k).is_none(), "{k}");
        }
        for p in ["deadbeefdeadbeef", "1234123412341234", "aaaabbbbccccdddd"] {
            assert!(placeholder_reason(p).is_some(), "{p}");
        }
        // Longer bodies keep the stricter threshold.
        assert!(placeholder_reason("ababababcdcdcdcdefefefef0101010101").is_some());
    }

    fn attribute_in(text: &str, key: &str) -> Verdict {
        let rules = RuleSet::builtin().unwrap();
        let start = text.find(key).unwrap();
        attribute(
            &rules,
            &KeySite {
                path: "config/app.json",
                text: text.as_bytes(),
                secret: key,
                start,
                end: start + key.len(),
            },
        )
    }

    #[test]
    fn names_above_a_value_beat_names_below_it() {
        let stripe = "pk_live_3ao1uJDy3vJjW7qYg9yjsU8j";
        let pictify = "pk_live_PdQOmL4HKulDIkAL4BPZlmneFgR5yrZv";
        let json = format!(
            "{{\n  \"stripe\": {{\n    \"publishableKey\": \"{stripe}\"\n  }},\n  \"pictify\": {{\n    \"apiKey\": \"{pictify}\"\n  }}\n}}\n"
        );
        assert_eq!(attribute_in(&json, stripe).provider, "Stripe");
        assert_eq!(attribute_in(&json, pictify).provider, "Pictify");
        assert_eq!(
            attribute_in(&json, pictify).attribution,
            Attribution::Pictify
        );
    }
}
