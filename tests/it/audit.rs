//! Organisation audits end to end on loopback: remote repositories over git://,
//! file:// and token-protected smart HTTP, fake GitHub and GitLab APIs that
//! paginate and rate-limit, clone failures, hostile names, tokens that must not
//! leak, incremental re-runs with `--state`, and the listing and sharding of the
//! fan-out workflow.
use crate::forge_fake::*;
use crate::util::*;
use serde_json::{json, Value};
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

/// Runs pkscan in `dir` with extra environment (tokens) and no inherited ones.
fn pkscan(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(bin());
    cmd.args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("PKSCAN_API_BASE")
        .env_remove("GITHUB_TOKEN")
        .env_remove("GH_TOKEN")
        .env_remove("GITLAB_TOKEN")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null");
    for (k, v) in env {
        cmd.env(k, v);
    }
    Run::from(cmd.output().expect("run pkscan"))
}

fn read_json(p: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

/// `(root, path, present_at_head)` of each finding, sorted.
fn places(report: &Value) -> Vec<(String, String, bool)> {
    let mut v: Vec<_> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["root"].as_str().unwrap_or_default().to_string(),
                f["path"].as_str().unwrap().to_string(),
                f["git"]["present_at_head"].as_bool().unwrap_or(true),
            )
        })
        .collect();
    v.sort();
    v
}

/// A server root with bare repositories, and a scratch dir for work trees.
struct Forest {
    served: tempfile::TempDir,
    scratch: tempfile::TempDir,
}

impl Forest {
    fn new() -> Forest {
        Forest {
            served: tempfile::tempdir().unwrap(),
            scratch: tempfile::tempdir().unwrap(),
        }
    }
    fn repo(&self, name: &str) -> Upstream {
        Upstream::new(self.served.path(), self.scratch.path(), name)
    }
}

/// A repository whose key was committed in a config file, then removed.
fn history_only(u: &Upstream, key: &str) -> String {
    u.write("README.md", "# api\n");
    u.write("config/.env", &format!("PICTIFY_API_KEY={key}\n"));
    let c = u.commit("add config", "2024-01-15");
    u.remove("config/.env");
    u.commit("remove the key", "2024-02-01");
    c
}

/// A repository with a key in front-end code at HEAD.
fn client_key(u: &Upstream, key: &str) -> String {
    u.write(
        "src/app.js",
        &format!("const pictify = new Pictify({{ apiKey: '{key}' }});\n"),
    );
    u.commit("front end", "2024-05-20")
}

