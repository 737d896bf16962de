//! Full-history mode: probes every object once through the prefilter, then
//! places only the blobs with hits in history and scans them at their paths.
use super::odb::{loose_objects, open_packs, promisor_remote, raw_oid};
use super::parallel::{par_map, progress_loop, thread_count};
use super::provenance::{
    locate, merge_occurrences, scan_at_intros, scan_jobs, BlobJob, Intro, Scanned,
};
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

/// What the first pass keeps: the few objects that matter, and counts of the rest,
/// so that its memory grows with neither the objects nor their content.
#[derive(Default)]
struct Probed {
    /// Blobs with hits or over the size limit, unreadable objects, and commits
    /// (those only with `--all-objects`), sorted by id.
    notable: Vec<(RawOid, Probe)>,
    blobs: AtomicU64,
    bytes: AtomicU64,
    mentions_pictify: AtomicBool,
    skipped_binary: AtomicU64,
}

impl Probed {
    /// Counts `p`; returns it if it is to be kept.
    fn count(&self, p: Probe, commits: bool) -> Option<Probe> {
        match p {
            Probe::Clean(n) | Probe::Mentions(n) | Probe::Hit(n) | Probe::HitMentions(n) => {
                self.blobs.fetch_add(1, Ordering::Relaxed);
                self.bytes.fetch_add(n, Ordering::Relaxed);
                if matches!(p, Probe::Mentions(_) | Probe::HitMentions(_)) {
                    self.mentions_pictify.store(true, Ordering::Relaxed);
                }
                matches!(p, Probe::Hit(_) | Probe::HitMentions(_)).then_some(p)
            }
            Probe::SkippedBinary => {
                self.skipped_binary.fetch_add(1, Ordering::Relaxed);
                None
            }
            Probe::OtherObject => None,
            Probe::Commit => commits.then_some(p),
            Probe::TooLarge(_) | Probe::Unreadable | Probe::DeltaLoop => Some(p),
        }
    }
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
    let probed = probe_all(scanner, repo, &packs, unread, opts, all_objects)?;

    out.files_scanned += probed.blobs.load(Ordering::Relaxed);
    out.bytes_scanned += probed.bytes.load(Ordering::Relaxed);
    out.mentions_pictify |= probed.mentions_pictify.load(Ordering::Relaxed);
    let skipped_binary = probed.skipped_binary.load(Ordering::Relaxed);
    let mut targets: HashMap<Oid, Probe> = HashMap::new();
    let mut commits = Vec::new();
    let mut damaged: HashSet<Oid> = HashSet::new();
    for (raw, p) in &probed.notable {
        let oid = Oid::from_bytes(raw).expect("20-byte object id");
        match *p {
            Probe::Commit => commits.push(oid),
            Probe::Unreadable => out.notices.push(Notice::warning(
                format!("object {oid}"),
                "missing or damaged object: cannot be read (partial or corrupt repository); scanning goes on".into(),
            )),
            Probe::DeltaLoop => {
                damaged.insert(oid);
                out.notices.push(Notice::warning(
                    format!("object {oid}"),
                    "damaged object: its chain of delta bases loops (a forged pack); not read, scanning goes on".into(),
                ));
            }
            _ => {
                targets.insert(oid, *p);
            }
        }
    }
    drop(probed);
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
    let mut sorted: Vec<Oid> = targets.keys().copied().collect();
    sorted.sort_unstable();
    let wanted: Vec<RawOid> = sorted.iter().map(raw_oid).collect();
    let filter = TreeFilter::build(&packs, thread_count(opts.threads), &wanted);
    let mut walk = HistoryWalk::new(repo, sorted, filter);
    walk.damaged = damaged;
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
        Some(t) => walk.blobs_under(t.id()),
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

    let from_packs = scan_packed(scanner, &packs, &jobs, thread_count(opts.threads), project);
    drop(packs);
    let scanned = scan_jobs(
        scanner,
        repo,
        opts,
        &jobs,
        project,
        &mut out.notices,
        from_packs,
    )?;
    let found = locate(&jobs, scanned, |job, _| head_blobs.contains(&job.oid));
    out.findings = merge_occurrences(repo, found, max);
    Ok(out)
}

