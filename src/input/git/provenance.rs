//! Findings at their place in history: blobs rescanned at the paths they were
//! introduced under, one finding per leak, and the introducing commit's details.
use super::parallel::{par_map, thread_count};
use super::{GitError, GitOptions};
use crate::classify::project::ProjectFiles;
use crate::finding::{Finding, GitOrigin};
use crate::outcome::Notice;
use crate::scan::{Scanner, Scratch};
use git2::{Oid, Repository};
use std::collections::HashMap;

/// Where and when a blob entered history.
#[derive(Clone, Debug)]
pub(super) struct Intro {
    /// Position of the commit in the oldest-first walk (`usize::MAX`: no commit).
    pub(super) order: usize,
    pub(super) commit: Option<Oid>,
    pub(super) path: String,
}

impl Intro {
    pub(super) fn display(&self) -> String {
        match self.commit {
            Some(c) => format!("{}@{}", self.path, &c.to_string()[..12]),
            None => self.path.clone(),
        }
    }
}

/// Blobs at most this many distinct paths are rescanned at (enough to see every
/// context a copied file lives in without rescanning a vendored file 1000 times).
pub(super) const MAX_PATHS_PER_BLOB: usize = 16;

/// A blob to scan at each of the paths it entered history under.
pub(super) struct BlobJob {
    pub(super) oid: Oid,
    pub(super) intros: Vec<Intro>,
}

/// What scanning one job's blob found: findings per intro, and notices.
pub(super) type Scanned = (Vec<Vec<Finding>>, Vec<Notice>);

/// Runs the full pipeline over a job's blob at each of its paths.
pub(super) fn scan_at_intros(
    scanner: &Scanner,
    project: &dyn ProjectFiles,
    job: &BlobJob,
    data: &[u8],
    scratch: &mut Scratch,
) -> Scanned {
    let mut per_path = Vec::new();
    let mut extra = Vec::new();
    for intro in &job.intros {
        let r = scanner.scan_blob_in(project, &intro.path, data, scratch);
        extra.extend(r.failure_notice(intro.display()));
        if r.dropped > 0 {
            extra.push(Notice::warning(
                intro.display(),
                format!("{} more findings in this blob were not kept", r.dropped),
            ));
        }
        per_path.push(r.findings);
    }
    (per_path, extra)
}

/// Reads each job's blob once and runs the full pipeline for each of its paths;
/// `done` holds what was already scanned another way (the pack reader), and is
/// filled in.
pub(super) fn scan_jobs(
    scanner: &Scanner,
    repo: &Repository,
    opts: &GitOptions,
    jobs: &[BlobJob],
    project: &dyn ProjectFiles,
    notices: &mut Vec<Notice>,
    mut done: Vec<Option<Scanned>>,
) -> Result<Vec<Vec<Vec<Finding>>>, GitError> {
    done.resize_with(jobs.len(), || None);
    let todo: Vec<usize> = (0..jobs.len()).filter(|&j| done[j].is_none()).collect();
    let results = par_map(
        repo,
        thread_count(opts.threads),
        &todo,
        None,
        |odb, scratch, &j| {
            let job = &jobs[j];
            match odb.read(job.oid) {
                Ok(o) => Ok(scan_at_intros(scanner, project, job, o.data(), scratch)),
                Err(e) => {
                    let at = job.intros.first().map(Intro::display).unwrap_or_default();
                    Err(Notice::warning(
                        at,
                        format!("cannot read blob {}: {e}", job.oid),
                    ))
                }
            }
        },
    )?;
    for (j, r) in todo.into_iter().zip(results) {
        match r {
            Ok(s) => done[j] = Some(s),
            Err(n) => notices.push(n),
        }
    }
    Ok(done
        .into_iter()
        .map(|r| match r {
            Some((per_path, extra)) => {
                notices.extend(extra);
                per_path
            }
            None => Vec::new(),
        })
        .collect())
}

/// A finding at one place in history.
pub(super) struct Located {
    finding: Finding,
    order: usize,
    commit: Option<Oid>,
    at_head: bool,
}

/// Pairs each finding of `scan_jobs` with the introduction (commit, order) of the
/// path it was found at; `at_head` says whether that key is still at HEAD.
pub(super) fn locate(
    jobs: &[BlobJob],
    scanned: Vec<Vec<Vec<Finding>>>,
    at_head: impl Fn(&BlobJob, &Finding) -> bool,
) -> Vec<Located> {
    let mut found = Vec::new();
    for (job, results) in jobs.iter().zip(scanned) {
        for (intro, findings) in job.intros.iter().zip(results) {
            for f in findings {
                found.push(Located {
                    at_head: at_head(job, &f),
                    finding: f,
                    order: intro.order,
                    commit: intro.commit,
                });
            }
        }
    }
    found
}

