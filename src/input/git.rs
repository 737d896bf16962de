//! Git input: scans the object database (full history, optionally unreachable
//! objects), the index (`--staged`) or the commits of a range, and works out which
//! commit introduced each blob that produced a finding.
//!
//! History scans read every blob once, in parallel, through the cheap prefilter
//! first: pack files through the `pack` module, which inflates each entry once and
//! resolves delta chains base-first, and anything else (loose objects, alternates,
//! entries that do not decode) through libgit2 with one `Repository` per worker,
//! since git2 handles are not shared across threads. Only blobs with raw hits are then placed in history: one oldest-first walk
//! over commits with trees memoized by object id finds the commit and path that
//! introduced them, and those blobs are scanned again with the real path so context
//! classification sees it. A clean history costs no tree walk at all.
use super::cache_tree::{self, CacheNode, IndexEntry, IndexFile};
use super::pack::{self, Pack, RawOid};
use super::tree_filter::TreeFilter;
use crate::finding::{Finding, GitOrigin};
use crate::outcome::{Notice, ScanOutcome};
use crate::scan::{Prefilter, Scanner, Scratch};
use git2::{ObjectType, Oid, Repository, RepositoryOpenFlags, RevparseMode, Sort};
use std::collections::{HashMap, HashSet};
use std::ffi::OsStr;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// What part of the repository to scan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GitMode {
    /// Every blob reachable from any ref; with `all_objects`, every blob in the
    /// object database.
    History { all_objects: bool },
    /// Index entries that differ from HEAD.
    Staged,
    /// Blobs introduced by the commits of a `BASE..HEAD` (or `BASE...HEAD`) range.
    Range(String),
    /// Blobs introduced by commits reachable from any ref but from none of these
    /// commits (the ref tips an earlier run scanned: `--state`).
    Since(Vec<String>),
}

/// How to scan a repository.
#[derive(Clone, Debug)]
pub struct GitOptions {
    pub mode: GitMode,
    /// Larger blobs are skipped and reported.
    pub max_file_size: u64,
    /// Worker threads (0: one per core).
    pub threads: usize,
    /// Show a progress line on stderr (the caller checks that stderr is a terminal).
    pub progress: bool,
}

impl Default for GitOptions {
    fn default() -> Self {
        GitOptions {
            mode: GitMode::History { all_objects: false },
            max_file_size: 256 * 1024 * 1024,
            threads: 0,
            progress: false,
        }
    }
}

/// Errors that stop a git scan before it produces a result.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("{path} is not in a git repository or cannot be opened: {source}")]
    Open { path: PathBuf, source: git2::Error },
    #[error("invalid revision range {spec:?} (expected BASE..HEAD or BASE...HEAD): {reason}")]
    Range { spec: String, reason: String },
    #[error("{what}: {source}")]
    Git {
        what: &'static str,
        source: git2::Error,
    },
}

fn git_err(what: &'static str) -> impl FnOnce(git2::Error) -> GitError {
    move |source| GitError::Git { what, source }
}

/// The repository a path belongs to (searching parent directories, like `git`).
pub fn open(path: &Path) -> Result<Repository, GitError> {
    Repository::open_ext(path, RepositoryOpenFlags::empty(), &[] as &[&OsStr]).map_err(|source| {
        GitError::Open {
            path: path.to_path_buf(),
            source,
        }
    })
}

/// Scans the repository at (or above) `path` as `opts.mode` says.
pub fn scan_repo(
    scanner: &Scanner,
    path: &Path,
    opts: &GitOptions,
) -> Result<ScanOutcome, GitError> {
    // libgit2 re-hashes every object it reads (SHA-1 with collision detection):
    // half the cost of a history scan. A scanner only reads content, and a blob
    // whose bytes do not match its id is still content someone committed.
    git2::opts::strict_hash_verification(false);
    let repo = open(path)?;
    let mut out = match &opts.mode {
        GitMode::History { all_objects } => scan_history(scanner, &repo, opts, *all_objects)?,
        GitMode::Staged => scan_staged(scanner, &repo, opts)?,
        GitMode::Range(spec) => scan_range(scanner, &repo, opts, spec)?,
        GitMode::Since(known) => scan_since(scanner, &repo, opts, known)?,
    };
    out.sort();
    Ok(out)
}

// ---------------------------------------------------------------------------
// Parallel blob reading

fn thread_count(requested: usize) -> usize {
    if requested > 0 {
        requested
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    }
}

/// Runs `f` over `items` on `threads` workers, each with its own repository handle
/// and scratch space; results come back in item order.
fn par_map<T, R, F>(
    repo: &Repository,
    threads: usize,
    items: &[T],
    done: Option<&AtomicU64>,
    f: F,
) -> Result<Vec<R>, GitError>
where
    T: Sync,
    R: Send,
    F: Fn(&git2::Odb<'_>, &mut Scratch, &T) -> R + Sync,
{
    let threads = threads.min(items.len().div_ceil(32)).max(1);
    if threads == 1 && done.is_none() {
        // Few items (the `--staged` case): no thread or second handle to pay for.
        let odb = repo.odb().map_err(git_err("opening the object database"))?;
        let mut scratch = Scratch::default();
        return Ok(items.iter().map(|t| f(&odb, &mut scratch, t)).collect());
    }
    let git_dir = repo.path().to_path_buf();
    const CHUNK: usize = 64;
    let next = AtomicUsize::new(0);
    let no_counter = AtomicU64::new(0);
    let done = done.unwrap_or(&no_counter);
    let results: Mutex<Vec<(usize, Vec<R>)>> = Mutex::new(Vec::new());
    let first_error: Mutex<Option<GitError>> = Mutex::new(None);
    std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let (next, results, first_error, f) = (&next, &results, &first_error, &f);
                let git_dir = &git_dir;
                s.spawn(move || {
                    let worker_repo = match Repository::open(git_dir) {
                        Ok(r) => r,
                        Err(source) => {
                            first_error.lock().unwrap().get_or_insert(GitError::Git {
                                what: "opening the repository in a worker thread",
                                source,
                            });
                            return;
                        }
                    };
                    let odb = match worker_repo.odb() {
                        Ok(odb) => odb,
                        Err(source) => {
                            first_error.lock().unwrap().get_or_insert(GitError::Git {
                                what: "opening the repository in a worker thread",
                                source,
                            });
                            return;
                        }
                    };
                    let mut scratch = Scratch::default();
                    loop {
                        let start = next.fetch_add(CHUNK, Ordering::Relaxed);
                        if start >= items.len() {
                            break;
                        }
                        let end = (start + CHUNK).min(items.len());
                        let chunk: Vec<R> = items[start..end]
                            .iter()
                            .map(|t| f(&odb, &mut scratch, t))
                            .collect();
                        done.fetch_add((end - start) as u64, Ordering::Relaxed);
                        results.lock().unwrap().push((start, chunk));
                    }
                })
            })
            .collect();
        for w in workers {
            let _ = w.join();
        }
    });
    if let Some(e) = first_error.into_inner().unwrap() {
        return Err(e);
    }
    let mut chunks = results.into_inner().unwrap();
    chunks.sort_by_key(|(start, _)| *start);
    Ok(chunks.into_iter().flat_map(|(_, c)| c).collect())
}