#[test]
fn int_git_urls_mixed_with_local_paths_and_a_failing_clone() {
    let forest = Forest::new();
    let a = forest.repo("team/a");
    history_only(&a, &live_key(1));
    let b = forest.repo("b");
    client_key(&b, &live_key(2));
    let local = forest.repo("local");
    local.write("server.py", &format!("PICTIFY_KEY = \"{}\"\n", live_key(3)));
    local.commit("server", "2024-06-01");
    let daemon = GitDaemon::start(forest.served.path());
    let file_url = format!("file://{}", b.bare.display());
    let missing = daemon.url("nope");
    let local_path = local.work.to_str().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let r = pkscan(
        forest.scratch.path(),
        &[
            "git",
            &daemon.url("team/a"),
            &file_url,
            &missing,
            local_path,
            "--format",
            "json",
        ],
        &[("TMPDIR", tmp.path().to_str().unwrap())],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v = r.json();
    let mut expected = vec![
        (daemon.url("team/a"), "config/.env".to_string(), false),
        (file_url.clone(), "src/app.js".into(), true),
        (local_path.to_string(), "server.py".into(), true),
    ];
    expected.sort();
    assert_eq!(places(&v), expected);
    let notices = v["notices"].as_array().unwrap();
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert_eq!(notices[0]["path"], missing.as_str());
    assert!(
        notices[0]["reason"]
            .as_str()
            .unwrap()
            .starts_with("repository not scanned: git clone failed"),
        "{}",
        notices[0]
    );
    assert!(r.stderr.contains("[4/4]"), "progress lines: {}", r.stderr);
    // The private temporary clone directory is gone.
    let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert!(left.is_empty(), "temporary clones are removed: {left:?}");
}

/// One fake GitHub repository: its listing entry and where it is served.
fn gh_repo(name: &str, clone_url: &str, fork: bool, archived: bool) -> Value {
    json!({
        "full_name": name,
        "clone_url": clone_url,
        "ssh_url": format!("git@github.example:{name}.git"),
        "html_url": format!("https://github.example/{name}"),
        "fork": fork,
        "archived": archived,
        "private": false,
    })
}

/// A fake GitHub API for organisation `acme`: two repositories per page, a
/// secondary rate limit (`Retry-After: 1`) on the first request for page 2, the
/// primary limit used up (`X-RateLimit-Remaining: 0`, reset in a second) on
/// page 2, the token required on every request.
fn fake_github(repos: Vec<Value>, token: &'static str) -> Arc<Server> {
    Server::start(move |req, _body, server| {
        if req.header("authorization") != Some(&format!("Bearer {token}")) {
            return Answer::json(401, json!({"message": "Bad credentials"}));
        }
        if req.path() != "/orgs/acme/repos" {
            return Answer::json(404, json!({"message": "Not Found"}));
        }
        let page: usize = req.query("page").and_then(|p| p.parse().ok()).unwrap_or(1);
        if page == 2 && server.bump("secondary") == 1 {
            return Answer::json(
                403,
                json!({"message": "You have exceeded a secondary rate limit"}),
            )
            .with("Retry-After", "1");
        }
        let per = 2;
        let chunk: Vec<Value> = repos
            .iter()
            .skip((page - 1) * per)
            .take(per)
            .cloned()
            .collect();
        let mut a = Answer::json(200, Value::Array(chunk));
        if page * per < repos.len() {
            a = a.with(
                "Link",
                format!(
                    "<{}/orgs/acme/repos?type=all&per_page=100&page={}>; rel=\"next\", <{}/orgs/acme/repos?page=9>; rel=\"last\"",
                    server.base(),
                    page + 1,
                    server.base()
                ),
            );
        }
        if page == 2 {
            let reset = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_secs()
                + 1;
            a = a
                .with("X-RateLimit-Remaining", "0")
                .with("X-RateLimit-Reset", reset.to_string());
        } else {
            a = a.with("X-RateLimit-Remaining", "4999");
        }
        a
    })
}

/// Smart HTTP for the repositories under `root`, demanding basic credentials
/// `x-access-token:<token>` like GitHub; records what it was sent.
fn token_git_server(root: &Path, token: &'static str) -> Arc<Server> {
    use base64::Engine as _;
    let root = root.to_path_buf();
    let expected = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("x-access-token:{token}"))
    );
    Server::start(move |req, body, _| {
        if req.header("authorization") != Some(expected.as_str()) {
            return Answer {
                status: 401,
                headers: vec![("WWW-Authenticate".into(), "Basic realm=\"git\"".into())],
                body: b"authentication required".to_vec(),
            };
        }
        http_backend(&root, req, body)
    })
}

