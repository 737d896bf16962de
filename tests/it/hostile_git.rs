//! Repositories built to break scanners, written object by object where `git`
//! refuses to: delta cycles, a 10,000-deep delta chain, headers claiming 4 GiB,
//! a pack index that disagrees with its pack, a truncated pack, a tree that
//! contains itself, a million loose objects, refs to blobs and trees, gitdir
//! links, and timestamps at the ends of time. Every scan must finish, say
//! what it could not read, find the keys that are there, and stay within a
//! fixed address space whatever the headers claim.
use crate::git::{origins, Repo};
use crate::hostile::wait_bounded;
use crate::util::*;
use std::io::Write;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// Address space (virtual memory) each scan here may use: far below what the
/// headers claim, so an allocation that trusts one fails the test.
const ADDRESS_SPACE: u64 = 3 << 30;
const TIMEOUT: Duration = Duration::from_secs(240);

/// `pkscan git <repo> --format json`, with the address space limited.
fn scan_limited(dir: &Path, extra: &[&str]) -> Run {
    let mut cmd = Command::new(bin());
    cmd.args(["git", dir.to_str().unwrap(), "--format", "json"])
        .args(extra)
        .current_dir(dir);
    // SAFETY: setrlimit is async-signal-safe; nothing else runs in the child
    // between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            let lim = libc::rlimit {
                rlim_cur: ADDRESS_SPACE,
                rlim_max: ADDRESS_SPACE,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    wait_bounded(cmd, TIMEOUT)
}

fn notices(r: &Run) -> String {
    r.json()["notices"].to_string()
}

fn sha1(data: &[u8]) -> [u8; 20] {
    let mut child = Command::new("sha1sum")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("sha1sum");
    child.stdin.take().unwrap().write_all(data).unwrap();
    let out = child.wait_with_output().unwrap();
    unhex(
        std::str::from_utf8(&out.stdout)
            .unwrap()
            .split(' ')
            .next()
            .unwrap(),
    )
}

fn unhex(s: &str) -> [u8; 20] {
    let mut o = [0u8; 20];
    for (i, b) in o.iter_mut().enumerate() {
        *b = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap();
    }
    o
}

fn hex(o: &[u8; 20]) -> String {
    o.iter().map(|b| format!("{b:02x}")).collect()
}

fn zlib(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// Writes a loose object under `id`, whatever its content hashes to (pkscan
/// reads without verifying hashes, as a scanner should: the bytes are what
/// someone committed).
fn write_loose_as(repo: &Path, id: &str, kind: &str, body: &[u8]) {
    let mut raw = format!("{kind} {}\0", body.len()).into_bytes();
    raw.extend_from_slice(body);
    let dir = repo.join(".git/objects").join(&id[..2]);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(&id[2..]);
    let _ = std::fs::remove_file(&file);
    std::fs::write(file, zlib(&raw)).unwrap();
}

fn remove_loose(repo: &Path, id: &str) {
    std::fs::remove_file(repo.join(".git/objects").join(&id[..2]).join(&id[2..])).unwrap();
}

/// One entry of a hand-written pack.
enum Entry {
    /// Type (1 commit, 2 tree, 3 blob), content, and the size the header claims.
    Full(u8, Vec<u8>, u64),
    /// A delta against the entry this many places earlier (0: itself).
    Ofs(usize, Vec<u8>),
    /// A delta against an object id; the delta's claimed size.
    Ref([u8; 20], Vec<u8>),
}

fn size_header(kind: u8, mut size: u64, out: &mut Vec<u8>) {
    let mut c = (kind << 4) | (size & 15) as u8;
    size >>= 4;
    while size != 0 {
        out.push(c | 0x80);
        c = (size & 0x7f) as u8;
        size >>= 7;
    }
    out.push(c);
}

fn delta_varint(mut v: u64, out: &mut Vec<u8>) {
    loop {
        let c = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            return out.push(c);
        }
        out.push(c | 0x80);
    }
}

