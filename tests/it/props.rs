//! Property tests for the matcher, the content decoder and line/column mapping:
//! arbitrary bytes never panic, reported spans point at the matched text, and
//! UTF-8 and UTF-16 versions of the same text give the same findings.
use crate::util::fake_body;
use pkscan::content::{self, LineIndex};
use pkscan::matcher::Matcher;
use pkscan::scan::Scratch;
use pkscan::{Finding, RuleSet, ScanOptions, Scanner};
use proptest::prelude::*;
use std::sync::OnceLock;

fn scanner() -> &'static Scanner {
    static S: OnceLock<Scanner> = OnceLock::new();
    S.get_or_init(|| {
        Scanner::new(
            RuleSet::builtin().unwrap(),
            ScanOptions {
                include_other_providers: true,
                ..ScanOptions::default()
            },
        )
    })
}

fn matcher() -> &'static Matcher {
    static M: OnceLock<Matcher> = OnceLock::new();
    M.get_or_init(|| Matcher::new(&scanner().rules))
}

/// (line, column) computed the obvious way, independent of `LineIndex`.
fn naive_position(text: &[u8], offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let col = before[line_start..]
        .iter()
        .filter(|&&b| (b & 0xC0) != 0x80)
        .count()
        + 1;
    (line, col)
}

/// Bytes that are mostly noise but often contain what the pipeline reacts to:
/// key prefixes, key bodies, provider names, newlines, NULs and BOMs.
fn hostile_bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        4 => proptest::collection::vec(any::<u8>(), 0..24),
        2 => Just(b"pk_live_".to_vec()),
        1 => Just(b"pk_test_".to_vec()),
        2 => "[A-Za-z0-9_=-]{0,48}".prop_map(String::into_bytes),
        1 => prop_oneof![
            Just(b"pictify".to_vec()),
            Just(b"stripe".to_vec()),
            Just(b"localStorage.setItem(".to_vec()),
            Just(b"NEXT_PUBLIC_X=".to_vec()),
            Just(b"pkscan:allow".to_vec()),
            Just(b"\r\n".to_vec()),
            Just(b"\n".to_vec()),
            Just(b"\0".to_vec()),
            Just("é漢😀".as_bytes().to_vec()),
            Just(b"p\0k\0_\0l\0i\0v\0e\0_\0".to_vec()),
        ],
        1 => "[A-Za-z0-9]{0,40}".prop_map(|s| s.bytes().flat_map(|b| [b, 0]).collect()),
    ];
    let bom = prop_oneof![
        6 => Just(Vec::new()),
        1 => Just(b"\xEF\xBB\xBF".to_vec()),
        1 => Just(b"\xFF\xFE".to_vec()),
        1 => Just(b"\xFE\xFF".to_vec()),
    ];
    (bom, proptest::collection::vec(piece, 0..40)).prop_map(|(mut b, ps)| {
        for p in ps {
            b.extend(p);
        }
        b
    })
}

/// Checks every finding's span against the decoded text.
fn check_spans(data: &[u8], findings: &[Finding]) -> Result<(), TestCaseError> {
    let decoded = content::decode(data);
    let text: &[u8] = &decoded.text;
    for f in findings {
        let s = f.span;
        prop_assert!(s.byte_start <= s.byte_end && s.byte_end <= text.len());
        prop_assert_eq!(naive_position(text, s.byte_start), (s.line, s.column));
        prop_assert_eq!(naive_position(text, s.byte_end), (s.end_line, s.end_column));
        if let Some(secret) = &f.secret {
            let at = &text[s.byte_start..s.byte_end];
            if f.encoding.as_deref() == Some("utf-16le") {
                let narrow: Vec<u8> = at.iter().step_by(2).copied().collect();
                prop_assert_eq!(narrow, secret.expose().as_bytes());
            } else {
                prop_assert_eq!(at, secret.expose().as_bytes());
            }
        }
    }
    Ok(())
}

