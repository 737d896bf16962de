//! Remote repositories: telling URLs from local paths, mirror-cloning (or, in a
//! kept clone directory, fetching) with the system `git`, which brings the user's
//! credential helpers and SSH setup. Credentials never go into a URL on disk or
//! into a message: a token reaches git only through the environment, as an HTTP
//! header scoped to the repository's origin.
use base64::Engine as _;
use sha2::{Digest, Sha256};
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Errors of one clone or fetch. Messages are redacted: no credentials.
#[derive(Debug, thiserror::Error)]
pub enum RemoteError {
    #[error("cannot run git: {0} (is git installed and on PATH?)")]
    NoGit(std::io::Error),
    #[error("git {action} failed: {message}")]
    Git {
        action: &'static str,
        message: String,
    },
    #[error("{path} already holds a different repository ({found}); not touching it")]
    Occupied { path: String, found: String },
    #[error("{0}")]
    Io(String),
}

/// Whether a repository argument names a remote (`https://`, `http://`,
/// `ssh://`, `git://`, `file://`, or scp-like `user@host:path`) rather than a path.
pub fn is_remote(arg: &str) -> bool {
    let lower = arg.to_ascii_lowercase();
    if [
        "https://",
        "http://",
        "ssh://",
        "git://",
        "file://",
        "git+ssh://",
        "ssh+git://",
    ]
    .iter()
    .any(|s| lower.starts_with(s))
    {
        return true;
    }
    // scp-like syntax: `[user@]host:path` with no slash before the colon (git's
    // own rule), and not a Windows drive letter (`C:\x`).
    match arg.find(':') {
        Some(i) if i > 1 => {
            let before = &arg[..i];
            !before.contains('/') && !before.contains('\\') && before.contains('@')
        }
        _ => false,
    }
}

/// An HTTP header for git, with the URL prefix it applies to. Never printed.
#[derive(Clone)]
pub struct GitAuth {
    /// `scheme://host[:port]/`: git sends the header only to URLs under it.
    scope: String,
    header: String,
}

impl fmt::Debug for GitAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "GitAuth({}, …)", self.scope)
    }
}

impl GitAuth {
    /// HTTP basic credentials for `url`'s origin (`user:secret`).
    pub fn basic(url: &str, user: &str, secret: &str) -> Option<GitAuth> {
        let u = url::Url::parse(url).ok()?;
        if !matches!(u.scheme(), "https" | "http") {
            return None;
        }
        let creds = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{secret}"));
        Some(GitAuth {
            scope: format!("{}/", u.origin().ascii_serialization()),
            header: format!("Authorization: Basic {creds}"),
        })
    }

    /// The values to hide from any message.
    fn secrets(&self) -> Vec<String> {
        let b64 = self
            .header
            .rsplit(' ')
            .next()
            .unwrap_or_default()
            .to_string();
        let mut v = vec![b64.clone()];
        if let Ok(raw) = base64::engine::general_purpose::STANDARD.decode(&b64) {
            if let Ok(s) = String::from_utf8(raw) {
                if let Some((_, secret)) = s.split_once(':') {
                    v.push(secret.to_string());
                }
            }
        }
        v.retain(|s| s.len() >= 4);
        v
    }
}

/// A repository to clone: the URL git is given (never with credentials), what
/// reports call it, and optional credentials passed through the environment.
#[derive(Clone, Debug)]
pub struct RemoteRepo {
    pub url: String,
    /// The URL without credentials (or the forge's full name): the finding root.
    pub label: String,
    pub auth: Option<GitAuth>,
}

impl RemoteRepo {
    /// A URL as the user gave it. Credentials in it (`https://user:token@host/…`)
    /// are taken out of the URL and passed to git as a header instead, so they
    /// never reach `.git/config`, reports or messages.
    pub fn from_url(raw: &str) -> RemoteRepo {
        if let Ok(mut u) = url::Url::parse(raw) {
            if matches!(u.scheme(), "https" | "http")
                && (!u.username().is_empty() || u.password().is_some())
            {
                let user = percent_decode(u.username());
                let pass = u.password().map(percent_decode).unwrap_or_default();
                let _ = u.set_username("");
                let _ = u.set_password(None);
                let clean = u.to_string();
                return RemoteRepo {
                    auth: GitAuth::basic(&clean, &user, &pass),
                    label: clean.clone(),
                    url: clean,
                };
            }
            if u.password().is_some() {
                // ssh://user:password@host: git would store it; drop it from the label.
                let _ = u.set_password(None);
                return RemoteRepo {
                    url: raw.to_string(),
                    label: u.to_string(),
                    auth: None,
                };
            }
        }
        RemoteRepo {
            url: raw.to_string(),
            label: raw.to_string(),
            auth: None,
        }
    }

