//! Git input: scans the object database (full history, optionally unreachable
//! objects), the index (`--staged`) or the commits of a range, and works out which
//! commit introduced each blob that produced a finding.
//!
//! History scans read every blob once, in parallel, through the cheap prefilter
//! first: pack files through the `pack` module, which inflates each entry once and
//! resolves delta chains base-first, and anything else (loose objects, alternates,
//! entries that do not decode) through libgit2 with one `Repository` per worker,
//! since git2 handles are not shared across threads. Only blobs with raw hits are
//! then placed in history: one oldest-first walk over commits with trees memoized
//! by object id finds the commit and path that introduced them, and those blobs are
//! scanned again with the real path so context classification sees it. A clean
//! history costs no tree walk at all.
//!
//! `history`, `staged` and `range` are the three modes; `odb` lists what the object
//! database holds, `walk` places blobs in history, `provenance` turns findings at
//! their introductions into git findings, and `parallel` runs work over blobs.
mod history;
mod odb;
mod parallel;
mod provenance;
mod range;
mod staged;
mod tree_project;
mod walk;

use super::project::FsProject;
use crate::classify::project::{NoProject, ProjectFiles};
use crate::outcome::ScanOutcome;
use crate::scan::Scanner;
use git2::{Repository, RepositoryOpenFlags};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

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

/// libgit2's pack window size (git's `core.packedGitWindowSize`).
const MWINDOW: usize = 16 << 20;

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
    // Objects are read once each (packs by the pack reader, the rest through
    // libgit2 with no second look): libgit2's object cache (up to 256 MiB) and
    // its pack windows (1 GiB each, 8 GiB mapped) would only hold memory.
    git2::opts::enable_caching(false);
    // SAFETY: plain global settings of libgit2, made before any repository is
    // opened and never changed while one is in use.
    unsafe {
        let _ = git2::opts::set_mwindow_size(MWINDOW);
        let _ = git2::opts::set_mwindow_mapped_limit(4 * MWINDOW);
    }
    let repo = open(path)?;
    // The project's shape (its manifests): the work tree, else HEAD's tree.
    let project: Box<dyn ProjectFiles> = match repo.workdir() {
        Some(wd) => Box::new(FsProject::new(wd, true)),
        None => match tree_project::TreeProject::open(repo.path()) {
            Some(t) => Box::new(t),
            None => Box::new(NoProject),
        },
    };
    let project = &*project;
    let mut out = match &opts.mode {
        GitMode::History { all_objects } => {
            let mut out = history::scan_history(scanner, &repo, opts, *all_objects, project)?;
            // The whole history is the project: nothing in it naming Pictify is
            // evidence (staged changes and ranges are only part of it).
            scanner.settle_project(&mut out);
            out
        }
        GitMode::Staged => staged::scan_staged(scanner, &repo, opts, project)?,
        GitMode::Range(spec) => range::scan_range(scanner, &repo, opts, spec, project)?,
        GitMode::Since(known) => range::scan_since(scanner, &repo, opts, known, project)?,
    };
    out.sort();
    Ok(out)
}

fn repo_label(repo: &Repository) -> String {
    repo.workdir()
        .unwrap_or_else(|| repo.path())
        .display()
        .to_string()
}
