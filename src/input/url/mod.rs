//! `pkscan url`: audits what a deployed site ships to browsers. Pages, the
//! scripts they load (inline, same-origin and from other origins), lazily loaded
//! chunks that build manifests and bundler runtimes name, web app manifests,
//! service workers and source maps are fetched within caps and scanned like
//! files, each finding located at its asset URL and, through the source map,
//! in the original source.
mod discover;
mod fetch;
mod html;
mod sourcemap;

pub use fetch::{user_agent, Limits};

use crate::finding::{Finding, OriginalSource, WebOrigin};
use crate::outcome::{cause, Notice, ScanOutcome};
use crate::scan::{Scanner, Scratch};
use fetch::{Cap, Cut, FetchError, Fetched, Fetcher, Want};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet, HashSet, VecDeque};
use std::sync::{Condvar, Mutex};
use url::Url;

/// What to fetch besides the start pages.
#[derive(Clone, Debug)]
pub struct UrlOptions {
    pub limits: Limits,
    /// Same-site links followed from a start page (0: the start pages only).
    pub depth: usize,
    /// Pages fetched at most, start pages included.
    pub max_pages: usize,
    /// Also fetch the pages `/sitemap.xml` lists.
    pub sitemap: bool,
    /// Fetch source maps (original locations, `sourcesContent`).
    pub source_maps: bool,
    /// `--header` values, sent to the audited site's origins only.
    pub headers: Vec<(String, String)>,
}

impl Default for UrlOptions {
    fn default() -> Self {
        UrlOptions {
            limits: Limits::default(),
            depth: 1,
            max_pages: 100,
            sitemap: false,
            source_maps: true,
            headers: Vec::new(),
        }
    }
}

/// Why an audit could not start.
#[derive(Debug, thiserror::Error)]
pub enum UrlError {
    #[error("{0}")]
    Proxy(String),
    /// No start page could be fetched at all.
    #[error("cannot fetch {url}: {reason}")]
    Unreachable { url: String, reason: String },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Page,
    Script,
    ServiceWorker,
    /// A web app manifest (`<link rel=manifest>`).
    WebManifest,
    /// A JSON build manifest (Vite, Create React App, Nuxt).
    BuildManifest,
    /// Data a page preloads.
    Data,
    Sitemap,
}

impl Kind {
    fn want(self) -> Want {
        match self {
            Kind::Page | Kind::Sitemap => Want::Page,
            Kind::Script | Kind::ServiceWorker => Want::Script,
            Kind::WebManifest | Kind::BuildManifest | Kind::Data => Want::Json,
        }
    }
    fn is_script(self) -> bool {
        matches!(self, Kind::Script | Kind::ServiceWorker)
    }
}

#[derive(Clone, Debug)]
struct Task {
    url: Url,
    kind: Kind,
    /// The page or asset that named it.
    via: Option<Url>,
    /// The page whose document it belongs to (what a script's service worker
    /// and public path resolve against).
    page: Url,
    depth: usize,
    /// A guess (a manifest that may exist, a string that may be a chunk): a
    /// miss is not worth a notice.
    probe: bool,
}

#[derive(Default)]
struct Queue {
    tasks: VecDeque<Task>,
    busy: usize,
    seen: HashSet<String>,
    /// Pages for the next round.
    next_pages: Vec<Task>,
    pages_taken: usize,
    pages_over: usize,
    beyond_depth: BTreeSet<String>,
    stopped: Option<Cap>,
    not_fetched: usize,
}

#[derive(Default)]
struct Results {
    findings: Vec<Finding>,
    notices: Vec<Notice>,
    files: u64,
    bytes: u64,
    /// Every URL that named an asset, by (round, depth): the earliest is shown.
    via: BTreeMap<String, BTreeSet<(usize, String)>>,
    /// Body hash of each scanned URL, to report a body served at many URLs once.
    hashes: BTreeMap<String, [u8; 32]>,
    plain_http: BTreeSet<String>,
    /// Start pages that could not be fetched, with why.
    start_failures: Vec<(String, String)>,
    /// Something the site serves names Pictify (project-level evidence).
    mentions_pictify: bool,
}

