//! A whole pack with its index, as raw bytes: `<idx length: u32 BE><idx><pack>`
//! (the seeds are real packs written by git). Both passes must account for
//! every entry, whatever the bytes, and the ancestor budget must not change
//! what is read.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pkscan::fuzzing::Pack;

fuzz_target!(|data: &[u8]| {
    let Some(len) = data.get(..4) else { return };
    let len = (u32::from_be_bytes(len.try_into().unwrap()) as usize).min(data.len() - 4);
    let (idx, pack) = data[4..].split_at(len);
    let listed = pkscan::fuzzing::pack_index(idx);
    let Some(p) = Pack::open_bytes(idx, pack) else {
        return;
    };
    assert_eq!(
        Some(p.len()),
        listed.map(|l| l.len()),
        "a pack opens only with its index"
    );
    for max in [Some(1 << 20), Some(64), None] {
        let r = p.read(max, None);
        assert_eq!(r.counted, r.found.len() as u64);
        if max.is_some() {
            assert_eq!(
                r.found.len() + r.missed.len() + r.looped.len(),
                p.len(),
                "each entry is found, missed or looped"
            );
        } else {
            assert!(r.found.len() + r.missed.len() + r.looped.len() <= p.len());
        }
        assert_eq!(
            p.read(max, Some(0)),
            r,
            "the ancestor budget changes nothing"
        );
    }
    let _ = p.tree_ids();
});
