//! Reads a git index file: its entries and its cache-tree (`TREE`) extension,
//! which records the tree id of every directory whose index entries have not
//! changed since the tree was last written. `pkscan git --staged` uses it the way
//! `git diff --cached` does: a directory whose cached id equals HEAD's is skipped
//! without reading HEAD's trees, so a pre-commit scan of a big repository reads a
//! handful of trees. libgit2 exposes no cache-tree API, and its index loading
//! (checksum, hash map, path validation) costs a third of a `--staged` run, hence
//! this small parser of the documented format (`gitformat-index`). Anything it
//! does not fully understand (split or sparse indexes, other hash sizes) returns
//! `None` and the caller uses libgit2.
use git2::Oid;

/// One directory of the cache tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheNode {
    /// Name relative to the parent (empty for the root).
    pub name: Vec<u8>,
    /// The directory's tree id, if the cached entry is valid.
    pub oid: Option<Oid>,
    pub children: Vec<CacheNode>,
}

const SHA1_LEN: usize = 20;

/// One index entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexEntry {
    pub path: Vec<u8>,
    pub oid: Oid,
    pub mode: u32,
    /// Merge stage: 0 normally, 1-3 for the sides of a conflict.
    pub stage: u8,
}

/// A parsed index file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexFile {
    pub entries: Vec<IndexEntry>,
    /// The cache tree, if the index has one.
    pub tree: Option<CacheNode>,
}

/// Parses a whole index file (SHA-1 repositories, index versions 2 to 4).
/// `None` if the file is not fully understood.
pub fn parse_index(data: &[u8]) -> Option<IndexFile> {
    if data.len() < 12 + SHA1_LEN || &data[..4] != b"DIRC" {
        return None;
    }
    let version = u32::from_be_bytes(data[4..8].try_into().ok()?);
    let count = u32::from_be_bytes(data[8..12].try_into().ok()?) as usize;
    if !(2..=4).contains(&version) {
        return None;
    }
    let end = data.len() - SHA1_LEN;
    let mut pos = 12;
    let mut entries: Vec<IndexEntry> = Vec::with_capacity(count.min(data.len() / 62));
    let mut prev: Vec<u8> = Vec::new();
    for _ in 0..count {
        let start = pos;
        let fixed = data.get(pos..pos + 62)?;
        let mode = u32::from_be_bytes(fixed[24..28].try_into().ok()?);
        let oid = Oid::from_bytes(&fixed[40..60]).ok()?;
        let flags = u16::from_be_bytes(fixed[60..62].try_into().ok()?);
        pos += 62;
        if version >= 3 && flags & 0x4000 != 0 {
            pos += 2;
        }
        let path = if version == 4 {
            // Prefix-compressed path: how many bytes to drop from the end of the
            // previous path (git's offset varint), then a NUL-terminated suffix.
            let drop = usize::try_from(super::pack::offset_varint(data, &mut pos)?).ok()?;
            let nul = memchr::memchr(0, data.get(pos..end)?)?;
            let mut path = prev.get(..prev.len().checked_sub(drop)?)?.to_vec();
            path.extend_from_slice(&data[pos..pos + nul]);
            pos += nul + 1;
            path
        } else {
            let nul = memchr::memchr(0, data.get(pos..end)?)?;
            let path = data[pos..pos + nul].to_vec();
            // Entries are padded with 1-8 NULs to a multiple of 8 bytes.
            let len = pos + nul - start;
            pos = start + (len + 8) / 8 * 8;
            path
        };
        if pos > end || mode == 0o040000 {
            // Past the end, or a sparse-index directory entry.
            return None;
        }
        if version == 4 {
            prev.clone_from(&path);
        }
        entries.push(IndexEntry {
            path,
            oid,
            mode,
            stage: ((flags >> 12) & 3) as u8,
        });
    }
    let mut tree = None;
    while pos + 8 <= end {
        let sig = &data[pos..pos + 4];
        let size = u32::from_be_bytes(data[pos + 4..pos + 8].try_into().ok()?) as usize;
        let body = data.get(pos + 8..(pos + 8).checked_add(size)?)?;
        match sig {
            b"TREE" => {
                let mut at = 0;
                let node = parse_node(body, &mut at, 0)?;
                tree = Some(node).filter(|_| at == body.len());
                tree.as_ref()?;
            }
            // Split index (entries live in a shared file) or sparse index.
            b"link" | b"sdir" => return None,
            _ => {}
        }
        pos += 8 + size;
    }
    Some(IndexFile { entries, tree })
}

/// Cache trees nested deeper than this are left to libgit2, so a crafted
/// extension cannot exhaust the stack (of any thread: 2 MiB in a debug build
/// holds this many frames with room to spare). Real paths are far shallower.
const MAX_DEPTH: usize = 1024;

