//! What the code around a hit says, from its tokens: whether the hit is in a
//! comment, the names it is bound to (property, variable, attribute, header,
//! YAML path), the calls and tags that enclose it and what they were imported
//! from, the URLs of the statement it sits in, and one hop through an
//! identifier the value is assigned to. Built on `lexer`, once per file with
//! hits, and only around them.
use super::lexer::{lex, Kind, Lang, Tok};
use std::collections::HashMap;
use std::sync::OnceLock;

/// Files up to this size are lexed whole (imports and definitions anywhere in
/// them count); larger ones around each hit, plus their head for imports.
const WHOLE_FILE: usize = 1 << 20;
const WINDOW_BEFORE: usize = 64 * 1024;
const WINDOW_AFTER: usize = 16 * 1024;
const HEAD: usize = 16 * 1024;
/// How many brackets up a hit's enclosing constructs are looked for.
const MAX_DEPTH: usize = 24;
/// How many uses of an identifier one hop follows.
const MAX_USES: usize = 16;
/// What `Site::functions` holds for a Rust item compiled only for tests.
pub const TEST_ITEM: &str = "#[cfg(test)]";

/// Calls that read an environment variable with a default.
const ENV_READS: &[&str] = &[
    "getenv",
    "Getenv",
    "get",
    "fetch",
    "env",
    "GetEnvironmentVariable",
    "getProperty",
    "get_env",
    "var",
];

/// How many tokens a statement reaches on each side of a hit: a minified
/// bundle is one statement, and per-hit work must stay local.
const MAX_STATEMENT: usize = 2048;

const NONE: u32 = u32::MAX;

/// A name bound in a file by an import.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Import {
    /// The local name (`createClient`, `Stripe`); empty for imports that bind
    /// no name (Swift `import StripePaymentSheet`, Go, Ruby `require`, scripts).
    pub name: String,
    /// What it comes from: a package (`@liveblocks/client`, `com.stripe.android`)
    /// or, for `<script src>`, the script's URL.
    pub module: String,
}

/// A call or tag enclosing a hit.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Call {
    /// The callee as written without arguments: `loadStripe`, `new Magic`,
    /// `window.Shift4`, `requests.post`, `Request.Builder.url.addHeader`, a tag
    /// or component name (`LiveblocksProvider`, `script`), a shell command.
    pub callee: String,
    /// The first identifier of the callee (`Request` in a builder chain).
    pub root: String,
    /// Where `root` was imported from, if this file imports it.
    pub module: Option<String>,
    /// The hit is inside a markup tag (an attribute), not a call.
    pub tag: bool,
    /// The call is an annotation (`@ClientHeaderParam(…)`), not code that runs.
    pub annotation: bool,
}

/// The structural facts about one hit.
#[derive(Clone, Debug, Default)]
pub struct Site {
    /// The hit sits in a comment (commented-out code counts).
    pub in_comment: bool,
    /// The text before the hit inside its own literal (`Bearer `,
    /// `Authorization: Bearer `), or a literal joined to it with `+`.
    pub prefix: String,
    /// Names the value is bound to, innermost first: an object key, a
    /// variable, an attribute, a header name given beside it, YAML/INI keys.
    pub slots: Vec<String>,
    /// For each slot, how many of `calls` enclose it from inside: names and
    /// calls in the order they enclose the value (`const s = loadStripe('pk_…')`
    /// is first the call, then the name).
    pub slot_calls: Vec<usize>,
    /// Enclosing calls and tags, innermost first.
    pub calls: Vec<Call>,
    /// URLs the enclosing statement uses: literals, and identifiers or
    /// template parts resolved one hop through definitions in the file.
    pub urls: Vec<String>,
    /// The statement's identifiers and strings, lower-cased.
    pub statement_words: Vec<String>,
    /// The identifiers and strings beside the value in its innermost group
    /// (the object literal or argument list holding it), lower-cased: what
    /// names the value's neighbours (`{ provider: "culqi", publicKey: … }`).
    pub siblings: Vec<String>,
    /// Names of the functions whose bodies enclose the value, innermost first
    /// (`getServerSideProps`, `loader`).
    pub functions: Vec<String>,
    /// The variable the value (or the object literal holding it) is assigned
    /// to, when it is assigned to one.
    pub defined_as: Option<String>,
    /// What the uses of `defined_as` say (one hop), each analysed like a hit.
    pub uses: Vec<Site>,
}

impl Site {
    fn add_slot(&mut self, name: String) {
        self.slot_calls.push(self.calls.len());
        self.slots.push(name);
    }

    /// Names and calls from the value outwards.
    pub fn steps(&self) -> impl Iterator<Item = Step<'_>> {
        (0..=self.calls.len()).flat_map(move |depth| {
            let names = self
                .slots
                .iter()
                .zip(&self.slot_calls)
                .filter(move |(_, d)| **d == depth)
                .map(|(s, _)| Step::Name(s));
            names.chain(self.calls.get(depth).map(Step::Call))
        })
    }
}

/// One construct enclosing a value: a name it is bound to, or a call.
#[derive(Clone, Copy, Debug)]
pub enum Step<'s> {
    Name(&'s str),
    Call(&'s Call),
}

/// A lexed file (or window of one) with its bracket structure.
pub struct Code<'a> {
    text: &'a [u8],
    lang: Lang,
    toks: Vec<Tok>,
    /// For each token, the index of the innermost enclosing open bracket.
    parent: Vec<u32>,
    imports: Vec<Import>,
    /// The byte range lexed around the hit (all of a small file).
    covered: (usize, usize),
    /// Definition sites by name, built on first use.
    defs: OnceLock<HashMap<&'a [u8], Vec<usize>>>,
    /// The file's API hosts, found on first use (every hit asks).
    hosts: OnceLock<Vec<String>>,
    /// What each statement says (its URLs and first words), by token range:
    /// the hits of one large literal (a fixtures file) share one statement.
    statements: std::sync::Mutex<HashMap<(usize, usize), std::sync::Arc<Facts>>>,
    /// Uses of a name outside a statement, by (name, statement): every hit of
    /// one large literal assigned to one variable asks the same question.
    uses: std::sync::Mutex<HashMap<UsesKey, std::sync::Arc<Vec<Site>>>>,
}

/// A name and the token range of the statement defining it.
type UsesKey = (String, usize, usize);

/// The URLs and the first words of one statement (see [`Code::statement_facts`]).
#[derive(Default)]
struct Facts {
    urls: Vec<String>,
    words: Vec<String>,
}

impl<'a> Code<'a> {
    /// Lexes `text` (or, for a large file, the part around `[start, end)`).
    pub fn new(text: &'a [u8], lang: Lang, start: usize, end: usize) -> Code<'a> {
        let mut covered = (0, text.len());
        let toks = if text.len() <= WHOLE_FILE {
            lex(text, 0, text.len(), lang)
        } else {
            let lo = start.saturating_sub(WINDOW_BEFORE);
            let hi = (end + WINDOW_AFTER).min(text.len());
            let mut toks = if lo > HEAD {
                lex(text, 0, HEAD.min(lo), lang)
            } else {
                Vec::new()
            };
            // The window may start inside a construct: realign at a line start.
            let lo = if lo > 0 {
                memchr::memchr(b'\n', &text[lo..start]).map_or(lo, |i| lo + i + 1)
            } else {
                0
            };
            toks.extend(lex(text, lo, hi, lang));
            covered = (lo, hi);
            toks
        };
        let parent = parents(&toks);
        let mut code = Code {
            text,
            lang,
            toks,
            parent,
            imports: Vec::new(),
            covered,
            defs: OnceLock::new(),
            hosts: OnceLock::new(),
            statements: Default::default(),
            uses: Default::default(),
        };
        code.imports = code.find_imports();
        code
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// Whether the hit at `offset` lies in the lexed part of the file.
    pub fn covers(&self, offset: usize) -> bool {
        (self.covered.0..self.covered.1).contains(&offset)
    }

    /// The byte ranges of the statement holding `offset` and, when that
    /// statement defines a variable, of the statements using it (one hop):
    /// the code a finding at `offset` is about.
    pub fn related_statements(&self, offset: usize) -> Vec<(usize, usize)> {
        let Some(k) = self.token_at(offset) else {
            return Vec::new();
        };
        let span = |s: usize, e: usize| (self.toks[s].start as usize, self.toks[e].end as usize);
        let (s, e) = self.statement(k);
        let mut out = vec![span(s, e)];
        let mut site = Site::default();
        self.walk_up(k, &mut site);
        if let Some(name) = site.defined_as {
            let short = name.rsplit('.').next().unwrap_or(&name).as_bytes().to_vec();
            for (i, t) in self.toks.iter().enumerate() {
                if out.len() > MAX_USES {
                    break;
                }
                if (s..=e).contains(&i) {
                    continue;
                }
                let lit = &self.text[t.range()];
                let used = match t.kind {
                    Kind::Ident => lit == short.as_slice(),
                    Kind::Str | Kind::Text => memchr::memmem::find(lit, &short).is_some(),
                    _ => false,
                };
                if used {
                    let (us, ue) = self.statement(i);
                    out.push(span(us, ue));
                }
            }
        }
        out
    }

    /// Whether the identifier `name` (or `${name}` in a literal) occurs in the
    /// byte range `span`.
    pub fn mentions_in(&self, span: (usize, usize), name: &str) -> bool {
        let short = name.rsplit('.').next().unwrap_or(name);
        let lo = self.toks.partition_point(|t| (t.end as usize) <= span.0);
        self.toks[lo..]
            .iter()
            .take_while(|t| (t.start as usize) < span.1)
            .any(|t| match t.kind {
                Kind::Ident => &self.text[t.range()] == short.as_bytes(),
                Kind::Str | Kind::Text => interpolations(strip_quotes(&self.text[t.range()]))
                    .iter()
                    .any(|x| x == short),
                _ => false,
            })
    }

    /// The byte range of the statement holding `offset`.
    pub fn statement_span(&self, offset: usize) -> (usize, usize) {
        match self.token_at(offset) {
            Some(k) => {
                let (s, e) = self.statement(k);
                (self.toks[s].start as usize, self.toks[e].end as usize)
            }
            None => (offset, offset),
        }
    }

    /// The comment holding `offset`, if it is in one.
    pub fn text_of_comment(&self, offset: usize) -> Option<&'a [u8]> {
        let i = self.token_at(offset)?;
        (self.kind(i) == Kind::Comment).then(|| self.s(i))
    }

    pub fn imports(&self) -> &[Import] {
        &self.imports
    }

    fn s(&self, i: usize) -> &'a [u8] {
        &self.text[self.toks[i].range()]
    }

