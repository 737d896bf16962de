//! Content handling: byte-order marks, UTF-16 decoding and binary detection.
//! Everything downstream matches bytes; this module decides which bytes.
use std::borrow::Cow;

/// How a blob's bytes were interpreted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 or anything ASCII-compatible; matched as bytes.
    Utf8,
    /// UTF-8 with a byte-order mark (skipped).
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    /// Contains NUL bytes: searched for literal keys only.
    Binary,
}

/// The text to match, plus what it was decoded from.
pub struct Decoded<'a> {
    pub text: Cow<'a, [u8]>,
    pub encoding: Encoding,
}

impl Decoded<'_> {
    pub fn is_binary(&self) -> bool {
        self.encoding == Encoding::Binary
    }
}

/// How much of a file is inspected for NUL bytes to call it binary.
const BINARY_SNIFF: usize = 64 * 1024;

/// How a blob whose first bytes are `head` is to be read: its byte-order mark
/// decides, then NUL bytes in the first 64 KiB (binary). `head` needs at most
/// 64 KiB, so a stream can decide before it has read the rest.
pub fn sniff(head: &[u8]) -> Encoding {
    if head.starts_with(b"\xEF\xBB\xBF") {
        Encoding::Utf8Bom
    } else if head.starts_with(b"\xFF\xFE") {
        Encoding::Utf16Le
    } else if head.starts_with(b"\xFE\xFF") {
        Encoding::Utf16Be
    } else if memchr::memchr(0, &head[..head.len().min(BINARY_SNIFF)]).is_some() {
        Encoding::Binary
    } else {
        Encoding::Utf8
    }
}

/// The bytes [`sniff`] needs to decide a blob's encoding.
pub const SNIFF_LEN: usize = BINARY_SNIFF;

impl Encoding {
    /// Length of the byte-order mark this encoding starts with.
    pub fn bom_len(self) -> usize {
        match self {
            Encoding::Utf8Bom => 3,
            Encoding::Utf16Le | Encoding::Utf16Be => 2,
            Encoding::Utf8 | Encoding::Binary => 0,
        }
    }
}

/// Interprets raw file bytes. UTF-16 with a BOM is decoded to UTF-8 so that
/// positions are reported in the decoded text; a UTF-8 BOM is skipped.
pub fn decode(data: &[u8]) -> Decoded<'_> {
    let encoding = sniff(data);
    let rest = &data[encoding.bom_len()..];
    let text = match encoding {
        Encoding::Utf16Le => Cow::Owned(decode_utf16(rest, u16::from_le_bytes)),
        Encoding::Utf16Be => Cow::Owned(decode_utf16(rest, u16::from_be_bytes)),
        Encoding::Utf8 | Encoding::Utf8Bom | Encoding::Binary => Cow::Borrowed(rest),
    };
    Decoded { text, encoding }
}

/// UTF-16 decoded chunk by chunk, with the same result as decoding the whole:
/// an odd last byte or a high surrogate at the end of a chunk waits for the next.
#[derive(Debug)]
pub struct Utf16Stream {
    conv: fn([u8; 2]) -> u16,
    /// An odd byte left over from the last chunk.
    odd: Option<u8>,
    /// A high surrogate waiting for its low half.
    high: Option<u16>,
}

impl Utf16Stream {
    /// A decoder for `encoding` if it is UTF-16.
    pub fn new(encoding: Encoding) -> Option<Utf16Stream> {
        let conv = match encoding {
            Encoding::Utf16Le => u16::from_le_bytes,
            Encoding::Utf16Be => u16::from_be_bytes,
            _ => return None,
        };
        Some(Utf16Stream {
            conv,
            odd: None,
            high: None,
        })
    }

    /// Decodes the next raw bytes (after the BOM) and appends them to `out` as UTF-8.
    pub fn push(&mut self, mut raw: &[u8], out: &mut Vec<u8>) {
        if raw.is_empty() {
            return;
        }
        let mut units: Vec<u16> = Vec::with_capacity(raw.len() / 2 + 2);
        units.extend(self.high.take());
        if let Some(a) = self.odd.take() {
            units.push((self.conv)([a, raw[0]]));
            raw = &raw[1..];
        }
        let pairs = raw.chunks_exact(2);
        if let [b] = pairs.remainder() {
            self.odd = Some(*b);
        }
        units.extend(pairs.map(|c| (self.conv)([c[0], c[1]])));
        if units.last().is_some_and(|u| (0xD800..0xDC00).contains(u)) {
            self.high = units.pop();
        }
        push_utf16(&units, out);
    }

