//! Evidence about who owns a credential, read from a hit's code structure
//! (`code::Site`) with the knowledge in `knowledge/code.toml` and in the
//! providers' rules: calls into a provider's SDK, names that name a provider,
//! credentials sent to a provider's API host, and publishable names.
use super::code::{host_of, Call, Site, Step};
use crate::rules::{Rule, RuleKind, RuleSet};
use serde::Deserialize;
use std::sync::OnceLock;

/// The knowledge file, embedded.
pub const KNOWLEDGE_TOML: &str = include_str!("../../knowledge/code.toml");

/// `knowledge/code.toml` as parsed.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Knowledge {
    pub credential_names: Vec<String>,
    pub credential_prefixes: Vec<String>,
    pub publishable_names: Vec<String>,
    pub generic_packages: Vec<String>,
    pub request_calls: Vec<String>,
    pub other_services: Vec<String>,
    pub client_calls: Vec<String>,
    #[serde(default)]
    pub examples: Vec<KnowledgeExample>,
}

/// A file and the verdict the whole pipeline must reach on its key.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KnowledgeExample {
    pub path: String,
    pub text: String,
    /// `pictify` (reported as Pictify's), `other` (not reported), `unattributed`.
    pub expect: String,
}

pub fn knowledge() -> &'static Knowledge {
    static K: OnceLock<Knowledge> = OnceLock::new();
    K.get_or_init(|| toml::from_str(KNOWLEDGE_TOML).expect("knowledge/code.toml parses (tested)"))
}

/// A name compared the way code spells it many ways: lower case, without
/// `-`, `_` and spaces (`X-API-Key`, `x_api_key`, `xApiKey` are one name).
pub fn norm(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '-' | '_' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The words of an identifier: `openaiApiKey`, `OPENAI_API_KEY` and
/// `openai-api-key` are all `openai`, `api`, `key`.
pub fn words_of(name: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let sep = !c.is_ascii_alphanumeric();
        let boundary = sep
            || (c.is_ascii_uppercase()
                && i > 0
                && (chars[i - 1].is_ascii_lowercase()
                    || chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase())));
        if boundary && !cur.is_empty() {
            words.push(std::mem::take(&mut cur));
        }
        if !sep {
            cur.push(c.to_ascii_lowercase());
        }
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words
}

/// The last segment of a dotted name (`StripeAPI.defaultPublishableKey`).
fn last_segment(name: &str) -> &str {
    name.rsplit(['.', ':']).next().unwrap_or(name)
}

impl Knowledge {
    /// Whether `name` is a name credentials are passed under.
    pub fn is_credential_name(&self, name: &str) -> bool {
        let n = norm(last_segment(name));
        // `UploadToken`, `render_secret`, `PICTIFY_KEY`: a credential word last.
        let last_word = words_of(last_segment(name)).pop().unwrap_or_default();
        matches!(
            last_word.as_str(),
            "token"
                | "key"
                | "secret"
                | "password"
                | "bearer"
                | "credential"
                | "credentials"
                | "apikey"
        ) || self.credential_names.contains(&n)
            || n.ends_with("apikey")
            || n.ends_with("apitoken")
            || n.ends_with("accesstoken")
            || n.ends_with("secretkey")
            || n.ends_with("authtoken")
    }

    pub fn is_publishable_name(&self, name: &str) -> bool {
        let n = norm(last_segment(name));
        if self.publishable_names.contains(&n) || n.contains("publishable") {
            return true;
        }
        // `FINCRA_PUBLIC_KEY`, `publicApiKey`, `PUBLIC_KEY`: a public key.
        let words = words_of(last_segment(name));
        words
            .windows(2)
            .any(|w| w[0] == "public" && matches!(w[1].as_str(), "key" | "api" | "token"))
    }
    /// Whether a value with this site is sent as a credential: a `Bearer `
    /// value, a header line, or the value of a credential name.
    pub fn credential_position(&self, site: &Site) -> bool {
        let p = site.prefix.to_ascii_lowercase();
        if self
            .credential_prefixes
            .iter()
            .any(|c| p.ends_with(c.as_str()) || p.trim_end().ends_with(c.trim_end()))
        {
            return true;
        }
        site.slots.first().is_some_and(|s| self.is_credential_name(s))
                        // `.bearer_auth(key)`, `client.setApiKey(key)` (listed names only:
            // `saveKey(key)` stores a key, it does not send one).
            || site.calls.first().is_some_and(|c| {
                !c.tag && self.credential_names.contains(&norm(last_segment(&c.callee)))
            })
    }

