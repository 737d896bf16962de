//! Archives and app packages (`.zip .jar .aar .apk .aab .ipa`, `.tar .tar.gz .tgz`):
//! opened in memory, entries scanned through [`Scanner::scan_blob`] under
//! `outer.zip!/inner.jar!/a.properties` display paths, recursively, within limits
//! on depth, entry count, total size and compression ratio. Nothing from an
//! archive is ever written to disk.
use crate::outcome::{cause, Notice, ScanOutcome};
use crate::scan::{Scanner, Scratch};
use std::cell::Cell;
use std::io::{self, Cursor, Read};
use std::rc::Rc;

pub use crate::finding::ARCHIVE_SEP as SEP;

/// Limits that keep hostile archives (zip bombs, deep nesting) from exhausting
/// time or memory. Budgets are shared by an archive and everything nested in it.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Archives nested deeper than this are scanned as plain files.
    pub max_depth: usize,
    /// Entries (files) across an archive and its nested archives.
    pub max_entries: usize,
    /// Uncompressed bytes across an archive and its nested archives.
    pub max_total_bytes: u64,
    /// Uncompressed bytes of one entry (entries are held in memory to be scanned).
    pub max_entry_bytes: u64,
    /// Uncompressed-to-compressed ratio above which an entry is a bomb...
    pub max_ratio: u64,
    /// ...once it has produced more than this many bytes (small, very repetitive
    /// files compress well and are fine).
    pub ratio_floor: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 4,
            max_entries: 100_000,
            max_total_bytes: 2 * 1024 * 1024 * 1024,
            max_entry_bytes: 256 * 1024 * 1024,
            max_ratio: 200,
            ratio_floor: 1024 * 1024,
        }
    }
}

/// Archive formats recognised by file name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Zip,
    Tar,
    TarGz,
}

/// The archive format a file name says, if any (case-insensitive).
pub fn kind_of(name: &str) -> Option<Kind> {
    // Called for every file of a walk: compared in place, without allocating.
    let base = name.rsplit('/').next().unwrap_or(name).as_bytes();
    let ends = |ext: &str| {
        base.len() >= ext.len()
            && base[base.len() - ext.len()..].eq_ignore_ascii_case(ext.as_bytes())
    };
    const ZIPS: &[&str] = &[
        ".zip", ".jar", ".aar", ".apk", ".aab", ".ipa", ".war", ".ear",
    ];
    if ZIPS.iter().any(|e| ends(e)) {
        Some(Kind::Zip)
    } else if ends(".tar.gz") || ends(".tgz") {
        Some(Kind::TarGz)
    } else if ends(".tar") {
        Some(Kind::Tar)
    } else {
        None
    }
}

/// Why an archive (or the walk over it) stopped early.
#[derive(Debug)]
enum Stop {
    /// Not a readable archive of this kind at all: scan it as a plain file.
    Damaged(String),
    /// A limit shared with the enclosing archives was reached: stop them all.
    Budget(String),
    /// This archive was stopped (a bomb); already reported. Enclosing archives go on.
    Halted,
}

/// Scans an archive's entries. Returns `false` when `data` is not a readable
/// archive at all (the caller then scans it as a plain file); everything else,
/// including damaged entries and limits, becomes a notice in `out`.
pub fn scan_archive(
    scanner: &Scanner,
    path: &str,
    data: &[u8],
    kind: Kind,
    limits: &Limits,
    scratch: &mut Scratch,
    out: &mut ScanOutcome,
) -> Result<(), String> {
    let mut w = Walk {
        scanner,
        limits,
        scratch,
        out,
        entries: 0,
        bytes: 0,
    };
    match w.archive(path, data, kind, 0) {
        Ok(()) | Err(Stop::Halted) => Ok(()),
        Err(Stop::Damaged(reason)) => Err(reason),
        Err(Stop::Budget(reason)) => {
            w.out.notices.push(Notice::skipped_as(
                cause::ARCHIVE_LIMIT,
                path.to_string(),
                reason,
            ));
            Ok(())
        }
    }
}

struct Walk<'a> {
    scanner: &'a Scanner,
    limits: &'a Limits,
    scratch: &'a mut Scratch,
    out: &'a mut ScanOutcome,
    entries: usize,
    bytes: u64,
}

