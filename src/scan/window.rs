//! Large blobs in bounded windows: a blob larger than [`WINDOWED_ABOVE`] is
//! scanned as overlapping windows, each through the per-blob text pipeline, so
//! memory and the work after a hit depend on the window, never on the blob's size.
//!
//! A window owns the findings that start in its middle ([`WINDOW`] bytes) and sees
//! [`OVERLAP`] bytes on each side: more than any match (the matcher confirms at
//! most ~1.5 KiB around a keyword), decoded region (4 KiB each way) or context
//! (4 KiB along a line) a finding needs. A key across a window boundary is
//! therefore found whole, and once. Classification sees the window as the file's
//! text. Lines and columns are counted as the windows slide past, so positions
//! are those of the whole blob; offsets are in the decoded text, as for a blob
//! scanned whole.
//!
//! An input feeds a [`TextStream`] chunk by chunk (a memory-mapped part of a
//! file, or what a reader gave), each chunk [`CHUNK`] bytes of new text plus the
//! overlap with the last, so it never holds more than one chunk of a blob.
use super::{BlobResult, Scanner, Scratch, UTF16_KEY_PREFIX};
use crate::classify::project::ProjectFiles;
use crate::content::{self, count_chars, count_newlines, Encoding, Utf16Stream};
use crate::finding::Finding;
use std::io::{self, Read};
use std::ops::Range;

/// Blobs with more text than this are scanned in windows; smaller ones whole.
pub const WINDOWED_ABOVE: usize = 8 << 20;
/// The part of the text each window owns: what classification of a hit looks at.
pub const WINDOW: usize = 1 << 20;
/// What a window sees before and after the part it owns.
pub const OVERLAP: usize = 16 << 10;
/// New text per chunk of a stream.
pub const CHUNK: usize = 4 * WINDOW;

/// A position in the decoded text: the offset, the line breaks before it and the
/// code points since the last one.
#[derive(Clone, Copy, Debug, Default)]
struct Cursor {
    offset: usize,
    line: usize,
    col: usize,
}

impl Cursor {
    fn advance(&mut self, passed: &[u8]) {
        match memchr::memrchr(b'\n', passed) {
            None => self.col += count_chars(passed),
            Some(last) => {
                self.line += count_newlines(passed);
                self.col = count_chars(&passed[last + 1..]);
            }
        }
        self.offset += passed.len();
    }

    /// Moves on by what `passed` counted from this position.
    fn then(&mut self, passed: &Cursor) {
        if passed.line == 0 {
            self.col += passed.col;
        } else {
            self.line += passed.line;
            self.col = passed.col;
        }
    }

    /// A window-relative 1-based (line, column) made absolute.
    fn place(&self, line: &mut usize, col: &mut usize) {
        if *line == 1 {
            *col += self.col;
        }
        *line += self.line;
    }
}

/// One blob's windows: where the current one starts, and what they found.
struct Windows<'a, F> {
    scanner: &'a Scanner,
    project: &'a dyn ProjectFiles,
    /// Builds the display path on the first window with a hit.
    make_path: Option<F>,
    path: Option<String>,
    binary: bool,
    /// The start of the current window.
    at: Cursor,
    result: BlobResult,
}

impl<'a, F: FnOnce() -> String> Windows<'a, F> {
    fn new(scanner: &'a Scanner, project: &'a dyn ProjectFiles, path: F, binary: bool) -> Self {
        Windows {
            scanner,
            project,
            make_path: Some(path),
            path: None,
            binary,
            at: Cursor::default(),
            result: BlobResult::default(),
        }
    }

    /// Scans one window of text starting at `self.at`, keeping the findings that
    /// start in `own` (window-relative).
    fn scan(&mut self, text: &[u8], own: Range<usize>, scratch: &mut Scratch) {
        let s = self.scanner;
        // The prefilter first: a window without hits costs no path and no analysis.
        scratch.raw.clear();
        scratch.hits.clear();
        self.result.mentions_pictify |= s.matcher.find_with_encoded(
            &s.rules,
            text,
            self.binary,
            &mut scratch.raw,
            &mut scratch.hits,
        );
        let utf16 = self.binary && memchr::memmem::find(text, UTF16_KEY_PREFIX).is_some();
        if scratch.raw.is_empty() && scratch.hits.is_empty() && !utf16 {
            return;
        }
        if self.path.is_none() {
            self.path = self.make_path.take().map(|f| f());
        }
        let path = self.path.as_deref().unwrap_or_default();
        let mut found = s.scan_text(self.project, path, text, self.binary, scratch);
        if self.binary {
            s.scan_utf16_strings(path, text, scratch, &mut found);
        }
        // Counted per window: hits in an overlap may be counted by both windows.
        self.result.dropped += found.dropped;
        for mut f in found.findings {
            if !own.contains(&f.span.byte_start) {
                continue;
            }
            self.shift(&mut f);
            if self.result.findings.len() >= s.opts.max_findings_per_blob {
                self.result.dropped += 1;
            } else {
                self.result.findings.push(f);
            }
        }
    }