    /// Whether a value is written as an HTTP credential header: a `Bearer `
    /// or header-line prefix, or the value of an `Authorization`/`X-API-Key`
    /// header (an SDK option named `token` is not one).
    pub fn header_credential(&self, site: &Site) -> bool {
        let p = site.prefix.to_ascii_lowercase();
        self.credential_prefixes
            .iter()
            .any(|c| p.ends_with(c.as_str()) || p.trim_end().ends_with(c.trim_end()))
            || site.slots.first().is_some_and(|s| {
                matches!(
                    norm(last_segment(s)).as_str(),
                    "authorization" | "xapikey" | "xauthtoken" | "xaccesstoken" | "apikeyheader"
                )
            })
    }

    /// A package that is nobody's SDK (frameworks, HTTP clients, utilities).
    pub fn is_generic_package(&self, module: &str) -> bool {
        // Exact, or under an entry written as a prefix: `io` (Go) must not
        // swallow `io.acmepay.sdk` (Java).
        self.generic_packages.iter().any(|g| {
            g == module || g.ends_with(['/', '.', '-', ':']) && module.starts_with(g.as_str())
        })
    }

    pub fn is_request_call(&self, call: &Call) -> bool {
        let last = last_segment(call.callee.trim_start_matches("new "));
        self.request_calls.iter().any(|r| r == last)
    }
}

/// Whether `module` is `pkg` or inside it: `@stripe/stripe-js/pure` is in
/// `@stripe/stripe-js`, `com.stripe.android.PaymentConfiguration` in
/// `com.stripe.android`; an entry ending in `/`, `.`, `-` or `:` is a prefix.
pub fn package_matches(module: &str, pkg: &str) -> bool {
    if pkg.is_empty() {
        return false;
    }
    if pkg.ends_with(['/', '.', '-', ':']) {
        return module.starts_with(pkg);
    }
    module == pkg
        || module
            .strip_prefix(pkg)
            .is_some_and(|rest| rest.starts_with(['/', '.', ':']))
}

/// A module path relative to the file (`./lib/render`), not a package.
pub fn is_relative(module: &str) -> bool {
    module.starts_with('.')
        || module.starts_with('/')
        || module.starts_with('@') && module.starts_with("@/")
        || module.starts_with("~/")
}

/// Whom a piece of evidence points at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Owner {
    Pictify,
    /// A look-alike rule, by index in the rule set.
    Provider(usize),
    /// An SDK or script no rule describes, named by its package or host.
    Unknown(String),
}

/// One piece of evidence: whom it points at and why, in words for the report.
#[derive(Clone, Debug)]
pub struct Clue {
    pub owner: Owner,
    pub why: String,
}

/// What a provider's rules say about it, gathered across its rules.
pub struct ProviderView<'r> {
    /// The look-alike rule; `None` for the key rules' provider (Pictify).
    pub rule: Option<(usize, &'r Rule)>,
    /// The provider's name, lower case, for key-rule providers.
    name: String,
    packages: Vec<&'r str>,
    calls: Vec<&'r str>,
    api_hosts: Vec<&'r str>,
    script_hosts: Vec<&'r str>,
}

/// Pictify's knowledge: the fields of every key rule whose provider is Pictify.
pub fn pictify_view(rules: &RuleSet) -> ProviderView<'_> {
    view_of(rules, "Pictify")
}

