//! Content decoding (byte-order marks, UTF-16, binary sniffing), line and
//! column positions, and then the whole blob pipeline (matcher, decoders,
//! classification) on the same bytes, under a path chosen by the input.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pkscan::content::{self, LineIndex};
use pkscan::scan::{ScanOptions, Scanner, Scratch};
use pkscan::RuleSet;
use std::sync::OnceLock;

const PATHS: [&str; 8] = [
    "src/app.js",
    "web/index.html",
    "android/app/src/main/res/values/strings.xml",
    "server/.env",
    "config/settings.yaml",
    "docs/README.md",
    "test/fixtures/keys.json",
    "data.bin",
];

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let decoded = content::decode(rest);
    let text = &decoded.text[..];
    let mut lines = LineIndex::new(text);
    let probes = rest
        .chunks(2)
        .take(16)
        .map(|c| c.iter().fold(0usize, |a, &b| a * 256 + b as usize));
    for off in probes {
        let off = off % (text.len() + 1);
        let (line, col) = lines.position(off);
        assert!(line >= 1 && col >= 1);
        let (s, e) = LineIndex::line_bounds(text, off);
        assert!(s <= off.max(s) && e <= text.len() && s <= e.max(s));
        let (s, e) = content::line_bounds_near(text, off, 64);
        assert!(s <= text.len() && e <= text.len());
        let end = (off + usize::from(first)).min(text.len());
        let (s, e) = content::surrounding(text, off, end, usize::from(first % 4), 200);
        assert!(s <= off && end <= e && e <= text.len());
        assert!(content::count_chars(&text[off..end]) <= end - off);
    }
    static SCANNER: OnceLock<Scanner> = OnceLock::new();
    let scanner = SCANNER.get_or_init(|| {
        let opts = ScanOptions {
            include_other_providers: true,
            ..ScanOptions::default()
        };
        Scanner::new(RuleSet::builtin().unwrap(), opts)
    });
    let mut scratch = Scratch::default();
    let r = scanner.scan_blob(PATHS[usize::from(first) % PATHS.len()], rest, &mut scratch);
    assert!(r.findings.len() <= scanner.opts.max_findings_per_blob);
});