/// A periodic progress line on stderr, cleared when the work is done.
fn progress_loop(done: &AtomicU64, finished: &AtomicBool, total: usize) {
    let mut stderr = std::io::stderr();
    if !stderr.is_terminal() {
        return;
    }
    let mut ticks = 0u32;
    while !finished.load(Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(50));
        ticks += 1;
        // Short scans finish before anything is drawn.
        if ticks % 5 == 0 {
            let n = done.load(Ordering::Relaxed);
            let _ = write!(stderr, "\rpkscan: reading git objects {n}/{total}\x1b[K");
        }
    }
    if ticks >= 5 {
        let _ = write!(stderr, "\r\x1b[K");
    }
}

/// What the first pass learned about one object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Probe {
    Commit,
    OtherObject,
    Clean(u64),
    Hit(u64),
    TooLarge(u64),
    SkippedBinary,
    Unreadable,
}

fn probe(
    scanner: &Scanner,
    odb: &git2::Odb<'_>,
    scratch: &mut Scratch,
    oid: Oid,
    max: u64,
) -> Probe {
    // Headers first: commits and trees are never inflated, huge blobs never read.
    let (size, kind) = match odb.read_header(oid) {
        Ok(h) => h,
        Err(_) => return Probe::Unreadable,
    };
    match kind {
        ObjectType::Blob => {}
        ObjectType::Commit => return Probe::Commit,
        _ => return Probe::OtherObject,
    }
    let size = size as u64;
    if size > max {
        return Probe::TooLarge(size);
    }
    let Ok(obj) = odb.read(oid) else {
        return Probe::Unreadable;
    };
    prefiltered(scanner, obj.data(), scratch)
}

fn prefiltered(scanner: &Scanner, data: &[u8], scratch: &mut Scratch) -> Probe {
    let size = data.len() as u64;
    match scanner.prefilter(data, scratch) {
        Prefilter::Clean => Probe::Clean(size),
        Prefilter::Hit => Probe::Hit(size),
        Prefilter::SkippedBinary => Probe::SkippedBinary,
    }
}

// ---------------------------------------------------------------------------
// Full history

fn scan_history(
    scanner: &Scanner,
    repo: &Repository,
    opts: &GitOptions,
    all_objects: bool,
) -> Result<ScanOutcome, GitError> {
    let mut out = ScanOutcome::default();
    if repo.is_shallow() {
        out.notices.push(Notice::warning(
            repo_label(repo),
            "shallow clone: commits before the shallow boundary are not available and were not scanned (fetch with --unshallow for a full audit)".into(),
        ));
    }
    if let Some(remote) = promisor_remote(repo) {
        out.notices.push(Notice::warning(
            repo_label(repo),
            format!("partial clone (objects are fetched on demand from '{remote}'): blobs that were never downloaded are not in the repository and were not scanned (clone without --filter for a full audit)"),
        ));
    }
    if repo.head().is_err() && repo.references().map(|r| r.count()).unwrap_or(0) == 0 {
        out.notices.push(Notice::warning(
            repo_label(repo),
            "repository has no commits yet: nothing in history (use --staged to scan the index)"
                .into(),
        ));
    }

    let max = opts.max_file_size;
    let (packs, unread) = open_packs(repo);
    let probes = probe_all(scanner, repo, &packs, unread, opts)?;

    let mut targets: HashMap<Oid, Probe> = HashMap::new();
    let mut commits = Vec::new();
    let mut skipped_binary = 0usize;
    for (raw, p) in &probes {
        let oid = || Oid::from_bytes(raw).expect("20-byte object id");
        match *p {
            Probe::Commit => commits.push(oid()),
            Probe::OtherObject => {}
            Probe::Clean(n) | Probe::Hit(n) => {
                out.files_scanned += 1;
                out.bytes_scanned += n;
                if matches!(p, Probe::Hit(_)) {
                    targets.insert(oid(), *p);
                }
            }
            Probe::TooLarge(_) => {
                targets.insert(oid(), *p);
            }
            Probe::SkippedBinary => skipped_binary += 1,
            Probe::Unreadable => out.notices.push(Notice::warning(
                format!("object {}", oid()),
                "missing or damaged object: cannot be read (partial or corrupt repository); scanning goes on".into(),
            )),
        }
    }
    drop(probes);
    if skipped_binary > 0 {
        out.notices.push(Notice::skipped(
            repo_label(repo),
            format!("{skipped_binary} binary blob(s) not scanned (--no-binary)"),
        ));
    }
    if targets.is_empty() {
        return Ok(out);
    }

    // Only now, for the few blobs that matter, find where they came from.
    let mut walk = HistoryWalk::new(repo, &targets);
    let wanted: Vec<RawOid> = targets.keys().map(raw_oid).collect();
    walk.filter = Some(TreeFilter::build(
        &packs,
        thread_count(opts.threads),
        &wanted,
    ));
    drop(packs);
    let roots = walk_roots(repo, all_objects.then_some(commits.as_slice()), &mut out);
    walk.run(&roots, &mut out.notices);
    let head_blobs: HashSet<Oid> = match repo.head().ok().and_then(|h| h.peel_to_tree().ok()) {
        Some(t) => walk.blobs_in(t.id()).iter().map(|(o, _)| *o).collect(),
        None => HashSet::new(),
    };

    let mut jobs: Vec<BlobJob> = Vec::new();
    let mut too_large = Vec::new();
    let mut ordered: Vec<(&Oid, &Probe)> = targets.iter().collect();
    ordered.sort_by_key(|(o, _)| **o);
    for (oid, p) in ordered {
        let intros = walk.intros.remove(oid).unwrap_or_default();
        if let Probe::TooLarge(size) = p {
            if let Some(i) = intros.first() {
                too_large.push((i.clone(), *size));
            } else if all_objects {
                too_large.push((
                    Intro {
                        order: usize::MAX,
                        commit: None,
                        path: unreachable_label(*oid),
                    },
                    *size,
                ));
            }
            continue;
        }
        if intros.is_empty() {
            // In no commit we walked: unreachable (dropped unless --all-objects).
            if all_objects {
                jobs.push(BlobJob {
                    oid: *oid,
                    intros: vec![Intro {
                        order: usize::MAX,
                        commit: None,
                        path: unreachable_label(*oid),
                    }],
                });
            }
            continue;
        }
        jobs.push(BlobJob { oid: *oid, intros });
    }
    for (intro, size) in too_large {
        out.notices.push(Notice::skipped(
            intro.display(),
            format!("blob larger than --max-file-size ({size} > {max} bytes)"),
        ));
    }

    let scanned = scan_jobs(scanner, repo, opts, &jobs, &mut out.notices)?;
    let found = locate(&jobs, scanned, |job, _| head_blobs.contains(&job.oid));
    out.findings = merge_occurrences(repo, found, max);
    Ok(out)
}

