//! Parallel work over git objects: worker threads with their own repository
//! handle and scratch space, and the progress line of long scans.
use super::{git_err, GitError};
use crate::scan::Scratch;
use git2::Repository;
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

pub(super) fn thread_count(requested: usize) -> usize {
    if requested > 0 {
        requested
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    }
}

/// Runs `f` over `items` on `threads` workers, each with its own repository handle
/// and scratch space; results come back in item order.
pub(super) fn par_map<T, R, F>(
    repo: &Repository,
    threads: usize,
    items: &[T],
    done: Option<&AtomicU64>,
    f: F,
) -> Result<Vec<R>, GitError>
where
    T: Sync,
    R: Send,
    F: Fn(&git2::Odb<'_>, &mut Scratch, &T) -> R + Sync,
{
    let threads = threads.min(items.len().div_ceil(32)).max(1);
    if threads == 1 && done.is_none() {
        // Few items (the `--staged` case): no thread or second handle to pay for.
        let odb = repo.odb().map_err(git_err("opening the object database"))?;
        let mut scratch = Scratch::default();
        return Ok(items.iter().map(|t| f(&odb, &mut scratch, t)).collect());
    }
    let git_dir = repo.path().to_path_buf();
    const CHUNK: usize = 64;
    let next = AtomicUsize::new(0);
    let no_counter = AtomicU64::new(0);
    let done = done.unwrap_or(&no_counter);
    let results: Mutex<Vec<(usize, Vec<R>)>> = Mutex::new(Vec::new());
    let first_error: Mutex<Option<GitError>> = Mutex::new(None);
    std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let (next, results, first_error, f) = (&next, &results, &first_error, &f);
                let git_dir = &git_dir;
                s.spawn(move || {
                    let worker_repo = match Repository::open(git_dir) {
                        Ok(r) => r,
                        Err(source) => {
                            first_error.lock().unwrap().get_or_insert(GitError::Git {
                                what: "opening the repository in a worker thread",
                                source,
                            });
                            return;
                        }
                    };
                    let odb = match worker_repo.odb() {
                        Ok(odb) => odb,
                        Err(source) => {
                            first_error.lock().unwrap().get_or_insert(GitError::Git {
                                what: "opening the repository in a worker thread",
                                source,
                            });
                            return;
                        }
                    };
                    let mut scratch = Scratch::default();
                    loop {
                        let start = next.fetch_add(CHUNK, Ordering::Relaxed);
                        if start >= items.len() {
                            break;
                        }
                        let end = (start + CHUNK).min(items.len());
                        let chunk: Vec<R> = items[start..end]
                            .iter()
                            .map(|t| f(&odb, &mut scratch, t))
                            .collect();
                        done.fetch_add((end - start) as u64, Ordering::Relaxed);
                        results.lock().unwrap().push((start, chunk));
                    }
                })
            })
            .collect();
        for w in workers {
            let _ = w.join();
        }
    });
    if let Some(e) = first_error.into_inner().unwrap() {
        return Err(e);
    }
    let mut chunks = results.into_inner().unwrap();
    chunks.sort_by_key(|(start, _)| *start);
    Ok(chunks.into_iter().flat_map(|(_, c)| c).collect())
}

/// A periodic progress line on stderr, cleared when the work is done.
pub(super) fn progress_loop(done: &AtomicU64, finished: &AtomicBool, total: usize) {
    let mut stderr = std::io::stderr();
    if !stderr.is_terminal() {
        return;
    }
    let mut ticks = 0u32;
    while !finished.load(Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(50));
        ticks += 1;
        // Short scans finish before anything is drawn.
        if ticks % 5 == 0 {
            let n = done.load(Ordering::Relaxed);
            let _ = write!(stderr, "\rpkscan: reading git objects {n}/{total}\x1b[K");
        }
    }
    if ticks >= 5 {
        let _ = write!(stderr, "\r\x1b[K");
    }
}
