//! What a scan produced, whatever its input: findings, notices about what was
//! skipped, and counts, merged from all worker threads.
use crate::finding::Finding;
use serde::Serialize;

/// Why something was skipped, short enough to group in the summary line
/// ("skipped 3: 1 too large, 1 not a regular file, 1 unreadable").
pub mod cause {
    pub const TOO_LARGE: &str = "too large";
    pub const NOT_REGULAR: &str = "not a regular file";
    pub const UNREADABLE: &str = "unreadable";
    pub const VANISHED: &str = "vanished";
    pub const SYMLINK_LOOP: &str = "symlink loop";
    pub const BROKEN_LINK: &str = "broken symlink";
    pub const BINARY: &str = "binary";
    pub const ARCHIVE_LIMIT: &str = "archive limit";
    pub const DAMAGED_ARCHIVE: &str = "damaged archive";
    /// `pkscan url`: a cap (requests, bytes, time, pages) was reached.
    pub const LIMIT: &str = "limit";
    /// `pkscan url`: no answer (connection, timeout, redirect loop).
    pub const UNREACHABLE: &str = "unreachable";
    /// `pkscan url`: an HTTP error status, or the wrong kind of answer.
    pub const HTTP_ERROR: &str = "http error";
    /// `pkscan url`: a site served over plain http://.
    pub const PLAIN_HTTP: &str = "plain http";
    /// `pkscan url`: not requested (the URL carries a key, a local address).
    pub const REFUSED: &str = "refused";
    /// A bug in pkscan while judging a file (the scan went on without it).
    pub const INTERNAL: &str = "internal error";
    pub const OTHER: &str = "other";

    /// The cause with this name (as written in a JSON report), or [`OTHER`].
    pub fn from_name(name: &str) -> &'static str {
        [
            TOO_LARGE,
            NOT_REGULAR,
            UNREADABLE,
            VANISHED,
            SYMLINK_LOOP,
            BROKEN_LINK,
            BINARY,
            ARCHIVE_LIMIT,
            DAMAGED_ARCHIVE,
            LIMIT,
            UNREACHABLE,
            HTTP_ERROR,
            PLAIN_HTTP,
            REFUSED,
        ]
        .into_iter()
        .find(|c| *c == name)
        .unwrap_or(OTHER)
    }
}

/// Something the user should know about a file that was not (fully) scanned.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Notice {
    /// `skipped` (not scanned) or `warning` (scanned, but something is off).
    pub kind: &'static str,
    pub path: String,
    pub reason: String,
    /// A short cause from [`cause`], for grouping in summaries.
    pub category: &'static str,
}

impl Notice {
    /// A skip whose cause is not one of the grouped ones.
    pub fn skipped(path: String, reason: String) -> Notice {
        Notice::skipped_as(cause::OTHER, path, reason)
    }
    /// A skip with a grouped cause (see [`cause`]).
    pub fn skipped_as(category: &'static str, path: String, reason: String) -> Notice {
        Notice {
            kind: "skipped",
            path,
            reason,
            category,
        }
    }
    pub fn warning(path: String, reason: String) -> Notice {
        Notice::warning_as(cause::OTHER, path, reason)
    }
    pub fn warning_as(category: &'static str, path: String, reason: String) -> Notice {
        Notice {
            kind: "warning",
            path,
            reason,
            category,
        }
    }
}

/// Everything a scan produced, merged from all worker threads.
#[derive(Debug, Default)]
pub struct ScanOutcome {
    pub findings: Vec<Finding>,
    pub notices: Vec<Notice>,
    pub files_scanned: u64,
    pub bytes_scanned: u64,
    /// Only part of the project was scanned (staged changes, a commit range), so a
    /// baseline entry that matched nothing is not necessarily stale.
    pub partial: bool,
    /// Lines for the report's summary from the input itself (an audit's clones,
    /// incremental plans and skipped objects).
    pub summary: Vec<String>,
    /// Some scanned file mentions Pictify.
    pub mentions_pictify: bool,
}

impl ScanOutcome {
    /// Marks every finding as coming from `root` (reports group by it).
    pub fn tag_root(&mut self, root: &str) {
        for f in &mut self.findings {
            f.root = Some(root.to_string());
        }
    }

    pub fn merge(&mut self, other: ScanOutcome) {
        self.findings.extend(other.findings);
        self.notices.extend(other.notices);
        self.files_scanned += other.files_scanned;
        self.bytes_scanned += other.bytes_scanned;
        self.partial |= other.partial;
        self.summary.extend(other.summary);
        self.mentions_pictify |= other.mentions_pictify;
    }

    /// Sorts findings (by root, then path and position) and notices so output never
    /// depends on thread timing.
    pub fn sort(&mut self) {
        self.findings.sort_by(|a, b| {
            (&a.root, a.sort_key())
                .cmp(&(&b.root, b.sort_key()))
                .then_with(|| a.fingerprint.cmp(&b.fingerprint))
        });
        self.notices.sort();
    }

    pub fn skipped_count(&self) -> usize {
        self.notices.iter().filter(|n| n.kind == "skipped").count()
    }
}

/// Skipped notices grouped by cause, largest group first (ties by name), for
/// summary lines.
pub fn skip_causes(notices: &[Notice]) -> Vec<(&'static str, usize)> {
    let mut groups: Vec<(&'static str, usize)> = Vec::new();
    for n in notices.iter().filter(|n| n.kind == "skipped") {
        match groups.iter_mut().find(|(c, _)| *c == n.category) {
            Some(g) => g.1 += 1,
            None => groups.push((n.category, 1)),
        }
    }
    groups.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    groups
}