/// A key-rule provider's knowledge, gathered over its key rules. Pictify's
/// view is the one attribution weighs against the look-alikes'.
pub fn view_of<'r>(rules: &'r RuleSet, provider: &str) -> ProviderView<'r> {
    let mut v = ProviderView {
        rule: None,
        name: provider.to_ascii_lowercase(),
        packages: Vec::new(),
        calls: Vec::new(),
        api_hosts: Vec::new(),
        script_hosts: Vec::new(),
    };
    for r in &rules.rules {
        if r.kind() == RuleKind::Key && r.def.provider.eq_ignore_ascii_case(provider) {
            v.packages.extend(r.def.packages.iter().map(String::as_str));
            v.calls.extend(r.def.calls.iter().map(String::as_str));
            v.api_hosts
                .extend(r.def.api_hosts.iter().map(String::as_str));
            v.script_hosts
                .extend(r.def.script_hosts.iter().map(String::as_str));
        }
    }
    v
}

pub fn provider_view(i: usize, r: &Rule) -> ProviderView<'_> {
    ProviderView {
        rule: Some((i, r)),
        name: r.def.provider.to_ascii_lowercase(),
        packages: r.def.packages.iter().map(String::as_str).collect(),
        calls: r.def.calls.iter().map(String::as_str).collect(),
        api_hosts: r.def.api_hosts.iter().map(String::as_str).collect(),
        script_hosts: r.def.script_hosts.iter().map(String::as_str).collect(),
    }
}

impl ProviderView<'_> {
    fn is_pictify(&self) -> bool {
        self.rule.is_none()
    }

    /// Whether a name (callee, slot, module) names this provider.
    fn named_in(&self, s: &str) -> bool {
        match self.rule {
            None => s.to_ascii_lowercase().contains(self.name.as_str()),
            Some((_, r)) => r.context.iter().any(|c| c.is_match(s.as_bytes())),
        }
    }

    pub fn owns_package(&self, module: &str) -> bool {
        self.packages.iter().any(|p| package_matches(module, p))
            || (self.is_pictify() && module.to_ascii_lowercase().contains(self.name.as_str()))
    }

    /// Whether this call is into the provider's SDK: imported from one of its
    /// packages, named like it, or one of its self-identifying calls.
    pub fn owns_call(&self, call: &Call) -> bool {
        if call
            .module
            .as_deref()
            .is_some_and(|m| self.owns_package(m) || self.named_in(m))
        {
            return true;
        }
        let bare = call.callee.trim_start_matches("new ");
        if self
            .calls
            .iter()
            .any(|c| *c == bare || *c == call.callee || *c == last_segment(bare))
        {
            return true;
        }
        self.named_in(bare)
    }

    pub fn owns_host(&self, url_or_host: &str) -> bool {
        let host = host_of(url_or_host);
        self.api_hosts
            .iter()
            .any(|h| host == *h || host.ends_with(&format!(".{h}")))
    }

    pub fn owns_script(&self, url: &str) -> bool {
        let host = host_of(url.split("://").nth(1).unwrap_or(url));
        self.script_hosts
            .iter()
            .any(|h| host == *h || host.ends_with(&format!(".{h}")))
            || self.named_in(host)
    }

    fn owner(&self) -> Owner {
        match self.rule {
            None => Owner::Pictify,
            Some((i, _)) => Owner::Provider(i),
        }
    }
}

