//! Inputs: where blobs come from (the file system, git history and index; archives
//! plug in beside them) and what a scan of them produced.
mod cache_tree;
pub mod fs;
pub mod git;

use crate::finding::Finding;
use serde::Serialize;

/// Something the user should know about a file that was not (fully) scanned.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Notice {
    /// `skipped` (not scanned) or `warning` (scanned, but something is off).
    pub kind: &'static str,
    pub path: String,
    pub reason: String,
}

impl Notice {
    pub fn skipped(path: String, reason: String) -> Notice {
        Notice {
            kind: "skipped",
            path,
            reason,
        }
    }
    pub fn warning(path: String, reason: String) -> Notice {
        Notice {
            kind: "warning",
            path,
            reason,
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
}

impl ScanOutcome {
    pub fn merge(&mut self, other: ScanOutcome) {
        self.findings.extend(other.findings);
        self.notices.extend(other.notices);
        self.files_scanned += other.files_scanned;
        self.bytes_scanned += other.bytes_scanned;
    }

    /// Sorts findings and notices so output never depends on thread timing.
    pub fn sort(&mut self) {
        self.findings.sort_by(|a, b| {
            a.sort_key()
                .cmp(&b.sort_key())
                .then_with(|| a.fingerprint.cmp(&b.fingerprint))
        });
        self.notices.sort();
    }

    pub fn skipped_count(&self) -> usize {
        self.notices.iter().filter(|n| n.kind == "skipped").count()
    }
}