/// A delta: declared base and result sizes, then copy (offset, length) and
/// insert operations.
fn delta(src: u64, dst: u64, copy: Option<(u8, u8)>, insert: &[u8]) -> Vec<u8> {
    let mut d = Vec::new();
    delta_varint(src, &mut d);
    delta_varint(dst, &mut d);
    if let Some((off, len)) = copy {
        d.extend_from_slice(&[0x91, off, len]);
    }
    for chunk in insert.chunks(127) {
        d.push(chunk.len() as u8);
        d.extend_from_slice(chunk);
    }
    d
}

/// Writes `entries` under `ids` as a pack and version-2 index in the
/// repository's pack directory; returns the pack's path.
fn write_pack(repo: &Path, ids: &[[u8; 20]], entries: &[Entry]) -> std::path::PathBuf {
    let mut pack = b"PACK\0\0\0\x02".to_vec();
    pack.extend_from_slice(&(entries.len() as u32).to_be_bytes());
    let mut offsets = Vec::new();
    for e in entries {
        let off = pack.len() as u64;
        offsets.push(off);
        match e {
            Entry::Full(kind, body, claim) => {
                size_header(*kind, *claim, &mut pack);
                pack.extend_from_slice(&zlib(body));
            }
            Entry::Ofs(back, d) => {
                size_header(6, d.len() as u64, &mut pack);
                let mut v = off - offsets[offsets.len() - 1 - back];
                let mut b = vec![(v & 0x7f) as u8];
                v >>= 7;
                while v != 0 {
                    v -= 1;
                    b.push(0x80 | (v & 0x7f) as u8);
                    v >>= 7;
                }
                b.reverse();
                pack.extend_from_slice(&b);
                pack.extend_from_slice(&zlib(d));
            }
            Entry::Ref(base, d) => {
                size_header(7, d.len() as u64, &mut pack);
                pack.extend_from_slice(base);
                pack.extend_from_slice(&zlib(d));
            }
        }
    }
    let sum = sha1(&pack);
    pack.extend_from_slice(&sum);
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_by_key(|&i| ids[i]);
    let mut idx = b"\xfftOc\0\0\0\x02".to_vec();
    for b in 0..256usize {
        let n = order
            .iter()
            .filter(|&&i| usize::from(ids[i][0]) <= b)
            .count();
        idx.extend_from_slice(&(n as u32).to_be_bytes());
    }
    for &i in &order {
        idx.extend_from_slice(&ids[i]);
    }
    idx.extend_from_slice(&vec![0u8; 4 * entries.len()]);
    for &i in &order {
        idx.extend_from_slice(&(offsets[i] as u32).to_be_bytes());
    }
    idx.extend_from_slice(&sum);
    let isum = sha1(&idx);
    idx.extend_from_slice(&isum);
    let dir = repo.join(".git/objects/pack");
    std::fs::create_dir_all(&dir).unwrap();
    let stem = dir.join(format!("pack-{}", hex(&sum)));
    std::fs::write(stem.with_extension("pack"), &pack).unwrap();
    std::fs::write(stem.with_extension("idx"), &idx).unwrap();
    stem.with_extension("pack")
}

/// A repository whose `server/a.js` holds a key (loose, intact): what every
/// hostile repository below must still report.
fn repo_with_key(seed: u64) -> (Repo, String, String) {
    let repo = Repo::new();
    let key = live_key(seed);
    repo.write(
        "server/a.js",
        format!("const pictify = new Pictify('{key}')\n"),
    );
    let c = repo.commit("key");
    (repo, key, c)
}

/// `(path, commit)` of every finding (commit empty when not placed).
fn placed(r: &Run) -> Vec<(String, String)> {
    r.json()["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            let commit = f["git"]["commit"].as_str().unwrap_or("");
            (f["path"].as_str().unwrap().to_string(), commit.to_string())
        })
        .collect()
}

/// The key in `server/a.js` is reported at its path and commit.
fn assert_key_found(r: &Run, commit: &str) {
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    let want = ("server/a.js".to_string(), commit.to_string());
    assert!(placed(r).contains(&want), "{}", r.stdout);
}