fn parse_node(body: &[u8], at: &mut usize, depth: usize) -> Option<CacheNode> {
    if depth > MAX_DEPTH {
        return None;
    }
    let rest = body.get(*at..)?;
    let nul = memchr::memchr(0, rest)?;
    let name = rest[..nul].to_vec();
    let rest = &rest[nul + 1..];
    let nl = memchr::memchr(b'\n', rest)?;
    let line = std::str::from_utf8(&rest[..nl]).ok()?;
    let (entries, subtrees) = line.split_once(' ')?;
    let entries: i64 = entries.parse().ok()?;
    let subtrees: usize = subtrees.parse().ok()?;
    *at += nul + 1 + nl + 1;
    let oid = if entries >= 0 {
        let raw = body.get(*at..*at + SHA1_LEN)?;
        *at += SHA1_LEN;
        Some(Oid::from_bytes(raw).ok()?)
    } else {
        None
    };
    // The count is text from the file: each child takes at least 5 bytes
    // ("\0-1 0\n" less the id), so no more than that is reserved.
    let mut children = Vec::with_capacity(subtrees.min(body.len().saturating_sub(*at) / 5));
    for _ in 0..subtrees {
        children.push(parse_node(body, at, depth + 1)?);
    }
    Some(CacheNode {
        name,
        oid,
        children,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(v: u32, path: &str, prev: &str) -> Vec<u8> {
        let mut e = vec![0u8; 40];
        e.extend_from_slice(&[7u8; 20]);
        e.extend_from_slice(&(path.len() as u16).to_be_bytes());
        if v == 4 {
            // Drop the whole previous path (short here: a one-byte varint).
            e.push(prev.len() as u8);
            e.extend_from_slice(path.as_bytes());
            e.push(0);
        } else {
            e.extend_from_slice(path.as_bytes());
            let len = e.len();
            e.resize((len + 8) / 8 * 8, 0);
        }
        e
    }

    fn index(v: u32, paths: &[&str], tree: &[u8]) -> Vec<u8> {
        let mut d = b"DIRC".to_vec();
        d.extend_from_slice(&v.to_be_bytes());
        d.extend_from_slice(&(paths.len() as u32).to_be_bytes());
        let mut prev = "";
        for p in paths {
            d.extend(entry(v, p, prev));
            prev = p;
        }
        d.extend_from_slice(b"TREE");
        d.extend_from_slice(&(tree.len() as u32).to_be_bytes());
        d.extend_from_slice(tree);
        d.extend_from_slice(&[0u8; 20]);
        d
    }

    #[test]
    fn parses_valid_and_invalidated_directories() {
        let mut tree = b"\x002 1\n".to_vec();
        tree.extend_from_slice(&[1u8; 20]);
        tree.extend_from_slice(b"src\x00-1 0\n");
        for v in [2, 3, 4] {
            let data = index(v, &["README", "src/a.js"], &tree);
            let file = parse_index(&data).expect("index");
            let paths: Vec<&[u8]> = file.entries.iter().map(|e| e.path.as_slice()).collect();
            assert_eq!(paths, [b"README".as_slice(), b"src/a.js"]);
            let root = file.tree.expect("cache tree");
            assert_eq!(root.oid, Some(Oid::from_bytes(&[1u8; 20]).unwrap()));
            assert_eq!(root.children.len(), 1);
            assert_eq!(root.children[0].name, b"src");
            assert_eq!(root.children[0].oid, None);
        }
    }

    #[test]
    fn reads_real_indexes_like_libgit2() {
        // Every index version git writes, compared entry by entry with libgit2.
        for v in ["2", "3", "4"] {
            let dir = tempfile::tempdir().unwrap();
            let git = |args: &[&str]| {
                let out = std::process::Command::new("git")
                    .args(args)
                    .current_dir(dir.path())
                    .env("GIT_CONFIG_NOSYSTEM", "1")
                    .env("GIT_CONFIG_GLOBAL", "/dev/null")
                    .output()
                    .unwrap();
                assert!(out.status.success(), "{out:?}");
            };
            git(&["init", "-q"]);
            for p in [
                "a.js",
                "src/app/main.js",
                "src/app/util.js",
                "src/lib.js",
                "zz/deep/x/y.txt",
            ] {
                let f = dir.path().join(p);
                std::fs::create_dir_all(f.parent().unwrap()).unwrap();
                std::fs::write(&f, p).unwrap();
            }
            git(&["add", "."]);
            git(&["update-index", "--index-version", v]);
            let data = std::fs::read(dir.path().join(".git/index")).unwrap();
            let ours = parse_index(&data).expect("index");
            let lib = git2::Index::open(&dir.path().join(".git/index")).unwrap();
            let theirs: Vec<(Vec<u8>, Oid, u32)> =
                lib.iter().map(|e| (e.path, e.id, e.mode)).collect();
            let mine: Vec<(Vec<u8>, Oid, u32)> = ours
                .entries
                .into_iter()
                .map(|e| (e.path, e.oid, e.mode))
                .collect();
            assert_eq!(mine, theirs, "index version {v}");
        }
    }

    /// Found by the `index_file` fuzz target: a subtree count of 10^19 was
    /// reserved up front (a capacity-overflow panic).
    #[test]
    fn subtree_counts_reserve_no_more_than_the_bytes_allow() {
        let data = index(2, &["a"], b"\x00-1 9999999999999999999\n");
        assert_eq!(parse_index(&data), None);
        let data = index(2, &["a"], b"\x00-1 4294967295\n\x00-1 0\n");
        assert_eq!(parse_index(&data), None);
    }

    /// Each directory nests in the one before: past git's depth limit the
    /// index is left to libgit2 instead of exhausting the stack.
    #[test]
    fn deeply_nested_cache_trees_are_refused() {
        let nest = |depth: usize| {
            b"d\x00-1 1\n"
                .repeat(depth)
                .into_iter()
                .chain(*b"x\x00-1 0\n")
                .collect::<Vec<u8>>()
        };
        assert!(parse_index(&index(2, &["a"], &nest(MAX_DEPTH - 1))).is_some());
        assert_eq!(parse_index(&index(2, &["a"], &nest(200_000))), None);
    }

    #[test]
    fn rejects_what_it_does_not_understand() {
        assert_eq!(parse_index(b"not an index at all, just text........"), None);
        let data = index(2, &["a"], b"\x00oops\n");
        assert_eq!(parse_index(&data), None);
    }
}
