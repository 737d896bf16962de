//! Encoded and split keys: the fixed encoded forms of the key prefixes (extra
//! prefilter keywords) and bounded decoders for the text around their hits.
//!
//! Decoding is never a pass over the blob: the matcher's single Aho-Corasick pass
//! reports hits of these keywords, and only the few bytes around a hit are decoded
//! (at most [`MAX_DECODED`] bytes out, [`MAX_SCAN`] bytes looked at), into a
//! reused [`Region`]. Memory per thread is therefore bounded whatever the input.

/// The key prefixes whose encoded forms are searched for.
pub const PREFIXES: [&str; 2] = ["pk_live_", "pk_test_"];

/// At most this many decoded bytes per hit: a key is at most ~270 bytes.
pub const MAX_DECODED: usize = 1024;
/// At most this many bytes of original text are looked at on either side of a hit.
pub const MAX_SCAN: usize = 4096;
/// At most this many string literals are joined for one concatenation.
const MAX_PIECES: usize = 16;
/// At most this much whitespace (and one `+`) may separate joined literals.
const MAX_GAP: usize = 256;

/// What kind of encoded form a prefilter keyword is, and how to decode around it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trigger {
    /// Stable base64 characters of a prefix. The prefix's first 4-character
    /// group starts `lead` characters before the keyword (its byte alignment
    /// makes those characters depend on the bytes before the prefix).
    Base64 { lead: u8 },
    /// `pk%5F…`: percent-encoded underscores.
    Percent,
    /// `pk\u005f…`, `\u0070\u006b…`, `pk\x5f…`, `pk\u{5f}…`: JavaScript/JSON
    /// (and Swift) escapes.
    JsEscape,
    /// A string literal starting with (part of) a prefix, possibly continued
    /// by further literals joined with `+`.
    Concat,
    /// A list of character codes: `String.fromCharCode(112, 107, 95, …)`,
    /// `[0x70, 0x6b, 0x5f, …]`, `byteArrayOf(112, 107, …)`.
    CharCodes,
}

impl Trigger {
    /// The name reported in `Finding.encoding` (base64 vs base64url is decided
    /// by the decoded region's alphabet).
    pub fn name(self) -> &'static str {
        match self {
            Trigger::Base64 { .. } => "base64",
            Trigger::Percent => "percent",
            Trigger::JsEscape => "js-escape",
            Trigger::Concat => "concatenation",
            Trigger::CharCodes => "char-codes",
        }
    }
}

/// A prefilter keyword for an encoded form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Keyword {
    pub text: String,
    pub trigger: Trigger,
}

/// The encoded-form keywords, in a fixed order. `pk_live_`/`pk_test_` appear here
/// too (as [`Trigger::Concat`]): a plain prefix followed by a closing quote is
/// the start of a concatenation.
pub fn keywords() -> Vec<Keyword> {
    let mut out = Vec::new();
    let mut add = |text: String, trigger: Trigger| {
        if !out.iter().any(|k: &Keyword| k.text == text) {
            out.push(Keyword { text, trigger });
        }
    };
    for p in PREFIXES {
        for (text, lead) in base64_stable(p.as_bytes()) {
            add(text, Trigger::Base64 { lead });
        }
    }
    for (pk, us) in [("pk", "%5F"), ("pk", "%5f")] {
        add(format!("{pk}{us}"), Trigger::Percent);
    }
    for k in [
        r"pk\u005f",
        r"pk\u005F",
        r"pk\x5f",
        r"pk\x5F",
        // Swift, and ES2015 code-point escapes.
        r"pk\u{5f}",
        r"pk\u{5F}",
        // Fully escaped: `p` and the first hex digit of `k` in either case.
        r"\u0070\u006",
        r"\x70\x6",
    ] {
        add(k.to_string(), Trigger::JsEscape);
    }
    for p in PREFIXES {
        add(p.to_string(), Trigger::Concat);
    }
    for q in ['"', '\'', '`'] {
        add(format!("pk_{q}"), Trigger::Concat);
    }
    // `p`, `k`, `_` as decimal or hex codes, with or without spaces.
    for k in [
        "112,107,95,",
        "112, 107, 95,",
        "0x70,0x6b,0x5f,",
        "0x70, 0x6b, 0x5f,",
    ] {
        add(k.to_string(), Trigger::CharCodes);
    }
    out
}

