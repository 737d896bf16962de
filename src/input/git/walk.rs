//! The oldest-first commit walk that finds the commit and path at which each
//! target blob entered history, visiting each distinct tree and path once.
use super::provenance::{Intro, MAX_PATHS_PER_BLOB};
use super::repo_label;
use crate::input::tree_filter::{Entry, Node, TreeFilter};
use crate::outcome::{Notice, ScanOutcome};
use git2::{ObjectType, Oid, Repository, Sort};
use std::collections::{HashMap, HashSet};

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

/// Where a walk is in the tree graph: a tree the filter's pass read, or one read
/// through libgit2 (loose, or not decoded by the pass).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum At {
    Packed(u32),
    Loose(Oid),
}

/// A tree read through libgit2, reduced to the entries that may lead to targets.
#[derive(Default)]
struct LooseTree {
    blobs: Vec<(Box<[u8]>, u32)>,
    trees: Vec<(Box<[u8]>, Oid)>,
}

/// Directory paths as ids: each is its parent's id and an interned name, so a
/// path is stored once however many trees and commits it appears in.
#[derive(Default)]
struct Paths {
    names: HashMap<Box<[u8]>, u32>,
    name_list: Vec<Box<[u8]>>,
    /// By path id (0 is the root): parent and name.
    nodes: Vec<(u32, u32)>,
    ids: HashMap<(u32, u32), u32>,
}

const ROOT: u32 = 0;

impl Paths {
    fn child(&mut self, parent: u32, name: &[u8]) -> u32 {
        if self.nodes.is_empty() {
            self.nodes.push((ROOT, u32::MAX));
        }
        let name = match self.names.get(name) {
            Some(&n) => n,
            None => {
                let n = self.name_list.len() as u32;
                self.name_list.push(name.into());
                self.names.insert(name.into(), n);
                n
            }
        };
        let next = self.nodes.len() as u32;
        let id = *self.ids.entry((parent, name)).or_insert(next);
        if id == next {
            self.nodes.push((parent, name));
        }
        id
    }

    fn text(&self, mut id: u32) -> String {
        let mut parts = Vec::new();
        while id != ROOT {
            let (parent, name) = self.nodes[id as usize];
            parts.push(String::from_utf8_lossy(&self.name_list[name as usize]));
            id = parent;
        }
        parts.reverse();
        parts.join("/")
    }
}

/// Oldest-first commit walk that records where target blobs first appear. Each
/// (tree, path) pair is visited once in the whole walk: what is under it was
/// recorded the first time, so later commits that share it cost nothing. Trees
/// come from the filter's pass (no tree is read twice) or, for the few it did
/// not read, from libgit2. Memory: a few words per distinct tree and path on the
/// way to a target, whatever the history's size.
pub(super) struct HistoryWalk<'r> {
    repo: &'r Repository,
    /// The blobs to place, sorted: the filter refers to them by position.
    targets: Vec<Oid>,
    filter: TreeFilter,
    loose: HashMap<Oid, std::rc::Rc<LooseTree>>,
    missing: Vec<Oid>,
    paths: Paths,
    visited: HashSet<(At, u32)>,
    seen: HashSet<(u32, u32)>,
    /// Trees found inside themselves (only a forged object can be), and
    /// trees nested past [`MAX_TREE_DEPTH`]: not followed there.
    looped: Vec<Oid>,
    too_deep: Vec<Oid>,
    /// Objects known to be unreadable without harm (delta loops, which
    /// libgit2 would follow forever): treated as missing, never read.
    pub(super) damaged: HashSet<Oid>,
    pub(super) intros: HashMap<Oid, Vec<Intro>>,
}

impl<'r> HistoryWalk<'r> {
    /// A walk placing `targets` (sorted), with the filter built for them in that order.
    pub(super) fn new(repo: &'r Repository, targets: Vec<Oid>, filter: TreeFilter) -> Self {
        HistoryWalk {
            repo,
            targets,
            filter,
            loose: HashMap::new(),
            missing: Vec::new(),
            paths: Paths::default(),
            visited: HashSet::new(),
            looped: Vec::new(),
            too_deep: Vec::new(),
            damaged: HashSet::new(),
            seen: HashSet::new(),
            intros: HashMap::new(),
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
            self.place(tree, order, oid);
        }
        for t in std::mem::take(&mut self.missing) {
            notices.push(Notice::warning(
                format!("tree {t}"),
                "missing or damaged tree object: blobs under it were not placed in history".into(),
            ));
        }
        let deep = format!(
            "trees nested more than {MAX_TREE_DEPTH} deep: blobs below were not placed in history"
        );
        let odd = [
            (
                std::mem::take(&mut self.looped),
                "tree contains itself (a forged object): not followed into itself".to_string(),
            ),
            (std::mem::take(&mut self.too_deep), deep),
        ];
        for (mut trees, why) in odd {
            trees.sort_unstable();
            trees.dedup();
            for t in trees {
                notices.push(Notice::warning(format!("tree {t}"), why.clone()));
            }
        }
        complete
    }

    fn at(&self, tree: Oid) -> Option<At> {
        match self.filter.node(tree.as_bytes()) {
            Node::Empty => None,
            Node::Packed(id) => Some(At::Packed(id)),
            Node::Unknown => Some(At::Loose(tree)),
        }
    }

    /// Records the target blobs under commit `commit`'s tree that this walk has
    /// not seen at their path yet.
    fn place(&mut self, tree: Oid, order: usize, commit: Oid) {
        for (index, path) in self.reach(tree) {
            if self.seen.insert((index, path)) {
                let list = self.intros.entry(self.targets[index as usize]).or_default();
                if list.len() < MAX_PATHS_PER_BLOB {
                    list.push(Intro {
                        order,
                        commit: Some(commit),
                        path: self.paths.text(path),
                    });
                }
            }
        }
    }

