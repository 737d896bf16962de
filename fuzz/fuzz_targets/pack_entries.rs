//! Pack entries from structured input: full objects, offset and ref deltas
//! (including deltas of themselves and of later entries), headers that claim
//! any size, damaged zlib streams, and large-offset index tables. The input
//! is written out as a real pack and version-2 index, read in both passes
//! with two ancestor budgets, and checked against a reference model of what
//! each clean entry must decode to.
#![no_main]
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use pkscan::fuzzing::{Pack, RawOid, Read};
use std::collections::BTreeMap;
use std::io::Write;

#[derive(Arbitrary, Debug, Clone, Copy, PartialEq)]
enum Kind {
    Commit,
    Tree,
    Blob,
    Tag,
    /// Types 0 and 5, or any bits.
    Bogus(u8),
}

#[derive(Arbitrary, Debug)]
enum Op {
    Copy {
        off: u32,
        len: u32,
    },
    Insert(Vec<u8>),
    /// The reserved opcode 0.
    Reserved,
}

#[derive(Arbitrary, Debug)]
struct Delta {
    /// Declared base and result sizes; None: the true ones.
    src: Option<u64>,
    dst: Option<u64>,
    ops: Vec<Op>,
}

#[derive(Arbitrary, Debug)]
enum Body {
    Full(Kind, Vec<u8>),
    /// An offset delta against the entry `back + 1` places earlier (or a
    /// distance past the start of the pack).
    Ofs(u8, Delta),
    /// A ref delta against the entry with this index modulo the count
    /// (itself included); or an id no entry has.
    Ref(u8, Delta),
    RefMissing([u8; 20], Delta),
}

#[derive(Arbitrary, Debug)]
enum Damage {
    /// Claim another inflated size in the header.
    Size(u64),
    /// Cut the stored bytes to this length.
    Truncate(u16),
    /// Flip bits of one stored byte.
    Flip(u16, u8),
    /// Store the bytes without zlib.
    Uncompressed,
}

#[derive(Arbitrary, Debug)]
struct Entry {
    body: Body,
    damage: Option<Damage>,
}

#[derive(Arbitrary, Debug)]
struct Spec {
    entries: Vec<Entry>,
    version3: bool,
    large_offsets: bool,
    max: u16,
}

fn oid(i: usize) -> RawOid {
    // Distinct first bytes (151 is odd), so the fan-out table is exercised.
    let mut o = [0u8; 20];
    o[0] = (i * 151 + 7) as u8;
    o[1] = i as u8;
    o[19] = 0xee;
    o
}

fn size_varint(kind: u8, mut size: u64, out: &mut Vec<u8>) {
    let mut c = (kind << 4) | (size & 15) as u8;
    size >>= 4;
    while size != 0 {
        out.push(c | 0x80);
        c = (size & 0x7f) as u8;
        size >>= 7;
    }
    out.push(c);
}

fn ofs_varint(mut v: u64, out: &mut Vec<u8>) {
    let mut b = vec![(v & 0x7f) as u8];
    v >>= 7;
    while v != 0 {
        v -= 1;
        b.push(0x80 | (v & 0x7f) as u8);
        v >>= 7;
    }
    b.reverse();
    out.extend_from_slice(&b);
}

fn delta_varint(mut v: u64, out: &mut Vec<u8>) {
    loop {
        let c = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(c);
            return;
        }
        out.push(c | 0x80);
    }
}

/// The encoded delta against a base of `base_len` bytes, and what applying it
/// to `base` must give (None: the delta is invalid for that base).
fn encode_delta(d: &Delta, base: Option<&[u8]>, base_len: u64) -> (Vec<u8>, Option<Vec<u8>>) {
    let mut ops = Vec::new();
    let mut out: Option<Vec<u8>> = base.map(|_| Vec::new());
    let mut produced = 0u64;
    for op in d.ops.iter().take(64) {
        match op {
            Op::Copy { off, len } => {
                let len = len & 0xff_ffff;
                let mut cmd = 0x80u8;
                let mut args = Vec::new();
                for i in 0..4 {
                    let b = (off >> (8 * i)) as u8;
                    if b != 0 {
                        cmd |= 1 << i;
                        args.push(b);
                    }
                }
                for i in 0..3 {
                    let b = (len >> (8 * i)) as u8;
                    if b != 0 {
                        cmd |= 1 << (4 + i);
                        args.push(b);
                    }
                }
                ops.push(cmd);
                ops.extend_from_slice(&args);
                let len = if len == 0 { 0x10000 } else { len } as usize;
                produced += len as u64;
                if let (Some(o), Some(b)) = (out.as_mut(), base) {
                    match b.get(*off as usize..*off as usize + len) {
                        Some(s) => o.extend_from_slice(s),
                        None => out = None,
                    }
                }
            }
            Op::Insert(data) => {
                for chunk in data.chunks(127) {
                    ops.push(chunk.len() as u8);
                    ops.extend_from_slice(chunk);
                    produced += chunk.len() as u64;
                    if let Some(o) = out.as_mut() {
                        o.extend_from_slice(chunk);
                    }
                }
            }
            Op::Reserved => {
                ops.push(0);
                out = None;
            }
        }
    }
    let src = d.src.unwrap_or(base_len);
    let dst = d.dst.unwrap_or(produced);
    if src != base_len || dst != produced {
        out = None;
    }
    let mut enc = Vec::new();
    delta_varint(src, &mut enc);
    delta_varint(dst, &mut enc);
    enc.extend_from_slice(&ops);
    (enc, out)
}

