//! Audits of many repositories (`pkscan git URL…`, `pkscan github`, `pkscan
//! gitlab`): each repository is cloned or fetched, scanned (only its new commits
//! with `--state`), tagged with its root and forge links, with bounded
//! concurrency; a repository that cannot be fetched or scanned becomes a notice
//! and the audit goes on.
use crate::finding::{Finding, Novelty};
use crate::forge::ForgeRepo;
use crate::input::git::{self as gitscan, GitMode, GitOptions};
use crate::input::refs::{self, Plan, Tips};
use crate::input::remote::{self, CloneDir, Fetched, RemoteRepo};
use crate::outcome::{Notice, ScanOutcome};
use crate::scan::Scanner;
use crate::state::{self, RepoState, State};
use anyhow::{Context as _, Result};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Repositories cloned and scanned at once by default: cloning waits on the
/// network, so a few overlap well even on two cores.
pub const DEFAULT_JOBS: usize = 4;

/// Where a repository comes from.
#[derive(Clone, Debug)]
pub enum Source {
    Local(PathBuf),
    Remote(RemoteRepo),
}

/// One repository to audit.
#[derive(Clone, Debug)]
pub struct Target {
    /// The findings' root: the forge's full name, the URL (without credentials)
    /// or the path as given.
    pub root: String,
    pub source: Source,
    /// Set for forge listings: findings link to the file on the forge.
    pub forge: Option<ForgeRepo>,
}

pub struct AuditOptions<'a> {
    /// The scan of each repository; with `state`, the mode is chosen per repository.
    pub git: GitOptions,
    pub jobs: usize,
    pub clone_dir: Option<&'a Path>,
    pub state: Option<&'a Path>,
    pub quiet: bool,
}

/// What one repository gave.
struct Done {
    outcome: ScanOutcome,
    /// The state to record; `None` keeps the earlier entry.
    state: Option<RepoState>,
    fetched: Option<Fetched>,
    plan: Option<Plan>,
    new_commits: usize,
    objects: u64,
}

/// Audits `targets` and returns the merged outcome (sorted) and the roots.
pub fn run(
    scanner: &Scanner,
    targets: &[Target],
    opts: &AuditOptions<'_>,
) -> Result<(Vec<String>, ScanOutcome)> {
    let mut state = match opts.state {
        Some(p) => Some(State::load(p)?),
        None => None,
    };
    let needs_clones = targets
        .iter()
        .any(|t| matches!(t.source, Source::Remote(_)));
    let clones = match (needs_clones, opts.clone_dir) {
        (false, _) => None,
        (true, Some(d)) => Some(CloneDir::kept(d)?),
        (true, None) => Some(CloneDir::temporary()?),
    };
    let jobs = opts.jobs.clamp(1, targets.len().max(1));
    let mut git = opts.git.clone();
    if targets.len() > 1 {
        git.progress = false;
        if git.threads == 0 && jobs > 1 {
            let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
            git.threads = cores.div_ceil(jobs).max(1);
        }
    }
    let next = AtomicUsize::new(0);
    let finished = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<Done>>>> =
        Mutex::new((0..targets.len()).map(|_| None).collect());
    let prior = state.as_ref().map(|s| &s.repositories);
    std::thread::scope(|s| {
        for _ in 0..jobs {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(t) = targets.get(i) else { break };
                let earlier = prior.and_then(|p| p.get(&state_key(t)));
                let done = audit_one(scanner, t, clones.as_ref(), &git, prior.is_some(), earlier);
                let n = finished.fetch_add(1, Ordering::SeqCst) + 1;
                if !opts.quiet {
                    eprintln!(
                        "pkscan: [{n}/{}] {}",
                        targets.len(),
                        progress_line(t, &done)
                    );
                }
                results.lock().unwrap()[i] = Some(done);
            });
        }
    });
    let mut total = ScanOutcome::default();
    let mut roots = Vec::new();
    let mut tally = Tally::default();
    for (t, done) in targets.iter().zip(results.into_inner().unwrap()) {
        let done = done.expect("every target was audited")?;
        tally.add(&t.root, &done);
        if let (Some(st), Some(new)) = (state.as_mut(), done.state) {
            st.repositories.insert(state_key(t), new);
        }
        total.merge(done.outcome);
        roots.push(t.root.clone());
    }
    total.sort();
    if let (Some(path), Some(st)) = (opts.state, &state) {
        st.save(path)?;
        total.summary.extend(tally.lines(path, &total.findings));
    } else if needs_clones && tally.failed > 0 {
        total.summary.push(format!(
            "{} of {} repositories could not be fetched (see the notices)",
            tally.failed,
            targets.len()
        ));
    }
    Ok((roots, total))
}

/// The state file's key for a target: its root, or a local path made absolute
/// so runs from another directory find it.
fn state_key(t: &Target) -> String {
    match &t.source {
        Source::Local(p) => std::fs::canonicalize(p)
            .map(|c| c.display().to_string())
            .unwrap_or_else(|_| t.root.clone()),
        Source::Remote(_) => t.root.clone(),
    }
}

