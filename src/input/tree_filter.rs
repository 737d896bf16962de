//! Which trees can hold a given set of blobs, worked out from one pass over every
//! packed tree, so that placing a few blobs in a long history reads only the
//! trees on their paths instead of every tree of every commit.
//!
//! Trees are keyed by the first 8 bytes of their id. A shared key, a tree the
//! pass did not see (loose, in another object directory) or a tree that does not
//! parse all count as "may hold", so the filter only ever skips trees that
//! certainly hold none of the blobs.
use super::pack::{self, Pack, RawOid};
use std::collections::HashSet;
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

/// What one tree holds directly: a wanted blob, and its subtrees by dense id
/// (`UNKNOWN` for a tree no pack holds).
struct Summary {
    direct: bool,
    subtrees: Box<[u32]>,
}

const UNKNOWN: u32 = u32::MAX;

/// Every packed tree, by key, with a dense id (its position here).
struct TreeIds {
    keys: Vec<u64>,
    /// The other 12 bytes of each key's id: a tree the pass did not see may
    /// share a seen tree's key (two ids with one 8-byte prefix can be made on
    /// purpose), and must then count as unknown, not as the seen tree.
    rest: Vec<[u8; 12]>,
    /// Where keys with each top-16-bit value start (a fan-out table, as in a
    /// pack index), so a lookup searches a handful of keys.
    fanout: Vec<u32>,
    /// Keys that more than one distinct tree has: never trusted.
    shared: HashSet<u64, IdBuild>,
}

impl TreeIds {
    fn new(packs: &[Pack]) -> TreeIds {
        TreeIds::of(packs.iter().flat_map(Pack::tree_ids).collect())
    }

    fn of(mut all: Vec<RawOid>) -> TreeIds {
        all.sort_unstable_by(|a, b| key(a).cmp(&key(b)).then(a.cmp(b)));
        all.dedup();
        let mut shared = HashSet::default();
        for w in all.windows(2) {
            if key(&w[0]) == key(&w[1]) {
                shared.insert(key(&w[0]));
            }
        }
        all.dedup_by_key(|o| key(o));
        let keys: Vec<u64> = all.iter().map(|o| key(o)).collect();
        let rest = all
            .iter()
            .map(|o| o[8..].try_into().expect("object ids are 20 bytes"))
            .collect();
        let mut fanout = vec![0u32; (1 << 16) + 1];
        for k in &keys {
            fanout[(k >> 48) as usize + 1] += 1;
        }
        for i in 0..1 << 16 {
            fanout[i + 1] += fanout[i];
        }
        TreeIds {
            keys,
            rest,
            fanout,
            shared,
        }
    }

    fn id(&self, oid: &[u8]) -> u32 {
        let k = key(oid);
        let top = (k >> 48) as usize;
        let (lo, hi) = (self.fanout[top] as usize, self.fanout[top + 1] as usize);
        match self.keys[lo..hi].binary_search(&k) {
            Ok(i)
                if self.rest[lo + i] == oid[8..20]
                    && (self.shared.is_empty() || !self.shared.contains(&k)) =>
            {
                (lo + i) as u32
            }
            _ => UNKNOWN,
        }
    }
}

/// Trees known to hold none of the wanted blobs anywhere below them.
pub struct TreeFilter {
    ids: TreeIds,
    /// By dense id: may the tree hold a wanted blob?
    verdict: Vec<bool>,
}

impl TreeFilter {
    /// Reads every tree of the given packs once (in parallel) and decides, for
    /// each, whether any of `blobs` can be below it.
    pub fn build(packs: &[Pack], threads: usize, blobs: &[RawOid]) -> TreeFilter {
        let wanted: HashSet<RawOid, IdBuild> = blobs.iter().copied().collect();
        let ids = TreeIds::new(packs);
        let done = AtomicU64::new(0);
        let found = packs.iter().flat_map(|p| {
            p.read(
                threads,
                pack::Pass::Trees,
                &done,
                |_: &mut (), _, obj| match obj {
                    pack::Object::Tree(data) => summarize(data, &wanted, &ids),
                    _ => None,
                },
            )
            .found
        });
        let verdict = verdicts(&ids, found);
        TreeFilter { ids, verdict }
    }

    /// The filter for trees given as (id, raw entries), as [`TreeFilter::build`]
    /// reads them from packs; the fuzz targets' way in.
    pub(crate) fn from_trees(trees: &[(RawOid, &[u8])], blobs: &[RawOid]) -> TreeFilter {
        let wanted: HashSet<RawOid, IdBuild> = blobs.iter().copied().collect();
        let ids = TreeIds::of(trees.iter().map(|t| t.0).collect());
        let found = trees
            .iter()
            .map(|(oid, data)| (*oid, summarize(data, &wanted, &ids)));
        let verdict = verdicts(&ids, found);
        TreeFilter { ids, verdict }
    }

    /// False only if the tree certainly holds none of the blobs.
    pub fn may_hold(&self, tree: &[u8]) -> bool {
        match self.ids.id(tree) {
            UNKNOWN => true,
            id => self.verdict[id as usize],
        }
    }
}

/// Places each tree's summary by dense id, then decides them all.
fn verdicts(ids: &TreeIds, found: impl Iterator<Item = (RawOid, Option<Summary>)>) -> Vec<bool> {
    let mut summaries: Vec<Option<Summary>> = Vec::new();
    summaries.resize_with(ids.keys.len(), || None);
    for (oid, summary) in found {
        let id = ids.id(&oid);
        if id != UNKNOWN {
            summaries[id as usize] = summary;
        }
    }
    decide(&summaries)
}