#[test]
fn delta_cycles_are_reported_not_followed() {
    let (repo, _, c) = repo_with_key(900);
    repo.write("b.txt", "bee\n")
        .write("c.txt", "sea\n")
        .write("d.txt", "dee\n");
    let c2 = repo.commit("three small files");
    let id = |p: &str| repo.git(&["rev-parse", &format!("{c2}:{p}")]);
    let (b, cc, d) = (id("b.txt"), id("c.txt"), id("d.txt"));
    for o in [&b, &cc, &d] {
        remove_loose(repo.path(), o);
    }
    // b is a delta of c, c a delta of b; d is an offset delta of itself.
    let ids = [unhex(&b), unhex(&cc), unhex(&d)];
    let dl = delta(4, 4, None, b"loop");
    write_pack(
        repo.path(),
        &ids,
        &[
            Entry::Ref(ids[1], dl.clone()),
            Entry::Ref(ids[0], dl.clone()),
            Entry::Ofs(0, dl),
        ],
    );
    let r = scan_limited(repo.path(), &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_key_found(&r, &c);
    let n = notices(&r);
    for o in [&b, &cc, &d] {
        assert!(n.contains(o.as_str()), "{o} is named: {n}");
    }
}

#[test]
fn a_chain_of_ten_thousand_deltas_is_read_to_the_end() {
    const DEPTH: usize = 10_000;
    let repo = Repo::new();
    let key = live_key(901);
    let pad = "x".repeat(100);
    // Version i: the padding, then "version i"; the last one also holds the key.
    let version = |i: usize| {
        let mut v = format!("{pad}\nversion {i}\n");
        if i == DEPTH {
            v.push_str(&format!("const pictify = new Pictify('{key}')\n"));
        }
        v
    };
    let files = tempfile::tempdir().unwrap();
    let mut paths = String::new();
    for i in 0..=DEPTH {
        let p = files.path().join(i.to_string());
        std::fs::write(&p, version(i)).unwrap();
        paths.push_str(&format!("{}\n", p.display()));
    }
    std::fs::write(files.path().join("list"), &paths).unwrap();
    let ids: Vec<[u8; 20]> = {
        let out = Command::new("git")
            .args(["hash-object", "--no-filters", "--stdin-paths"])
            .stdin(std::fs::File::open(files.path().join("list")).unwrap())
            .current_dir(repo.path())
            .output()
            .unwrap();
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(unhex)
            .collect()
    };
    assert_eq!(ids.len(), DEPTH + 1);
    let mut entries = vec![Entry::Full(
        3,
        version(0).into_bytes(),
        version(0).len() as u64,
    )];
    for i in 1..=DEPTH {
        let (prev, next) = (version(i - 1), version(i));
        let tail = &next[pad.len()..];
        let d = delta(
            prev.len() as u64,
            next.len() as u64,
            Some((0, pad.len() as u8)),
            tail.as_bytes(),
        );
        // Each version is a delta of the one before it.
        entries.push(Entry::Ofs(1, d));
    }
    write_pack(repo.path(), &ids, &entries);
    let tree = repo.git_input(
        &["mktree", "--missing"],
        &format!("100644 blob {}\tdeep.txt\n", hex(&ids[DEPTH])),
    );
    let commit = repo.git(&["commit-tree", &tree, "-m", "deep"]);
    repo.git(&["update-ref", "refs/heads/main", &commit]);
    let r = scan_limited(repo.path(), &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        origins(&r),
        vec![("deep.txt".to_string(), 3, commit, true)],
        "{}",
        r.stderr
    );
    assert_eq!(r.json()["summary"]["files_scanned"], DEPTH + 1);
}

#[test]
fn headers_claiming_gigabytes_allocate_nothing_like_it() {
    let (repo, _, c) = repo_with_key(902);
    let ids: Vec<[u8; 20]> = (0..5u8).map(|i| [0xa0 + i; 20]).collect();
    let body = b"a small blob whose header lies\n".to_vec();
    let entries = [
        // A blob claiming 4 GiB, with two deltas claiming 4 GiB results.
        Entry::Full(3, body.clone(), 4 << 30),
        Entry::Ofs(1, delta(4 << 30, 4 << 30, Some((0, 8)), b"")),
        Entry::Ref(ids[0], delta(body.len() as u64, 4 << 30, Some((0, 8)), b"")),
        // A tree claiming a terabyte, a blob claiming 2^56 bytes.
        Entry::Full(2, b"100644 f\0aaaaaaaaaaaaaaaaaaaa".to_vec(), 1 << 40),
        Entry::Full(3, body, u64::MAX >> 8),
    ];
    write_pack(repo.path(), &ids, &entries);
    let r = scan_limited(repo.path(), &["--all-objects"]);
    assert_key_found(&r, &c);
    // The blobs are reported as too large by their claimed sizes; the tree
    // is never read in full.
    let n = notices(&r);
    for id in [&ids[0], &ids[1], &ids[2], &ids[4]] {
        let named = n.contains(&format!("(unreachable blob {})", hex(id)));
        assert!(
            named && n.contains("larger than"),
            "{} is named: {n}",
            hex(id)
        );
    }
}

/// Packs the repository into one pack and returns its path; its keys' blob
/// ids are then only in that pack.
fn packed(repo: &Repo) -> std::path::PathBuf {
    repo.git(&["repack", "-a", "-d", "-q"]);
    repo.git(&["prune-packed"]);
    let dir = repo.path().join(".git/objects/pack");
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "pack"))
        .unwrap()
}

