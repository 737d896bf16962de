//! Setting pkscan up in a project: `pkscan init` (starter `.pkscan.toml`) and
//! `pkscan install-hook` (a git pre-commit hook running `pkscan git --staged`,
//! for teams that do not use the pre-commit framework).
use crate::cli::{InitArgs, InstallHookArgs};
use crate::config::{FILE_NAME, STARTER};
use anyhow::{bail, Context as _, Result};
use std::path::{Path, PathBuf};

/// Marks a hook file as written by pkscan (so it may be updated in place).
const MARKER: &str = "# pkscan-hook: installed by `pkscan install-hook`";
/// The name an existing foreign hook is kept under when pkscan chains into it.
pub const PREVIOUS: &str = "pre-commit.pkscan-previous";

pub fn init(args: &InitArgs) -> Result<u8> {
    if !args.dir.is_dir() {
        bail!(
            "{} is not a directory; pass the project directory to `pkscan init`",
            args.dir.display()
        );
    }
    let path = args.dir.join(FILE_NAME);
    if path.exists() && !args.force {
        bail!(
            "{} already exists; edit it, or pass --force to replace it with the starter file",
            path.display()
        );
    }
    std::fs::write(&path, STARTER).with_context(|| format!("writing {}", path.display()))?;
    eprintln!(
        "pkscan: wrote {}; every setting is commented out: uncomment what the project needs",
        path.display()
    );
    Ok(0)
}

/// Quotes a string for a POSIX shell.
fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// The hook script. It prefers the binary that installed it, then `pkscan` on PATH.
fn hook_script(exe: Option<&Path>) -> String {
    let exe = exe
        .map(|p| sh_quote(&p.to_string_lossy()))
        .unwrap_or_else(|| "pkscan".into());
    format!(
        r#"#!/bin/sh
{MARKER}; rerun it to update this file.
# Blocks a commit that stages a Pictify API key: runs `pkscan git --staged`, which
# scans only the staged changes.
#   Bypass once (you take responsibility for the key): git commit --no-verify
#   Accept one line: put a comment containing pkscan:allow on that line
#   Accept one finding: add its fingerprint with a reason under [[allow]] in .pkscan.toml
# A hook that was here before pkscan was installed is kept as {PREVIOUS}
# and runs first; if it fails, the commit stops there.
hooks_dir=$(dirname "$0")
if [ -x "$hooks_dir/{PREVIOUS}" ]; then
    "$hooks_dir/{PREVIOUS}" "$@" || exit $?
fi
pkscan_bin=${{PKSCAN_BIN:-{exe}}}
if ! command -v "$pkscan_bin" >/dev/null 2>&1; then
    pkscan_bin=pkscan
fi
if ! command -v "$pkscan_bin" >/dev/null 2>&1; then
    echo "pkscan pre-commit hook: pkscan is not installed (cargo install pkscan, or set PKSCAN_BIN);" >&2
    echo "to commit without the check: git commit --no-verify" >&2
    exit 1
fi
exec "$pkscan_bin" git --staged
"#
    )
}

/// The hooks directory git uses: `core.hooksPath` if set (relative to the work
/// tree), else `hooks` in the common git directory (shared by linked worktrees).
fn hooks_dir(repo: &git2::Repository) -> Result<PathBuf> {
    let cfg = repo.config().context("reading git configuration")?;
    if let Ok(p) = cfg.get_path("core.hooksPath") {
        if p.is_absolute() {
            return Ok(p);
        }
        let base = repo.workdir().unwrap_or_else(|| repo.path());
        return Ok(base.join(p));
    }
    Ok(repo.commondir().join("hooks"))
}

pub fn install(args: &InstallHookArgs) -> Result<u8> {
    let repo = git2::Repository::discover(&args.repo).with_context(|| {
        format!(
            "{} is not in a git repository; run `pkscan install-hook` inside the repository",
            args.repo.display()
        )
    })?;
    let dir = hooks_dir(&repo)?;
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let hook = dir.join("pre-commit");
    let previous = dir.join(PREVIOUS);
    let existing = std::fs::read(&hook).ok();
    let ours = existing
        .as_deref()
        .is_some_and(|b| String::from_utf8_lossy(b).contains(MARKER));
    let mut chained = false;
    if existing.is_some() && !ours {
        if !args.force {
            bail!(
                "{} already exists and was not written by pkscan; nothing changed. \
                 Rerun with --force to keep it as {PREVIOUS} and run it before pkscan, \
                 or call `pkscan git --staged` from it yourself",
                hook.display()
            );
        }
        if previous.exists() {
            bail!(
                "{} exists and so does {}; merge them by hand (nothing changed)",
                hook.display(),
                previous.display()
            );
        }
        std::fs::rename(&hook, &previous)
            .with_context(|| format!("renaming {} to {}", hook.display(), previous.display()))?;
        chained = true;
    }
    let exe = std::env::current_exe().ok();
    std::fs::write(&hook, hook_script(exe.as_deref()))
        .with_context(|| format!("writing {}", hook.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755))
            .with_context(|| format!("making {} executable", hook.display()))?;
    }
    let what = if ours { "updated" } else { "installed" };
    eprintln!("pkscan: {what} pre-commit hook {}", hook.display());
    if chained {
        eprintln!(
            "pkscan: the previous hook is kept as {} and runs first",
            previous.display()
        );
    } else if previous.exists() {
        eprintln!("pkscan: {} still runs first", previous.display());
    }
    eprintln!("pkscan: bypass once with `git commit --no-verify`; allow a line with a `pkscan:allow` comment");
    Ok(0)
}
