//! The project view of a repository without a work tree (a mirror clone or
//! a bare repository): directories and manifests are read from HEAD's tree.
use crate::classify::project::{repo_paths, ProjectFiles};
use git2::{ObjectType, Oid, Repository};
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// Manifests are cut at this size.
const MAX_READ: usize = 1 << 20;

/// HEAD's tree behind [`ProjectFiles`]; directory keys are repository paths
/// (`""` is the root). libgit2 handles are not shareable between threads, so
/// one handle serves all of them behind a lock: only files with hits ask.
pub struct TreeProject {
    repo: Mutex<Repository>,
    tree: Option<Oid>,
    files: Mutex<HashMap<String, Option<Arc<Vec<u8>>>>>,
}

impl TreeProject {
    pub fn open(git_dir: &Path) -> Option<TreeProject> {
        let repo = Repository::open(git_dir).ok()?;
        let tree = repo.head().ok()?.peel_to_tree().ok()?.id();
        Some(TreeProject {
            repo: Mutex::new(repo),
            tree: Some(tree),
            files: Mutex::new(HashMap::new()),
        })
    }

    fn with_tree<T>(&self, f: impl FnOnce(&Repository, &git2::Tree<'_>) -> Option<T>) -> Option<T> {
        let repo = self.repo.lock().ok()?;
        let tree = repo.find_tree(self.tree?).ok()?;
        f(&repo, &tree)
    }
}

impl ProjectFiles for TreeProject {
    fn dir_of(&self, path: &str) -> Option<String> {
        if path.contains(crate::finding::ARCHIVE_SEP) {
            return None;
        }
        Some(repo_paths::dir_of(path))
    }

    fn parent(&self, dir: &str) -> Option<String> {
        repo_paths::parent(dir)
    }

    fn read(&self, dir: &str, name: &str, max: usize) -> Option<Vec<u8>> {
        let key = repo_paths::join(dir, name);
        let cached = self.files.lock().ok()?.get(&key).cloned();
        let data = match cached {
            Some(d) => d,
            None => {
                let d = self
                    .with_tree(|repo, tree| {
                        let entry = tree.get_path(Path::new(&key)).ok()?;
                        if entry.kind() != Some(ObjectType::Blob) {
                            return None;
                        }
                        let blob = repo.find_blob(entry.id()).ok()?;
                        let c = blob.content();
                        Some(c[..c.len().min(MAX_READ)].to_vec())
                    })
                    .map(Arc::new);
                if let Ok(mut m) = self.files.lock() {
                    m.insert(key, d.clone());
                }
                d
            }
        }?;
        Some(data[..data.len().min(max)].to_vec())
    }

    fn list(&self, dir: &str) -> Vec<String> {
        self.with_tree(|repo, tree| {
            let sub = if dir.is_empty() {
                tree.clone()
            } else {
                let e = tree.get_path(Path::new(dir)).ok()?;
                repo.find_tree(e.id()).ok()?
            };
            Some(
                sub.iter()
                    .filter_map(|e| e.name().map(str::to_string))
                    .collect(),
            )
        })
        .unwrap_or_default()
    }

    fn relative(&self, dir: &str, path: &str) -> Option<String> {
        repo_paths::relative(dir, path)
    }
}