/// Probes every object in the repository, sorted by id: objects in pack files
/// through the direct pack reader, which inflates each entry once; the rest
/// (loose objects, alternates, entries the pack reader could not decode) through
/// libgit2, which also reports what is really missing or damaged.
fn probe_all(
    scanner: &Scanner,
    repo: &Repository,
    packs: &[Pack],
    unread: Vec<RawOid>,
    opts: &GitOptions,
) -> Result<Vec<(RawOid, Probe)>, GitError> {
    let (max, threads) = (opts.max_file_size, thread_count(opts.threads));
    // Everything the database holds, less what the packs will account for.
    // Without alternates that is the loose objects and the packs this reader
    // cannot open; with them, only libgit2 can list the database.
    let listed = loose_objects(repo).map(|mut loose| {
        loose.extend(unread);
        loose
    });
    let total = listed.as_ref().map_or(0, Vec::len) + packs.iter().map(Pack::len).sum::<usize>();
    let done = AtomicU64::new(0);
    let finished = AtomicBool::new(false);
    std::thread::scope(|s| {
        if opts.progress {
            let (done, finished) = (&done, &finished);
            s.spawn(move || progress_loop(done, finished, total));
        }
        let run = || -> Result<Vec<(RawOid, Probe)>, GitError> {
            let mut found: Vec<(RawOid, Probe)> = Vec::new();
            let mut rest: Vec<RawOid> = Vec::new();
            for p in packs {
                let read = p.read(
                    threads,
                    pack::Pass::Blobs { max },
                    &done,
                    |scratch: &mut Scratch, _, obj| match obj {
                        pack::Object::Commit => Probe::Commit,
                        pack::Object::Other | pack::Object::Tree(_) => Probe::OtherObject,
                        pack::Object::LargeBlob(size) => Probe::TooLarge(size),
                        pack::Object::Blob(data) => prefiltered(scanner, data, scratch),
                    },
                );
                if found.is_empty() {
                    found = read.found;
                } else {
                    found.extend(read.found);
                }
                rest.extend(read.missed);
            }
            // An object in several packs is probed once.
            found.sort_unstable_by_key(|(o, _)| *o);
            found.dedup_by_key(|(o, _)| *o);
            let known = |o: &RawOid| found.binary_search_by_key(o, |(f, _)| *f).is_ok();
            match listed {
                Some(loose) => rest.extend(loose),
                None => {
                    let odb = repo.odb().map_err(git_err("opening the object database"))?;
                    odb.foreach(|oid| {
                        rest.push(raw_oid(oid));
                        true
                    })
                    .map_err(git_err("listing the object database"))?;
                }
            }
            let mut rest: Vec<Oid> = rest
                .into_iter()
                .filter(|o| !known(o))
                .map(|o| Oid::from_bytes(&o).expect("20-byte object id"))
                .collect();
            rest.sort_unstable();
            rest.dedup();
            let rest_probes = par_map(repo, threads, &rest, Some(&done), |odb, scratch, oid| {
                probe(scanner, odb, scratch, *oid, max)
            })?;
            if !rest.is_empty() {
                found.extend(rest.iter().map(raw_oid).zip(rest_probes));
                found.sort_unstable_by_key(|(o, _)| *o);
            }
            Ok(found)
        };
        let result = run();
        finished.store(true, Ordering::Relaxed);
        result
    })
}

/// The packs of the repository's own object directory that the direct reader
/// can open, plus the indexes of those it cannot (their objects go to libgit2).
fn open_packs(repo: &Repository) -> (Vec<Pack>, Vec<RawOid>) {
    let mut packs = Vec::new();
    let mut unread = Vec::new();
    for idx in pack_indexes(repo) {
        match Pack::open(&idx) {
            Some(p) => packs.push(p),
            None => {
                if let Ok(data) = std::fs::read(&idx) {
                    pack::read_index(&data, |oid, _| unread.push(oid));
                }
            }
        }
    }
    (packs, unread)
}

fn raw_oid(oid: &Oid) -> RawOid {
    oid.as_bytes().try_into().expect("20-byte object id")
}

/// The loose objects of the repository's object directory, or None when the
/// database has more than that directory and its packs (alternates), so that
/// only libgit2 can list it.
fn loose_objects(repo: &Repository) -> Option<Vec<RawOid>> {
    let objects = repo.commondir().join("objects");
    let alternates = objects.join("info").join("alternates");
    if std::env::var_os("GIT_ALTERNATE_OBJECT_DIRECTORIES").is_some()
        || std::env::var_os("GIT_OBJECT_DIRECTORY").is_some()
        || std::fs::metadata(&alternates).is_ok_and(|m| m.len() > 0)
    {
        return None;
    }
    let mut out = Vec::new();
    for dir in std::fs::read_dir(&objects).ok()?.flatten() {
        let name = dir.file_name();
        let Some(prefix) = name.to_str().filter(|n| n.len() == 2) else {
            continue;
        };
        let Ok(files) = std::fs::read_dir(dir.path()) else {
            continue;
        };
        for f in files.flatten() {
            let name = f.file_name();
            let Some(rest) = name.to_str().filter(|n| n.len() == 38) else {
                continue;
            };
            if let Ok(oid) = Oid::from_str(&format!("{prefix}{rest}")) {
                out.push(raw_oid(&oid));
            }
        }
    }
    Some(out)
}

/// The pack indexes of the repository's own object directory, in name order.
fn pack_indexes(repo: &Repository) -> Vec<PathBuf> {
    let dir = repo.commondir().join("objects").join("pack");
    let Ok(rd) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut idx: Vec<PathBuf> = rd
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "idx"))
        .collect();
    idx.sort();
    idx
}

