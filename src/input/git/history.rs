//! Full-history mode: probes every object once through the prefilter, then
//! places only the blobs with hits in history and scans them at their paths.
use super::odb::{loose_objects, open_packs, promisor_remote, raw_oid};
use super::parallel::{par_map, progress_loop, thread_count};
use super::provenance::{locate, merge_occurrences, scan_jobs, BlobJob, Intro};
use super::walk::{object_refs, walk_roots, HistoryWalk};
use super::{git_err, repo_label, GitError, GitOptions};
use crate::classify::project::ProjectFiles;
use crate::input::pack::{self, Pack, RawOid};
use crate::input::tree_filter::TreeFilter;
use crate::outcome::{Notice, ScanOutcome};
use crate::scan::{Prefilter, Scanner, Scratch};
use git2::{ObjectType, Oid, Repository};
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// What the first pass learned about one object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Probe {
    Commit,
    OtherObject,
    Clean(u64),
    /// Clean, but the blob names Pictify (project-level evidence).
    Mentions(u64),
    Hit(u64),
    /// A hit in a blob that names Pictify.
    HitMentions(u64),
    TooLarge(u64),
    SkippedBinary,
    Unreadable,
    /// A packed delta whose chain of bases loops (a forged pack): never read.
    DeltaLoop,
}

fn probe(
    scanner: &Scanner,
    odb: &git2::Odb<'_>,
    scratch: &mut Scratch,
    oid: Oid,
    max: u64,
) -> Probe {
    // Headers first: commits and trees are never inflated, huge blobs never read.
    let (size, kind) = match odb.read_header(oid) {
        Ok(h) => h,
        Err(_) => return Probe::Unreadable,
    };
    match kind {
        ObjectType::Blob => {}
        ObjectType::Commit => return Probe::Commit,
        _ => return Probe::OtherObject,
    }
    let size = size as u64;
    if size > max {
        return Probe::TooLarge(size);
    }
    let Ok(obj) = odb.read(oid) else {
        return Probe::Unreadable;
    };
    prefiltered(scanner, obj.data(), scratch)
}

fn prefiltered(scanner: &Scanner, data: &[u8], scratch: &mut Scratch) -> Probe {
    let size = data.len() as u64;
    match scanner.prefilter(data, scratch) {
        Prefilter::Clean if scratch.mentions_pictify() => Probe::Mentions(size),
        Prefilter::Clean => Probe::Clean(size),
        Prefilter::Hit if scratch.mentions_pictify() => Probe::HitMentions(size),
        Prefilter::Hit => Probe::Hit(size),
        Prefilter::SkippedBinary => Probe::SkippedBinary,
    }
}

