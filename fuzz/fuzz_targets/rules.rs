//! Rule files (TOML) as any text: compiled, or refused with an error; a rule
//! set that compiles has its examples checked and scans a sample.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pkscan::scan::{ScanOptions, Scanner, Scratch};
use pkscan::RuleSet;

const SAMPLE: &[u8] = b"const key = \"pk_live_0123456789abcdefABCDEF\";\nPICTIFY_API_KEY=pk_test_abcdefghijklmnop0123\n";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut set = RuleSet::default();
    if set.add_file("fuzz.toml", text).is_err() {
        return;
    }
    let _ = pkscan::rules_check::check_rules(&set);
    let scanner = Scanner::new(set, ScanOptions::default());
    let _ = scanner.scan_blob("src/app.js", SAMPLE, &mut Scratch::default());
});
