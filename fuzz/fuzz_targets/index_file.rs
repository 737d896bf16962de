//! Git index files (versions 2 to 4) and their cache-tree extension, as raw
//! bytes (the seeds are indexes written by git). Whatever the bytes, the
//! parser returns or gives up, within memory proportional to the file.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some((entries, nodes)) = pkscan::fuzzing::index_file(data) {
        // Every entry takes at least 62 bytes, every directory at least 4.
        assert!(entries <= data.len() / 62);
        assert!(nodes.unwrap_or(0) <= data.len() / 4);
    }
});
