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

/// Interprets raw file bytes. UTF-16 with a BOM is decoded to UTF-8 so that
/// positions are reported in the decoded text; a UTF-8 BOM is skipped.
pub fn decode(data: &[u8]) -> Decoded<'_> {
    if let Some(rest) = data.strip_prefix(b"\xEF\xBB\xBF") {
        return Decoded {
            text: Cow::Borrowed(rest),
            encoding: Encoding::Utf8Bom,
        };
    }
    if let Some(rest) = data.strip_prefix(b"\xFF\xFE") {
        return Decoded {
            text: Cow::Owned(decode_utf16(rest, u16::from_le_bytes)),
            encoding: Encoding::Utf16Le,
        };
    }
    if let Some(rest) = data.strip_prefix(b"\xFE\xFF") {
        return Decoded {
            text: Cow::Owned(decode_utf16(rest, u16::from_be_bytes)),
            encoding: Encoding::Utf16Be,
        };
    }
    let sniff = &data[..data.len().min(BINARY_SNIFF)];
    let encoding = if memchr::memchr(0, sniff).is_some() {
        Encoding::Binary
    } else {
        Encoding::Utf8
    };
    Decoded {
        text: Cow::Borrowed(data),
        encoding,
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
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
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