    /// Scans the windows owning `own` (decoded offsets) of `chunk`, which starts at
    /// `self.at`, then moves `self.at` to where the next chunk starts: an overlap
    /// before the end of `own`.
    fn over(&mut self, chunk: &[u8], own: Range<usize>, scratch: &mut Scratch) {
        let base = self.at.offset;
        let end = base + chunk.len();
        let mut start = own.start;
        while start < own.end {
            let stop = (start + WINDOW).min(own.end);
            let lo = start.saturating_sub(OVERLAP).max(base);
            let hi = (stop + OVERLAP).min(end);
            self.at.advance(&chunk[self.at.offset - base..lo - base]);
            self.scan(&chunk[lo - base..hi - base], start - lo..stop - lo, scratch);
            start = stop;
        }
        let next = own.end.saturating_sub(OVERLAP).max(self.at.offset);
        self.at.advance(&chunk[self.at.offset - base..next - base]);
    }

    fn shift(&self, f: &mut Finding) {
        let span = &mut f.span;
        span.byte_start += self.at.offset;
        span.byte_end += self.at.offset;
        self.at.place(&mut span.line, &mut span.column);
        self.at.place(&mut span.end_line, &mut span.end_column);
    }
}

/// One chunk scanned on its own: positions relative to its start, and what it
/// counted up to the start of the next chunk.
struct Chunked {
    passed: Cursor,
    result: BlobResult,
}

/// A blob's text, fed in order, chunk by chunk: each chunk is the text range
/// [`TextStream::next_chunk`] asks for, or less of it at the end of the blob.
pub struct TextStream<'a, F> {
    w: Windows<'a, F>,
    /// Findings starting before this offset were owned by a window already.
    owned: usize,
}

impl<'a, F: FnOnce() -> String> TextStream<'a, F> {
    /// The decoded-text range the next chunk should cover (it may end earlier,
    /// at the end of the blob).
    pub fn next_chunk(&self) -> Range<usize> {
        self.w.at.offset..self.owned + CHUNK + OVERLAP
    }

    /// Scans the next chunk, which starts at `next_chunk().start`; `last` when
    /// it ends the blob.
    pub fn feed(&mut self, chunk: &[u8], last: bool, scratch: &mut Scratch) {
        let base = self.w.at.offset;
        let end = base + chunk.len();
        let own_end = if last {
            end
        } else {
            end.saturating_sub(OVERLAP).max(self.owned)
        };
        self.w.over(chunk, self.owned..own_end, scratch);
        self.owned = own_end;
    }

    /// What the blob's windows found.
    pub fn finish(self) -> BlobResult {
        self.w.result
    }
}