/// Probes every object in the repository: objects in pack files through the
/// direct pack reader, which inflates each entry once; the rest (loose objects,
/// alternates, entries the pack reader could not decode) through libgit2, which
/// also reports what is really missing or damaged. Each object is counted once,
/// and only notable ones are kept (commits too with `commits`).
fn probe_all(
    scanner: &Scanner,
    repo: &Repository,
    packs: &[Pack],
    unread: Vec<RawOid>,
    opts: &GitOptions,
    commits: bool,
) -> Result<Probed, GitError> {
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
        let run = || -> Result<Probed, GitError> {
            let mut probed = Probed::default();
            let mut notable: Vec<(RawOid, Probe)> = Vec::new();
            let mut missed: HashSet<RawOid> = HashSet::new();
            for (i, p) in packs.iter().enumerate() {
                // An object in several packs is probed in the first.
                let earlier = &packs[..i];
                let read = p.read_some(
                    threads,
                    pack::Pass::Blobs { max },
                    &done,
                    |scratch: &mut Scratch, oid, obj| {
                        if earlier.iter().any(|q| q.contains(oid)) {
                            return None;
                        }
                        let probe = match obj {
                            pack::Object::Commit => Probe::Commit,
                            pack::Object::Other | pack::Object::Tree(_) => Probe::OtherObject,
                            pack::Object::LargeBlob(size) => Probe::TooLarge(size),
                            pack::Object::Blob(data) => prefiltered(scanner, data, scratch),
                        };
                        probed.count(probe, commits)
                    },
                );
                notable.extend(read.found);
                missed.extend(read.missed);
                notable.extend(read.looped.into_iter().map(|o| (o, Probe::DeltaLoop)));
            }
            // Objects a pack reader handed out are done; everything else listed
            // (and what the packs could not decode) goes to libgit2.
            let known = |o: &RawOid| !missed.contains(o) && packs.iter().any(|p| p.contains(o));
            let mut rest: Vec<RawOid> = missed.iter().copied().collect();
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
            for (oid, p) in rest.iter().zip(rest_probes) {
                if let Some(p) = probed.count(p, commits) {
                    notable.push((raw_oid(oid), p));
                }
            }
            notable.sort_unstable_by_key(|(o, _)| *o);
            notable.dedup_by_key(|(o, _)| *o);
            probed.notable = notable;
            Ok(probed)
        };
        let result = run();
        finished.store(true, Ordering::Relaxed);
        result
    })
}

/// Scans the jobs' blobs that the packs hold, read by the pack reader (each
/// delta base inflated once, nothing else read); None for the others. Readers
/// hand blobs to `threads` scanning threads through a short queue: the blobs of
/// one file's history sit in one delta tree, read by one thread, and scanning
/// them is the expensive part.
fn scan_packed(
    scanner: &Scanner,
    packs: &[Pack],
    jobs: &[BlobJob],
    threads: usize,
    project: &dyn ProjectFiles,
) -> Vec<Option<Scanned>> {
    let mut out: Vec<Option<Scanned>> = Vec::new();
    out.resize_with(jobs.len(), || None);
    let index: HashMap<RawOid, usize> = (jobs.iter().enumerate())
        .map(|(j, job)| (raw_oid(&job.oid), j))
        .collect();
    let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, Vec<u8>)>(2 * threads);
    let rx = std::sync::Mutex::new(rx);
    std::thread::scope(|s| {
        let scanners: Vec<_> = (0..threads)
            .map(|_| {
                let rx = &rx;
                s.spawn(move || {
                    let mut scratch = Scratch::default();
                    let mut got = Vec::new();
                    loop {
                        let next = match rx.lock() {
                            Ok(r) => r.recv(),
                            Err(poisoned) => poisoned.into_inner().recv(),
                        };
                        let Ok((j, data)) = next else { break };
                        // A scanner stays alive whatever one blob does, so the
                        // readers never wait on a queue nobody empties; a blob
                        // that panics is left to the libgit2 pass.
                        let scan = std::panic::AssertUnwindSafe(|| {
                            scan_at_intros(scanner, project, &jobs[j], &data, &mut scratch)
                        });
                        if let Ok(s) = std::panic::catch_unwind(scan) {
                            got.push((j, s));
                        }
                    }
                    got
                })
            })
            .collect();
        let mut left: Vec<RawOid> = index.keys().copied().collect();
        let done = AtomicU64::new(0);
        for p in packs {
            if left.is_empty() {
                break;
            }
            let selection = p.select(&left);
            let read = p.read_some(
                threads,
                pack::Pass::Selected(&selection),
                &done,
                |_: &mut (), oid, obj| {
                    let pack::Object::Blob(data) = obj else {
                        return None;
                    };
                    let j = *index.get(oid)?;
                    // The scanners report what they found (a closed queue:
                    // they failed, and these jobs are left to libgit2).
                    let _ = tx.send((j, data.to_vec()));
                    None::<()>
                },
            );
            left = selection.absent;
            left.extend(read.missed);
        }
        drop(tx);
        for h in scanners {
            if let Ok(got) = h.join() {
                for (j, s) in got {
                    out[j] = Some(s);
                }
            }
        }
    });
    out
}

fn unreachable_label(oid: Oid) -> String {
    format!("(unreachable blob {oid})")
}
