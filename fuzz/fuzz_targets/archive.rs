//! The archive walker on zip, tar and tar.gz bytes (the seeds are nested
//! archives written by `git archive`), with the default limits: whatever the
//! bytes, the walk ends within its entry and size budgets.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pkscan::input::archive::{self, Kind, Limits};
use pkscan::outcome::ScanOutcome;
use pkscan::scan::{ScanOptions, Scanner, Scratch};
use pkscan::RuleSet;
use std::sync::OnceLock;

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let (kind, path) = match first % 3 {
        0 => (Kind::Zip, "fuzz.zip"),
        1 => (Kind::Tar, "fuzz.tar"),
        _ => (Kind::TarGz, "fuzz.tar.gz"),
    };
    static SCANNER: OnceLock<Scanner> = OnceLock::new();
    let scanner =
        SCANNER.get_or_init(|| Scanner::new(RuleSet::builtin().unwrap(), ScanOptions::default()));
    let limits = Limits::default();
    let mut scratch = Scratch::default();
    let mut out = ScanOutcome::default();
    let _ = archive::scan_archive(scanner, path, rest, kind, &limits, &mut scratch, &mut out);
    assert!(out.files_scanned <= limits.max_entries as u64);
    assert!(out.bytes_scanned <= limits.max_total_bytes);
});
