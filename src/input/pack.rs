//! Direct pack-file reading for history scans: every pack entry is inflated once
//! and delta chains are resolved base-first, so no object is rebuilt twice.
//!
//! libgit2 reads objects one at a time; its delta-base cache holds 16 MiB and no
//! object over 1 MiB, so versions of a large file stored as deltas re-inflate their
//! base for every version. Here each delta tree (a full object and everything
//! stored as a delta against it, transitively) is walked depth-first by one worker,
//! which keeps only the current chain in memory. Trees, commits and tags are never
//! inflated: a delta's type is its base's type, known from the base's header.
//!
//! Only SHA-1 packs with a version-2 index are read. Anything else, or any entry
//! that does not decode cleanly, is simply not returned, and the caller reads those
//! objects through libgit2, which reports real damage.
//!
//! Memory does not grow with the pack: the file is mapped, but the mapped pages
//! read are released (`madvise`) every [`RELEASE_EVERY`] bytes, as git bounds its
//! pack windows (`core.packedGitWindowSize`); each object costs 52 bytes of tables
//! (a 24-byte entry, its 20-byte id, 4 bytes of object-id order and 4 of delta
//! children), and a pass keeps only the results its callback returns.
use flate2::{Decompress, FlushDecompress, Status};
use std::path::Path;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;

/// A SHA-1 object id as raw bytes: compared and sorted without calls into libgit2.
pub type RawOid = [u8; 20];