/// The remote a partial clone fetches missing objects from, if it is one.
fn promisor_remote(repo: &Repository) -> Option<String> {
    let config = repo.config().ok()?;
    if let Ok(name) = config.get_string("extensions.partialclone") {
        return Some(name);
    }
    let mut entries = config.entries(Some(r"remote\..*\.promisor")).ok()?;
    while let Some(Ok(e)) = entries.next() {
        let Some(name) = e.name() else { continue };
        if config.get_bool(name).unwrap_or(false) {
            return Some(name["remote.".len()..name.len() - ".promisor".len()].to_string());
        }
    }
    None
}

fn repo_label(repo: &Repository) -> String {
    repo.workdir()
        .unwrap_or_else(|| repo.path())
        .display()
        .to_string()
}

fn unreachable_label(oid: Oid) -> String {
    format!("(unreachable blob {oid})")
}

/// The commits a history walk starts from: every ref (branches, tags, remotes,
/// notes, stash and its older entries), HEAD, and with `extra` every commit in
/// the object database.
fn walk_roots(repo: &Repository, extra: Option<&[Oid]>, out: &mut ScanOutcome) -> Vec<Oid> {
    let mut roots = Vec::new();
    match repo.references() {
        Ok(refs) => {
            for r in refs.flatten() {
                // Tags and other refs may point at non-commits: nothing to walk there.
                if let Ok(c) = r.peel_to_commit() {
                    roots.push(c.id());
                }
            }
        }
        Err(e) => out.notices.push(Notice::warning(
            repo_label(repo),
            format!("cannot list refs: {e}"),
        )),
    }
    if let Ok(c) = repo.head().and_then(|h| h.peel_to_commit()) {
        roots.push(c.id());
    }
    if let Ok(log) = repo.reflog("refs/stash") {
        roots.extend(log.iter().map(|e| e.id_new()));
    }
    if let Some(extra) = extra {
        roots.extend_from_slice(extra);
    }
    roots.sort_unstable();
    roots.dedup();
    roots
}

/// Where and when a blob entered history.
#[derive(Clone, Debug)]
struct Intro {
    /// Position of the commit in the oldest-first walk (`usize::MAX`: no commit).
    order: usize,
    commit: Option<Oid>,
    path: String,
}

impl Intro {
    fn display(&self) -> String {
        match self.commit {
            Some(c) => format!("{}@{}", self.path, &c.to_string()[..12]),
            None => self.path.clone(),
        }
    }
}

/// Blobs at most this many distinct paths are rescanned at (enough to see every
/// context a copied file lives in without rescanning a vendored file 1000 times).
const MAX_PATHS_PER_BLOB: usize = 16;

/// Target blobs inside one tree, with their paths relative to it.
type TreeBlobs = Rc<Vec<(Oid, Rc<str>)>>;

/// Oldest-first commit walk that records where target blobs first appear.
struct HistoryWalk<'r> {
    repo: &'r Repository,
    targets: HashSet<Oid>,
    memo: HashMap<Oid, TreeBlobs>,
    missing: Vec<Oid>,
    seen: HashSet<(Oid, Rc<str>)>,
    intros: HashMap<Oid, Vec<Intro>>,
    /// Skips trees that certainly hold no target (see `tree_filter`).
    filter: Option<TreeFilter>,
    empty: TreeBlobs,
}

impl<'r> HistoryWalk<'r> {
    fn new(repo: &'r Repository, targets: &HashMap<Oid, Probe>) -> Self {
        HistoryWalk {
            repo,
            targets: targets.keys().copied().collect(),
            memo: HashMap::new(),
            missing: Vec::new(),
            seen: HashSet::new(),
            intros: HashMap::new(),
            filter: None,
            empty: TreeBlobs::default(),
        }
    }

    fn run(&mut self, roots: &[Oid], notices: &mut Vec<Notice>) {
        let mut walk = match self.repo.revwalk() {
            Ok(w) => w,
            Err(e) => {
                notices.push(Notice::warning(
                    repo_label(self.repo),
                    format!("cannot walk history: {e}"),
                ));
                return;
            }
        };
        let _ = walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE);
        for r in roots {
            if let Err(e) = walk.push(*r) {
                notices.push(Notice::warning(
                    format!("commit {r}"),
                    format!("cannot walk from this commit: {e}"),
                ));
            }
        }
        for (order, next) in walk.enumerate() {
            let oid = match next {
                Ok(o) => o,
                Err(e) => {
                    notices.push(Notice::warning(
                        repo_label(self.repo),
                        format!("history walk stopped early (missing or damaged commit): {e}"),
                    ));
                    break;
                }
            };
            let tree = match self.repo.find_commit(oid) {
                Ok(c) => c.tree_id(),
                Err(e) => {
                    notices.push(Notice::warning(
                        format!("commit {oid}"),
                        format!("cannot read commit: {e}"),
                    ));
                    continue;
                }
            };
            let blobs = self.blobs_in(tree);
            for (blob, path) in blobs.iter() {
                if self.seen.insert((*blob, path.clone())) {
                    let list = self.intros.entry(*blob).or_default();
                    if list.len() < MAX_PATHS_PER_BLOB {
                        list.push(Intro {
                            order,
                            commit: Some(oid),
                            path: path.to_string(),
                        });
                    }
                }
            }
        }
        for t in std::mem::take(&mut self.missing) {
            notices.push(Notice::warning(
                format!("tree {t}"),
                "missing or damaged tree object: blobs under it were not placed in history".into(),
            ));
        }
    }

    /// Target blobs (and their paths) anywhere under `tree`, memoized by tree id
    /// so each distinct tree in history is read once.
    fn blobs_in(&mut self, tree: Oid) -> TreeBlobs {
        if self
            .filter
            .as_ref()
            .is_some_and(|f| !f.may_hold(tree.as_bytes()))
        {
            return self.empty.clone();
        }
        if let Some(v) = self.memo.get(&tree) {
            return v.clone();
        }
        let mut found = Vec::new();
        match self.repo.find_tree(tree) {
            Ok(t) => {
                for e in t.iter() {
                    match e.kind() {
                        Some(ObjectType::Blob) if self.targets.contains(&e.id()) => {
                            let name = String::from_utf8_lossy(e.name_bytes());
                            found.push((e.id(), Rc::from(name.as_ref())));
                        }
                        Some(ObjectType::Tree) => {
                            let sub = self.blobs_in(e.id());
                            let name = String::from_utf8_lossy(e.name_bytes());
                            for (oid, p) in sub.iter() {
                                found.push((*oid, Rc::from(format!("{name}/{p}"))));
                            }
                        }
                        // Submodules (commits) are not followed.
                        _ => {}
                    }
                }
            }
            Err(_) => self.missing.push(tree),
        }
        let v: TreeBlobs = Rc::new(found);
        self.memo.insert(tree, v.clone());
        v
    }
}