    /// The target blobs (by index, with their path ids) under `tree` at (tree,
    /// path) pairs this walk has not visited yet. Depth first, with the trees
    /// being read kept open: a tree found inside itself is not followed again,
    /// and nothing deeper than [`MAX_TREE_DEPTH`] is followed.
    fn reach(&mut self, tree: Oid) -> Vec<(u32, u32)> {
        enum Step {
            Enter(At, u32, usize),
            Leave(At),
        }
        let mut stack: Vec<Step> = (self.at(tree).map(|a| Step::Enter(a, ROOT, 0)))
            .into_iter()
            .collect();
        let mut open: HashSet<At> = HashSet::new();
        let mut blobs: Vec<(u32, u32)> = Vec::new();
        while let Some(step) = stack.pop() {
            let (at, path, depth) = match step {
                Step::Leave(at) => {
                    open.remove(&at);
                    continue;
                }
                Step::Enter(at, path, depth) => (at, path, depth),
            };
            if open.contains(&at) {
                self.looped.push(self.oid_of(at));
                continue;
            }
            if depth >= MAX_TREE_DEPTH {
                self.too_deep.push(self.oid_of(at));
                continue;
            }
            if !self.visited.insert((at, path)) {
                continue;
            }
            open.insert(at);
            stack.push(Step::Leave(at));
            let mut enter = |a: At, name: &[u8], paths: &mut Paths| {
                stack.push(Step::Enter(a, paths.child(path, name), depth + 1));
            };
            match at {
                At::Packed(id) => {
                    for e in self.filter.entries(id) {
                        match e {
                            Entry::Blob { name, index } => {
                                blobs.push((index, self.paths.child(path, name)))
                            }
                            Entry::Tree { name, id } => {
                                enter(At::Packed(id), name, &mut self.paths)
                            }
                            Entry::Other { name, oid } => {
                                let oid = Oid::from_bytes(&oid).expect("20-byte object id");
                                if let Some(a) = self.at(oid) {
                                    enter(a, name, &mut self.paths);
                                }
                            }
                        }
                    }
                }
                At::Loose(oid) => {
                    let t = self.read_loose(oid);
                    for (name, index) in &t.blobs {
                        blobs.push((*index, self.paths.child(path, name)));
                    }
                    for (name, sub) in &t.trees {
                        if let Some(a) = self.at(*sub) {
                            enter(a, name, &mut self.paths);
                        }
                    }
                }
            }
        }
        blobs
    }

    /// The object id of a tree the walk is at (for notices).
    fn oid_of(&self, at: At) -> Oid {
        match at {
            At::Packed(id) => {
                Oid::from_bytes(&self.filter.tree_oid(id)).expect("20-byte object id")
            }
            At::Loose(oid) => oid,
        }
    }

    /// Places the target blobs that a ref names directly (at the ref's name), or
    /// that are under a tree a ref names (at `ref:path`), after all commits.
    pub(super) fn place_refs(&mut self, refs: &[(String, Oid, bool)]) {
        for (name, oid, tree) in refs {
            let blobs: Vec<(Oid, String)> = if *tree {
                (self.reach(*oid).into_iter())
                    .map(|(i, p)| {
                        (
                            self.targets[i as usize],
                            format!("{name}:{}", self.paths.text(p)),
                        )
                    })
                    .collect()
            } else if self.targets.binary_search(oid).is_ok() {
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

    /// A tree the filter did not read, through libgit2 (read once; never a
    /// damaged one).
    fn read_loose(&mut self, oid: Oid) -> std::rc::Rc<LooseTree> {
        if let Some(t) = self.loose.get(&oid) {
            return t.clone();
        }
        let mut tree = LooseTree::default();
        let read = if self.damaged.contains(&oid) {
            Err(git2::Error::from_str("damaged"))
        } else {
            self.repo.find_tree(oid)
        };
        match read {
            Ok(t) => {
                for e in t.iter() {
                    match e.kind() {
                        Some(ObjectType::Blob) => {
                            if let Ok(i) = self.targets.binary_search(&e.id()) {
                                tree.blobs.push((e.name_bytes().into(), i as u32));
                            }
                        }
                        Some(ObjectType::Tree) => tree.trees.push((e.name_bytes().into(), e.id())),
                        // Submodules (commits) are not followed.
                        _ => {}
                    }
                }
            }
            Err(_) => self.missing.push(oid),
        }
        let tree = std::rc::Rc::new(tree);
        self.loose.insert(oid, tree.clone());
        tree
    }

    /// The target blobs anywhere under `tree`.
    pub(super) fn blobs_under(&mut self, tree: Oid) -> HashSet<Oid> {
        let mut out = HashSet::new();
        let mut seen = HashSet::new();
        let mut stack: Vec<At> = self.at(tree).into_iter().collect();
        while let Some(at) = stack.pop() {
            if !seen.insert(at) {
                continue;
            }
            match at {
                At::Packed(id) => {
                    for e in self.filter.entries(id) {
                        match e {
                            Entry::Blob { index, .. } => {
                                out.insert(self.targets[index as usize]);
                            }
                            Entry::Tree { id, .. } => stack.push(At::Packed(id)),
                            Entry::Other { oid, .. } => {
                                let oid = Oid::from_bytes(&oid).expect("20-byte object id");
                                stack.extend(self.at(oid));
                            }
                        }
                    }
                }
                At::Loose(oid) => {
                    let t = self.read_loose(oid);
                    out.extend(t.blobs.iter().map(|(_, i)| self.targets[*i as usize]));
                    stack.extend(t.trees.iter().filter_map(|(_, sub)| self.at(*sub)));
                }
            }
        }
        out
    }
}
