//! What scripts and build manifests lead to: lazily loaded chunks (webpack and
//! Next.js runtime chunk maps, Turbopack and Vite chunk lists, ES module
//! imports), build manifests (Next.js, Vite, Create React App, Nuxt), service
//! workers and source maps. Everything here is text in, unresolved or resolved
//! URLs out: no fetching.
use regex::bytes::Regex;
use std::sync::OnceLock;
use url::Url;

/// Script-like extensions a chunk path ends with.
fn is_script_path(p: &str) -> bool {
    let p = p.split(['?', '#']).next().unwrap_or(p);
    p.ends_with(".js") || p.ends_with(".mjs") || p.ends_with(".cjs")
}

struct Res {
    path_literal: Regex,
    abs_import: Regex,
    map_url: Regex,
    sw_register: Regex,
    import_scripts: Regex,
    webpack_u: Regex,
    webpack4: Regex,
    public_path: Regex,
    string: Regex,
}

/// Repetitions are unbounded on purpose: a counted one such as `{1,2000}`
/// compiles into thousands of states (a second and tens of megabytes).
fn res() -> &'static Res {
    static R: OnceLock<Res> = OnceLock::new();
    R.get_or_init(|| {
        // A quoted relative path to a script: `"./x-1.js"`, `'/a/b.mjs'`,
        // `` `static/chunks/c.js` ``. One alternative per quote (no backrefs).
        let path = r#"(?:\.{1,2}/|/)?(?:[A-Za-z0-9_@~.\-\[\]]+/)*[A-Za-z0-9_@~.\-\[\]]+\.(?:m?js|cjs)(?:\?[A-Za-z0-9_=&.\-]*)?"#;
        let lit = format!(r#""({path})"|'({path})'|`({path})`"#);
        Res {
            path_literal: Regex::new(&lit).unwrap(),
            abs_import: Regex::new(
                r#"(?:\bfrom|\bimport)\s*\(?\s*["'`](https?://[^"'`\s]+)["'`]"#,
            )
            .unwrap(),
            map_url: Regex::new(r"(?m)^[ \t]*//[#@][ \t]*sourceMappingURL[ \t]*=[ \t]*(\S+)[ \t]*\r?$")
                .unwrap(),
            sw_register: Regex::new(
                r#"serviceWorker\s*\.\s*register\s*\(\s*["'`]([^"'`\s]+)["'`]"#,
            )
            .unwrap(),
            import_scripts: Regex::new(r"\bimportScripts\s*\(([^)]+)\)").unwrap(),
            webpack_u: Regex::new(
                r"\.u\s*=\s*(?:function\s*\(\s*([A-Za-z_$][\w$]*)\s*\)\s*\{\s*return\s+|\(?\s*([A-Za-z_$][\w$]*)\s*\)?\s*=>\s*)",
            )
            .unwrap(),
            webpack4: Regex::new(
                r"function\s+[A-Za-z_$][\w$]*\s*\(\s*([A-Za-z_$][\w$]*)\s*\)\s*\{\s*return\s+[A-Za-z_$][\w$]*\.p\s*\+\s*",
            )
            .unwrap(),
            public_path: Regex::new(r#"\.p\s*=\s*"([^"\s]*)""#).unwrap(),
            string: Regex::new(r#""((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'"#)
                .unwrap(),
        }
    })
}

/// The last `//# sourceMappingURL=` of a script (only the last one counts).
pub fn source_map_ref(text: &[u8]) -> Option<String> {
    // Only the tail can hold it; a bundle may mention the pragma in a string.
    let tail = &text[text.len().saturating_sub(64 * 1024)..];
    let m = res().map_url.captures_iter(tail).last()?;
    let url = String::from_utf8_lossy(&m[1]).into_owned();
    (!url.is_empty()).then_some(url)
}

/// A `data:` URL's payload (a source map inlined into its script).
pub fn data_url(url: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    let rest = url.strip_prefix("data:")?;
    let (meta, data) = rest.split_once(',')?;
    if meta.ends_with(";base64") {
        base64::engine::general_purpose::STANDARD
            .decode(data.trim())
            .ok()
    } else {
        Some(percent_decode(data).into_bytes())
    }
}

pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Some(v) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Resolves a bare chunk path (`static/chunks/a.js`, `assets/b.js`) the way the
/// bundler's public path would: anchored where the path's first directory
/// appears in the URL of the file that names it (`/_next/static/chunks/x.js`
/// names `static/chunks/a.js` → `/_next/static/chunks/a.js`), else relative to
/// that file's directory.
pub fn resolve_bare(path: &str, from: &Url) -> Option<Url> {
    let first = path.split('/').next()?;
    if path.contains('/') {
        let segs: Vec<&str> = from.path().split('/').collect();
        let dirs = &segs[..segs.len().saturating_sub(1)];
        if let Some(j) = dirs.iter().position(|s| *s == first && !s.is_empty()) {
            let base = format!("{}/", dirs[..j].join("/"));
            return from.join(&base).ok()?.join(path).ok();
        }
    }
    from.join(path).ok()
}

/// Resolves a path literal found in a script: relative (`./`, `../`) and
/// root-relative (`/`) paths as module specifiers do, bare paths with
/// [`resolve_bare`].
pub fn resolve_literal(lit: &str, from: &Url) -> Option<Url> {
    if lit.starts_with("./") || lit.starts_with("../") || lit.starts_with('/') {
        if lit.starts_with("//") {
            return None; // protocol-relative: another origin named in code, not loaded by it
        }
        return from.join(lit).ok();
    }
    resolve_bare(lit, from)
}

/// What a script leads to.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ScriptRefs {
    /// Chunks the script's loader names explicitly (a runtime chunk map,
    /// absolute imports): a miss is worth a notice.
    pub chunks: Vec<Url>,
    /// Paths found as string literals: likely chunks, fetched quietly.
    pub likely: Vec<Url>,
    /// Service workers it registers (resolved against the page).
    pub service_workers: Vec<Url>,
}

/// References in a script served at `url`, loaded by `page`.
pub fn script_refs(text: &[u8], url: &Url, page: &Url) -> ScriptRefs {
    let r = res();
    let mut out = ScriptRefs::default();
    for c in r.path_literal.captures_iter(text) {
        let m = c.get(1).or(c.get(2)).or(c.get(3)).unwrap();
        let lit = String::from_utf8_lossy(m.as_bytes());
        // A bare file name (`"jquery.js"`) is more often a word in code than a
        // chunk: bundlers name chunks with `./` or a directory.
        if !lit.contains('/') {
            continue;
        }
        if let Some(u) = resolve_literal(&lit, url) {
            out.likely.push(u);
        }
    }
    for c in r.abs_import.captures_iter(text) {
        if let Ok(u) = Url::parse(&String::from_utf8_lossy(&c[1])) {
            out.chunks.push(u);
        }
    }
    out.chunks.extend(webpack_chunks(text, url, page));
    for c in r.sw_register.captures_iter(text) {
        if let Ok(u) = page.join(&String::from_utf8_lossy(&c[1])) {
            out.service_workers.push(u);
        }
    }
    // What is known for sure is not also a guess.
    out.likely
        .retain(|u| !out.service_workers.contains(u) && !out.chunks.contains(u));
    out
}

/// Scripts a service worker pulls in with `importScripts(...)`.
pub fn imported_scripts(text: &[u8], url: &Url) -> Vec<Url> {
    let r = res();
    let mut out = Vec::new();
    for c in r.import_scripts.captures_iter(text) {
        for s in r.string.captures_iter(&c[1]) {
            let m = s.get(1).or(s.get(2)).unwrap();
            if let Ok(u) = url.join(&String::from_utf8_lossy(m.as_bytes())) {
                out.push(u);
            }
        }
    }
    out
}

/// Chunks named by a webpack runtime's chunk-URL function:
/// `.u=e=>"static/chunks/"+e+"."+{128:"3b46…"}[e]+".js"` (webpack 5, Next.js,
/// Create React App) or webpack 4's `return o.p+"static/js/"+…`, each chunk id
/// evaluated through the function, joined to the runtime's public path.
pub fn webpack_chunks(text: &[u8], url: &Url, page: &Url) -> Vec<Url> {
    let r = res();
    let public = r
        .public_path
        .captures_iter(text)
        .last()
        .map(|c| String::from_utf8_lossy(&c[1]).into_owned())
        .filter(|p| !p.is_empty() && p != "auto");
    let base = public.and_then(|p| page.join(&p).ok());
    let mut out = Vec::new();
    let starts = r
        .webpack_u
        .captures_iter(text)
        .chain(r.webpack4.captures_iter(text));
    for c in starts {
        let param = c.get(1).or(c.get(2)).unwrap().as_bytes().to_vec();
        let at = c.get(0).unwrap().end();
        let mut p = Parser {
            s: text,
            i: at,
            param: &param,
        };
        let Some(expr) = p.concat() else { continue };
        let mut ids = Vec::new();
        expr.ids(&mut ids);
        ids.sort();
        ids.dedup();
        for id in ids.iter().take(20_000) {
            let Some(path) = expr.eval(id) else { continue };
            if !is_script_path(&path) {
                continue;
            }
            let u = match &base {
                Some(b) => b.join(&path).ok(),
                None => resolve_bare(&path, url),
            };
            out.extend(u);
        }
    }
    out
}

/// The chunk-URL expression of a webpack runtime.
#[derive(Debug)]
enum Expr {
    Str(String),
    Param,
    Map(Vec<(String, String)>),
    Index(Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Concat(Vec<Expr>),
}

impl Expr {
    fn eval(&self, id: &str) -> Option<String> {
        match self {
            Expr::Str(s) => Some(s.clone()),
            Expr::Param => Some(id.to_string()),
            Expr::Map(_) => None,
            Expr::Index(m) => match m.as_ref() {
                Expr::Map(kv) => kv.iter().find(|(k, _)| k == id).map(|(_, v)| v.clone()),
                _ => None,
            },
            Expr::Or(a, b) => a.eval(id).or_else(|| b.eval(id)),
            Expr::Concat(parts) => parts.iter().map(|p| p.eval(id)).collect(),
        }
    }
    fn ids(&self, out: &mut Vec<String>) {
        match self {
            Expr::Map(kv) => out.extend(kv.iter().map(|(k, _)| k.clone())),
            Expr::Index(e) => e.ids(out),
            Expr::Or(a, b) => {
                a.ids(out);
                b.ids(out);
            }
            Expr::Concat(v) => v.iter().for_each(|e| e.ids(out)),
            Expr::Str(_) | Expr::Param => {}
        }
    }
}

/// A recursive-descent reader for the little expression language of chunk-URL
/// functions: string literals, the parameter, object literals indexed by the
/// parameter, `||`, parentheses and `+`.
struct Parser<'a> {
    s: &'a [u8],
    i: usize,
    param: &'a [u8],
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && self.s[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }
    fn eat(&mut self, t: &[u8]) -> bool {
        self.ws();
        if self.s[self.i..].starts_with(t) {
            self.i += t.len();
            true
        } else {
            false
        }
    }
    fn concat(&mut self) -> Option<Expr> {
        let mut parts = vec![self.or()?];
        while self.eat(b"+") {
            parts.push(self.or()?);
        }
        Some(if parts.len() == 1 {
            parts.pop().unwrap()
        } else {
            Expr::Concat(parts)
        })
    }
    fn or(&mut self) -> Option<Expr> {
        let a = self.term()?;
        if self.eat(b"||") {
            let b = self.term()?;
            return Some(Expr::Or(Box::new(a), Box::new(b)));
        }
        Some(a)
    }
    fn term(&mut self) -> Option<Expr> {
        self.ws();
        let c = *self.s.get(self.i)?;
        let e = match c {
            b'"' | b'\'' | b'`' => Expr::Str(self.string()?),
            b'(' => {
                self.i += 1;
                let e = self.concat()?;
                if !self.eat(b")") {
                    return None;
                }
                e
            }
            b'{' => Expr::Map(self.object()?),
            _ => {
                let start = self.i;
                while self.i < self.s.len()
                    && (self.s[self.i].is_ascii_alphanumeric() || b"_$".contains(&self.s[self.i]))
                {
                    self.i += 1;
                }
                if &self.s[start..self.i] != self.param {
                    return None;
                }
                Expr::Param
            }
        };
        // `{…}[e]`: a lookup by the parameter.
        let save = self.i;
        if self.eat(b"[") {
            self.ws();
            if self.s[self.i..].starts_with(self.param) {
                self.i += self.param.len();
                if self.eat(b"]") {
                    return Some(Expr::Index(Box::new(e)));
                }
            }
            self.i = save;
        }
        Some(e)
    }
    fn string(&mut self) -> Option<String> {
        let q = self.s[self.i];
        let start = self.i + 1;
        let mut j = start;
        while j < self.s.len() && self.s[j] != q {
            if self.s[j] == b'\\' || (q == b'`' && self.s[j] == b'$') || self.s[j] == b'\n' {
                return None;
            }
            j += 1;
        }
        if j >= self.s.len() {
            return None;
        }
        self.i = j + 1;
        Some(String::from_utf8_lossy(&self.s[start..j]).into_owned())
    }
    fn object(&mut self) -> Option<Vec<(String, String)>> {
        self.i += 1; // `{`
        let mut kv = Vec::new();
        loop {
            self.ws();
            match self.s.get(self.i)? {
                b'}' => {
                    self.i += 1;
                    return Some(kv);
                }
                b'"' | b'\'' => {
                    let k = self.string()?;
                    kv.push((k, self.value()?));
                }
                _ => {
                    let start = self.i;
                    while self.i < self.s.len()
                        && (self.s[self.i].is_ascii_alphanumeric()
                            || b"_$".contains(&self.s[self.i]))
                    {
                        self.i += 1;
                    }
                    if start == self.i {
                        return None;
                    }
                    let k = String::from_utf8_lossy(&self.s[start..self.i]).into_owned();
                    kv.push((k, self.value()?));
                }
            }
            self.eat(b",");
            if kv.len() > 100_000 {
                return None;
            }
        }
    }
    fn value(&mut self) -> Option<String> {
        if !self.eat(b":") {
            return None;
        }
        self.ws();
        match self.s.get(self.i)? {
            b'"' | b'\'' | b'`' => self.string(),
            _ => None,
        }
    }
}

/// Script URLs listed in a JSON build manifest: a Vite manifest
/// (`.vite/manifest.json`: entries with `file`), Create React App's
/// `asset-manifest.json` (`files`, `entrypoints`), or any JSON listing script
/// paths. Bare paths are relative to the build's root: for a file under
/// `.vite/`, its parent.
pub fn json_manifest_refs(json: &serde_json::Value, url: &Url) -> Vec<Url> {
    let root = if url.path().contains("/.vite/") {
        url.join("../").ok()
    } else {
        Some(url.clone())
    };
    let Some(root) = root else { return Vec::new() };
    let mut paths = Vec::new();
    let vite = json
        .as_object()
        .is_some_and(|o| !o.is_empty() && o.values().all(|v| v.get("file").is_some()));
    if vite {
        for v in json.as_object().unwrap().values() {
            if let Some(f) = v.get("file").and_then(|f| f.as_str()) {
                paths.push(f.to_string());
            }
        }
    } else {
        collect_strings(json, &mut paths, 0);
    }
    let mut out: Vec<Url> = paths
        .into_iter()
        .filter(|p| is_script_path(p))
        .filter_map(|p| root.join(&p).ok())
        .collect();
    out.sort();
    out.dedup();
    out
}

fn collect_strings(v: &serde_json::Value, out: &mut Vec<String>, depth: usize) {
    if depth > 32 || out.len() > 100_000 {
        return;
    }
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|x| collect_strings(x, out, depth + 1)),
        serde_json::Value::Object(o) => o.values().for_each(|x| collect_strings(x, out, depth + 1)),
        _ => {}
    }
}