/// A repository whose old history (a key in `old/b.js`) is packed and then
/// damaged by `damage`, and whose newest commit (`server/a.js`) is loose.
fn damaged_pack(seed: u64, damage: impl Fn(&Path)) -> (Repo, String) {
    let repo = Repo::new();
    repo.write(
        "old/b.js",
        format!("const pictify = new Pictify('{}')\n", live_key(seed + 1)),
    );
    for i in 0..20 {
        repo.write(&format!("old/{i}.txt"), format!("file {i}\n").repeat(50));
    }
    repo.commit("old");
    let pack = packed(&repo);
    repo.write(
        "server/a.js",
        format!("const pictify = new Pictify('{}')\n", live_key(seed)),
    );
    repo.commit("new");
    damage(&pack);
    (repo, live_key(seed))
}

/// In a repository with a damaged pack the key in the intact newest commit is
/// still reported (at its path, or "not placed" when the damage stopped the
/// history walk), and the damage is named.
fn assert_key_in_damaged(r: &Run, key: &str, what: &str) {
    assert_eq!(r.code, 1, "{what}: {}\n{}", r.stdout, r.stderr);
    assert!(r.stdout.contains(key), "{what}: {}", r.stdout);
    let n = notices(r);
    assert!(
        n.contains("damaged") || n.contains("stopped early"),
        "{what}: {n}\n{}",
        r.stderr
    );
}

#[test]
fn a_pack_index_that_disagrees_with_its_pack_is_survived() {
    // Offsets past the end of the pack, into the middle of an entry, and one
    // entry more than the pack holds.
    type Damage<'a> = &'a dyn Fn(&mut Vec<u8>, usize);
    let variants: [Damage; 3] = [
        &|idx, at| idx[at..at + 4].copy_from_slice(&0x7fff_fff0u32.to_be_bytes()),
        &|idx, at| {
            let off = u32::from_be_bytes(idx[at..at + 4].try_into().unwrap());
            idx[at..at + 4].copy_from_slice(&(off + 3).to_be_bytes());
        },
        &|idx, _| {
            let at = 8 + 255 * 4;
            let n = u32::from_be_bytes(idx[at..at + 4].try_into().unwrap());
            idx[at..at + 4].copy_from_slice(&(n + 1).to_be_bytes());
        },
    ];
    for (k, damage) in variants.iter().enumerate() {
        let (repo, key) = damaged_pack(910 + 2 * k as u64, |pack| {
            let idx_path = pack.with_extension("idx");
            let mut idx = std::fs::read(&idx_path).unwrap();
            let n = u32::from_be_bytes(idx[8 + 255 * 4..8 + 256 * 4].try_into().unwrap()) as usize;
            // The offset of the middle entry.
            let at = 8 + 256 * 4 + n * 24 + (n / 2) * 4;
            damage(&mut idx, at);
            std::fs::write(&idx_path, &idx).unwrap();
        });
        let r = scan_limited(repo.path(), &["--show-secrets"]);
        if k == 1 {
            // Read from the wrong place an entry can still decode (git's
            // verify-pack calls it a SHA-1 collision): pkscan does not hash
            // what it reads, so this is content, not damage it can see.
            assert_eq!(r.code, 1, "{}", r.stderr);
            assert!(r.stdout.contains(&key));
            continue;
        }
        assert_key_in_damaged(&r, &key, &format!("variant {k}"));
    }
}

