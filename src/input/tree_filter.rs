//! Which trees can hold a given set of blobs, worked out from one pass over every
//! packed tree, so that placing a few blobs in a long history reads only the
//! trees on their paths instead of every tree of every commit.
//!
//! Trees are keyed by the first 8 bytes of their id. A shared key, a tree the
//! pass did not see (loose, in another object directory) or a tree that does not
//! parse all count as "may hold", so the filter only ever skips trees that
//! certainly hold none of the blobs.
use super::pack::{self, Pack, RawOid};
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::atomic::AtomicU64;

/// Hashes object ids (already uniformly random) by taking 8 of their bytes.
#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut b = [0u8; 8];
        let n = bytes.len().min(8);
        b[..n].copy_from_slice(&bytes[..n]);
        self.0 ^= u64::from_le_bytes(b);
    }
    fn write_u64(&mut self, n: u64) {
        self.0 ^= n;
    }
    fn write_usize(&mut self, _: usize) {}
}

type IdBuild = BuildHasherDefault<IdHasher>;

fn key(oid: &[u8]) -> u64 {
    u64::from_le_bytes(oid[..8].try_into().expect("object ids are 20 bytes"))
}

/// What one tree holds directly: a wanted blob, and its subtrees by key.
struct Summary {
    direct: bool,
    subtrees: Box<[u64]>,
}

/// Trees known to hold none of the wanted blobs anywhere below them.
pub struct TreeFilter {
    /// true: may hold one; false: certainly holds none.
    verdict: HashMap<u64, bool, IdBuild>,
}

impl TreeFilter {
    /// Reads every tree of the given packs once (in parallel) and decides, for
    /// each, whether any of `blobs` can be below it.
    pub fn build(packs: &[Pack], threads: usize, blobs: &[RawOid]) -> TreeFilter {
        let wanted: HashSet<RawOid, IdBuild> = blobs.iter().copied().collect();
        let done = AtomicU64::new(0);
        let mut trees: Vec<(RawOid, Summary)> = Vec::new();
        for p in packs {
            let read = p.read(
                threads,
                pack::Pass::Trees,
                &done,
                |_: &mut (), _, obj| match obj {
                    pack::Object::Tree(data) => summarize(data, &wanted),
                    _ => Summary {
                        direct: true,
                        subtrees: Box::new([]),
                    },
                },
            );
            trees.extend(read.found);
        }
        let mut index: HashMap<u64, usize, IdBuild> = HashMap::default();
        let mut shared: HashSet<u64, IdBuild> = HashSet::default();
        for (i, (oid, _)) in trees.iter().enumerate() {
            if let Some(&j) = index.get(&key(oid)) {
                if trees[j].0 != *oid {
                    shared.insert(key(oid));
                }
                continue;
            }
            index.insert(key(oid), i);
        }
        let verdicts = decide(&trees, &index, &shared);
        drop(trees);
        let mut verdict: HashMap<u64, bool, IdBuild> = HashMap::default();
        verdict.reserve(index.len());
        for (&k, &i) in &index {
            verdict.insert(k, verdicts[i] || shared.contains(&k));
        }
        TreeFilter { verdict }
    }

    /// False only if the tree certainly holds none of the blobs.
    pub fn may_hold(&self, tree: &[u8]) -> bool {
        self.verdict.get(&key(tree)).copied().unwrap_or(true)
    }
}

/// Parses raw tree entries (`<mode> <name>\0<20-byte id>`). A tree that does not
/// parse may hold anything.
fn summarize(mut data: &[u8], wanted: &HashSet<RawOid, IdBuild>) -> Summary {
    let unknown = Summary {
        direct: true,
        subtrees: Box::new([]),
    };
    let mut subtrees = Vec::new();
    while !data.is_empty() {
        let Some(sp) = memchr::memchr(b' ', data) else {
            return unknown;
        };
        let mode = &data[..sp];
        let Some(nul) = memchr::memchr(0, &data[sp..]).map(|n| sp + n) else {
            return unknown;
        };
        let Some(id) = data.get(nul + 1..nul + 21) else {
            return unknown;
        };
        let id: RawOid = id.try_into().expect("20 bytes");
        match mode {
            b"40000" | b"040000" => subtrees.push(key(&id)),
            // Submodules are commits in another repository: not followed.
            b"160000" => {}
            _ if wanted.contains(&id) => {
                return Summary {
                    direct: true,
                    subtrees: Box::new([]),
                }
            }
            _ => {}
        }
        data = &data[nul + 21..];
    }
    Summary {
        direct: false,
        subtrees: subtrees.into_boxed_slice(),
    }
}

