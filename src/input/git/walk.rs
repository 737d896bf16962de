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
            seen: HashSet::new(),
            intros: HashMap::new(),
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
            self.place(tree, order, oid);
        }
        for t in std::mem::take(&mut self.missing) {
            notices.push(Notice::warning(
                format!("tree {t}"),
                "missing or damaged tree object: blobs under it were not placed in history".into(),
            ));
        }
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
        let mut stack: Vec<(At, u32)> = self.at(tree).map(|a| (a, ROOT)).into_iter().collect();
        let mut blobs: Vec<(u32, u32)> = Vec::new();
        while let Some((at, path)) = stack.pop() {
            if !self.visited.insert((at, path)) {
                continue;
            }
            match at {
                At::Packed(id) => {
                    for e in self.filter.entries(id) {
                        match e {
                            Entry::Blob { name, index } => {
                                blobs.push((index, self.paths.child(path, name)))
                            }
                            Entry::Tree { name, id } => {
                                stack.push((At::Packed(id), self.paths.child(path, name)))
                            }
                            Entry::Other { name, oid } => {
                                let oid = Oid::from_bytes(&oid).expect("20-byte object id");
                                if let Some(a) = self.at(oid) {
                                    stack.push((a, self.paths.child(path, name)));
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
                            stack.push((a, self.paths.child(path, name)));
                        }
                    }
                }
            }
        }
        for (index, path) in blobs {
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

    /// A tree the filter did not read, through libgit2 (read once).
    fn read_loose(&mut self, oid: Oid) -> std::rc::Rc<LooseTree> {
        if let Some(t) = self.loose.get(&oid) {
            return t.clone();
        }
        let mut tree = LooseTree::default();
        match self.repo.find_tree(oid) {
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
