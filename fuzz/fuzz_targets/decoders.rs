//! The decoders for encoded and split keys (base64, percent, JavaScript
//! escapes, concatenations, character codes), run at every hit of their
//! keywords as the matcher would, with the bounds the module promises.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pkscan::decode::{self, Region, MAX_DECODED};
use std::sync::OnceLock;

fuzz_target!(|text: &[u8]| {
    static KEYWORDS: OnceLock<Vec<decode::Keyword>> = OnceLock::new();
    let keywords = KEYWORDS.get_or_init(decode::keywords);
    let mut region = Region::default();
    for kw in keywords {
        let k = kw.text.as_bytes();
        let hits =
            (0..text.len().saturating_sub(k.len() - 1)).filter(|&i| &text[i..i + k.len()] == k);
        for start in hits.take(32) {
            let ok = decode::decode_at(text, kw.trigger, start, start + k.len(), &mut region);
            let r = &region;
            assert!(r.bytes.len() <= MAX_DECODED);
            assert_eq!(r.starts.len(), r.bytes.len());
            assert_eq!(r.ends.len(), r.bytes.len());
            for (s, e) in r.starts.iter().zip(&r.ends) {
                assert!(s <= e && *e <= text.len(), "spans lie in the text");
            }
            if ok {
                assert!(r.bytes.len() > 1 && !r.encoding.is_empty());
                assert!(r.min_end <= r.bytes.len());
                let (a, b) = r.span(0, r.bytes.len());
                assert!(a <= b && b <= text.len());
            }
        }
    }
});