/// How reading one entry ended.
enum Entry {
    Read(Vec<u8>),
    /// Read failed part-way (damaged data); what was read is still scanned.
    Partial(Vec<u8>, String),
    TooLarge,
    Bomb,
}

/// A reader that stops (with an error) after `left` bytes and remembers that it did.
struct Capped<R> {
    inner: R,
    left: u64,
    hit: Rc<Cell<bool>>,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 {
            self.hit.set(true);
            return Err(io::Error::other("decompression limit reached"));
        }
        let n = buf.len().min(self.left.min(usize::MAX as u64) as usize);
        let got = self.inner.read(&mut buf[..n])?;
        self.left -= got as u64;
        Ok(got)
    }
}

impl Walk<'_> {
    fn archive(&mut self, path: &str, data: &[u8], kind: Kind, depth: usize) -> Result<(), Stop> {
        match kind {
            Kind::Zip => self.zip(path, data, depth),
            Kind::Tar => self.tar(path, data, None, depth),
            Kind::TarGz => {
                let gz = flate2::read::GzDecoder::new(data);
                self.tar(path, gz, Some(data.len() as u64), depth)
            }
        }
    }

    fn zip(&mut self, path: &str, data: &[u8], depth: usize) -> Result<(), Stop> {
        let mut za = zip::ZipArchive::new(Cursor::new(data))
            .map_err(|e| Stop::Damaged(format!("not a readable zip archive: {e}")))?;
        for i in 0..za.len() {
            let name = za
                .name_for_index(i)
                .map(display_name)
                .unwrap_or_else(|| format!("#{i}"));
            let mut f = match za.by_index(i) {
                Ok(f) => f,
                Err(e) => {
                    self.out.notices.push(Notice::skipped_as(
                        cause::DAMAGED_ARCHIVE,
                        format!("{path}{SEP}{name}"),
                        format!("cannot read archive entry: {e}"),
                    ));
                    continue;
                }
            };
            if f.is_dir() || f.is_symlink() {
                continue;
            }
            let entry_path = format!("{path}{SEP}{name}");
            self.count_entry(path)?;
            let (declared, compressed) = (f.size(), f.compressed_size());
            let read = self.read_entry(&mut f, declared, Some(compressed))?;
            drop(f);
            self.entry(&entry_path, read, depth)?;
        }
        Ok(())
    }

    /// Tar entries come one after another from a stream; `gz_len` is the size of
    /// the gzip stream they are decompressed from, if any.
    fn tar<R: Read>(
        &mut self,
        path: &str,
        reader: R,
        gz_len: Option<u64>,
        depth: usize,
    ) -> Result<(), Stop> {
        // A gzip stream is one compressed unit: cap its whole output by ratio.
        let hit = Rc::new(Cell::new(false));
        let capped = Capped {
            inner: reader,
            left: gz_len.map_or(u64::MAX, |c| {
                c.saturating_mul(self.limits.max_ratio)
                    .max(self.limits.ratio_floor)
            }),
            hit: hit.clone(),
        };
        let mut ar = tar::Archive::new(capped);
        let entries = ar
            .entries()
            .map_err(|e| Stop::Damaged(format!("not a readable tar archive: {e}")))?;
        let mut seen_any = false;
        for entry in entries {
            let mut e = match entry {
                Err(_) if hit.get() => break,
                Err(err) if !seen_any => {
                    return Err(Stop::Damaged(format!("not a readable tar archive: {err}")))
                }
                Err(err) => {
                    self.out.notices.push(Notice::skipped_as(
                        cause::DAMAGED_ARCHIVE,
                        path.to_string(),
                        format!("archive is damaged after its readable entries: {err}"),
                    ));
                    return Ok(());
                }
                Ok(e) => e,
            };
            seen_any = true;
            if !e.header().entry_type().is_file() {
                continue;
            }
            let entry_path = format!(
                "{path}{SEP}{}",
                display_name(&String::from_utf8_lossy(&e.path_bytes()))
            );
            self.count_entry(path)?;
            let declared = e.size();
            let read = self.read_entry(&mut e, declared, None)?;
            if hit.get() {
                break;
            }
            self.entry(&entry_path, read, depth)?;
        }
        if hit.get() {
            self.out.notices.push(Notice::skipped_as(
                cause::ARCHIVE_LIMIT,
                path.to_string(),
                format!(
                    "decompresses to more than {}x its size (a decompression bomb?); stopped reading it",
                    self.limits.max_ratio
                ),
            ));
            return Err(Stop::Halted);
        }
        Ok(())
    }

    fn count_entry(&mut self, path: &str) -> Result<(), Stop> {
        self.entries += 1;
        if self.entries > self.limits.max_entries {
            return Err(Stop::Budget(format!(
                "more than {} entries in the archive (stopped at {path}); the rest was not scanned",
                self.limits.max_entries
            )));
        }
        Ok(())
    }

    /// Reads one entry into memory within the size, budget and ratio limits.
    fn read_entry(
        &mut self,
        r: &mut dyn Read,
        declared: u64,
        compressed: Option<u64>,
    ) -> Result<Entry, Stop> {
        let l = self.limits;
        let budget_left = l.max_total_bytes.saturating_sub(self.bytes);
        // An honest header can already say it is a bomb.
        if let Some(c) = compressed {
            if declared > l.ratio_floor && declared / c.max(1) > l.max_ratio {
                return Ok(Entry::Bomb);
            }
        }
        if declared > l.max_entry_bytes {
            return Ok(Entry::TooLarge);
        }
        if declared > budget_left {
            return Err(self.budget_stop());
        }
        let ratio_cap = compressed.map_or(u64::MAX, |c| {
            c.saturating_mul(l.max_ratio).max(l.ratio_floor)
        });
        // Declared sizes can lie: never read past the limits whatever they say.
        let cap = l.max_entry_bytes.min(budget_left).min(ratio_cap);
        let mut buf = Vec::with_capacity(declared.min(cap).min(64 * 1024 * 1024) as usize);
        let res = r.take(cap.saturating_add(1)).read_to_end(&mut buf);
        let n = buf.len() as u64;
        self.bytes += n.min(cap);
        if n > cap {
            if n > ratio_cap {
                return Ok(Entry::Bomb);
            }
            if n > budget_left {
                return Err(self.budget_stop());
            }
            return Ok(Entry::TooLarge);
        }
        Ok(match res {
            Ok(_) => Entry::Read(buf),
            Err(e) => Entry::Partial(buf, e.to_string()),
        })
    }

    fn budget_stop(&self) -> Stop {
        Stop::Budget(format!(
            "more than {} MiB uncompressed in the archive; the rest was not scanned",
            self.limits.max_total_bytes / (1024 * 1024)
        ))
    }

    /// Scans one entry read from an archive: nested archives recursively, the rest as blobs.
    fn entry(&mut self, entry_path: &str, read: Entry, depth: usize) -> Result<(), Stop> {
        let data = match read {
            Entry::Read(d) => d,
            Entry::Partial(d, err) => {
                self.out.notices.push(Notice::warning_as(
                    cause::DAMAGED_ARCHIVE,
                    entry_path.to_string(),
                    format!(
                        "damaged archive entry ({err}); scanned the {} bytes that could be read",
                        d.len()
                    ),
                ));
                d
            }
            Entry::TooLarge => {
                self.out.notices.push(Notice::skipped_as(
                    cause::TOO_LARGE,
                    entry_path.to_string(),
                    format!(
                        "archive entry larger than {} bytes",
                        self.limits.max_entry_bytes
                    ),
                ));
                return Ok(());
            }
            Entry::Bomb => {
                // The rest of this archive is likely more of the same: stop it.
                self.out.notices.push(Notice::skipped_as(
                    cause::ARCHIVE_LIMIT,
                    entry_path.to_string(),
                    format!(
                        "decompresses to more than {}x its compressed size (a zip bomb?); stopped reading the archive that contains it",
                        self.limits.max_ratio
                    ),
                ));
                return Err(Stop::Halted);
            }
        };
        if let Some(kind) = kind_of(entry_path) {
            if depth < self.limits.max_depth {
                match self.archive(entry_path, &data, kind, depth + 1) {
                    Ok(()) | Err(Stop::Halted) => {}
                    Err(Stop::Budget(r)) => return Err(Stop::Budget(r)),
                    Err(Stop::Damaged(r)) => {
                        self.out.notices.push(Notice::warning_as(
                            cause::DAMAGED_ARCHIVE,
                            entry_path.to_string(),
                            format!("{r}; scanned as a plain file"),
                        ));
                        self.blob(entry_path, &data);
                    }
                }
                return Ok(());
            }
            self.out.notices.push(Notice::warning_as(
                cause::ARCHIVE_LIMIT,
                entry_path.to_string(),
                format!(
                    "archives nested more than {} deep; scanned as a plain file",
                    self.limits.max_depth
                ),
            ));
        }
        self.blob(entry_path, &data);
        Ok(())
    }

    fn blob(&mut self, path: &str, data: &[u8]) {
        scan_blob_into(self.scanner, path, data, self.scratch, self.out);
    }
}