#[test]
fn int_github_org_end_to_end_json_sarif_html_without_leaking_the_token() {
    const TOKEN: &str = "ghp_pkscanTestMarker7Qx9Lw2Vb5Nc8Zr4";
    let forest = Forest::new();
    let api_key = live_key(11);
    let web_key = live_key(12);
    let api = forest.repo("acme/api");
    let intro = history_only(&api, &api_key);
    let web = forest.repo("acme/web");
    let web_commit = client_key(&web, &web_key);
    let fork = forest.repo("acme/fork");
    client_key(&fork, &live_key(13));
    let old = forest.repo("acme/old");
    client_key(&old, &live_key(14));
    let escape = forest.repo("escape");
    escape.write(
        "deploy.yml",
        &format!("env:\n  PICTIFY_API_KEY: {}\n", live_key(15)),
    );
    escape.commit("deploy", "2024-07-01");
    let daemon = GitDaemon::start(forest.served.path());
    let http = token_git_server(forest.served.path(), TOKEN);
    let repos = vec![
        gh_repo("acme/../../escape", &daemon.url("escape"), false, false),
        gh_repo("acme/api", &daemon.url("acme/api"), false, false),
        gh_repo("acme/broken", &daemon.url("acme/missing"), false, false),
        gh_repo("acme/fork", &daemon.url("acme/fork"), true, false),
        gh_repo("acme/old", &daemon.url("acme/old"), false, true),
        gh_repo(
            "acme/web",
            &format!("{}/acme/web.git", http.base()),
            false,
            false,
        ),
    ];
    let gh = fake_github(repos, TOKEN);
    let work = tempfile::tempdir().unwrap();
    let clones = work.path().join("clones");
    let env = [("GITHUB_TOKEN", TOKEN)];
    let base = gh.base();
    let mut outputs = Vec::new();
    for (format, file) in [
        ("json", "org.json"),
        ("sarif", "org.sarif"),
        ("html", "org.html"),
    ] {
        let r = pkscan(
            work.path(),
            &[
                "github",
                "--org",
                "acme",
                "--api-url",
                &base,
                "--clone-dir",
                "clones",
                "--jobs",
                "3",
                "--format",
                format,
                "-o",
                file,
            ],
            &env,
        );
        assert_eq!(r.code, 1, "{format}: {}", r.stderr);
        outputs.push(r);
    }
    let first = &outputs[0];
    assert!(
        first
            .stderr
            .contains("asked to slow down (Retry-After); waiting 1s"),
        "{}",
        first.stderr
    );
    assert!(
        first.stderr.contains("rate limit used up"),
        "{}",
        first.stderr
    );
    let v = read_json(&work.path().join("org.json"));
    assert_eq!(
        v["roots"],
        json!(["acme/../../escape", "acme/api", "acme/broken", "acme/web"])
    );
    assert_eq!(
        places(&v),
        vec![
            ("acme/../../escape".into(), "deploy.yml".into(), true),
            ("acme/api".into(), "config/.env".into(), false),
            ("acme/web".into(), "src/app.js".into(), true),
        ]
    );
    let f = |root: &str| {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["root"] == root)
            .unwrap()
            .clone()
    };
    assert_eq!(
        f("acme/api")["link"],
        format!("https://github.example/acme/api/blob/{intro}/config/.env#L1")
    );
    assert_eq!(
        f("acme/web")["link"],
        format!("https://github.example/acme/web/blob/{web_commit}/src/app.js#L1")
    );
    assert_eq!(f("acme/web")["context"], "client-js");
    let notes = v["summary"]["notes"].as_array().unwrap();
    assert!(
        notes.iter().any(|n| n
            == "GitHub organisation acme: 6 repositories listed, 4 audited; left out: 1 fork (--include-forks), 1 archived (--include-archived)"),
        "{notes:?}"
    );
    let notices = v["notices"].as_array().unwrap();
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert_eq!(notices[0]["path"], "acme/broken");

    // Pagination and limits: 3 pages, page 2 asked twice, each wait honoured.
    let reqs = gh.requests();
    let first_run: Vec<_> = reqs.iter().take(4).collect();
    let pages: Vec<String> = first_run
        .iter()
        .map(|r| r.query("page").unwrap_or_else(|| "1".into()))
        .collect();
    assert_eq!(pages, ["1", "2", "2", "3"], "{first_run:?}");
    assert!(first_run[2].at - first_run[1].at >= Duration::from_millis(950));
    assert!(first_run[3].at - first_run[2].at >= Duration::from_millis(950));
    assert!(reqs
        .iter()
        .all(|r| r.header("authorization") == Some(&format!("Bearer {TOKEN}"))));
    // The token reached git for the HTTPS-style clone (the server demands it).
    assert!(http
        .requests()
        .iter()
        .any(|r| r.path().ends_with("/git-upload-pack") && r.method == "POST"));

    // Clones: one directory each, all inside the clone directory; the hostile
    // name made nothing outside it.
    let mut names: Vec<String> = std::fs::read_dir(&clones)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(names
        .iter()
        .all(|n| n.ends_with(".git") && !n.starts_with('.')));
    assert!(
        names.iter().any(|n| n.starts_with("acme_escape-")),
        "{names:?}"
    );
    let mut top: Vec<String> = std::fs::read_dir(work.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    top.sort();
    assert_eq!(top, ["clones", "org.html", "org.json", "org.sarif"]);

    // SARIF and HTML carry the same findings.
    let sarif = read_json(&work.path().join("org.sarif"));
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    assert!(results
        .iter()
        .any(|r| r["properties"]["link"] == f("acme/api")["link"]));
    let html = std::fs::read_to_string(work.path().join("org.html")).unwrap();
    assert!(html.contains(&format!(
        "href=\"https://github.example/acme/api/blob/{intro}/config/.env#L1\""
    )));
    assert_eq!(html.matches("<tr class=\"finding").count(), 3);
    assert!(!html.contains(&api_key) && !html.contains(&web_key));

    // The token appears nowhere: output, reports, clones (configs, logs, packs).
    let b64 = {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(format!("x-access-token:{TOKEN}"))
    };
    for r in &outputs {
        for needle in [TOKEN, b64.as_str()] {
            assert!(!r.stdout.contains(needle) && !r.stderr.contains(needle));
        }
    }
    for needle in [TOKEN, b64.as_str()] {
        let hits = files_containing(work.path(), needle.as_bytes());
        assert!(hits.is_empty(), "token on disk: {hits:?}");
    }
    let config = std::fs::read_to_string(
        clones
            .join(names.iter().find(|n| n.starts_with("acme_web-")).unwrap())
            .join("config"),
    )
    .unwrap();
    assert!(config.contains(&format!("url = {}/acme/web.git", http.base())));
    // The second and third runs fetched into the kept clones.
    assert!(
        outputs[1].stderr.contains("acme/api: fetched"),
        "{}",
        outputs[1].stderr
    );
    gh.shutdown();
    http.shutdown();
}

