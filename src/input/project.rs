//! The file system behind [`ProjectFiles`]: the directories above a scanned
//! file and their manifests, read on demand (only for files with hits) and
//! cached, so that every worker thread shares one read of each manifest.
use crate::classify::project::ProjectFiles;
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Manifests read by the cache are cut at this size.
const MAX_READ: usize = 1 << 20;

/// One scan root's project view. Directory keys are absolute paths.
pub struct FsProject {
    root: PathBuf,
    root_is_dir: bool,
    files: Mutex<HashMap<PathBuf, Option<Arc<Vec<u8>>>>>,
    dirs: Mutex<HashMap<PathBuf, Arc<Vec<String>>>>,
}

impl FsProject {
    pub fn new(root: &Path, root_is_dir: bool) -> FsProject {
        FsProject {
            root: root.to_path_buf(),
            root_is_dir,
            files: Mutex::new(HashMap::new()),
            dirs: Mutex::new(HashMap::new()),
        }
    }

    /// The real path of a reported path (reports show paths relative to an
    /// absolute root, or as walked).
    fn real(&self, path: &str) -> PathBuf {
        if self.root_is_dir && self.root.is_absolute() {
            self.root.join(path)
        } else {
            PathBuf::from(path)
        }
    }

    fn cached(&self, p: &Path) -> Option<Arc<Vec<u8>>> {
        if let Some(hit) = self.files.lock().ok()?.get(p) {
            return hit.clone();
        }
        let data = read_file(p).map(Arc::new);
        if let Ok(mut m) = self.files.lock() {
            m.insert(p.to_path_buf(), data.clone());
        }
        data
    }
}

/// A regular file's first bytes; never opens a FIFO or device.
fn read_file(p: &Path) -> Option<Vec<u8>> {
    let meta = std::fs::metadata(p).ok()?;
    if !meta.is_file() {
        return None;
    }
    let mut out = Vec::new();
    std::fs::File::open(p)
        .ok()?
        .take(MAX_READ as u64)
        .read_to_end(&mut out)
        .ok()?;
    Some(out)
}

impl ProjectFiles for FsProject {
    fn dir_of(&self, path: &str) -> Option<String> {
        if path.contains(crate::finding::ARCHIVE_SEP) {
            return None;
        }
        let real = self.real(path);
        let dir = real.parent()?;
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        Some(
            std::fs::canonicalize(dir)
                .ok()?
                .to_string_lossy()
                .into_owned(),
        )
    }

    fn parent(&self, dir: &str) -> Option<String> {
        let d = Path::new(dir);
        // A repository's root is the top of its project.
        if d.join(".git").exists() {
            return None;
        }
        d.parent().map(|p| p.to_string_lossy().into_owned())
    }

    fn read(&self, dir: &str, name: &str, max: usize) -> Option<Vec<u8>> {
        let data = self.cached(&Path::new(dir).join(name))?;
        Some(data[..data.len().min(max)].to_vec())
    }

    fn list(&self, dir: &str) -> Vec<String> {
        let key = PathBuf::from(dir);
        if let Some(hit) = self.dirs.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return hit.to_vec();
        }
        let mut names: Vec<String> = std::fs::read_dir(&key)
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        let names = Arc::new(names);
        if let Ok(mut m) = self.dirs.lock() {
            m.insert(key, names.clone());
        }
        names.to_vec()
    }

    fn relative(&self, dir: &str, path: &str) -> Option<String> {
        let real = self.real(path);
        let parent = real
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let abs = std::fs::canonicalize(parent).ok()?.join(real.file_name()?);
        let rel = abs.strip_prefix(dir).ok()?;
        Some(rel.to_string_lossy().replace('\\', "/"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::project::shape_of;
    use crate::finding::Context;

    #[test]
    fn manifests_above_a_file_are_found_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(".git")).unwrap();
        std::fs::create_dir_all(dir.path().join("worker/src")).unwrap();
        std::fs::write(dir.path().join("worker/wrangler.toml"), "name = \"x\"\n").unwrap();
        std::fs::write(
            dir.path().join("worker/src/index.js"),
            "export default {}\n",
        )
        .unwrap();
        let p = FsProject::new(dir.path(), true);
        let s = shape_of(&p, "worker/src/index.js", b"").unwrap();
        assert_eq!(s.context, Context::Server);
        assert_eq!(s.rel, "src/index.js");
        assert_eq!(s.manifest, "../wrangler.toml");
        // Nothing above the repository root is consulted.
        let p = FsProject::new(&dir.path().join("worker/src"), true);
        assert!(shape_of(&p, "index.js", b"").is_some());
        assert!(p
            .parent(&std::fs::canonicalize(dir.path()).unwrap().to_string_lossy())
            .is_none());
    }
}