/// Parses raw tree entries (`<mode> <name>\0<20-byte id>`); None if they do
/// not parse (such a tree may hold anything).
fn summarize(mut data: &[u8], wanted: &HashSet<RawOid, IdBuild>, ids: &TreeIds) -> Option<Summary> {
    let mut subtrees = Vec::new();
    while !data.is_empty() {
        let sp = memchr::memchr(b' ', data)?;
        let nul = sp + memchr::memchr(0, &data[sp..])?;
        let id: RawOid = data.get(nul + 1..nul + 21)?.try_into().ok()?;
        match &data[..sp] {
            b"40000" | b"040000" => subtrees.push(ids.id(&id)),
            // Submodules are commits in another repository: not followed.
            b"160000" => {}
            _ if wanted.contains(&id) => {
                return Some(Summary {
                    direct: true,
                    subtrees: Box::new([]),
                })
            }
            _ => {}
        }
        data = &data[nul + 21..];
    }
    Some(Summary {
        direct: false,
        subtrees: subtrees.into_boxed_slice(),
    })
}

/// For each tree: may a wanted blob be below it? Depth-first with an explicit
/// stack (paths can be deep). A tree that was not read or did not parse, an
/// unknown subtree, or a cycle (only possible through a shared key) counts as
/// "may".
fn decide(trees: &[Option<Summary>]) -> Vec<bool> {
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
            let verdict = match &trees[n] {
                None => Some(MAY),
                Some(s) if s.direct => Some(MAY),
                Some(s) => match s.subtrees.get(e) {
                    None => Some(NO),
                    Some(&UNKNOWN) => Some(MAY),
                    Some(&c) => match state[c as usize] {
                        UNSEEN => {
                            state[c as usize] = OPEN;
                            stack.push((c as usize, 0));
                            continue;
                        }
                        NO => {
                            stack.last_mut().unwrap().1 += 1;
                            None
                        }
                        _ => Some(MAY),
                    },
                },
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

    fn summary(direct: bool, subtrees: &[u32]) -> Option<Summary> {
        Some(Summary {
            direct,
            subtrees: subtrees.into(),
        })
    }

    #[test]
    fn tree_entries_are_summarized() {
        let wanted: HashSet<RawOid, IdBuild> = [[7u8; 20]].into_iter().collect();
        let ids = TreeIds::of(vec![[2; 20], [3; 20]]);
        let tree = [
            entry("100644", "a.js", 1),
            entry("40000", "src", 2),
            entry("40000", "lib", 9),
            entry("160000", "vendor", 7),
        ]
        .concat();
        let s = summarize(&tree, &wanted, &ids).unwrap();
        assert!(!s.direct, "a submodule commit is not a wanted blob");
        assert_eq!(&*s.subtrees, &[0, UNKNOWN]);
        let tree = [entry("100755", "run.sh", 7), entry("40000", "src", 2)].concat();
        assert!(summarize(&tree, &wanted, &ids).unwrap().direct);
        // Truncated: may hold anything.
        let tree = [entry("100644", "a.js", 1), entry("40000", "src", 2)].concat();
        assert!(summarize(&tree, &wanted, &ids).is_some());
        assert!(summarize(&tree[..tree.len() - 3], &wanted, &ids).is_none());
    }

    #[test]
    fn verdicts_follow_subtrees_and_stay_conservative() {
        // 0 -> 1 -> 2 (holds a wanted blob); 3 -> 4 (holds none); 5 -> 4 and an
        // unknown tree; 6 <-> 7 (a cycle, only possible through a shared key);
        // 8 was not read.
        let trees = vec![
            summary(false, &[1]),
            summary(false, &[2]),
            summary(true, &[]),
            summary(false, &[4]),
            summary(false, &[]),
            summary(false, &[4, UNKNOWN]),
            summary(false, &[7]),
            summary(false, &[6]),
            None,
            summary(false, &[8]),
        ];
        assert_eq!(
            decide(&trees),
            vec![true, true, true, false, false, true, true, true, true, true]
        );
    }

    #[test]
    fn shared_keys_are_unknown() {
        let mut also_3 = [3; 20];
        also_3[19] = 9;
        let ids = TreeIds::of(vec![[2; 20], [3; 20], also_3, [2; 20]]);
        assert_eq!(ids.id(&[2; 20]), 0);
        assert_eq!(ids.id(&[3; 20]), UNKNOWN);
        assert_eq!(ids.id(&also_3), UNKNOWN);
        assert_eq!(ids.id(&[4; 20]), UNKNOWN);
    }

    /// Found by the `tree_filter` fuzz target: a subtree the pass never saw,
    /// whose id shares its first 8 bytes with a tree it did see, was taken
    /// for that tree, and a tree above it was skipped.
    #[test]
    fn an_unseen_tree_sharing_a_seen_trees_key_may_hold_anything() {
        let seen = [5u8; 20];
        let mut unseen = seen;
        unseen[12] ^= 0xff;
        let root = [6u8; 20];
        let mut root_tree = b"40000 sub\0".to_vec();
        root_tree.extend_from_slice(&unseen);
        let seen_tree = entry("100644", "a.txt", 1);
        let f = TreeFilter::from_trees(&[(root, &root_tree), (seen, &seen_tree)], &[[7; 20]]);
        assert!(!f.may_hold(&seen), "the seen tree holds only a.txt");
        assert!(f.may_hold(&root), "its subtree was never read");
        assert!(f.may_hold(&unseen));
    }
}