/// For each tree: may a wanted blob be below it? Depth-first with an explicit
/// stack (paths can be deep); an unknown subtree, or a cycle (only possible
/// through a shared key), counts as "may".
fn decide(
    trees: &[(RawOid, Summary)],
    index: &HashMap<u64, usize, IdBuild>,
    shared: &HashSet<u64, IdBuild>,
) -> Vec<bool> {
    const UNSEEN: u8 = 0;
    const OPEN: u8 = 1;
    const NO: u8 = 2;
    const MAY: u8 = 3;
    let mut state = vec![UNSEEN; trees.len()];
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for start in 0..trees.len() {
        if state[start] != UNSEEN {
            continue;
        }
        state[start] = OPEN;
        stack.push((start, 0));
        while let Some(&(n, e)) = stack.last() {
            let s = &trees[n].1;
            let verdict = if s.direct {
                Some(MAY)
            } else if let Some(&sub) = s.subtrees.get(e) {
                match index.get(&sub) {
                    Some(&c) if shared.is_empty() || !shared.contains(&sub) => match state[c] {
                        UNSEEN => {
                            state[c] = OPEN;
                            stack.push((c, 0));
                            continue;
                        }
                        NO => {
                            stack.last_mut().unwrap().1 += 1;
                            None
                        }
                        _ => Some(MAY),
                    },
                    _ => Some(MAY),
                }
            } else {
                Some(NO)
            };
            if let Some(v) = verdict {
                state[n] = v;
                stack.pop();
            }
        }
    }
    state.into_iter().map(|s| s != NO).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(mode: &str, name: &str, id: u8) -> Vec<u8> {
        let mut v = format!("{mode} {name}\0").into_bytes();
        v.extend_from_slice(&[id; 20]);
        v
    }

    fn summary(direct: bool, subtrees: &[u8]) -> Summary {
        Summary {
            direct,
            subtrees: subtrees.iter().map(|&b| key(&[b; 20])).collect(),
        }
    }

    #[test]
    fn tree_entries_are_summarized() {
        let wanted: HashSet<RawOid, IdBuild> = [[7u8; 20]].into_iter().collect();
        let tree = [
            entry("100644", "a.js", 1),
            entry("40000", "src", 2),
            entry("160000", "vendor", 7),
        ]
        .concat();
        let s = summarize(&tree, &wanted);
        assert!(!s.direct, "a submodule commit is not a wanted blob");
        assert_eq!(&*s.subtrees, &[key(&[2; 20])]);
        let tree = [entry("100755", "run.sh", 7), entry("40000", "src", 2)].concat();
        assert!(summarize(&tree, &wanted).direct);
        // Truncated: may hold anything.
        assert!(summarize(&tree[..tree.len() - 3], &wanted).direct);
    }

    #[test]
    fn verdicts_follow_subtrees_and_stay_conservative() {
        // 1 -> 2 -> 3 (holds a wanted blob); 4 -> 5 (holds none); 6 -> unknown 9;
        // 7 <-> 8 (a cycle, only possible through a shared key).
        let trees: Vec<(RawOid, Summary)> = vec![
            ([1; 20], summary(false, &[2])),
            ([2; 20], summary(false, &[3])),
            ([3; 20], summary(true, &[])),
            ([4; 20], summary(false, &[5])),
            ([5; 20], summary(false, &[])),
            ([6; 20], summary(false, &[5, 9])),
            ([7; 20], summary(false, &[8])),
            ([8; 20], summary(false, &[7])),
        ];
        let index: HashMap<u64, usize, IdBuild> = trees
            .iter()
            .enumerate()
            .map(|(i, (o, _))| (key(o), i))
            .collect();
        let v = decide(&trees, &index, &HashSet::default());
        assert_eq!(v, vec![true, true, true, false, false, true, true, true]);
        // A shared key is never trusted.
        let shared: HashSet<u64, IdBuild> = [key(&[5; 20])].into_iter().collect();
        let v = decide(&trees, &index, &shared);
        assert!(v[3], "4's only subtree has a shared key");
    }
}
