//! Attribution: is a `pk_live_`/`pk_test_` key Pictify's, another provider's
//! publishable key, a documentation placeholder, or unattributed?
use super::code::{Import, Site};
use super::evidence::{self, Clue, Owner, ProviderView};
use crate::content::surrounding;
use crate::finding::{Attribution, Confidence};
use crate::rules::{validators, Rule, RuleKind, RuleSet};
use regex::Regex;
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
    /// The code structure around the key, when its file could be lexed.
    pub site: Option<&'a Site>,
    /// The file's imports (packages, `<script src>`).
    pub imports: &'a [Import],
}

/// Decides who owns a key by weighing evidence, strongest first: what the key
/// is (a placeholder, a structure only one provider uses, a distinctive
/// shape); what the code does with it (the name it is assigned to, the SDK
/// call or tag it is passed to, the API host it is sent to, directly or
/// through the variable it is stored in); what its statement, line and
/// nearby lines name; the path; what the file imports and mentions. A key
/// that only other owners' evidence touches (another SDK, a publishable name,
/// a commented-out line) is theirs; with no evidence either way it is
/// unattributed: reported, as a guess.
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

    if let Some(why) = placeholder_reason(body).or_else(|| truncated(site)) {
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
    let pictify_view = evidence::pictify_view(rules);
    let mut views = vec![evidence::pictify_view(rules)];
    views.extend(
        lookalikes
            .iter()
            .map(|&(i, r)| evidence::provider_view(i, r)),
    );
    let view_fits = |v: &ProviderView<'_>| v.rule.is_none_or(|(_, r)| fits(r));
    let code = site.site;

    // What the code does with the key: the names it is bound to, the calls
    // it is passed to, the host it is sent to.
    if let Some(c) = code.and_then(|c| {
        evidence::clues(c, false, &views, &view_fits)
            .into_iter()
            .next()
    }) {
        return from_clue(rules, c, Confidence::High, "");
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

    // Evidence that the key is not Pictify's without naming its owner: a
    // publishable name, a commented-out line. A publishable name loses only
    // to Pictify named on the key's own line; a comment to Pictify named
    // anywhere in the file.
    let mut publishable: Option<String> = None;
    let mut commented = false;
    if let Some(code) = code {
        // One hop: what the variable holding the key is used for.
        let sent = evidence::knowledge().credential_position(code);
        for u in &code.uses {
            if let Some(c) = evidence::clues(u, sent, &views, &view_fits)
                .into_iter()
                .next()
            {
                let var = code.defined_as.as_deref().unwrap_or("a variable");
                return from_clue(
                    rules,
                    c,
                    Confidence::High,
                    &format!("stored in `{var}`, which is "),
                );
            }
        }
        // A provider the code names, though the key does not have the shape
        // its keys are known to have: the name is the stronger evidence.
        let any_shape = |v: &ProviderView<'_>| v.rule.is_some(); // It is not Pictify's; the named provider's rule keeps its shape, so
                                                                 // the key goes to `other.publishable-key` under that provider's name.
        if let Some(c) = evidence::clues(code, false, &views, &any_shape)
            .into_iter()
            .find(|c| matches!(c.owner, Owner::Provider(_)))
        {
            let Owner::Provider(i) = c.owner else {
                unreachable!()
            };
            let name = rules.rules[i].def.provider.clone();
            let why = format!(
                "{}, a {name} name, though the key is not shaped like {name}'s keys",
                c.why
            );
            return from_clue(
                rules,
                Clue {
                    owner: Owner::Unknown(name),
                    why,
                },
                Confidence::Medium,
                "",
            );
        }
        if code.siblings.iter().any(|w| w.contains("pictify")) {
            return pictify(Confidence::High, "Pictify is named beside it".into());
        }
        for &(i, r) in lookalikes.iter().filter(|(_, r)| fits(r)) {
            if let Some(w) = code
                .siblings
                .iter()
                .find(|w| r.context.iter().any(|c| c.is_match(w.as_bytes())))
            {
                return other(i, r, Confidence::High, format!("`{w}` is named beside it"));
            }
        }
        if let Some(c) = evidence::unknown_sdk(code, &pictify_view) {
            return from_clue(rules, c, Confidence::Medium, "");
        }
        for u in &code.uses {
            if let Some(c) = evidence::unknown_sdk(u, &pictify_view) {
                let var = code.defined_as.as_deref().unwrap_or("a variable");
                return from_clue(
                    rules,
                    c,
                    Confidence::Medium,
                    &format!("stored in `{var}`, which is "),
                );
            }
        }
        let k = evidence::knowledge();
        publishable = code
            .slots
            .first()
            .filter(|s| k.is_publishable_name(s))
            .map(|s| format!("assigned to `{s}`: Pictify keys are never publishable"))
            .or_else(|| {
                // Code that handles publishable keys: `isPublishableKey('pk_…')`.
                code.calls
                    .first()
                    .filter(|c| !c.tag && k.is_publishable_name(&c.callee))
                    .map(|c| {
                        format!(
                            "passed to `{}`: Pictify keys are never publishable",
                            c.callee
                        )
                    })
            });
        commented = code.in_comment;
    }
    // Whom the weaker evidence may point at: with a publishable name, not Pictify.
    let allow = |v: &Verdict| publishable.is_none() || v.attribution != Attribution::Pictify;

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
    let (ns, ne) = surrounding(site.text, site.start, site.end, NEAR_LINES, NEAR_BYTES);
    if let Some(v) = nearest_mention(&lookalikes, site, ns, ne, &fits, Confidence::High, "nearby") {
        // A publishable name is the key's own; a name nearby is another value's.
        if allow(&v) {
            return v;
        }
    }

    let mut weaker: Vec<Verdict> = Vec::new();
    if site.path.to_ascii_lowercase().contains("pictify") {
        weaker.push(pictify(Confidence::High, "the path names Pictify".into()));
    }
    for &(i, r) in &lookalikes {
        if fits(r) && r.context.iter().any(|c| c.is_match(site.path.as_bytes())) {
            weaker.push(other(
                i,
                r,
                Confidence::Medium,
                format!("the path names {}", r.def.provider),
            ));
        }
    }
    // What the file imports: a provider's SDK or script.
    if let Some(imp) = site
        .imports
        .iter()
        .find(|imp| pictify_view.owns_package(&imp.module))
    {
        weaker.push(pictify(
            Confidence::Medium,
            format!("the file imports `{}`", imp.module),
        ));
    }
    for v in views.iter().skip(1).filter(|v| view_fits(v)) {
        let loaded = site.imports.iter().find(|imp| {
            if imp.module.contains("://") {
                v.owns_script(&imp.module)
            } else {
                v.owns_package(&imp.module)
            }
        });
        if let (Some(imp), Some((i, r))) = (loaded, v.rule) {
            weaker.push(other(
                i,
                r,
                Confidence::Medium,
                format!("the file loads `{}`", imp.module),
            ));
        }
    }
    // Anywhere in the file.
    if pictify_re().is_match(site.text) {
        weaker.push(pictify(
            Confidence::Medium,
            "the file mentions Pictify".into(),
        ));
    }
    for &(i, r) in &lookalikes {
        if fits(r) && r.context.iter().any(|c| c.is_match(site.text)) {
            weaker.push(other(
                i,
                r,
                Confidence::Low,
                format!(
                    "the file uses {} and the key fits its shape",
                    r.def.provider
                ),
            ));
        }
    }
    if let Some(v) = weaker.into_iter().find(|v| allow(v)) {
        return v;
    }
    if let Some(why) = publishable {
        return unknown_owner(rules, why);
    }
    if commented {
        return unknown_owner(rules, "in a commented-out line".into());
    }

    Verdict {
        attribution: Attribution::Unattributed,
        lookalike: None,
        provider: "Pictify".into(),
        confidence: Confidence::Low,
        reason: UNATTRIBUTED.into(),
    }
}

/// How a credential sent in a request is described (the start of the reason).
pub const SENT: &str = "sent as a credential";

/// How a credential tied to a request only by its file is described.
pub const BY_FILE_HOST: &str = "sent as a credential by a file whose only API host is";

/// The reason of an unattributed key; project-level evidence replaces it.
pub const UNATTRIBUTED: &str =
    "nothing ties it to Pictify or to another provider; reported as a possible Pictify key";

/// Whether an unprefixed token is `provider`'s credential, and why: it is
/// sent as a credential in a request to the provider's API host, passed to
/// its client, or assigned to a credential name naming it, directly or
/// through the variable it is stored in (one hop). In a comment, the comment
/// must name the provider (the token pattern already requires a credential
/// form there).
///
/// A credential whose request is built elsewhere (an HTTP client's
/// interceptor, a base URL given to a client builder) counts when the file
/// talks to no API host but the provider's.
pub fn provider_credential(
    rules: &RuleSet,
    provider: &str,
    site: &Site,
    comment: Option<&[u8]>,
    file_hosts: &[String],
) -> Option<String> {
    let lower = provider.to_ascii_lowercase();
    if let Some(c) = comment {
        return c
            .to_ascii_lowercase()
            .windows(lower.len().max(1))
            .any(|w| w == lower.as_bytes())
            .then(|| format!("in a comment that names {provider}"));
    }
    let view = evidence::view_of(rules, provider);
    let k = evidence::knowledge();
    let sent = k.credential_position(site);
    let direct = |s: &Site| -> Option<String> {
        if sent || k.credential_position(s) {
            if let Some(u) = s.urls.iter().find(|u| view.owns_host(u)) {
                return Some(format!(
                    "sent as a credential to `{}`",
                    super::code::host_of(u)
                ));
            }
        }
        if let Some(c) = s.calls.iter().find(|c| view.owns_call(c)) {
            return Some(format!("passed to `{}`", c.callee));
        }
        let inner = s.slots.first()?;
        let names_pictify = |n: &str| n.to_ascii_lowercase().contains(lower.as_str());
        if names_pictify(inner)
            && (k.is_credential_name(inner)
                || evidence::norm(inner) == "pictify"
                || CREDENTIAL_WORD.is_match(&inner.to_ascii_lowercase()))
        {
            return Some(format!("assigned to `{inner}`"));
        }
        if k.is_credential_name(inner) {
            if let Some(outer) = s.slots.iter().skip(1).find(|n| names_pictify(n)) {
                return Some(format!("assigned to `{inner}` under `{outer}`"));
            }
        }
        None
    };
    if let Some(why) = direct(site) {
        return Some(why);
    }
    if let Some(var) = site.defined_as.as_deref() {
        if let Some(why) = site.uses.iter().find_map(direct) {
            return Some(format!("stored in `{var}`, which is {why}"));
        }
    }
    // Sent as a credential (directly, or by the code using its variable) from
    // a file whose only API host is the provider's.
    // The credential's names must not name another service (`openaiApiKey`,
    // an INI `[mailgun]` section).
    let generic = site.slots.iter().all(|s| generic_credential_name(rules, s));
    let sent_somewhere = generic && (sent || site.uses.iter().any(|u| k.credential_position(u)));
    let theirs: Vec<&String> = file_hosts.iter().filter(|h| view.owns_host(h)).collect();
    let others = file_hosts
        .iter()
        .any(|h| !view.owns_host(h) && !is_incidental_host(h, &lower));
    if sent_somewhere && !theirs.is_empty() && !others {
        return Some(format!("{BY_FILE_HOST} `{}`", theirs[0]));
    }
    None
}

/// A credential name that names no other service: `apiKey`, `API_TOKEN`,
/// `POSTER_TOKEN`, `bearerToken` (not `openaiApiKey`, `GITHUB_TOKEN`, an INI
/// `[mailgun]` section). Services are data (`other_services` in
/// `knowledge/code.toml`), and so are the look-alike providers' names.
fn generic_credential_name(rules: &RuleSet, name: &str) -> bool {
    let k = evidence::knowledge();
    let words = evidence::words_of(name.rsplit(['.', ':']).next().unwrap_or(name));
    if words
        .iter()
        .any(|w| k.other_services.iter().any(|s| s == w))
    {
        return false;
    }
    !rules
        .rules
        .iter()
        .filter(|r| r.kind() == RuleKind::Lookalike)
        .any(|r| r.context.iter().any(|c| c.is_match(name.as_bytes())))
}

/// Hosts a file names without calling an API there: the provider's own
/// site and CDN, local servers, schema and documentation hosts.
fn is_incidental_host(host: &str, provider: &str) -> bool {
    host.contains(provider)
        || matches!(
            host,
            "localhost"
                | "127.0.0.1"
                | "www.w3.org"
                | "json-schema.org"
                | "schemas.android.com"
                | "schemas.microsoft.com"
        )
        || host.ends_with(".example.com")
        || host == "example.com"
}

static CREDENTIAL_WORD: std::sync::LazyLock<Regex> =
    std::sync::LazyLock::new(|| Regex::new(r"key|token|secret|auth|cred|bearer|passw").unwrap());

/// A key whose text is cut short or masked (`pk_live_51Hx...`, `pk_test_abc…`).
fn truncated(site: &KeySite<'_>) -> Option<String> {
    let after = &site.text[site.end..(site.end + 3).min(site.text.len())];
    (after.starts_with(b"...")
        || after.starts_with("\u{2026}".as_bytes())
        || after.starts_with(b"**")
        || after.starts_with("…".as_bytes()))
    .then(|| "cut short (`...` after it)".to_string())
}

fn from_clue(rules: &RuleSet, c: Clue, confidence: Confidence, lead: &str) -> Verdict {
    match c.owner {
        Owner::Pictify => pictify(confidence, format!("{lead}{}", c.why)),
        Owner::Provider(i) => other(i, &rules.rules[i], confidence, format!("{lead}{}", c.why)),
        Owner::Unknown(what) => Verdict {
            attribution: Attribution::OtherProvider,
            lookalike: rules.position(OTHER_RULE),
            provider: what,
            confidence,
            reason: format!("another provider's key: {lead}{}", c.why),
        },
    }
}

fn unknown_owner(rules: &RuleSet, why: String) -> Verdict {
    Verdict {
        attribution: Attribution::OtherProvider,
        lookalike: rules.position(OTHER_RULE),
        provider: "unknown".into(),
        confidence: Confidence::Low,
        reason: format!("not Pictify's: {why}, and nothing names Pictify"),
    }
}

/// The look-alike rule that stands for providers no rule describes.
pub const OTHER_RULE: &str = "other.publishable-key";

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
        if ascending * 10 >= (chars.len() - 1) * 6 || interleaved_sequence(&chars) {
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

/// Digits and letters that each count up, interleaved: `1a2b3c4d5e6f`.
fn interleaved_sequence(chars: &[char]) -> bool {
    if chars.len() < 10 {
        return false;
    }
    let steps = |class: fn(&char) -> bool| -> Option<(usize, usize)> {
        let v: Vec<u32> = chars
            .iter()
            .filter(|c| class(c))
            .map(|&c| c as u32)
            .collect();
        (v.len() >= 4).then(|| {
            let up = v
                .windows(2)
                .filter(|w| w[1] == w[0] + 1 || (w[0] == '9' as u32 && w[1] == '0' as u32))
                .count();
            (up, v.len() - 1)
        })
    };
    match (
        steps(char::is_ascii_digit),
        steps(char::is_ascii_alphabetic),
    ) {
        (Some((du, dn)), Some((lu, ln))) => du * 10 >= dn * 8 && lu * 10 >= ln * 8,
        _ => false,
    }
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
            "1a2b3c4d5e6f7g8h9i0j",
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
    fn credential_names_that_name_a_service() {
        let rules = RuleSet::builtin().unwrap();
        for g in [
            "apiKey",
            "API_TOKEN",
            "bearerToken",
            "PROD_KEY",
            "TOKEN",
            "x-api-key",
            "accessToken",
        ] {
            assert!(generic_credential_name(&rules, g), "{g}");
        }
        for n in [
            "openaiApiKey",
            "GITHUB_TOKEN",
            "stripeSecret",
            "SLACK_BOT_TOKEN",
        ] {
            assert!(!generic_credential_name(&rules, n), "{n}");
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
                site: None,
                imports: &[],
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
