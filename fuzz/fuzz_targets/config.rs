//! `.pkscan.toml` as any text: parsed and validated, or refused with an error
//! that names a place in the file.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pkscan::config::{Config, ConfigError};
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    // Config files are read as UTF-8; anything else is a read error.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Config::parse(Path::new("/repo/.pkscan.toml"), text) {
        Ok(c) => assert!(c.allow.keys().all(|f| f.len() == 32)),
        Err(ConfigError::Invalid { line, column, .. }) => {
            assert!(line >= 1 && line <= text.lines().count().max(1) + 1);
            assert!(column >= 1);
        }
        Err(e) => panic!("parsing text cannot fail to read: {e}"),
    }
});
