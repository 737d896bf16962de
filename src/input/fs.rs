//! Parallel directory walking: `.gitignore`-aware, hidden files included, `.git/`
//! skipped; each worker thread owns its read buffer, scratch space and findings.
use super::{Notice, ScanOutcome};
use crate::scan::{Scanner, Scratch};
use ignore::{overrides::OverrideBuilder, WalkBuilder, WalkState};
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Files at least this large are memory-mapped instead of read into the heap.
const MMAP_THRESHOLD: u64 = 8 * 1024 * 1024;
/// Read before asking for a file's size; most source files fit in it whole.
const FIRST_CHUNK: u64 = 64 * 1024;

/// How to walk the file system.
#[derive(Clone, Debug)]
pub struct WalkOptions {
    /// Include files ignored by `.gitignore`/`.ignore`.
    pub no_ignore: bool,
    /// Glob patterns of paths to leave out.
    pub excludes: Vec<String>,
    /// Larger files are skipped and reported.
    pub max_file_size: u64,
    /// Worker threads (0: one per core).
    pub threads: usize,
    /// Follow symbolic links (loops are detected by the walker).
    pub follow: bool,
}

impl Default for WalkOptions {
    fn default() -> Self {
        WalkOptions {
            no_ignore: false,
            excludes: Vec::new(),
            max_file_size: 256 * 1024 * 1024,
            threads: 0,
            follow: false,
        }
    }
}

/// Errors that stop a scan before it starts.
#[derive(Debug, thiserror::Error)]
pub enum WalkError {
    #[error("cannot read {path}: {source}")]
    Root {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid --exclude pattern {pattern:?}: {message}")]
    Exclude { pattern: String, message: String },
}

/// Display path for a walked file: relative to a directory root, as given for a file root.
fn display_path(root: &Path, root_is_dir: bool, path: &Path) -> String {
    let rel = if root_is_dir {
        path.strip_prefix(root).unwrap_or(path)
    } else {
        path
    };
    let s = rel.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").unwrap_or(&s).to_string()
}

/// Walks one root and scans every file under it.
pub fn scan_root(
    scanner: &Scanner,
    root: &Path,
    opts: &WalkOptions,
) -> Result<ScanOutcome, WalkError> {
    let meta = std::fs::metadata(root).map_err(|source| WalkError::Root {
        path: root.to_path_buf(),
        source,
    })?;
    if meta.is_dir() {
        // Fail early on an unreadable root rather than report an empty scan.
        std::fs::read_dir(root).map_err(|source| WalkError::Root {
            path: root.to_path_buf(),
            source,
        })?;
    }
    let root_is_dir = meta.is_dir();
    let mut ob = OverrideBuilder::new(root);
    for g in &opts.excludes {
        ob.add(&format!("!{g}")).map_err(|e| WalkError::Exclude {
            pattern: g.clone(),
            message: e.to_string(),
        })?;
    }
    let overrides = ob.build().map_err(|e| WalkError::Exclude {
        pattern: opts.excludes.join(","),
        message: e.to_string(),
    })?;
    let mut wb = WalkBuilder::new(root);
    wb.hidden(false)
        .parents(true)
        .follow_links(opts.follow)
        .overrides(overrides)
        .threads(opts.threads)
        .filter_entry(|e| e.file_name() != ".git");
    if opts.no_ignore {
        wb.ignore(false)
            .git_ignore(false)
            .git_global(false)
            .git_exclude(false)
            .parents(false);
    } else {
        // Respect .gitignore even outside a git repository, as users expect.
        wb.require_git(false);
    }

    let total = Mutex::new(ScanOutcome::default());
    wb.build_parallel().run(|| {
        let mut worker = Worker {
            scanner,
            opts,
            root,
            root_is_dir,
            buf: Vec::new(),
            scratch: Scratch::default(),
            out: ScanOutcome::default(),
            total: &total,
        };
        Box::new(move |entry| {
            worker.visit(entry);
            WalkState::Continue
        })
    });
    let mut outcome = total.into_inner().unwrap();
    outcome.sort();
    Ok(outcome)
}

struct Worker<'a> {
    scanner: &'a Scanner,
    opts: &'a WalkOptions,
    root: &'a Path,
    root_is_dir: bool,
    buf: Vec<u8>,
    scratch: Scratch,
    out: ScanOutcome,
    total: &'a Mutex<ScanOutcome>,
}

impl Drop for Worker<'_> {
    fn drop(&mut self) {
        let out = std::mem::take(&mut self.out);
        if let Ok(mut t) = self.total.lock() {
            t.merge(out);
        }
    }
}