    fn kind(&self, i: usize) -> Kind {
        self.toks[i].kind
    }

    fn is(&self, i: usize, k: Kind) -> bool {
        i < self.toks.len() && self.toks[i].kind == k
    }

    fn word(&self, i: usize) -> String {
        String::from_utf8_lossy(self.s(i)).into_owned()
    }

    /// The previous token that is not a comment or (optionally) a line break.
    fn prev(&self, i: usize, skip_newlines: bool) -> Option<usize> {
        let mut j = i;
        while j > 0 {
            j -= 1;
            match self.kind(j) {
                Kind::Comment => continue,
                Kind::Newline if skip_newlines => continue,
                _ => return Some(j),
            }
        }
        None
    }

    fn next(&self, i: usize, skip_newlines: bool) -> Option<usize> {
        let mut j = i + 1;
        while j < self.toks.len() {
            match self.kind(j) {
                Kind::Comment => {}
                Kind::Newline if skip_newlines => {}
                _ => return Some(j),
            }
            j += 1;
        }
        None
    }

    fn parent_of(&self, i: usize) -> Option<usize> {
        match self.parent[i] {
            NONE => None,
            p => Some(p as usize),
        }
    }

    /// The token holding byte `offset`.
    fn token_at(&self, offset: usize) -> Option<usize> {
        let i = self.toks.partition_point(|t| (t.end as usize) <= offset);
        (i < self.toks.len() && (self.toks[i].start as usize) <= offset).then_some(i)
    }

    /// Analyses the hit `[start, end)`, following one hop through the
    /// identifier it is assigned to.
    pub fn site(&self, start: usize, end: usize) -> Site {
        let Some(k) = self.token_at(start) else {
            return Site::default();
        };
        let mut site = self.site_of(k, start, end);
        if let Some(name) = site.defined_as.clone() {
            let (ds, de) = self.statement(k);
            let lock = || self.uses.lock().unwrap_or_else(|p| p.into_inner());
            let key = (name, ds, de);
            let cached = lock().get(&key).cloned();
            let uses = cached.unwrap_or_else(|| {
                let uses = std::sync::Arc::new(self.uses_of(&key.0, ds, de));
                lock().insert(key, uses.clone());
                uses
            });
            site.uses = uses.as_ref().clone();
        }
        site
    }

    fn site_of(&self, k: usize, start: usize, end: usize) -> Site {
        let tok = self.toks[k];
        let mut site = Site {
            in_comment: tok.kind == Kind::Comment,
            ..Site::default()
        };
        if matches!(tok.kind, Kind::Str | Kind::Text | Kind::Comment) {
            let lo = tok.start as usize;
            let before = &self.text[lo..start.max(lo)];
            let before = before
                .iter()
                .position(|&b| !matches!(b, b'"' | b'\'' | b'`' | b'f' | b'r' | b'b'))
                .map_or(&before[before.len()..], |i| &before[i..]);
            site.prefix = String::from_utf8_lossy(before).into_owned();
        }
        // `"Bearer " + KEY`-style joins: the literal before the `+`.
        if let Some(p) = self
            .prev(k, false)
            .filter(|&p| self.is(p, Kind::Punct(b'+')))
        {
            if let Some(q) = self.prev(p, false).filter(|&q| self.is(q, Kind::Str)) {
                let lit = strip_quotes(self.s(q));
                site.prefix = format!("{}{}", String::from_utf8_lossy(lit), site.prefix);
            }
        }
        let _ = end;
        if site.in_comment {
            return site;
        }
        // `PICTIFY_TOKEN=…` inside a literal (a kustomize literal, `docker run
        // -e`, `--from-literal=`): the name before `=` names the value.
        if let Some(name) = assigned_in_literal(&site.prefix) {
            site.add_slot(name);
        }
        self.walk_up(k, &mut site);
        self.group_facts(k, &mut site);
        // `{ "key": "PICTIFY_TOKEN", "value": "…" }` (Postman, Kubernetes `env`,
        // Terraform variables): the pair's name names the value.
        if let Some(name) = self.pair_name(k, &site) {
            site.slots.insert(0, name);
            site.slot_calls.insert(0, 0);
        }
        let (s, e) = self.statement(k);
        self.statement_facts(s, e, &mut site);
        // A call on a value made elsewhere (`req.Header.Set(…)` on the request
        // `http.NewRequest(…, url, …)` made it): that value's URLs.
        let roots: Vec<String> = site
            .calls
            .iter()
            .filter(|c| !c.tag)
            .map(|c| c.root.clone())
            .collect();
        for r in roots {
            self.resolve_urls(&r, &mut site.urls);
        }
        site
    }

    /// The API hosts of the file: hosts of URL literals outside comments.
    pub fn url_hosts(&self) -> &[String] {
        self.hosts.get_or_init(|| self.find_url_hosts())
    }

    fn find_url_hosts(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (i, t) in self.toks.iter().enumerate() {
            if !matches!(t.kind, Kind::Str | Kind::Text) {
                continue;
            }
            if let Some(u) = url_in(strip_quotes(self.s(i))) {
                let h = host_of(&u).to_string();
                if !out.contains(&h) {
                    out.push(h);
                }
                if out.len() >= 64 {
                    break;
                }
            }
        }
        out
    }

    /// From token `k` up through its enclosing brackets: names (slots),
    /// calls and tags, and the variable the outermost value is assigned to.
    fn walk_up(&self, k: usize, site: &mut Site) {
        let mut cur = k;
        for _ in 0..MAX_DEPTH {
            if let Some(name) = self.bound_name(cur) {
                let is_var = self.is_declaration(cur);
                site.add_slot(name.clone());
                if is_var && site.defined_as.is_none() {
                    site.defined_as = Some(name);
                }
            }
            // A JSX string attribute: `<KnockProvider apiKey="pk_…">`, the
            // element right outside its attribute name.
            if cur == k && self.kind(k) == Kind::Str {
                if let Some(tag) = self.jsx_element(k) {
                    site.calls.push(tag);
                }
            }
            let Some(p) = self.parent_of(cur) else { break };
            match self.kind(p) {
                Kind::Open(b'(') => {
                    if let Some((call, start)) = self.call_with_root(p) {
                        // A sibling literal naming a header: `addHeader("Authorization", v)`.
                        if let Some(h) = self.sibling_header(p, cur) {
                            site.add_slot(h);
                        }
                        // `os.getenv("PICTIFY_TOKEN", "tok")`, `ENV.fetch("KEY", "tok")`:
                        // the variable read names the default.
                        if ENV_READS.contains(&call.callee.rsplit('.').next().unwrap_or("")) {
                            if let Some(v) = self.first_string_arg(p, cur).filter(|v| {
                                !v.is_empty()
                                    && v.bytes().all(|b| {
                                        b.is_ascii_alphanumeric() || b == b'_' || b == b'.'
                                    })
                            }) {
                                site.add_slot(v);
                            }
                        }
                        site.calls.push(call);
                        // What the call's result is bound to is named before its callee.
                        cur = start;
                        continue;
                    }
                }
                Kind::Open(b'S') => site.calls.push(Call {
                    callee: "script".into(),
                    root: "script".into(),
                    module: None,
                    tag: true,
                    annotation: false,
                }),
                Kind::Open(b'<') => {
                    let tag = self.tag_call(p);
                    for n in self.tag_names(p) {
                        site.add_slot(n);
                    }
                    site.calls.push(tag);
                }
                Kind::Open(b'{') | Kind::Open(b'[') if self.lang == Lang::Js => {
                    // A JSX element around `{…}`: `<X prop={{ key: 'v' }}>` is
                    // not a tag token here; the element name precedes it.
                    if let Some(tag) = self.jsx_element(p) {
                        site.calls.push(tag);
                    }
                }
                _ => {}
            }
            cur = p;
        }
        // Text content of a markup element: its tag, and a plist `<key>` before it.
        if self.lang == Lang::Markup && self.kind(k) == Kind::Text {
            self.markup_text(k, site);
        }
    }

