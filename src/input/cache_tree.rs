//! Reads the cache-tree (`TREE`) extension of a git index file, which records the
//! tree id of every directory whose index entries have not changed since the tree
//! was last written. `pkscan git --staged` uses it the way `git diff --cached`
//! does: a directory whose cached id equals HEAD's is skipped without reading
//! HEAD's trees, so a pre-commit scan of a big repository reads a handful of trees.
//! libgit2 exposes no cache-tree API, hence this small parser of the documented
//! format (`gitformat-index`). Anything unexpected returns `None` and the caller
//! falls back to a full index-to-tree diff.
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

/// Parses the cache tree out of a whole index file (SHA-1 repositories, index
/// versions 2 to 4). `None` if there is none or the file is not understood.
pub fn parse_index(data: &[u8]) -> Option<CacheNode> {
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
    for _ in 0..count {
        let start = pos;
        let flags = u16::from_be_bytes(data.get(pos + 60..pos + 62)?.try_into().ok()?);
        pos += 62;
        if version >= 3 && flags & 0x4000 != 0 {
            pos += 2;
        }
        if version == 4 {
            // Prefix-compressed path: a varint (bytes to drop from the previous
            // path), then a NUL-terminated suffix; no padding.
            loop {
                let b = *data.get(pos)?;
                pos += 1;
                if b & 0x80 == 0 {
                    break;
                }
            }
            pos += memchr::memchr(0, data.get(pos..end)?)? + 1;
        } else {
            let nul = memchr::memchr(0, data.get(pos..end)?)?;
            // Entries are padded with 1-8 NULs to a multiple of 8 bytes.
            let len = pos + nul - start;
            pos = start + (len + 8) / 8 * 8;
        }
        if pos > end {
            return None;
        }
    }
    while pos + 8 <= end {
        let sig = &data[pos..pos + 4];
        let size = u32::from_be_bytes(data[pos + 4..pos + 8].try_into().ok()?) as usize;
        let body = data.get(pos + 8..(pos + 8).checked_add(size)?)?;
        if sig == b"TREE" {
            let mut at = 0;
            let node = parse_node(body, &mut at)?;
            return (at == body.len()).then_some(node);
        }
        pos += 8 + size;
    }
    None
}

fn parse_node(body: &[u8], at: &mut usize) -> Option<CacheNode> {
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
    let mut children = Vec::with_capacity(subtrees);
    for _ in 0..subtrees {
        children.push(parse_node(body, at)?);
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

    fn entry(v: u32, path: &str) -> Vec<u8> {
        let mut e = vec![0u8; 40];
        e.extend_from_slice(&[7u8; 20]);
        e.extend_from_slice(&(path.len() as u16).to_be_bytes());
        if v == 4 {
            e.push(0); // drop nothing from the previous path
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
        for p in paths {
            d.extend(entry(v, p));
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
            let root = parse_index(&data).expect("cache tree");
            assert_eq!(root.oid, Some(Oid::from_bytes(&[1u8; 20]).unwrap()));
            assert_eq!(root.children.len(), 1);
            assert_eq!(root.children[0].name, b"src");
            assert_eq!(root.children[0].oid, None);
        }
    }

    #[test]
    fn rejects_what_it_does_not_understand() {
        assert_eq!(parse_index(b"not an index at all, just text........"), None);
        let data = index(2, &["a"], b"\x00oops\n");
        assert_eq!(parse_index(&data), None);
    }
}
