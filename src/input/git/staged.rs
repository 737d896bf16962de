//! `--staged` mode: the index entries that differ from HEAD, found through the
//! index's cache tree when it has one, scanned at their paths.
use super::parallel::{par_map, thread_count};
use super::{git_err, GitError, GitOptions};
use crate::classify::project::ProjectFiles;
use crate::input::cache_tree::{self, CacheNode, IndexEntry, IndexFile};
use crate::outcome::{Notice, ScanOutcome};
use crate::scan::Scanner;
use git2::{ObjectType, Oid, Repository};
use std::collections::HashMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

pub(super) fn scan_staged(
    scanner: &Scanner,
    repo: &Repository,
    opts: &GitOptions,
    project: &dyn ProjectFiles,
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
                scanner.scan_blob_in(project, path, obj.data(), scratch),
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
                out.notices.extend(r.failure_notice(path.clone()));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gitlink_mode_is_recognized() {
        assert!(is_gitlink(0o160000));
        assert!(!is_gitlink(0o100644));
        assert!(!is_gitlink(0o040000));
    }
}