    /// Ends the stream: a high surrogate with no low half becomes U+FFFD, as
    /// whole-blob decoding makes it; an odd last byte is dropped, likewise.
    pub fn finish(&mut self, out: &mut Vec<u8>) {
        if let Some(h) = self.high.take() {
            push_utf16(&[h], out);
        }
        self.odd = None;
    }
}

fn push_utf16(units: &[u16], out: &mut Vec<u8>) {
    let mut b = [0u8; 4];
    for c in char::decode_utf16(units.iter().copied()) {
        let c = c.unwrap_or(char::REPLACEMENT_CHARACTER);
        out.extend_from_slice(c.encode_utf8(&mut b).as_bytes());
    }
}

fn decode_utf16(bytes: &[u8], conv: fn([u8; 2]) -> u16) -> Vec<u8> {
    let units = bytes.chunks_exact(2).map(|c| conv([c[0], c[1]]));
    let s: String = char::decode_utf16(units)
        .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect();
    s.into_bytes()
}

/// Maps byte offsets to 1-based line and column (columns in Unicode code points),
/// computing line starts lazily so files without hits pay nothing.
pub struct LineIndex<'a> {
    text: &'a [u8],
    /// Line start offsets, computed up to `scanned`.
    starts: Vec<usize>,
    scanned: usize,
    /// The last position computed `(line index, offset, column)`: a span's end
    /// usually follows its start on the same line, and counting the columns of a
    /// 100 MB minified line twice from its start is what would cost.
    last: Option<(usize, usize, usize)>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a [u8]) -> Self {
        LineIndex {
            text,
            starts: vec![0],
            scanned: 0,
            last: None,
        }
    }

    fn extend_to(&mut self, offset: usize) {
        if offset < self.scanned {
            return;
        }
        let end = offset.min(self.text.len());
        for i in memchr::memchr_iter(b'\n', &self.text[self.scanned..end]) {
            self.starts.push(self.scanned + i + 1);
        }
        self.scanned = end;
    }

    /// 1-based (line, column) of a byte offset.
    pub fn position(&mut self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        self.extend_to(offset);
        let line_idx = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let col = match self.last {
            Some((l, o, c)) if l == line_idx && o <= offset => {
                c + count_chars(&self.text[o..offset])
            }
            _ => count_chars(&self.text[self.starts[line_idx]..offset]) + 1,
        };
        self.last = Some((line_idx, offset, col));
        (line_idx + 1, col)
    }

    /// The byte range of the line containing `offset` (without the newline).
    pub fn line_bounds(text: &[u8], offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let start = memchr::memrchr(b'\n', &text[..offset]).map_or(0, |i| i + 1);
        let end = memchr::memchr(b'\n', &text[offset..]).map_or(text.len(), |i| offset + i);
        let end = if end > start && text[end - 1] == b'\r' {
            end - 1
        } else {
            end
        };
        (start, end)
    }
}

/// Like [`LineIndex::line_bounds`], but looks at most `max` bytes either way:
/// per-hit work on a 100 MB single-line file must not scan the whole line.
pub fn line_bounds_near(text: &[u8], offset: usize, max: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let lo = offset.saturating_sub(max);
    let hi = offset.saturating_add(max).min(text.len());
    let start = memchr::memrchr(b'\n', &text[lo..offset]).map_or(lo, |i| lo + i + 1);
    let end = memchr::memchr(b'\n', &text[offset..hi]).map_or(hi, |i| offset + i);
    let end = if end > start && text[end - 1] == b'\r' {
        end - 1
    } else {
        end
    };
    (start, end)
}

/// Code points in a byte slice: every byte that is not a UTF-8 continuation byte
/// starts one (invalid bytes count as one each).
pub fn count_chars(bytes: &[u8]) -> usize {
    count_bytes(bytes, |b| (b & 0xC0) != 0x80)
}

/// Line breaks (`\n`) in a byte slice.
pub fn count_newlines(bytes: &[u8]) -> usize {
    count_bytes(bytes, |b| b == b'\n')
}

/// Bytes for which `f` holds, counted in blocks small enough for byte-sized sums,
/// which the compiler turns into SIMD compares (a stream counts every byte of a
/// large file through here, at memory speed).
#[inline(always)]
fn count_bytes(bytes: &[u8], f: impl Fn(u8) -> bool) -> usize {
    let mut n = 0usize;
    let mut blocks = bytes.chunks_exact(128);
    for block in &mut blocks {
        n += block.iter().map(|&b| u8::from(f(b))).sum::<u8>() as usize;
    }
    n + blocks.remainder().iter().filter(|&&b| f(b)).count()
}