#[test]
fn a_truncated_pack_is_survived() {
    let (repo, key) = damaged_pack(920, |pack| {
        let data = std::fs::read(pack).unwrap();
        std::fs::write(pack, &data[..data.len() * 3 / 5]).unwrap();
    });
    let r = scan_limited(repo.path(), &["--show-secrets"]);
    assert_key_in_damaged(&r, &key, "truncated");
}

#[test]
fn a_tree_that_contains_itself_is_walked_once() {
    let (repo, key, _) = repo_with_key(930);
    // Replace the commit's root tree by one that lists itself as `loop/`.
    let tree = repo.git(&["rev-parse", "HEAD^{tree}"]);
    let server = repo.git(&["rev-parse", "HEAD:server"]);
    let mut body = b"40000 loop\0".to_vec();
    body.extend_from_slice(&unhex(&tree));
    body.extend_from_slice(b"40000 server\0");
    body.extend_from_slice(&unhex(&server));
    write_loose_as(repo.path(), &tree, "tree", &body);
    let r = scan_limited(repo.path(), &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.contains("server/a.js"), "{}", r.stdout);
    assert!(!r.stdout.contains(&key));
}

#[test]
fn a_packed_tree_that_contains_itself_twice_is_walked_once() {
    // Two entries naming the tree itself: followed naively, 2^depth paths.
    let (repo, key, c) = repo_with_key(935);
    let tree = repo.git(&["rev-parse", "HEAD^{tree}"]);
    let server = repo.git(&["rev-parse", "HEAD:server"]);
    let mut body = Vec::new();
    for (name, id) in [("a", &tree), ("b", &tree), ("server", &server)] {
        body.extend_from_slice(format!("40000 {name}\0").as_bytes());
        body.extend_from_slice(&unhex(id));
    }
    let claim = body.len() as u64;
    write_pack(repo.path(), &[unhex(&tree)], &[Entry::Full(2, body, claim)]);
    remove_loose(repo.path(), &tree);
    let r = scan_limited(repo.path(), &[]);
    assert_key_found(&r, &c);
    assert!(!r.stdout.contains(&key));
    let n = notices(&r);
    assert!(n.contains("contains itself") && n.contains(&tree), "{n}");
}