    /// Words of the value's innermost group, and the functions around it.
    fn group_facts(&self, k: usize, site: &mut Site) {
        // Beside the value means in the same expression group (an object
        // literal, an argument list), not the next statement of a block, and
        // in YAML within the same list item.
        if let Some(p) = self
            .parent_of(k)
            .filter(|&p| !self.is_block(p) || self.lang == Lang::Yaml)
        {
            let (lo, hi) = if self.lang == Lang::Yaml {
                self.yaml_item(p, k)
            } else {
                (p + 1, usize::MAX)
            };
            let mut j = lo;
            while j < self.toks.len() && site.siblings.len() < 64 && j < p + 512 {
                if j >= hi {
                    break;
                }
                if self.parent[j] as usize == p && j != k {
                    match self.kind(j) {
                        Kind::Str | Kind::Text => site.siblings.push(
                            String::from_utf8_lossy(strip_quotes(self.s(j))).to_ascii_lowercase(),
                        ),
                        Kind::Ident => site.siblings.push(self.word(j).to_ascii_lowercase()),
                        Kind::Close(_) => break,
                        _ => {}
                    }
                }
                j += 1;
            }
        }
        let mut cur = k;
        for _ in 0..MAX_DEPTH {
            let Some(p) = self.parent_of(cur) else { break };
            if self.is(p, Kind::Open(b'{')) {
                if let Some(name) = self.function_name(p) {
                    site.functions.push(name);
                }
                if self.lang == Lang::Rust && self.test_item(p) {
                    site.functions.push(TEST_ITEM.to_string());
                }
            }
            cur = p;
        }
    }

    /// The token range of the YAML list item holding `k` in the group `p`
    /// (from its `-` to the next one), or the whole group if not in a list.
    fn yaml_item(&self, p: usize, k: usize) -> (usize, usize) {
        let dash = |j: usize| self.parent[j] as usize == p && self.is(j, Kind::Punct(b'-'));
        let lo = (p + 1..=k).rev().find(|&j| dash(j)).unwrap_or(p + 1);
        let hi = (k + 1..self.toks.len().min(k + 512))
            .find(|&j| dash(j))
            .unwrap_or(usize::MAX);
        (lo, hi)
    }

    /// For a value bound to `value` (or `default`, `currentValue`), the name
    /// its group gives it under `key`, `name`, `variable` or `id`.
    fn pair_name(&self, k: usize, site: &Site) -> Option<String> {
        let slot = site.slots.first()?;
        if !matches!(
            slot.to_ascii_lowercase().as_str(),
            "value" | "default" | "currentvalue" | "current_value" | "initialvalue" | "val"
        ) {
            return None;
        }
        let p = self.parent_of(k)?;
        let (lo, hi) = if self.lang == Lang::Yaml {
            self.yaml_item(p, k)
        } else {
            (p + 1, usize::MAX)
        };
        let mut j = lo;
        while j + 2 < self.toks.len() && j < hi && j < p + 256 {
            if self.parent[j] as usize == p {
                let w = strip_quotes(self.s(j)).to_ascii_lowercase();
                if matches!(w.as_slice(), b"key" | b"name" | b"variable" | b"id")
                    && matches!(self.kind(j + 1), Kind::Punct(b':') | Kind::Punct(b'='))
                    && matches!(self.kind(j + 2), Kind::Str | Kind::Text)
                {
                    return Some(String::from_utf8_lossy(strip_quotes(self.s(j + 2))).into_owned());
                }
                if self.is(j, Kind::Close(b'}')) || self.is(j, Kind::Close(b']')) {
                    break;
                }
            }
            j += 1;
        }
        None
    }

    /// Whether the Rust item whose body opens at `{` is compiled only for
    /// tests: `#[cfg(test)] mod tests {`, `#[test] fn …() {`.
    fn test_item(&self, open: usize) -> bool {
        let mut j = open;
        for _ in 0..48 {
            let Some(p) = self.prev(j, true) else {
                return false;
            };
            match self.kind(p) {
                Kind::Close(b']') => {
                    let Some(o) = self.parent_of(p) else {
                        return false;
                    };
                    let attr = &self.text[self.toks[o].start as usize..self.toks[p].end as usize];
                    if attr == b"[test]"
                        || attr.starts_with(b"[cfg(test")
                        || attr.starts_with(b"[tokio::test")
                    {
                        return true;
                    }
                    j = o;
                }
                Kind::Punct(b';') | Kind::Close(b'}') | Kind::Open(b'{') => return false,
                Kind::Close(_) => match self.parent_of(p) {
                    Some(o) => j = o,
                    None => return false,
                },
                _ => j = p,
            }
        }
        false
    }

    /// The name of the function whose body opens at `{`: `function f(…) {`,
    /// `f(…) {` (a method), `f = (…) => {`, `const f = async function (…) {`,
    /// `def`-less languages' `fun f(…) {`.
    fn function_name(&self, open: usize) -> Option<String> {
        let mut p = self.prev(open, true)?;
        // A return type: `): Promise<Props> {`, `) -> String {`.
        let mut guard = 0;
        while guard < 16 && !self.is(p, Kind::Close(b')')) && !self.is(p, Kind::Punct(b'=')) {
            if matches!(
                self.kind(p),
                Kind::Punct(b';') | Kind::Open(_) | Kind::Close(b'}')
            ) {
                return None;
            }
            p = self.prev(p, true)?;
            guard += 1;
        }
        if self.is(p, Kind::Punct(b'=')) {
            // `=> {`: the arrow's parameters, then `name =` or `name:`.
            let params = self.prev(p, true)?;
            let start = match self.kind(params) {
                Kind::Close(b')') => self.parent_of(params)?,
                Kind::Ident => params,
                _ => return None,
            };
            let mut q = self.prev(start, true)?;
            if self.s(q) == b"async" {
                q = self.prev(q, true)?;
            }
            if self.is(q, Kind::Punct(b'=')) {
                if let Some(n) = self.annotated_name(q) {
                    return Some(self.word(n));
                }
            }
            if matches!(self.kind(q), Kind::Punct(b'=') | Kind::Punct(b':')) {
                let n = self.prev(q, true)?;
                return self.is(n, Kind::Ident).then(|| self.word(n));
            }
            return None;
        }
        let open_paren = self.parent_of(p)?;
        let mut n = self.prev(open_paren, true)?;
        if self.s(n) == b"function" {
            // `name = function (…) {`
            let mut q = self.prev(n, true)?;
            if self.s(q) == b"async" {
                q = self.prev(q, true)?;
            }
            if matches!(self.kind(q), Kind::Punct(b'=') | Kind::Punct(b':')) {
                n = self.prev(q, true)?;
            } else {
                return None;
            }
        }
        if !self.is(n, Kind::Ident) {
            return None;
        }
        let name = self.word(n);
        const NOT_FUNCTIONS: &[&str] = &["if", "for", "while", "switch", "catch", "with", "when"];
        (!NOT_FUNCTIONS.contains(&name.as_str())).then_some(name)
    }

    /// The name a token's value is bound to: `name: v`, `name = v`, `"name": v`,
    /// `name => v`, `let name: T = v`, `obj.prop = v`, JSX `prop="v"`.
    fn bound_name(&self, i: usize) -> Option<String> {
        // Skip back over a concatenation or a call wrapper on the same value:
        // `KEY = "a" + "b"` still binds KEY.
        let mut p = self.prev(i, true)?;
        let mut guard = 0;
        while guard < 8 && matches!(self.kind(p), Kind::Punct(b'+') | Kind::Str) {
            p = self.prev(p, true)?;
            guard += 1;
        }
        // A literal fallback: `KEY = process.env.KEY ?? 'tok'`, `x || 'tok'`,
        // Python's `os.getenv('KEY') or 'tok'`: the name binds the whole.
        if self.is(p, Kind::Punct(b'|')) || self.s(p) == b"or" {
            let mut q = self.prev(p, true)?;
            let mut steps = 0;
            while steps < 24 {
                match self.kind(q) {
                    Kind::Punct(b'=') | Kind::Punct(b':') => break,
                    Kind::Close(_) => q = self.parent_of(q)?,
                    Kind::Ident | Kind::Punct(b'.') | Kind::Str | Kind::Punct(b'!') => {}
                    _ => return None,
                }
                q = self.prev(q, true)?;
                steps += 1;
            }
            p = q;
        }
        let sep = self.kind(p);
        // Elixir's module attribute: `@token "…"` binds `token`.
        if self.lang == Lang::Ruby
            && self.is(p, Kind::Ident)
            && self
                .prev(p, false)
                .is_some_and(|a| self.is(a, Kind::Punct(b'@')))
            && matches!(self.kind(i), Kind::Str)
        {
            return Some(self.word(p));
        }
        if !matches!(sep, Kind::Punct(b'=') | Kind::Punct(b':')) {
            return None;
        }
        // `? x : y` is not a binding.
        let mut n = self.prev(p, true)?;
        if sep == Kind::Punct(b'=') {
            if let Some(m) = self.annotated_name(p) {
                n = m;
            }
        }
        match self.kind(n) {
            Kind::Ident => {
                // A dotted target: `StripeAPI.defaultPublishableKey = v`.
                let mut name = self.word(n);
                let mut j = n;
                while let Some(d) = self
                    .prev(j, false)
                    .filter(|&d| self.is(d, Kind::Punct(b'.')))
                {
                    match self.prev(d, false).filter(|&q| self.is(q, Kind::Ident)) {
                        Some(q) => {
                            name = format!("{}.{name}", self.word(q));
                            j = q;
                        }
                        None => break,
                    }
                }
                Some(name)
            }
            Kind::Str => Some(String::from_utf8_lossy(strip_quotes(self.s(n))).into_owned()),
            // `ls['key'] = v`, `$config['key'] = v`.
            Kind::Close(b']') => {
                let q = self.prev(n, false)?;
                self.is(q, Kind::Str)
                    .then(|| String::from_utf8_lossy(strip_quotes(self.s(q))).into_owned())
            }
            _ => None,
        }
    }