/// The byte range covering `lines` lines before and after `[start, end)`, capped
/// at `max_bytes` on each side so megabyte-long minified lines stay cheap.
pub fn surrounding(
    text: &[u8],
    start: usize,
    end: usize,
    lines: usize,
    max_bytes: usize,
) -> (usize, usize) {
    let lo_cap = start.saturating_sub(max_bytes);
    let mut lo = start;
    let mut seen = 0;
    while lo > lo_cap {
        if text[lo - 1] == b'\n' {
            if seen == lines {
                break;
            }
            seen += 1;
        }
        lo -= 1;
    }
    let hi_cap = (end + max_bytes).min(text.len());
    let mut hi = end;
    let mut seen = 0;
    while hi < hi_cap {
        if text[hi] == b'\n' {
            if seen == lines {
                break;
            }
            seen += 1;
        }
        hi += 1;
    }
    (lo, hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_is_decoded() {
        let s = "a\nb pk_live_x";
        let mut le = vec![0xFF, 0xFE];
        for u in s.encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
        }
        let d = decode(&le);
        assert_eq!(d.encoding, Encoding::Utf16Le);
        assert_eq!(&*d.text, s.as_bytes());
        let mut be = vec![0xFE, 0xFF];
        for u in s.encode_utf16() {
            be.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(&*decode(&be).text, s.as_bytes());
    }

    #[test]
    fn utf16_decoded_in_pieces_equals_utf16_decoded_whole() {
        // Surrogate pairs, a lone high surrogate before a letter and at the very
        // end, and an odd last byte: every split point gives the same text.
        let mut units: Vec<u16> = "a😀b\nc".encode_utf16().collect();
        units.extend([0xD83D, u16::from(b'x'), u16::from(b'y'), 0xD83D]);
        for be in [false, true] {
            let mut raw = if be {
                vec![0xFE, 0xFF]
            } else {
                vec![0xFF, 0xFE]
            };
            for u in &units {
                raw.extend_from_slice(&if be { u.to_be_bytes() } else { u.to_le_bytes() });
            }
            raw.push(b'z');
            let whole = decode(&raw);
            let enc = whole.encoding;
            for a in 2..raw.len() {
                for b in a..raw.len() {
                    let mut d = Utf16Stream::new(enc).unwrap();
                    let mut out = Vec::new();
                    for piece in [&raw[2..a], &raw[a..b], &raw[b..]] {
                        d.push(piece, &mut out);
                    }
                    d.finish(&mut out);
                    assert_eq!(out, &*whole.text, "split at {a}, {b}");
                }
            }
        }
    }

    #[test]
    fn counting_matches_the_obvious_loop() {
        let text: Vec<u8> = (0..5000u32)
            .map(|i| [b'\n', b'a', 0xC3, 0xA9, 0xE2, 0x82][(i * 7 % 6) as usize])
            .collect();
        for end in [0, 1, 127, 128, 129, 1000, text.len()] {
            let t = &text[..end];
            assert_eq!(count_newlines(t), t.iter().filter(|&&b| b == b'\n').count());
            assert_eq!(
                count_chars(t),
                t.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
            );
        }
    }

    #[test]
    fn nul_means_binary_and_bom_is_skipped() {
        assert!(decode(b"ab\0cd").is_binary());
        let d = decode(b"\xEF\xBB\xBFhello");
        assert_eq!(&*d.text, b"hello");
        assert!(!d.is_binary());
    }

    #[test]
    fn positions_count_code_points() {
        let text = "ab\né x\nz".as_bytes();
        let mut idx = LineIndex::new(text);
        assert_eq!(idx.position(0), (1, 1));
        assert_eq!(idx.position(3), (2, 1));
        // 'x' is after "é " (3 bytes, 2 chars)
        assert_eq!(idx.position(6), (2, 3));
        assert_eq!(idx.position(text.len() - 1), (3, 1));
    }

    #[test]
    fn surrounding_is_capped() {
        let text = b"l1\nl2\nl3 KEY l3\nl4\nl5";
        let k = 9;
        let (lo, hi) = surrounding(text, k, k + 3, 1, 1000);
        assert_eq!(&text[lo..hi], b"l2\nl3 KEY l3\nl4");
        let (lo, hi) = surrounding(text, k, k + 3, 5, 2);
        assert_eq!(&text[lo..hi], b"3 KEY l");
    }
}