/// A blob to scan at each of the paths it entered history under.
struct BlobJob {
    oid: Oid,
    intros: Vec<Intro>,
}

/// Reads each job's blob once and runs the full pipeline for each of its paths.
fn scan_jobs(
    scanner: &Scanner,
    repo: &Repository,
    opts: &GitOptions,
    jobs: &[BlobJob],
    notices: &mut Vec<Notice>,
) -> Result<Vec<Vec<Vec<Finding>>>, GitError> {
    let results = par_map(
        repo,
        thread_count(opts.threads),
        jobs,
        None,
        |odb, scratch, job| {
            let obj = match odb.read(job.oid) {
                Ok(o) => o,
                Err(e) => {
                    let at = job.intros.first().map(Intro::display).unwrap_or_default();
                    return Err(Notice::warning(
                        at,
                        format!("cannot read blob {}: {e}", job.oid),
                    ));
                }
            };
            let mut per_path = Vec::new();
            let mut extra = Vec::new();
            for intro in &job.intros {
                let r = scanner.scan_blob(&intro.path, obj.data(), scratch);
                if r.dropped > 0 {
                    extra.push(Notice::warning(
                        intro.display(),
                        format!("{} more findings in this blob were not kept", r.dropped),
                    ));
                }
                per_path.push(r.findings);
            }
            Ok((per_path, extra))
        },
    )?;
    Ok(results
        .into_iter()
        .map(|r| match r {
            Ok((per_path, extra)) => {
                notices.extend(extra);
                per_path
            }
            Err(n) => {
                notices.push(n);
                Vec::new()
            }
        })
        .collect())
}

/// A finding at one place in history.
struct Located {
    finding: Finding,
    order: usize,
    commit: Option<Oid>,
    at_head: bool,
}

/// Pairs each finding of `scan_jobs` with the introduction (commit, order) of the
/// path it was found at; `at_head` says whether that key is still at HEAD.
fn locate(
    jobs: &[BlobJob],
    scanned: Vec<Vec<Vec<Finding>>>,
    at_head: impl Fn(&BlobJob, &Finding) -> bool,
) -> Vec<Located> {
    let mut found = Vec::new();
    for (job, results) in jobs.iter().zip(scanned) {
        for (intro, findings) in job.intros.iter().zip(results) {
            for f in findings {
                found.push(Located {
                    at_head: at_head(job, &f),
                    finding: f,
                    order: intro.order,
                    commit: intro.commit,
                });
            }
        }
    }
    found
}

/// One finding per key and context: the same key in many versions of a file (or a
/// renamed file) is one leak, reported where it first entered history and marked
/// present at HEAD if any occurrence still is (in HEAD's tree or the working tree).
fn merge_occurrences(repo: &Repository, found: Vec<Located>, max: u64) -> Vec<Finding> {
    let mut groups: HashMap<(String, String, crate::finding::Context), Vec<Located>> =
        HashMap::new();
    for l in found {
        let key = (
            l.finding.rule_id.clone(),
            l.finding.fingerprint.clone(),
            l.finding.context,
        );
        groups.entry(key).or_default().push(l);
    }
    let mut commits: HashMap<Oid, CommitInfo> = HashMap::new();
    let mut out = Vec::new();
    for (_, mut group) in groups {
        group.sort_by(|a, b| {
            (a.order, &a.finding.path, a.finding.span).cmp(&(
                b.order,
                &b.finding.path,
                b.finding.span,
            ))
        });
        let mut present = group.iter().any(|l| l.at_head);
        if !present {
            if let Some(secret) = group[0].finding.secret.as_ref() {
                let mut paths: Vec<&str> = group.iter().map(|l| l.finding.path.as_str()).collect();
                paths.sort_unstable();
                paths.dedup();
                present = paths
                    .iter()
                    .any(|p| in_workdir(repo, p, secret.expose().as_bytes(), max));
            }
        }
        let first = group.swap_remove(0);
        out.push(with_origin(
            repo,
            &mut commits,
            first.finding,
            first.commit,
            present,
        ));
    }
    out
}

/// Whether the working-tree file at `path` still contains `needle`.
fn in_workdir(repo: &Repository, path: &str, needle: &[u8], max: u64) -> bool {
    let Some(wd) = repo.workdir() else {
        return false;
    };
    let p = wd.join(path);
    match std::fs::metadata(&p) {
        Ok(m) if m.is_file() && m.len() <= max => {}
        _ => return false,
    }
    std::fs::read(&p)
        .map(|data| {
            let d = crate::content::decode(&data);
            memchr::memmem::find(&d.text, needle).is_some()
        })
        .unwrap_or(false)
}

struct CommitInfo {
    author: String,
    date: String,
    summary: String,
}

fn commit_info(repo: &Repository, oid: Oid) -> CommitInfo {
    match repo.find_commit(oid) {
        Ok(c) => {
            let a = c.author();
            let name = String::from_utf8_lossy(a.name_bytes()).into_owned();
            let email = String::from_utf8_lossy(a.email_bytes()).into_owned();
            CommitInfo {
                author: if email.is_empty() {
                    name
                } else {
                    format!("{name} <{email}>")
                },
                date: rfc3339(a.when()),
                summary: c
                    .summary_bytes()
                    .map(|s| String::from_utf8_lossy(s).into_owned())
                    .unwrap_or_default(),
            }
        }
        Err(_) => CommitInfo {
            author: String::new(),
            date: String::new(),
            summary: String::new(),
        },
    }
}

fn with_origin(
    repo: &Repository,
    cache: &mut HashMap<Oid, CommitInfo>,
    mut f: Finding,
    commit: Option<Oid>,
    present_at_head: bool,
) -> Finding {
    if let Some(c) = commit {
        let info = cache.entry(c).or_insert_with(|| commit_info(repo, c));
        f.git = Some(GitOrigin {
            commit: c.to_string(),
            author: info.author.clone(),
            date: info.date.clone(),
            summary: info.summary.clone(),
            path: f.path.clone(),
            present_at_head,
        });
    }
    f
}