    /// The name before a type annotation ending at the `=` token `eq`:
    /// `name: Type =`, `name: Type<T> =`, `NAME: &str =`, `x: [u8; 4] =`.
    fn annotated_name(&self, eq: usize) -> Option<usize> {
        let mut j = self.prev(eq, true)?;
        for _ in 0..24 {
            match self.kind(j) {
                Kind::Punct(b':') => {
                    let n = self.prev(j, true)?;
                    return self.is(n, Kind::Ident).then_some(n);
                }
                Kind::Close(_) => j = self.parent_of(j)?,
                Kind::Ident
                | Kind::Punct(b'<')
                | Kind::Punct(b'>')
                | Kind::Punct(b'&')
                | Kind::Punct(b'.')
                | Kind::Punct(b',')
                | Kind::Punct(b'?')
                | Kind::Punct(b'|')
                | Kind::Punct(b'\'')
                | Kind::Punct(b'*') => {}
                _ => return None,
            }
            j = self.prev(j, true)?;
        }
        None
    }

    /// Whether token `i`'s binding declares a variable (rather than a key of
    /// an object literal or an argument label).
    fn is_declaration(&self, i: usize) -> bool {
        let Some(p) = self.prev(i, true) else {
            return false;
        };
        // `@token "…"` (Elixir) defines the module attribute `@token`.
        if self.lang == Lang::Ruby
            && self.is(p, Kind::Ident)
            && self
                .prev(p, false)
                .is_some_and(|a| self.is(a, Kind::Punct(b'@')))
        {
            return true;
        }
        let mut sep = p;
        let mut guard = 0;
        while guard < 8 && matches!(self.kind(sep), Kind::Punct(b'+') | Kind::Str) {
            match self.prev(sep, true) {
                Some(q) => sep = q,
                None => return false,
            }
            guard += 1;
        }
        if !self.is(sep, Kind::Punct(b'=')) {
            // YAML/INI keys at the top level are definitions too.
            return matches!(self.lang, Lang::Yaml | Lang::Ini)
                && self.is(sep, Kind::Punct(b':'))
                && self.parent_of(i).is_none();
        }
        // Inside a call's parentheses `name=value` is a keyword argument; Go's
        // `const ( … )` and `var ( … )` blocks declare.
        match self.parent_of(i) {
            Some(par) if self.is(par, Kind::Open(b'(')) => self
                .prev(par, false)
                .is_some_and(|k| matches!(self.s(k), b"const" | b"var")),
            Some(par) if self.is(par, Kind::Open(b'<')) => false,
            _ => true,
        }
    }

    /// The callee of the call whose `(` is token `open`, if it is a call.
    /// The call whose `(` is `open`, and the token its callee starts at
    /// (`new` included): what a name binds in `const s = new Shift4(…)`.
    fn call_with_root(&self, open: usize) -> Option<(Call, usize)> {
        let mut j = self.prev(open, false)?;
        // Generic arguments: `useState<string>(…)`, `Foo<T>(…)`.
        if self.is(j, Kind::Punct(b'>')) {
            let mut k = j;
            let mut guard = 0;
            while guard < 16 {
                k = self.prev(k, false)?;
                if self.is(k, Kind::Punct(b'<')) {
                    j = self.prev(k, false)?;
                    break;
                }
                guard += 1;
            }
        }
        let mut parts: Vec<String> = Vec::new();
        let mut root_idx = None;
        let mut guard = 0;
        loop {
            guard += 1;
            if guard > 32 {
                break;
            }
            match self.kind(j) {
                Kind::Ident => {
                    parts.push(self.word(j));
                    root_idx = Some(j);
                    // Continue through `.`, `?.`, `::` and `->`, across lines in
                    // builder chains.
                    match self.prev(j, true) {
                        Some(d) if self.is(d, Kind::Punct(b'.')) => {
                            let Some(q) = self.prev(d, true) else { break };
                            j = q;
                        }
                        _ => break,
                    }
                }
                // `Builder().url(x).addHeader(…)`: skip the previous call's arguments.
                Kind::Close(b')') | Kind::Close(b']') => {
                    let open_of = self.matching_open(j)?;
                    let Some(q) = self.prev(open_of, true) else {
                        break;
                    };
                    if !matches!(self.kind(q), Kind::Ident | Kind::Close(_)) {
                        break;
                    }
                    j = q;
                }
                _ => break,
            }
        }
        if parts.is_empty() {
            return None;
        }
        parts.reverse();
        let root_idx = root_idx?;
        // Keywords that take parentheses are not calls.
        const NOT_CALLS: &[&str] = &[
            "if", "for", "while", "switch", "catch", "return", "function", "elif", "and", "or",
            "not", "in", "typeof", "await", "yield", "with", "when", "guard", "match",
        ];
        if parts.len() == 1 && NOT_CALLS.contains(&parts[0].as_str()) {
            return None;
        }
        let mut callee = parts.join(".");
        if let Some(n) = self.prev(root_idx, false) {
            if self.s(n) == b"new" {
                callee = format!("new {callee}");
            }
        }
        let root = parts[0].clone();
        let module = self.module_of(&root);
        let start = match self.prev(root_idx, false) {
            Some(n) if self.s(n) == b"new" => n,
            _ => root_idx,
        };
        let annotation = self
            .prev(root_idx, false)
            .is_some_and(|n| self.is(n, Kind::Punct(b'@')));
        Some((
            Call {
                callee,
                root,
                module,
                tag: false,
                annotation,
            },
            start,
        ))
    }

    fn matching_open(&self, close: usize) -> Option<usize> {
        // Parents point at opens; the close's own parent is its open.
        self.parent_of(close)
    }

    /// `<name …>` whose `<` is token `open`.
    fn tag_call(&self, open: usize) -> Call {
        let name = self
            .next(open, false)
            .filter(|&n| self.is(n, Kind::Ident))
            .map(|n| self.word(n))
            .unwrap_or_default();
        let module = self.module_of(&name);
        Call {
            root: name.clone(),
            callee: name,
            module,
            tag: true,
            annotation: false,
        }
    }

    /// Names a tag gives its values: `name`, `android:name`, `key`, `id`,
    /// `property`, `itemprop` attribute values (`<meta-data android:name=…
    /// android:value=…>`, `<string name="stripe_key">`).
    fn tag_names(&self, open: usize) -> Vec<String> {
        let mut out = Vec::new();
        let mut j = open + 1;
        while j + 2 < self.toks.len() && !self.is(j, Kind::Close(b'>')) {
            if self.is(j, Kind::Ident)
                && self.is(j + 1, Kind::Punct(b'='))
                && self.is(j + 2, Kind::Str)
            {
                let attr = self.s(j).to_ascii_lowercase();
                let local = attr.rsplit(|&b| b == b':').next().unwrap_or(&attr);
                if matches!(local, b"name" | b"key" | b"id" | b"property" | b"itemprop") {
                    out.push(String::from_utf8_lossy(strip_quotes(self.s(j + 2))).into_owned());
                }
                j += 3;
            } else {
                j += 1;
            }
            if j > open + 200 {
                break;
            }
        }
        out
    }

