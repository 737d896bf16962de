//! Ref tips for incremental re-runs: the commit each ref points at, and what an
//! earlier run's tips mean now: nothing new, only commits added on top (scan
//! those), or history rewritten or dropped (a force-push or a deleted unmerged
//! branch), which calls for a full scan so nothing stays hidden.
use git2::{Oid, Repository};
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

/// Ref name → commit id (hex), for every ref that points at a commit.
pub type Tips = BTreeMap<String, String>;

/// The tips of every ref of the repository at `path` (tags peeled to commits).
pub fn tips(path: &Path) -> Result<Tips, git2::Error> {
    let repo = Repository::open_ext(path, git2::RepositoryOpenFlags::empty(), &[] as &[&str])?;
    let mut out = Tips::new();
    for r in repo.references()?.flatten() {
        let Some(name) = r.name().map(str::to_string) else {
            continue;
        };
        if let Ok(c) = r.peel_to_commit() {
            out.insert(name, c.id().to_string());
        }
    }
    Ok(out)
}

/// What to scan, given the tips an earlier run scanned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Plan {
    /// Every ref is where it was: nothing to scan.
    Unchanged,
    /// Only commits added since: scan what is reachable from the current tips
    /// but not from these (the earlier tips).
    Since(Vec<String>),
    /// Scan everything; the reason says why.
    Full(String),
}

/// Compares the earlier tips with the current ones.
pub fn plan(path: &Path, earlier: &Tips, now: &Tips) -> Plan {
    if earlier.is_empty() {
        return Plan::Full("no earlier scan recorded".into());
    }
    if earlier == now {
        return Plan::Unchanged;
    }
    let repo = match Repository::open_ext(path, git2::RepositoryOpenFlags::empty(), &[] as &[&str])
    {
        Ok(r) => r,
        Err(e) => return Plan::Full(format!("cannot open the repository: {e}")),
    };
    let now_ids: Vec<Oid> = now.values().filter_map(|s| Oid::from_str(s).ok()).collect();
    let mut hide = Vec::new();
    let mut reachable: Option<HashSet<Oid>> = None;
    for (name, old) in earlier {
        let Ok(old_id) = Oid::from_str(old) else {
            return Plan::Full(format!("{name}: unreadable commit id in the state file"));
        };
        if repo.find_commit(old_id).is_err() {
            return Plan::Full(format!(
                "{name}: the commit scanned last time ({}) is gone (history rewritten)",
                short(old)
            ));
        }
        match now.get(name) {
            Some(new) if new == old => {}
            Some(new) => {
                let descends = Oid::from_str(new)
                    .ok()
                    .is_some_and(|n| repo.graph_descendant_of(n, old_id).unwrap_or(false));
                if !descends {
                    return Plan::Full(format!(
                        "{name} was force-pushed ({} is not an ancestor of {})",
                        short(old),
                        short(new)
                    ));
                }
            }
            None => {
                // A deleted ref hides nothing if what it pointed at is still
                // reachable (a merged branch); otherwise its commits left history.
                let set = reachable.get_or_insert_with(|| ancestors(&repo, &now_ids));
                if !set.contains(&old_id) {
                    return Plan::Full(format!(
                        "{name} was deleted and {} is no longer reachable",
                        short(old)
                    ));
                }
            }
        }
        hide.push(old.clone());
    }
    hide.sort();
    hide.dedup();
    Plan::Since(hide)
}

/// Every commit reachable from `tips`.
fn ancestors(repo: &Repository, tips: &[Oid]) -> HashSet<Oid> {
    let mut set = HashSet::new();
    if let Ok(mut walk) = repo.revwalk() {
        for t in tips {
            let _ = walk.push(*t);
        }
        set.extend(walk.flatten());
    }
    set
}

/// Commits reachable from the current tips but not from `earlier`: the new ones.
pub fn count_new_commits(path: &Path, now: &Tips, earlier: &[String]) -> usize {
    let Ok(repo) = Repository::open_ext(path, git2::RepositoryOpenFlags::empty(), &[] as &[&str])
    else {
        return 0;
    };
    let Ok(mut walk) = repo.revwalk() else {
        return 0;
    };
    for t in now.values().filter_map(|s| Oid::from_str(s).ok()) {
        let _ = walk.push(t);
    }
    for t in earlier.iter().filter_map(|s| Oid::from_str(s).ok()) {
        let _ = walk.hide(t);
    }
    walk.flatten().count()
}

/// Objects in the repository's object database (packed and loose).
pub fn count_objects(path: &Path) -> u64 {
    let Ok(repo) = Repository::open_ext(path, git2::RepositoryOpenFlags::empty(), &[] as &[&str])
    else {
        return 0;
    };
    let Ok(odb) = repo.odb() else { return 0 };
    let mut n = 0u64;
    let _ = odb.foreach(|_| {
        n += 1;
        true
    });
    n
}

/// The file at `path` in HEAD's tree, if it is a blob of at most `max` bytes.
pub fn head_file(repo_path: &Path, path: &str, max: u64) -> Option<Vec<u8>> {
    let repo = Repository::open_ext(
        repo_path,
        git2::RepositoryOpenFlags::empty(),
        &[] as &[&str],
    )
    .ok()?;
    let tree = repo.head().ok()?.peel_to_tree().ok()?;
    let entry = tree.get_path(Path::new(path)).ok()?;
    let blob = repo.find_blob(entry.id()).ok()?;
    (blob.size() as u64 <= max).then(|| blob.content().to_vec())
}

fn short(id: &str) -> &str {
    &id[..id.len().min(12)]
}
