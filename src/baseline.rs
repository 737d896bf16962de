//! Baselines: the findings a project has accepted, recorded by fingerprint so that
//! only new leaks are reported. The file holds no secrets, line numbers or
//! timestamps, so it only changes when the set of known findings changes.
use crate::finding::Finding;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

pub const SCHEMA: &str = "pkscan-baseline/1";

/// Written for new entries; people replace it with the real reason.
pub const DEFAULT_REASON: &str = "known when the baseline was written; review and rotate";

#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("cannot read baseline {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid baseline {path}: {message} (write a new one with --write-baseline)")]
    Parse { path: PathBuf, message: String },
    #[error("cannot write baseline {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub schema: String,
    pub entries: Vec<Entry>,
}

/// One accepted finding. Only `fingerprint` is matched; the rest is for people.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub fingerprint: String,
    pub rule_id: String,
    /// Paths where the key was found (sorted).
    pub paths: Vec<String>,
    /// pictify, unattributed, practice, ...
    #[serde(default)]
    pub attribution: String,
    /// Why it is accepted; kept when the baseline is rewritten.
    #[serde(default)]
    pub reason: String,
}

impl Baseline {
    pub fn load(path: &Path) -> Result<Baseline, BaselineError> {
        let text = std::fs::read_to_string(path).map_err(|source| BaselineError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let b: Baseline = serde_json::from_str(&text).map_err(|e| BaselineError::Parse {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        if b.schema != SCHEMA {
            return Err(BaselineError::Parse {
                path: path.to_path_buf(),
                message: format!("schema is {:?}, expected {SCHEMA:?}", b.schema),
            });
        }
        Ok(b)
    }

    /// A baseline of `findings`, keeping reasons from `previous` for known fingerprints.
    pub fn from_findings(findings: &[Finding], previous: Option<&Baseline>) -> Baseline {
        let mut by_fp: BTreeMap<&str, (String, BTreeSet<String>, String)> = BTreeMap::new();
        for f in findings {
            let e = by_fp.entry(&f.fingerprint).or_insert_with(|| {
                (
                    f.rule_id.clone(),
                    BTreeSet::new(),
                    f.attribution.as_str().to_string(),
                )
            });
            e.1.insert(f.path.clone());
        }
        let old: BTreeMap<&str, &str> = previous
            .map(|p| {
                p.entries
                    .iter()
                    .map(|e| (e.fingerprint.as_str(), e.reason.as_str()))
                    .collect()
            })
            .unwrap_or_default();
        let mut entries: Vec<Entry> = by_fp
            .into_iter()
            .map(|(fp, (rule_id, paths, attribution))| Entry {
                reason: old
                    .get(fp)
                    .filter(|r| !r.is_empty())
                    .map_or(DEFAULT_REASON.to_string(), |r| r.to_string()),
                fingerprint: fp.to_string(),
                rule_id,
                paths: paths.into_iter().collect(),
                attribution,
            })
            .collect();
        // Sorted by where people look for them first; fingerprint breaks ties.
        entries.sort_by(|a, b| {
            (&a.paths, &a.rule_id, &a.fingerprint).cmp(&(&b.paths, &b.rule_id, &b.fingerprint))
        });
        Baseline {
            schema: SCHEMA.to_string(),
            entries,
        }
    }

    pub fn write(&self, path: &Path) -> Result<(), BaselineError> {
        let mut text = serde_json::to_string_pretty(self).expect("baseline serializes");
        text.push('\n');
        std::fs::write(path, text).map_err(|source| BaselineError::Write {
            path: path.to_path_buf(),
            source,
        })
    }

    pub fn contains(&self, fingerprint: &str) -> bool {
        self.entries.iter().any(|e| e.fingerprint == fingerprint)
    }

    /// Entries whose fingerprint matched none of `seen`.
    pub fn stale<'a>(&'a self, seen: &BTreeSet<&str>) -> Vec<&'a Entry> {
        self.entries
            .iter()
            .filter(|e| !seen.contains(e.fingerprint.as_str()))
            .collect()
    }
}