#[test]
fn int_github_without_the_token_the_api_refusal_is_clear() {
    let gh = fake_github(Vec::new(), "ghp_needed");
    let work = tempfile::tempdir().unwrap();
    let r = pkscan(
        work.path(),
        &["github", "--org", "acme", "--api-url", &gh.base()],
        &[],
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("GitHub answered HTTP 401 for /orgs/acme/repos: Bad credentials (the token was rejected: check that one is set)"),
        "{}",
        r.stderr
    );
    let r = pkscan(
        work.path(),
        &[
            "github",
            "--org",
            "acme",
            "--api-url",
            "http://github.example.com",
        ],
        &[("GITHUB_TOKEN", "ghp_x")],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("refusing plain http://"), "{}", r.stderr);
    gh.shutdown();
}

/// A fake GitLab API for group `acme/platform`: one project per page with
/// `X-Next-Page` only (no Link header), and one `429 Retry-After: 1`.
fn fake_gitlab(projects: Vec<Value>) -> Arc<Server> {
    Server::start(move |req, _body, server| {
        if req.header("authorization") != Some("Bearer glpat-test") {
            return Answer::json(401, json!({"message": "401 Unauthorized"}));
        }
        if req.path() != "/api/v4/groups/acme%2Fplatform/projects"
            || req.query("include_subgroups").as_deref() != Some("true")
        {
            return Answer::json(404, json!({"message": "404 Group Not Found"}));
        }
        let page: usize = req.query("page").and_then(|p| p.parse().ok()).unwrap_or(1);
        if page == 2 && server.bump("429") == 1 {
            return Answer::json(429, json!({"message": "Retry later"})).with("Retry-After", "1");
        }
        let chunk: Vec<Value> = projects.iter().skip(page - 1).take(1).cloned().collect();
        let next = if page < projects.len() {
            (page + 1).to_string()
        } else {
            String::new()
        };
        Answer::json(200, Value::Array(chunk))
            .with("X-Next-Page", next)
            .with("RateLimit-Remaining", "100")
    })
}

