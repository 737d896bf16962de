//! `pkscan git` over real repositories built with the `git` command in temp dirs:
//! history, unreachable objects, staged changes, ranges, bare and empty repositories.
use crate::util::*;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A repository in a temp dir, driven by the real `git` with an isolated config.
pub struct Repo {
    project: Project,
    home: tempfile::TempDir,
}

impl Repo {
    pub fn new() -> Repo {
        let r = Repo {
            project: Project::new(),
            home: tempfile::tempdir().unwrap(),
        };
        r.git(&["init", "-q", "-b", "main"]);
        r
    }

    pub fn path(&self) -> &Path {
        self.project.path()
    }

    /// `git ARGS` in `dir` with the repository's isolated config and identity.
    fn command(&self, dir: &Path, args: &[&str]) -> Command {
        let mut cmd = Command::new("git");
        cmd.args(args)
            .current_dir(dir)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", self.home.path().join("gitconfig"))
            .env("HOME", self.home.path())
            .env("GIT_AUTHOR_NAME", "Ada Tester")
            .env("GIT_AUTHOR_EMAIL", "ada@example.com")
            .env("GIT_COMMITTER_NAME", "Ada Tester")
            .env("GIT_COMMITTER_EMAIL", "ada@example.com");
        cmd
    }

    pub fn git_in(&self, dir: &Path, args: &[&str]) -> String {
        let out = self.command(dir, args).output().expect("run git");
        assert!(
            out.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    pub fn git(&self, args: &[&str]) -> String {
        self.git_in(self.path(), args)
    }

    /// `git ARGS` with `input` on standard input.
    pub fn git_input(&self, args: &[&str], input: &str) -> String {
        let mut child = self
            .command(self.path(), args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("run git");
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> &Self {
        self.project.write(rel, contents);
        self
    }

    /// Stages everything, commits, and returns the new commit's full SHA.
    pub fn commit(&self, msg: &str) -> String {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--allow-empty", "-m", msg]);
        self.head()
    }

    pub fn head(&self) -> String {
        self.git(&["rev-parse", "HEAD"])
    }

    pub fn scan(&self, extra: &[&str]) -> Run {
        self.scan_at(self.path(), extra)
    }

    pub fn scan_at(&self, repo: &Path, extra: &[&str]) -> Run {
        let repo = repo.to_str().unwrap();
        let mut args = vec!["git", repo, "--format", "json"];
        args.extend_from_slice(extra);
        run_in(self.path(), &args)
    }
}

/// `(path, line, commit, present_at_head)` of every finding, sorted.
pub fn origins(r: &Run) -> Vec<(String, u64, String, bool)> {
    let v = r.json();
    let mut out: Vec<_> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            let g = &f["git"];
            assert_eq!(
                g["path"], f["path"],
                "git.path is the path in the commit: {f}"
            );
            (
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                g["commit"].as_str().unwrap_or("").to_string(),
                g["present_at_head"].as_bool().unwrap_or(false),
            )
        })
        .collect();
    out.sort();
    out
}

fn code_line(key: &str) -> String {
    format!("const pictify = new Pictify('{key}')\n")
}

#[test]
fn key_committed_then_deleted_is_reported_as_only_in_history() {
    let repo = Repo::new();
    let key = live_key(401);
    repo.write("README.md", "# demo\n");
    repo.commit("init");
    repo.write(
        "server/config.js",
        format!("// settings\n\n{}", code_line(&key)),
    );
    let added = repo.commit("add pictify client");
    repo.git(&["rm", "-q", "server/config.js"]);
    repo.commit("remove key");

    let r = repo.scan(&[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        origins(&r),
        vec![("server/config.js".into(), 3, added.clone(), false)]
    );
    let f = &r.json()["findings"][0];
    assert_eq!(f["git"]["author"], "Ada Tester <ada@example.com>");
    assert_eq!(f["git"]["summary"], "add pictify client");
    assert!(f["git"]["date"].as_str().unwrap().contains('T'));
    assert!(
        f["fix"]
            .as_str()
            .unwrap()
            .contains("removing it is not enough, rotate it"),
        "{f}"
    );
    assert!(!r.stdout.contains(&key));

    let text = run_in(repo.path(), &["git", "."]);
    assert_eq!(text.code, 1);
    assert!(text.stdout.contains(&added[..12]), "{}", text.stdout);
    assert!(text
        .stdout
        .contains("only in history: removing it is not enough, rotate it"));
}

#[test]
fn another_services_key_only_in_history_asks_for_no_rotation() {
    let repo = Repo::new();
    let key = format!("pk_test_{}", fake_body(406, 24));
    repo.write(
        "web/pay.js",
        format!("import {{ loadStripe }} from '@stripe/stripe-js'\nconst stripe = loadStripe('{key}')\n"),
    );
    repo.commit("stripe checkout");
    repo.write("web/pay.js", "// moved to the server\n");
    repo.commit("remove");
    let r = repo.scan(&["--include-other-providers"]);
    let f = &r.json()["findings"][0];
    assert_eq!(f["attribution"], "other-provider", "{f}");
    assert_eq!(f["git"]["present_at_head"], false, "{f}");
    assert!(!f["fix"].as_str().unwrap().contains("rotate it"), "{f}");
    let text = run_in(repo.path(), &["git", ".", "--include-other-providers"]);
    assert!(!text.stdout.contains("only in history"), "{}", text.stdout);
}

#[test]
fn key_still_at_head_is_one_finding_across_versions() {
    let repo = Repo::new();
    let key = live_key(402);
    repo.write("app/server.js", code_line(&key));
    let first = repo.commit("add key");
    // Later versions of the file (new blobs) still hold the same key.
    repo.write("app/server.js", format!("// v2\n{}", code_line(&key)));
    repo.commit("edit");
    repo.write(
        "app/server.js",
        format!("// v3\n// more\n{}", code_line(&key)),
    );
    repo.commit("edit again");

    let r = repo.scan(&[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(origins(&r), vec![("app/server.js".into(), 1, first, true)]);
    let text = run_in(repo.path(), &["git", "."]);
    assert!(!text.stdout.contains("only in history"), "{}", text.stdout);
}

#[test]
fn key_only_on_unmerged_branch() {
    let repo = Repo::new();
    let key = test_key(403);
    repo.write("README.md", "# demo\n");
    repo.commit("init");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("lib/pictify.py", format!("import os\n\nKEY = '{key}'\n"));
    let on_branch = repo.commit("wip");
    repo.git(&["checkout", "-q", "main"]);
    assert!(!repo.path().join("lib/pictify.py").exists());

    let r = repo.scan(&[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        origins(&r),
        vec![("lib/pictify.py".into(), 3, on_branch, false)]
    );
}

#[test]
fn key_only_reachable_from_a_tag() {
    let repo = Repo::new();
    let key = live_key(404);
    repo.write("README.md", "# demo\n");
    repo.commit("init");
    repo.git(&["checkout", "-q", "--detach"]);
    repo.write("release/env.js", format!("\n{}", code_line(&key)));
    let tagged = repo.commit("release build");
    repo.git(&["tag", "-a", "v1.0.0", "-m", "release"]);
    repo.git(&["checkout", "-q", "main"]);
    repo.git(&["reflog", "expire", "--expire=now", "--all"]);

    let r = repo.scan(&[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        origins(&r),
        vec![("release/env.js".into(), 2, tagged, false)]
    );
}

#[test]
fn key_in_merged_branch_names_the_branch_commit() {
    let repo = Repo::new();
    let key = live_key(405);
    repo.write("README.md", "# demo\n");
    repo.commit("init");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write(
        "src/components/Upload.jsx",
        format!("import React from 'react'\n{}", code_line(&key)),
    );
    let introduced = repo.commit("upload widget");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("CHANGELOG.md", "- upload\n");
    repo.commit("changelog");
    repo.git(&["merge", "-q", "--no-ff", "-m", "merge feature", "feature"]);

    let r = repo.scan(&[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        origins(&r),
        vec![("src/components/Upload.jsx".into(), 2, introduced, true)]
    );
    // Context comes from the path in the commit.
    assert_eq!(r.json()["findings"][0]["context"], "client-js");
}

#[test]
fn key_in_file_renamed_then_deleted_reports_original_path() {
    let repo = Repo::new();
    let key = live_key(406);
    repo.write(
        "deploy/old.env",
        format!("# deploy\nPICTIFY_API_KEY={key}\n"),
    );
    let introduced = repo.commit("deploy config");
    repo.git(&["mv", "deploy/old.env", "deploy/prod.env"]);
    repo.commit("rename");
    repo.git(&["rm", "-q", "deploy/prod.env"]);
    repo.commit("delete");

    let r = repo.scan(&[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        origins(&r),
        vec![("deploy/old.env".into(), 2, introduced, false)]
    );
    assert_eq!(r.json()["findings"][0]["context"], "config");
}

#[test]
fn dangling_commit_is_found_only_with_all_objects() {
    let repo = Repo::new();
    let key = live_key(407);
    repo.write("README.md", "# demo\n");
    repo.commit("init");
    repo.write("api/client.js", format!("\n\n\n{}", code_line(&key)));
    let dangling = repo.commit("oops");
    repo.git(&["reset", "-q", "--hard", "HEAD~1"]);
    repo.git(&["reflog", "expire", "--expire=now", "--all"]);

    let r = repo.scan(&[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(origins(&r).is_empty());

    let all = repo.scan(&["--all-objects"]);
    assert_eq!(all.code, 1, "{}", all.stderr);
    assert_eq!(
        origins(&all),
        vec![("api/client.js".into(), 4, dangling, false)]
    );
}

#[test]
fn staged_key_is_found_by_staged_not_by_history() {
    let repo = Repo::new();
    let committed = live_key(408);
    repo.write("server/old.js", code_line(&committed));
    repo.write("lib/deep/util.js", "export const x = 1;\n");
    repo.write("lib/other/clean.js", "export const y = 2;\n");
    repo.commit("old key, committed");
    // A staged edit of a committed file deep in the tree.
    let edited = test_key(419);
    repo.write(
        "lib/deep/util.js",
        format!("export const x = 1;\nconst pictify = '{edited}'\n"),
    );
    repo.git(&["add", "lib/deep/util.js"]);
    let staged = live_key(409);
    repo.write(
        "src/App.jsx",
        format!("import React from 'react'\n\n{}", code_line(&staged)),
    );
    repo.git(&["add", "src/App.jsx"]);
    // In the working tree but not staged: --staged must not read it.
    repo.write("server/unstaged.js", code_line(&live_key(410)));

    let r = repo.scan(&["--staged"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v = r.json();
    let found: Vec<_> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            assert!(f.get("git").is_none(), "staged blobs have no commit: {f}");
            (
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["context"].as_str().unwrap().to_string(),
                f["fingerprint"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let got: Vec<_> = found.iter().map(|f| (f.0.as_str(), f.1)).collect();
    assert_eq!(got, vec![("lib/deep/util.js", 2), ("src/App.jsx", 3)]);
    assert_eq!(found[1].2, "client-js");
    assert_eq!(v["summary"]["files_scanned"], 2);

    // The staged blob is in the object database but in no commit: history skips it.
    let history = repo.scan(&[]);
    assert_eq!(
        origins(&history)
            .into_iter()
            .map(|o| o.0)
            .collect::<Vec<_>>(),
        vec!["server/old.js".to_string()]
    );
}

#[test]
fn staged_in_repository_without_commits_scans_whole_index() {
    let repo = Repo::new();
    repo.write(
        "config/.env",
        format!("PICTIFY_API_KEY={}\n", live_key(411)),
    );
    repo.write("docs/readme.txt", "nothing here\n");
    repo.git(&["add", "-A"]);
    let r = repo.scan(&["--staged"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let f = r.findings();
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!((f[0].0.as_str(), f[0].1), ("config/.env", 1));
    assert_eq!(r.json()["summary"]["files_scanned"], 2);
}

#[test]
fn range_reports_only_keys_introduced_in_range() {
    let repo = Repo::new();
    repo.write("server/base.js", code_line(&live_key(412)));
    let base = repo.commit("base with an old key");
    repo.git(&["checkout", "-q", "-b", "pr"]);
    repo.write("server/a.js", format!("\n{}", code_line(&live_key(413))));
    let c1 = repo.commit("pr: add a");
    repo.write("README.md", "docs\n");
    repo.commit("pr: docs");
    repo.write("server/b.js", format!("\n\n{}", code_line(&live_key(414))));
    let c3 = repo.commit("pr: add b");

    let expected = vec![
        ("server/a.js".to_string(), 2, c1.clone(), true),
        ("server/b.js".to_string(), 3, c3.clone(), true),
    ];
    let r = repo.scan(&["--range", "main..pr"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(origins(&r), expected);
    assert_eq!(r.json()["summary"]["files_scanned"], 3);

    let since = repo.scan(&["--since", &base]);
    assert_eq!(origins(&since), expected);

    // Only the last commit: a.js is not introduced there.
    let last = repo.scan(&["--range", &format!("{c1}..{c3}")]);
    assert_eq!(
        origins(&last),
        vec![("server/b.js".to_string(), 3, c3, true)]
    );

    // Merging main into the PR does not blame the PR for main's keys.
    repo.git(&["checkout", "-q", "main"]);
    repo.write("server/main-only.js", code_line(&live_key(415)));
    repo.commit("main moves on");
    repo.git(&["checkout", "-q", "pr"]);
    repo.git(&["merge", "-q", "--no-ff", "-m", "sync main", "main"]);
    let synced = repo.scan(&["--range", "main..pr"]);
    assert_eq!(origins(&synced), expected);

    let bad = repo.scan(&["--range", "no-such-branch..pr"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("no-such-branch"), "{}", bad.stderr);
}

#[test]
fn bare_repository_and_sarif_carry_commit() {
    let repo = Repo::new();
    let key = live_key(416);
    repo.write("web/public/env.js", format!("window.PICTIFY = '{key}'\n"));
    let introduced = repo.commit("add env");
    repo.git(&["rm", "-q", "-r", "web"]);
    repo.commit("remove");
    let bare_dir = tempfile::tempdir().unwrap();
    let bare: PathBuf = bare_dir.path().join("mirror.git");
    repo.git(&["clone", "-q", "--bare", ".", bare.to_str().unwrap()]);

    let r = repo.scan_at(&bare, &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        origins(&r),
        vec![("web/public/env.js".into(), 1, introduced.clone(), false)]
    );

    let sarif = run_in(
        repo.path(),
        &["git", bare.to_str().unwrap(), "--format", "sarif"],
    );
    assert_eq!(sarif.code, 1, "{}", sarif.stderr);
    let v = sarif.json();
    let res = &v["runs"][0]["results"][0];
    assert_eq!(res["properties"]["commit"], introduced.as_str());
    assert_eq!(res["properties"]["author"], "Ada Tester <ada@example.com>");
    assert!(res["properties"]["date"].as_str().is_some());
    assert_eq!(
        res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "web/public/env.js"
    );
    assert!(!sarif.stdout.contains(&key));
}

#[test]
fn empty_repository_gives_a_clear_clean_result() {
    let repo = Repo::new();
    let r = repo.scan(&[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(r.json()["findings"].as_array().unwrap().len(), 0);
    assert!(r.stderr.contains("no commits"), "{}", r.stderr);
    let staged = repo.scan(&["--staged"]);
    assert_eq!(staged.code, 0, "{}", staged.stderr);
}

#[test]
fn not_a_repository_is_an_error_naming_the_path() {
    let p = Project::new();
    p.write("a.txt", "x\n");
    let r = p.run(&["git", "."]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("not in a git repository"), "{}", r.stderr);
}

#[test]
fn huge_blobs_are_skipped_and_reported_with_their_path() {
    let repo = Repo::new();
    let mut big = code_line(&live_key(417));
    big.push_str(&"x".repeat(4096));
    repo.write("dist/bundle.js", big);
    let c = repo.commit("bundle");
    let r = repo.scan(&["--max-file-size", "1K"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let notices = r.json()["notices"].clone();
    let n = notices
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["kind"] == "skipped")
        .unwrap_or_else(|| panic!("no skipped notice: {notices}"));
    assert_eq!(n["path"], format!("dist/bundle.js@{}", &c[..12]));
}

#[cfg(unix)]
#[test]
fn non_utf8_paths_do_not_break_the_scan() {
    use std::os::unix::ffi::OsStrExt;
    let repo = Repo::new();
    // Latin-1 "café": not valid UTF-8.
    let raw = std::ffi::OsStr::from_bytes(b"caf\xe9-config.js");
    std::fs::write(repo.path().join(raw), code_line(&live_key(418))).unwrap();
    let c = repo.commit("latin-1 file name");
    let r = repo.scan(&[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        origins(&r),
        vec![("caf\u{fffd}-config.js".to_string(), 1, c, true)]
    );
}

/// The pack of a repository packed into exactly one pack file.
fn only_pack(repo: &Repo) -> PathBuf {
    let dir = repo.path().join(".git/objects/pack");
    let packs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "pack"))
        .collect();
    assert_eq!(packs.len(), 1, "{packs:?}");
    packs[0].clone()
}

/// `git verify-pack -v` line fields of one object in the repository's pack.
fn pack_entry(repo: &Repo, oid: &str) -> Vec<String> {
    let idx = only_pack(repo).with_extension("idx");
    let listing = repo.git(&["verify-pack", "-v", idx.to_str().unwrap()]);
    listing
        .lines()
        .find(|l| l.starts_with(oid))
        .unwrap_or_else(|| panic!("{oid} not in the pack"))
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

#[test]
fn keys_inside_packed_delta_chains_are_found_with_their_origin() {
    // A long file that grows in every commit: packing stores the newest version
    // whole and older ones (the one with the key among them) as deltas.
    let repo = Repo::new();
    let key = live_key(430);
    let mut lines: Vec<String> = (0..2000)
        .map(|i| format!("export const setting{i} = {i};"))
        .collect();
    lines[1000] = code_line(&key).trim_end().to_string();
    repo.write("config/big.js", lines.join("\n"));
    let introduced = repo.commit("add settings");
    for v in 0..8 {
        if v == 3 {
            lines[1000] = "// the key now comes from the environment".into();
        }
        lines.push(format!("export const added{v} = {v};"));
        repo.write("config/big.js", lines.join("\n"));
        repo.commit(&format!("settings v{v}"));
    }
    let expected = vec![("config/big.js".to_string(), 1001, introduced.clone(), false)];
    let loose = repo.scan(&[]);
    assert_eq!(loose.code, 1, "{}", loose.stderr);
    assert_eq!(origins(&loose), expected);

    let blob = repo.git(&["rev-parse", &format!("{introduced}:config/big.js")]);
    repo.git(&["repack", "-a", "-d", "-f", "-q"]);
    assert_eq!(
        pack_entry(&repo, &blob).len(),
        7,
        "the key's blob is a delta"
    );
    let packed = repo.scan(&[]);
    assert_eq!(origins(&packed), expected, "{}", packed.stderr);
    assert_eq!(
        packed.json()["summary"]["files_scanned"],
        loose.json()["summary"]["files_scanned"]
    );

    // The same with deltas naming their base by object id instead of offset.
    repo.git(&[
        "-c",
        "repack.useDeltaBaseOffset=false",
        "repack",
        "-a",
        "-d",
        "-f",
        "-q",
    ]);
    assert_eq!(pack_entry(&repo, &blob).len(), 7);
    assert_eq!(origins(&repo.scan(&[])), expected);
}

#[test]
fn damaged_pack_entry_is_a_warning_and_the_scan_goes_on() {
    let repo = Repo::new();
    let (kept, lost) = (live_key(431), live_key(432));
    repo.write("server/a.js", code_line(&kept));
    repo.write(
        "server/b.js",
        format!("// {}\n{}", fake_body(433, 3000), code_line(&lost)),
    );
    let c = repo.commit("two clients");
    let blob = repo.git(&["rev-parse", &format!("{c}:server/b.js")]);
    repo.git(&["repack", "-a", "-d", "-q"]);
    repo.git(&["prune-packed"]);
    let fields = pack_entry(&repo, &blob);
    assert_eq!(fields.len(), 5, "stored whole: {fields:?}");
    let (size, offset): (usize, usize) = (fields[3].parse().unwrap(), fields[4].parse().unwrap());
    let pack = only_pack(&repo);
    let mut data = std::fs::read(&pack).unwrap();
    for b in &mut data[offset + size / 2..offset + size / 2 + 4] {
        *b ^= 0x5a;
    }
    std::fs::remove_file(&pack).unwrap();
    std::fs::write(&pack, &data).unwrap();

    let r = scan_reports_damage(&repo, &blob, c);
    assert!(!r.stdout.contains(&lost) && !r.stderr.contains(&kept));
}

/// Scans a repository where object `blob` is damaged: the key in server/a.js
/// (commit `c`) is still found, and the damaged object is named in a warning.
fn scan_reports_damage(repo: &Repo, blob: &str, c: String) -> Run {
    let r = repo.scan(&[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(origins(&r), vec![("server/a.js".to_string(), 1, c, true)]);
    let notices = r.json()["notices"].to_string();
    assert!(
        notices.contains(&format!("object {blob}")) && notices.contains("damaged"),
        "{notices}"
    );
    r
}

#[test]
fn damaged_loose_object_is_a_warning_and_the_scan_goes_on() {
    let repo = Repo::new();
    let kept = live_key(434);
    repo.write("server/a.js", code_line(&kept));
    repo.write("notes.txt", "nothing secret here\n");
    let c = repo.commit("init");
    let blob = repo.git(&["rev-parse", &format!("{c}:notes.txt")]);
    let file = repo
        .path()
        .join(".git/objects")
        .join(&blob[..2])
        .join(&blob[2..]);
    std::fs::remove_file(&file).unwrap();
    std::fs::write(&file, b"x\x9c not zlib at all").unwrap();
    scan_reports_damage(&repo, &blob, c);
}

#[test]
fn partial_clone_says_that_filtered_blobs_were_not_scanned() {
    let repo = Repo::new();
    repo.write("server/old.js", code_line(&live_key(437)));
    repo.commit("old key");
    repo.git(&["rm", "-q", "server/old.js"]);
    repo.write("README.md", "# app\n");
    repo.commit("clean");
    repo.git(&["config", "uploadpack.allowFilter", "true"]);
    let dir = tempfile::tempdir().unwrap();
    let url = format!("file://{}", repo.path().display());
    let clone = dir.path().join("partial");
    repo.git(&[
        "clone",
        "-q",
        "--filter=blob:none",
        &url,
        clone.to_str().unwrap(),
    ]);

    let r = repo.scan_at(&clone, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let notices = r.json()["notices"].to_string();
    assert!(notices.contains("partial clone"), "{notices}");
}

#[test]
fn shallow_clone_is_scanned_with_a_warning() {
    let repo = Repo::new();
    repo.write("server/old.js", code_line(&live_key(435)));
    repo.commit("old key");
    repo.git(&["rm", "-q", "server/old.js"]);
    repo.write("server/new.js", code_line(&live_key(436)));
    let head = repo.commit("new key");
    let dir = tempfile::tempdir().unwrap();
    let url = format!("file://{}", repo.path().display());
    let clone = dir.path().join("shallow");
    repo.git(&["clone", "-q", "--depth", "1", &url, clone.to_str().unwrap()]);

    let r = repo.scan_at(&clone, &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        origins(&r),
        vec![("server/new.js".to_string(), 1, head, true)]
    );
    assert!(
        r.json()["notices"].to_string().contains("shallow clone"),
        "{}",
        r.stdout
    );
}

/// The project's shape comes from the work tree, and from HEAD's tree in a
/// bare repository: a Worker's token is server code in both (without its
/// `wrangler.toml`, a script under `src/` would be front-end code).
#[test]
fn history_reads_the_project_shape_from_the_work_tree_or_heads_tree() {
    let repo = Repo::new();
    let token = fake_body(77, 40);
    repo.write(
        "worker/wrangler.toml",
        "name = \"og\"\nmain = \"src/index.js\"\n",
    );
    repo.write(
        "worker/src/index.js",
        format!(
            "addEventListener('fetch', (event) => event.respondWith(render()))\nasync function render() {{\n    return fetch('https://api.pictify.io/image', {{\n      method: 'POST',\n      headers: {{\n        'Content-Type': 'application/json',\n        Authorization: 'Bearer {token}',\n      }},\n    }})\n}}\n"
        ),
    );
    repo.commit("worker");
    let expect = vec![row(
        "worker/src/index.js",
        7,
        "server",
        "high",
        "pictify.token",
    )];
    assert_eq!(repo.scan(&[]).findings(), expect);
    let bare_dir = tempfile::tempdir().unwrap();
    let bare: PathBuf = bare_dir.path().join("mirror.git");
    repo.git(&["clone", "-q", "--bare", ".", bare.to_str().unwrap()]);
    assert_eq!(repo.scan_at(&bare, &[]).findings(), expect);
}

/// A history in which nothing names Pictify has no Pictify keys among those
/// nothing ties to Pictify; staged changes are only part of the project, so
/// there the same key is reported as a guess.
#[test]
fn a_history_that_never_names_pictify_has_no_pictify_keys() {
    let repo = Repo::new();
    let key = live_key(78);
    repo.write("config/app.yml", format!("api_key: {key}\n"));
    repo.commit("config");
    let r = repo.scan(&[]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.findings().is_empty());
    let r = repo.scan(&["--include-other-providers"]);
    assert_eq!(r.json()["findings"][0]["attribution"], "other-provider");
    repo.write("config/prod.yml", format!("api_key: {key}\n"));
    repo.git(&["add", "-A"]);
    assert_eq!(
        repo.scan(&["--staged"]).findings(),
        vec![row(
            "config/prod.yml",
            1,
            "config",
            "medium",
            "pictify.api-key"
        )]
    );
}

#[test]
fn placement_is_the_same_from_loose_packed_and_mixed_objects() {
    // Keys copied to several paths, a directory renamed, a side branch merged:
    // where each entered history must not depend on how the objects are stored
    // (trees from the pack reader's pass, or from libgit2 when loose).
    let repo = Repo::new();
    let (a, b, c) = (live_key(440), live_key(441), live_key(442));
    repo.write("web/src/app.js", code_line(&a));
    repo.write("README.md", "# app\n");
    repo.commit("app");
    repo.write("web/src/copy/app.js", code_line(&a));
    repo.write("server/keys.js", code_line(&b));
    repo.commit("copies");
    repo.git(&["checkout", "-q", "-b", "side"]);
    repo.write("docs/setup.md", format!("PICTIFY_API_KEY={c}\n"));
    repo.commit("side");
    repo.git(&["checkout", "-q", "main"]);
    repo.git(&["mv", "web", "frontend"]);
    repo.commit("rename");
    repo.git(&["merge", "-q", "--no-ff", "side", "-m", "merge side"]);
    let loose = repo.scan(&[]);
    assert_eq!(loose.code, 1, "{}", loose.stderr);
    // One finding per key and context: the copy of `a` is the same leak.
    assert_eq!(origins(&loose).len(), 3, "{}", loose.stdout);

    repo.git(&["gc", "-q"]);
    let packed = repo.scan(&[]);
    assert_eq!(packed.stdout, loose.stdout);

    // New loose trees above packed ones.
    repo.write("frontend/src/deep/er/app.js", code_line(&live_key(443)));
    repo.commit("deeper copy");
    let mixed = repo.scan(&[]);
    assert_eq!(mixed.code, 1, "{}", mixed.stderr);
    repo.git(&["gc", "-q"]);
    assert_eq!(repo.scan(&[]).stdout, mixed.stdout);
    let paths: Vec<String> = origins(&mixed).into_iter().map(|o| o.0).collect();
    assert!(
        paths.contains(&"frontend/src/deep/er/app.js".to_string()),
        "{paths:?}"
    );
}