/// One finding per key and context: the same key in many versions of a file (or a
/// renamed file) is one leak, reported where it first entered history and marked
/// present at HEAD if any occurrence still is (in HEAD's tree or the working tree).
pub(super) fn merge_occurrences(repo: &Repository, found: Vec<Located>, max: u64) -> Vec<Finding> {
    let mut groups: HashMap<(String, String, crate::finding::Context), Vec<Located>> =
        HashMap::new();
    for l in found {
        let key = (
            l.finding.rule_id.clone(),
            l.finding.fingerprint.clone(),
            l.finding.context,
        );
        groups.entry(key).or_default().push(l);
    }
    let mut commits: HashMap<Oid, CommitInfo> = HashMap::new();
    let mut out = Vec::new();
    for (_, mut group) in groups {
        group.sort_by(|a, b| {
            (a.order, &a.finding.path, a.finding.span).cmp(&(
                b.order,
                &b.finding.path,
                b.finding.span,
            ))
        });
        let mut present = group.iter().any(|l| l.at_head);
        if !present {
            if let Some(secret) = group[0].finding.secret.as_ref() {
                let mut paths: Vec<&str> = group.iter().map(|l| l.finding.path.as_str()).collect();
                paths.sort_unstable();
                paths.dedup();
                present = paths
                    .iter()
                    .any(|p| in_workdir(repo, p, secret.expose().as_bytes(), max));
            }
        }
        let first = group.swap_remove(0);
        out.push(with_origin(
            repo,
            &mut commits,
            first.finding,
            first.commit,
            present,
        ));
    }
    out
}

/// Whether the working-tree file at `path` still contains `needle`.
fn in_workdir(repo: &Repository, path: &str, needle: &[u8], max: u64) -> bool {
    let Some(wd) = repo.workdir() else {
        return false;
    };
    let p = wd.join(path);
    match std::fs::metadata(&p) {
        Ok(m) if m.is_file() && m.len() <= max => {}
        _ => return false,
    }
    std::fs::read(&p)
        .map(|data| {
            let d = crate::content::decode(&data);
            memchr::memmem::find(&d.text, needle).is_some()
        })
        .unwrap_or(false)
}

struct CommitInfo {
    author: String,
    date: String,
    summary: String,
}

fn commit_info(repo: &Repository, oid: Oid) -> CommitInfo {
    match repo.find_commit(oid) {
        Ok(c) => {
            let a = c.author();
            let name = String::from_utf8_lossy(a.name_bytes()).into_owned();
            let email = String::from_utf8_lossy(a.email_bytes()).into_owned();
            CommitInfo {
                author: if email.is_empty() {
                    name
                } else {
                    format!("{name} <{email}>")
                },
                date: rfc3339(a.when()),
                summary: c
                    .summary_bytes()
                    .map(|s| String::from_utf8_lossy(s).into_owned())
                    .unwrap_or_default(),
            }
        }
        Err(_) => CommitInfo {
            author: String::new(),
            date: String::new(),
            summary: String::new(),
        },
    }
}

fn with_origin(
    repo: &Repository,
    cache: &mut HashMap<Oid, CommitInfo>,
    mut f: Finding,
    commit: Option<Oid>,
    present_at_head: bool,
) -> Finding {
    if let Some(c) = commit {
        let info = cache.entry(c).or_insert_with(|| commit_info(repo, c));
        f.git = Some(GitOrigin {
            commit: c.to_string(),
            author: info.author.clone(),
            date: info.date.clone(),
            summary: info.summary.clone(),
            path: f.path.clone(),
            present_at_head,
        });
    }
    f
}

/// RFC 3339 timestamp in the commit's own time zone.
pub fn rfc3339(t: git2::Time) -> String {
    let offset = t.offset_minutes() as i64;
    // Saturating: a forged commit can say any time, up to i64::MAX.
    let local = t.seconds().saturating_add(offset * 60);
    let days = local.div_euclid(86_400);
    let secs = local.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    let zone = if offset == 0 {
        "Z".to_string()
    } else {
        let sign = if offset < 0 { '-' } else { '+' };
        format!("{sign}{:02}:{:02}", offset.abs() / 60, offset.abs() % 60)
    };
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}{zone}",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_survives_the_ends_of_time() {
        let end = rfc3339(git2::Time::new(i64::MAX, 5999));
        assert!(end.ends_with("+99:59"), "{end}");
        let start = rfc3339(git2::Time::new(i64::MIN, -5999));
        assert!(start.ends_with("-99:59"), "{start}");
        assert_eq!(
            rfc3339(git2::Time::new(253_402_300_799, 0)),
            "9999-12-31T23:59:59Z"
        );
    }

    #[test]
    fn rfc3339_handles_offsets_and_leap_years() {
        assert_eq!(rfc3339(git2::Time::new(0, 0)), "1970-01-01T00:00:00Z");
        // 2024-02-29T12:34:56Z shown at +05:30 and -08:00.
        let t = 1_709_210_096;
        assert_eq!(rfc3339(git2::Time::new(t, 0)), "2024-02-29T12:34:56Z");
        assert_eq!(
            rfc3339(git2::Time::new(t, 330)),
            "2024-02-29T18:04:56+05:30"
        );
        assert_eq!(
            rfc3339(git2::Time::new(t, -480)),
            "2024-02-29T04:34:56-08:00"
        );
    }
}