/// Every URL of an import map (`imports` and `scopes`), resolved against the page.
pub fn import_map_refs(json: &serde_json::Value, page: &Url) -> Vec<Url> {
    let mut paths = Vec::new();
    if let Some(i) = json.get("imports") {
        collect_strings(i, &mut paths, 0);
    }
    if let Some(s) = json.get("scopes") {
        collect_strings(s, &mut paths, 0);
    }
    paths
        .into_iter()
        .filter(|p| !p.ends_with('/'))
        .filter_map(|p| page.join(&p).ok())
        .collect()
}

/// Routes a Next.js build manifest or SSG manifest lists (`sortedPages`,
/// `new Set([...])`), without internal (`/_app`) and dynamic (`/[slug]`) ones:
/// pages of the site a crawl may not reach by links.
pub fn next_routes(text: &[u8]) -> Vec<String> {
    let t = String::from_utf8_lossy(text);
    let mut out = Vec::new();
    for marker in ["sortedPages:", "\"sortedPages\":", "new Set("] {
        let Some(k) = t.find(marker) else { continue };
        let rest = &t[k + marker.len()..];
        // The first value only: what follows is more JavaScript.
        let Some(Ok(v)) = serde_json::Deserializer::from_str(rest)
            .into_iter::<Vec<String>>()
            .next()
        else {
            continue;
        };
        out.extend(
            v.into_iter()
                .filter(|r| r.starts_with('/') && !r.starts_with("/_") && !r.contains('[')),
        );
    }
    out.sort();
    out.dedup();
    out
}

