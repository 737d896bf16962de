//! Files larger than 8 MiB are scanned in overlapping windows (1 MiB each, read
//! 4 MiB at a time): a key across a window or chunk boundary is found once, at
//! the line and column it has in the whole file, in every encoding.
use crate::util::*;

const MIB: usize = 1 << 20;

/// Where a planted key must be reported: (key, line, column, end line, end column).
type Planted = (String, u64, u64, u64, u64);

/// About 10.5 MiB of text (lines with multibyte characters, as columns count
/// code points) with a key across each boundary in `cuts` (the key's middle on
/// the byte offset), one on a long line that starts before a window boundary
/// beyond the overlap, and one at the very end with no newline after it.
fn big_text() -> (String, Vec<Planted>) {
    let cuts = [
        MIB,                 // window boundary
        2 * MIB + 7,         // just after one
        4 * MIB,             // chunk boundary
        8 * MIB,             // chunk boundary
        8 * MIB + 16 * 1024, // the edge of the next chunk's overlap
        9 * MIB - 1,
    ];
    let mut text = String::new();
    let mut keys: Vec<(usize, String)> = Vec::new();
    let filler = |text: &mut String, until: usize| {
        let mut n = 0u64;
        while text.len() < until {
            n += 1;
            let line = format!("INSERT INTO notes VALUES ({n}, 'café crème №{n}', 'ok');\n");
            if text.len() + line.len() > until {
                let room = until - text.len();
                text.push_str(&"-".repeat(room.saturating_sub(1)));
                if room > 0 {
                    text.push('\n');
                }
            } else {
                text.push_str(&line);
            }
        }
    };
    for (i, &cut) in cuts.iter().enumerate() {
        let key = live_key(7000 + i as u64);
        let prefix = "INSERT INTO settings VALUES ('pictify_api_key', '";
        filler(&mut text, cut - key.len() / 2 - prefix.len());
        text.push_str(prefix);
        keys.push((text.len(), key.clone()));
        text.push_str(&key);
        text.push_str("');\n");
    }
    // A 40 KiB line of multibyte text across the 10 MiB window boundary.
    filler(&mut text, 10 * MIB - 20 * 1024);
    text.push_str(&"é".repeat(20 * 1024));
    text.push_str(" pictify_api_key='");
    let key = live_key(7100);
    keys.push((text.len(), key.clone()));
    text.push_str(&key);
    text.push_str("'\n");
    filler(&mut text, 10 * MIB + 512 * 1024);
    let key = test_key(7200);
    text.push_str("PICTIFY_API_KEY=");
    keys.push((text.len(), key.clone()));
    text.push_str(&key);
    let planted = keys
        .into_iter()
        .map(|(at, key)| {
            let (line, col) = position(&text, at);
            let (end_line, end_col) = position(&text, at + key.len());
            (key, line, col, end_line, end_col)
        })
        .collect();
    (text, planted)
}

/// 1-based line and column (in code points) of a byte offset.
fn position(text: &str, at: usize) -> (u64, u64) {
    let before = &text[..at];
    let line = before.matches('\n').count() as u64 + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() as u64 + 1)
}

fn found(r: &Run) -> Vec<Planted> {
    let v = r.json();
    let mut got: Vec<Planted> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let n = |k: &str| f[k].as_u64().unwrap();
            let snippet = f["snippet"].as_str().unwrap_or_default();
            (
                snippet.to_string(),
                n("line"),
                n("column"),
                n("end_line"),
                n("end_column"),
            )
        })
        .collect();
    got.sort_by_key(|p| (p.1, p.2));
    got
}

fn assert_found_at(r: &Run, planted: &[Planted]) {
    assert_eq!(r.code, 1, "{}", r.stderr);
    let got = found(r);
    let positions = |v: &[Planted]| -> Vec<(u64, u64, u64, u64)> {
        v.iter().map(|p| (p.1, p.2, p.3, p.4)).collect()
    };
    assert_eq!(positions(&got), positions(planted), "{}", r.stdout);
    // Every key is reported whole (its redacted form keeps the prefix and length).
    for (g, p) in got.iter().zip(planted) {
        assert!(
            g.0.contains(&p.0[..8]),
            "{} does not show {}",
            g.0,
            &p.0[..8]
        );
    }
}

fn utf16(text: &str, be: bool) -> Vec<u8> {
    let mut out = if be {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for u in text.encode_utf16() {
        out.extend_from_slice(&if be { u.to_be_bytes() } else { u.to_le_bytes() });
    }
    out
}

#[test]
fn keys_across_window_and_chunk_boundaries_are_found_once_at_their_position() {
    let (text, planted) = big_text();
    let p = Project::new();
    p.write("dump.sql", &text);
    let r = p.run(&["scan", "--format", "json", "dump.sql"]);
    assert_found_at(&r, &planted);
    // One thread and several give the same report (chunks are placed in order).
    let one = p.run(&["scan", "--format", "json", "--threads", "1", "dump.sql"]);
    assert_eq!(one.stdout, r.stdout);
}

#[test]
fn every_encoding_is_scanned_across_window_boundaries() {
    let (text, planted) = big_text();
    let p = Project::new();
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(text.as_bytes());
    p.write("utf8-bom.sql", bom);
    p.write("utf16le.sql", utf16(&text, false));
    p.write("utf16be.sql", utf16(&text, true));
    for name in ["utf8-bom.sql", "utf16le.sql", "utf16be.sql"] {
        let r = p.run(&["scan", "--format", "json", name]);
        assert_found_at(&r, &planted);
    }
}

#[test]
fn binary_files_are_scanned_across_window_boundaries() {
    // A NUL in the first 64 KiB makes the file binary: literal keys are searched,
    // and UTF-16LE strings around `pk_` too.
    let (text, planted) = big_text();
    let mut data = text.into_bytes();
    data[100] = 0;
    let p = Project::new();
    p.write("blob.bin", &data);
    let r = p.run(&["scan", "--format", "json", "blob.bin"]);
    assert_found_at(&r, &planted);

    // A UTF-16LE string with a key across the 8 MiB chunk boundary.
    let mut bin = vec![0u8; 8 * MIB - 40];
    bin[..4].copy_from_slice(b"\x7fELF");
    let key = live_key(7300);
    let s = format!("PICTIFY_API_KEY={key}");
    bin.extend(s.encode_utf16().flat_map(|u| u.to_le_bytes()));
    bin.resize(9 * MIB, 0);
    p.write("lib.so", &bin);
    let r = p.run(&["scan", "--format", "json", "lib.so"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v = r.json();
    let f = &v["findings"].as_array().unwrap();
    assert_eq!(f.len(), 1, "{v}");
    assert_eq!(f[0]["encoding"], "utf-16le");
}
