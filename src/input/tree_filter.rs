//! Which trees can hold a given set of blobs, and through which entries, worked
//! out from one pass over every packed tree, so that placing a few blobs in a
//! long history reads no tree twice and only the trees on their paths.
//!
//! Trees are keyed by the first 8 bytes of their id. A shared key, a tree the
//! pass did not see (loose, in another object directory) or a tree that does not
//! parse all count as "may hold, read it yourself", so the filter only ever skips
//! trees that certainly hold none of the blobs. What is kept of a tree that may
//! hold one is only the entries leading to them: the wanted blobs it holds and
//! the subtrees that may hold one, with their names.
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

/// What one tree holds directly: its entries' names back to back, the wanted
/// blobs (name range, index in the wanted list), its subtrees by dense id, and
/// the subtrees no pack holds by object id.
struct Summary {
    names: Box<[u8]>,
    blobs: Box<[(Name, u32)]>,
    subtrees: Box<[(Name, u32)]>,
    others: Box<[(Name, RawOid)]>,
}

/// A name's range in [`Summary::names`].
type Name = (u32, u32);

impl Summary {
    fn direct(&self) -> bool {
        !self.blobs.is_empty()
    }

    fn name(&self, n: Name) -> &[u8] {
        &self.names[n.0 as usize..n.1 as usize]
    }

    /// Only what leads to wanted blobs: subtrees that `keep` says may hold one.
    fn pruned(&self, keep: impl Fn(u32) -> bool) -> Summary {
        let mut names = Vec::new();
        let mut name = |n: Name| {
            let start = names.len() as u32;
            names.extend_from_slice(self.name(n));
            (start, names.len() as u32)
        };
        let blobs = self.blobs.iter().map(|&(n, b)| (name(n), b)).collect();
        let subtrees = (self.subtrees.iter())
            .filter(|&&(_, id)| keep(id))
            .map(|&(n, id)| (name(n), id))
            .collect();
        let others = self.others.iter().map(|&(n, o)| (name(n), o)).collect();
        Summary {
            names: names.into(),
            blobs,
            subtrees,
            others,
        }
    }
}

