//! The oldest-first commit walk that finds the commit and path at which each
//! target blob entered history, reading each distinct tree once.
use super::provenance::{Intro, MAX_PATHS_PER_BLOB};
use super::repo_label;
use crate::input::tree_filter::TreeFilter;
use crate::outcome::{Notice, ScanOutcome};
use git2::{ObjectType, Oid, Repository, Sort};
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

/// The commits a history walk starts from: every ref (branches, tags, remotes,
/// notes, stash and its older entries), HEAD, and with `extra` every commit in
/// the object database.
pub(super) fn walk_roots(
    repo: &Repository,
    extra: Option<&[Oid]>,
    out: &mut ScanOutcome,
) -> Vec<Oid> {
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

/// Target blobs inside one tree, with their paths relative to it.
type TreeBlobs = Rc<Vec<(Oid, Rc<str>)>>;

/// Oldest-first commit walk that records where target blobs first appear.
pub(super) struct HistoryWalk<'r> {
    repo: &'r Repository,
    targets: HashSet<Oid>,
    memo: HashMap<Oid, TreeBlobs>,
    missing: Vec<Oid>,
    seen: HashSet<(Oid, Rc<str>)>,
    pub(super) intros: HashMap<Oid, Vec<Intro>>,
    /// Skips trees that certainly hold no target (see `tree_filter`).
    pub(super) filter: Option<TreeFilter>,
    empty: TreeBlobs,
}

impl<'r> HistoryWalk<'r> {
    pub(super) fn new<V>(repo: &'r Repository, targets: &HashMap<Oid, V>) -> Self {
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

    pub(super) fn run(&mut self, roots: &[Oid], notices: &mut Vec<Notice>) {
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
    pub(super) fn blobs_in(&mut self, tree: Oid) -> TreeBlobs {
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