/// RFC 3339 timestamp in the commit's own time zone.
pub fn rfc3339(t: git2::Time) -> String {
    let offset = t.offset_minutes() as i64;
    let local = t.seconds() + offset * 60;
    let days = local.div_euclid(86_400);
    let secs = local.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    let zone = if offset == 0 {
        "Z".to_string()
    } else {
        let sign = if offset < 0 { '-' } else { '+' };
        format!("{sign}{:02}:{:02}", offset.abs() / 60, offset.abs() % 60)
    };
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}{zone}",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

// ---------------------------------------------------------------------------
// Staged changes

fn scan_staged(
    scanner: &Scanner,
    repo: &Repository,
    opts: &GitOptions,
) -> Result<ScanOutcome, GitError> {
    let mut out = ScanOutcome::default();
    let head_tree = match repo.head() {
        Ok(h) => Some(h.peel_to_tree().map_err(git_err("reading HEAD's tree"))?),
        Err(e)
            if e.code() == git2::ErrorCode::UnbornBranch
                || e.code() == git2::ErrorCode::NotFound =>
        {
            None
        }
        Err(e) => {
            return Err(GitError::Git {
                what: "resolving HEAD",
                source: e,
            })
        }
    };
    // Our own reading of the index when it understands it; libgit2 otherwise.
    let index_path = staged_index_path(repo);
    let parsed = std::fs::read(&index_path)
        .ok()
        .and_then(|d| cache_tree::parse_index(&d));
    let mut entries: Vec<(Oid, String)> = Vec::new();
    match (&head_tree, parsed) {
        // No commits yet: everything in the index is about to be committed.
        (None, parsed) => {
            let all = match parsed {
                Some(file) => file.entries,
                None => index_entries(&open_index(repo, &index_path)?),
            };
            for e in all {
                if !is_gitlink(e.mode) {
                    entries.push((e.oid, String::from_utf8_lossy(&e.path).into_owned()));
                }
            }
        }
        (
            Some(tree),
            Some(IndexFile {
                entries: all,
                tree: Some(root),
            }),
        ) => {
            let (found, conflicts) = staged_by_cache_tree(repo, &root, &all, tree);
            entries = found;
            for path in conflicts {
                out.notices.push(Notice::skipped(
                    path,
                    "merge conflict in the index: resolve and stage the file to scan it".into(),
                ));
            }
        }
        (Some(tree), _) => {
            let index = open_index(repo, &index_path)?;
            staged_by_diff(repo, &index, tree, &mut entries, &mut out)?;
        }
    }
    entries.sort_by(|a, b| a.1.cmp(&b.1));
    entries.dedup();
    let max = opts.max_file_size;
    let results = par_map(
        repo,
        thread_count(opts.threads),
        &entries,
        None,
        |odb, scratch, (oid, path)| {
            let (size, kind) = match odb.read_header(*oid) {
                Ok(h) => h,
                Err(e) => {
                    return Err(Notice::warning(
                        path.clone(),
                        format!("staged blob {oid} cannot be read: {e}"),
                    ))
                }
            };
            if kind != ObjectType::Blob {
                return Ok(None);
            }
            if size as u64 > max {
                return Err(Notice::skipped(
                    path.clone(),
                    format!("larger than --max-file-size ({size} > {max} bytes)"),
                ));
            }
            let obj = odb.read(*oid).map_err(|e| {
                Notice::warning(
                    path.clone(),
                    format!("staged blob {oid} cannot be read: {e}"),
                )
            })?;
            Ok(Some((
                size as u64,
                scanner.scan_blob(path, obj.data(), scratch),
            )))
        },
    )?;
    for ((_, path), r) in entries.iter().zip(results) {
        match r {
            Ok(Some((size, r))) => {
                if r.skipped_binary {
                    out.notices.push(Notice::skipped(
                        path.clone(),
                        "binary file (--no-binary)".into(),
                    ));
                    continue;
                }
                out.files_scanned += 1;
                out.bytes_scanned += size;
                if r.dropped > 0 {
                    out.notices.push(Notice::warning(
                        path.clone(),
                        format!("{} more findings in this file were not kept", r.dropped),
                    ));
                }
                out.findings.extend(r.findings);
            }
            Ok(None) => {}
            Err(n) => out.notices.push(n),
        }
    }
    Ok(out)
}

/// The index a commit is about to be made from. Git points hooks at it with
/// `GIT_INDEX_FILE`: `git commit -a` and `git commit <paths>` build a temporary
/// index (`index.lock`, `next-index-*.lock`) that `.git/index` does not show, so
/// reading `.git/index` there would let the changes being committed through.
/// A relative path is relative to the current directory, as git resolves it
/// (hooks run at the top of the work tree).
fn staged_index_path(repo: &Repository) -> PathBuf {
    match std::env::var_os("GIT_INDEX_FILE").filter(|p| !p.is_empty()) {
        Some(path) => PathBuf::from(path),
        None => repo.path().join("index"),
    }
}

/// The index at `path` through libgit2 (an empty one if there is no file yet).
fn open_index(repo: &Repository, path: &Path) -> Result<git2::Index, GitError> {
    if path == repo.path().join("index") {
        repo.index().map_err(git_err("reading the index"))
    } else {
        git2::Index::open(path).map_err(git_err("reading the index named by GIT_INDEX_FILE"))
    }
}

/// libgit2's index entries in the form of our own index reader's.
fn index_entries(index: &git2::Index) -> Vec<IndexEntry> {
    index
        .iter()
        .map(|e| IndexEntry {
            oid: e.id,
            mode: e.mode,
            stage: ((e.flags >> 12) & 3) as u8,
            path: e.path,
        })
        .collect()
}

/// A staged blob and its path.
type StagedBlob = (Oid, String);