struct Audit<'a> {
    scanner: &'a Scanner,
    fetcher: Fetcher,
    opts: &'a UrlOptions,
    /// Origins of the audited site (start pages and where they redirect).
    site: Mutex<Vec<String>>,
    queue: Mutex<Queue>,
    cv: Condvar,
    results: Mutex<Results>,
    round: std::sync::atomic::AtomicUsize,
}

fn norm(u: &Url) -> String {
    let mut u = u.clone();
    u.set_fragment(None);
    u.to_string()
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Audits the sites of `starts`. One bad URL never stops the audit: it becomes
/// a notice, like an unreadable file in `scan`.
pub fn audit(
    scanner: &Scanner,
    starts: &[Url],
    opts: &UrlOptions,
) -> Result<ScanOutcome, UrlError> {
    let allow_local = starts.iter().any(fetch::host_is_local);
    let fetcher = Fetcher::new(opts.limits.clone(), opts.headers.clone(), allow_local)
        .map_err(UrlError::Proxy)?;
    let audit = Audit {
        scanner,
        fetcher,
        opts,
        site: Mutex::new(Vec::new()),
        queue: Mutex::new(Queue::default()),
        cv: Condvar::new(),
        results: Mutex::new(Results::default()),
        round: std::sync::atomic::AtomicUsize::new(0),
    };
    let mut round: Vec<Task> = Vec::new();
    for s in starts {
        audit.add_site(s);
        round.push(Task {
            url: s.clone(),
            kind: Kind::Page,
            via: None,
            page: s.clone(),
            depth: 0,
            probe: false,
        });
        if opts.sitemap {
            if let Ok(u) = s.join("/sitemap.xml") {
                round.push(Task {
                    url: u,
                    kind: Kind::Sitemap,
                    via: Some(s.clone()),
                    page: s.clone(),
                    depth: 0,
                    probe: false,
                });
            }
        }
    }
    let mut n = 0;
    while !round.is_empty() {
        audit.round.store(n, std::sync::atomic::Ordering::SeqCst);
        {
            let mut q = lock(&audit.queue);
            for t in round.drain(..) {
                audit.push(&mut q, t);
            }
        }
        audit.run_round();
        let mut q = lock(&audit.queue);
        let mut pages = std::mem::take(&mut q.next_pages);
        pages.sort_by(|a, b| (a.depth, a.url.as_str()).cmp(&(b.depth, b.url.as_str())));
        // The same page named at two depths is taken once, at the lower one.
        let mut taken = HashSet::new();
        for p in pages {
            let key = norm(&p.url);
            if q.seen.contains(&key) || !taken.insert(key) {
                continue;
            }
            if q.pages_taken >= opts.max_pages {
                q.pages_over += 1;
                continue;
            }
            q.pages_taken += 1;
            round.push(p);
        }
        n += 1;
    }
    {
        let r = lock(&audit.results);
        if !starts.is_empty() && r.start_failures.len() == starts.len() {
            let (url, reason) = r.start_failures[0].clone();
            return Err(UrlError::Unreachable { url, reason });
        }
    }
    Ok(audit.finish())
}

impl Audit<'_> {
    fn add_site(&self, u: &Url) {
        let o = u.origin().ascii_serialization();
        let mut s = lock(&self.site);
        if !s.contains(&o) {
            s.push(o);
        }
        self.fetcher.trust_origin(u);
        // A plain-http start page usually redirects to HTTPS on the same host:
        // that hop may carry `--header` too (the reverse would downgrade it).
        if u.scheme() == "http" && u.port().is_none() {
            let mut https = u.clone();
            if https.set_scheme("https").is_ok() {
                self.fetcher.trust_origin(&https);
            }
        }
    }

    fn same_site(&self, u: &Url) -> bool {
        lock(&self.site).contains(&u.origin().ascii_serialization())
    }

    /// Queues a task unless its URL was seen (recording who named it either way).
    fn push(&self, q: &mut Queue, t: Task) {
        let key = norm(&t.url);
        if let Some(v) = &t.via {
            let round = self.round.load(std::sync::atomic::Ordering::SeqCst);
            // A page or script that loads an asset says more than a manifest
            // that lists it.
            let p = v.path();
            let manifest = p.ends_with(".json") || p.contains("Manifest");
            lock(&self.results)
                .via
                .entry(key.clone())
                .or_default()
                .insert(((round * 1000 + t.depth) * 2 + manifest as usize, norm(v)));
        }
        if !q.seen.insert(key) {
            return;
        }
        if t.kind == Kind::Page && t.depth == 0 {
            q.pages_taken += 1;
        }
        q.tasks.push_back(t);
        self.cv.notify_one();
    }

    /// Queues what a task found: assets now, pages for the next round.
    fn enqueue(&self, found: Vec<Task>) {
        let mut q = lock(&self.queue);
        for t in found {
            if t.kind == Kind::Page {
                let key = norm(&t.url);
                if q.seen.contains(&key) {
                    continue;
                }
                if t.depth > self.opts.depth {
                    q.beyond_depth.insert(key);
                    continue;
                }
                q.next_pages.push(t);
            } else {
                self.push(&mut q, t);
            }
        }
    }

    fn run_round(&self) {
        let workers = self.opts.limits.concurrency.max(1);
        std::thread::scope(|s| {
            for _ in 0..workers {
                s.spawn(|| {
                    let mut scratch = Scratch::default();
                    while let Some(task) = self.next_task() {
                        // Done with the task even if processing it panics (a bug):
                        // the other workers must not wait for it forever.
                        let _done = Done(self);
                        let found = self.process(&task, &mut scratch);
                        self.enqueue(found);
                    }
                });
            }
        });
    }

    /// The next task, or `None` when the round is done. Once a global cap is
    /// hit, remaining tasks are counted as not fetched.
    fn next_task(&self) -> Option<Task> {
        let mut q = lock(&self.queue);
        loop {
            if let Some(t) = q.tasks.pop_front() {
                if q.stopped.is_some() {
                    q.not_fetched += 1;
                    continue;
                }
                q.busy += 1;
                return Some(t);
            }
            if q.busy == 0 {
                self.cv.notify_all();
                return None;
            }
            q = self.cv.wait(q).unwrap_or_else(|e| e.into_inner());
        }
    }

    fn notice(&self, n: Notice) {
        lock(&self.results).notices.push(n);
    }

    fn stop(&self, cap: Cap) {
        let mut q = lock(&self.queue);
        q.stopped.get_or_insert(cap);
        q.not_fetched += 1;
    }

    /// Fetches and scans one task; returns what it leads to.
    fn process(&self, t: &Task, scratch: &mut Scratch) -> Vec<Task> {
        let same_site = |u: &Url| self.same_site(u);
        // A start page may redirect anywhere (http → https, apex → www): where it
        // lands is the site. Other pages must stay on it.
        let check: Option<&dyn Fn(&Url) -> bool> = match (t.kind, t.depth) {
            (Kind::Page, 0) => None,
            (Kind::Page, _) => Some(&same_site),
            _ => None,
        };
        let got = match self.fetcher.get(&t.url, t.kind.want(), check) {
            Ok(f) => f,
            Err(FetchError::Cap(c)) => {
                self.stop(c);
                return Vec::new();
            }
            Err(e) => {
                if t.kind == Kind::Page && t.via.is_none() {
                    lock(&self.results)
                        .start_failures
                        .push((t.url.to_string(), e.to_string()));
                }
                if !(t.probe && matches!(e, FetchError::Connection(_))) {
                    let category = match e {
                        FetchError::Refused(_) => cause::REFUSED,
                        _ => cause::UNREACHABLE,
                    };
                    self.notice(Notice::skipped_as(
                        category,
                        t.url.to_string(),
                        e.to_string(),
                    ));
                }
                return Vec::new();
            }
        };
        if t.kind == Kind::Page && t.depth == 0 && got.url != t.url {
            self.add_site(&got.url);
        }
        if got.url.scheme() == "http" {
            let origin = got.url.origin().ascii_serialization();
            if lock(&self.results).plain_http.insert(origin.clone()) {
                self.notice(Notice::warning_as(
                    cause::PLAIN_HTTP,
                    origin,
                    "served over plain http://, not HTTPS: anyone on the network path can read and change what the site ships".into(),
                ));
            }
        }
        if !(200..300).contains(&got.status) {
            if !t.probe {
                self.notice(Notice::skipped_as(
                    cause::HTTP_ERROR,
                    got.url.to_string(),
                    format!("HTTP {}", got.status),
                ));
            }
            // An error page is still served to browsers; an error body in
            // place of a script or manifest is not what the site ships there.
            if t.kind != Kind::Page || t.probe {
                return Vec::new();
            }
        }
        let html_body = looks_like_html(&got);
        if t.kind != Kind::Page && t.kind != Kind::Sitemap && html_body {
            // An HTML page where a script or manifest should be: a single-page
            // app's fallback for a missing file, already scanned as a page.
            if !t.probe {
                self.notice(Notice::skipped_as(
                    cause::HTTP_ERROR,
                    got.url.to_string(),
                    format!(
                        "served an HTML page ({}) instead of the expected file",
                        got.content_type
                    ),
                ));
            }
            return Vec::new();
        }
        let json = matches!(t.kind, Kind::BuildManifest | Kind::WebManifest)
            .then(|| serde_json::from_slice::<serde_json::Value>(&got.body).ok())
            .flatten();
        if t.probe && t.kind == Kind::BuildManifest && json.is_none() {
            return Vec::new();
        }
        self.note_cut(&got);
        let mut findings = self.scan(t, &got, scratch);
        if t.kind.is_script() && self.opts.source_maps {
            self.source_map(&got, &mut findings, scratch);
        }
        for f in &findings {
            if let Some(s) = &f.secret {
                self.fetcher.remember_secret(s.expose());
            }
        }
        {
            let mut r = lock(&self.results);
            r.files += 1;
            r.bytes += got.body.len() as u64;
            r.hashes
                .insert(norm(&got.url), Sha256::digest(&got.body).into());
            r.findings.extend(findings);
        }
        self.discover(t, &got, html_body, json.as_ref())
    }

    fn note_cut(&self, got: &Fetched) {
        let l = self.fetcher.limits();
        let why = match got.cut {
            None => return,
            Some(Cut::ResponseSize) => format!(
                "larger than --max-response-size ({}): only the first {} were read and scanned",
                human(l.max_response_bytes),
                human(l.max_response_bytes)
            ),
            Some(Cut::TotalSize) => format!(
                "--max-total-size ({}) reached while reading: only the first {} were scanned",
                human(l.max_total_bytes),
                human(got.body.len() as u64)
            ),
            Some(Cut::Timeout) => format!(
                "still arriving after --request-timeout ({}s): the first {} were scanned",
                l.request_timeout.as_secs_f64(),
                human(got.body.len() as u64)
            ),
            Some(Cut::Broken) => format!(
                "the connection broke after {}: that much was scanned",
                human(got.body.len() as u64)
            ),
        };
        self.notice(Notice::warning_as(cause::LIMIT, got.url.to_string(), why));
    }

    fn web(&self, t: &Task, url: &Url) -> WebOrigin {
        WebOrigin {
            url: url.to_string(),
            found_via: t.via.as_ref().map(norm),
            original: None,
        }
    }

    fn scan(&self, t: &Task, got: &Fetched, scratch: &mut Scratch) -> Vec<Finding> {
        let path = got.url.to_string();
        let result = self.scanner.scan_blob(&path, &got.body, scratch);
        if let Some(n) = result.failure_notice(path.clone()) {
            self.notice(n);
        }
        if result.mentions_pictify {
            lock(&self.results).mentions_pictify = true;
        }
        if result.dropped > 0 {
            self.notice(Notice::warning(
                path.clone(),
                format!(
                    "{} more findings not reported (per-file limit)",
                    result.dropped
                ),
            ));
        }
        result
            .findings
            .into_iter()
            .map(|mut f| {
                f.web = Some(self.web(t, &got.url));
                f
            })
            .collect()
    }

    /// Finds the script's source map (header, `sourceMappingURL`, or inline),
    /// gives each finding its original location, and scans the map's
    /// `sourcesContent` for keys the generated code does not show.
    fn source_map(&self, got: &Fetched, findings: &mut Vec<Finding>, scratch: &mut Scratch) {
        let reference = got
            .source_map
            .clone()
            .or_else(|| discover::source_map_ref(&got.body));
        let Some(reference) = reference else { return };
        // An inline map sits in the script itself: a key in its original code is
        // located at the `data:` URL in the script.
        let inline = reference.starts_with("data:").then(|| {
            let at = memchr::memmem::rfind(&got.body, reference.as_bytes()).unwrap_or(0);
            (at, at + reference.len())
        });
        let (map_url, body) = if inline.is_some() {
            match discover::data_url(&reference) {
                Some(b) => (got.url.clone(), b),
                None => return,
            }
        } else {
            let Ok(u) = got.url.join(&reference) else {
                return;
            };
            {
                let mut q = lock(&self.queue);
                if !q.seen.insert(norm(&u)) {
                    return; // another script's map, already done
                }
            }
            match self.fetcher.get(&u, Want::Json, None) {
                Ok(m) if (200..300).contains(&m.status) => {
                    self.note_cut(&m);
                    (m.url, m.body)
                }
                Ok(m) => {
                    if !findings.is_empty() {
                        self.notice(Notice::warning_as(
                            cause::HTTP_ERROR,
                            u.to_string(),
                            format!("source map not served (HTTP {}): findings in {} have no original location", m.status, got.url),
                        ));
                    }
                    return;
                }
                Err(FetchError::Cap(c)) => {
                    self.stop(c);
                    return;
                }
                Err(e) => {
                    if !findings.is_empty() {
                        self.notice(Notice::warning_as(
                            cause::UNREACHABLE,
                            u.to_string(),
                            format!("source map {e}"),
                        ));
                    }
                    return;
                }
            }
        };
        let Ok(text) = std::str::from_utf8(&body) else {
            return self.map_unusable(&map_url, findings, "not UTF-8 text".into());
        };
        let map = match sourcemap::SourceMap::parse(text) {
            Ok(m) => m,
            Err(e) => return self.map_unusable(&map_url, findings, e.to_string()),
        };
        let map_name = map_url.to_string();
        // Generated positions: 0-based line, UTF-16 column.
        let decoded = crate::content::decode(&got.body);
        let positions: Vec<(u32, u32)> = findings
            .iter()
            .map(|f| {
                let at = f.span.byte_start.min(decoded.text.len());
                let ls = memchr::memrchr(b'\n', &decoded.text[..at]).map_or(0, |i| i + 1);
                (
                    (f.span.line - 1) as u32,
                    sourcemap::utf16_len(&decoded.text[ls..at]),
                )
            })
            .collect();
        for (f, o) in findings.iter_mut().zip(map.lookup(&positions)) {
            if let (Some(o), Some(w)) = (o, f.web.as_mut()) {
                w.original = Some(OriginalSource {
                    source: o.source,
                    line: o.line,
                    column: o.column,
                    source_map: map_name.clone(),
                    in_sources_content: false,
                });
            }
        }
        // The original text the map carries: keys only there (a module the
        // bundle dropped, a constant folded away) are still public.
        let mut lines = crate::content::LineIndex::new(match inline {
            Some(_) => &got.body,
            None => &body,
        });
        let mut extra = Vec::new();
        for src in map.source_texts() {
            let r = self
                .scanner
                .scan_blob(&map_name, src.text.as_bytes(), scratch);
            if let Some(n) = r.failure_notice(format!("{map_name} ({})", src.source)) {
                self.notice(n);
            }
            for mut f in r.findings {
                let original = OriginalSource {
                    source: src.source.clone(),
                    line: f.span.line,
                    column: f.span.column,
                    source_map: map_name.clone(),
                    in_sources_content: true,
                };
                let same = |g: &Finding| {
                    g.rule_id == f.rule_id
                        && (f.secret.is_some() && g.fingerprint == f.fingerprint
                            || g.web
                                .as_ref()
                                .and_then(|w| w.original.as_ref())
                                .is_some_and(|o| {
                                    o.source == original.source && o.line == original.line
                                }))
                };
                // The key itself is reported in the generated code with this
                // source as its origin: a practice finding in the same file adds
                // nothing a developer would act on separately.
                let keyed_source = f.secret.is_none()
                    && findings.iter().any(|g| {
                        g.secret.is_some()
                            && g.web
                                .as_ref()
                                .and_then(|w| w.original.as_ref())
                                .is_some_and(|o| o.source == original.source)
                    });
                if keyed_source {
                    continue;
                }
                if let Some(g) = findings.iter_mut().find(|g| same(g)) {
                    // Already reported in the generated code; lend it the
                    // original location if the mappings gave none.
                    if let Some(w) = g.web.as_mut().filter(|w| w.original.is_none()) {
                        w.original = Some(original);
                    }
                    continue;
                }
                let (a, b) = inline.unwrap_or((
                    src.offsets[f.span.byte_start.min(src.offsets.len() - 1)],
                    src.offsets[f.span.byte_end.min(src.offsets.len() - 1)],
                ));
                let (line, column) = lines.position(a);
                let (end_line, end_column) = lines.position(b);
                f.span = crate::finding::Span {
                    line,
                    column,
                    end_line,
                    end_column,
                    byte_start: a,
                    byte_end: b,
                };
                f.path = map_name.clone();
                f.context_reason = format!(
                    "source map served to browsers with the original code of `{}`",
                    src.source
                );
                f.web = Some(WebOrigin {
                    url: map_name.clone(),
                    found_via: Some(norm(&got.url)),
                    original: Some(original),
                });
                extra.push(f);
            }
        }
        findings.extend(extra);
        if inline.is_none() {
            let mut r = lock(&self.results);
            r.files += 1;
            r.bytes += body.len() as u64;
            r.hashes
                .insert(norm(&map_url), Sha256::digest(&body).into());
        }
    }

    fn map_unusable(&self, url: &Url, findings: &[Finding], why: String) {
        if !findings.is_empty() {
            self.notice(Notice::warning(
                url.to_string(),
                format!("source map unusable ({why}): findings have no original location"),
            ));
        }
    }

    /// What a fetched asset leads to.
    fn discover(
        &self,
        t: &Task,
        got: &Fetched,
        html_body: bool,
        json: Option<&serde_json::Value>,
    ) -> Vec<Task> {
        let mut out = Vec::new();
        let task = |url: Url, kind: Kind, probe: bool, depth: usize, page: &Url| Task {
            url,
            kind,
            via: Some(got.url.clone()),
            page: page.clone(),
            depth,
            probe,
        };
        match t.kind {
            Kind::Page if html_body => {
                let refs = html::parse(&got.body);
                let base = refs
                    .base
                    .as_deref()
                    .and_then(|b| got.url.join(b).ok())
                    .unwrap_or_else(|| got.url.clone());
                let page = &got.url;
                let mut scripts = Vec::new();
                for s in &refs.scripts {
                    if let Ok(u) = base.join(s) {
                        scripts.push(u);
                    }
                }
                for u in &scripts {
                    out.push(task(u.clone(), Kind::Script, false, t.depth, page));
                }
                for &(s, e) in &refs.import_maps {
                    if let Ok(v) = serde_json::from_slice::<serde_json::Value>(&got.body[s..e]) {
                        for u in discover::import_map_refs(&v, &base) {
                            out.push(task(u, Kind::Script, false, t.depth, page));
                        }
                    }
                }
                for &(s, e) in &refs.inline_scripts {
                    let r = discover::script_refs(&got.body[s..e], &base, page);
                    out.extend(
                        r.chunks
                            .into_iter()
                            .map(|u| task(u, Kind::Script, false, t.depth, page)),
                    );
                    out.extend(
                        r.likely
                            .into_iter()
                            .map(|u| task(u, Kind::Script, true, t.depth, page)),
                    );
                    out.extend(
                        r.service_workers
                            .into_iter()
                            .map(|u| task(u, Kind::ServiceWorker, false, t.depth, page)),
                    );
                }
                for m in &refs.manifests {
                    if let Ok(u) = base.join(m) {
                        out.push(task(u, Kind::WebManifest, false, t.depth, page));
                    }
                }
                for d in &refs.data {
                    if let Ok(u) = base.join(d) {
                        out.push(task(u, Kind::Data, false, t.depth, page));
                    }
                }
                let build = discover::next_build_id(&got.body, &scripts);
                for u in discover::manifest_probes(&scripts, build.as_deref()) {
                    let kind = if u.path().ends_with(".json") {
                        Kind::BuildManifest
                    } else {
                        Kind::Script
                    };
                    out.push(task(u, kind, true, t.depth, page));
                }
                for l in &refs.links {
                    let Ok(mut u) = base.join(l) else { continue };
                    u.set_fragment(None);
                    if matches!(u.scheme(), "http" | "https")
                        && self.same_site(&u)
                        && !is_file_link(&u)
                    {
                        out.push(task(u, Kind::Page, false, t.depth + 1, page));
                    }
                }
            }
            Kind::Script | Kind::ServiceWorker => {
                let r = discover::script_refs(&got.body, &got.url, &t.page);
                out.extend(
                    r.chunks
                        .into_iter()
                        .map(|u| task(u, Kind::Script, false, t.depth, &t.page)),
                );
                out.extend(
                    r.likely
                        .into_iter()
                        .map(|u| task(u, Kind::Script, true, t.depth, &t.page)),
                );
                out.extend(
                    r.service_workers
                        .into_iter()
                        .map(|u| task(u, Kind::ServiceWorker, false, t.depth, &t.page)),
                );
                if t.kind == Kind::ServiceWorker {
                    for u in discover::imported_scripts(&got.body, &got.url) {
                        out.push(task(u, Kind::Script, false, t.depth, &t.page));
                    }
                }
                let p = got.url.path();
                if p.ends_with("/_buildManifest.js") || p.ends_with("/_ssgManifest.js") {
                    for route in discover::next_routes(&got.body) {
                        if let Ok(u) = t.page.join(&route) {
                            out.push(task(u, Kind::Page, false, t.depth + 1, &t.page));
                        }
                    }
                }
            }
            Kind::BuildManifest => {
                if let Some(v) = json {
                    for u in discover::json_manifest_refs(v, &got.url) {
                        out.push(task(u, Kind::Script, false, t.depth, &t.page));
                    }
                    if let Some(u) = discover::nuxt_meta(v, &got.url) {
                        out.push(task(u, Kind::BuildManifest, false, t.depth, &t.page));
                    }
                    for route in discover::nuxt_routes(v) {
                        if let Ok(u) = t.page.join(&route) {
                            out.push(task(u, Kind::Page, false, t.depth + 1, &t.page));
                        }
                    }
                }
            }
            Kind::Sitemap => {
                let (locs, index) = html::sitemap_locs(&got.body);
                for l in locs {
                    let Ok(u) = got.url.join(&l) else { continue };
                    if !self.same_site(&u) {
                        continue;
                    }
                    if index {
                        if t.depth < 2 {
                            out.push(task(u, Kind::Sitemap, false, t.depth + 1, &t.page));
                        }
                    } else {
                        // Listed pages are audited, their links not followed further.
                        out.push(task(u, Kind::Page, false, self.opts.depth, &t.page));
                    }
                }
            }
            Kind::Page | Kind::WebManifest | Kind::Data => {}
        }
        out
    }

    fn finish(self) -> ScanOutcome {
        let q = self.queue.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut r = self.results.into_inner().unwrap_or_else(|e| e.into_inner());
        let l = &self.opts.limits;
        let (requests, bytes) = self.fetcher.usage();
        if let Some(cap) = q.stopped {
            let what = match cap {
                Cap::Requests => format!("--max-requests ({}) reached", l.max_requests),
                Cap::TotalBytes => {
                    format!("--max-total-size ({}) reached", human(l.max_total_bytes))
                }
                Cap::Deadline => format!("--timeout ({}s) reached", l.deadline.as_secs_f64()),
            };
            r.notices.push(Notice::skipped_as(
                cause::LIMIT,
                "(audit)".into(),
                format!(
                    "{what} after {requests} requests and {}: {} more URLs were not fetched",
                    human(bytes),
                    q.not_fetched
                ),
            ));
        }
        if q.pages_over > 0 {
            r.notices.push(Notice::skipped_as(
                cause::LIMIT,
                "(audit)".into(),
                format!(
                    "--max-pages ({}) reached: {} more pages of the site were not fetched",
                    self.opts.max_pages, q.pages_over
                ),
            ));
        }
        let beyond: Vec<&String> = q
            .beyond_depth
            .iter()
            .filter(|u| !q.seen.contains(*u))
            .collect();
        if !beyond.is_empty() {
            r.notices.push(Notice::warning_as(
                cause::LIMIT,
                "(audit)".into(),
                format!(
                    "{} pages linked deeper than --depth {} were not fetched (raise --depth, or list them)",
                    beyond.len(),
                    self.opts.depth
                ),
            ));
        }
        // The earliest referrer, whatever the order workers got there.
        for f in &mut r.findings {
            if let Some(w) = f.web.as_mut() {
                if let Some(v) = r.via.get(&w.url).and_then(|s| s.iter().next()) {
                    w.found_via = Some(v.1.clone());
                }
            }
        }
        // The same body at many URLs (a single-page app's fallback page): its
        // findings once, at the first URL.
        let mut firsts: BTreeMap<([u8; 32], String, usize, String), String> = BTreeMap::new();
        for f in &r.findings {
            let Some(h) = r.hashes.get(&f.path) else {
                continue;
            };
            let k = (
                *h,
                f.rule_id.clone(),
                f.span.byte_start,
                f.fingerprint.clone(),
            );
            let e = firsts.entry(k).or_insert_with(|| f.path.clone());
            if f.path < *e {
                *e = f.path.clone();
            }
        }
        let hashes = &r.hashes;
        r.findings.retain(|f| {
            let Some(h) = hashes.get(&f.path) else {
                return true;
            };
            let k = (
                *h,
                f.rule_id.clone(),
                f.span.byte_start,
                f.fingerprint.clone(),
            );
            firsts.get(&k) == Some(&f.path)
        });
        let mut out = ScanOutcome {
            findings: r.findings,
            notices: r.notices,
            files_scanned: r.files,
            bytes_scanned: r.bytes,
            partial: q.stopped.is_some() || q.pages_over > 0,
            mentions_pictify: r.mentions_pictify,
            ..ScanOutcome::default()
        };
        out.sort();
        out
    }
}