fn progress_line(t: &Target, done: &Result<Done>) -> String {
    let d = match done {
        Err(e) => return format!("{}: error: {e:#}", t.root),
        Ok(d) => d,
    };
    let mut parts = Vec::new();
    match d.fetched {
        Some(Fetched::Cloned) => parts.push("cloned".to_string()),
        Some(Fetched::Updated) => parts.push("fetched".to_string()),
        None if matches!(t.source, Source::Remote(_)) => {
            return format!("{}: not scanned (see the notice)", t.root)
        }
        None => {}
    }
    match &d.plan {
        Some(Plan::Unchanged) => parts.push("unchanged since the last run".into()),
        Some(Plan::Since(_)) => parts.push(format!(
            "{} new commit{}",
            d.new_commits,
            if d.new_commits == 1 { "" } else { "s" }
        )),
        Some(Plan::Full(why)) => parts.push(format!("full scan ({why})")),
        None => {}
    }
    let n = d.outcome.findings.len();
    parts.push(format!(
        "{} blob{} scanned, {n} finding{}",
        d.outcome.files_scanned,
        if d.outcome.files_scanned == 1 {
            ""
        } else {
            "s"
        },
        if n == 1 { "" } else { "s" }
    ));
    format!("{}: {}", t.root, parts.join("; "))
}

fn audit_one(
    scanner: &Scanner,
    t: &Target,
    clones: Option<&CloneDir>,
    git: &GitOptions,
    use_state: bool,
    earlier: Option<&RepoState>,
) -> Result<Done> {
    let done = audit_clone(scanner, t, clones, git, use_state, earlier);
    if let (Source::Remote(r), Some(c)) = (&t.source, clones) {
        c.done_with(&c.path_for(r));
    }
    done
}

fn audit_clone(
    scanner: &Scanner,
    t: &Target,
    clones: Option<&CloneDir>,
    git: &GitOptions,
    use_state: bool,
    earlier: Option<&RepoState>,
) -> Result<Done> {
    let mut done = Done {
        outcome: ScanOutcome::default(),
        state: None,
        fetched: None,
        plan: None,
        new_commits: 0,
        objects: 0,
    };
    let path = match &t.source {
        Source::Local(p) => p.clone(),
        Source::Remote(r) => {
            let dest = clones.expect("a clone directory for remotes").path_for(r);
            match remote::fetch(r, &dest) {
                Ok(f) => {
                    done.fetched = Some(f);
                    dest
                }
                Err(e) => return Ok(not_scanned(done, t, earlier, &e)),
            }
        }
    };
    let mut opts = git.clone();
    let mut tips = Tips::new();
    if use_state {
        tips = match (refs::tips(&path), &t.source) {
            (Ok(tips), _) => tips,
            (Err(e), Source::Remote(_)) => return Ok(not_scanned(done, t, earlier, &e)),
            (Err(e), Source::Local(_)) => {
                return Err(e).with_context(|| format!("reading the refs of {}", t.root))
            }
        };
        let plan = match earlier {
            Some(e) => refs::plan(&path, &e.tips, &tips),
            None => Plan::Full("first run with this state file".into()),
        };
        opts.mode = match &plan {
            Plan::Since(hide) => {
                done.new_commits = refs::count_new_commits(&path, &tips, hide);
                GitMode::Since(hide.clone())
            }
            _ => GitMode::History { all_objects: false },
        };
        done.objects = refs::count_objects(&path);
        done.plan = Some(plan);
    }
    if done.plan != Some(Plan::Unchanged) {
        let scanned = gitscan::scan_repo(scanner, &path, &opts);
        match (scanned, &t.source) {
            (Ok(o), _) => done.outcome = o,
            (Err(e), Source::Remote(_)) => return Ok(not_scanned(done, t, earlier, &e)),
            (Err(e), Source::Local(_)) => {
                return Err(anyhow::Error::new(e)
                    .context(format!("scanning git repository {}", path.display())))
            }
        }
    }
    done.outcome.tag_root(&t.root);
    if let Some(forge) = &t.forge {
        for f in &mut done.outcome.findings {
            if let Some(g) = &f.git {
                f.link = forge.file_link(&g.commit, &g.path, Some(f.span.line));
            }
        }
    }
    if !use_state {
        return Ok(done);
    }
    // New or known, and what earlier runs found that this one did not look at.
    let known: HashSet<&str> = earlier
        .map(|e| e.findings.iter().map(|j| j.fingerprint.as_str()).collect())
        .unwrap_or_default();
    for f in &mut done.outcome.findings {
        f.incremental = Some(if known.contains(f.fingerprint.as_str()) {
            Novelty::Known
        } else {
            Novelty::New
        });
    }
    if let (Some(e), Some(Plan::Since(_) | Plan::Unchanged)) = (earlier, &done.plan) {
        let found: HashSet<(String, String)> = done
            .outcome
            .findings
            .iter()
            .map(|f| (f.path.clone(), f.fingerprint.clone()))
            .collect();
        let mut old = carried(e, &t.root, &found);
        if matches!(done.plan, Some(Plan::Since(_))) {
            recheck_head(scanner, &path, &mut old, opts.max_file_size);
        }
        done.outcome.findings.extend(old);
    }
    done.outcome.sort();
    done.state = Some(RepoState {
        scanned_at: crate::verify::time::rfc3339(std::time::SystemTime::now()),
        tips,
        findings: done
            .outcome
            .findings
            .iter()
            .map(|f| state::record(f, &scanner.rules))
            .collect(),
    });
    Ok(done)
}

