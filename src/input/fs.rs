//! Parallel directory walking: `.gitignore`-aware, hidden files included, `.git/`
//! skipped; each worker thread owns its read buffer, scratch space and findings.
use super::archive;
use super::project::FsProject;
use crate::content::{self, Encoding};
use crate::outcome::{cause, Notice, ScanOutcome};
use crate::scan::{BlobResult, Scanner, Scratch, WINDOWED_ABOVE};
use ignore::{overrides::OverrideBuilder, WalkBuilder, WalkState};
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Archives at least this large are memory-mapped instead of read into the heap
/// (other files above [`WINDOWED_ABOVE`] are read in windows).
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
    /// Open archives and app packages and scan their entries (`None`: scan them
    /// as plain files).
    pub archives: Option<archive::Limits>,
}

impl Default for WalkOptions {
    fn default() -> Self {
        WalkOptions {
            no_ignore: false,
            excludes: Vec::new(),
            max_file_size: 256 * 1024 * 1024,
            threads: 0,
            follow: false,
            archives: Some(archive::Limits::default()),
        }
    }
}

/// Errors that stop a scan before it starts.
#[derive(Debug, thiserror::Error)]
pub enum WalkError {
    #[error("cannot read {path}: {source}; check that the path exists and that you may read it")]
    Root {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid --exclude pattern {pattern:?}: {message}; use a glob such as 'vendor/**' or '*.min.js'")]
    Exclude { pattern: String, message: String },
}

/// Display path for a walked file. Relative roots keep their prefix, as ripgrep
/// does (`web/src/a.js` for root `web`), so directory names still inform the
/// context; absolute roots are stripped so reports stay repository-relative.
fn display_path(root: &Path, root_is_dir: bool, path: &Path) -> String {
    let rel = if root_is_dir && root.is_absolute() {
        path.strip_prefix(root).unwrap_or(path)
    } else {
        path
    };
    let s: String = rel
        .to_string_lossy()
        .replace('\\', "/")
        .chars()
        // A hostile file name must not drive the terminal the report is shown on.
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
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
    let project = FsProject::new(root, root_is_dir);
    wb.build_parallel().run(|| {
        let mut worker = Worker {
            scanner,
            opts,
            root,
            root_is_dir,
            project: &project,
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
    project: &'a FsProject,
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
                let raw_path = error_path(&err);
                let path = raw_path
                    .as_ref()
                    .map(|p| display_path(self.root, self.root_is_dir, p));
                let (mut category, mut reason) =
                    walk_error_reason(&err, |p| display_path(self.root, self.root_is_dir, p));
                // With --follow, a link whose target is gone is not a vanished file.
                if category == cause::VANISHED
                    && raw_path.as_ref().is_some_and(|p| {
                        std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink())
                    })
                {
                    category = cause::BROKEN_LINK;
                    reason = "broken symbolic link: its target does not exist".into();
                }
                self.out.notices.push(Notice::skipped_as(
                    category,
                    path.unwrap_or_else(|| self.root.display().to_string()),
                    reason,
                ));
                return;
            }
        };
        // With --follow the walker reports the link target's type, so a link to a
        // FIFO is caught here too; nothing is opened before this check.
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
            self.out.notices.push(Notice::skipped_as(
                cause::NOT_REGULAR,
                self.shown(path),
                format!("not a regular file ({})", special_kind(&ft)),
            ));
            return;
        }
        self.scan_file(path);
    }

    /// The display path, built only when a finding or notice needs it: most files
    /// of a tree have neither, and the path would be their only allocation.
    fn shown(&self, path: &Path) -> String {
        display_path(self.root, self.root_is_dir, path)
    }

    /// A file that could not be opened or read: a notice, and the scan goes on.
    fn io_skip(&mut self, path: &Path, e: &std::io::Error) {
        let (category, what) = io_cause(e);
        let shown = self.shown(path);
        self.out
            .notices
            .push(Notice::skipped_as(category, shown, format!("{what}: {e}")));
    }

    fn scan_file(&mut self, path: &Path) {
        let mut file = match open_nonblocking(path) {
            Ok(f) => f,
            Err(e) => {
                self.io_skip(path, &e);
                return;
            }
        };
        // Most files of a tree are small: read a first chunk straight away and ask
        // for the size only when the file does not fit in it, saving the fstat
        // that would otherwise be the one syscall per file ripgrep does not make.
        let mut buf = std::mem::take(&mut self.buf);
        buf.clear();
        let first = read_up_to(&mut file, FIRST_CHUNK, &mut buf);
        // The file type is checked again on the open handle whenever the first
        // read does not prove a regular file with content: a FIFO or device
        // swapped in since the walker looked reads as empty, fails (EAGAIN: it
        // was opened non-blocking) or fills the chunk. Only a pipe whose writer
        // already wrote under 64 KiB and left passes as a file, and is scanned.
        let fits = matches!(first, Ok(()) if !buf.is_empty() && (buf.len() as u64) < FIRST_CHUNK);
        if fits {
            let len = buf.len() as u64;
            if len > self.opts.max_file_size {
                self.too_large(path, len);
            } else {
                self.scan_bytes(path, &buf);
            }
        } else if let Some(len) = self.checked_len(path, &file) {
            match first {
                Ok(()) => self.scan_rest(path, &mut file, len, &mut buf),
                Err(e) => {
                    self.io_skip(path, &e);
                }
            }
        }
        // Do not keep one huge buffer alive for the rest of the walk.
        if buf.capacity() <= 4 * 1024 * 1024 {
            self.buf = buf;
        }
    }

    fn too_large(&mut self, path: &Path, len: u64) {
        self.out.notices.push(Notice::skipped_as(
            cause::TOO_LARGE,
            self.shown(path),
            format!(
                "larger than --max-file-size ({} > {} bytes); raise --max-file-size to scan it",
                len, self.opts.max_file_size
            ),
        ));
    }

    /// The size of an open file, or None (with a notice) when it is not a regular
    /// file or cannot be asked.
    fn checked_len(&mut self, path: &Path, file: &File) -> Option<u64> {
        match file.metadata() {
            Ok(m) if !m.is_file() => {
                self.out.notices.push(Notice::skipped_as(
                    cause::NOT_REGULAR,
                    self.shown(path),
                    format!("not a regular file ({})", special_kind(&m.file_type())),
                ));
                None
            }
            Ok(m) => Some(m.len()),
            Err(e) => {
                self.io_skip(path, &e);
                None
            }
        }
    }

    /// Scans a regular file of `len` bytes whose first chunk is already in `buf`
    /// (empty, or full).
    fn scan_rest(&mut self, path: &Path, file: &mut File, len: u64, buf: &mut Vec<u8>) {
        if len > self.opts.max_file_size {
            self.too_large(path, len);
            return;
        }
        if len > WINDOWED_ABOVE as u64 && self.archive_kind(path).is_none() {
            self.scan_stream(path, file, len, buf);
            return;
        }
        if len >= MMAP_THRESHOLD {
            // An archive needs random access to its directory and entries.
            // SAFETY: the map is read-only and dropped before returning; a file
            // truncated by another process meanwhile can raise SIGBUS, a risk
            // every mmap-based searcher (ripgrep included) accepts for large files.
            match unsafe { memmap2::Mmap::map(&*file) } {
                Ok(map) => self.scan_bytes(path, &map),
                Err(e) => self.out.notices.push(Notice::skipped_as(
                    cause::UNREADABLE,
                    self.shown(path),
                    format!("cannot map: {e}"),
                )),
            }
            return;
        }
        // A file that grows while it is read (a log being written) stops at the limit.
        let limit = self.opts.max_file_size.saturating_sub(buf.len() as u64);
        if let Err(e) = read_up_to(file, limit, buf) {
            self.io_skip(path, &e);
        } else {
            self.scan_bytes(path, buf);
        }
    }

    /// The kind of archive `path` names, if archives are opened.
    fn archive_kind(&self, path: &Path) -> Option<archive::Kind> {
        self.opts.archives.as_ref()?;
        let name = path.file_name()?.to_string_lossy();
        archive::kind_of(&name)
    }

    /// Scans a large file of `len` bytes in bounded windows, one chunk of it in
    /// memory at a time; its first chunk is already in `buf`.
    fn scan_stream(&mut self, path: &Path, file: &mut File, len: u64, buf: &mut Vec<u8>) {
        let (root, root_is_dir) = (self.root, self.root_is_dir);
        let shown = || display_path(root, root_is_dir, path);
        let encoding = content::sniff(buf);
        let result = if matches!(encoding, Encoding::Utf16Le | Encoding::Utf16Be) {
            // Decoded as it is read.
            let max = self.opts.max_file_size;
            self.scanner
                .scan_reader(self.project, shown, buf, file, max, &mut self.scratch)
        } else {
            self.scan_mapped(&shown, file, len, encoding)
                .map(|r| (r, len))
        };
        match result {
            Ok((r, read)) => archive::record_blob(
                self.scanner,
                shown,
                usize::try_from(read).unwrap_or(usize::MAX),
                r,
                &mut self.out,
            ),
            Err(e) => {
                self.io_skip(path, &e);
            }
        }
    }

    /// Scans a file through one memory map per chunk of it, each released when
    /// its windows are done, on the walker's number of threads: the text is the
    /// file's bytes after a UTF-8 BOM, and nothing is copied.
    fn scan_mapped(
        &mut self,
        shown: &(dyn Fn() -> String + Sync),
        file: &File,
        len: u64,
        encoding: Encoding,
    ) -> std::io::Result<BlobResult> {
        let binary = encoding == Encoding::Binary;
        if binary && !self.scanner.opts.binary {
            return Ok(BlobResult {
                skipped_binary: true,
                ..Default::default()
            });
        }
        let bom = encoding.bom_len();
        let text_len = usize::try_from(len).unwrap_or(usize::MAX) - bom;
        let map = |r: std::ops::Range<usize>| {
            // SAFETY: the map is read-only and dropped when its chunk is done; a
            // file truncated by another process meanwhile can raise SIGBUS, a risk
            // every mmap-based searcher (ripgrep included) accepts for large files.
            unsafe {
                memmap2::MmapOptions::new()
                    .offset((bom + r.start) as u64)
                    .len(r.len())
                    .populate()
                    .map(file)
            }
        };
        let threads = match self.opts.threads {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        };
        let scratch = &mut self.scratch;
        let run = std::panic::AssertUnwindSafe(|| {
            (self.scanner).scan_chunks(
                self.project,
                shown,
                text_len,
                binary,
                threads,
                scratch,
                &map,
            )
        });
        // As in `Scanner::scan_blob_in`: a bug on one file is a notice, not the end.
        std::panic::catch_unwind(run).unwrap_or_else(|_| {
            Ok(crate::scan::BlobResult {
                failed: true,
                ..Default::default()
            })
        })
    }

    /// Scans a file's bytes: archives entry by entry, everything else as one blob.
    fn scan_bytes(&mut self, path: &Path, data: &[u8]) {
        if let (Some(limits), Some(kind)) = (&self.opts.archives, self.archive_kind(path)) {
            let shown = self.shown(path);
            let limits = archive::Limits {
                max_entry_bytes: limits.max_entry_bytes.min(self.opts.max_file_size),
                ..limits.clone()
            };
            match archive::scan_archive(
                self.scanner,
                &shown,
                data,
                kind,
                &limits,
                &mut self.scratch,
                &mut self.out,
            ) {
                // Entries count as scanned files; the container itself is not searched.
                Ok(()) => return,
                Err(reason) => self.out.notices.push(Notice::warning_as(
                    cause::DAMAGED_ARCHIVE,
                    shown.clone(),
                    format!("{reason}; scanned as a plain file"),
                )),
            }
        }
        let (root, root_is_dir) = (self.root, self.root_is_dir);
        let shown = || display_path(root, root_is_dir, path);
        let r = self
            .scanner
            .scan_blob_lazy(self.project, shown, data, &mut self.scratch);
        archive::record_blob(self.scanner, shown, data.len(), r, &mut self.out);
    }
}