/// For each of the three byte alignments of `prefix` in a base64 stream, the
/// longest run of output characters that depends only on the prefix, and how
/// many characters of the prefix's first group precede it.
///
/// Character `j` of a group-aligned encoding carries bits `[6j, 6j+6)`. With `a`
/// unknown bytes before the prefix, the prefix owns bits `[8a, 8a + 8n)`; a
/// character is stable when its six bits lie inside that range.
pub fn base64_stable(prefix: &[u8]) -> Vec<(String, u8)> {
    use base64::Engine;
    let mut out = Vec::new();
    for a in 0..3usize {
        let first = (8 * a).div_ceil(6);
        let last = (8 * (a + prefix.len())) / 6; // exclusive
        let mut buf = vec![0u8; a];
        buf.extend_from_slice(prefix);
        buf.extend_from_slice(&[0, 0, 0]);
        let enc = base64::engine::general_purpose::STANDARD.encode(&buf);
        out.push((enc[first..last].to_string(), first as u8));
    }
    out
}

/// A decoded piece of text: bytes, and for each byte the span of original text
/// it was decoded from. Byte 0 may be context (the byte before the encoded
/// form), so a rule's "not glued to an identifier" check still works.
#[derive(Debug, Default)]
pub struct Region {
    pub bytes: Vec<u8>,
    pub starts: Vec<usize>,
    pub ends: Vec<usize>,
    /// For concatenations: decoded index where the second literal begins. A key
    /// that ends at or before it is a plain literal, reported as such.
    pub min_end: usize,
    pub encoding: &'static str,
}

impl Region {
    fn clear(&mut self) {
        self.bytes.clear();
        self.starts.clear();
        self.ends.clear();
        self.min_end = 0;
        self.encoding = "";
    }
    fn push(&mut self, b: u8, start: usize, end: usize) -> bool {
        if self.bytes.len() >= MAX_DECODED {
            return false;
        }
        self.bytes.push(b);
        self.starts.push(start);
        self.ends.push(end);
        true
    }
    /// The original span of decoded bytes `[a, b)`.
    pub fn span(&self, a: usize, b: usize) -> (usize, usize) {
        (self.starts[a], self.ends[b - 1])
    }
}

/// Decodes the text around a keyword hit `[start, end)` of kind `trigger` into
/// `out`. Returns false when the hit is not the start of a decodable form.
pub fn decode_at(
    text: &[u8],
    trigger: Trigger,
    start: usize,
    end: usize,
    out: &mut Region,
) -> bool {
    out.clear();
    let ok = match trigger {
        Trigger::Base64 { lead } => base64_at(text, start, end, lead as usize, out),
        Trigger::Percent => percent_at(text, start, out),
        Trigger::JsEscape => escape_at(text, start, out),
        Trigger::Concat => concat_at(text, start, out),
        Trigger::CharCodes => char_codes_at(text, start, out),
    };
    if ok && out.encoding.is_empty() {
        out.encoding = trigger.name();
    }
    ok && out.bytes.len() > 1
}

fn b64_value(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' | b'-' => Some(62),
        b'/' | b'_' => Some(63),
        _ => None,
    }
}

/// Media types whose base64 payloads are binary blobs, not text holding keys.
const BLOB_MEDIA: &[&[u8]] = &[
    b"image/",
    b"font/",
    b"audio/",
    b"video/",
    b"application/font",
    b"application/x-font",
    b"application/vnd.ms-fontobject",
];

/// Subresource-integrity hashes (`integrity` in lockfiles and `<script>` tags).
const SRI: &[&[u8]] = &[b"sha1-", b"sha256-", b"sha384-", b"sha512-"];

/// Is the base64 run starting at `rs` a binary blob: a data URI of a binary
/// media type or an integrity hash?
fn is_blob(text: &[u8], rs: usize) -> bool {
    let run = &text[rs..];
    if SRI.iter().any(|p| run.starts_with(p)) {
        return true;
    }
    let before = &text[rs.saturating_sub(128)..rs];
    let Some(i) = memchr::memmem::rfind(before, b"data:") else {
        return false;
    };
    let header = &before[i + 5..];
    header.ends_with(b"base64,")
        && !header.contains(&b'\n')
        && BLOB_MEDIA
            .iter()
            .any(|m| header.len() >= m.len() && header[..m.len()].eq_ignore_ascii_case(m))
}

