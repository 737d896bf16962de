//! The `--state` file of incremental audits (`pkscan-state/1`): for each
//! repository, the ref tips scanned last time and the findings reported then
//! (redacted, as in a JSON report), so the next run scans only what is new and
//! still reports the earlier findings, marked known. Written atomically,
//! owner-only.
use crate::finding::{redact, Finding, Secret};
use crate::report::{JsonFinding, Report};
use crate::rules::RuleSet;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

pub const SCHEMA: &str = "pkscan-state/1";

#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("reading state file {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} is not a pkscan state file ({reason}); pass a new file name to start over")]
    Parse { path: String, reason: String },
    #[error("writing state file {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
}

/// Everything the state file holds.
#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct State {
    pub schema: String,
    /// By finding root (the repository's full name, URL or path).
    pub repositories: BTreeMap<String, RepoState>,
}

impl Default for State {
    fn default() -> Self {
        State {
            schema: SCHEMA.into(),
            repositories: BTreeMap::new(),
        }
    }
}

/// One repository as last scanned.
#[derive(Serialize, Deserialize, Debug, Clone, Default)]
pub struct RepoState {
    /// When the run that recorded this finished (RFC 3339, UTC).
    pub scanned_at: String,
    /// Ref name → commit id scanned.
    pub tips: BTreeMap<String, String>,
    /// The findings known after that run (before report filters), keys redacted.
    #[serde(default)]
    pub findings: Vec<JsonFinding>,
}

impl State {
    /// Reads `path`; a missing file is an empty state (the first run).
    pub fn load(path: &Path) -> Result<State, StateError> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(State::default()),
            Err(source) => {
                return Err(StateError::Read {
                    path: path.display().to_string(),
                    source,
                })
            }
        };
        let parse = |reason: String| StateError::Parse {
            path: path.display().to_string(),
            reason,
        };
        let state: State = serde_json::from_str(&text).map_err(|e| parse(e.to_string()))?;
        if state.schema != SCHEMA {
            return Err(parse(format!(
                "schema {:?}, expected {SCHEMA:?}",
                state.schema
            )));
        }
        Ok(state)
    }

    /// Writes `path` through a temporary file in the same directory and a rename,
    /// so an interrupted run leaves the previous state intact.
    pub fn save(&self, path: &Path) -> Result<(), StateError> {
        let err = |source| StateError::Write {
            path: path.display().to_string(),
            source,
        };
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let mut tmp = tempfile::Builder::new()
            .prefix(".pkscan-state-")
            .tempfile_in(dir)
            .map_err(err)?;
        let text = serde_json::to_string_pretty(self).map_err(|e| err(e.into()))?;
        tmp.write_all(text.as_bytes()).map_err(err)?;
        tmp.write_all(b"\n").map_err(err)?;
        tmp.as_file().sync_all().map_err(err)?;
        tmp.persist(path).map_err(|e| err(e.error))?;
        Ok(())
    }
}

/// A finding as the state file keeps it: as in a JSON report, the key always
/// redacted (even with `--show-secrets`: the state file is not a report).
pub fn record(f: &Finding, rules: &RuleSet) -> JsonFinding {
    let report = Report {
        roots: Vec::new(),
        findings: &[],
        notices: &[],
        files_scanned: 0,
        bytes_scanned: 0,
        rules,
        show_secrets: false,
        suppressed: 0,
        extra_summary: Vec::new(),
    };
    let mut j = JsonFinding::from_finding(f, &report);
    j.key = f.secret.as_ref().map(|s| redact(s.expose()));
    j.incremental = None;
    j
}

/// A recorded finding back as a finding (its key stays redacted).
pub fn restore(j: JsonFinding) -> Result<Finding, String> {
    let mut f = crate::merge::to_finding(j, None)?;
    f.secret = f.secret.map(|s| Secret::new(redact(s.expose())));
    Ok(f)
}