fn kind_bits(k: Kind) -> u8 {
    match k {
        Kind::Commit => 1,
        Kind::Tree => 2,
        Kind::Blob => 3,
        Kind::Tag => 4,
        Kind::Bogus(b) => [0, 5, b & 7][usize::from(b % 3)],
    }
}

fn kind_of(e: &Entry) -> u8 {
    match &e.body {
        Body::Full(k, _) => kind_bits(*k),
        Body::Ofs(..) => 6,
        Body::Ref(..) | Body::RefMissing(..) => 7,
    }
}

fn zlib(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fuzz_target!(|spec: Spec| {
    let n = spec.entries.len().min(48);
    let entries = &spec.entries[..n];
    // What each clean entry decodes to: resolved in rounds, since a ref delta
    // may name a later entry (and a cycle resolves to nothing).
    let mut truth: Vec<Option<(Kind, Vec<u8>)>> = vec![None; n];
    let mut encoded: Vec<Option<Vec<u8>>> = vec![None; n];
    let base_of = |i: usize| -> Option<usize> {
        match &entries[i].body {
            Body::Full(..) | Body::RefMissing(..) => None,
            Body::Ofs(back, _) => i.checked_sub(usize::from(*back) + 1),
            Body::Ref(b, _) => Some(usize::from(*b) % n),
        }
    };
    for _round in 0..=n {
        for i in 0..n {
            if encoded[i].is_some() {
                continue;
            }
            let clean = entries[i].damage.is_none();
            match &entries[i].body {
                Body::Full(kind, data) => {
                    let valid = !matches!(kind, Kind::Bogus(_));
                    truth[i] = (clean && valid).then(|| (*kind, data.clone()));
                    encoded[i] = Some(data.clone());
                }
                Body::RefMissing(_, d) => encoded[i] = Some(encode_delta(d, None, 0).0),
                Body::Ofs(_, d) | Body::Ref(_, d) => {
                    let Some(b) = base_of(i) else {
                        encoded[i] = Some(encode_delta(d, None, 0).0);
                        continue;
                    };
                    if b == i {
                        encoded[i] = Some(encode_delta(d, None, 0).0);
                        continue;
                    }
                    let Some(base) = &encoded[b] else { continue };
                    let base_truth = truth[b].clone();
                    let base_len = base_truth
                        .as_ref()
                        .map_or(base.len() as u64, |t| t.1.len() as u64);
                    let (enc, out) =
                        encode_delta(d, base_truth.as_ref().map(|t| &t.1[..]), base_len);
                    truth[i] = match (clean, base_truth, out) {
                        (true, Some((k, _)), Some(o)) => Some((k, o)),
                        _ => None,
                    };
                    encoded[i] = Some(enc);
                }
            }
        }
    }
    // Unresolved (cyclic) deltas: encoded against nothing.
    for i in 0..n {
        if encoded[i].is_none() {
            if let Body::Ofs(_, d) | Body::Ref(_, d) = &entries[i].body {
                encoded[i] = Some(encode_delta(d, None, 0).0);
            }
        }
    }

    let mut pack = b"PACK".to_vec();
    pack.extend_from_slice(&(if spec.version3 { 3u32 } else { 2 }).to_be_bytes());
    pack.extend_from_slice(&(n as u32).to_be_bytes());
    let mut offsets = Vec::with_capacity(n);
    for (i, e) in entries.iter().enumerate() {
        let off = pack.len() as u64;
        offsets.push(off);
        let raw = encoded[i].as_deref().unwrap();
        let kind = kind_of(e);
        let claimed = match &e.body {
            Body::Full(_, d) => d.len() as u64,
            _ => raw.len() as u64,
        };
        let claimed = match e.damage {
            Some(Damage::Size(s)) => s,
            _ => claimed,
        };
        size_varint(kind, claimed, &mut pack);
        match &e.body {
            Body::Ofs(back, _) => match base_of(i) {
                Some(b) => ofs_varint(off - offsets[b], &mut pack),
                None => ofs_varint(off + u64::from(*back), &mut pack),
            },
            Body::Ref(b, _) => pack.extend_from_slice(&oid(usize::from(*b) % n)),
            Body::RefMissing(o, _) => pack.extend_from_slice(o),
            Body::Full(..) => {}
        }
        let mut stored = match e.damage {
            Some(Damage::Uncompressed) => raw.to_vec(),
            _ => zlib(raw),
        };
        match e.damage {
            Some(Damage::Truncate(t)) => stored.truncate(usize::from(t) % (stored.len() + 1)),
            Some(Damage::Flip(at, bits)) if !stored.is_empty() => {
                let at = usize::from(at) % stored.len();
                stored[at] ^= bits | 1;
            }
            _ => {}
        }
        pack.extend_from_slice(&stored);
    }
    pack.extend_from_slice(&[0u8; 20]);

    // Version-2 index: fan-out, sorted names, CRCs, offsets (optionally all in
    // the large-offset table), then two checksums.
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| oid(i));
    let mut idx = b"\xfftOc\x00\x00\x00\x02".to_vec();
    for b in 0..256usize {
        let c = order
            .iter()
            .filter(|&&i| usize::from(oid(i)[0]) <= b)
            .count();
        idx.extend_from_slice(&(c as u32).to_be_bytes());
    }
    for &i in &order {
        idx.extend_from_slice(&oid(i));
    }
    idx.extend_from_slice(&vec![0u8; 4 * n]);
    for (k, &i) in order.iter().enumerate() {
        let v = if spec.large_offsets {
            0x8000_0000 | k as u32
        } else {
            offsets[i] as u32
        };
        idx.extend_from_slice(&v.to_be_bytes());
    }
    if spec.large_offsets {
        for &i in &order {
            idx.extend_from_slice(&offsets[i].to_be_bytes());
        }
    }
    idx.extend_from_slice(&[0u8; 40]);
    assert_eq!(
        pkscan::fuzzing::pack_index(&idx).map(|v| v.len()),
        Some(n),
        "a well-formed index lists every entry"
    );

    // Types 0 and 5 do not exist, and sizes of 2^60 and more are refused: a
    // pack with either is not read at all (libgit2 reports it). A full
    // object given a delta's type may also fail to parse as one.
    let refused = entries.iter().any(|e| {
        matches!(kind_of(e), 0 | 5) || matches!(e.damage, Some(Damage::Size(s)) if s >> 60 != 0)
    });
    let maybe = entries
        .iter()
        .any(|e| matches!(e.body, Body::Full(..)) && matches!(kind_of(e), 6 | 7));
    let Some(p) = Pack::open_bytes(&idx, &pack) else {
        assert!(refused || maybe, "a pack of well-formed headers opens");
        return;
    };
    assert!(
        !refused,
        "a pack with an unknown type or a 2^60 size is refused"
    );
    assert_eq!(p.len(), n);
    let max = u64::from(spec.max);
    let blobs = p.read(Some(max), None);
    assert_eq!(
        blobs.found.len() + blobs.missed.len() + blobs.looped.len(),
        n,
        "each entry is found, missed or looped"
    );
    assert_eq!(blobs.counted, blobs.found.len() as u64);
    assert_eq!(
        p.read(Some(max), Some(0)),
        blobs,
        "the ancestor budget changes nothing"
    );
    let found: BTreeMap<RawOid, &Read> = blobs.found.iter().map(|(o, r)| (*o, r)).collect();
    for (i, t) in truth.iter().enumerate() {
        let Some((kind, content)) = t else { continue };
        let want = match kind {
            Kind::Commit => Read::Commit,
            Kind::Blob if content.len() as u64 > max => Read::LargeBlob(content.len() as u64),
            Kind::Blob => Read::Blob(content.clone()),
            _ => Read::Other,
        };
        assert_eq!(found.get(&oid(i)), Some(&&want), "entry {i} reads as built");
    }
    for (_, r) in &blobs.found {
        match r {
            Read::Blob(b) => assert!(b.len() as u64 <= max),
            Read::LargeBlob(s) => assert!(*s > max),
            Read::Tree(_) => panic!("a blob pass hands out no trees"),
            _ => {}
        }
    }
    let trees = p.read(None, None);
    assert_eq!(trees.counted, trees.found.len() as u64);
    let tree_ids = p.tree_ids();
    for (o, r) in &trees.found {
        assert!(matches!(r, Read::Tree(_)));
        assert!(tree_ids.contains(o));
    }
    for (i, t) in truth.iter().enumerate() {
        if let Some((Kind::Tree, content)) = t {
            let want = Read::Tree(content.clone());
            assert!(
                trees.found.contains(&(oid(i), want)),
                "tree {i} reads as built"
            );
        }
    }
});
