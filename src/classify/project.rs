//! The project around a file: the nearest manifest above it (`package.json`,
//! `build.gradle`, `manifest.json`, `wrangler.toml`, an Xcode project, ...)
//! says what kind of project it is and so where its code runs. The knowledge
//! is data (`knowledge/projects.toml`); inputs give access to the files
//! through [`ProjectFiles`], read only for files with hits.
use crate::finding::Context;
use globset::{GlobBuilder, GlobMatcher};
use regex::bytes::Regex;
use serde::Deserialize;
use std::sync::OnceLock;

pub const PROJECTS_TOML: &str = include_str!("../../knowledge/projects.toml");

/// Manifests larger than this are not read (a lockfile is not a manifest).
const MAX_MANIFEST: usize = 1 << 20;
/// How many directories above a file are looked at.
const MAX_LEVELS: usize = 12;

/// Access to the files of the project a blob comes from. Directories are
/// opaque keys the implementation hands out.
pub trait ProjectFiles: Sync {
    /// The directory key of the directory holding the file at `path` (the
    /// path the scan reports), if the file is in a real tree.
    fn dir_of(&self, path: &str) -> Option<String>;
    /// The parent of a directory key; `None` at the top of the project (a
    /// repository root) or of the file system.
    fn parent(&self, dir: &str) -> Option<String>;
    /// The first `max` bytes of `dir/name`, if it is a file.
    fn read(&self, dir: &str, name: &str, max: usize) -> Option<Vec<u8>>;
    /// The entry names of `dir`.
    fn list(&self, dir: &str) -> Vec<String>;
    /// `path` relative to directory `dir` (which holds it somewhere below).
    fn relative(&self, dir: &str, path: &str) -> Option<String>;
}

/// No project: archive entries, rule examples, blobs without a tree.
pub struct NoProject;