    /// The JSX element an attribute value at token `v` belongs to: a string
    /// (`<KnockProvider apiKey="pk_…">`) or an expression's `{`
    /// (`<X prop={{ key: 'v' }}>`): `=` and an attribute name before it, and
    /// `<Name` before those within a few attributes.
    fn jsx_element(&self, v: usize) -> Option<Call> {
        if self.lang != Lang::Js {
            return None;
        }
        let eq = self.prev(v, false)?;
        if !self.is(eq, Kind::Punct(b'=')) {
            return None;
        }
        let attr = self.prev(eq, false)?;
        if !self.is(attr, Kind::Ident) {
            return None;
        }
        let mut j = attr;
        for _ in 0..64 {
            let p = self.prev(j, true)?;
            match self.kind(p) {
                Kind::Punct(b'<') => {
                    let name = self.word(j);
                    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
                        return None;
                    }
                    let module = self.module_of(name.split('.').next().unwrap_or(&name));
                    return Some(Call {
                        root: name.clone(),
                        callee: name,
                        module,
                        tag: true,
                        annotation: false,
                    });
                }
                Kind::Punct(b';') | Kind::Punct(b'>') | Kind::Open(_) => return None,
                Kind::Close(_) => j = self.parent_of(p)?,
                _ => j = p,
            }
        }
        None
    }

    /// The first literal argument of the call at `open`, other than `me`.
    fn first_string_arg(&self, open: usize, me: usize) -> Option<String> {
        let mut j = open + 1;
        while j < self.toks.len() && j < open + 64 {
            if self.parent[j] as usize == open && j != me && self.is(j, Kind::Str) {
                return Some(String::from_utf8_lossy(strip_quotes(self.s(j))).into_owned());
            }
            if self.is(j, Kind::Close(b')')) && self.parent[j] as usize == open {
                break;
            }
            j += 1;
        }
        None
    }

    /// A header name given as another literal argument of the same call:
    /// `addHeader("Authorization", v)`, `setValue(v, forHTTPHeaderField: "X-API-Key")`.
    fn sibling_header(&self, open: usize, me: usize) -> Option<String> {
        let mut j = open + 1;
        let mut n = 0;
        while j < self.toks.len() && n < 64 {
            if self.parent[j] as usize == open && j != me && self.is(j, Kind::Str) {
                let lit = strip_quotes(self.s(j));
                let l = lit.to_ascii_lowercase();
                if l == b"authorization"
                    || l == b"bearer"
                    || l == b"token"
                    || l.starts_with(b"x-")
                    || l.ends_with(b"api-key")
                    || l.ends_with(b"apikey")
                    || l.ends_with(b"token")
                {
                    return Some(String::from_utf8_lossy(lit).into_owned());
                }
            }
            if self.is(j, Kind::Close(b')')) && self.parent[j] as usize == open {
                break;
            }
            j += 1;
            n += 1;
        }
        None
    }

    /// Text content: `<string name="x">v</string>` names `x`; a plist
    /// `<key>X</key><string>v</string>` names `X`.
    fn markup_text(&self, k: usize, site: &mut Site) {
        let Some(close) = self
            .prev(k, false)
            .filter(|&c| self.is(c, Kind::Close(b'>')))
        else {
            return;
        };
        let Some(open) = self.parent_of(close) else {
            return;
        };
        for n in self.tag_names(open) {
            site.add_slot(n);
        }
        let tag = self.tag_call(open);
        if !matches!(
            tag.callee.as_str(),
            "string" | "value" | "item" | "dd" | "td" | "span" | "p" | "div"
        ) {
            site.add_slot(tag.callee.clone());
        }
        site.calls.push(tag);
        // `<key>X</key>` right before: `Open Ident(key) Close Text(X) Open / Ident(key) Close`.
        let Some(prev_close) = self
            .prev(open, false)
            .filter(|&c| self.is(c, Kind::Close(b'>')))
        else {
            return;
        };
        let Some(end_tag) = self.parent_of(prev_close) else {
            return;
        };
        if let Some(text) = self
            .prev(end_tag, false)
            .filter(|&t| self.is(t, Kind::Text))
        {
            if let Some(start_close) = self.prev(text, false) {
                if let Some(start_open) = self.parent_of(start_close) {
                    if self.tag_call(start_open).callee == "key" {
                        site.slots.insert(0, self.word(text));
                        site.slot_calls.insert(0, 0);
                    }
                }
            }
        }
    }

    /// The token range of the statement holding token `k`: bounded by `;`,
    /// by line breaks that end statements (not after an operator, or before a
    /// `.` chain), and by the enclosing block.
    fn statement(&self, k: usize) -> (usize, usize) {
        // A data document (JSON: the file is one object or array) has no
        // statements: a value's is the object holding it.
        if self.lang == Lang::CLike
            && self
                .toks
                .first()
                .is_some_and(|t| matches!(t.kind, Kind::Open(b'{') | Kind::Open(b'[')))
        {
            if let Some(p) = self.parent_of(k) {
                let mut e = p;
                // Bounded like any statement: a huge document is not walked per hit.
                while e + 1 < self.toks.len()
                    && e - p < MAX_STATEMENT
                    && self.is_inside(e + 1, Some(p))
                {
                    e += 1;
                }
                return (p, (e + 1).min(self.toks.len() - 1));
            }
        }
        // Markup: a value's statement is its own tag, or its text.
        if self.lang == Lang::Markup {
            match self.parent_of(k) {
                Some(p) if self.is(p, Kind::Open(b'<')) => {
                    let mut e = p;
                    while e + 1 < self.toks.len() && self.parent[e + 1] as usize == p {
                        e += 1;
                    }
                    return (p, e);
                }
                None => return (k, k),
                _ => {}
            }
        }
        // The outermost bracket that is not a block: statements live in blocks.
        let mut top = k;
        let mut guard = 0;
        while let Some(p) = self.parent_of(top) {
            if self.is_block(p) || guard > MAX_DEPTH {
                break;
            }
            top = p;
            guard += 1;
        }
        let block = self.parent_of(top);
        let ends = |i: usize| -> bool {
            match self.kind(i) {
                Kind::Punct(b';') => true,
                Kind::Newline => !self.continues(i),
                _ => false,
            }
        };
        let mut s = top;
        while s > 0 && top - s < MAX_STATEMENT {
            let j = s - 1;
            if self.parent_of(j) != block && !self.is_inside(j, block) {
                break;
            }
            if self.parent_of(j) == block && ends(j) {
                break;
            }
            if Some(j) == block {
                break;
            }
            s = j;
        }
        let mut e = top;
        while e + 1 < self.toks.len() && e - top < MAX_STATEMENT {
            let j = e + 1;
            if !self.is_inside(j, block) {
                break;
            }
            if self.parent_of(j) == block && ends(j) {
                break;
            }
            e = j;
        }
        (s, e)
    }

    /// Whether token `i` is inside the bracket `block` (or at the top level
    /// when `block` is `None`).
    fn is_inside(&self, i: usize, block: Option<usize>) -> bool {
        let Some(b) = block else { return true };
        let mut p = self.parent_of(i);
        let mut guard = 0;
        while let Some(q) = p {
            if q == b {
                return true;
            }
            guard += 1;
            if guard > 64 {
                return false;
            }
            p = self.parent_of(q);
        }
        false
    }

    /// A bracket that holds statements rather than an expression: a `{}`
    /// block (not an object literal), YAML/INI nesting, a markup tag.
    fn is_block(&self, open: usize) -> bool {
        match self.kind(open) {
            Kind::Open(b'V') | Kind::Open(b'S') => true,
            Kind::Open(b'<') => true,
            Kind::Open(b'{') => {
                if self.lang == Lang::Python {
                    return false;
                }
                match self.prev(open, true) {
                    None => true,
                    Some(p) => match self.kind(p) {
                        Kind::Punct(b'=') | Kind::Punct(b':') | Kind::Punct(b',') => false,
                        Kind::Open(b'(') | Kind::Open(b'[') => false,
                        Kind::Ident => {
                            // `return {…}` is an object; `function f() {…}`,
                            // `else {…}`, Kotlin `apply {…}` are blocks.
                            self.s(p) != b"return"
                        }
                        _ => true,
                    },
                }
            }
            _ => false,
        }
    }

    /// A line break that does not end the statement: after an operator,
    /// comma or opening bracket, or before a `.`/`?.` chain or an operator.
    fn continues(&self, nl: usize) -> bool {
        if let Some(p) = self.prev(nl, false) {
            if matches!(
                self.kind(p),
                Kind::Punct(b'=')
                    | Kind::Punct(b'+')
                    | Kind::Punct(b',')
                    | Kind::Punct(b'.')
                    | Kind::Punct(b'|')
                    | Kind::Punct(b'&')
                    | Kind::Punct(b'?')
                    | Kind::Punct(b':')
                    | Kind::Open(_)
            ) && !matches!(self.lang, Lang::Yaml | Lang::Ini)
            {
                return true;
            }
        }
        if let Some(n) = self.next(nl, false) {
            if matches!(
                self.kind(n),
                Kind::Punct(b'.') | Kind::Punct(b'+') | Kind::Punct(b'|') | Kind::Punct(b'?')
            ) && !matches!(self.lang, Lang::Yaml | Lang::Ini | Lang::Shell)
            {
                return true;
            }
        }
        false
    }

    /// URLs and words of the statement `[s, e]`.
    fn statement_facts(&self, s: usize, e: usize, site: &mut Site) {
        let lock = || self.statements.lock().unwrap_or_else(|p| p.into_inner());
        let cached = lock().get(&(s, e)).cloned();
        let facts = cached.unwrap_or_else(|| {
            let mut f = Site::default();
            self.read_statement(s, e, &mut f);
            let facts = std::sync::Arc::new(Facts {
                urls: f.urls,
                words: f.statement_words,
            });
            lock().insert((s, e), facts.clone());
            facts
        });
        for u in &facts.urls {
            push_unique(&mut site.urls, u.clone());
        }
        let room = 256usize.saturating_sub(site.statement_words.len());
        site.statement_words
            .extend(facts.words.iter().take(room).cloned());
    }

    fn read_statement(&self, s: usize, e: usize, site: &mut Site) {
        let e = e.min(s + 4096);
        for i in s..=e.min(self.toks.len().saturating_sub(1)) {
            match self.kind(i) {
                Kind::Str | Kind::Text => {
                    let lit = strip_quotes(self.s(i));
                    if let Some(u) = url_in(lit) {
                        push_unique(&mut site.urls, u);
                    }
                    // Template and f-string parts: `${BASE}/image`, `{API}`.
                    for name in interpolations(lit) {
                        self.resolve_urls(&name, &mut site.urls);
                    }
                    if site.statement_words.len() < 256 {
                        site.statement_words
                            .push(String::from_utf8_lossy(lit).to_ascii_lowercase());
                    }
                }
                Kind::Ident => {
                    let w = self.word(i);
                    if w.bytes().any(|b| b.is_ascii_uppercase()) || w.len() > 2 {
                        self.resolve_urls(&w, &mut site.urls);
                    }
                    if site.statement_words.len() < 256 {
                        site.statement_words.push(w.to_ascii_lowercase());
                    }
                }
                _ => {}
            }
        }
    }

    /// URLs in the definitions of `name` in this file (one hop).
    fn resolve_urls(&self, name: &str, out: &mut Vec<String>) {
        let name = name.rsplit('.').next().unwrap_or(name);
        for d in self.definitions(name).into_iter().take(4) {
            let (s, e) = self.statement(d);
            for i in s..=e.min(s + 256).min(self.toks.len().saturating_sub(1)) {
                if matches!(self.kind(i), Kind::Str | Kind::Text) {
                    if let Some(u) = url_in(strip_quotes(self.s(i))) {
                        push_unique(out, u);
                    }
                }
            }
        }
    }

    /// Tokens that define `name`: `name = …`, `const name = …`, `name: …` at
    /// the top of a YAML/INI file, `#define name`.
    fn definitions(&self, name: &str) -> Vec<usize> {
        let defs = self.defs.get_or_init(|| self.index_definitions());
        defs.get(name.as_bytes()).cloned().unwrap_or_default()
    }

    /// One pass over the tokens: every definition site by name, so that
    /// resolving the identifiers of a statement costs no pass per name.
    fn index_definitions(&self) -> HashMap<&'a [u8], Vec<usize>> {
        let mut out: HashMap<&'a [u8], Vec<usize>> = HashMap::new();
        for (i, t) in self.toks.iter().enumerate() {
            if t.kind != Kind::Ident {
                continue;
            }
            let Some(nx) = self.next(i, false) else {
                continue;
            };
            let def = match self.kind(nx) {
                Kind::Punct(b'=') => true,
                // `req, err := http.NewRequest(…)`, `a, b = …` (first name).
                Kind::Punct(b',') => {
                    self.next(nx, false)
                        .is_some_and(|m| self.is(m, Kind::Ident))
                        && self
                            .next(nx, false)
                            .and_then(|m| self.next(m, false))
                            .is_some_and(|q| self.is(q, Kind::Punct(b'=')))
                        && self.prev(i, false).is_none_or(|p| {
                            matches!(
                                self.kind(p),
                                Kind::Newline | Kind::Punct(b';') | Kind::Open(b'{')
                            ) || matches!(self.s(p), b"var" | b"let" | b"const" | b"val")
                        })
                }
                // `val NAME: String = …`, `NAME: str = …`.
                Kind::Punct(b':') => {
                    matches!(self.lang, Lang::Yaml | Lang::Ini)
                        || self
                            .next(nx, false)
                            .and_then(|t| self.next(t, false))
                            .is_some_and(|q| self.is(q, Kind::Punct(b'=')))
                }
                _ => false,
            };
            if def {
                let sites = out.entry(&self.text[t.range()]).or_default();
                if sites.len() < 8 {
                    sites.push(nx);
                }
            }
        }
        out
    }

    /// Sites of the uses of `name` other than its definition at `def_tok`.
    /// Where `name`, defined in the statement of tokens `ds..=de`, is used.
    fn uses_of(&self, name: &str, ds: usize, de: usize) -> Vec<Site> {
        let mut out = Vec::new();
        let short = name.rsplit('.').next().unwrap_or(name);
        let n = short.as_bytes();
        for (i, t) in self.toks.iter().enumerate() {
            if out.len() >= MAX_USES {
                break;
            }
            if (ds..=de).contains(&i) {
                continue;
            }
            let hit = match t.kind {
                Kind::Ident => &self.text[t.range()] == n,
                // `${TOKEN}`, `{TOKEN}`, `$TOKEN` inside a literal.
                Kind::Str | Kind::Text => {
                    let lit = strip_quotes(&self.text[t.range()]);
                    memchr::memmem::find(lit, n).is_some()
                        && interpolations(lit).iter().any(|x| x == short)
                }
                _ => false,
            };
            if !hit {
                continue;
            }
            // A redefinition is not a use.
            if t.kind == Kind::Ident
                && self
                    .next(i, false)
                    .is_some_and(|nx| self.is(nx, Kind::Punct(b'=')))
            {
                continue;
            }
            let mut site = self.site_of(i, t.start as usize, t.end as usize);
            // The use's own literal prefix (`Bearer ${TOKEN}`) says how it is sent.
            if matches!(t.kind, Kind::Str | Kind::Text) {
                let lit = &self.text[t.range()];
                let inner = strip_quotes(lit);
                if let Some(at) = find_interpolation(inner, short) {
                    site.prefix = String::from_utf8_lossy(&inner[..at]).into_owned();
                }
            }
            out.push(site);
        }
        out
    }

    /// Where `name` was imported from in this file.
    fn module_of(&self, name: &str) -> Option<String> {
        if name.is_empty() {
            return None;
        }
        self.imports
            .iter()
            .find(|i| i.name == name)
            .map(|i| i.module.clone())
    }

    /// Imports of the file: JS `import`/`require`, Python `import`/`from`,
    /// Java/Kotlin/Scala `import`, Swift/Dart/Go/Ruby/PHP/C# module imports,
    /// `<script src>`.
    fn find_imports(&self) -> Vec<Import> {
        let mut out = Vec::new();
        let n = self.toks.len();
        let mut i = 0;
        while i < n && out.len() < 512 {
            let t = self.toks[i];
            let w = &self.text[t.range()];
            if t.kind == Kind::Open(b'<') {
                // `<script src="…">`
                if self
                    .next(i, false)
                    .is_some_and(|j| self.s(j).eq_ignore_ascii_case(b"script"))
                {
                    let mut j = i + 1;
                    while j + 2 < n && !self.is(j, Kind::Close(b'>')) && j < i + 64 {
                        if self.s(j).eq_ignore_ascii_case(b"src") && self.is(j + 2, Kind::Str) {
                            out.push(Import {
                                name: String::new(),
                                module: String::from_utf8_lossy(strip_quotes(self.s(j + 2)))
                                    .into_owned(),
                            });
                        }
                        j += 1;
                    }
                }
                i += 1;
                continue;
            }
            if t.kind != Kind::Ident {
                i += 1;
                continue;
            }
            match w {
                b"import" | b"from" | b"using" | b"use" | b"require" | b"require_once"
                | b"include" => {
                    let at_start = self.prev(i, false).is_none_or(|p| {
                        matches!(
                            self.kind(p),
                            Kind::Newline
                                | Kind::Punct(b';')
                                | Kind::Close(b'}')
                                | Kind::Open(b'{')
                                | Kind::Punct(b'=')
                                | Kind::Punct(b'(')
                        )
                    }) || w == b"require";
                    if at_start {
                        i = self.parse_import(i, &mut out);
                        continue;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        out
    }

    /// Parses one import statement starting at the keyword `i`; returns the
    /// token after it.
    fn parse_import(&self, i: usize, out: &mut Vec<Import>) -> usize {
        let kw = self.s(i);
        let n = self.toks.len();
        // `require('m')` / `require 'm'`: bind the declared names before it.
        if kw == b"require" || kw == b"require_once" || kw == b"include" {
            let mut j = i + 1;
            if self.is(j, Kind::Open(b'(')) {
                j += 1;
            }
            if !self.is(j, Kind::Str) {
                return i + 1;
            }
            let module = String::from_utf8_lossy(strip_quotes(self.s(j))).into_owned();
            let names = self.declared_before(i);
            if names.is_empty() {
                out.push(Import {
                    name: String::new(),
                    module,
                });
            } else {
                for name in names {
                    out.push(Import {
                        name,
                        module: module.clone(),
                    });
                }
            }
            return j + 1;
        }
        // Collect the statement's tokens up to its end.
        let mut j = i + 1;
        let mut toks = Vec::new();
        let mut depth = 0i32;
        while j < n && toks.len() < 256 {
            match self.kind(j) {
                Kind::Newline if depth == 0 => break,
                Kind::Punct(b';') if depth == 0 => break,
                Kind::Open(_) => depth += 1,
                Kind::Close(_) => {
                    depth -= 1;
                    if depth < 0 {
                        break;
                    }
                }
                Kind::Comment => {
                    j += 1;
                    continue;
                }
                _ => {}
            }
            toks.push(j);
            j += 1;
        }
        let words: Vec<&[u8]> = toks.iter().map(|&t| self.s(t)).collect();
        let strs: Vec<String> = toks
            .iter()
            .filter(|&&t| self.is(t, Kind::Str))
            .map(|&t| String::from_utf8_lossy(strip_quotes(self.s(t))).into_owned())
            .collect();
        let idents: Vec<(usize, String)> = toks
            .iter()
            .filter(|&&t| self.is(t, Kind::Ident))
            .map(|&t| (t, self.word(t)))
            .collect();
        match (self.lang, kw) {
            (Lang::Js | Lang::Markup, b"import") => {
                // `import X, { a, b as c } from 'm'`, `import * as X from 'm'`,
                // `import 'm'`, `import X = require('m')` (TypeScript).
                let Some(module) = strs.last().cloned() else {
                    return j;
                };
                let mut names = Vec::new();
                let mut k = 0;
                while k < idents.len() {
                    let (_, w) = &idents[k];
                    match w.as_str() {
                        "from" | "type" | "typeof" | "require" => {}
                        "as" => {
                            if let Some(last) = names.last_mut() {
                                if let Some((_, alias)) = idents.get(k + 1) {
                                    *last = alias.clone();
                                    k += 1;
                                }
                            } else if let Some((_, alias)) = idents.get(k + 1) {
                                names.push(alias.clone());
                                k += 1;
                            }
                        }
                        _ => names.push(w.clone()),
                    }
                    k += 1;
                }
                if names.is_empty() {
                    names.push(String::new());
                }
                for name in names {
                    out.push(Import {
                        name,
                        module: module.clone(),
                    });
                }
            }
            (Lang::Python, b"import") => {
                // `import a.b as c, d`
                let dotted = dotted_names(&words);
                for (module, alias) in dotted {
                    let name =
                        alias.unwrap_or_else(|| module.split('.').next().unwrap_or("").to_string());
                    out.push(Import { name, module });
                }
            }
            (Lang::Python, b"from") => {
                // `from a.b import x, y as z`
                let Some(imp) = words.iter().position(|w| *w == b"import") else {
                    return j;
                };
                let module: String = words[..imp]
                    .iter()
                    .map(|w| String::from_utf8_lossy(w))
                    .collect();
                let rest = dotted_names(&words[imp + 1..]);
                for (name, alias) in rest {
                    out.push(Import {
                        name: alias.unwrap_or(name),
                        module: module.clone(),
                    });
                }
            }
            (_, b"import") if !strs.is_empty() => {
                // Go `import "path"`, `import alias "path"`, `import ( … )`;
                // Dart `import 'package:x/y.dart' as z;`; Swift none.
                for s in &strs {
                    let module = s
                        .strip_prefix("package:")
                        .map(|p| p.split('/').next().unwrap_or(p).to_string())
                        .unwrap_or_else(|| s.clone());
                    out.push(Import {
                        name: String::new(),
                        module,
                    });
                }
            }
            (_, b"import" | b"using" | b"use") => {
                // Java/Kotlin/Scala `import a.b.C` (binds C), `import a.b.*`,
                // Kotlin `import a.b.C as D`, Swift `import Module`, C#
                // `using A.B;`, PHP `use A\B\C;`, Rust `use a::b::C;`.
                let text: String = words
                    .iter()
                    .map(|w| String::from_utf8_lossy(w).into_owned())
                    .collect::<Vec<_>>()
                    .join(" ");
                let text = text
                    .replace(" . ", ".")
                    .replace(" .", ".")
                    .replace(". ", ".");
                let (path, alias) = match text.split_once(" as ") {
                    Some((p, a)) => (p.trim().to_string(), Some(a.trim().to_string())),
                    None => (text.trim().to_string(), None),
                };
                let path = path.replace('\\', ".").replace("::", ".");
                let path = path
                    .trim_start_matches("static ")
                    .trim_start_matches("function ")
                    .to_string();
                let last = path.rsplit('.').next().unwrap_or(&path).trim().to_string();
                let binds =
                    last.chars().next().is_some_and(|c| c.is_ascii_uppercase()) || alias.is_some();
                let module = path.trim_end_matches(".*").to_string();
                if module.is_empty() || module.contains(' ') && !module.contains('.') {
                    return j;
                }
                out.push(Import {
                    name: if binds {
                        alias.unwrap_or(last)
                    } else {
                        String::new()
                    },
                    module,
                });
            }
            _ => {}
        }
        j
    }

    /// Names declared by `const X = require(…)` / `const { a, b } = require(…)`.
    fn declared_before(&self, req: usize) -> Vec<String> {
        let Some(eq) = self.prev(req, false) else {
            return Vec::new();
        };
        if !self.is(eq, Kind::Punct(b'=')) {
            return Vec::new();
        }
        let Some(n) = self.prev(eq, false) else {
            return Vec::new();
        };
        match self.kind(n) {
            Kind::Ident => vec![self.word(n)],
            Kind::Close(b'}') => {
                let Some(open) = self.parent_of(n) else {
                    return Vec::new();
                };
                (open + 1..n)
                    .filter(|&t| self.is(t, Kind::Ident))
                    .filter(|&t| {
                        !self
                            .next(t, false)
                            .is_some_and(|x| self.is(x, Kind::Punct(b':')))
                    })
                    .map(|t| self.word(t))
                    .collect()
            }
            _ => Vec::new(),
        }
    }
}

/// For each token, the innermost enclosing open bracket (tolerant of
/// unbalanced code: a close pops to its matching open kind, or is ignored).
fn parents(toks: &[Tok]) -> Vec<u32> {
    let mut out = Vec::with_capacity(toks.len());
    let mut stack: Vec<(u32, u8)> = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        match t.kind {
            Kind::Close(c) => {
                let want = match c {
                    b')' => b'(',
                    b']' => b'[',
                    b'}' => b'{',
                    b'>' => b'<',
                    other => other,
                };
                if let Some(pos) = stack.iter().rposition(|&(_, o)| o == want) {
                    // Unclosed brackets inside (`{` of a broken literal) close too.
                    stack.truncate(pos + 1);
                    let (open, _) = stack.pop().unwrap();
                    // A close belongs to its open: parent points at the open.
                    out.push(open);
                } else {
                    out.push(stack.last().map_or(NONE, |s| s.0));
                }
            }
            Kind::Open(o) => {
                out.push(stack.last().map_or(NONE, |s| s.0));
                stack.push((i as u32, o));
            }
            _ => out.push(stack.last().map_or(NONE, |s| s.0)),
        }
    }
    out
}

/// `a.b as c, d` as `[("a.b", Some("c")), ("d", None)]`.
fn dotted_names(words: &[&[u8]]) -> Vec<(String, Option<String>)> {
    let mut out: Vec<(String, Option<String>)> = Vec::new();
    let mut cur = String::new();
    let mut alias_next = false;
    for w in words {
        match *w {
            b"," | b"(" | b")" => {
                if !cur.is_empty() {
                    out.push((std::mem::take(&mut cur), None));
                }
            }
            b"as" => {
                if !cur.is_empty() {
                    out.push((std::mem::take(&mut cur), None));
                }
                alias_next = true;
            }
            b"." => cur.push('.'),
            _ => {
                let s = String::from_utf8_lossy(w).into_owned();
                if alias_next {
                    if let Some(last) = out.last_mut() {
                        last.1 = Some(s);
                    }
                    alias_next = false;
                } else if cur.ends_with('.') || cur.is_empty() {
                    cur.push_str(&s);
                } else {
                    out.push((std::mem::replace(&mut cur, s), None));
                }
            }
        }
    }
    if !cur.is_empty() {
        out.push((cur, None));
    }
    out
}

/// The name assigned to inside a literal just before a value: `KEY=` in
/// `"PICTIFY_TOKEN=abc"`, `--from-literal=KEY=`, `-e KEY=`.
fn assigned_in_literal(prefix: &str) -> Option<String> {
    let p = prefix.trim_end();
    let p = p
        .strip_suffix('=')
        .or_else(|| p.strip_suffix(':'))?
        .trim_end();
    // Name bytes are ASCII, so the start is a char boundary whatever precedes it.
    let tail = (p.bytes().rev())
        .take_while(|&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
        .count();
    let start = p.len() - tail;
    let name = &p[start..];
    (name.len() >= 2 && name.chars().any(|c| c.is_ascii_alphabetic())).then(|| name.to_string())
}

/// A literal without its quotes (and Python prefixes).
pub fn strip_quotes(lit: &[u8]) -> &[u8] {
    let mut s = lit;
    while let Some((&c, rest)) = s.split_first() {
        if matches!(c, b'f' | b'r' | b'b' | b'u' | b'F' | b'R' | b'B' | b'U')
            && !rest.is_empty()
            && matches!(rest[0], b'"' | b'\'' | b'f' | b'r' | b'b')
        {
            s = rest;
        } else {
            break;
        }
    }
    for q in [&b"\"\"\""[..], b"'''", b"\"", b"'", b"`"] {
        if s.len() >= 2 * q.len() && s.starts_with(q) && s.ends_with(q) {
            return &s[q.len()..s.len() - q.len()];
        }
        if s.starts_with(q) {
            return &s[q.len()..];
        }
    }
    s
}

/// A URL (scheme and host, lower-cased) in a literal.
pub fn url_in(lit: &[u8]) -> Option<String> {
    let i = memchr::memmem::find(lit, b"://")?;
    let scheme_ok =
        lit[..i].ends_with(b"http") || lit[..i].ends_with(b"https") || lit[..i].ends_with(b"wss");
    if !scheme_ok {
        return None;
    }
    let rest = &lit[i + 3..];
    let end = rest
        .iter()
        .position(|&b| {
            !(b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b'.' | b'-' | b':' | b'/' | b'_' | b'?' | b'=' | b'&' | b'%'
                ))
        })
        .unwrap_or(rest.len());
    Some(String::from_utf8_lossy(&rest[..end]).to_ascii_lowercase())
}

/// The host of a URL as returned by [`url_in`].
pub fn host_of(url: &str) -> &str {
    let h = url.split(['/', '?']).next().unwrap_or(url);
    h.split(':').next().unwrap_or(h)
}

/// Names interpolated into a literal: `${NAME}`, `${obj.NAME}`, `{NAME}`
/// (f-strings), `$NAME`, `#{NAME}`, `\(NAME)`.
pub fn interpolations(lit: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lit.len() && out.len() < 16 {
        let start = match lit[i] {
            b'$' | b'#' if lit.get(i + 1) == Some(&b'{') => i + 2,
            b'$' if lit
                .get(i + 1)
                .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_') =>
            {
                i + 1
            }
            b'\\' if lit.get(i + 1) == Some(&b'(') => i + 2,
            b'{' => i + 1,
            _ => {
                i += 1;
                continue;
            }
        };
        let mut j = start;
        while j < lit.len() && (lit[j].is_ascii_alphanumeric() || lit[j] == b'_' || lit[j] == b'.')
        {
            j += 1;
        }
        if j > start {
            let name = String::from_utf8_lossy(&lit[start..j]).into_owned();
            let last = name.rsplit('.').next().unwrap_or(&name).to_string();
            if !last.is_empty() {
                out.push(last);
            }
        }
        i = j.max(i + 1);
    }
    out
}

fn find_interpolation(lit: &[u8], name: &str) -> Option<usize> {
    let mut i = 0;
    while i < lit.len() {
        if matches!(lit[i], b'$' | b'{' | b'#' | b'\\') {
            let rest = &lit[i..];
            let skip = rest
                .iter()
                .take_while(|b| matches!(b, b'$' | b'{' | b'#' | b'\\' | b'('))
                .count();
            let after = &rest[skip..];
            let ident_end = after
                .iter()
                .position(|&b| !(b.is_ascii_alphanumeric() || b == b'_' || b == b'.'))
                .unwrap_or(after.len());
            let ident = &after[..ident_end];
            let last = ident.rsplit(|&b| b == b'.').next().unwrap_or(ident);
            if last == name.as_bytes() {
                return Some(i);
            }
            i += skip.max(1);
        } else {
            i += 1;
        }
    }
    None
}

fn push_unique(v: &mut Vec<String>, s: String) {
    if !v.contains(&s) && v.len() < 32 {
        v.push(s);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(src: &str, lang: Lang, needle: &str) -> Site {
        let at = src.find(needle).expect("needle in source");
        Code::new(src.as_bytes(), lang, at, at + needle.len()).site(at, at + needle.len())
    }

    #[test]
    fn a_name_in_a_literal_after_a_multibyte_character() {
        // Found by the `content` fuzz target: the byte before the name was the
        // last of a three-byte character, and the name was cut inside it.
        assert_eq!(assigned_in_literal("\u{fffd}key:").as_deref(), Some("key"));
        assert_eq!(assigned_in_literal("é-é KEY_1 =").as_deref(), Some("KEY_1"));
        assert_eq!(assigned_in_literal("\u{fffd}:"), None);
    }

    #[test]
    fn worker_request_with_headers_below_the_url() {
        let src = r#"export default {
  async fetch(request, env) {
    const html = await render(request);
    const res = await fetch("https://api.example-render.io/image", {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "Authorization": "Bearer 0123abcdTOKEN"
      },
      body: JSON.stringify({ html })
    });
    return res;
  }
}"#;
        let s = site(src, Lang::Js, "0123abcdTOKEN");
        assert_eq!(s.prefix, "Bearer ");
        assert_eq!(s.slots.first().map(String::as_str), Some("Authorization"));
        assert!(s.slots.iter().any(|x| x == "headers"), "{:?}", s.slots);
        assert_eq!(s.calls.first().map(|c| c.callee.as_str()), Some("fetch"));
        assert_eq!(s.urls, vec!["api.example-render.io/image"]);
        assert!(!s.in_comment);
    }

    #[test]
    fn one_hop_through_a_constant_and_a_template() {
        let src = "const API = 'https://api.example.io';\nconst TOKEN = 'tok_123abc';\n\nasync function go() {\n  return fetch(`${API}/image`, { headers: { Authorization: `Bearer ${TOKEN}` } });\n}\n";
        let s = site(src, Lang::Js, "tok_123abc");
        assert_eq!(s.defined_as.as_deref(), Some("TOKEN"));
        assert_eq!(s.uses.len(), 1, "{:?}", s.uses);
        let u = &s.uses[0];
        assert_eq!(u.prefix, "Bearer ");
        assert_eq!(u.calls[0].callee, "fetch");
        assert_eq!(u.urls, vec!["api.example.io"]);
    }

    #[test]
    fn python_headers_dict_used_as_keyword_argument() {
        let src = "import requests\n\nHEADERS = {\n    'Authorization': 'Bearer abc123secret',\n    'Accept': 'application/json',\n}\nURL = 'https://api.example.io/image'\n\ndef render(html):\n    return requests.post(URL, json={'html': html}, headers=HEADERS)\n";
        let s = site(src, Lang::Python, "abc123secret");
        assert_eq!(s.slots[0], "Authorization");
        assert_eq!(s.defined_as.as_deref(), Some("HEADERS"));
        let u = &s.uses[0];
        assert_eq!(u.calls[0].callee, "requests.post");
        assert_eq!(u.calls[0].module.as_deref(), Some("requests"));
        assert!(
            u.urls.contains(&"api.example.io/image".to_string()),
            "{:?}",
            u.urls
        );
    }

    #[test]
    fn builder_chains_and_sibling_header_names() {
        let src = "val request = Request.Builder()\n    .url(\"https://api.example.io/image\")\n    .addHeader(\"Authorization\", \"Bearer k123secret\")\n    .post(body)\n    .build()\n";
        let s = site(src, Lang::CLike, "k123secret");
        assert_eq!(s.calls[0].callee, "Request.Builder.url.addHeader");
        assert_eq!(s.calls[0].root, "Request");
        assert!(s.slots.contains(&"Authorization".to_string()));
        assert_eq!(s.urls, vec!["api.example.io/image"]);
    }

    #[test]
    fn imported_sdk_calls_and_options() {
        let src = "import { createClient } from \"@liveblocks/client\";\n\nconst client = createClient({\n  publicApiKey: \"pk_live_abc\",\n});\n";
        let s = site(src, Lang::Js, "pk_live_abc");
        assert_eq!(s.slots[0], "publicApiKey");
        assert_eq!(s.calls[0].callee, "createClient");
        assert_eq!(s.calls[0].module.as_deref(), Some("@liveblocks/client"));
        let src = "const Shift4 = require('shift4-js');\nconst s4 = new Shift4('pk_test_abc');";
        let s = site(src, Lang::Js, "pk_test_abc");
        assert_eq!(s.calls[0].callee, "new Shift4");
        assert_eq!(s.calls[0].module.as_deref(), Some("shift4-js"));
    }

    #[test]
    fn jsx_attributes_and_markup() {
        let src = "import { KnockProvider } from '@knocklabs/react'\nexport const A = () => <KnockProvider apiKey=\"pk_test_abc\" userId={id}>x</KnockProvider>";
        let s = site(src, Lang::Js, "pk_test_abc");
        assert_eq!(s.slots[0], "apiKey");
        let src = "<resources>\n  <string name=\"stripe_publishable_key\">pk_test_abc</string>\n</resources>";
        let s = site(src, Lang::Markup, "pk_test_abc");
        assert!(
            s.slots.contains(&"stripe_publishable_key".to_string()),
            "{:?}",
            s.slots
        );
        let src = "<dict>\n  <key>PictifyApiKey</key>\n  <string>pk_live_abc</string>\n</dict>";
        let s = site(src, Lang::Markup, "pk_live_abc");
        assert_eq!(s.slots[0], "PictifyApiKey");
        let src =
            "<meta-data android:name=\"com.example.sdk.API_KEY\" android:value=\"pk_live_abc\" />";
        let s = site(src, Lang::Markup, "pk_live_abc");
        assert!(
            s.slots.contains(&"com.example.sdk.API_KEY".to_string()),
            "{:?}",
            s.slots
        );
    }

    #[test]
    fn comments_yaml_paths_and_shell() {
        let src = "// const k = 'pk_live_abc'\nconst x = 1";
        assert!(site(src, Lang::Js, "pk_live_abc").in_comment);
        let src = "services:\n  pictify:\n    api_key: tok123abc\n";
        let s = site(src, Lang::Yaml, "tok123abc");
        assert_eq!(s.slots, vec!["api_key", "pictify", "services"]);
        let src = "curl -X POST https://api.example.io/image \\\n  -H 'Content-Type: application/json' \\\n  -H \"Authorization: Bearer tok123abc\" \\\n  -d '{}'\n";
        let s = site(src, Lang::Shell, "tok123abc");
        assert_eq!(s.prefix, "Authorization: Bearer ");
        assert_eq!(s.urls, vec!["api.example.io/image"]);
    }

    #[test]
    fn declarations_with_types() {
        let src = "private const val PICTIFY_KEY: String = \"pk_live_abc\"\n";
        let s = site(src, Lang::CLike, "pk_live_abc");
        assert_eq!(s.slots[0], "PICTIFY_KEY");
        assert_eq!(s.defined_as.as_deref(), Some("PICTIFY_KEY"));
        let src = "StripeAPI.defaultPublishableKey = \"pk_test_abc\"";
        let s = site(src, Lang::CLike, "pk_test_abc");
        assert_eq!(s.slots[0], "StripeAPI.defaultPublishableKey");
    }

    #[test]
    fn imports_of_many_languages() {
        let imps = |src: &str, lang| Code::new(src.as_bytes(), lang, 0, 0).imports().to_vec();
        let js = imps("import Stripe from 'stripe'\nimport * as L from '@liveblocks/client'\nimport { a as b, c } from \"m\"\nconst { d } = require('n')", Lang::Js);
        let names: Vec<_> = js
            .iter()
            .map(|i| (i.name.as_str(), i.module.as_str()))
            .collect();
        assert_eq!(
            names,
            vec![
                ("Stripe", "stripe"),
                ("L", "@liveblocks/client"),
                ("b", "m"),
                ("c", "m"),
                ("d", "n")
            ]
        );
        let py = imps(
            "from pictify import Pictify as P\nimport requests\n",
            Lang::Python,
        );
        assert_eq!(
            py[0],
            Import {
                name: "P".into(),
                module: "pictify".into()
            }
        );
        assert_eq!(
            py[1],
            Import {
                name: "requests".into(),
                module: "requests".into()
            }
        );
        let kt = imps(
            "import com.stripe.android.PaymentConfiguration\nimport okhttp3.*\n",
            Lang::CLike,
        );
        assert_eq!(
            kt[0],
            Import {
                name: "PaymentConfiguration".into(),
                module: "com.stripe.android.PaymentConfiguration".into()
            }
        );
        assert_eq!(kt[1].module, "okhttp3");
        let html = imps(
            "<script src=\"https://js.stripe.com/v3/\"></script>",
            Lang::Markup,
        );
        assert_eq!(html[0].module, "https://js.stripe.com/v3/");
        let dart = imps(
            "import 'package:flutter_stripe/flutter_stripe.dart';",
            Lang::CLike,
        );
        assert_eq!(dart[0].module, "flutter_stripe");
    }
}