impl Scanner {
    /// A stream for a blob whose text is `binary` (literal keys only) or not.
    /// `path` is built only if a window has a hit.
    pub fn text_stream<'a, F: FnOnce() -> String>(
        &'a self,
        project: &'a dyn ProjectFiles,
        path: F,
        binary: bool,
    ) -> TextStream<'a, F> {
        TextStream {
            w: Windows::new(self, project, path, binary),
            owned: 0,
        }
    }

    /// Scans decoded text held in memory window by window (see the module doc).
    pub(super) fn scan_windows(
        &self,
        project: &dyn ProjectFiles,
        path: &str,
        text: &[u8],
        binary: bool,
        scratch: &mut Scratch,
    ) -> BlobResult {
        let path = || path.to_string();
        let chunk = |r: Range<usize>| Ok(&text[r]);
        self.scan_chunks(project, &path, text.len(), binary, 1, scratch, &chunk)
            .unwrap_or_default()
    }

    /// Scans a blob of `len` bytes of text in chunks, on up to `threads` threads;
    /// `chunk(range)` gives the text of a range (a memory map of that part of a
    /// file, say), which is dropped when its windows are done. Chunks are scanned
    /// independently, with positions relative to their start, then placed in
    /// order. Memory: one chunk per thread.
    #[allow(clippy::too_many_arguments)]
    pub fn scan_chunks<C: std::ops::Deref<Target = [u8]>>(
        &self,
        project: &dyn ProjectFiles,
        path: &(dyn Fn() -> String + Sync),
        len: usize,
        binary: bool,
        threads: usize,
        scratch: &mut Scratch,
        chunk: &(dyn Fn(Range<usize>) -> io::Result<C> + Sync),
    ) -> io::Result<BlobResult> {
        let count = len.div_ceil(CHUNK).max(1);
        // Chunk k owns [k * CHUNK, (k + 1) * CHUNK) and sees an overlap around it.
        let run = |k: usize, scratch: &mut Scratch| -> io::Result<Chunked> {
            let own = k * CHUNK..((k + 1) * CHUNK).min(len);
            let view = own.start.saturating_sub(OVERLAP)..(own.end + OVERLAP).min(len);
            let text = chunk(view.clone())?;
            let mut w = Windows::new(self, project, path, binary);
            w.at.offset = view.start;
            w.over(&text, own, scratch);
            Ok(Chunked {
                passed: w.at,
                result: w.result,
            })
        };
        let done: Vec<io::Result<Chunked>> = if threads <= 1 || count == 1 {
            (0..count).map(|k| run(k, scratch)).collect()
        } else {
            let next = std::sync::atomic::AtomicUsize::new(0);
            let slots: std::sync::Mutex<Vec<Option<io::Result<Chunked>>>> =
                std::sync::Mutex::new((0..count).map(|_| None).collect());
            std::thread::scope(|s| {
                for _ in 0..threads.min(count) {
                    s.spawn(|| {
                        let mut scratch = Scratch::default();
                        loop {
                            let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            if k >= count {
                                break;
                            }
                            let r = run(k, &mut scratch);
                            if let Ok(mut slots) = slots.lock() {
                                slots[k] = Some(r);
                            }
                        }
                    });
                }
            });
            slots
                .into_inner()
                .unwrap_or_default()
                .into_iter()
                .map(|r| r.unwrap_or_else(|| Err(io::Error::other("a chunk was not scanned"))))
                .collect()
        };
        let mut out = BlobResult::default();
        let mut at = Cursor::default();
        for chunk in done {
            let Chunked { passed, result } = chunk?;
            out.mentions_pictify |= result.mentions_pictify;
            out.dropped += result.dropped;
            for mut f in result.findings {
                at.place(&mut f.span.line, &mut f.span.column);
                at.place(&mut f.span.end_line, &mut f.span.end_column);
                if out.findings.len() >= self.opts.max_findings_per_blob {
                    out.dropped += 1;
                } else {
                    out.findings.push(f);
                }
            }
            at.then(&passed);
        }
        Ok(out)
    }

    /// Scans a blob read from `reader` chunk by chunk, never holding more than
    /// one chunk of it. `buf` holds the blob's first bytes, already read, and is
    /// reused for the chunks; at most `limit` bytes are read in all (a file that
    /// grows meanwhile stops there). `path` is built only if a window has a hit.
    /// Returns what was found and the number of bytes read.
    pub fn scan_reader(
        &self,
        project: &dyn ProjectFiles,
        path: impl FnOnce() -> String,
        buf: &mut Vec<u8>,
        reader: &mut dyn Read,
        limit: u64,
        scratch: &mut Scratch,
    ) -> io::Result<(BlobResult, u64)> {
        let mut read = buf.len() as u64;
        let mut eof = false;
        if buf.len() < content::SNIFF_LEN {
            let want = (content::SNIFF_LEN - buf.len()) as u64;
            let (n, end) = fill(reader, buf, want, limit, read)?;
            read += n;
            eof = end;
        }
        let encoding = content::sniff(buf);
        let binary = encoding == Encoding::Binary;
        if binary && !self.opts.binary {
            let r = BlobResult {
                skipped_binary: true,
                ..Default::default()
            };
            return Ok((r, read));
        }
        // The text: `buf` itself, or what UTF-16 decodes to.
        let mut utf16 = Utf16Stream::new(encoding);
        let mut raw = Vec::new();
        let mut decoded = Vec::new();
        buf.drain(..encoding.bom_len().min(buf.len()));
        if let Some(d) = &mut utf16 {
            d.push(buf, &mut decoded);
            buf.clear();
            std::mem::swap(buf, &mut raw);
        }
        let text: &mut Vec<u8> = if utf16.is_some() { &mut decoded } else { buf };
        // The decoded offset of `text[0]`.
        let mut text_at = 0;
        let mut stream = self.text_stream(project, path, binary);
        loop {
            let want = stream.next_chunk();
            text.drain(..want.start - text_at);
            text_at = want.start;
            while !eof && text.len() < want.len() {
                let more = (want.len() - text.len()) as u64;
                let (n, end) = match &mut utf16 {
                    None => fill(reader, text, more, limit, read)?,
                    Some(d) => {
                        raw.clear();
                        let r = fill(reader, &mut raw, more, limit, read)?;
                        d.push(&raw, text);
                        r
                    }
                };
                read += n;
                eof = end;
            }
            if eof {
                if let Some(d) = &mut utf16 {
                    d.finish(text);
                }
            }
            stream.feed(text, eof, scratch);
            if eof {
                return Ok((stream.finish(), read));
            }
        }
    }
}
/// Appends up to `want` bytes of `reader` to `out`, never reading past `limit` in
/// all (`read` so far). Returns the bytes read and whether the blob ended (end of
/// file, or the limit).
fn fill(
    reader: &mut dyn Read,
    out: &mut Vec<u8>,
    want: u64,
    limit: u64,
    read: u64,
) -> io::Result<(u64, bool)> {
    let want = want.min(limit.saturating_sub(read));
    if want == 0 {
        return Ok((0, true));
    }
    let n = reader.take(want).read_to_end(out)? as u64;
    Ok((n, n < want))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::project::NoProject;
    use crate::rules::RuleSet;
    use crate::scan::ScanOptions;

    fn key(seed: u32) -> String {
        let body: String = (0..32u32)
            .map(|i| {
                let x = (i * 7 + seed * 13 + i * i * 3) % 62;
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"[x as usize]
                    as char
            })
            .collect();
        format!("pk_live_{body}")
    }

    /// 9 MiB and a bit of lines, with keys across the first window boundaries
    /// and the first chunk boundary.
    fn text() -> Vec<u8> {
        let mut t = Vec::new();
        let mut n = 0;
        for (i, cut) in [WINDOW, 2 * WINDOW, CHUNK, CHUNK + OVERLAP, 9 * WINDOW]
            .into_iter()
            .enumerate()
        {
            while t.len() < cut - 60 {
                n += 1;
                t.extend_from_slice(format!("row {n}: naïve data\n").as_bytes());
            }
            t.extend_from_slice(b"pictify_api_key = '");
            t.extend_from_slice(key(i as u32).as_bytes());
            t.extend_from_slice(b"'\n");
        }
        t
    }

    fn positions(r: &BlobResult) -> Vec<(usize, usize, usize, usize, usize)> {
        let mut v: Vec<_> = r
            .findings
            .iter()
            .map(|f| {
                let s = f.span;
                (s.byte_start, s.line, s.column, s.end_line, s.end_column)
            })
            .collect();
        v.sort_unstable();
        v
    }

    #[test]
    fn every_way_of_feeding_windows_finds_the_same_keys_at_the_same_places() {
        let scanner = Scanner::new(RuleSet::builtin().unwrap(), ScanOptions::default());
        let text = text();
        let mut scratch = Scratch::default();
        let whole = scanner.scan_blob("dump.sql", &text, &mut scratch);
        let at = positions(&whole);
        assert_eq!(at.len(), 5, "{:?}", whole.findings);
        // Each key's position, counted the obvious way.
        for &(start, line, col, ..) in &at {
            let before = &text[..start];
            assert_eq!(line, before.iter().filter(|&&b| b == b'\n').count() + 1);
            let ls = before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            assert_eq!(col, content::count_chars(&before[ls..]) + 1);
        }
        let path = || "dump.sql".to_string();
        let slice = |r: Range<usize>| Ok(&text[r]);
        let parallel = scanner
            .scan_chunks(
                &NoProject,
                &path,
                text.len(),
                false,
                3,
                &mut scratch,
                &slice,
            )
            .unwrap();
        assert_eq!(positions(&parallel), at);
        let mut buf = text[..1000].to_vec();
        let mut rest = &text[1000..];
        let (read, n) = scanner
            .scan_reader(
                &NoProject,
                path,
                &mut buf,
                &mut rest,
                u64::MAX,
                &mut scratch,
            )
            .unwrap();
        assert_eq!(n, text.len() as u64);
        assert_eq!(positions(&read), at);
        // A limit stops the reader: the last key is past it.
        let mut buf = Vec::new();
        let mut all = &text[..];
        let limit = (9 * WINDOW - 100) as u64;
        let (cut, n) = scanner
            .scan_reader(&NoProject, path, &mut buf, &mut all, limit, &mut scratch)
            .unwrap();
        assert_eq!(n, limit);
        assert_eq!(positions(&cut), at[..4]);
    }
}