/// One object as handed to the reader's callback.
#[derive(Debug)]
pub enum Object<'a> {
    Commit,
    /// A tree or a tag.
    Other,
    Blob(&'a [u8]),
    /// A blob over the size limit, not handed out (its size in bytes).
    LargeBlob(u64),
    /// A tree's raw entries (only in a [`Pass::Trees`] pass).
    Tree(&'a [u8]),
}

/// What one pass over a pack reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pass<'a> {
    /// Every object; blobs up to `max` bytes with their content, everything
    /// else by type alone.
    Blobs { max: u64 },
    /// Trees only, with their content.
    Trees,
    /// Only the blobs of a [`Selection`], with their content.
    Selected(&'a Selection),
}

/// Some blobs of a pack (see [`Pack::select`]): what a pass must inflate to
/// rebuild them, and nothing else.
#[derive(Debug, PartialEq, Eq)]
pub struct Selection {
    /// Per entry: `SKIP`, `ON_PATH` (an ancestor of a selected blob) or `WANTED`.
    marks: Vec<u8>,
    /// Selected ids this pack does not hold.
    pub absent: Vec<RawOid>,
}

const SKIP: u8 = 0;
const ON_PATH: u8 = 1;
const WANTED: u8 = 2;

/// Compressed bytes read from a pack's map before its pages are released again;
/// a small object counts as the 64 KiB a page fault maps around it.
pub const RELEASE_EVERY: u64 = 32 << 20;

const COMMIT: u8 = 1;
const TREE: u8 = 2;
const BLOB: u8 = 3;
const TAG: u8 = 4;
const OFS_DELTA: u8 = 6;
const REF_DELTA: u8 = 7;

/// A parsed pack entry header (24 bytes: entries are in offset order, so an
/// entry ends where the next one's header starts).
#[derive(Clone, Copy, Debug)]
struct Entry {
    /// Where the zlib stream starts.
    data: u64,
    /// Inflated size: the object's size, or for a delta the delta's size.
    size: u64,
    /// For deltas: the base's entry index (`NONE` when it is not in this pack).
    base: u32,
    kind: u8,
    /// Length of the entry's header, before `data`.
    header: u8,
}

const NONE: u32 = u32::MAX;

/// Calls `f(oid, offset)` for every object of a version-2 pack index (SHA-1).
/// Returns false if the index is not in that format or is truncated.
pub fn read_index(data: &[u8], mut f: impl FnMut(RawOid, u64)) -> bool {
    let be32 = |at: usize| -> Option<u32> {
        Some(u32::from_be_bytes(data.get(at..at + 4)?.try_into().ok()?))
    };
    if data.get(..8) != Some(b"\xfftOc\x00\x00\x00\x02".as_slice()) {
        return false;
    }
    let Some(n) = be32(8 + 255 * 4).map(|n| n as usize) else {
        return false;
    };
    let names = 8 + 256 * 4;
    let offsets = names + n * 20 + n * 4;
    let large = offsets + n * 4;
    // Then 8-byte large offsets and two SHA-1 checksums; any other length is
    // another format (a SHA-256 index, say) or a damaged file.
    if data.len() < large + 40 || (data.len() - large - 40) % 8 != 0 {
        return false;
    }
    for i in 0..n {
        let oid: RawOid = data[names + i * 20..names + i * 20 + 20]
            .try_into()
            .unwrap();
        let Some(off) = be32(offsets + i * 4) else {
            return false;
        };
        let off = if off & 0x8000_0000 != 0 {
            let at = large + (off & 0x7fff_ffff) as usize * 8;
            match data.get(at..at + 8) {
                Some(b) => u64::from_be_bytes(b.try_into().unwrap()),
                None => return false,
            }
        } else {
            u64::from(off)
        };
        f(oid, off);
    }
    true
}

/// What one pass over a pack produced.
pub struct PackRead<R> {
    /// The objects read, with the callback's results, in no particular order.
    pub found: Vec<(RawOid, R)>,
    /// Objects of the kinds the pass reads that did not decode (or whose delta
    /// base is not in this pack), for the caller to read another way.
    pub missed: Vec<RawOid>,
    /// Deltas whose chain of bases loops back on itself (git never writes
    /// one; a forged pack can). Not in `missed`: libgit2 would follow the loop
    /// forever, so the caller must report these as damaged without reading them.
    pub looped: Vec<RawOid>,
}

/// A pack file mapped in memory with its parsed entries.
pub struct Pack {
    map: memmap2::Mmap,
    /// Where the last entry ends (the trailing checksum follows).
    body_end: u64,
    oids: Vec<RawOid>,
    entries: Vec<Entry>,
    /// Entry indexes in object-id order.
    by_oid: Vec<u32>,
    /// Delta children of each entry, as ranges into `child_list`.
    child_start: Vec<u32>,
    child_list: Vec<u32>,
    /// Bytes read from the map since its pages were last released.
    touched: AtomicU64,
}

impl Pack {
    /// Reads the objects `pass` asks for with `threads` workers, calling `f`
    /// once per object with the worker's own state; `done` counts them.
    pub fn read<W, R, F>(&self, threads: usize, pass: Pass, done: &AtomicU64, f: F) -> PackRead<R>
    where
        W: Default,
        R: Send,
        F: Fn(&mut W, &RawOid, Object<'_>) -> R + Sync,
    {
        self.read_within(threads, pass, ANCESTOR_BUDGET, done, |w: &mut W, o, obj| {
            Some(f(w, o, obj))
        })
    }

    /// Like [`Pack::read`], keeping only the results `f` returns: a pass over
    /// every object of a large repository then holds only what matters.
    pub fn read_some<W, R, F>(
        &self,
        threads: usize,
        pass: Pass,
        done: &AtomicU64,
        f: F,
    ) -> PackRead<R>
    where
        W: Default,
        R: Send,
        F: Fn(&mut W, &RawOid, Object<'_>) -> Option<R> + Sync,
    {
        self.read_within(threads, pass, ANCESTOR_BUDGET, done, f)
    }

    /// [`Pack::read_some`] holding at most `budget` bytes of ancestors per worker.
    pub(crate) fn read_within<W, R, F>(
        &self,
        threads: usize,
        pass: Pass,
        budget: usize,
        done: &AtomicU64,
        f: F,
    ) -> PackRead<R>
    where
        W: Default,
        R: Send,
        F: Fn(&mut W, &RawOid, Object<'_>) -> Option<R> + Sync,
    {
        let mut roots = self.roots();
        if let Pass::Selected(sel) = pass {
            roots.retain(|&r| sel.marks[r as usize] != SKIP);
        }
        let next = AtomicUsize::new(0);
        let out: Mutex<Vec<(RawOid, R)>> = Mutex::new(Vec::new());
        // Which entries were read, one bit each.
        let read: Vec<AtomicU64> = (0..self.entries.len().div_ceil(64))
            .map(|_| AtomicU64::new(0))
            .collect();
        let threads = threads.clamp(1, roots.len().max(1));
        std::thread::scope(|s| {
            for _ in 0..threads {
                s.spawn(|| {
                    let mut w = Worker {
                        pack: self,
                        state: W::default(),
                        zlib: Decompress::new(true),
                        pool: Vec::new(),
                        found: Vec::new(),
                        read: &read,
                        budget,
                    };
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(&root) = roots.get(i) else { break };
                        let n = w.tree(root, pass, &f);
                        done.fetch_add(n, Ordering::Relaxed);
                    }
                    out.lock().unwrap().append(&mut w.found);
                });
            }
        });
        let found = out.into_inner().unwrap();
        let was_read = |n: usize| read[n / 64].load(Ordering::Relaxed) & (1 << (n % 64)) != 0;
        // Deltas are of unknown kind until resolved: a missed one may be any.
        let looped = self.looped();
        let (looped, missed): (Vec<usize>, Vec<usize>) = (0..self.entries.len())
            .filter(|&n| !was_read(n))
            .filter(|&n| match pass {
                Pass::Blobs { .. } => true,
                Pass::Trees => matches!(self.entries[n].kind, TREE | OFS_DELTA | REF_DELTA),
                Pass::Selected(sel) => sel.marks[n] == WANTED,
            })
            .partition(|&n| looped[n]);
        let ids = |v: Vec<usize>| v.into_iter().map(|n| self.oids[n]).collect();
        PackRead {
            found,
            missed: ids(missed),
            looped: ids(looped),
        }
    }

    /// Objects in the pack.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// The entry of an object id, if the pack holds it.
    fn find(&self, oid: &RawOid) -> Option<u32> {
        self.by_oid
            .binary_search_by(|&i| self.oids[i as usize].cmp(oid))
            .ok()
            .map(|i| self.by_oid[i])
    }

    /// Whether the pack holds an object.
    pub fn contains(&self, oid: &RawOid) -> bool {
        self.find(oid).is_some()
    }

    /// The blobs among `oids` for a [`Pass::Selected`]: each, and the delta
    /// bases it is rebuilt from.
    pub fn select(&self, oids: &[RawOid]) -> Selection {
        let mut marks = vec![SKIP; self.entries.len()];
        let mut absent = Vec::new();
        for oid in oids {
            let Some(n) = self.find(oid) else {
                absent.push(*oid);
                continue;
            };
            marks[n as usize] = WANTED;
            let mut b = self.entries[n as usize].base;
            while b != NONE && marks[b as usize] == SKIP {
                marks[b as usize] = ON_PATH;
                b = self.entries[b as usize].base;
            }
        }
        Selection { marks, absent }
    }

    /// Where entry `n`'s zlib stream ends.
    fn end(&self, n: usize) -> usize {
        let end = match self.entries.get(n + 1) {
            Some(next) => next.data - u64::from(next.header),
            None => self.body_end,
        };
        end as usize
    }

    /// Accounts for `len` bytes read from the map, releasing its pages once
    /// [`RELEASE_EVERY`] have been read since the last release.
    fn touch(&self, len: usize) {
        let len = len.max(64 << 10) as u64;
        if self.touched.fetch_add(len, Ordering::Relaxed) + len >= RELEASE_EVERY {
            self.touched.store(0, Ordering::Relaxed);
            self.release();
        }
    }

    /// Drops the map's pages from this process (they stay in the page cache and
    /// fault back in if read again).
    fn release(&self) {
        // SAFETY: the map is a read-only view of a file: dropping its pages loses
        // nothing, and a later read maps them again.
        let _ = unsafe {
            self.map
                .unchecked_advise(memmap2::UncheckedAdvice::DontNeed)
        };
    }

    /// Opens the pack `<stem>.pack` of the index `<stem>.idx`; None if either is
    /// unreadable or not in a format this reader knows.
    pub fn open(idx_path: &Path) -> Option<Pack> {
        let idx = std::fs::read(idx_path).ok()?;
        let mut by_offset: Vec<(u64, RawOid)> = Vec::new();
        if !read_index(&idx, |oid, off| by_offset.push((off, oid))) {
            return None;
        }
        let file = std::fs::File::open(idx_path.with_extension("pack")).ok()?;
        // SAFETY: git never rewrites a pack file in place; new packs are written
        // under a temporary name and renamed. A concurrent `git gc` may delete it,
        // which leaves the mapping valid on Unix.
        let map = unsafe { memmap2::Mmap::map(&file) }.ok()?;
        let count = by_offset.len();
        if map.len() < 32
            || &map[..4] != b"PACK"
            || !matches!(u32::from_be_bytes(map[4..8].try_into().ok()?), 2 | 3)
            || u32::from_be_bytes(map[8..12].try_into().ok()?) as usize != count
        {
            return None;
        }
        by_offset.sort_unstable_by_key(|(off, _)| *off);
        let body_end = map.len() - 20;
        let mut oid_order: Vec<u32> = (0..count as u32).collect();
        let mut entries = Vec::with_capacity(count);
        let mut oids = Vec::with_capacity(count);
        let mut base_ref: Vec<(usize, Result<Option<u64>, RawOid>)> = Vec::new();
        let mut kept_from = 0;
        for (i, &(off, oid)) in by_offset.iter().enumerate() {
            let end = by_offset.get(i + 1).map_or(body_end as u64, |n| n.0);
            let (off, end) = (usize::try_from(off).ok()?, usize::try_from(end).ok()?);
            if off < 12 || end > body_end || off >= end {
                return None;
            }
            // Headers are read in file order: pages behind are not needed again.
            if off - kept_from >= RELEASE_EVERY as usize {
                // SAFETY: as in `release`: a read-only view of a file.
                let _ = unsafe {
                    map.unchecked_advise_range(
                        memmap2::UncheckedAdvice::DontNeed,
                        kept_from,
                        off - kept_from,
                    )
                };
                kept_from = off;
            }
            let (kind, size, data, base) = parse_header(&map[off..end])?;
            if let Some(b) = base {
                // A distance past the start of the pack names no entry.
                base_ref.push((i, b.map(|rel| (off as u64).checked_sub(rel))));
            }
            entries.push(Entry {
                data: (off + data) as u64,
                size,
                base: NONE,
                kind,
                header: u8::try_from(data).ok()?,
            });
            oids.push(oid);
        }
        oid_order.sort_unstable_by(|&a, &b| oids[a as usize].cmp(&oids[b as usize]));
        // Resolve delta bases to entry indexes.
        let by_oid: std::collections::HashMap<RawOid, u32> =
            if base_ref.iter().any(|(_, b)| b.is_err()) {
                oids.iter()
                    .enumerate()
                    .map(|(i, o)| (*o, i as u32))
                    .collect()
            } else {
                Default::default()
            };
        for (i, b) in base_ref {
            let base = match b {
                Ok(Some(off)) => by_offset
                    .binary_search_by_key(&off, |(o, _)| *o)
                    .ok()
                    .map(|j| j as u32),
                Ok(None) => None,
                Err(oid) => by_oid.get(&oid).copied(),
            };
            entries[i].base = base.unwrap_or(NONE);
        }
        // Children lists (CSR layout: one allocation however many entries).
        let mut child_start = vec![0u32; count + 1];
        for e in &entries {
            if e.base != NONE {
                child_start[e.base as usize + 1] += 1;
            }
        }
        for i in 0..count {
            child_start[i + 1] += child_start[i];
        }
        let mut fill = child_start.clone();
        let mut child_list = vec![0u32; child_start[count] as usize];
        for (i, e) in entries.iter().enumerate() {
            if e.base != NONE {
                let at = &mut fill[e.base as usize];
                child_list[*at as usize] = i as u32;
                *at += 1;
            }
        }
        let pack = Pack {
            map,
            body_end: body_end as u64,
            oids,
            entries,
            by_oid: oid_order,
            child_start,
            child_list,
            touched: AtomicU64::new(0),
        };
        // Parsing the headers mapped pages all over the file.
        pack.release();
        Some(pack)
    }

    /// For each entry: does its chain of delta bases loop (rather than end at
    /// a full entry or at a base outside the pack)? One pass, each entry
    /// visited once, whatever the chains look like.
    fn looped(&self) -> Vec<bool> {
        const NEW: u8 = 0;
        const ON_PATH: u8 = 1;
        const ENDS: u8 = 2;
        const LOOPS: u8 = 3;
        let mut state = vec![NEW; self.entries.len()];
        let mut path = Vec::new();
        for start in 0..self.entries.len() {
            let mut at = start;
            let verdict = loop {
                match state[at] {
                    NEW => {}
                    ON_PATH => break LOOPS,
                    done => break done,
                }
                state[at] = ON_PATH;
                path.push(at);
                match self.entries[at].base {
                    NONE => break ENDS,
                    b => at = b as usize,
                }
            };
            for n in path.drain(..) {
                state[n] = verdict;
            }
        }
        state.into_iter().map(|s| s == LOOPS).collect()
    }

    fn children(&self, i: u32) -> &[u32] {
        let i = i as usize;
        &self.child_list[self.child_start[i] as usize..self.child_start[i + 1] as usize]
    }

    /// The ids of every tree in the pack (a delta's type is its base's).
    pub fn tree_ids(&self) -> Vec<RawOid> {
        let mut out = Vec::new();
        let mut stack = Vec::new();
        for (i, e) in self.entries.iter().enumerate() {
            if e.kind != TREE {
                continue;
            }
            stack.push(i as u32);
            while let Some(n) = stack.pop() {
                out.push(self.oids[n as usize]);
                stack.extend_from_slice(self.children(n));
            }
        }
        out
    }

    /// Full (non-delta) entries, heaviest delta tree first so that one long tree
    /// does not run alone at the end. Deltas whose base is missing, and entries
    /// in a delta cycle, are in no tree and are never read here.
    fn roots(&self) -> Vec<u32> {
        let mut roots: Vec<(u64, u32)> = Vec::new();
        let mut stack = Vec::new();
        for (i, e) in self.entries.iter().enumerate() {
            if is_delta(e.kind) {
                continue;
            }
            let mut weight = 0u64;
            stack.push(i as u32);
            while let Some(n) = stack.pop() {
                weight += self.entries[n as usize].size.max(1);
                stack.extend_from_slice(self.children(n));
            }
            roots.push((weight, i as u32));
        }
        roots.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        roots.into_iter().map(|(_, i)| i).collect()
    }
}

fn is_delta(kind: u8) -> bool {
    kind == OFS_DELTA || kind == REF_DELTA
}

/// Decodes git's "offset" varint (pack offset deltas, index v4 path prefixes):
/// big-endian 7-bit groups, each continuation adding one. None if truncated or
/// over 64 bits.
pub fn offset_varint(b: &[u8], p: &mut usize) -> Option<u64> {
    let mut c = *b.get(*p)?;
    *p += 1;
    let mut v = u64::from(c & 0x7f);
    while c & 0x80 != 0 {
        c = *b.get(*p)?;
        *p += 1;
        v = v.checked_add(1)?.checked_mul(128)? | u64::from(c & 0x7f);
    }
    Some(v)
}

/// Parses an entry header: type, inflated size, header length, and for deltas
/// the base (`Ok(distance back)` for offset deltas, `Err(oid)` for ref deltas).
#[allow(clippy::type_complexity)]
pub(crate) fn parse_header(b: &[u8]) -> Option<(u8, u64, usize, Option<Result<u64, RawOid>>)> {
    let mut p = 0;
    let mut c = *b.first()?;
    p += 1;
    let kind = (c >> 4) & 7;
    let mut size = u64::from(c & 15);
    let mut shift = 4;
    while c & 0x80 != 0 {
        c = *b.get(p)?;
        p += 1;
        if shift > 57 {
            return None;
        }
        size |= u64::from(c & 0x7f) << shift;
        shift += 7;
    }
    let base = match kind {
        COMMIT | TREE | BLOB | TAG => None,
        OFS_DELTA => Some(Ok(offset_varint(b, &mut p)?)),
        REF_DELTA => {
            let oid: RawOid = b.get(p..p + 20)?.try_into().ok()?;
            p += 20;
            Some(Err(oid))
        }
        _ => return None,
    };
    Some((kind, size, p, base))
}

/// Bytes of ancestor objects a worker keeps while walking down a delta tree.
pub(crate) const ANCESTOR_BUDGET: usize = 16 << 20;

/// One object on the path a worker is walking down.
struct Frame {
    node: u32,
    /// None once evicted; rebuilt from its bases if it is needed again.
    content: Option<Vec<u8>>,
    next: usize,
}

/// One reading thread: its callback state, inflater, buffers and results.
struct Worker<'p, W, R> {
    pack: &'p Pack,
    state: W,
    zlib: Decompress,
    /// Spare buffers, so that each object does not fault in fresh pages.
    pool: Vec<Vec<u8>>,
    found: Vec<(RawOid, R)>,
    /// One bit per entry: handed to the callback.
    read: &'p [AtomicU64],
    budget: usize,
}

impl<W, R> Worker<'_, W, R> {
    /// Reads the delta tree under `root`, depth-first, one chain in memory;
    /// returns the number of objects handed to `f`.
    fn tree<F>(&mut self, root: u32, pass: Pass, f: &F) -> u64
    where
        F: Fn(&mut W, &RawOid, Object<'_>) -> Option<R>,
    {
        let pack = self.pack;
        let kind = pack.entries[root as usize].kind;
        let wanted = match pass {
            Pass::Blobs { .. } | Pass::Selected(_) => kind == BLOB,
            Pass::Trees => kind == TREE,
        };
        let mut handed = 0;
        if !wanted {
            if let Pass::Blobs { .. } = pass {
                // The whole delta tree has the root's type: no need to inflate.
                let obj = || match kind {
                    COMMIT => Object::Commit,
                    _ => Object::Other,
                };
                let mut stack = vec![root];
                while let Some(n) = stack.pop() {
                    self.hand(n, obj(), f);
                    handed += 1;
                    stack.extend_from_slice(pack.children(n));
                }
            }
            return handed;
        }
        let e = pack.entries[root as usize];
        let too_large = matches!(pass, Pass::Blobs { max } if e.size > max);
        if too_large && pack.children(root).is_empty() {
            self.hand(root, Object::LargeBlob(e.size), f);
            return 1;
        }
        // A selected pass skips what no selected blob is rebuilt from.
        let needed = |n: u32| match pass {
            Pass::Selected(sel) => sel.marks[n as usize] != SKIP,
            _ => true,
        };
        let mut buf = self.buffer();
        if !self.inflate(root, &mut buf) {
            self.recycle(buf);
            return 0;
        }
        handed += self.emit(root, &buf, pass, f);
        // The path to the current object: each frame holds an object (unless
        // evicted to stay within the budget) and the next child to visit.
        // A frame whose last child is being visited is replaced by that child,
        // so a plain chain keeps one object in memory, not the whole chain.
        let mut frames = vec![Frame {
            node: root,
            content: Some(buf),
            next: 0,
        }];
        let mut delta = self.buffer();
        while let Some(top) = frames.last() {
            let (node, next) = (top.node, top.next);
            let children = pack.children(node);
            let Some(&child) = children.get(next) else {
                let done = frames.pop().unwrap();
                if let Some(c) = done.content {
                    self.recycle(c);
                }
                continue;
            };
            frames.last_mut().unwrap().next += 1;
            if !needed(child) {
                continue;
            }
            if frames.last().unwrap().content.is_none() {
                match self.rebuild(node, &frames) {
                    Some(c) => frames.last_mut().unwrap().content = Some(c),
                    None => {
                        // Cannot happen for a pack that decoded a moment ago;
                        // if it does, these children are left to libgit2.
                        frames.pop();
                        continue;
                    }
                }
            }
            let mut out = self.buffer();
            let base = frames.last().unwrap().content.as_deref().unwrap();
            if !(self.inflate(child, &mut delta) && apply_delta(base, &delta, &mut out)) {
                // Undecodable: it and its descendants are left to libgit2.
                self.recycle(out);
                continue;
            }
            handed += self.emit(child, &out, pass, f);
            if next + 1 == children.len() {
                if let Some(c) = frames.pop().unwrap().content {
                    self.recycle(c);
                }
            }
            frames.push(Frame {
                node: child,
                content: Some(out),
                next: 0,
            });
            // Hold at most `budget` bytes of ancestors; the oldest go first
            // and are rebuilt if their remaining children are reached.
            let mut held: usize = frames
                .iter()
                .filter_map(|f| f.content.as_ref())
                .map(Vec::len)
                .sum();
            let top = frames.len() - 1;
            for f in &mut frames[..top] {
                if held <= self.budget {
                    break;
                }
                if let Some(c) = f.content.take() {
                    held -= c.len();
                }
            }
        }
        self.recycle(delta);
        handed
    }

    /// Rebuilds object `node` from the nearest ancestor still held in `frames`
    /// (or from its full base), following delta bases.
    fn rebuild(&mut self, node: u32, frames: &[Frame]) -> Option<Vec<u8>> {
        let pack = self.pack;
        let mut chain = vec![node];
        let mut start: Option<&[u8]> = None;
        loop {
            let n = *chain.last().unwrap();
            let base = pack.entries[n as usize].base;
            if base == NONE {
                break;
            }
            if let Some(c) = frames
                .iter()
                .find(|f| f.node == base)
                .and_then(|f| f.content.as_deref())
            {
                start = Some(c);
                break;
            }
            chain.push(base);
        }
        let mut cur = match start {
            Some(c) => c.to_vec(),
            None => {
                let full = chain.pop()?;
                let mut b = Vec::new();
                if !self.inflate(full, &mut b) {
                    return None;
                }
                b
            }
        };
        let mut delta = Vec::new();
        while let Some(n) = chain.pop() {
            let mut out = Vec::new();
            if !(self.inflate(n, &mut delta) && apply_delta(&cur, &delta, &mut out)) {
                return None;
            }
            cur = out;
        }
        Some(cur)
    }

    /// Keeps a few spare buffers for reuse; drops the rest, and any large one,
    /// freeing their memory (one large blob must not stay in memory for good).
    fn recycle(&mut self, buf: Vec<u8>) {
        if self.pool.len() < 4 && buf.capacity() <= 4 << 20 {
            self.pool.push(buf);
        }
    }

    /// Hands entry `n` to `f` as `pass` asks; returns 1 if it did.
    fn emit<F>(&mut self, n: u32, content: &[u8], pass: Pass, f: &F) -> u64
    where
        F: Fn(&mut W, &RawOid, Object<'_>) -> Option<R>,
    {
        let obj = match pass {
            Pass::Trees => Object::Tree(content),
            Pass::Blobs { max } if content.len() as u64 > max => {
                Object::LargeBlob(content.len() as u64)
            }
            Pass::Blobs { .. } => Object::Blob(content),
            Pass::Selected(sel) if sel.marks[n as usize] == WANTED => Object::Blob(content),
            Pass::Selected(_) => return 0,
        };
        self.hand(n, obj, f);
        1
    }

    fn hand<F>(&mut self, n: u32, obj: Object<'_>, f: &F)
    where
        F: Fn(&mut W, &RawOid, Object<'_>) -> Option<R>,
    {
        self.read[n as usize / 64].fetch_or(1 << (n % 64), Ordering::Relaxed);
        let oid = &self.pack.oids[n as usize];
        if let Some(r) = f(&mut self.state, oid, obj) {
            self.found.push((*oid, r));
        }
    }

    fn buffer(&mut self) -> Vec<u8> {
        self.pool.pop().unwrap_or_default()
    }

    /// Inflates entry `n` into `out`; false unless it is exactly the declared size.
    fn inflate(&mut self, n: u32, out: &mut Vec<u8>) -> bool {
        let e = self.pack.entries[n as usize];
        out.clear();
        let Ok(size) = usize::try_from(e.size) else {
            return false;
        };
        let input = &self.pack.map[e.data as usize..self.pack.end(n as usize)];
        self.pack.touch(input.len());
        // A header may claim any size; deflate inflates at most 1032:1, so no
        // more than that is reserved (a shorter stream then fails the size
        // check). One spare byte, so that a stream longer than declared is caught.
        let cap = size.min(input.len().saturating_mul(1032).saturating_add(64));
        out.reserve_exact(cap + 1);
        self.zlib.reset(true);
        match self
            .zlib
            .decompress_vec(input, out, FlushDecompress::Finish)
        {
            Ok(Status::StreamEnd) => out.len() == size,
            _ => false,
        }
    }
}

/// Rebuilds an object from its base and a git delta; false if the delta is
/// malformed or does not fit the base.
pub(crate) fn apply_delta(base: &[u8], delta: &[u8], out: &mut Vec<u8>) -> bool {
    fn varint(d: &[u8], p: &mut usize) -> Option<u64> {
        let (mut v, mut shift) = (0u64, 0);
        loop {
            let c = *d.get(*p)?;
            *p += 1;
            if shift > 57 {
                return None;
            }
            v |= u64::from(c & 0x7f) << shift;
            shift += 7;
            if c & 0x80 == 0 {
                return Some(v);
            }
        }
    }
    let mut p = 0;
    let (Some(src), Some(dst)) = (varint(delta, &mut p), varint(delta, &mut p)) else {
        return false;
    };
    let Ok(dst) = usize::try_from(dst) else {
        return false;
    };
    if src != base.len() as u64 {
        return false;
    }
    out.clear();
    // The declared size is reserved only as far as this delta can produce
    // (each byte at most one 64 KiB copy); beyond that the output grows as
    // the copies really happen.
    out.reserve_exact(dst.min(delta.len().saturating_mul(base.len().clamp(127, 0x10000))));
    while p < delta.len() {
        let op = delta[p];
        p += 1;
        if op & 0x80 != 0 {
            let mut field = |bits: u8, shift_base: u8, n: usize| -> Option<usize> {
                let mut v = 0usize;
                for i in 0..n {
                    if bits & (1 << (shift_base as usize + i)) != 0 {
                        v |= usize::from(*delta.get(p)?) << (8 * i);
                        p += 1;
                    }
                }
                Some(v)
            };
            let (Some(off), Some(len)) = (field(op, 0, 4), field(op, 4, 3)) else {
                return false;
            };
            let len = if len == 0 { 0x10000 } else { len };
            match base.get(off..off.saturating_add(len)) {
                Some(s) if out.len() + len <= dst => out.extend_from_slice(s),
                _ => return false,
            }
        } else if op != 0 {
            let n = usize::from(op);
            match delta.get(p..p + n) {
                Some(s) if out.len() + n <= dst => out.extend_from_slice(s),
                _ => return false,
            }
            p += n;
        } else {
            return false;
        }
    }
    out.len() == dst
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;

    fn git(dir: &Path, args: &[&str]) {
        let out = Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_AUTHOR_NAME", "T")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "T")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .output()
            .expect("run git");
        assert!(out.status.success(), "git {args:?}: {out:?}");
    }

    /// A repository whose files change a little in each of many commits, so
    /// that packing stores most versions as deltas (chains several deep).
    fn evolving_repo() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        git(p, &["init", "-q", "-b", "main"]);
        let mut lines: Vec<String> = (0..3000)
            .map(|i| format!("line {i} of a big file"))
            .collect();
        for v in 0..12 {
            lines[v * 97 % 3000] = format!("edited in version {v}");
            lines.push(format!("appended in version {v}"));
            std::fs::write(p.join("big.txt"), lines.join("\n")).unwrap();
            std::fs::write(p.join("small.txt"), format!("version {v}\n")).unwrap();
            git(p, &["add", "-A"]);
            git(p, &["commit", "-q", "-m", &format!("v{v}")]);
        }
        dir
    }

    /// Reads every object of every pack and checks it against libgit2, with the
    /// normal ancestor budget and with none (every ancestor rebuilt when needed).
    fn check_against_libgit2(repo: &Path) -> (usize, usize) {
        let normal = check_within(repo, ANCESTOR_BUDGET);
        assert_eq!(check_within(repo, 0), normal);
        normal
    }

    fn check_within(repo: &Path, budget: usize) -> (usize, usize) {
        let r = git2::Repository::open(repo).unwrap();
        let odb = r.odb().unwrap();
        let done = AtomicU64::new(0);
        let read = Pack::open(&only_index(repo)).unwrap().read_within(
            2,
            Pass::Blobs { max: 1 << 30 },
            budget,
            &done,
            |_: &mut (), oid, obj| {
                let oid = git2::Oid::from_bytes(oid).unwrap();
                let lib = odb.read(oid).unwrap();
                Some(match obj {
                    Object::Blob(data) => {
                        assert_eq!(lib.kind(), git2::ObjectType::Blob);
                        assert!(data == lib.data(), "content of {oid}");
                        1
                    }
                    Object::Commit => {
                        assert_eq!(lib.kind(), git2::ObjectType::Commit);
                        0
                    }
                    Object::Other => {
                        assert!(matches!(
                            lib.kind(),
                            git2::ObjectType::Tree | git2::ObjectType::Tag
                        ));
                        0
                    }
                    Object::LargeBlob(_) => panic!("no blob is over the limit"),
                    Object::Tree(_) => panic!("a blob pass hands out no trees"),
                })
            },
        );
        assert!(read.missed.is_empty());
        let mut n = 0;
        odb.foreach(|_| {
            n += 1;
            true
        })
        .unwrap();
        assert_eq!(read.found.len(), n, "every packed object is read");
        assert_eq!(done.load(Ordering::Relaxed) as usize, n);
        let blobs = read.found.iter().map(|(_, b)| b).sum::<usize>();
        (blobs, n)
    }

    fn only_index(repo: &Path) -> std::path::PathBuf {
        let idx: Vec<_> = std::fs::read_dir(repo.join(".git/objects/pack"))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "idx"))
            .collect();
        assert_eq!(idx.len(), 1, "one pack");
        idx[0].clone()
    }

    fn count_kind(idx: &Path, kind: u8) -> usize {
        let pack = Pack::open(idx).expect("pack opens");
        pack.entries.iter().filter(|e| e.kind == kind).count()
    }

    #[test]
    fn offset_and_ref_deltas_read_like_libgit2() {
        let dir = evolving_repo();
        git(dir.path(), &["repack", "-a", "-d", "-f", "-q", "--depth=5"]);
        let idx = only_index(dir.path());
        assert!(count_kind(&idx, OFS_DELTA) >= 10, "offset deltas present");
        let p = Pack::open(&idx).unwrap();
        assert!(
            (0..p.entries.len() as u32).any(|i| p.children(i).len() >= 2),
            "some base has several deltas, so a budget of 0 forces rebuilds"
        );
        assert_eq!(check_against_libgit2(dir.path()).0, 24);
        git(
            dir.path(),
            &[
                "-c",
                "repack.useDeltaBaseOffset=false",
                "repack",
                "-a",
                "-d",
                "-f",
                "-q",
            ],
        );
        let idx = only_index(dir.path());
        assert!(count_kind(&idx, REF_DELTA) >= 10, "ref deltas present");
        assert_eq!(count_kind(&idx, OFS_DELTA), 0);
        assert_eq!(check_against_libgit2(dir.path()).0, 24);
    }

    #[test]
    fn large_blobs_are_reported_not_handed_out() {
        let dir = evolving_repo();
        git(dir.path(), &["repack", "-a", "-d", "-f", "-q"]);
        let idx = only_index(dir.path());
        let done = AtomicU64::new(0);
        let found = Pack::open(&idx)
            .unwrap()
            .read(
                1,
                Pass::Blobs { max: 1000 },
                &done,
                |_: &mut (), _, obj| match obj {
                    Object::Blob(d) => (d.len() as u64, false),
                    Object::LargeBlob(n) => (n, true),
                    _ => (0, false),
                },
            )
            .found;
        let large: Vec<_> = found.iter().filter(|(_, (_, l))| *l).collect();
        assert_eq!(large.len(), 12, "every version of big.txt");
        assert!(large.iter().all(|(_, (n, _))| *n > 60_000));
        assert!(found.iter().any(|(_, (n, l))| !l && *n > 0 && *n < 100));
    }

    #[test]
    fn damaged_entries_are_left_out_with_their_deltas() {
        let dir = evolving_repo();
        git(dir.path(), &["repack", "-a", "-d", "-f", "-q"]);
        let idx = only_index(dir.path());
        let done = AtomicU64::new(0);
        let all = Pack::open(&idx)
            .unwrap()
            .read(
                1,
                Pass::Blobs { max: 1 << 30 },
                &done,
                |_: &mut (), _, _| (),
            )
            .found
            .len();
        // The full blob with the most deltas stored against it (a big.txt version).
        let p = Pack::open(&idx).unwrap();
        let root = (0..p.entries.len() as u32)
            .filter(|&i| p.entries[i as usize].kind == BLOB)
            .max_by_key(|&i| p.children(i).len())
            .unwrap();
        let mut subtree = 0;
        let mut stack = vec![root];
        while let Some(n) = stack.pop() {
            subtree += 1;
            stack.extend_from_slice(p.children(n));
        }
        assert!(subtree > 3, "big.txt versions are deltas of one base");
        let (start, end) = (p.entries[root as usize].data as usize, p.end(root as usize));
        drop(p);
        let pack = idx.with_extension("pack");
        let mut data = std::fs::read(&pack).unwrap();
        let mid = (start + end) / 2;
        for b in &mut data[mid..mid + 4] {
            *b ^= 0x5a;
        }
        std::fs::remove_file(&pack).unwrap();
        std::fs::write(&pack, &data).unwrap();
        let left = Pack::open(&idx).unwrap().read(
            1,
            Pass::Blobs { max: 1 << 30 },
            &done,
            |_: &mut (), _, _| (),
        );
        assert_eq!(left.found.len(), all - subtree);
        assert_eq!(left.missed.len(), subtree, "left to the caller");
    }

    fn delta(src: usize, dst: usize, ops: &[u8]) -> Vec<u8> {
        let mut d = Vec::new();
        for mut v in [src, dst] {
            loop {
                let c = (v & 0x7f) as u8;
                v >>= 7;
                if v == 0 {
                    d.push(c);
                    break;
                }
                d.push(c | 0x80);
            }
        }
        d.extend_from_slice(ops);
        d
    }

    #[test]
    fn delta_copies_and_inserts() {
        let base = b"hello, world";
        // copy 5 bytes at 0, insert "!!", copy 5 bytes at 7.
        let d = delta(12, 12, &[0x90, 5, 2, b'!', b'!', 0x91, 7, 5]);
        let mut out = Vec::new();
        assert!(apply_delta(base, &d, &mut out));
        assert_eq!(out, b"hello!!world");
    }

    #[test]
    fn malformed_deltas_are_refused() {
        let base = b"hello, world";
        let mut out = Vec::new();
        // Wrong source size.
        assert!(!apply_delta(base, &delta(11, 5, &[0x90, 5]), &mut out));
        // Copy past the end of the base.
        assert!(!apply_delta(base, &delta(12, 5, &[0x91, 10, 5]), &mut out));
        // Result longer than declared.
        assert!(!apply_delta(base, &delta(12, 4, &[0x90, 5]), &mut out));
        // Reserved opcode 0.
        assert!(!apply_delta(base, &delta(12, 0, &[0]), &mut out));
        // A result size of a terabyte is not reserved (the test would abort).
        assert!(!apply_delta(
            base,
            &delta(12, 1 << 40, &[0x90, 5]),
            &mut out
        ));
        assert!(out.capacity() < 1 << 20);
        // Truncated insert.
        assert!(!apply_delta(base, &delta(12, 3, &[3, b'a']), &mut out));
    }

    fn zlib(data: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    /// Writes raw entries (header and stored bytes each) as a pack with a
    /// version-2 index naming them `ids`; returns the index's path.
    fn hand_pack(dir: &Path, ids: &[RawOid], entries: &[Vec<u8>]) -> std::path::PathBuf {
        let mut pack = b"PACK\0\0\0\x02".to_vec();
        pack.extend_from_slice(&(entries.len() as u32).to_be_bytes());
        let mut offsets = Vec::new();
        for e in entries {
            offsets.push(pack.len() as u32);
            pack.extend_from_slice(e);
        }
        pack.extend_from_slice(&[0; 20]);
        let mut order: Vec<usize> = (0..ids.len()).collect();
        order.sort_by_key(|&i| ids[i]);
        let mut idx = b"\xfftOc\0\0\0\x02".to_vec();
        for b in 0..256 {
            let n = ids.iter().filter(|o| usize::from(o[0]) <= b).count() as u32;
            idx.extend_from_slice(&n.to_be_bytes());
        }
        order.iter().for_each(|&i| idx.extend_from_slice(&ids[i]));
        idx.extend(std::iter::repeat_n(0, 4 * ids.len()));
        order
            .iter()
            .for_each(|&i| idx.extend_from_slice(&offsets[i].to_be_bytes()));
        idx.extend_from_slice(&[0; 40]);
        std::fs::write(dir.join("p.pack"), pack).unwrap();
        std::fs::write(dir.join("p.idx"), idx).unwrap();
        dir.join("p.idx")
    }

    fn read_all(idx: &Path, max: u64) -> PackRead<usize> {
        let done = AtomicU64::new(0);
        let pack = Pack::open(idx).expect("pack opens");
        pack.read(
            1,
            Pass::Blobs { max },
            &done,
            |_: &mut (), _, obj| match obj {
                Object::Blob(b) => b.len(),
                _ => 0,
            },
        )
    }

    /// Found by the `pack_entries` and `pack_file` fuzz targets: an offset
    /// delta whose base would lie before the start of the pack overflowed.
    #[test]
    fn offset_deltas_reaching_before_the_pack_are_left_to_the_caller() {
        let dir = tempfile::tempdir().unwrap();
        let mut blob = vec![BLOB << 4 | 5];
        blob.extend(zlib(b"hello"));
        let mut ofs = vec![OFS_DELTA << 4 | 4, 0x7f];
        ofs.extend(zlib(&delta(5, 2, &[2, b'h', b'i'])));
        let idx = hand_pack(dir.path(), &[[1; 20], [2; 20]], &[blob, ofs]);
        let read = read_all(&idx, 1 << 20);
        assert_eq!(read.found, vec![([1; 20], 5)]);
        assert_eq!(read.missed, vec![[2; 20]]);
    }

    /// Two ref deltas of each other and an offset delta of itself: reported
    /// as looped, never handed to libgit2 (which follows such a loop forever).
    #[test]
    fn delta_loops_are_reported_apart_from_misses() {
        let dir = tempfile::tempdir().unwrap();
        let d = delta(4, 4, &[4, b'l', b'o', b'o', b'p']);
        let ref_to = |base: RawOid| {
            let mut e = vec![REF_DELTA << 4 | d.len() as u8];
            e.extend_from_slice(&base);
            e.extend(zlib(&d));
            e
        };
        let mut own = vec![OFS_DELTA << 4 | d.len() as u8, 0];
        own.extend(zlib(&d));
        let mut blob = vec![BLOB << 4 | 4];
        blob.extend(zlib(b"base"));
        let elsewhere = ref_to([9; 20]);
        let ids = [[1; 20], [2; 20], [3; 20], [4; 20], [5; 20]];
        let entries = [ref_to(ids[1]), ref_to(ids[0]), own, blob, elsewhere];
        let idx = hand_pack(dir.path(), &ids, &entries);
        let read = read_all(&idx, 1 << 20);
        assert_eq!(read.found, vec![([4; 20], 4)]);
        let mut looped = read.looped;
        looped.sort();
        assert_eq!(looped, vec![[1; 20], [2; 20], [3; 20]]);
        assert_eq!(read.missed, vec![[5; 20]], "a base in no pack is a miss");
    }

    /// Headers claiming petabytes and a terabyte, on a blob and on a delta's result: the
    /// reader reserves what the stored bytes can produce, not what the header
    /// says (such a reservation would abort the test).
    #[test]
    fn size_claims_are_not_reserved() {
        let dir = tempfile::tempdir().unwrap();
        let mut huge = vec![
            0x80 | BLOB << 4,
            0x80,
            0x80,
            0x80,
            0x80,
            0x80,
            0x80,
            0x80,
            0x01,
        ];
        huge.extend(zlib(b"hello"));
        let mut base = vec![BLOB << 4 | 5];
        base.extend(zlib(b"hello"));
        let d = delta(5, 1 << 40, &[0x90, 5]);
        let mut ofs = vec![OFS_DELTA << 4 | (d.len() as u8 & 15), d.len() as u8 >> 4];
        ofs[0] |= 0x80;
        let distance = 1 + zlib(b"hello").len() as u8;
        ofs.push(distance);
        ofs.extend(zlib(&d));
        let idx = hand_pack(dir.path(), &[[1; 20], [2; 20], [3; 20]], &[huge, base, ofs]);
        let read = read_all(&idx, u64::MAX);
        assert_eq!(read.found, vec![([2; 20], 5)]);
        let mut missed = read.missed;
        missed.sort();
        assert_eq!(missed, vec![[1; 20], [3; 20]]);
    }

    #[test]
    fn headers_parse_sizes_and_bases() {
        // Blob of size 0x1234: low 4 bits in the first byte, then 7-bit groups.
        let h = [0x80 | (BLOB << 4) | 0x4, 0x23 | 0x80, 0x02];
        let (kind, size, len, base) = parse_header(&h).unwrap();
        assert_eq!(
            (kind, size, len),
            (BLOB, 0x4 | (0x23 << 4) | (0x02 << 11), 3)
        );
        assert!(base.is_none());
        // Offset delta, distance 200 = ((0x00 + 1) << 7) | 0x48.
        let h = [OFS_DELTA << 4 | 5, 0x80, 0x48];
        let (_, _, len, base) = parse_header(&h).unwrap();
        assert_eq!((len, base), (3, Some(Ok(200))));
        // Types 0 and 5 do not exist.
        assert!(parse_header(&[5 << 4]).is_none());
        assert!(parse_header(&[0]).is_none());
    }
}