impl Worker<'_> {
    fn visit(&mut self, entry: Result<ignore::DirEntry, ignore::Error>) {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                let path = error_path(&err).map(|p| display_path(self.root, self.root_is_dir, &p));
                self.out.notices.push(Notice::skipped(
                    path.unwrap_or_else(|| self.root.display().to_string()),
                    walk_error_reason(&err),
                ));
                return;
            }
        };
        let Some(ft) = entry.file_type() else { return };
        if ft.is_dir() {
            return;
        }
        let path = entry.path();
        if ft.is_symlink() {
            // Not following links: a link is not content of this tree.
            return;
        }
        if !ft.is_file() {
            let shown = self.shown(path);
            self.out.notices.push(Notice::skipped(
                shown,
                "not a regular file (pipe, socket or device)".into(),
            ));
            return;
        }
        self.scan_file(path);
    }

    /// The display path, built only when a finding or notice needs it.
    fn shown(&self, path: &Path) -> String {
        display_path(self.root, self.root_is_dir, path)
    }

    fn scan_file(&mut self, path: &Path) {
        let (root, root_is_dir) = (self.root, self.root_is_dir);
        let shown = || display_path(root, root_is_dir, path);
        let mut file = match File::open(path) {
            Ok(f) => f,
            Err(e) => {
                self.out.notices.push(Notice::skipped(
                    self.shown(path),
                    format!("cannot open: {e}"),
                ));
                return;
            }
        };
        // Most files of a source tree are small: read the first chunk straight
        // away and ask for the size only when the file does not fit in it. That
        // saves an fstat per file, the one syscall ripgrep does not make either.
        self.buf.clear();
        if let Err(e) = read_up_to(&mut file, FIRST_CHUNK, &mut self.buf) {
            self.out.notices.push(Notice::skipped(
                self.shown(path),
                format!("cannot read: {e}"),
            ));
            return;
        }
        let mut len = self.buf.len() as u64;
        let mut map = None;
        if len == FIRST_CHUNK {
            len = match file.metadata() {
                Ok(m) => m.len(),
                Err(e) => {
                    self.out.notices.push(Notice::skipped(
                        self.shown(path),
                        format!("cannot stat: {e}"),
                    ));
                    return;
                }
            };
            if len <= self.opts.max_file_size && len >= MMAP_THRESHOLD {
                // SAFETY: the map is read-only and dropped before returning; a file
                // truncated by another process meanwhile can raise SIGBUS, a risk
                // every mmap-based searcher (ripgrep included) accepts for large files.
                match unsafe { memmap2::Mmap::map(&file) } {
                    Ok(m) => map = Some(m),
                    Err(e) => {
                        self.out.notices.push(Notice::skipped(
                            self.shown(path),
                            format!("cannot map: {e}"),
                        ));
                        return;
                    }
                }
            } else if len <= self.opts.max_file_size {
                if let Err(e) = read_rest(&mut file, len, self.opts.max_file_size, &mut self.buf) {
                    self.out.notices.push(Notice::skipped(
                        self.shown(path),
                        format!("cannot read: {e}"),
                    ));
                    return;
                }
                len = self.buf.len() as u64;
            }
        }
        if len > self.opts.max_file_size {
            self.out.notices.push(Notice::skipped(
                self.shown(path),
                format!(
                    "larger than --max-file-size ({} > {} bytes)",
                    len, self.opts.max_file_size
                ),
            ));
            return;
        }
        let result = match &map {
            Some(m) => self.scanner.scan_blob_lazy(shown, m, &mut self.scratch),
            None => self
                .scanner
                .scan_blob_lazy(shown, &self.buf, &mut self.scratch),
        };
        drop(map);
        // Do not keep one huge buffer alive for the rest of the walk.
        if self.buf.capacity() > 4 * 1024 * 1024 {
            self.buf = Vec::new();
        }
        if result.skipped_binary {
            self.out.notices.push(Notice::skipped(
                self.shown(path),
                "binary file (--no-binary)".into(),
            ));
            return;
        }
        self.out.files_scanned += 1;
        self.out.bytes_scanned += len;
        if result.dropped > 0 {
            self.out.notices.push(Notice::warning(
                self.shown(path),
                format!(
                    "{} more findings in this file were not kept",
                    result.dropped
                ),
            ));
        }
        self.out.findings.extend(result.findings);
    }
}

/// Appends at most `limit` bytes of `file` to `buf`: reads until EOF or the limit.
/// `Take` reads straight into the buffer's spare capacity, without std's per-file
/// size probe (an fstat and an lseek) that `File::read_to_end` makes.
fn read_up_to(file: &mut File, limit: u64, buf: &mut Vec<u8>) -> std::io::Result<()> {
    buf.reserve(
        usize::try_from(limit)
            .unwrap_or(usize::MAX)
            .saturating_add(1),
    );
    file.take(limit).read_to_end(buf)?;
    Ok(())
}

/// Appends the rest of a file whose size was `len` when asked, reading at most up to
/// `max` bytes in all (a file growing meanwhile cannot grow the buffer past it).
fn read_rest(file: &mut File, len: u64, max: u64, buf: &mut Vec<u8>) -> std::io::Result<()> {
    let rest = usize::try_from(len).unwrap_or(usize::MAX);
    buf.reserve(rest.saturating_sub(buf.len()).saturating_add(1));
    let limit = max.saturating_add(1).saturating_sub(buf.len() as u64);
    file.take(limit).read_to_end(buf)?;
    Ok(())
}

fn error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } => error_path(err),
        ignore::Error::WithLineNumber { err, .. } => error_path(err),
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        _ => None,
    }
}

fn walk_error_reason(err: &ignore::Error) -> String {
    match err {
        ignore::Error::WithPath { err, .. } => walk_error_reason(err),
        ignore::Error::WithDepth { err, .. } => walk_error_reason(err),
        ignore::Error::Loop { ancestor, .. } => {
            format!("symbolic link loop back to {}", ancestor.display())
        }
        ignore::Error::Io(e) => format!("cannot read: {e}"),
        other => other.to_string(),
    }
}