/// Index entries that differ from HEAD, found with the index's cache tree: only
/// directories whose cached tree id is missing or differs from HEAD's are looked
/// at, so HEAD's trees are read only along the paths that changed. Returns the
/// changed entries and the paths with merge conflicts.
fn staged_by_cache_tree(
    repo: &Repository,
    root: &CacheNode,
    index: &[IndexEntry],
    head: &git2::Tree<'_>,
) -> (Vec<StagedBlob>, Vec<String>) {
    // Directory path -> whether it is known identical to HEAD. Directories under
    // a clean one are not listed: the nearest listed ancestor decides.
    let mut state: HashMap<Vec<u8>, bool> = HashMap::new();
    fn visit(
        repo: &Repository,
        node: &CacheNode,
        head: Option<Oid>,
        path: Vec<u8>,
        state: &mut HashMap<Vec<u8>, bool>,
    ) {
        let clean = node.oid.is_some() && node.oid == head;
        state.insert(path.clone(), clean);
        if clean {
            return;
        }
        let head_tree = head.and_then(|h| repo.find_tree(h).ok());
        for child in &node.children {
            let sub = head_tree
                .as_ref()
                .and_then(|t| t.get_name_bytes(&child.name))
                .filter(|e| e.kind() == Some(ObjectType::Tree))
                .map(|e| e.id());
            let mut p = path.clone();
            if !p.is_empty() {
                p.push(b'/');
            }
            p.extend_from_slice(&child.name);
            visit(repo, child, sub, p, state);
        }
    }
    visit(repo, root, Some(head.id()), Vec::new(), &mut state);
    if state.get(&Vec::new()) == Some(&true) {
        return (Vec::new(), Vec::new());
    }
    let mut changed = Vec::new();
    let mut conflicts = Vec::new();
    for e in index {
        let mut dir: &[u8] = &e.path;
        let clean = loop {
            dir = match memchr::memrchr(b'/', dir) {
                Some(i) => &dir[..i],
                None => &[],
            };
            if let Some(c) = state.get(dir) {
                break *c;
            }
            if dir.is_empty() {
                break false;
            }
        };
        if clean {
            continue;
        }
        let path = String::from_utf8_lossy(&e.path).into_owned();
        if e.stage != 0 {
            conflicts.push(path);
            continue;
        }
        if is_gitlink(e.mode) {
            continue;
        }
        let in_head = entry_path(&e.path)
            .and_then(|p| head.get_path(p).ok())
            .map(|t| t.id());
        if in_head != Some(e.oid) {
            changed.push((e.oid, path));
        }
    }
    conflicts.dedup();
    (changed, conflicts)
}

/// Index entries that differ from HEAD, by libgit2's index-to-tree diff (reads
/// every tree of HEAD; used when the index has no usable cache tree).
fn staged_by_diff(
    repo: &Repository,
    index: &git2::Index,
    tree: &git2::Tree<'_>,
    entries: &mut Vec<(Oid, String)>,
    out: &mut ScanOutcome,
) -> Result<(), GitError> {
    let diff = repo
        .diff_tree_to_index(Some(tree), Some(index), None)
        .map_err(git_err("comparing the index with HEAD"))?;
    for d in diff.deltas() {
        use git2::Delta::*;
        let nf = d.new_file();
        let path = nf
            .path_bytes()
            .map(|p| String::from_utf8_lossy(p).into_owned())
            .unwrap_or_default();
        match d.status() {
            Added | Modified | Renamed | Copied | Typechange => {
                if nf.mode() == git2::FileMode::Commit || nf.id().is_zero() {
                    continue;
                }
                entries.push((nf.id(), path));
            }
            Conflicted => out.notices.push(Notice::skipped(
                path,
                "merge conflict in the index: resolve and stage the file to scan it".into(),
            )),
            _ => {}
        }
    }
    Ok(())
}

/// An index path as a `Path` (any bytes on Unix; UTF-8 elsewhere).
fn entry_path(bytes: &[u8]) -> Option<&Path> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        Some(Path::new(OsStr::from_bytes(bytes)))
    }
    #[cfg(not(unix))]
    {
        std::str::from_utf8(bytes).ok().map(Path::new)
    }
}

fn is_gitlink(mode: u32) -> bool {
    mode & 0o170000 == 0o160000
}

// ---------------------------------------------------------------------------
// Commit ranges

fn scan_range(
    scanner: &Scanner,
    repo: &Repository,
    opts: &GitOptions,
    spec: &str,
) -> Result<ScanOutcome, GitError> {
    let range_err = |reason: String| GitError::Range {
        spec: spec.to_string(),
        reason,
    };
    let rs = repo
        .revparse(spec)
        .map_err(|e| range_err(e.message().to_string()))?;
    if !rs.mode().contains(RevparseMode::RANGE) {
        return Err(range_err("not a range".into()));
    }
    let (Some(from), Some(to)) = (rs.from(), rs.to()) else {
        return Err(range_err("both ends are needed".into()));
    };
    let from = from
        .peel_to_commit()
        .map_err(|e| range_err(format!("base: {}", e.message())))?;
    let to = to
        .peel_to_commit()
        .map_err(|e| range_err(format!("head: {}", e.message())))?;
    let mut walk = repo.revwalk().map_err(git_err("walking the range"))?;
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)
        .map_err(git_err("walking the range"))?;
    walk.push(to.id()).map_err(git_err("walking the range"))?;
    let hide = if rs.mode().contains(RevparseMode::MERGE_BASE) {
        repo.merge_base(from.id(), to.id())
            .map_err(|e| range_err(format!("no merge base: {}", e.message())))?
    } else {
        from.id()
    };
    walk.hide(hide).map_err(git_err("walking the range"))?;
    scan_walk(scanner, repo, opts, spec, walk, to.tree().ok())
}

/// Commits reachable from the refs but not from `known` (`--state`), against HEAD.
fn scan_since(
    scanner: &Scanner,
    repo: &Repository,
    opts: &GitOptions,
    known: &[String],
) -> Result<ScanOutcome, GitError> {
    let mut walk = repo.revwalk().map_err(git_err("walking new commits"))?;
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)
        .map_err(git_err("walking new commits"))?;
    let mut ignored = ScanOutcome::default();
    for root in walk_roots(repo, None, &mut ignored) {
        walk.push(root).map_err(git_err("walking new commits"))?;
    }
    for k in known {
        if let Ok(oid) = Oid::from_str(k) {
            walk.hide(oid).map_err(git_err("walking new commits"))?;
        }
    }
    let head = repo.head().ok().and_then(|h| h.peel_to_tree().ok());
    let mut out = scan_walk(scanner, repo, opts, "new commits", walk, head)?;
    out.notices.extend(ignored.notices);
    Ok(out)
}