/// Opens a file for reading without ever blocking on a FIFO or device.
fn open_nonblocking(path: &Path) -> std::io::Result<File> {
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NONBLOCK);
    }
    opts.open(path)
}

/// Appends at most `limit` bytes of `file` to `buf`, until EOF or the limit.
/// `Take` reads straight into the buffer's spare capacity, without the size probe
/// (an fstat and an lseek) that `File::read_to_end` makes per file.
fn read_up_to(file: &mut File, limit: u64, buf: &mut Vec<u8>) -> std::io::Result<()> {
    file.take(limit).read_to_end(buf).map(drop)
}

/// What a non-regular file is, for the skip reason.
fn special_kind(ft: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "named pipe";
        }
        if ft.is_socket() {
            return "socket";
        }
        if ft.is_block_device() || ft.is_char_device() {
            return "device";
        }
    }
    if ft.is_symlink() {
        return "symbolic link";
    }
    "pipe, socket or device"
}

/// The grouped cause and a short verb for an I/O error on a file.
fn io_cause(e: &std::io::Error) -> (&'static str, &'static str) {
    match e.kind() {
        std::io::ErrorKind::NotFound => (cause::VANISHED, "vanished during the scan"),
        std::io::ErrorKind::PermissionDenied => (cause::UNREADABLE, "cannot read"),
        _ => (cause::UNREADABLE, "cannot read"),
    }
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

/// The grouped cause and the reason for a walker error; `shown` turns paths into
/// display paths.
fn walk_error_reason(
    err: &ignore::Error,
    shown: impl Fn(&Path) -> String,
) -> (&'static str, String) {
    match err {
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => walk_error_reason(err, shown),
        ignore::Error::Loop { ancestor, .. } => (
            cause::SYMLINK_LOOP,
            format!(
                "symbolic link loop back to {}; not followed again",
                match shown(ancestor) {
                    s if s.is_empty() => ".".to_string(),
                    s => s,
                }
            ),
        ),
        ignore::Error::Io(e) => {
            let (category, what) = io_cause(e);
            (category, format!("{what}: {e}"))
        }
        other => (cause::OTHER, other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSet;
    use crate::scan::ScanOptions;

    fn worker_out(f: impl FnOnce(&mut Worker<'_>)) -> ScanOutcome {
        let scanner = Scanner::new(RuleSet::builtin().unwrap(), ScanOptions::default());
        let opts = WalkOptions::default();
        let total = Mutex::new(ScanOutcome::default());
        let project = FsProject::new(Path::new("."), true);
        {
            let mut w = Worker {
                scanner: &scanner,
                opts: &opts,
                root: Path::new("."),
                root_is_dir: true,
                project: &project,
                buf: Vec::new(),
                scratch: Scratch::default(),
                out: ScanOutcome::default(),
                total: &total,
            };
            f(&mut w);
        }
        total.into_inner().unwrap()
    }

    #[test]
    fn a_file_that_vanished_after_the_walk_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let gone = dir.path().join("gone.js");
        let out = worker_out(|w| w.scan_file(&gone));
        assert_eq!(out.files_scanned, 0);
        assert_eq!(out.notices.len(), 1);
        assert_eq!(out.notices[0].category, cause::VANISHED);
        assert!(out.notices[0]
            .reason
            .starts_with("vanished during the scan"));
    }

    #[cfg(unix)]
    #[test]
    fn a_file_replaced_by_a_fifo_is_not_read() {
        // The walker saw a regular file; by the time it is opened it is a FIFO.
        // Opening must not block and the handle check must skip it.
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f");
        let ok = std::process::Command::new("mkfifo")
            .arg(&p)
            .status()
            .unwrap();
        assert!(ok.success());
        let out = worker_out(|w| w.scan_file(&p));
        assert_eq!(out.notices.len(), 1);
        assert_eq!(out.notices[0].category, cause::NOT_REGULAR);
        assert_eq!(out.notices[0].reason, "not a regular file (named pipe)");
    }

    #[test]
    fn an_empty_file_is_scanned_after_its_type_is_checked() {
        // An empty first read is what a FIFO without a writer gives too: the
        // handle is asked, and a regular file is then scanned as usual.
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("empty.js");
        std::fs::write(&p, b"").unwrap();
        let out = worker_out(|w| w.scan_file(&p));
        assert_eq!(out.files_scanned, 1);
        assert!(out.notices.is_empty(), "{:?}", out.notices);
    }

    #[test]
    fn control_characters_in_names_are_not_printed() {
        let p = display_path(Path::new("."), true, Path::new("./a\x1b[31mb\nc"));
        assert_eq!(p, "a?[31mb?c");
    }
}
