//! Tree objects and the tree filter. The input is a header byte and frames of
//! `<20-byte id><u16 BE length><raw tree entries>` (the seeds are real trees
//! written by git, under their real ids); a mutated id makes trees share the
//! filter's 8-byte key or contain themselves. The filter may only say "holds
//! none of the blobs" where a reference search over the same trees agrees.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pkscan::fuzzing::RawOid;

/// The entries as (mode, id), the way git's tree format reads; None if the
/// bytes are not a sequence of entries.
fn parse(mut data: &[u8]) -> Option<Vec<(&[u8], RawOid)>> {
    let mut out = Vec::new();
    while !data.is_empty() {
        let sp = data.iter().position(|&b| b == b' ')?;
        let nul = sp + data[sp..].iter().position(|&b| b == 0)?;
        let id: RawOid = data.get(nul + 1..nul + 21)?.try_into().ok()?;
        out.push((&data[..sp], id));
        data = &data[nul + 21..];
    }
    Some(out)
}

fn is_tree(mode: &[u8]) -> bool {
    mode == b"40000" || mode == b"040000"
}

fuzz_target!(|data: &[u8]| {
    let Some((&header, mut rest)) = data.split_first() else {
        return;
    };
    let mut trees: Vec<(RawOid, &[u8])> = Vec::new();
    while rest.len() >= 22 {
        let id: RawOid = rest[..20].try_into().unwrap();
        let len = usize::from(u16::from_be_bytes([rest[20], rest[21]])).min(rest.len() - 22);
        let body = &rest[22..22 + len];
        rest = &rest[22 + len..];
        // A repository holds one object per id.
        if !trees.iter().any(|(o, _)| *o == id) {
            trees.push((id, body));
        }
    }
    let parsed: Vec<Option<Vec<(&[u8], RawOid)>>> = trees.iter().map(|(_, d)| parse(d)).collect();
    // Wanted: the blobs (non-tree entries) whose id's low bits match the header.
    let wanted: Vec<RawOid> = parsed
        .iter()
        .flatten()
        .flatten()
        .filter(|(m, o)| !is_tree(m) && o[0] & 7 == header & 7)
        .map(|(_, o)| *o)
        .collect();
    // Reference: the least fixed point of "may hold" over the parsed trees.
    let index = |o: &RawOid| trees.iter().position(|(t, _)| t == o);
    let mut may: Vec<bool> = parsed
        .iter()
        .map(|p| match p {
            None => true,
            Some(es) => es.iter().any(|(mode, o)| {
                (is_tree(mode) && index(o).is_none())
                    || (!is_tree(mode) && *mode != b"160000" && wanted.contains(o))
            }),
        })
        .collect();
    loop {
        let mut changed = false;
        for (i, p) in parsed.iter().enumerate() {
            let below = || {
                p.iter()
                    .flatten()
                    .any(|(m, o)| is_tree(m) && index(o).is_some_and(|j| may[j]))
            };
            if !may[i] && below() {
                may[i] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let mut probe: Vec<RawOid> = trees.iter().map(|(o, _)| *o).collect();
    let mut unseen = [header; 20];
    unseen[0] ^= 0x80;
    if index(&unseen).is_none() {
        probe.push(unseen);
    }
    let verdict = pkscan::fuzzing::tree_filter(&trees, &wanted, &probe);
    for (k, o) in probe.iter().enumerate() {
        match index(o) {
            Some(i) => assert!(verdict[k] || !may[i], "tree {i} may hold a wanted blob"),
            None => assert!(verdict[k], "a tree the filter never saw may hold anything"),
        }
    }
});