fn base64_at(text: &[u8], start: usize, end: usize, lead: usize, out: &mut Region) -> bool {
    let Some(gs) = start.checked_sub(lead) else {
        return false;
    };
    if text[gs..start].iter().any(|&c| b64_value(c).is_none()) {
        return false;
    }
    // Where the run of base64 characters begins: the encoded text must be
    // group-aligned from there, or the keyword hit is a coincidence.
    let cap = gs.saturating_sub(MAX_SCAN);
    let mut rs = gs;
    while rs > cap && b64_value(text[rs - 1]).is_some() {
        rs -= 1;
    }
    if rs == cap && rs > 0 && b64_value(text[rs - 1]).is_some() {
        // More than MAX_SCAN base64 characters before the key: a blob.
        return false;
    }
    if is_blob(text, rs) {
        return false;
    }
    if (gs - rs) % 4 != 0 {
        return false;
    }
    // Decode from one group earlier when there is one, so the byte before the
    // key is real context.
    let ds = if gs >= rs + 4 { gs - 4 } else { gs };
    let limit = (ds + MAX_DECODED * 4 / 3).min(text.len());
    let mut re = end;
    while re < limit && b64_value(text[re]).is_some() {
        re += 1;
    }
    let (mut acc, mut bits, mut n) = (0u32, 0u32, 0usize);
    let mut url = false;
    for (j, &c) in text[ds..re].iter().enumerate() {
        url |= c == b'-' || c == b'_';
        acc = (acc << 6) | u32::from(b64_value(c).unwrap_or(0));
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            let byte = (acc >> bits) as u8;
            acc &= (1 << bits) - 1;
            // Byte n occupies bits [8n, 8n+8): characters floor(8n/6) ..= j.
            if !out.push(byte, ds + (8 * n) / 6, ds + j + 1) {
                break;
            }
            n += 1;
        }
    }
    // Keys are ASCII letters, digits, `_` and `-`, whose base64 never contains
    // `+/` or `-_`: the alphabet usually shows only in what surrounds the key,
    // or in the call that decodes it (`Buffer.from(s, 'base64url')`, `URL_SAFE`).
    url = url || names_base64url(text, ds, re);
    out.encoding = if url { "base64url" } else { "base64" };
    true
}

/// Does the line around `[start, end)` (at most 120 bytes on each side) name
/// the URL-safe alphabet?
fn names_base64url(text: &[u8], start: usize, end: usize) -> bool {
    let (lo, hi) = crate::content::surrounding(text, start, end, 0, 120);
    let near = |a: usize, b: usize| {
        text[a..b].windows(7).any(|w| {
            w.eq_ignore_ascii_case(b"base64u")
                || w.eq_ignore_ascii_case(b"urlsafe")
                || w.eq_ignore_ascii_case(b"url_saf")
        })
    };
    near(lo, start) || near(end, hi)
}