#[test]
fn int_gitlab_group_with_subgroups() {
    let forest = Forest::new();
    let svc = forest.repo("acme/platform/svc");
    client_key(&svc, &live_key(21));
    let tool = forest.repo("acme/platform/sub/tool");
    let intro = history_only(&tool, &live_key(22));
    let daemon = GitDaemon::start(forest.served.path());
    let project = |path: &str, fork: bool, archived: bool| {
        let mut p = json!({
            "path_with_namespace": path,
            "http_url_to_repo": daemon.url(path),
            "ssh_url_to_repo": format!("git@gitlab.example:{path}.git"),
            "web_url": format!("https://gitlab.example/{path}"),
            "archived": archived,
        });
        if fork {
            p["forked_from_project"] = json!({"id": 1});
        }
        p
    };
    let gl = fake_gitlab(vec![
        project("acme/platform/svc", false, false),
        project("acme/platform/sub/tool", false, false),
        project("acme/platform/forked", true, false),
        project("acme/platform/sub/archived", false, true),
    ]);
    let work = tempfile::tempdir().unwrap();
    let r = pkscan(
        work.path(),
        &[
            "gitlab",
            "--group",
            "acme/platform",
            "--api-url",
            &gl.base(),
            "--format",
            "json",
        ],
        &[("GITLAB_TOKEN", "glpat-test")],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v = r.json();
    assert_eq!(
        places(&v),
        vec![
            ("acme/platform/sub/tool".into(), "config/.env".into(), false),
            ("acme/platform/svc".into(), "src/app.js".into(), true),
        ]
    );
    let tool_finding = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["root"] == "acme/platform/sub/tool")
        .unwrap();
    assert_eq!(
        tool_finding["link"],
        format!("https://gitlab.example/acme/platform/sub/tool/-/blob/{intro}/config/.env#L1")
    );
    let reqs = gl.requests();
    assert_eq!(reqs.len(), 5, "4 pages, page 2 twice: {reqs:?}");
    assert!(reqs[2].at - reqs[1].at >= Duration::from_millis(950));
    assert!(
        r.stderr.contains("GitLab: asked to slow down"),
        "{}",
        r.stderr
    );
    gl.shutdown();
}

