//! What the object database holds and where: the packs the direct reader can
//! open, loose objects, and the promisor remote of a partial clone.
use crate::input::pack::{self, Pack, RawOid};
use git2::{Oid, Repository};
use std::path::PathBuf;

/// The packs of the repository's own object directory that the direct reader
/// can open, plus the indexes of those it cannot (their objects go to libgit2).
pub(super) fn open_packs(repo: &Repository) -> (Vec<Pack>, Vec<RawOid>, Vec<PathBuf>) {
    let mut packs = Vec::new();
    let mut unread = Vec::new();
    // Indexes neither reader can list (damaged, or another format): their
    // objects cannot even be named, so the caller must say so.
    let mut unlisted = Vec::new();
    for idx in pack_indexes(repo) {
        match Pack::open(&idx) {
            Some(p) => packs.push(p),
            None => {
                let listed = std::fs::read(&idx)
                    .is_ok_and(|data| pack::read_index(&data, |oid, _| unread.push(oid)));
                if !listed {
                    unlisted.push(idx);
                }
            }
        }
    }
    (packs, unread, unlisted)
}

pub(super) fn raw_oid(oid: &Oid) -> RawOid {
    oid.as_bytes().try_into().expect("20-byte object id")
}

/// The loose objects of the repository's object directory, or None when the
/// database has more than that directory and its packs (alternates), so that
/// only libgit2 can list it.
pub(super) fn loose_objects(repo: &Repository) -> Option<Vec<RawOid>> {
    let objects = repo.commondir().join("objects");
    let alternates = objects.join("info").join("alternates");
    if std::env::var_os("GIT_ALTERNATE_OBJECT_DIRECTORIES").is_some()
        || std::env::var_os("GIT_OBJECT_DIRECTORY").is_some()
        || std::fs::metadata(&alternates).is_ok_and(|m| m.len() > 0)
    {
        return None;
    }
    let mut out = Vec::new();
    for dir in std::fs::read_dir(&objects).ok()?.flatten() {
        let name = dir.file_name();
        let Some(prefix) = name.to_str().filter(|n| n.len() == 2) else {
            continue;
        };
        let Ok(files) = std::fs::read_dir(dir.path()) else {
            continue;
        };
        for f in files.flatten() {
            let name = f.file_name();
            let Some(rest) = name.to_str().filter(|n| n.len() == 38) else {
                continue;
            };
            if let Ok(oid) = Oid::from_str(&format!("{prefix}{rest}")) {
                out.push(raw_oid(&oid));
            }
        }
    }
    Some(out)
}

/// The pack indexes of the repository's own object directory, in name order.
fn pack_indexes(repo: &Repository) -> Vec<PathBuf> {
    let dir = repo.commondir().join("objects").join("pack");
    let Ok(rd) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut idx: Vec<PathBuf> = rd
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "idx"))
        .collect();
    idx.sort();
    idx
}

/// The remote a partial clone fetches missing objects from, if it is one.
pub(super) fn promisor_remote(repo: &Repository) -> Option<String> {
    let config = repo.config().ok()?;
    if let Ok(name) = config.get_string("extensions.partialclone") {
        return Some(name);
    }
    let mut entries = config.entries(Some(r"remote\..*\.promisor")).ok()?;
    while let Some(Ok(e)) = entries.next() {
        let Some(name) = e.name() else { continue };
        if config.get_bool(name).unwrap_or(false) {
            return Some(name["remote.".len()..name.len() - ".promisor".len()].to_string());
        }
    }
    None
}