fn hex(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

fn push_context(text: &[u8], start: usize, out: &mut Region) {
    if start > 0 {
        out.push(text[start - 1], start - 1, start);
    }
}

/// `112, 107, 95, …` or `0x70, 0x6b, …`: ASCII character codes separated by
/// commas and white space; each decoded byte maps back to its number.
fn char_codes_at(text: &[u8], start: usize, out: &mut Region) -> bool {
    push_context(text, start, out);
    let limit = (start + MAX_SCAN).min(text.len());
    let mut i = start;
    while i < limit {
        let (radix, digits_at) =
            if text[i..limit].starts_with(b"0x") || text[i..limit].starts_with(b"0X") {
                (16, i + 2)
            } else {
                (10, i)
            };
        let mut j = digits_at;
        while j < limit && (text[j] as char).is_digit(radix) {
            j += 1;
        }
        let Some(v) = std::str::from_utf8(&text[digits_at..j])
            .ok()
            .and_then(|d| u32::from_str_radix(d, radix).ok())
            .filter(|v| (0x20..0x7f).contains(v))
        else {
            break;
        };
        if !out.push(v as u8, i, j) {
            break;
        }
        // Separator: optional white space, a comma, optional white space.
        let mut k = j;
        while k < limit && text[k].is_ascii_whitespace() {
            k += 1;
        }
        if k >= limit || text[k] != b',' {
            break;
        }
        k += 1;
        while k < limit && text[k].is_ascii_whitespace() {
            k += 1;
        }
        i = k;
    }
    true
}

/// The loop shared by the unit-by-unit decoders: `unit` decodes the unit at the
/// start of a slice into (byte, length), or `None` where the encoded text ends.
fn decode_units(
    text: &[u8],
    start: usize,
    out: &mut Region,
    unit: impl Fn(&[u8]) -> Option<(u8, usize)>,
) -> bool {
    push_context(text, start, out);
    let limit = (start + MAX_SCAN).min(text.len());
    let mut i = start;
    while i < limit {
        let Some((b, len)) = unit(&text[i..limit]) else {
            break;
        };
        if !out.push(b, i, i + len) {
            break;
        }
        i += len;
    }
    true
}

/// `pk%5Flive%5F…`: unreserved characters and `%XX` escapes.
fn percent_at(text: &[u8], start: usize, out: &mut Region) -> bool {
    decode_units(text, start, out, |s| match s[0] {
        b'%' => Some((hex(*s.get(1)?)? << 4 | hex(*s.get(2)?)?, 3)),
        c if c.is_ascii_alphanumeric() || b"-._~".contains(&c) => Some((c, 1)),
        _ => None,
    })
}

/// `\u005f`, `\u{5f}` and `\x5f` escapes of ASCII characters, mixed with literal
/// key characters.
fn escape_at(text: &[u8], start: usize, out: &mut Region) -> bool {
    decode_units(text, start, out, |s| match s[0] {
        b'\\' => escape(s),
        c if c.is_ascii_alphanumeric() || c == b'_' || c == b'-' => Some((c, 1)),
        _ => None,
    })
}

/// One escape at the start of `s` (which starts with a backslash): the ASCII
/// byte it stands for and its length. Non-ASCII code points end a key anyway.
fn escape(s: &[u8]) -> Option<(u8, usize)> {
    let hexval = |d: &[u8]| -> Option<u32> {
        d.iter()
            .try_fold(0u32, |acc, &h| hex(h).map(|v| acc << 4 | u32::from(v)))
    };
    let (v, len) = match s.get(1)? {
        b'u' if s.get(2) == Some(&b'{') => {
            let close = s.iter().take(10).position(|&c| c == b'}')?;
            (hexval(&s[3..close])?, close + 1)
        }
        b'u' => (hexval(s.get(2..6)?)?, 6),
        b'x' => (hexval(s.get(2..4)?)?, 4),
        _ => return None,
    };
    u8::try_from(v).ok().filter(u8::is_ascii).map(|b| (b, len))
}

/// `'pk_live_' + 'Ab…'`, `"pk_" + "live_" + "…"`, `` `pk_test_` + `…` ``, and
/// adjacent literals (`"pk_live_" "Ab…"` in Python and C). The hit must start a
/// string literal; literals are joined while only whitespace and one `+`
/// separate them. Escapes and template substitutions end the chain.
fn concat_at(text: &[u8], start: usize, out: &mut Region) -> bool {
    let Some(&q0) = start.checked_sub(1).and_then(|i| text.get(i)) else {
        return false;
    };
    if !b"'\"`".contains(&q0) {
        return false;
    }
    push_context(text, start, out);
    let limit = (start + MAX_SCAN).min(text.len());
    let mut q = q0;
    let mut i = start;
    let mut pieces = 0;
    loop {
        // Inside a literal closed by `q`.
        while i < limit && text[i] != q {
            let c = text[i];
            if c == b'\\' || c == b'\n' || (q == b'`' && c == b'$') {
                return pieces >= 2;
            }
            if !out.push(c, i, i + 1) {
                return pieces >= 2;
            }
            i += 1;
        }
        if i >= limit {
            return pieces >= 2;
        }
        pieces += 1;
        if pieces == 1 {
            out.min_end = out.bytes.len();
        }
        if pieces == MAX_PIECES {
            return true;
        }
        // Between literals: whitespace, at most one `+`, whitespace.
        let gap_end = (i + 1 + MAX_GAP).min(limit);
        let mut j = i + 1;
        let mut plus = false;
        while j < gap_end {
            match text[j] {
                b' ' | b'\t' | b'\r' | b'\n' => j += 1,
                b'+' if !plus => {
                    plus = true;
                    j += 1;
                }
                _ => break,
            }
        }
        let adjacent = plus || j > i + 1;
        match text.get(j) {
            Some(&c) if adjacent && j < gap_end && b"'\"`".contains(&c) => {
                q = c;
                i = j + 1;
            }
            _ => return pieces >= 2,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    #[test]
    fn stable_base64_substrings() {
        let live = base64_stable(b"pk_live_");
        assert_eq!(
            live,
            vec![
                ("cGtfbGl2ZV".to_string(), 0),
                ("BrX2xpdmVf".to_string(), 2),
                ("wa19saXZlX".to_string(), 3),
            ]
        );
        // Every alignment, every surrounding byte: the keyword appears at
        // exactly `lead` characters after the prefix's first group.
        use base64::engine::general_purpose::{STANDARD, URL_SAFE};
        for p in PREFIXES {
            for (a, (kw, lead)) in base64_stable(p.as_bytes()).into_iter().enumerate() {
                for fill in [0u8, 0x3f, 0x7f, 0xa5, 0xff] {
                    let mut buf = vec![fill; a];
                    buf.extend_from_slice(p.as_bytes());
                    buf.extend_from_slice(&[fill, fill.wrapping_add(1), 7]);
                    for enc in [STANDARD.encode(&buf), URL_SAFE.encode(&buf)] {
                        assert_eq!(&enc[lead as usize..lead as usize + kw.len()], kw);
                    }
                }
            }
        }
    }

    #[test]
    fn keywords_cannot_hide_each_other() {
        // Leftmost-first matching skips keywords starting inside an earlier
        // match: no keyword's proper suffix may be a prefix of another keyword,
        // between encoded forms and between them and the built-in rules' keywords.
        let kws: Vec<String> = keywords().into_iter().map(|k| k.text).collect();
        let rules = crate::rules::RuleSet::builtin().unwrap();
        let mut all = kws.clone();
        for r in &rules.rules {
            all.extend(r.def.keywords.iter().cloned());
        }
        for a in &all {
            for b in &all {
                if !kws.contains(a) && !kws.contains(b) {
                    continue;
                }
                for cut in 1..a.len() {
                    let suffix = &a[cut..];
                    assert!(
                        !b.starts_with(suffix) && !suffix.starts_with(b.as_str()),
                        "{a:?} can hide {b:?}"
                    );
                }
            }
        }
    }

    fn decode_hit(text: &str) -> Option<(String, &'static str, usize, usize)> {
        let mut r = Region::default();
        for kw in keywords() {
            let Some(at) = text.find(&kw.text) else {
                continue;
            };
            if decode_at(text.as_bytes(), kw.trigger, at, at + kw.text.len(), &mut r) {
                let a = r.bytes.iter().position(|&b| b == b'p')?;
                let (s, e) = r.span(a, r.bytes.len());
                return Some((
                    String::from_utf8_lossy(&r.bytes[a..]).into_owned(),
                    r.encoding,
                    s,
                    e,
                ));
            }
        }
        None
    }

    #[test]
    fn base64_alignments_and_alphabets() {
        use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
        for pre in ["", "k=", "key:", "{\"k\":\""] {
            // Five `~` put a `~~~` group somewhere whatever the alignment,
            // and that encodes to `+` (`-` in base64url).
            let plain = format!("{pre}pk_live_Zq8~~~~~x");
            let enc = STANDARD.encode(&plain);
            assert!(enc.contains('+'), "{enc}");
            let text = format!("token: {enc}\n");
            let (dec, name, s, e) = decode_hit(&text).expect(&text);
            assert_eq!(dec, "pk_live_Zq8~~~~~x");
            assert_eq!(name, "base64");
            assert_eq!(e, 7 + enc.trim_end_matches('=').len());
            assert_eq!(s, 7 + (8 * pre.len()) / 6);
            let url = format!("t={}", URL_SAFE_NO_PAD.encode(&plain));
            let (_, name, _, _) = decode_hit(&url).unwrap();
            assert_eq!(name, "base64url");
        }
        // A pure key encodes the same in both alphabets; the call names it.
        let enc = URL_SAFE_NO_PAD.encode("pk_test_Zq8xYw3vBn7mKd2s");
        for (line, name) in [
            (format!("Buffer.from('{enc}', 'base64url')"), "base64url"),
            (
                format!("Base64.decode(\"{enc}\", Base64.URL_SAFE)"),
                "base64url",
            ),
            (format!("base64.urlsafe_b64decode('{enc}')"), "base64url"),
            (format!("atob('{enc}')"), "base64"),
        ] {
            assert_eq!(decode_hit(&line).unwrap().1, name, "{line}");
        }
    }

    #[test]
    fn base64_blobs_and_misalignment_are_skipped() {
        use base64::engine::general_purpose::STANDARD;
        let enc = STANDARD.encode("pk_live_Zq8xYw3vBn7mKd2s");
        assert!(decode_hit(&format!("x = '{enc}'")).is_some());
        assert!(decode_hit(&format!("src=\"data:font/woff2;base64,{enc}\"")).is_none());
        assert!(decode_hit(&format!("\"integrity\": \"sha512-{enc}\"")).is_none());
        // One extra character before: not group-aligned.
        assert!(decode_hit(&format!("x = 'A{enc}'")).is_none());
        let long = "A".repeat(MAX_SCAN + 8);
        assert!(decode_hit(&format!("x = '{long}{enc}'")).is_none());
        // Text data URIs are decoded.
        assert!(decode_hit(&format!("data:text/plain;base64,{enc}")).is_some());
    }

    #[test]
    fn percent_and_escapes() {
        let (d, n, s, e) = decode_hit("u?k=pk%5Flive%5FAb12&x").unwrap();
        assert_eq!((d.as_str(), n, s, e), ("pk_live_Ab12", "percent", 4, 20));
        let (d, n, ..) = decode_hit(r#"k = "pk\u005ftest\u005FAb-9";"#).unwrap();
        assert_eq!((d.as_str(), n), ("pk_test_Ab-9", "js-escape"));
        let (d, ..) = decode_hit(r#""\u0070\u006b\u005f\u006c\u0069\u0076\u0065\u005fQ""#).unwrap();
        assert_eq!(d, "pk_live_Q");
        let (d, ..) = decode_hit(r"'pk\x5flive\u{5f}Zz'").unwrap();
        assert_eq!(d, "pk_live_Zz");
        let (d, ..) = decode_hit(r#"let k = "pk\u{5F}test\u{5f}Zz""#).unwrap();
        assert_eq!(d, "pk_test_Zz");
    }

    #[test]
    fn concatenation() {
        let (d, n, s, e) = decode_hit("k = 'pk_live_' + 'Ab12';").unwrap();
        assert_eq!(
            (d.as_str(), n, s, e),
            ("pk_live_Ab12", "concatenation", 5, 22)
        );
        let (d, ..) = decode_hit("k = \"pk_\" +\n  \"test_\" + `Zz`").unwrap();
        assert_eq!(d, "pk_test_Zz");
        let (d, ..) = decode_hit("k = ('pk_live_' 'Ab')").unwrap();
        assert_eq!(d, "pk_live_Ab");
        // A single literal, or one joined to a variable, is not a concatenation.
        assert!(decode_hit("k = 'pk_live_' + rest").is_none());
        assert!(decode_hit("k = 'pk_live_'").is_none());
        assert!(decode_hit("k = x.pk_live_ + 'a'").is_none());
    }

    #[test]
    fn output_is_bounded() {
        let mut r = Region::default();
        let huge = format!("'pk_live_{}'", "a".repeat(100_000));
        let text = format!("{huge} + {huge}");
        decode_at(text.as_bytes(), Trigger::Concat, 1, 9, &mut r);
        assert!(r.bytes.len() <= MAX_DECODED);
        let text = format!("pk%5F{}", "%41".repeat(100_000));
        assert!(decode_at(text.as_bytes(), Trigger::Percent, 0, 5, &mut r));
        assert!(r.bytes.len() <= MAX_DECODED);
    }
}