/// Scans the blobs that the commits of `walk` introduce; `tip_tree` decides
/// whether each key is still present.
fn scan_walk(
    scanner: &Scanner,
    repo: &Repository,
    opts: &GitOptions,
    spec: &str,
    walk: git2::Revwalk<'_>,
    tip_tree: Option<git2::Tree<'_>>,
) -> Result<ScanOutcome, GitError> {
    let mut out = ScanOutcome::default();
    let mut seen: HashSet<(Oid, String)> = HashSet::new();
    let mut by_blob: HashMap<Oid, Vec<Intro>> = HashMap::new();
    for (order, next) in walk.enumerate() {
        let oid = match next {
            Ok(o) => o,
            Err(e) => {
                out.notices.push(Notice::warning(
                    spec.to_string(),
                    format!(
                        "walk stopped early (missing or damaged commit, or shallow clone): {e}"
                    ),
                ));
                break;
            }
        };
        let commit = match repo.find_commit(oid) {
            Ok(c) => c,
            Err(e) => {
                out.notices.push(Notice::warning(
                    format!("commit {oid}"),
                    format!("cannot read: {e}"),
                ));
                continue;
            }
        };
        let tree = commit.tree_id();
        let parent_trees: Vec<Oid> = (0..commit.parent_count())
            .filter_map(|i| match commit.parent(i) {
                Ok(p) => Some(p.tree_id()),
                Err(e) => {
                    out.notices.push(Notice::warning(
                        format!("commit {oid}"),
                        format!("parent {i} unavailable (shallow clone or missing object): diffing against nothing, so all of its files count as introduced here: {e}"),
                    ));
                    None
                }
            })
            .collect();
        let introduced = introduced_by(repo, tree, &parent_trees, &mut out.notices);
        for (blob, path) in introduced {
            if seen.insert((blob, path.clone())) {
                let list = by_blob.entry(blob).or_default();
                if list.len() < MAX_PATHS_PER_BLOB {
                    list.push(Intro {
                        order,
                        commit: Some(oid),
                        path,
                    });
                }
            }
        }
    }

    let max = opts.max_file_size;
    let mut jobs = Vec::new();
    let mut blobs: Vec<_> = by_blob.into_iter().collect();
    blobs.sort_by_key(|(o, _)| *o);
    let odb = repo.odb().map_err(git_err("opening the object database"))?;
    for (oid, intros) in blobs {
        match odb.read_header(oid) {
            Ok((size, ObjectType::Blob)) if size as u64 > max => out.notices.push(Notice::skipped(
                intros[0].display(),
                format!("blob larger than --max-file-size ({size} > {max} bytes)"),
            )),
            Ok((size, ObjectType::Blob)) => {
                out.files_scanned += 1;
                out.bytes_scanned += size as u64;
                jobs.push(BlobJob { oid, intros });
            }
            Ok(_) => {}
            Err(e) => out.notices.push(Notice::warning(
                intros[0].display(),
                format!("missing blob {oid}: {e}"),
            )),
        }
    }
    let scanned = scan_jobs(scanner, repo, opts, &jobs, &mut out.notices)?;
    let found = locate(&jobs, scanned, |_, f| {
        tip_tree.as_ref().is_some_and(|t| {
            f.secret
                .as_ref()
                .is_some_and(|s| tree_file_contains(repo, t, &f.path, s.expose().as_bytes(), max))
        })
    });
    out.findings = merge_occurrences(repo, found, max);
    Ok(out)
}

/// Whether the file at `path` in `tree` contains `needle`.
fn tree_file_contains(
    repo: &Repository,
    tree: &git2::Tree<'_>,
    path: &str,
    needle: &[u8],
    max: u64,
) -> bool {
    let Ok(entry) = tree.get_path(Path::new(path)) else {
        return false;
    };
    let Ok(odb) = repo.odb() else { return false };
    match odb.read_header(entry.id()) {
        Ok((size, ObjectType::Blob)) if size as u64 <= max => {}
        _ => return false,
    }
    odb.read(entry.id())
        .map(|o| memchr::memmem::find(&crate::content::decode(o.data()).text, needle).is_some())
        .unwrap_or(false)
}

/// Blobs (with paths) in `tree` that a commit with `parents` introduced: new or
/// changed relative to its parent, or for a merge relative to every parent (so a
/// merge is not blamed for what the merged branch brought in).
fn introduced_by(
    repo: &Repository,
    tree: Oid,
    parents: &[Oid],
    notices: &mut Vec<Notice>,
) -> Vec<(Oid, String)> {
    let mut sets = Vec::new();
    if parents.is_empty() {
        let mut v = Vec::new();
        tree_diff(repo, None, tree, "", &mut v, notices);
        return v;
    }
    for p in parents {
        let mut v = Vec::new();
        tree_diff(repo, Some(*p), tree, "", &mut v, notices);
        sets.push(v);
    }
    let mut first = sets.swap_remove(0);
    for other in &sets {
        let keep: HashSet<&(Oid, String)> = other.iter().collect();
        first.retain(|x| keep.contains(x));
    }
    first
}

/// Blobs in `new` that differ from the same path in `old`; identical subtrees are
/// skipped by id without being read.
fn tree_diff(
    repo: &Repository,
    old: Option<Oid>,
    new: Oid,
    prefix: &str,
    out: &mut Vec<(Oid, String)>,
    notices: &mut Vec<Notice>,
) {
    if old == Some(new) {
        return;
    }
    let new_tree = match repo.find_tree(new) {
        Ok(t) => t,
        Err(e) => {
            notices.push(Notice::warning(
                format!("tree {new}"),
                format!("missing or damaged tree object: {e}"),
            ));
            return;
        }
    };
    let old_tree = old.and_then(|o| repo.find_tree(o).ok());
    for e in new_tree.iter() {
        let name = String::from_utf8_lossy(e.name_bytes());
        let path = if prefix.is_empty() {
            name.into_owned()
        } else {
            format!("{prefix}/{name}")
        };
        let before = old_tree
            .as_ref()
            .and_then(|t| t.get_name_bytes(e.name_bytes()))
            .map(|o| (o.id(), o.kind()));
        match e.kind() {
            Some(ObjectType::Tree) => {
                let old_sub = match before {
                    Some((id, Some(ObjectType::Tree))) => Some(id),
                    _ => None,
                };
                tree_diff(repo, old_sub, e.id(), &path, out, notices);
            }
            Some(ObjectType::Blob) if before.map(|(id, _)| id) != Some(e.id()) => {
                out.push((e.id(), path));
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_handles_offsets_and_leap_years() {
        assert_eq!(rfc3339(git2::Time::new(0, 0)), "1970-01-01T00:00:00Z");
        // 2024-02-29T12:34:56Z shown at +05:30 and -08:00.
        let t = 1_709_210_096;
        assert_eq!(rfc3339(git2::Time::new(t, 0)), "2024-02-29T12:34:56Z");
        assert_eq!(
            rfc3339(git2::Time::new(t, 330)),
            "2024-02-29T18:04:56+05:30"
        );
        assert_eq!(
            rfc3339(git2::Time::new(t, -480)),
            "2024-02-29T04:34:56-08:00"
        );
    }

    #[test]
    fn gitlink_mode_is_recognized() {
        assert!(is_gitlink(0o160000));
        assert!(!is_gitlink(0o100644));
        assert!(!is_gitlink(0o040000));
    }
}