impl ProjectFiles for NoProject {
    fn dir_of(&self, _: &str) -> Option<String> {
        None
    }
    fn parent(&self, _: &str) -> Option<String> {
        None
    }
    fn read(&self, _: &str, _: &str, _: usize) -> Option<Vec<u8>> {
        None
    }
    fn list(&self, _: &str) -> Vec<String> {
        Vec::new()
    }
    fn relative(&self, _: &str, _: &str) -> Option<String> {
        None
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProjectsFile {
    project: Vec<ProjectDef>,
    #[serde(default)]
    example: Vec<ProjectExample>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProjectDef {
    id: String,
    name: String,
    manifest: String,
    #[serde(default)]
    declares: Vec<String>,
    context: Context,
    code: Vec<String>,
    #[serde(default)]
    client_slots: Vec<String>,
    #[serde(default)]
    server_functions: Vec<String>,
    /// Entries the project directory must hold, and must not hold, for the
    /// kind to apply (a Flutter app with `web/` and no `android/` or `ios/`).
    #[serde(default)]
    with_entries: Vec<String>,
    #[serde(default)]
    without_entries: Vec<String>,
    #[serde(default)]
    frontmatter_context: Option<Context>,
    #[serde(default)]
    files: Vec<FilesDef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FilesDef {
    paths: Vec<String>,
    context: Context,
    #[serde(default)]
    unless: Vec<String>,
}

/// A small project and the context one of its files must get.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectExample {
    pub project: String,
    pub files: std::collections::BTreeMap<String, String>,
    pub path: String,
    #[serde(default)]
    pub text: String,
    pub context: Context,
}

/// A project kind ready to match.
pub struct Kind {
    pub id: String,
    pub name: String,
    manifest: GlobMatcher,
    manifest_is_glob: bool,
    manifest_name: String,
    declares: Vec<Regex>,
    pub context: Context,
    /// Extensions of the project's own code.
    pub code: Vec<String>,
    pub client_slots: Vec<String>,
    /// Functions the framework runs only on the server (`getServerSideProps`).
    pub server_functions: Vec<String>,
    /// Where the code between a file's leading `---` fences runs (Astro).
    pub frontmatter_context: Option<Context>,
    with_entries: Vec<String>,
    without_entries: Vec<String>,
    files: Vec<(Vec<GlobMatcher>, Context, Vec<Regex>)>,
}

pub struct Projects {
    pub kinds: Vec<Kind>,
    pub examples: Vec<ProjectExample>,
}

fn glob(p: &str) -> GlobMatcher {
    GlobBuilder::new(p)
        .literal_separator(true)
        .build()
        .unwrap_or_else(|e| panic!("knowledge/projects.toml: bad glob {p:?}: {e}"))
        .compile_matcher()
}

pub fn projects() -> &'static Projects {
    static P: OnceLock<Projects> = OnceLock::new();
    P.get_or_init(|| {
        let file: ProjectsFile =
            toml::from_str(PROJECTS_TOML).expect("knowledge/projects.toml parses (tested)");
        let kinds = file
            .project
            .into_iter()
            .map(|d| Kind {
                manifest_is_glob: d.manifest.contains(['*', '{', '?', '[']),
                manifest: glob(&d.manifest),
                manifest_name: d.manifest,
                declares: d
                    .declares
                    .iter()
                    .map(|r| Regex::new(r).expect("knowledge/projects.toml: declares regex"))
                    .collect(),
                context: d.context,
                code: d.code,
                client_slots: d.client_slots,
                server_functions: d.server_functions,
                with_entries: d.with_entries,
                without_entries: d.without_entries,
                frontmatter_context: d.frontmatter_context,
                files: d
                    .files
                    .into_iter()
                    .map(|f| {
                        (
                            f.paths.iter().map(|p| glob(p)).collect(),
                            f.context,
                            f.unless
                                .iter()
                                .map(|r| {
                                    Regex::new(r).expect("knowledge/projects.toml: unless regex")
                                })
                                .collect(),
                        )
                    })
                    .collect(),
                id: d.id,
                name: d.name,
            })
            .collect();
        Projects {
            kinds,
            examples: file.example,
        }
    })
}

/// What the project says about one file.
#[derive(Clone, Debug)]
pub struct Shape {
    /// The project kind, by its index in [`projects`].
    pub kind: usize,
    /// The manifest that said so, as a path relative to the file's directory
    /// would be unhelpful: its name and how many levels up (`../package.json`).
    pub manifest: String,
    /// The file's path relative to the project directory.
    pub rel: String,
    /// The context this file gets, and why.
    pub context: Context,
    pub reason: String,
    /// The context comes from a rule for this file's path (`app/api/**`),
    /// not from the project as a whole.
    pub by_path: bool,
}

impl Shape {
    pub fn kind(&self) -> &'static Kind {
        &projects().kinds[self.kind]
    }
}

/// Finds the nearest project above `path` and what it says about the file.
pub fn shape_of(files: &dyn ProjectFiles, path: &str, text: &[u8]) -> Option<Shape> {
    let ps = projects();
    let mut dir = files.dir_of(path)?;
    for level in 0..MAX_LEVELS {
        let mut listing: Option<Vec<String>> = None;
        for (i, k) in ps.kinds.iter().enumerate() {
            let found = if k.manifest_is_glob {
                let names = listing.get_or_insert_with(|| files.list(&dir));
                names
                    .iter()
                    .find(|n| k.manifest.is_match(n.as_str()))
                    .cloned()
            } else {
                Some(k.manifest_name.clone())
            };
            let Some(name) = found else { continue };
            let declared = if k.declares.is_empty() {
                // Directories (an `.xcodeproj`) and manifests that are enough by
                // their name: their presence is the declaration.
                k.manifest_is_glob || files.read(&dir, &name, 0).is_some()
            } else {
                files
                    .read(&dir, &name, MAX_MANIFEST)
                    .is_some_and(|m| k.declares.iter().any(|r| r.is_match(&m)))
            };
            if !declared {
                continue;
            }
            if !k.with_entries.is_empty() || !k.without_entries.is_empty() {
                let names = listing.get_or_insert_with(|| files.list(&dir));
                let has = |e: &String| names.iter().any(|n| n == e);
                if !k.with_entries.iter().all(has) || k.without_entries.iter().any(has) {
                    continue;
                }
            }
            let rel = files.relative(&dir, path)?;
            let up = "../".repeat(level);
            let manifest = format!("{up}{name}");
            let by_rule = k.files.iter().find(|(globs, _, unless)| {
                globs.iter().any(|g| g.is_match(rel.as_str()))
                    && !unless
                        .iter()
                        .any(|u| u.is_match(&text[..text.len().min(4096)]))
            });
            let (context, reason) = k
                .files
                .iter()
                .find(|(globs, _, unless)| {
                    globs.iter().any(|g| g.is_match(rel.as_str()))
                        && !unless
                            .iter()
                            .any(|u| u.is_match(&text[..text.len().min(4096)]))
                })
                .map_or_else(
                    || (k.context, format!("code of a {} (`{manifest}`)", k.name)),
                    |(_, c, _)| {
                        (
                            *c,
                            format!(
                                "`{rel}` in a {} (`{manifest}`) runs {}",
                                k.name,
                                where_runs(*c)
                            ),
                        )
                    },
                );
            return Some(Shape {
                kind: i,
                manifest,
                rel,
                context,
                reason,
                by_path: by_rule.is_some(),
            });
        }
        dir = files.parent(&dir)?;
    }
    None
}

fn where_runs(c: Context) -> &'static str {
    match c {
        Context::Server => "on a server or as a build tool",
        Context::ClientJs => "in the browser",
        Context::Mobile => "in the app",
        Context::Config => "at build time",
        Context::Test => "as a test",
        Context::Docs => "as documentation",
        Context::BrowserStorage => "in browser storage",
    }
}