/// The parts of a finding that must not depend on the file's encoding.
fn projection(fs: &[Finding]) -> Vec<(String, usize, usize, usize, usize, String, String)> {
    fs.iter()
        .map(|f| {
            (
                f.rule_id.clone(),
                f.span.line,
                f.span.column,
                f.span.end_line,
                f.span.end_column,
                f.fingerprint.clone(),
                format!("{} {} {}", f.context, f.severity, f.attribution.as_str()),
            )
        })
        .collect()
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

/// A line of text that cannot name a provider, hold a placeholder word or glue
/// onto a key: digits, a few letters, punctuation, accents, CJK and emoji.
fn filler() -> impl Strategy<Value = String> {
    "[0-9abdQWZ ;,.(){}=+é漢字😀ß]{0,30}"
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn decoding_and_positions_never_panic(
        data in hostile_bytes(),
        offsets in proptest::collection::vec(any::<usize>(), 0..12),
    ) {
        let decoded = content::decode(&data);
        let text: &[u8] = &decoded.text;
        let mut sorted: Vec<usize> = offsets.iter().map(|o| o % (text.len() + 1)).collect();
        sorted.sort_unstable();
        // In any order (the index caches the last position)...
        let mut idx = LineIndex::new(text);
        for o in offsets.iter().map(|o| o % (text.len() + 1)) {
            prop_assert_eq!(idx.position(o), naive_position(text, o));
        }
        // ...and in increasing order, positions never go back.
        let mut idx = LineIndex::new(text);
        let mut last = (1, 1);
        for &o in &sorted {
            let pos = idx.position(o);
            prop_assert_eq!(pos, naive_position(text, o));
            prop_assert!(pos >= last);
            last = pos;
            let (ls, le) = LineIndex::line_bounds(text, o);
            prop_assert!(ls <= le && le <= text.len());
            let (lo, hi) = content::surrounding(text, o, o, 2, 100);
            prop_assert!(lo <= o && o <= hi && hi <= text.len());
        }
        // Out-of-range offsets clamp instead of panicking.
        let _ = idx.position(usize::MAX);
        let _ = LineIndex::line_bounds(text, usize::MAX);
    }

    #[test]
    fn matcher_finds_what_a_full_regex_scan_finds(data in hostile_bytes()) {
        let rules = &scanner().rules;
        let mut raw = Vec::new();
        matcher().find(rules, &data, false, &mut raw);
        for m in &raw {
            prop_assert!(m.start <= m.secret_start && m.secret_start <= m.secret_end);
            prop_assert!(m.secret_end <= m.end && m.end <= data.len());
        }
        prop_assert!(raw.windows(2).all(|w| w[0] < w[1]));
        // The prefilter and windows never lose a key the rule's regex finds.
        let (ki, key_rule) = rules
            .rules
            .iter()
            .enumerate()
            .find(|(_, r)| r.def.id == "pictify.api-key")
            .unwrap();
        let re = key_rule.pattern.as_ref().unwrap();
        let naive: Vec<(usize, usize)> = re
            .captures_iter(&data)
            .map(|c| {
                let s = c.get(key_rule.secret_group()).unwrap();
                (s.start(), s.end())
            })
            .collect();
        let got: Vec<(usize, usize)> = raw
            .iter()
            .filter(|m| m.rule == ki)
            .map(|m| (m.secret_start, m.secret_end))
            .collect();
        prop_assert_eq!(got, naive);
    }

    #[test]
    fn scanning_arbitrary_bytes_never_panics_and_spans_hold(data in hostile_bytes()) {
        let r = scanner().scan_blob("src/app.js", &data, &mut Scratch::default());
        check_spans(&data, &r.findings)?;
        let r = scanner().scan_blob("out/x.apk!/classes.dex", &data, &mut Scratch::default());
        check_spans(&data, &r.findings)?;
    }

    #[test]
    fn planted_key_is_reported_where_it_is(
        before in proptest::collection::vec(filler(), 0..6),
        prefix in filler(),
        after in proptest::collection::vec(filler(), 0..4),
        seed in any::<u64>(),
        live in any::<bool>(),
        crlf in any::<bool>(),
    ) {
        let key = format!("pk_{}_{}", if live { "live" } else { "test" }, fake_body(seed, 32));
        let nl = if crlf { "\r\n" } else { "\n" };
        let mut text = String::new();
        for l in &before {
            text.push_str(l);
            text.push_str(nl);
        }
        text.push_str(&prefix);
        text.push_str(" PICTIFY_KEY = \"");
        let col = prefix.chars().count() + " PICTIFY_KEY = \"".len() + 1;
        text.push_str(&key);
        text.push('"');
        for l in &after {
            text.push_str(nl);
            text.push_str(l);
        }
        let r = scanner().scan_blob("server/app.py", text.as_bytes(), &mut Scratch::default());
        prop_assert_eq!(r.findings.len(), 1, "{:?}", r.findings);
        let f = &r.findings[0];
        prop_assert_eq!((f.span.line, f.span.column), (before.len() + 1, col));
        prop_assert_eq!(
            (f.span.end_line, f.span.end_column),
            (before.len() + 1, col + key.len())
        );
        prop_assert_eq!(f.secret.as_ref().unwrap().expose(), key.as_str());
        check_spans(text.as_bytes(), &r.findings)?;
    }

    #[test]
    fn utf16_and_utf8_give_the_same_findings(
        lines in proptest::collection::vec(filler(), 1..6),
        at in any::<prop::sample::Index>(),
        seed in any::<u64>(),
        crlf in any::<bool>(),
    ) {
        let key = format!("pk_live_{}", fake_body(seed, 32));
        let nl = if crlf { "\r\n" } else { "\n" };
        let i = at.index(lines.len());
        let text: String = lines
            .iter()
            .enumerate()
            .map(|(n, l)| {
                if n == i {
                    format!("{l} pictify = '{key}'; {l}")
                } else {
                    l.clone()
                }
            })
            .collect::<Vec<_>>()
            .join(nl);
        let mut scratch = Scratch::default();
        let path = "config/settings.ini";
        let utf8 = scanner().scan_blob(path, text.as_bytes(), &mut scratch).findings;
        prop_assert_eq!(utf8.len(), 1);
        prop_assert_eq!(utf8[0].span.line, i + 1);
        let want = projection(&utf8);
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(text.as_bytes());
        for (name, data) in [
            ("utf-8 bom", bom),
            ("utf-16le", utf16(&text, false)),
            ("utf-16be", utf16(&text, true)),
        ] {
            let got = scanner().scan_blob(path, &data, &mut scratch).findings;
            prop_assert_eq!(projection(&got), want.clone(), "{}", name);
            check_spans(&data, &got)?;
        }
    }
}