/// The structural evidence of one site (not following hops): names first
/// (innermost out), then calls and tags (innermost out), then credentials sent
/// to an API host. `fits` says whether the key fits a provider's shape.
/// `credential` says the value is already known to be sent as a credential
/// (the key's own site, when `site` is a use of the variable holding it).
pub fn clues(
    site: &Site,
    credential: bool,
    views: &[ProviderView<'_>],
    fits: &dyn Fn(&ProviderView<'_>) -> bool,
) -> Vec<Clue> {
    let k = knowledge();
    let mut out = Vec::new();
    if site.in_comment {
        return out;
    }
    // The names and calls around the key, innermost first: a key named
    // `stripeKey` is Stripe's even in a config that also names Pictify's API.
    for step in site.steps() {
        for v in views.iter().filter(|v| fits(v)) {
            match step {
                Step::Name(s) if v.named_in(s) => out.push(Clue {
                    owner: v.owner(),
                    why: format!("assigned to `{s}`"),
                }),
                Step::Call(c) if v.owns_call(c) => out.push(Clue {
                    owner: v.owner(),
                    why: match &c.module {
                        Some(m) if c.tag => format!("an attribute of `<{}>` from `{m}`", c.callee),
                        Some(m) => format!("passed to `{}` from `{m}`", c.callee),
                        None if c.tag => format!("an attribute of `<{}>`", c.callee),
                        None => format!("passed to `{}`", c.callee),
                    },
                }),
                _ => {}
            }
        }
    }
    // A credential sent to an API host belongs to that host's provider,
    // whatever client sends it.
    if credential || k.credential_position(site) {
        for v in views {
            if let Some(u) = site.urls.iter().find(|u| v.owns_host(u)) {
                out.push(Clue {
                    owner: v.owner(),
                    why: format!("sent as a credential to `{}`", host_of(u)),
                });
            }
        }
    }
    out
}

/// An SDK call no rule describes: the innermost call whose callee comes from
/// a package that is not generic, not relative and not Pictify's, when the
/// key is not sent as a credential to an API (then the host decides).
pub fn unknown_sdk(site: &Site, pictify: &ProviderView<'_>) -> Option<Clue> {
    let k = knowledge();
    // A credential sent to an API belongs to the API's owner, whatever
    // library sends it (`@ClientHeaderParam(value = "Bearer pk_…")`).
    if site.in_comment || k.header_credential(site) {
        return None;
    }
    // Only the call the key is handed to: in `expect(parse('pk_…'))` the key
    // is `parse`'s argument, not the test framework's.
    for c in site.calls.iter().take(1) {
        if c.tag && c.callee.eq_ignore_ascii_case("script") {
            continue;
        }
        let Some(m) = &c.module else { continue };
        if c.annotation
            || is_relative(m)
            || k.is_generic_package(m)
            || pictify.owns_package(m)
            || k.is_request_call(c)
        {
            continue;
        }
        if m.contains("://") {
            continue;
        }
        return Some(Clue {
            owner: Owner::Unknown(m.clone()),
            why: format!(
                "passed to `{}` from `{m}`, another provider's SDK",
                c.callee
            ),
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knowledge_parses_and_names_compare_loosely() {
        let k = knowledge();
        assert!(k.is_credential_name("X-API-Key"));
        assert!(k.is_credential_name("pictifyApiKey"));
        assert!(k.is_credential_name("Authorization"));
        assert!(!k.is_credential_name("templateId"));
        assert!(k.is_publishable_name("publishableKey"));
        assert!(k.is_publishable_name("NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY"));
        assert!(k.is_publishable_name("StripeAPI.defaultPublishableKey"));
        assert!(!k.is_publishable_name("apiKey"));
        assert!(k.is_generic_package("react"));
        assert!(k.is_generic_package("next/navigation"));
        assert!(k.is_generic_package("@angular/core"));
        assert!(k.is_generic_package("androidx.appcompat.app.AppCompatActivity"));
        assert!(!k.is_generic_package("@stripe/stripe-js"));
        assert!(!k.is_generic_package("reactive-payments"));
        assert!(!k.is_generic_package("io.acmepay.sdk.AcmePay"));
        assert!(k.is_generic_package("io"));
    }

    #[test]
    fn packages_match_by_segment() {
        assert!(package_matches(
            "@stripe/stripe-js/pure",
            "@stripe/stripe-js"
        ));
        assert!(package_matches(
            "com.stripe.android.PaymentConfiguration",
            "com.stripe.android"
        ));
        assert!(!package_matches("@stripe/stripe-jsx", "@stripe/stripe-js"));
        assert!(package_matches("@liveblocks/react", "@liveblocks/"));
        assert!(is_relative("./pictify"));
        assert!(is_relative("@/lib/x"));
        assert!(!is_relative("@liveblocks/client"));
    }
}