/// A project made of files in memory, for examples and tests.
pub struct MemoryProject {
    pub files: std::collections::BTreeMap<String, String>,
}

/// Directory keys that are `/`-separated paths from a project root (`""`):
/// what in-memory projects and git trees use.
pub mod repo_paths {
    pub fn dir_of(path: &str) -> String {
        path.rsplit_once('/')
            .map_or(String::new(), |(d, _)| d.to_string())
    }
    pub fn parent(dir: &str) -> Option<String> {
        (!dir.is_empty()).then(|| dir_of(dir))
    }
    pub fn join(dir: &str, name: &str) -> String {
        if dir.is_empty() {
            name.to_string()
        } else {
            format!("{dir}/{name}")
        }
    }
    pub fn relative(dir: &str, path: &str) -> Option<String> {
        if dir.is_empty() {
            return Some(path.to_string());
        }
        path.strip_prefix(&format!("{dir}/")).map(str::to_string)
    }
}

impl ProjectFiles for MemoryProject {
    fn dir_of(&self, path: &str) -> Option<String> {
        Some(repo_paths::dir_of(path))
    }
    fn parent(&self, dir: &str) -> Option<String> {
        repo_paths::parent(dir)
    }
    fn read(&self, dir: &str, name: &str, max: usize) -> Option<Vec<u8>> {
        self.files
            .get(&repo_paths::join(dir, name))
            .map(|t| t.as_bytes()[..t.len().min(max)].to_vec())
    }
    fn list(&self, dir: &str) -> Vec<String> {
        let prefix = repo_paths::join(dir, "");
        let mut out: Vec<String> = self
            .files
            .keys()
            .filter_map(|k| k.strip_prefix(&prefix))
            .map(|rest| rest.split('/').next().unwrap_or(rest).to_string())
            .collect();
        out.dedup();
        out
    }
    fn relative(&self, dir: &str, path: &str) -> Option<String> {
        repo_paths::relative(dir, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_compiles_and_every_example_gets_its_context() {
        let ps = projects();
        assert!(ps.kinds.len() > 20);
        assert!(ps.examples.len() >= 10);
        for ex in &ps.examples {
            let mut files = ex.files.clone();
            files.insert(ex.path.clone(), ex.text.clone());
            let p = MemoryProject { files };
            let shape = shape_of(&p, &ex.path, ex.text.as_bytes());
            let got = shape.as_ref().map(|s| s.context);
            assert_eq!(got, Some(ex.context), "{}: {:?}", ex.project, shape);
        }
    }

    #[test]
    fn the_nearest_manifest_wins() {
        let mut files = std::collections::BTreeMap::new();
        files.insert(
            "package.json".into(),
            r#"{"dependencies":{"express":"4"}}"#.into(),
        );
        files.insert(
            "web/package.json".into(),
            r#"{"dependencies":{"react-dom":"18"}}"#.into(),
        );
        let p = MemoryProject { files };
        assert_eq!(
            shape_of(&p, "web/src/a.js", b"").unwrap().context,
            Context::ClientJs
        );
        assert_eq!(
            shape_of(&p, "src/a.js", b"").unwrap().context,
            Context::Server
        );
        assert_eq!(
            shape_of(&p, "web/src/a.js", b"").unwrap().manifest,
            "../package.json"
        );
    }
}