    /// The directory name of this repository's clone: the label made safe (no
    /// separators, no leading dots, so `../../x` stays inside the clone
    /// directory) plus a hash of the URL, so different repositories never share
    /// a directory however their names sanitise.
    pub fn dir_name(&self) -> String {
        let mut safe: String = self
            .label
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        while safe.contains("__") {
            safe = safe.replace("__", "_");
        }
        let safe = safe.trim_matches(|c| c == '.' || c == '_' || c == '-');
        let safe: String = safe
            .chars()
            .rev()
            .take(80)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let safe = if safe.is_empty() { "repo".into() } else { safe };
        let h = Sha256::digest(self.url.as_bytes());
        format!(
            "{safe}-{:02x}{:02x}{:02x}{:02x}.git",
            h[0], h[1], h[2], h[3]
        )
    }
}

fn percent_decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={s}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// Where clones go: a private temporary directory removed when this is dropped,
/// or a kept directory (`--clone-dir`) where later runs fetch instead of cloning.
pub struct CloneDir {
    root: PathBuf,
    temp: Option<tempfile::TempDir>,
}

impl CloneDir {
    pub fn temporary() -> Result<CloneDir, RemoteError> {
        let t = tempfile::Builder::new()
            .prefix("pkscan-clones-")
            .tempdir()
            .map_err(|e| RemoteError::Io(format!("creating a temporary clone directory: {e}")))?;
        Ok(CloneDir {
            root: t.path().to_path_buf(),
            temp: Some(t),
        })
    }

    /// A kept directory, created (owner-only) when missing.
    pub fn kept(path: &Path) -> Result<CloneDir, RemoteError> {
        let io =
            |e: std::io::Error| RemoteError::Io(format!("--clone-dir {}: {e}", path.display()));
        if !path.exists() {
            let mut b = std::fs::DirBuilder::new();
            b.recursive(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::DirBuilderExt;
                b.mode(0o700);
            }
            b.create(path).map_err(io)?;
        } else if !path.is_dir() {
            return Err(RemoteError::Io(format!(
                "--clone-dir {} exists and is not a directory",
                path.display()
            )));
        }
        Ok(CloneDir {
            root: path.to_path_buf(),
            temp: None,
        })
    }

