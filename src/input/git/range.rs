//! Range mode: the blobs introduced by the commits of `BASE..HEAD` (or
//! `BASE...HEAD`), found by diffing each commit's tree against its parents'.
use super::provenance::{locate, merge_occurrences, scan_jobs, BlobJob, Intro, MAX_PATHS_PER_BLOB};
use super::{git_err, GitError, GitOptions};
use crate::classify::project::ProjectFiles;
use crate::outcome::{Notice, ScanOutcome};
use crate::scan::Scanner;
use git2::{ObjectType, Oid, Repository, RevparseMode, Sort};
use std::collections::{HashMap, HashSet};
use std::path::Path;

pub(super) fn scan_range(
    scanner: &Scanner,
    repo: &Repository,
    opts: &GitOptions,
    spec: &str,
    project: &dyn ProjectFiles,
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
    scan_walk(scanner, repo, opts, spec, walk, to.tree().ok(), project)
}

/// Commits reachable from the refs but not from `known` (`--state`), judged
/// against HEAD.
pub(super) fn scan_since(
    scanner: &Scanner,
    repo: &Repository,
    opts: &GitOptions,
    known: &[String],
    project: &dyn ProjectFiles,
) -> Result<ScanOutcome, GitError> {
    let mut walk = repo.revwalk().map_err(git_err("walking new commits"))?;
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)
        .map_err(git_err("walking new commits"))?;
    let mut roots_notices = ScanOutcome::default();
    for root in super::walk::walk_roots(repo, None, &HashSet::new(), &mut roots_notices) {
        walk.push(root).map_err(git_err("walking new commits"))?;
    }
    for k in known {
        if let Ok(oid) = Oid::from_str(k) {
            walk.hide(oid).map_err(git_err("walking new commits"))?;
        }
    }
    let head = repo.head().ok().and_then(|h| h.peel_to_tree().ok());
    let mut out = scan_walk(scanner, repo, opts, "new commits", walk, head, project)?;
    out.notices.extend(roots_notices.notices);
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
    project: &dyn ProjectFiles,
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
    let scanned = scan_jobs(
        scanner,
        repo,
        opts,
        &jobs,
        project,
        &mut out.notices,
        Vec::new(),
    )?;
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
