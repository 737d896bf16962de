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
    damaged: &HashSet<Oid>,
    out: &mut ScanOutcome,
) -> Vec<Oid> {
    // Peeling reads the object: one libgit2 cannot read safely is never peeled.
    let safe = |r: &git2::Reference<'_>| !r.target().is_some_and(|t| damaged.contains(&t));
    let mut roots = Vec::new();
    match repo.references() {
        Ok(refs) => {
            for r in refs.flatten().filter(safe) {
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
    if let Some(c) = repo
        .head()
        .ok()
        .filter(safe)
        .and_then(|h| h.peel_to_commit().ok())
    {
        roots.push(c.id());
    }
    if let Ok(log) = repo.reflog("refs/stash") {
        roots.extend(log.iter().map(|e| e.id_new()));
    }
    if let Some(extra) = extra {
        roots.extend(extra.iter().filter(|c| !damaged.contains(c)));
    }
    roots.sort_unstable();
    roots.dedup();
    roots
}

/// Refs that name a blob or a tree rather than a commit (`git update-ref` and
/// tags allow it): their objects are in history as much as any commit's.
pub(super) fn object_refs(repo: &Repository, damaged: &HashSet<Oid>) -> Vec<(String, Oid, bool)> {
    let Ok(refs) = repo.references() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for r in refs.flatten() {
        if r.target().is_some_and(|t| damaged.contains(&t)) {
            continue;
        }
        let Ok(obj) = r.peel(ObjectType::Any) else {
            continue;
        };
        let tree = match obj.kind() {
            Some(ObjectType::Blob) => false,
            Some(ObjectType::Tree) => true,
            _ => continue,
        };
        let name = String::from_utf8_lossy(r.name_bytes()).into_owned();
        out.push((name, obj.id(), tree));
    }
    out.sort();
    out
}

/// Trees nested deeper than this are not followed (git's own `core.maxTreeDepth`
/// default): the walk recurses, and a crafted history must not exhaust the stack.
const MAX_TREE_DEPTH: usize = 4096;

/// Target blobs inside one tree, with their paths relative to it.
type TreeBlobs = Rc<Vec<(Oid, Rc<str>)>>;

/// Oldest-first commit walk that records where target blobs first appear.
pub(super) struct HistoryWalk<'r> {
    repo: &'r Repository,
    targets: HashSet<Oid>,
    memo: HashMap<Oid, TreeBlobs>,
    missing: Vec<Oid>,
    /// Trees being read, outermost first: the path from the commit's root.
    open: Vec<Oid>,
    /// Trees found inside themselves (only a forged object can be), and
    /// trees nested past [`MAX_TREE_DEPTH`]: not followed there.
    looped: Vec<Oid>,
    too_deep: Vec<Oid>,
    /// Objects known to be unreadable without harm (delta loops, which
    /// libgit2 would follow forever): treated as missing, never read.
    pub(super) damaged: HashSet<Oid>,
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
            open: Vec::new(),
            looped: Vec::new(),
            too_deep: Vec::new(),
            damaged: HashSet::new(),
            seen: HashSet::new(),
            intros: HashMap::new(),
            filter: None,
            empty: TreeBlobs::default(),
        }
    }

    /// Walks history from `roots`; false if it stopped early (a commit that
    /// cannot be parsed), so that blobs it did not place are not taken for
    /// unreachable ones.
    pub(super) fn run(&mut self, roots: &[Oid], notices: &mut Vec<Notice>) -> bool {
        let mut complete = true;
        let mut walk = match self.repo.revwalk() {
            Ok(w) => w,
            Err(e) => {
                notices.push(Notice::warning(
                    repo_label(self.repo),
                    format!("cannot walk history: {e}"),
                ));
                return false;
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
                    complete = false;
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
        self.looped.sort_unstable();
        self.looped.dedup();
        for t in std::mem::take(&mut self.looped) {
            notices.push(Notice::warning(
                format!("tree {t}"),
                "tree contains itself (a forged object): not followed into itself".into(),
            ));
        }
        self.too_deep.sort_unstable();
        self.too_deep.dedup();
        for t in std::mem::take(&mut self.too_deep) {
            notices.push(Notice::warning(
                format!("tree {t}"),
                format!("trees nested more than {MAX_TREE_DEPTH} deep: blobs below were not placed in history"),
            ));
        }
        complete
    }

    /// Places the target blobs that a ref names directly (at the ref's name), or
    /// that are under a tree a ref names (at `ref:path`), after all commits.
    pub(super) fn place_refs(&mut self, refs: &[(String, Oid, bool)]) {
        for (name, oid, tree) in refs {
            let blobs: Vec<(Oid, String)> = if *tree {
                self.blobs_in(*oid)
                    .iter()
                    .map(|(b, p)| (*b, format!("{name}:{p}")))
                    .collect()
            } else if self.targets.contains(oid) {
                vec![(*oid, name.clone())]
            } else {
                Vec::new()
            };
            for (blob, path) in blobs {
                let list = self.intros.entry(blob).or_default();
                if list.is_empty() {
                    list.push(Intro {
                        order: usize::MAX,
                        commit: None,
                        path,
                    });
                }
            }
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
        if self.damaged.contains(&tree) {
            self.missing.push(tree);
            return self.empty.clone();
        }
        if self.open.contains(&tree) {
            self.looped.push(tree);
            return self.empty.clone();
        }
        if self.open.len() >= MAX_TREE_DEPTH {
            self.too_deep.push(tree);
            return self.empty.clone();
        }
        self.open.push(tree);
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
        self.open.pop();
        let v: TreeBlobs = Rc::new(found);
        self.memo.insert(tree, v.clone());
        v
    }
}