    /// Called once a clone is scanned: a temporary clone is removed at once, so
    /// an audit of many repositories needs the disk of one at a time per job,
    /// not of all of them; a kept one stays for the next run.
    pub fn done_with(&self, clone: &Path) {
        if self.temp.is_some() && clone.parent() == Some(self.root.as_path()) {
            let _ = std::fs::remove_dir_all(clone);
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where `repo` is cloned: always a direct child of the clone directory.
    pub fn path_for(&self, repo: &RemoteRepo) -> PathBuf {
        let p = self.root.join(repo.dir_name());
        debug_assert_eq!(p.parent(), Some(self.root.as_path()));
        p
    }
}

/// What [`fetch`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fetched {
    Cloned,
    Updated,
}

/// Mirror-clones `repo` to `dest`, or fetches into an earlier mirror there.
pub fn fetch(repo: &RemoteRepo, dest: &Path) -> Result<Fetched, RemoteError> {
    let redact = |s: &str| redact_message(s, repo.auth.as_ref());
    if dest.exists() {
        let found = git(repo, &["config", "--get", "remote.origin.url"], Some(dest))
            .map(|s| s.trim().to_string())
            .unwrap_or_default();
        if found != repo.url {
            return Err(RemoteError::Occupied {
                path: dest.display().to_string(),
                found: if found.is_empty() {
                    "not a mirror clone".into()
                } else {
                    redact(&RemoteRepo::from_url(&found).label)
                },
            });
        }
        git(repo, &["fetch", "--prune", "--quiet", "origin"], Some(dest)).map_err(|m| {
            RemoteError::Git {
                action: "fetch",
                message: redact(&m),
            }
        })?;
        return Ok(Fetched::Updated);
    }
    // Clone beside the destination and rename: an interrupted clone never looks
    // like a finished one to the next run.
    let partial = dest.with_extension("partial");
    if partial.exists() {
        std::fs::remove_dir_all(&partial)
            .map_err(|e| RemoteError::Io(format!("removing {}: {e}", partial.display())))?;
    }
    let target = partial.to_string_lossy().into_owned();
    let result = git(
        repo,
        &["clone", "--mirror", "--quiet", "--", &repo.url, &target],
        None,
    );
    if let Err(m) = result {
        let _ = std::fs::remove_dir_all(&partial);
        return Err(RemoteError::Git {
            action: "clone",
            message: redact(&m),
        });
    }
    std::fs::rename(&partial, dest)
        .map_err(|e| RemoteError::Io(format!("moving the clone to {}: {e}", dest.display())))?;
    Ok(Fetched::Cloned)
}

/// Runs git non-interactively with `repo`'s header in the environment. On
/// failure returns git's last error lines (not yet redacted).
fn git(repo: &RemoteRepo, args: &[&str], dir: Option<&Path>) -> Result<String, String> {
    let mut cmd = Command::new("git");
    if let Some(d) = dir {
        cmd.arg("-C").arg(d);
    }
    cmd.args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // Never wait for a password prompt nobody will answer.
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GCM_INTERACTIVE", "never");
    if let Some(a) = &repo.auth {
        // Configuration from the environment (git 2.31+) is never written to
        // disk; earlier entries of the user's own are kept.
        let n: usize = std::env::var("GIT_CONFIG_COUNT")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        cmd.env("GIT_CONFIG_COUNT", (n + 1).to_string())
            .env(
                format!("GIT_CONFIG_KEY_{n}"),
                format!("http.{}.extraHeader", a.scope),
            )
            .env(format!("GIT_CONFIG_VALUE_{n}"), &a.header);
    }
    let out = cmd.output().map_err(|e| format!("cannot run git: {e}"))?;
    if out.status.success() {
        return Ok(String::from_utf8_lossy(&out.stdout).into_owned());
    }
    let err = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = err
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let tail = lines[lines.len().saturating_sub(3)..].join("; ");
    Err(if tail.is_empty() {
        format!("git exited with {}", out.status)
    } else {
        tail
    })
}

/// Takes credentials out of a message: the auth header's values and any
/// `scheme://user:password@` in URLs.
fn redact_message(s: &str, auth: Option<&GitAuth>) -> String {
    use std::sync::OnceLock;
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    let re = RE.get_or_init(|| regex::Regex::new(r"(?i)([a-z][a-z0-9+.-]*://)[^/@\s]+@").unwrap());
    let mut out = re.replace_all(s, "$1***@").into_owned();
    if let Some(a) = auth {
        for secret in a.secrets() {
            out = out.replace(&secret, "***");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_urls_from_paths() {
        for r in [
            "https://github.com/a/b.git",
            "ssh://git@host/a/b",
            "git://127.0.0.1:9418/a",
            "file:///tmp/x",
            "git@github.com:a/b.git",
        ] {
            assert!(is_remote(r), "{r}");
        }
        for l in [
            ".",
            "../repo",
            "/tmp/x",
            "C:\\repo",
            "dir:with/colon",
            "a/b@c:d",
        ] {
            assert!(!is_remote(l), "{l}");
        }
    }

    #[test]
    fn credentials_leave_the_url() {
        let r = RemoteRepo::from_url("https://bob:s3cr3t-t0ken@git.example.com/a/b.git");
        assert_eq!(r.url, "https://git.example.com/a/b.git");
        assert_eq!(r.label, r.url);
        let a = r.auth.as_ref().unwrap();
        assert_eq!(a.scope, "https://git.example.com/");
        assert!(!format!("{r:?}").contains("s3cr3t"));
        assert_eq!(
            redact_message("fatal: s3cr3t-t0ken at https://x:y@h/p", Some(a)),
            "fatal: *** at https://***@h/p"
        );
    }

    #[test]
    fn clone_dir_names_stay_inside() {
        for label in [
            "../../x",
            "..",
            "/etc/passwd",
            "a/b",
            ".hidden",
            "",
            "..\\..\\y",
        ] {
            let r = RemoteRepo {
                url: format!("git://h/{label}"),
                label: label.into(),
                auth: None,
            };
            let n = r.dir_name();
            assert!(
                !n.contains('/') && !n.contains('\\') && !n.starts_with('.'),
                "{n}"
            );
            assert!(n.ends_with(".git"));
        }
        let a = RemoteRepo::from_url("git://h/a_b");
        let mut b = RemoteRepo::from_url("git://h/a/b");
        b.label = a.label.clone();
        assert_ne!(a.dir_name(), b.dir_name(), "same label, different URL");
    }
}