/// Scans one blob and records the result (findings, counts, notices) in `out`.
pub fn scan_blob_into(
    scanner: &Scanner,
    path: &str,
    data: &[u8],
    scratch: &mut Scratch,
    out: &mut ScanOutcome,
) {
    let r = scanner.scan_blob(path, data, scratch);
    record_blob(scanner, || path.to_string(), data.len(), r, out);
}

/// Adds one blob's result to `out`; `path` is only called when a notice needs it.
pub fn record_blob(
    scanner: &Scanner,
    path: impl Fn() -> String,
    len: usize,
    r: crate::scan::BlobResult,
    out: &mut ScanOutcome,
) {
    if let Some(n) = r.failure_notice(path()) {
        out.notices.push(n);
    }
    if r.skipped_binary {
        out.notices.push(Notice::skipped_as(
            cause::BINARY,
            path(),
            "binary file (--no-binary)".into(),
        ));
        return;
    }
    out.files_scanned += 1;
    out.bytes_scanned += len as u64;
    out.mentions_pictify |= r.mentions_pictify;
    if r.dropped > 0 {
        out.notices.push(Notice::warning(
            path(),
            format!(
                "{} more possible keys in this file were not examined (at most {} findings are kept per file)",
                r.dropped, scanner.opts.max_findings_per_blob
            ),
        ));
    }
    out.findings.extend(r.findings);
}