#[test]
fn int_state_rescans_only_new_commits_and_everything_after_a_force_push() {
    let forest = Forest::new();
    let u = forest.repo("acme/app");
    let first = live_key(31);
    u.write("README.md", "# app\n");
    u.write("server.py", &format!("PICTIFY_KEY = \"{first}\"\n"));
    for i in 0..20 {
        u.write(&format!("docs/page{i}.md"), &format!("page {i}\n"));
    }
    u.commit("start", "2024-01-10");
    u.write("lib/util.py", "def f():\n    return 1\n");
    let base = u.commit("util", "2024-01-11");
    let daemon = GitDaemon::start(forest.served.path());
    let url = daemon.url("acme/app");
    let work = tempfile::tempdir().unwrap();
    let run = || {
        pkscan(
            work.path(),
            &[
                "git",
                &url,
                "--state",
                "state.json",
                "--clone-dir",
                "clones",
                "--format",
                "json",
            ],
            &[],
        )
    };
    let incremental = |r: &Run| -> Vec<(String, String)> {
        let mut v: Vec<_> = r.json()["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["path"].as_str().unwrap().to_string(),
                    f["incremental"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        v.sort();
        v
    };
    let note = |r: &Run| -> String {
        r.json()["summary"]["notes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_str().unwrap().to_string())
            .collect::<Vec<_>>()
            .join("\n")
    };

    // First run: everything is new.
    let r1 = run();
    assert_eq!(r1.code, 1, "{}", r1.stderr);
    assert_eq!(incremental(&r1), [("server.py".into(), "new".into())]);
    assert!(note(&r1).contains("1 full scan"), "{}", note(&r1));
    let full_blobs = r1.json()["summary"]["files_scanned"].as_u64().unwrap();
    assert!(full_blobs >= 23, "{full_blobs}");

    // Nothing changed: nothing scanned, the earlier finding still reported.
    let r2 = run();
    assert_eq!(incremental(&r2), [("server.py".into(), "known".into())]);
    assert_eq!(r2.json()["summary"]["files_scanned"], 0);
    assert!(note(&r2).contains("1 unchanged"), "{}", note(&r2));

    // A new commit: only its blob is scanned; the new key is new.
    let second = live_key(32);
    u.write(
        "web/config.js",
        &format!("window.PICTIFY_KEY = '{second}';\n"),
    );
    u.commit("web config", "2024-02-01");
    let r3 = run();
    assert_eq!(
        incremental(&r3),
        [
            ("server.py".into(), "known".into()),
            ("web/config.js".into(), "new".into())
        ]
    );
    assert_eq!(r3.json()["summary"]["files_scanned"], 1, "{}", r3.stderr);
    let n3 = note(&r3);
    assert!(
        n3.contains("1 scanned since the last run (1 new commit)"),
        "{n3}"
    );
    assert!(
        n3.contains("objects skipped as already scanned; 1 new finding, 1 known"),
        "{n3}"
    );

    // A force-push that drops that commit and adds another: a full scan.
    git(&u.work, &["reset", "-q", "--hard", &base]);
    let third = live_key(33);
    u.write("app/main.py", &format!("PICTIFY = \"{third}\"\n"));
    u.commit_local("rewrite", "2024-02-02");
    u.push(true);
    let r4 = run();
    let n4 = note(&r4);
    assert!(n4.contains("1 full scan"), "{n4}");
    assert!(n4.contains("refs/heads/main was force-pushed"), "{n4}");
    assert_eq!(
        incremental(&r4),
        [
            ("app/main.py".into(), "new".into()),
            ("server.py".into(), "known".into())
        ]
    );
    assert!(r4.json()["summary"]["files_scanned"].as_u64().unwrap() >= full_blobs);
    // A branch deleted after it was merged hides nothing: still incremental.
    git(&u.work, &["checkout", "-q", "-b", "feature"]);
    u.write("feature.txt", "feature\n");
    u.commit("feature", "2024-02-03");
    assert!(note(&run()).contains("1 scanned since the last run"));
    git(&u.work, &["checkout", "-q", "main"]);
    git(&u.work, &["merge", "-q", "--ff-only", "feature"]);
    u.push(false);
    git(&u.work, &["push", "-q", "origin", "--delete", "feature"]);
    let n5 = note(&run());
    assert!(n5.contains("0 full scans"), "{n5}");
    // An unmerged branch deleted: its commits left history, so a full scan.
    git(&u.work, &["checkout", "-q", "-b", "spike"]);
    u.write("spike.txt", "spike\n");
    u.commit("spike", "2024-02-04");
    run();
    git(&u.work, &["checkout", "-q", "main"]);
    git(&u.work, &["push", "-q", "origin", "--delete", "spike"]);
    let n6 = note(&run());
    assert!(n6.contains("refs/heads/spike was deleted"), "{n6}");
    // The state file holds no full key.
    let state = std::fs::read_to_string(work.path().join("state.json")).unwrap();
    for k in [&first, &second, &third] {
        assert!(!state.contains(k.as_str()));
    }
    assert!(state.contains("\"schema\": \"pkscan-state/1\""));
}

#[test]
fn int_listing_splits_repositories_into_stable_shards() {
    const TOKEN: &str = "ghp_shards";
    let repos: Vec<Value> = (0..9)
        .map(|i| {
            gh_repo(
                &format!("acme/r{i}"),
                "git://127.0.0.1:1/none.git",
                false,
                false,
            )
        })
        .chain([gh_repo("acme/f", "git://127.0.0.1:1/f.git", true, false)])
        .collect();
    let gh = fake_github(repos, TOKEN);
    let work = tempfile::tempdir().unwrap();
    let env = [("GH_TOKEN", TOKEN)];
    let base = gh.base();
    let r = pkscan(
        work.path(),
        &[
            "github",
            "--org",
            "acme",
            "--api-url",
            &base,
            "--list",
            "--shards",
            "3",
            "--format",
            "json",
        ],
        &env,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = r.json();
    let repos = v["repositories"].as_array().unwrap();
    assert_eq!(repos.len(), 9, "the fork is left out");
    let sizes: Vec<u64> = v["shard_sizes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_u64().unwrap())
        .collect();
    assert_eq!(sizes.len(), 3);
    assert_eq!(sizes.iter().sum::<u64>(), 9);
    for k in 1..=3u64 {
        let expect: Vec<&str> = repos
            .iter()
            .filter(|r| r["shard"] == k)
            .map(|r| r["full_name"].as_str().unwrap())
            .collect();
        let r = pkscan(
            work.path(),
            &[
                "github",
                "--org",
                "acme",
                "--api-url",
                &base,
                "--list",
                "--shard",
                &format!("{k}/3"),
            ],
            &env,
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        let got: Vec<&str> = r
            .stdout
            .lines()
            .map(|l| l.split('\t').nth(1).unwrap())
            .collect();
        assert_eq!(got, expect, "shard {k}");
        assert_eq!(expect.len() as u64, sizes[k as usize - 1]);
    }
    gh.shutdown();
}

#[test]
fn int_credentials_in_a_url_reach_git_but_never_disk_or_output() {
    const TOKEN: &str = "ghp_urlMarker5Kd8Qw2Zx7Lp3Vn6";
    let forest = Forest::new();
    let web = forest.repo("acme/web");
    client_key(&web, &live_key(51));
    let http = token_git_server(forest.served.path(), TOKEN);
    let work = tempfile::tempdir().unwrap();
    let url = format!("http://x-access-token:{TOKEN}@{}/acme/web.git", http.addr);
    let r = pkscan(
        work.path(),
        &[
            "git",
            &url,
            "--clone-dir",
            "clones",
            "--format",
            "json",
            "-o",
            "r.json",
        ],
        &[],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v = read_json(&work.path().join("r.json"));
    let clean = format!("http://{}/acme/web.git", http.addr);
    assert_eq!(v["roots"], json!([clean]));
    assert_eq!(v["findings"][0]["root"], clean.as_str());
    assert!(!r.stdout.contains(TOKEN) && !r.stderr.contains(TOKEN));
    let hits = files_containing(work.path(), TOKEN.as_bytes());
    assert!(hits.is_empty(), "token on disk: {hits:?}");
    // A wrong password fails the clone with a redacted message, and the run goes on.
    let bad = format!(
        "http://x-access-token:wrong-{TOKEN}@{}/acme/web.git",
        http.addr
    );
    let r = pkscan(work.path(), &["git", &bad, "--format", "json"], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        !r.stdout.contains("wrong-") && !r.stderr.contains("wrong-"),
        "{}",
        r.stderr
    );
    assert!(r.json()["notices"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("git clone failed"));
    http.shutdown();
}