/// A remote repository that could not be fetched or read: a notice, and what an
/// earlier run found is still reported, so nothing is lost.
fn not_scanned(
    mut done: Done,
    t: &Target,
    earlier: Option<&RepoState>,
    why: &dyn std::fmt::Display,
) -> Done {
    done.outcome.notices.push(Notice::skipped(
        t.root.clone(),
        format!("repository not scanned: {why}"),
    ));
    done.plan = None;
    done.fetched = None;
    done.state = None;
    if let Some(e) = earlier {
        done.outcome.findings = carried(e, &t.root, &HashSet::new());
        done.outcome.tag_root(&t.root);
    }
    done
}

/// Earlier findings of a repository, marked known, except those found again.
fn carried(e: &RepoState, root: &str, found: &HashSet<(String, String)>) -> Vec<Finding> {
    e.findings
        .iter()
        .filter(|j| !found.contains(&(j.path.clone(), j.fingerprint.clone())))
        .filter_map(|j| state::restore(j.clone()).ok())
        .map(|mut f| {
            f.root = Some(root.to_string());
            f.incremental = Some(Novelty::Known);
            f
        })
        .collect()
}

/// HEAD moved: an earlier finding that was at HEAD may have been removed since.
/// Its file at HEAD is scanned again and must still give the same fingerprint.
fn recheck_head(scanner: &Scanner, repo: &Path, findings: &mut [Finding], max: u64) {
    let mut scratch = crate::scan::Scratch::default();
    for f in findings {
        let Some(g) = f.git.as_mut() else { continue };
        if !g.present_at_head {
            continue;
        }
        let still = refs::head_file(repo, &f.path, max).is_some_and(|data| {
            scanner
                .scan_blob(&f.path, &data, &mut scratch)
                .findings
                .iter()
                .any(|x| x.fingerprint == f.fingerprint)
        });
        g.present_at_head = still;
    }
}

/// Counts for the incremental summary line.
#[derive(Default)]
struct Tally {
    repos: usize,
    failed: usize,
    unchanged: usize,
    since: usize,
    full: usize,
    full_reasons: BTreeMap<String, String>,
    new_commits: usize,
    objects: u64,
    objects_read: u64,
}

impl Tally {
    fn add(&mut self, root: &str, d: &Done) {
        self.repos += 1;
        match &d.plan {
            None => self.failed += 1,
            Some(Plan::Unchanged) => self.unchanged += 1,
            Some(Plan::Since(_)) => self.since += 1,
            Some(Plan::Full(why)) => {
                self.full += 1;
                self.full_reasons.insert(root.to_string(), why.clone());
            }
        }
        self.new_commits += d.new_commits;
        self.objects += d.objects;
        if !matches!(d.plan, Some(Plan::Full(_))) {
            self.objects_read += (d.outcome.files_scanned + d.new_commits as u64).min(d.objects);
        } else {
            self.objects_read += d.objects;
        }
    }

    fn lines(&self, path: &Path, findings: &[Finding]) -> Vec<String> {
        let new = findings
            .iter()
            .filter(|f| f.incremental == Some(Novelty::New))
            .count();
        let known = findings
            .iter()
            .filter(|f| f.incremental == Some(Novelty::Known))
            .count();
        let mut v = vec![format!(
            "incremental (--state {}): {} repositor{}: {} unchanged, {} scanned since the last run ({} new commit{}), {} full scan{}{}; {} of {} objects skipped as already scanned; {new} new finding{}, {known} known",
            path.display(),
            self.repos,
            if self.repos == 1 { "y" } else { "ies" },
            self.unchanged,
            self.since,
            self.new_commits,
            if self.new_commits == 1 { "" } else { "s" },
            self.full,
            if self.full == 1 { "" } else { "s" },
            if self.failed > 0 { format!(", {} not fetched", self.failed) } else { String::new() },
            self.objects.saturating_sub(self.objects_read),
            self.objects,
            if new == 1 { "" } else { "s" },
        )];
        for (root, why) in &self.full_reasons {
            v.push(format!("  full scan of {root}: {why}"));
        }
        v
    }
}
