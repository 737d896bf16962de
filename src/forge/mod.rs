//! Forges: listing the repositories of a GitHub organisation or user and of a
//! GitLab group (subgroups included) through their REST APIs, with pagination and
//! rate limits, and the links to a file at a commit on the forge. Forges only
//! produce lists of repositories; cloning and scanning happen elsewhere.
mod github;
mod gitlab;
pub mod http;

pub use github::{list as list_github, GithubOwner};
pub use gitlab::list as list_gitlab;

use sha2::{Digest, Sha256};
use std::fmt;

/// Errors that stop a listing.
#[derive(Debug, thiserror::Error)]
pub enum ForgeError {
    #[error("invalid --api-url: {0}")]
    ApiUrl(String),
    #[error("{0}")]
    Api(String),
    #[error("{forge} rate limit: the next request is allowed in {wait}, more than --max-wait {max}; run again later or raise --max-wait")]
    RateLimited {
        forge: &'static str,
        wait: String,
        max: String,
    },
}

/// Which forge a repository lives on (decides the shape of file links).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ForgeKind {
    GitHub,
    GitLab,
}

/// An API token. Never printed: `Debug` shows only that there is one.
#[derive(Clone)]
pub struct Token(String);

impl Token {
    pub fn new(s: impl Into<String>) -> Token {
        Token(s.into())
    }
    /// The value, for the `Authorization` header and git's environment only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(…)")
    }
}

/// A repository as a forge lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForgeRepo {
    pub kind: ForgeKind,
    /// `owner/name` (GitHub) or `group/subgroup/project` (GitLab), as the forge says.
    pub full_name: String,
    /// HTTPS clone URL (or SSH with `--ssh`), as the forge gives it.
    pub clone_url: String,
    pub ssh_url: Option<String>,
    /// The repository's page on the forge, for links.
    pub web_url: String,
    pub fork: bool,
    pub archived: bool,
}

impl ForgeRepo {
    /// A link to `path` at `commit`, at `line` when known.
    pub fn file_link(&self, commit: &str, path: &str, line: Option<usize>) -> Option<String> {
        // Only link to http(s) pages: a hostile listing could name anything.
        if !(self.web_url.starts_with("https://") || self.web_url.starts_with("http://")) {
            return None;
        }
        let base = self.web_url.trim_end_matches('/');
        let sep = match self.kind {
            ForgeKind::GitHub => "/blob/",
            ForgeKind::GitLab => "/-/blob/",
        };
        let path = path
            .split('/')
            .map(|seg| url::form_urlencoded::byte_serialize(seg.as_bytes()).collect::<String>())
            .map(|s| s.replace('+', "%20"))
            .collect::<Vec<_>>()
            .join("/");
        let anchor = line.map(|l| format!("#L{l}")).unwrap_or_default();
        Some(format!("{base}{sep}{commit}/{path}{anchor}"))
    }
}

/// What to leave out of a listing.
#[derive(Clone, Copy, Debug, Default)]
pub struct ListFilter {
    pub include_forks: bool,
    pub include_archived: bool,
}

/// A listing: the repositories kept, and how many each filter left out.
#[derive(Debug, Default)]
pub struct Listing {
    pub repos: Vec<ForgeRepo>,
    pub forks_skipped: usize,
    pub archived_skipped: usize,
}

impl Listing {
    /// Applies the filter and sorts by full name (listings come in API order).
    pub fn from_all(all: Vec<ForgeRepo>, filter: ListFilter) -> Listing {
        let mut l = Listing::default();
        for r in all {
            if r.archived && !filter.include_archived {
                l.archived_skipped += 1;
            } else if r.fork && !filter.include_forks {
                l.forks_skipped += 1;
            } else {
                l.repos.push(r);
            }
        }
        l.repos.sort_by(|a, b| a.full_name.cmp(&b.full_name));
        l.repos.dedup_by(|a, b| a.full_name == b.full_name);
        l
    }
}

/// The shard (1-based, of `shards`) a repository belongs to: a hash of its full
/// name, so a repository stays in its shard as the organisation grows and each
/// shard's `--state` cache stays valid.
pub fn shard_of(full_name: &str, shards: u32) -> u32 {
    let d = Sha256::digest(full_name.as_bytes());
    let n = u64::from_be_bytes(d[..8].try_into().expect("8 bytes"));
    (n % u64::from(shards.max(1))) as u32 + 1
}

/// A string field of a JSON object, or `None`.
fn text(v: &serde_json::Value, key: &str) -> Option<String> {
    v.get(key).and_then(|x| x.as_str()).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo(kind: ForgeKind, web: &str) -> ForgeRepo {
        ForgeRepo {
            kind,
            full_name: "acme/api".into(),
            clone_url: format!("{web}.git"),
            ssh_url: None,
            web_url: web.into(),
            fork: false,
            archived: false,
        }
    }

    #[test]
    fn file_links_per_forge() {
        let gh = repo(ForgeKind::GitHub, "https://github.com/acme/api");
        assert_eq!(
            gh.file_link("abc123", "src/my file#.js", Some(4)).unwrap(),
            "https://github.com/acme/api/blob/abc123/src/my%20file%23.js#L4"
        );
        let gl = repo(ForgeKind::GitLab, "https://gitlab.example.com/g/sub/p/");
        assert_eq!(
            gl.file_link("abc", ".env", None).unwrap(),
            "https://gitlab.example.com/g/sub/p/-/blob/abc/.env"
        );
        let evil = repo(ForgeKind::GitHub, "javascript:alert(1)");
        assert_eq!(evil.file_link("a", "b", None), None);
    }

    #[test]
    fn shards_are_stable_and_cover_everything() {
        let names: Vec<String> = (0..200).map(|i| format!("acme/repo-{i}")).collect();
        let mut sizes = [0usize; 4];
        for n in &names {
            let s = shard_of(n, 4);
            assert!((1..=4).contains(&s));
            assert_eq!(s, shard_of(n, 4), "stable");
            sizes[s as usize - 1] += 1;
        }
        assert!(sizes.iter().all(|&n| n > 25), "roughly even: {sizes:?}");
        assert_eq!(crate::cli::parse_shard("2/8"), Ok((2, 8)));
        for bad in ["0/3", "4/3", "x/3", "3", "1/0"] {
            assert!(crate::cli::parse_shard(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn filters_forks_and_archived() {
        let mut a = repo(ForgeKind::GitHub, "https://github.com/acme/b");
        a.full_name = "acme/b".into();
        let mut f = a.clone();
        f.full_name = "acme/fork".into();
        f.fork = true;
        let mut z = a.clone();
        z.full_name = "acme/old".into();
        z.archived = true;
        z.fork = true;
        let l = Listing::from_all(vec![f.clone(), a.clone(), z.clone()], ListFilter::default());
        assert_eq!(l.repos, vec![a.clone()]);
        assert_eq!((l.forks_skipped, l.archived_skipped), (1, 1));
        let l = Listing::from_all(
            vec![f, a, z],
            ListFilter {
                include_forks: true,
                include_archived: true,
            },
        );
        assert_eq!(l.repos.len(), 3);
    }
}