pub(super) fn scan_history(
    scanner: &Scanner,
    repo: &Repository,
    opts: &GitOptions,
    all_objects: bool,
    project: &dyn ProjectFiles,
) -> Result<ScanOutcome, GitError> {
    let mut out = ScanOutcome::default();
    if repo.is_shallow() {
        out.notices.push(Notice::warning(
            repo_label(repo),
            "shallow clone: commits before the shallow boundary are not available and were not scanned (fetch with --unshallow for a full audit)".into(),
        ));
    }
    if let Some(remote) = promisor_remote(repo) {
        out.notices.push(Notice::warning(
            repo_label(repo),
            format!("partial clone (objects are fetched on demand from '{remote}'): blobs that were never downloaded are not in the repository and were not scanned (clone without --filter for a full audit)"),
        ));
    }
    if repo.head().is_err() && repo.references().map(|r| r.count()).unwrap_or(0) == 0 {
        out.notices.push(Notice::warning(
            repo_label(repo),
            "repository has no commits yet: nothing in history (use --staged to scan the index)"
                .into(),
        ));
    }

    let max = opts.max_file_size;
    let (packs, unread, unlisted) = open_packs(repo);
    for idx in unlisted {
        out.notices.push(Notice::warning(
            idx.display().to_string(),
            "damaged pack index (or a format pkscan does not read): the objects in this pack were not scanned".into(),
        ));
    }
    let probes = probe_all(scanner, repo, &packs, unread, opts)?;

    let mut targets: HashMap<Oid, Probe> = HashMap::new();
    let mut commits = Vec::new();
    let mut skipped_binary = 0usize;
    let mut damaged: HashSet<Oid> = HashSet::new();
    for (raw, p) in &probes {
        let oid = || Oid::from_bytes(raw).expect("20-byte object id");
        match *p {
            Probe::Commit => commits.push(oid()),
            Probe::OtherObject => {}
            Probe::Clean(n) | Probe::Mentions(n) | Probe::Hit(n) | Probe::HitMentions(n) => {
                out.files_scanned += 1;
                out.bytes_scanned += n;
                out.mentions_pictify |= matches!(p, Probe::Mentions(_) | Probe::HitMentions(_));
                if matches!(p, Probe::Hit(_) | Probe::HitMentions(_)) {
                    targets.insert(oid(), *p);
                }
            }
            Probe::TooLarge(_) => {
                targets.insert(oid(), *p);
            }
            Probe::SkippedBinary => skipped_binary += 1,
            Probe::Unreadable => out.notices.push(Notice::warning(
                format!("object {}", oid()),
                "missing or damaged object: cannot be read (partial or corrupt repository); scanning goes on".into(),
            )),
            Probe::DeltaLoop => {
                damaged.insert(oid());
                out.notices.push(Notice::warning(
                    format!("object {}", oid()),
                    "damaged object: its chain of delta bases loops (a forged pack); not read, scanning goes on".into(),
                ));
            }
        }
    }
    drop(probes);
    if skipped_binary > 0 {
        out.notices.push(Notice::skipped(
            repo_label(repo),
            format!("{skipped_binary} binary blob(s) not scanned (--no-binary)"),
        ));
    }
    if targets.is_empty() {
        return Ok(out);
    }

    // Only now, for the few blobs that matter, find where they came from.
    let mut walk = HistoryWalk::new(repo, &targets);
    walk.damaged = damaged;
    let wanted: Vec<RawOid> = targets.keys().map(raw_oid).collect();
    walk.filter = Some(TreeFilter::build(
        &packs,
        thread_count(opts.threads),
        &wanted,
    ));
    drop(packs);
    let roots = walk_roots(
        repo,
        all_objects.then_some(commits.as_slice()),
        &walk.damaged,
        &mut out,
    );
    // A walk that stopped early placed only part of history: what it did not
    // place is reported (as not placed), never dropped as unreachable.
    let complete = walk.run(&roots, &mut out.notices);
    walk.place_refs(&object_refs(repo, &walk.damaged));
    let report_unplaced = all_objects || !complete;
    let unplaced = |oid: Oid| Intro {
        order: usize::MAX,
        commit: None,
        path: if complete {
            unreachable_label(oid)
        } else {
            format!("(blob {oid}, not placed: the history walk stopped early)")
        },
    };
    let head_blobs: HashSet<Oid> = match repo.head().ok().and_then(|h| h.peel_to_tree().ok()) {
        Some(t) => walk.blobs_in(t.id()).iter().map(|(o, _)| *o).collect(),
        None => HashSet::new(),
    };

    let mut jobs: Vec<BlobJob> = Vec::new();
    let mut too_large = Vec::new();
    let mut ordered: Vec<(&Oid, &Probe)> = targets.iter().collect();
    ordered.sort_by_key(|(o, _)| **o);
    for (oid, p) in ordered {
        let intros = walk.intros.remove(oid).unwrap_or_default();
        if let Probe::TooLarge(size) = p {
            if let Some(i) = intros.first() {
                too_large.push((i.clone(), *size));
            } else if report_unplaced {
                too_large.push((unplaced(*oid), *size));
            }
            continue;
        }
        if intros.is_empty() {
            // In no commit we walked: unreachable (dropped unless --all-objects).
            if report_unplaced {
                jobs.push(BlobJob {
                    oid: *oid,
                    intros: vec![unplaced(*oid)],
                });
            }
            continue;
        }
        jobs.push(BlobJob { oid: *oid, intros });
    }
    for (intro, size) in too_large {
        out.notices.push(Notice::skipped(
            intro.display(),
            format!("blob larger than --max-file-size ({size} > {max} bytes)"),
        ));
    }

    let scanned = scan_jobs(scanner, repo, opts, &jobs, project, &mut out.notices)?;
    let found = locate(&jobs, scanned, |job, _| head_blobs.contains(&job.oid));
    out.findings = merge_occurrences(repo, found, max);
    Ok(out)
}