#[test]
fn a_million_tiny_loose_objects_are_scanned() {
    // PKSCAN_HOSTILE_LOOSE sets the count. The default, 200,000, keeps
    // `cargo test` within minutes; the full million (run by hand,
    // docs/hardening.md) takes about a quarter of an hour on a busy 2-core
    // machine, mostly writing and deleting the files.
    let n: usize = std::env::var("PKSCAN_HOSTILE_LOOSE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200_000);
    let (repo, _, c) = repo_with_key(940);
    let objects = repo.path().join(".git/objects");
    for d in 0..256 {
        std::fs::create_dir_all(objects.join(format!("{d:02x}"))).unwrap();
    }
    let hidden = live_key(941);
    for i in 0..n {
        // Ids spread over the fan-out directories; content is tiny.
        // (Never the all-zero id, which git reserves for "no object".)
        let k = i as u64 + 1;
        let mut id = [0u8; 20];
        id[..8].copy_from_slice(&k.wrapping_mul(0x9e37_79b9_7f4a_7c15).to_be_bytes());
        id[8..16].copy_from_slice(&k.to_be_bytes());
        let body = if i == n / 2 {
            format!("key = '{hidden}'\n")
        } else {
            format!("{i}\n")
        };
        let mut raw = format!("blob {}\0", body.len()).into_bytes();
        raw.extend_from_slice(body.as_bytes());
        let h = hex(&id);
        std::fs::write(objects.join(&h[..2]).join(&h[2..]), zlib(&raw)).unwrap();
    }
    let r = scan_limited(repo.path(), &["--all-objects"]);
    assert_key_found(&r, &c);
    let summary = &r.json()["summary"];
    assert!(
        summary["files_scanned"].as_u64().unwrap() > n as u64,
        "{summary}"
    );
    let paths: Vec<String> = r.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect();
    assert!(
        paths.iter().any(|p| p.starts_with("(unreachable blob ")),
        "the key among them is found: {paths:?}"
    );
}

#[test]
fn refs_to_blobs_and_trees_are_scanned_without_a_walk() {
    let (repo, _, c) = repo_with_key(950);
    let hidden = live_key(951);
    let blob = repo.git_input(
        &["hash-object", "-w", "--stdin"],
        &format!("token = '{hidden}'\n"),
    );
    let tree = repo.git(&["rev-parse", "HEAD^{tree}"]);
    std::fs::write(
        repo.path().join(".git/refs/heads/blob"),
        format!("{blob}\n"),
    )
    .unwrap();
    std::fs::write(repo.path().join(".git/refs/tags/tree"), format!("{tree}\n")).unwrap();
    let r = scan_limited(repo.path(), &[]);
    assert_key_found(&r, &c);
    let paths: Vec<String> = placed(&r).into_iter().map(|o| o.0).collect();
    assert_eq!(paths, ["refs/heads/blob", "server/a.js"], "{}", r.stdout);
    // Detached HEAD at a blob: the same, and a notice rather than an error.
    std::fs::write(repo.path().join(".git/HEAD"), format!("{blob}\n")).unwrap();
    let r = scan_limited(repo.path(), &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
}

#[test]
fn gitdir_links_are_followed_and_loops_are_errors() {
    let (repo, _, c) = repo_with_key(960);
    let elsewhere = tempfile::tempdir().unwrap();
    let link = elsewhere.path().join("checkout");
    std::fs::create_dir(&link).unwrap();
    std::fs::write(
        link.join(".git"),
        format!("gitdir: {}\n", repo.path().join(".git").display()),
    )
    .unwrap();
    let r = scan_limited(&link, &[]);
    assert_key_found(&r, &c);

    // a/.git names b, whose .git names a.
    let (a, b) = (elsewhere.path().join("a"), elsewhere.path().join("b"));
    std::fs::create_dir(&a).unwrap();
    std::fs::create_dir(&b).unwrap();
    std::fs::write(
        a.join(".git"),
        format!("gitdir: {}\n", b.join(".git").display()),
    )
    .unwrap();
    std::fs::write(
        b.join(".git"),
        format!("gitdir: {}\n", a.join(".git").display()),
    )
    .unwrap();
    let r = scan_limited(&a, &[]);
    assert_eq!(r.code, 2, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stderr.contains(a.to_str().unwrap()), "{}", r.stderr);
}

#[test]
fn timestamps_at_the_ends_of_time_are_reported() {
    let repo = Repo::new();
    let key = live_key(970);
    repo.write("a.js", format!("const pictify = new Pictify('{key}')\n"));
    repo.commit("key");
    let tree = repo.git(&["rev-parse", "HEAD^{tree}"]);
    let mut parent = repo.head();
    for (i, stamp) in [
        "0 +0000",
        "-1 -1200",
        "253402300799 +1400",
        "99999999999999 +9959",
        "9223372036854775807 -9959",
        "18446744073709551615 +0000",
        "-9223372036854775808 +0000",
    ]
    .iter()
    .enumerate()
    {
        repo.write(
            &format!("f{i}.js"),
            format!("const k{i} = '{}'\n", live_key(971 + i as u64)),
        );
        repo.git(&["add", "-A"]);
        let t = repo.git(&["write-tree"]);
        let body = format!(
            "tree {t}\nparent {parent}\nauthor A <a@example.com> {stamp}\ncommitter A <a@example.com> {stamp}\n\nat {stamp}\n"
        );
        parent = repo.git_input(
            &[
                "hash-object",
                "-t",
                "commit",
                "--literally",
                "-w",
                "--stdin",
            ],
            &body,
        );
    }
    let _ = tree;
    repo.git(&["update-ref", "refs/heads/main", &parent]);
    let r = scan_limited(repo.path(), &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let found = r.json()["findings"].as_array().unwrap().len();
    assert_eq!(found, 8, "{}", r.stdout);
}