/// Marks a worker's task finished when dropped.
struct Done<'a, 'b>(&'a Audit<'b>);

impl Drop for Done<'_, '_> {
    fn drop(&mut self) {
        let mut q = lock(&self.0.queue);
        q.busy -= 1;
        self.0.cv.notify_all();
    }
}

/// Links to downloads rather than pages: not fetched as pages.
fn is_file_link(u: &Url) -> bool {
    const EXTS: &[&str] = &[
        "png", "jpg", "jpeg", "gif", "webp", "avif", "ico", "svg", "pdf", "zip", "gz", "tgz",
        "mp4", "webm", "mp3", "wav", "woff", "woff2", "ttf", "otf", "dmg", "exe", "apk", "ipa",
        "css",
    ];
    let p = u.path().to_ascii_lowercase();
    p.rsplit_once('.').is_some_and(|(_, e)| EXTS.contains(&e))
}

fn looks_like_html(got: &Fetched) -> bool {
    if got.content_type == "text/html" || got.content_type == "application/xhtml+xml" {
        return true;
    }
    if !got.content_type.is_empty() && got.content_type != "text/plain" {
        return false;
    }
    let head = &got.body[..got.body.len().min(512)];
    let s = String::from_utf8_lossy(head)
        .trim_start()
        .to_ascii_lowercase();
    s.starts_with("<!doctype html") || s.starts_with("<html")
}

fn human(n: u64) -> String {
    const U: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut v = n as f64;
    let mut i = 0;
    while v >= 1024.0 && i < 3 {
        v /= 1024.0;
        i += 1;
    }
    if i == 0 {
        format!("{n} B")
    } else if v.fract() == 0.0 {
        format!("{v} {}", U[i])
    } else {
        format!("{v:.1} {}", U[i])
    }
}
