//! Entry points for the fuzz targets in `fuzz/`: the crate-private parsers of
//! git's binary formats, one function each. Hidden and unstable: not an API.
//! (The decoders, content decoding, archives and rule and config files are
//! public already and are fuzzed through their own functions.)
use crate::input::{cache_tree, pack, tree_filter::TreeFilter};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// A SHA-1 object id as raw bytes.
pub type RawOid = pack::RawOid;

/// A pack entry header: (type, inflated size, header length), or None.
pub fn pack_entry_header(b: &[u8]) -> Option<(u8, u64, usize)> {
    pack::parse_header(b).map(|(kind, size, len, _)| (kind, size, len))
}

/// `base` with a git delta applied, or None if the delta is malformed.
pub fn apply_delta(base: &[u8], delta: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    pack::apply_delta(base, delta, &mut out).then_some(out)
}

/// The (id, offset) pairs of a version-2 pack index, or None.
pub fn pack_index(data: &[u8]) -> Option<Vec<(RawOid, u64)>> {
    let mut out = Vec::new();
    pack::read_index(data, |oid, off| out.push((oid, off))).then_some(out)
}

/// One object a pass read.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Read {
    Commit,
    Other,
    Blob(Vec<u8>),
    LargeBlob(u64),
    Tree(Vec<u8>),
}

/// What one pass over a pack produced, sorted.
#[derive(Debug, PartialEq, Eq)]
pub struct PassResult {
    pub found: Vec<(RawOid, Read)>,
    pub missed: Vec<RawOid>,
    pub looped: Vec<RawOid>,
    /// The reader's progress count.
    pub counted: u64,
}

/// A pack opened from `<stem>.idx` and `<stem>.pack`.
pub struct Pack(pack::Pack);

impl Pack {
    pub fn open(idx: &Path) -> Option<Pack> {
        pack::Pack::open(idx).map(Pack)
    }

    /// Writes `idx` and `pack` to a directory of this process's own (in
    /// memory where `/dev/shm` exists) and opens them, as a repository would.
    pub fn open_bytes(idx: &[u8], pack: &[u8]) -> Option<Pack> {
        let shm = Path::new("/dev/shm");
        let base = if shm.is_dir() {
            shm.to_path_buf()
        } else {
            std::env::temp_dir()
        };
        let dir = base.join(format!("pkscan-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).ok()?;
        std::fs::write(dir.join("p.pack"), pack).ok()?;
        std::fs::write(dir.join("p.idx"), idx).ok()?;
        Pack::open(&dir.join("p.idx"))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.len() == 0
    }

    /// The ids of the pack's trees (deltas included).
    pub fn tree_ids(&self) -> Vec<RawOid> {
        self.0.tree_ids()
    }

    /// One pass with one worker: blobs up to `max` bytes (`None`: trees only),
    /// holding at most `budget` bytes of delta ancestors (None: the default).
    pub fn read(&self, max: Option<u64>, budget: Option<usize>) -> PassResult {
        let pass = max.map_or(pack::Pass::Trees, |max| pack::Pass::Blobs { max });
        let done = AtomicU64::new(0);
        let budget = budget.unwrap_or(pack::ANCESTOR_BUDGET);
        let r = self
            .0
            .read_within(1, pass, budget, &done, |_: &mut (), _, obj| {
                Some(match obj {
                    pack::Object::Commit => Read::Commit,
                    pack::Object::Other => Read::Other,
                    pack::Object::Blob(b) => Read::Blob(b.to_vec()),
                    pack::Object::LargeBlob(n) => Read::LargeBlob(n),
                    pack::Object::Tree(t) => Read::Tree(t.to_vec()),
                })
            });
        let (mut found, mut missed, mut looped) = (r.found, r.missed, r.looped);
        found.sort();
        missed.sort();
        looped.sort();
        PassResult {
            found,
            missed,
            looped,
            counted: done.load(Ordering::Relaxed),
        }
    }
}

/// A git index file: (entries, cache-tree directories), or None when the
/// parser leaves it to libgit2.
pub fn index_file(data: &[u8]) -> Option<(usize, Option<usize>)> {
    // Counted without recursion: the tree may be deep.
    let nodes = |root: &cache_tree::CacheNode| {
        let (mut n, mut stack) = (0, vec![root]);
        while let Some(c) = stack.pop() {
            n += 1;
            stack.extend(&c.children);
        }
        n
    };
    let f = cache_tree::parse_index(data)?;
    Some((f.entries.len(), f.tree.as_ref().map(nodes)))
}

/// The tree filter over `trees` (id, raw entries) for `blobs`: whether each
/// of `probe` may hold one of them.
pub fn tree_filter(trees: &[(RawOid, &[u8])], blobs: &[RawOid], probe: &[RawOid]) -> Vec<bool> {
    let f = TreeFilter::from_trees(trees, blobs);
    probe.iter().map(|t| f.may_hold(t)).collect()
}