/// An entry name as shown in reports: forward slashes, no leading `./` or `/`,
/// and no control characters (a hostile name must not drive the terminal).
fn display_name(name: &str) -> String {
    let s: String = name
        .replace('\\', "/")
        .chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    let s = s.trim_start_matches("./").trim_start_matches('/');
    s.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSet;
    use crate::scan::ScanOptions;
    use std::io::Write;

    fn scanner() -> Scanner {
        Scanner::new(RuleSet::builtin().unwrap(), ScanOptions::default())
    }

    fn key(seed: u8) -> String {
        // Varied, high-entropy body so it is never taken for a placeholder.
        let body: String = (0..32u32)
            .map(|i| {
                let x = (i * 7 + seed as u32 * 13 + i * i * 3) % 62;
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"[x as usize]
                    as char
            })
            .collect();
        format!("pk_live_{body}")
    }

    fn zip_of(entries: &[(&str, &[u8])], method: zip::CompressionMethod) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(method)
            .large_file(true);
        for (name, data) in entries {
            w.start_file(*name, opts).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    fn run(path: &str, data: &[u8], limits: &Limits) -> (Result<(), String>, ScanOutcome) {
        let s = scanner();
        let mut out = ScanOutcome::default();
        let r = scan_archive(
            &s,
            path,
            data,
            kind_of(path).unwrap(),
            limits,
            &mut Scratch::default(),
            &mut out,
        );
        out.sort();
        (r, out)
    }

    fn paths(out: &ScanOutcome) -> Vec<&str> {
        out.findings.iter().map(|f| f.path.as_str()).collect()
    }

    #[test]
    fn kinds_by_name() {
        assert_eq!(kind_of("a/b/App.APK"), Some(Kind::Zip));
        assert_eq!(kind_of("x.tar.gz"), Some(Kind::TarGz));
        assert_eq!(kind_of("x.tgz"), Some(Kind::TarGz));
        assert_eq!(kind_of("x.tar"), Some(Kind::Tar));
        assert_eq!(kind_of("x.gz"), None);
        assert_eq!(kind_of("zip"), None);
    }

    #[test]
    fn nested_archives_get_bang_paths() {
        let props = format!("pictify.key={}\n", key(1));
        let inner = zip_of(
            &[("a.properties", props.as_bytes())],
            zip::CompressionMethod::Deflated,
        );
        let outer = zip_of(
            &[("lib/inner.jar", &inner), ("readme.txt", b"hello")],
            zip::CompressionMethod::Stored,
        );
        let (r, out) = run("dist/outer.zip", &outer, &Limits::default());
        assert!(r.is_ok());
        assert_eq!(
            paths(&out),
            vec!["dist/outer.zip!/lib/inner.jar!/a.properties"]
        );
        assert_eq!(out.findings[0].span.line, 1);
        assert_eq!(out.files_scanned, 2);
        assert!(out.notices.is_empty(), "{:?}", out.notices);
    }

    #[test]
    fn tar_and_tar_gz_entries_are_scanned() {
        let body = format!("const PICTIFY_KEY = '{}';\n", key(2));
        let mut b = tar::Builder::new(Vec::new());
        let mut h = tar::Header::new_gnu();
        h.set_size(body.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        b.append_data(&mut h, "pkg/server/index.js", body.as_bytes())
            .unwrap();
        let tar = b.into_inner().unwrap();
        let (r, out) = run("rel.tar", &tar, &Limits::default());
        assert!(r.is_ok());
        assert_eq!(paths(&out), vec!["rel.tar!/pkg/server/index.js"]);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&tar).unwrap();
        let tgz = gz.finish().unwrap();
        let (r, out) = run("rel.tgz", &tgz, &Limits::default());
        assert!(r.is_ok());
        assert_eq!(paths(&out), vec!["rel.tgz!/pkg/server/index.js"]);

        // A gzip bomb: a tar of zeros far beyond the ratio limit.
        let mut b = tar::Builder::new(Vec::new());
        let zeros = vec![0u8; 8 * 1024 * 1024];
        let mut h = tar::Header::new_gnu();
        h.set_size(zeros.len() as u64);
        h.set_cksum();
        b.append_data(&mut h, "zeros.bin", &zeros[..]).unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&b.into_inner().unwrap()).unwrap();
        let bomb = gz.finish().unwrap();
        let limits = Limits {
            ratio_floor: 64 * 1024,
            ..Limits::default()
        };
        let (r, out) = run("bomb.tar.gz", &bomb, &limits);
        assert!(r.is_ok());
        assert_eq!(out.files_scanned, 0);
        assert_eq!(out.notices.len(), 1, "{:?}", out.notices);
        assert_eq!(out.notices[0].path, "bomb.tar.gz");
        assert_eq!(out.notices[0].category, cause::ARCHIVE_LIMIT);
    }

    #[test]
    fn zip_bomb_entry_stops_that_archive_only() {
        let zeros = vec![0u8; 8 * 1024 * 1024];
        let bomb = zip_of(
            &[("big.bin", &zeros), ("after.txt", b"never read")],
            zip::CompressionMethod::Deflated,
        );
        let props = format!("pictify={}\n", key(3));
        let outer = zip_of(
            &[("bomb.zip", &bomb), ("z.properties", props.as_bytes())],
            zip::CompressionMethod::Stored,
        );
        let limits = Limits {
            ratio_floor: 64 * 1024,
            ..Limits::default()
        };
        let (r, out) = run("o.zip", &outer, &limits);
        assert!(r.is_ok());
        // The bomb is reported, its archive stopped, the outer archive goes on.
        assert_eq!(paths(&out), vec!["o.zip!/z.properties"]);
        assert_eq!(out.notices.len(), 1, "{:?}", out.notices);
        assert_eq!(out.notices[0].path, "o.zip!/bomb.zip!/big.bin");
        assert_eq!(out.notices[0].category, cause::ARCHIVE_LIMIT);
        assert!(out.notices[0].reason.contains("zip bomb"));
    }

    #[test]
    fn lying_headers_are_capped_while_reading() {
        let s = scanner();
        let limits = Limits {
            ratio_floor: 1000,
            max_ratio: 10,
            max_entry_bytes: 50_000,
            ..Limits::default()
        };
        let mut scratch = Scratch::default();
        let mut out = ScanOutcome::default();
        let mut w = Walk {
            scanner: &s,
            limits: &limits,
            scratch: &mut scratch,
            out: &mut out,
            entries: 0,
            bytes: 0,
        };
        // Declares 100 bytes from 50 compressed, produces a megabyte: a bomb,
        // noticed after at most max(50 * 10, floor) + 1 bytes.
        let mut r = io::repeat(0).take(1 << 20);
        assert!(matches!(
            w.read_entry(&mut r, 100, Some(50)),
            Ok(Entry::Bomb)
        ));
        assert!(w.bytes <= 1000);
        // Without compression (tar), the entry size limit applies.
        let mut r = io::repeat(b'a').take(1 << 20);
        assert!(matches!(
            w.read_entry(&mut r, 10, None),
            Ok(Entry::TooLarge)
        ));
        // An honest header of an extreme ratio is a bomb before reading anything.
        let mut r = io::empty();
        assert!(matches!(
            w.read_entry(&mut r, 1 << 30, Some(1000)),
            Ok(Entry::Bomb)
        ));
    }

    #[test]
    fn entry_count_and_total_size_budgets() {
        let files: Vec<(String, Vec<u8>)> = (0..10)
            .map(|i| (format!("f{i}.txt"), vec![b'a'; 1000]))
            .collect();
        let refs: Vec<(&str, &[u8])> = files
            .iter()
            .map(|(n, d)| (n.as_str(), d.as_slice()))
            .collect();
        let z = zip_of(&refs, zip::CompressionMethod::Stored);
        let (_, out) = run(
            "many.zip",
            &z,
            &Limits {
                max_entries: 4,
                ..Limits::default()
            },
        );
        assert_eq!(out.files_scanned, 4);
        assert_eq!(out.notices.len(), 1);
        assert_eq!(out.notices[0].path, "many.zip");
        assert!(out.notices[0].reason.contains("more than 4 entries"));

        let (_, out) = run(
            "many.zip",
            &z,
            &Limits {
                max_total_bytes: 3500,
                ..Limits::default()
            },
        );
        assert_eq!(out.files_scanned, 3);
        assert_eq!(out.notices[0].category, cause::ARCHIVE_LIMIT);
        assert!(out.notices[0].reason.contains("uncompressed"));

        let (_, out) = run(
            "many.zip",
            &z,
            &Limits {
                max_entry_bytes: 999,
                ..Limits::default()
            },
        );
        assert_eq!(out.files_scanned, 0);
        assert_eq!(out.notices.len(), 10);
        assert!(out.notices.iter().all(|n| n.category == cause::TOO_LARGE));
    }

    #[test]
    fn depth_limit_scans_deeper_archives_as_plain_files() {
        let mut z = zip_of(&[("k.txt", b"x")], zip::CompressionMethod::Stored);
        for _ in 0..3 {
            z = zip_of(&[("n.zip", &z)], zip::CompressionMethod::Stored);
        }
        let (_, out) = run(
            "d.zip",
            &z,
            &Limits {
                max_depth: 1,
                ..Limits::default()
            },
        );
        assert_eq!(out.notices.len(), 1, "{:?}", out.notices);
        assert_eq!(out.notices[0].path, "d.zip!/n.zip!/n.zip");
        assert!(out.notices[0].reason.contains("nested more than 1 deep"));
        assert_eq!(out.files_scanned, 1);
    }

    #[test]
    fn damaged_archives_are_reported_not_fatal() {
        assert!(run("x.zip", b"PK\x03\x04 not really", &Limits::default())
            .0
            .is_err());
        assert!(run("x.tgz", b"\x1f\x8b garbage", &Limits::default())
            .0
            .is_err());
        // A nested damaged archive is scanned as a plain file, with a warning.
        let k = key(4);
        let fake = format!("not a zip but has pictify {k}");
        let outer = zip_of(
            &[("bad.jar", fake.as_bytes())],
            zip::CompressionMethod::Deflated,
        );
        let (r, out) = run("o.zip", &outer, &Limits::default());
        assert!(r.is_ok());
        assert_eq!(paths(&out), vec!["o.zip!/bad.jar"]);
        assert_eq!(out.notices[0].kind, "warning");
        assert!(out.notices[0].reason.contains("scanned as a plain file"));
        // A truncated archive: the readable part of the zip's central directory is gone.
        let good = zip_of(
            &[("a.txt", fake.as_bytes())],
            zip::CompressionMethod::Deflated,
        );
        assert!(run("t.zip", &good[..good.len() - 10], &Limits::default())
            .0
            .is_err());
    }

    #[test]
    fn hostile_entry_names_are_made_printable() {
        assert_eq!(display_name("/abs/\x1b[2Jx\\y"), "abs/?[2Jx/y");
        assert_eq!(display_name("./a/b"), "a/b");
    }
}