/// An entry on the way to wanted blobs (see [`TreeFilter::entries`]).
pub enum Entry<'a> {
    /// A wanted blob: its index in the list the filter was built for.
    Blob { name: &'a [u8], index: u32 },
    /// A packed subtree that may hold one.
    Tree { name: &'a [u8], id: u32 },
    /// A subtree the packs do not hold: read it another way.
    Other { name: &'a [u8], oid: RawOid },
}

/// What the filter knows of a tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Node {
    /// Holds none of the blobs.
    Empty,
    /// Packed and read: its entries on the way to them are known.
    Packed(u32),
    /// Not read by the pass (or ambiguous): read it another way.
    Unknown,
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

/// Trees known to hold none of the wanted blobs anywhere below them, and the
/// entries of the others that lead to them.
pub struct TreeFilter {
    ids: TreeIds,
    /// By dense id: may the tree hold a wanted blob?
    verdict: Vec<bool>,
    /// By dense id: what leads to wanted blobs (None: not read, or certainly none).
    summaries: Vec<Option<Summary>>,
}

impl TreeFilter {
    /// Reads every tree of the given packs once (in parallel) and decides, for
    /// each, whether any of `blobs` can be below it.
    pub fn build(packs: &[Pack], threads: usize, blobs: &[RawOid]) -> TreeFilter {
        let wanted = wanted_index(blobs);
        let ids = TreeIds::new(packs);
        let done = AtomicU64::new(0);
        let mut summaries: Vec<Option<Summary>> = Vec::new();
        summaries.resize_with(ids.keys.len(), || None);
        for p in packs {
            let read = p.read(
                threads,
                pack::Pass::Trees,
                &done,
                |_: &mut (), _, obj| match obj {
                    pack::Object::Tree(data) => summarize(data, &wanted, &ids),
                    _ => None,
                },
            );
            place(&ids, &mut summaries, read.found);
        }
        TreeFilter::decided(ids, summaries)
    }

    /// The filter for trees given as (id, raw entries), as [`TreeFilter::build`]
    /// reads them from packs; the fuzz targets' way in.
    pub(crate) fn from_trees(trees: &[(RawOid, &[u8])], blobs: &[RawOid]) -> TreeFilter {
        let wanted = wanted_index(blobs);
        let ids = TreeIds::of(trees.iter().map(|t| t.0).collect());
        let mut summaries: Vec<Option<Summary>> = Vec::new();
        summaries.resize_with(ids.keys.len(), || None);
        let found = trees
            .iter()
            .map(|(oid, data)| (*oid, summarize(data, &wanted, &ids)));
        place(&ids, &mut summaries, found);
        TreeFilter::decided(ids, summaries)
    }

    /// Decides every tree from the summaries, keeping only what leads to wanted blobs.
    fn decided(ids: TreeIds, mut summaries: Vec<Option<Summary>>) -> TreeFilter {
        let verdict = decide(&summaries);
        let complete = complete(&summaries, &verdict);
        for (i, s) in summaries.iter_mut().enumerate() {
            *s = match s.take() {
                Some(sum) if complete[i] => Some(sum.pruned(|id| verdict[id as usize])),
                _ => None,
            };
        }
        TreeFilter {
            ids,
            verdict,
            summaries,
        }
    }

    /// False only if the tree certainly holds none of the blobs.
    pub fn may_hold(&self, tree: &[u8]) -> bool {
        self.node(tree) != Node::Empty
    }

    /// The object id of packed tree `id`.
    pub fn tree_oid(&self, id: u32) -> RawOid {
        let mut oid = [0u8; 20];
        oid[..8].copy_from_slice(&self.ids.keys[id as usize].to_le_bytes());
        oid[8..].copy_from_slice(&self.ids.rest[id as usize]);
        oid
    }

    /// What the filter knows of the tree with this id.
    pub fn node(&self, tree: &[u8]) -> Node {
        match self.ids.id(tree) {
            UNKNOWN => Node::Unknown,
            id => self.node_of(id),
        }
    }

    fn node_of(&self, id: u32) -> Node {
        match (self.verdict[id as usize], &self.summaries[id as usize]) {
            (false, _) => Node::Empty,
            (true, Some(_)) => Node::Packed(id),
            (true, None) => Node::Unknown,
        }
    }

    /// The entries of packed tree `id` that lead to wanted blobs.
    pub fn entries(&self, id: u32) -> impl Iterator<Item = Entry<'_>> {
        let s = self.summaries[id as usize].as_ref();
        let blobs = s.into_iter().flat_map(move |s| {
            (s.blobs.iter()).map(move |&(n, index)| Entry::Blob {
                name: s.name(n),
                index,
            })
        });
        // Complete trees' subtrees are complete (see `complete`).
        let trees = s.into_iter().flat_map(move |s| {
            (s.subtrees.iter()).map(move |&(n, id)| Entry::Tree {
                name: s.name(n),
                id,
            })
        });
        let others = s.into_iter().flat_map(move |s| {
            (s.others.iter()).map(move |&(n, oid)| Entry::Other {
                name: s.name(n),
                oid,
            })
        });
        blobs.chain(trees).chain(others)
    }
}

/// The wanted blobs by id, with their positions in the list.
fn wanted_index(blobs: &[RawOid]) -> HashMap<RawOid, u32, IdBuild> {
    (blobs.iter().enumerate())
        .map(|(i, b)| (*b, i as u32))
        .collect()
}

/// Puts each tree's summary at its dense id (trees the ids do not know are left out).
fn place(
    ids: &TreeIds,
    summaries: &mut [Option<Summary>],
    found: impl IntoIterator<Item = (RawOid, Option<Summary>)>,
) {
    for (oid, summary) in found {
        let id = ids.id(&oid);
        if id != UNKNOWN {
            summaries[id as usize] = summary;
        }
    }
}

/// Parses raw tree entries (`<mode> <name>\0<20-byte id>`); None if they do
/// not parse (such a tree may hold anything).
fn summarize(
    mut data: &[u8],
    wanted: &HashMap<RawOid, u32, IdBuild>,
    ids: &TreeIds,
) -> Option<Summary> {
    let mut names = Vec::new();
    let (mut blobs, mut subtrees, mut others) = (Vec::new(), Vec::new(), Vec::new());
    while !data.is_empty() {
        let sp = memchr::memchr(b' ', data)?;
        let nul = sp + memchr::memchr(0, &data[sp..])?;
        let id: RawOid = data.get(nul + 1..nul + 21)?.try_into().ok()?;
        let mut name = || {
            let start = names.len() as u32;
            names.extend_from_slice(&data[sp + 1..nul]);
            (start, names.len() as u32)
        };
        match &data[..sp] {
            b"40000" | b"040000" => match ids.id(&id) {
                UNKNOWN => others.push((name(), id)),
                dense => subtrees.push((name(), dense)),
            },
            // Submodules are commits in another repository: not followed.
            b"160000" => {}
            _ => {
                if let Some(&i) = wanted.get(&id) {
                    blobs.push((name(), i));
                }
            }
        }
        data = &data[nul + 21..];
    }
    Some(Summary {
        names: names.into(),
        blobs: blobs.into(),
        subtrees: subtrees.into(),
        others: others.into(),
    })
}

/// For each tree: may a wanted blob be below it? Depth-first with an explicit
/// stack (paths can be deep). A tree that was not read or did not parse, a
/// subtree no pack holds, or a cycle (only possible through a shared key)
/// counts as "may".
fn decide(trees: &[Option<Summary>]) -> Vec<bool> {
    walk_up(trees, |s, _| {
        if s.direct() || !s.others.is_empty() {
            Some(true)
        } else {
            None
        }
    })
    .into_iter()
    .map(|v| v != NO)
    .collect()
}

/// For each tree that may hold a wanted blob: is everything on the way to them
/// known from the pass (its summary, and those of every subtree that may hold
/// one)? The others are read another way, by id, from their parents down.
fn complete(trees: &[Option<Summary>], may: &[bool]) -> Vec<bool> {
    let v = walk_up(trees, |_, id| (!may[id]).then_some(false));
    v.into_iter().zip(may).map(|(v, &m)| m && v == NO).collect()
}

const UNSEEN: u8 = 0;
const OPEN: u8 = 1;
const NO: u8 = 2;
const YES: u8 = 3;

/// Depth-first over the subtree graph: a tree is NO when `own` does not decide
/// it (None) and every subtree is NO; YES when `own` says true, it was not read,
/// a subtree is YES, or a cycle closes. `own(summary, id)` returning
/// `Some(false)` makes a tree NO without looking below it.
fn walk_up(trees: &[Option<Summary>], own: impl Fn(&Summary, usize) -> Option<bool>) -> Vec<u8> {
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
                None => Some(YES),
                Some(s) => match (e, own(s, n)) {
                    (0, Some(true)) => Some(YES),
                    (0, Some(false)) => Some(NO),
                    _ => match s.subtrees.get(e) {
                        None => Some(NO),
                        Some(&(_, c)) => match state[c as usize] {
                            UNSEEN => {
                                state[c as usize] = OPEN;
                                stack.push((c as usize, 0));
                                continue;
                            }
                            NO => {
                                stack.last_mut().unwrap().1 += 1;
                                None
                            }
                            _ => Some(YES),
                        },
                    },
                },
            };
            if let Some(v) = verdict {
                state[n] = v;
                stack.pop();
            }
        }
    }
    state
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
        let known = subtrees.iter().filter(|&&s| s != UNKNOWN);
        Some(Summary {
            names: Box::new([]),
            blobs: if direct {
                Box::new([((0, 0), 0)])
            } else {
                Box::new([])
            },
            subtrees: known.map(|&s| ((0, 0), s)).collect(),
            others: (subtrees.iter())
                .filter(|&&s| s == UNKNOWN)
                .map(|_| ((0, 0), [9; 20]))
                .collect(),
        })
    }

    #[test]
    fn tree_entries_are_summarized() {
        let wanted: HashMap<RawOid, u32, IdBuild> = [([7u8; 20], 0)].into_iter().collect();
        let ids = TreeIds::of(vec![[2; 20], [3; 20]]);
        let tree = [
            entry("100644", "a.js", 1),
            entry("40000", "src", 2),
            entry("40000", "lib", 9),
            entry("160000", "vendor", 7),
        ]
        .concat();
        let s = summarize(&tree, &wanted, &ids).unwrap();
        assert!(!s.direct(), "a submodule commit is not a wanted blob");
        let subtrees: Vec<(&[u8], u32)> = s.subtrees.iter().map(|&(n, i)| (s.name(n), i)).collect();
        assert_eq!(subtrees, [(b"src".as_slice(), 0)]);
        let others: Vec<(&[u8], RawOid)> = s.others.iter().map(|&(n, o)| (s.name(n), o)).collect();
        assert_eq!(others, [(b"lib".as_slice(), [9; 20])]);
        let tree = [entry("100755", "run.sh", 7), entry("40000", "src", 2)].concat();
        let s = summarize(&tree, &wanted, &ids).unwrap();
        assert!(s.direct());
        assert_eq!(s.name(s.blobs[0].0), b"run.sh");
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
        let may = decide(&trees);
        assert_eq!(
            may,
            vec![true, true, true, false, false, true, true, true, true, true]
        );
        // Known all the way down: 0, 1, 2, and 5 (its unpacked subtree is read
        // by id); 6 and 7 are a cycle, 8 was not read and 9 is above it.
        assert_eq!(
            complete(&trees, &may),
            vec![true, true, true, false, false, true, false, false, false, false]
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