/// What a page says about the Next.js build that made it: the build id (from
/// `__NEXT_DATA__`, the App Router's flight data, or a manifest's path).
pub fn next_build_id(html: &[u8], scripts: &[Url]) -> Option<String> {
    static R: OnceLock<Regex> = OnceLock::new();
    let re = R.get_or_init(|| {
        Regex::new(r#""buildId":"([A-Za-z0-9_\-]{1,100})"|\\"b\\":\\"([A-Za-z0-9_\-]{1,100})\\""#)
            .unwrap()
    });
    if let Some(c) = re.captures(html) {
        let m = c.get(1).or(c.get(2)).unwrap();
        return Some(String::from_utf8_lossy(m.as_bytes()).into_owned());
    }
    scripts.iter().find_map(|u| {
        let p = u.path();
        let i = p.find("/_next/static/")? + "/_next/static/".len();
        let (id, rest) = p[i..].split_once('/')?;
        (rest.starts_with("_buildManifest") || rest.starts_with("_ssgManifest"))
            .then(|| id.to_string())
    })
}

/// Manifests worth asking for, from the scripts a page loads: Next.js build
/// manifests (with the build id), Vite's `.vite/manifest.json`, Create React
/// App's `asset-manifest.json` and Nuxt's `builds/latest.json`. These are
/// guesses: a miss is not worth a notice.
pub fn manifest_probes(scripts: &[Url], next_build: Option<&str>) -> Vec<Url> {
    let mut out = Vec::new();
    for s in scripts {
        let p = s.path();
        if let (Some(i), Some(id)) = (p.find("/_next/"), next_build) {
            if let Ok(base) = s.join(&p[..i + "/_next/".len()]) {
                out.extend(base.join(&format!("static/{id}/_buildManifest.js")).ok());
                out.extend(base.join(&format!("static/{id}/_ssgManifest.js")).ok());
            }
        }
        if let Some(i) = p.find("/_nuxt/") {
            out.extend(s.join(&format!("{}builds/latest.json", &p[..i + 7])).ok());
        }
        if let Some(i) = p.find("/assets/") {
            out.extend(s.join(&format!("{}.vite/manifest.json", &p[..i + 1])).ok());
        }
        if let Some(i) = p.find("/static/js/") {
            out.extend(s.join(&format!("{}asset-manifest.json", &p[..i + 1])).ok());
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The next manifest of a Nuxt build: `builds/latest.json` names the build id,
/// whose `builds/meta/<id>.json` lists prerendered routes.
pub fn nuxt_meta(json: &serde_json::Value, url: &Url) -> Option<Url> {
    let id = json.get("id")?.as_str()?;
    if !url.path().ends_with("/builds/latest.json")
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return None;
    }
    url.join(&format!("meta/{id}.json")).ok()
}

/// Prerendered routes of a Nuxt build's meta manifest.
pub fn nuxt_routes(json: &serde_json::Value) -> Vec<String> {
    json.get("prerendered")
        .and_then(|p| p.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|r| r.as_str())
                .filter(|r| r.starts_with('/'))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> Url {
        Url::parse(s).unwrap()
    }
    fn strs(v: &[Url]) -> Vec<&str> {
        v.iter().map(Url::as_str).collect()
    }

    #[test]
    fn next_webpack_runtime_names_its_lazy_chunks() {
        // The shape of a real `next build --webpack` runtime (Next.js 16).
        let rt = br#"s.f={},s.e=e=>Promise.all([]),s.u=e=>"static/chunks/"+e+"."+({128:"3b460ae001b5e852",828:"5c7c1bf7b7c86eb8"})[e]+".js",s.miniCssF=e=>{},s.p="/_next/",a={68:0}"#;
        let got = webpack_chunks(
            rt,
            &u("https://s.example/_next/static/chunks/webpack-1.js"),
            &u("https://s.example/"),
        );
        assert_eq!(
            strs(&got),
            [
                "https://s.example/_next/static/chunks/128.3b460ae001b5e852.js",
                "https://s.example/_next/static/chunks/828.5c7c1bf7b7c86eb8.js"
            ]
        );
    }

    #[test]
    fn named_chunks_cra_and_webpack4_runtimes() {
        let named = br#"r.u=function(e){return "static/js/"+({12:"about"}[e]||e)+"."+{12:"aa11",34:"bb22"}[e]+".chunk.js"},r.p="/app/""#;
        let got = webpack_chunks(
            named,
            &u("https://s.example/app/static/js/main.js"),
            &u("https://s.example/app/"),
        );
        assert_eq!(
            strs(&got),
            [
                "https://s.example/app/static/js/about.aa11.chunk.js",
                "https://s.example/app/static/js/34.bb22.chunk.js"
            ]
        );
        // No public path: anchored on the runtime's own URL (a CDN here).
        let w4 =
            br#"function u(e){return f.p+"static/js/"+({}[e]||e)+"."+{1:"f3a4"}[e]+".chunk.js"}"#;
        let got = webpack_chunks(
            w4,
            &u("https://cdn.example/site/static/js/runtime.js"),
            &u("https://s.example/"),
        );
        assert_eq!(
            strs(&got),
            ["https://cdn.example/site/static/js/1.f3a4.chunk.js"]
        );
        // Not a chunk function: nothing.
        assert!(webpack_chunks(
            b"x.u=e=>e.toUpperCase()",
            &u("https://s.example/a.js"),
            &u("https://s.example/")
        )
        .is_empty());
    }

    #[test]
    fn literals_vite_turbopack_and_next_manifests() {
        let page = u("https://s.example/");
        // Vite 8 (template literals), Vite's preload list, Turbopack's chunk list.
        let vite = br#"await import(`./share-BUAy3jaN.js`);m.f||(m.f=["assets/About-1.js","assets/About-2.css"])"#;
        let r = script_refs(vite, &u("https://s.example/assets/index-D7.js"), &page);
        assert_eq!(
            strs(&r.likely),
            [
                "https://s.example/assets/share-BUAy3jaN.js",
                "https://s.example/assets/About-1.js"
            ]
        );
        let turbo = br#"t.v(e=>Promise.all(["static/chunks/0w9q303p-rl5-.js"].map(e=>t.l(e))))"#;
        let r = script_refs(
            turbo,
            &u("https://s.example/_next/static/chunks/0b.js"),
            &page,
        );
        assert_eq!(
            strs(&r.likely),
            ["https://s.example/_next/static/chunks/0w9q303p-rl5-.js"]
        );
        let manifest = br#"self.__BUILD_MANIFEST={"/legacy":["static/chunks/pages/legacy-cb.js"],sortedPages:["/_app","/_error","/legacy","/blog/[slug]"]};"#;
        let r = script_refs(
            manifest,
            &u("https://s.example/_next/static/B1/_buildManifest.js"),
            &page,
        );
        assert_eq!(
            strs(&r.likely),
            ["https://s.example/_next/static/chunks/pages/legacy-cb.js"]
        );
        assert_eq!(next_routes(manifest), ["/legacy"]);
        assert_eq!(
            next_routes(br#"self.__SSG_MANIFEST=new Set(["\u002Fblog","/x/[id]"]);"#),
            ["/blog"]
        );
        // A single file name, a protocol-relative URL and an absolute import.
        let r = script_refs(
            br#"a("jquery.js");b("//cdn.example/x.js");import("https://esm.example/react.js");navigator.serviceWorker.register('/sw.js')"#,
            &u("https://s.example/assets/i.js"),
            &u("https://s.example/app/page"),
        );
        assert!(r.likely.is_empty());
        assert_eq!(strs(&r.chunks), ["https://esm.example/react.js"]);
        assert_eq!(strs(&r.service_workers), ["https://s.example/sw.js"]);
    }

    #[test]
    fn manifests_and_maps() {
        let vite: serde_json::Value = serde_json::from_str(
            r#"{"index.html":{"file":"assets/index-D7.js","imports":["_vendor.js"]},"src/share.ts":{"file":"assets/share-B.js"}}"#,
        )
        .unwrap();
        assert_eq!(
            strs(&json_manifest_refs(
                &vite,
                &u("https://s.example/base/.vite/manifest.json")
            )),
            [
                "https://s.example/base/assets/index-D7.js",
                "https://s.example/base/assets/share-B.js"
            ]
        );
        let cra: serde_json::Value = serde_json::from_str(
            r#"{"files":{"main.js":"/static/js/main.1.js","static/js/787.2.chunk.js":"/static/js/787.2.chunk.js","main.css":"/static/css/main.css"},"entrypoints":["static/js/main.1.js"]}"#,
        )
        .unwrap();
        assert_eq!(
            strs(&json_manifest_refs(
                &cra,
                &u("https://s.example/asset-manifest.json")
            )),
            [
                "https://s.example/static/js/787.2.chunk.js",
                "https://s.example/static/js/main.1.js"
            ]
        );
        assert_eq!(
            source_map_ref(b"x();\n//# sourceMappingURL=main.js.map\n"),
            Some("main.js.map".into())
        );
        assert_eq!(source_map_ref(b"x(); // sourceMappingURL=nope"), None);
        assert_eq!(
            data_url("data:application/json;base64,e30="),
            Some(b"{}".to_vec())
        );
        let probes = manifest_probes(
            &[
                u("https://s.example/_next/static/chunks/main.js"),
                u("https://s.example/static/js/main.1.js"),
            ],
            Some("B1"),
        );
        assert_eq!(
            strs(&probes),
            [
                "https://s.example/_next/static/B1/_buildManifest.js",
                "https://s.example/_next/static/B1/_ssgManifest.js",
                "https://s.example/asset-manifest.json"
            ]
        );
        assert_eq!(
            next_build_id(
                br#"<script id="__NEXT_DATA__">{"buildId":"imx-1"}</script>"#,
                &[]
            ),
            Some("imx-1".into())
        );
        assert_eq!(
            next_build_id(
                br#"self.__next_f.push([1,"0:{\"P\":null,\"b\":\"PEey_2\"}"])"#,
                &[]
            ),
            Some("PEey_2".into())
        );
        let latest: serde_json::Value =
            serde_json::from_str(r#"{"id":"abc-1","timestamp":1}"#).unwrap();
        assert_eq!(
            nuxt_meta(&latest, &u("https://s.example/_nuxt/builds/latest.json"))
                .unwrap()
                .as_str(),
            "https://s.example/_nuxt/builds/meta/abc-1.json"
        );
        assert_eq!(
            strs(&imported_scripts(
                br#"importScripts("workbox-1.js", '/x.js')"#,
                &u("https://s.example/sw.js")
            )),
            ["https://s.example/workbox-1.js", "https://s.example/x.js"]
        );
    }
}