/// Probes every object in the repository, sorted by id: objects in pack files
/// through the direct pack reader, which inflates each entry once; the rest
/// (loose objects, alternates, entries the pack reader could not decode) through
/// libgit2, which also reports what is really missing or damaged.
fn probe_all(
    scanner: &Scanner,
    repo: &Repository,
    packs: &[Pack],
    unread: Vec<RawOid>,
    opts: &GitOptions,
) -> Result<Vec<(RawOid, Probe)>, GitError> {
    let (max, threads) = (opts.max_file_size, thread_count(opts.threads));
    // Everything the database holds, less what the packs will account for.
    // Without alternates that is the loose objects and the packs this reader
    // cannot open; with them, only libgit2 can list the database.
    let listed = loose_objects(repo).map(|mut loose| {
        loose.extend(unread);
        loose
    });
    let total = listed.as_ref().map_or(0, Vec::len) + packs.iter().map(Pack::len).sum::<usize>();
    let done = AtomicU64::new(0);
    let finished = AtomicBool::new(false);
    std::thread::scope(|s| {
        if opts.progress {
            let (done, finished) = (&done, &finished);
            s.spawn(move || progress_loop(done, finished, total));
        }
        let run = || -> Result<Vec<(RawOid, Probe)>, GitError> {
            let mut found: Vec<(RawOid, Probe)> = Vec::new();
            let mut rest: Vec<RawOid> = Vec::new();
            for p in packs {
                let read = p.read(
                    threads,
                    pack::Pass::Blobs { max },
                    &done,
                    |scratch: &mut Scratch, _, obj| match obj {
                        pack::Object::Commit => Probe::Commit,
                        pack::Object::Other | pack::Object::Tree(_) => Probe::OtherObject,
                        pack::Object::LargeBlob(size) => Probe::TooLarge(size),
                        pack::Object::Blob(data) => prefiltered(scanner, data, scratch),
                    },
                );
                if found.is_empty() {
                    found = read.found;
                } else {
                    found.extend(read.found);
                }
                rest.extend(read.missed);
                found.extend(read.looped.into_iter().map(|o| (o, Probe::DeltaLoop)));
            }
            // An object in several packs is probed once.
            found.sort_unstable_by_key(|(o, _)| *o);
            found.dedup_by_key(|(o, _)| *o);
            let known = |o: &RawOid| found.binary_search_by_key(o, |(f, _)| *f).is_ok();
            match listed {
                Some(loose) => rest.extend(loose),
                None => {
                    let odb = repo.odb().map_err(git_err("opening the object database"))?;
                    odb.foreach(|oid| {
                        rest.push(raw_oid(oid));
                        true
                    })
                    .map_err(git_err("listing the object database"))?;
                }
            }
            let mut rest: Vec<Oid> = rest
                .into_iter()
                .filter(|o| !known(o))
                .map(|o| Oid::from_bytes(&o).expect("20-byte object id"))
                .collect();
            rest.sort_unstable();
            rest.dedup();
            let rest_probes = par_map(repo, threads, &rest, Some(&done), |odb, scratch, oid| {
                probe(scanner, odb, scratch, *oid, max)
            })?;
            if !rest.is_empty() {
                found.extend(rest.iter().map(raw_oid).zip(rest_probes));
                found.sort_unstable_by_key(|(o, _)| *o);
            }
            Ok(found)
        };
        let result = run();
        finished.store(true, Ordering::Relaxed);
        result
    })
}

fn unreachable_label(oid: Oid) -> String {
    format!("(unreachable blob {oid})")
}
