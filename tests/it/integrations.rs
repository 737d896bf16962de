//! Integrations: `.pkscan.toml`, baselines, `init`, `install-hook`, `merge`,
//! multi-root reports, the real pre-commit framework, and the GitHub Action's scan
//! step run with a fake GitHub environment.
use crate::util::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs git in `dir` with a fixed identity and no user or system configuration.
fn git(dir: &Path, args: &[&str]) -> std::process::Output {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Test Author")
        .env("GIT_AUTHOR_EMAIL", "author@example.com")
        .env("GIT_COMMITTER_NAME", "Test Author")
        .env("GIT_COMMITTER_EMAIL", "author@example.com")
        .output()
        .expect("run git");
    out
}

fn git_ok(dir: &Path, args: &[&str]) -> String {
    let out = git(dir, args);
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn init_repo(p: &Project) {
    git_ok(p.path(), &["init", "-q", "-b", "main"]);
}

fn fingerprints(r: &Run) -> Vec<String> {
    r.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["fingerprint"].as_str().unwrap().to_string())
        .collect()
}

fn paths(r: &Run) -> Vec<String> {
    r.findings().into_iter().map(|f| f.0).collect()
}

fn fingerprint_of(p: &Project, file: &str) -> String {
    let r = p.run(&["scan", "--no-config", "--format", "json", file]);
    let fps = fingerprints(&r);
    assert_eq!(fps.len(), 1, "{}", r.stdout);
    fps[0].clone()
}

// ---------------------------------------------------------------- config

#[test]
fn config_applies_excludes_allowlist_min_severity_and_contexts() {
    let p = Project::new();
    p.write(
        "vendor/lib.js",
        format!("const pictify = '{}'\n", live_key(11)),
    );
    p.write(
        "src/allowed.js",
        format!("const pictify = '{}'\n", live_key(12)),
    );
    p.write(
        "src/app.js",
        format!("const pictify = '{}'\n", live_key(13)),
    );
    p.write(
        "tests/fixture_test.py",
        format!("PICTIFY = '{}'\n", test_key(14)),
    );
    let allowed = fingerprint_of(&p, "src/allowed.js");
    p.write(
        ".pkscan.toml",
        format!(
            "exclude = [\"vendor/**\"]\nmin-severity = \"medium\"\ncontexts = [\"client-js\", \"server\", \"config\"]\n\n[[allow]]\nfingerprint = \"{allowed}\"\nreason = \"revoked sandbox key kept as a fixture\"\n"
        ),
    );
    let all = p.run(&["scan", "--no-config", "--format", "json", "."]);
    assert_eq!(all.findings().len(), 4, "{}", all.stdout);

    let r = p.run(&["scan", "."]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("src/app.js"), "{}", r.stdout);
    for hidden in ["vendor/lib.js", "src/allowed.js", "fixture_test.py"] {
        assert!(!r.stdout.contains(hidden), "{hidden} shown:\n{}", r.stdout);
    }
    assert!(
        r.stdout
            .contains("1 finding allow-listed in ./.pkscan.toml"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("(2 suppressed)"), "{}", r.stdout);

    // The command line overrides the config's threshold and contexts.
    let r = p.run(&[
        "scan",
        "--format",
        "json",
        "--min-severity",
        "note",
        "--context",
        "test",
        ".",
    ]);
    assert_eq!(paths(&r), vec!["tests/fixture_test.py".to_string()]);
}

#[test]
fn config_providers_filter_and_request_other_providers() {
    let p = Project::new();
    let stripe = format!("pk_live_51{}", fake_body(9, 97));
    p.write(
        "web/checkout.js",
        format!(
            "const stripe = Stripe('{stripe}')\nconst pictify = new Pictify('{}')\n",
            live_key(15)
        ),
    );
    let providers = |r: &Run| -> Vec<String> {
        r.json()["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["provider"].as_str().unwrap().to_string())
            .collect()
    };
    let r = p.run(&["scan", "--format", "json", "."]);
    assert_eq!(providers(&r), vec!["Pictify".to_string()]);
    p.write(".pkscan.toml", "providers = [\"stripe\"]\n");
    let r = p.run(&["scan", "--format", "json", "."]);
    assert_eq!(providers(&r), vec!["Stripe".to_string()], "{}", r.stdout);
    assert_eq!(r.json()["findings"][0]["attribution"], "other-provider");
}

#[test]
fn config_rules_are_relative_to_the_config_file() {
    let p = Project::new();
    p.write(
        "conf/extra/internal.toml",
        r#"[[rule]]
id = "acme.internal-token"
name = "Acme internal token"
description = "An internal token"
kind = "token"
keywords = ["acme_tok_"]
pattern = '(acme_tok_[A-Za-z0-9]{16})'
severity = "high"
"#,
    );
    p.write("conf/pkscan.toml", "rules = [\"extra/internal.toml\"]\n");
    p.write(
        "src/a.py",
        format!("TOKEN = 'acme_tok_{}'\n", fake_body(5, 16)),
    );
    let r = p.run(&[
        "scan",
        "--config",
        "conf/pkscan.toml",
        "--format",
        "json",
        "src",
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let rules: Vec<String> = r.findings().into_iter().map(|f| f.4).collect();
    assert_eq!(rules, vec!["acme.internal-token".to_string()]);
}

#[test]
fn malformed_config_is_an_error_with_its_line_number() {
    let p = Project::new();
    p.write("a.js", "x\n");
    p.write(
        ".pkscan.toml",
        "exclude = [\"vendor/**\"]\nmin-severity = \"high\"\ncontexts = [\"client-js\" \"mobile\"]\nproviders = []\n",
    );
    let r = p.run(&["scan", "."]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains(".pkscan.toml:3:"), "{}", r.stderr);

    p.write(".pkscan.toml", "min-severity = \"severe\"\n");
    let r = p.run(&["scan", "."]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains(".pkscan.toml:1:"), "{}", r.stderr);
    assert!(r.stderr.contains("severe"), "{}", r.stderr);
}

#[test]
fn unknown_config_key_is_an_error_with_its_line_number() {
    let p = Project::new();
    p.write("a.js", "x\n");
    p.write(
        ".pkscan.toml",
        "exclude = []\n\n[[allow]]\nfingerprint = \"0123456789abcdef0123456789abcdef\"\nreason = \"fixture\"\nexpires = \"never\"\n",
    );
    let r = p.run(&["scan", "."]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains(".pkscan.toml:6:1:"), "{}", r.stderr);
    assert!(r.stderr.contains("unknown field `expires`"), "{}", r.stderr);
}

#[test]
fn api_base_is_never_read_from_the_config() {
    for key in ["api-base", "api_base"] {
        let p = Project::new();
        p.write("a.js", "x\n");
        p.write(
            ".pkscan.toml",
            format!("min-severity = \"low\"\n{key} = \"http://127.0.0.1:9/collect\"\n"),
        );
        let r = p.run(&["scan", "."]);
        assert_eq!(r.code, 2, "{key}: {}", r.stderr);
        assert!(
            r.stderr
                .contains(&format!(".pkscan.toml:2:1: unknown field `{key}`")),
            "{}",
            r.stderr
        );
        assert!(r.stderr.contains("PKSCAN_API_BASE"), "{}", r.stderr);
    }
}

#[test]
fn allowlist_entries_need_a_reason_and_a_real_fingerprint() {
    let p = Project::new();
    p.write("a.js", "x\n");
    p.write(
        ".pkscan.toml",
        "[[allow]]\nfingerprint = \"0123456789abcdef0123456789abcdef\"\n",
    );
    let r = p.run(&["scan", "."]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("missing field `reason`"), "{}", r.stderr);
    assert!(r.stderr.contains(".pkscan.toml:1:"), "{}", r.stderr);

    p.write(
        ".pkscan.toml",
        "[[allow]]\nfingerprint = \"0123456789abcdef0123456789abcdef\"\nreason = \"  \"\n",
    );
    let r = p.run(&["scan", "."]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains(".pkscan.toml:3:10:"), "{}", r.stderr);
    assert!(r.stderr.contains("reason must say why"), "{}", r.stderr);

    p.write(
        ".pkscan.toml",
        "\n[[allow]]\nfingerprint = \"pk_live_notafingerprint\"\nreason = \"x\"\n",
    );
    let r = p.run(&["scan", "."]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains(".pkscan.toml:3:"), "{}", r.stderr);
    assert!(
        r.stderr.contains("not a pkscan fingerprint"),
        "{}",
        r.stderr
    );
}

#[test]
fn config_flag_overrides_and_no_config_ignores() {
    let p = Project::new();
    p.write(
        "src/app.js",
        format!("const pictify = '{}'\n", live_key(21)),
    );
    p.write(".pkscan.toml", "exclude = [\"src/**\"]\n");
    p.write("other.toml", "min-severity = \"note\"\n");
    assert_eq!(p.run(&["scan", "."]).code, 0);
    assert_eq!(p.run(&["scan", "--config", "other.toml", "."]).code, 1);
    assert_eq!(p.run(&["scan", "--no-config", "."]).code, 1);
    let r = p.run(&["scan", "--config", "missing.toml", "."]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("missing.toml"), "{}", r.stderr);
}

#[test]
fn init_writes_a_commented_starter_and_refuses_to_overwrite() {
    let p = Project::new();
    let r = p.run(&["init"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = std::fs::read_to_string(p.path().join(".pkscan.toml")).unwrap();
    assert!(text.lines().all(|l| l.is_empty() || l.starts_with('#')));
    for key in [
        "rules",
        "exclude",
        "min-severity",
        "contexts",
        "providers",
        "baseline",
        "[[allow]]",
    ] {
        assert!(text.contains(&format!("# {key}")), "starter lacks {key}");
    }
    // Every commented setting is valid once uncommented.
    let uncommented: String = text
        .lines()
        .filter(|l| l.starts_with("# ") && (l.contains(" = ") || l.starts_with("# [[")))
        .map(|l| format!("{}\n", &l[2..]))
        .collect();
    p.write(".pkscan-uncommented.toml", &uncommented);
    p.write(
        ".pkscan-baseline.json",
        "{\"schema\": \"pkscan-baseline/1\", \"entries\": []}\n",
    );
    std::fs::create_dir_all(p.path().join("pkscan-rules")).unwrap();
    let r = p.run(&["scan", "--config", ".pkscan-uncommented.toml", "."]);
    assert_eq!(r.code, 0, "{uncommented}\n{}", r.stderr);

    p.write(".pkscan.toml", "# mine\n");
    let r = p.run(&["init"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("already exists"), "{}", r.stderr);
    assert_eq!(
        std::fs::read_to_string(p.path().join(".pkscan.toml")).unwrap(),
        "# mine\n"
    );
    assert_eq!(p.run(&["init", "--force"]).code, 0);
    assert_eq!(
        std::fs::read_to_string(p.path().join(".pkscan.toml")).unwrap(),
        text
    );
}

// ---------------------------------------------------------------- baseline

#[test]
fn baseline_suppresses_known_findings_and_reports_stale_entries() {
    let p = Project::new();
    let k1 = live_key(31);
    let k2 = live_key(32);
    p.write("src/a.js", format!("const pictify = '{k1}'\n"));
    p.write("config/.env", format!("PICTIFY_API_KEY={k2}\n"));
    let r = p.run(&[
        "scan",
        "--write-baseline",
        "baseline.json",
        "--exclude",
        "baseline.json",
        ".",
    ]);
    assert_eq!(
        r.code, 0,
        "writing a baseline accepts the findings: {}",
        r.stderr
    );
    assert!(
        r.stdout
            .contains("wrote baseline baseline.json with 2 entries"),
        "{}",
        r.stdout
    );
    let text = std::fs::read_to_string(p.path().join("baseline.json")).unwrap();
    assert!(!text.contains(&k1) && !text.contains(&k2));
    assert!(
        !text.contains(&k1[..12]),
        "no part of a key beyond the prefix"
    );
    let b: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(b["schema"], "pkscan-baseline/1");
    let entries = b["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    let keys: BTreeSet<&str> = entries[0]
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    assert_eq!(
        keys,
        BTreeSet::from(["attribution", "fingerprint", "paths", "reason", "rule_id"]),
        "no line numbers or timestamps"
    );
    assert_eq!(entries[0]["paths"][0], "config/.env", "sorted by path");
    assert_eq!(entries[1]["paths"][0], "src/a.js");

    // Deterministic: same findings, same bytes, even after edits that move lines.
    p.write("src/a.js", format!("// moved\n\nconst pictify = '{k1}'\n"));
    p.run(&[
        "scan",
        "--write-baseline",
        "baseline.json",
        "--exclude",
        "baseline.json",
        ".",
    ]);
    assert_eq!(
        std::fs::read_to_string(p.path().join("baseline.json")).unwrap(),
        text
    );

    // Re-run: everything known, nothing reported.
    let r = p.run(&[
        "scan",
        "--baseline",
        "baseline.json",
        "--exclude",
        "baseline.json",
        ".",
    ]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(
        r.stdout
            .contains("2 known findings suppressed by baseline baseline.json"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("no findings (2 suppressed)"),
        "{}",
        r.stdout
    );

    // A new key is reported; a removed one leaves a stale entry.
    let k3 = live_key(33);
    p.write("src/b.js", format!("const pictify = '{k3}'\n"));
    std::fs::remove_file(p.path().join("config/.env")).unwrap();
    let r = p.run(&[
        "scan",
        "--baseline",
        "baseline.json",
        "--exclude",
        "baseline.json",
        "--format",
        "json",
        ".",
    ]);
    assert_eq!(r.code, 1);
    assert_eq!(paths(&r), vec!["src/b.js".to_string()]);
    assert_eq!(r.json()["summary"]["suppressed"], 1);
    let stale_fp = entries[0]["fingerprint"].as_str().unwrap();
    let notes = r.json()["summary"]["notes"].clone();
    assert_eq!(
        notes[2],
        format!("stale: {stale_fp} pictify.api-key config/.env"),
        "{notes}"
    );
    assert!(
        r.stderr.contains("1 known finding suppressed by baseline"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("1 stale baseline entry no longer matches any finding"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains(&format!("stale: {stale_fp} pictify.api-key config/.env")),
        "{}",
        r.stderr
    );
}

#[test]
fn rewriting_a_baseline_keeps_human_reasons() {
    let p = Project::new();
    p.write("src/a.js", format!("const pictify = '{}'\n", live_key(41)));
    p.write(
        ".pkscan.toml",
        "baseline = \".pkscan-baseline.json\"\nexclude = [\".pkscan-baseline.json\"]\n",
    );
    // The configured baseline may not exist yet when it is being written.
    let r = p.run(&["scan", "--write-baseline", ".pkscan-baseline.json", "."]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let path = p.path().join(".pkscan-baseline.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = text.replace(
        "known when the baseline was written; review and rotate",
        "rotated 2026-01, JIRA-123",
    );
    assert_ne!(edited, text);
    std::fs::write(&path, &edited).unwrap();
    p.write("src/b.js", format!("const pictify = '{}'\n", live_key(42)));
    // The config names the baseline: applied without --baseline.
    let r = p.run(&["scan", "--format", "json", "."]);
    assert_eq!(paths(&r), vec!["src/b.js".to_string()]);
    let r = p.run(&["scan", "--write-baseline", ".pkscan-baseline.json", "."]);
    assert_eq!(r.code, 0);
    let b: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let reasons: BTreeMap<String, String> = b["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["paths"][0].as_str().unwrap().into(),
                e["reason"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(reasons["src/a.js"], "rotated 2026-01, JIRA-123");
    assert_eq!(
        reasons["src/b.js"],
        "known when the baseline was written; review and rotate"
    );
}

#[test]
fn broken_or_missing_baseline_is_an_error() {
    let p = Project::new();
    p.write("a.js", "x\n");
    let r = p.run(&["scan", "--baseline", "nope.json", "."]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("nope.json does not exist"),
        "{}",
        r.stderr
    );
    p.write("bad.json", "{\"schema\": \"other\", \"entries\": []}");
    let r = p.run(&["scan", "--baseline", "bad.json", "."]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("invalid baseline bad.json"),
        "{}",
        r.stderr
    );
}

#[test]
fn git_mode_uses_repository_config_and_baseline() {
    let p = Project::new();
    init_repo(&p);
    p.write("src/a.js", format!("const pictify = '{}'\n", live_key(51)));
    git_ok(p.path(), &["add", "."]);
    git_ok(p.path(), &["commit", "-qm", "one"]);
    let r = p.run(&["git", "--write-baseline", "bl.json", "."]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    p.write(".pkscan.toml", "baseline = \"bl.json\"\n");
    p.write("src/b.js", format!("const pictify = '{}'\n", live_key(52)));
    git_ok(p.path(), &["add", "."]);
    git_ok(p.path(), &["commit", "-qm", "two"]);
    let r = p.run(&["git", "--format", "json", "."]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(paths(&r), vec!["src/b.js".to_string()]);
    assert_eq!(r.json()["findings"][0]["root"], ".");
    assert!(
        r.stderr.contains("1 known finding suppressed by baseline"),
        "{}",
        r.stderr
    );

    // Staged changes and ranges see only part of the history: a baseline entry
    // that matched nothing there is not called stale.
    p.write("src/c.js", format!("const pictify = '{}'\n", live_key(53)));
    git_ok(p.path(), &["add", "src/c.js"]);
    let r = p.run(&["git", "--staged", "."]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.contains("src/c.js"), "{}", r.stdout);
    assert!(!r.stdout.contains("stale"), "{}", r.stdout);
    git_ok(p.path(), &["commit", "-qm", "three"]);
    let r = p.run(&["git", "--range", "HEAD~1..HEAD", "."]);
    assert_eq!(r.code, 1);
    assert!(!r.stdout.contains("stale"), "{}", r.stdout);
    // A full-history scan does judge them.
    let bl = std::fs::read_to_string(p.path().join("bl.json")).unwrap();
    p.write(
        "bl.json",
        bl.replacen("\"fingerprint\": \"", "\"fingerprint\": \"0", 1),
    );
    let r = p.run(&["git", "."]);
    assert!(r.stdout.contains("1 stale baseline entry"), "{}", r.stdout);
}

// ---------------------------------------------------------------- multi-root and merge

#[test]
fn multi_root_scan_reports_each_finding_root() {
    // Absolute roots: findings are root-relative and carry the root as given.
    let p = Project::new();
    p.write(
        "one/src/app.js",
        format!("const pictify = '{}'\n", live_key(61)),
    );
    p.write(
        "two/src/app.js",
        format!("const pictify = '{}'\n", live_key(62)),
    );
    let one = p.path().join("one").display().to_string();
    let two = p.path().join("two").display().to_string();
    let roots_and_paths = |r: &Run| -> Vec<(String, String)> {
        r.json()["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["root"].as_str().unwrap().into(),
                    f["path"].as_str().unwrap().into(),
                )
            })
            .collect()
    };
    let r = p.run(&["scan", "--format", "json", &two, &one]);
    let expected = vec![
        (one.clone(), "src/app.js".to_string()),
        (two.clone(), "src/app.js".to_string()),
    ];
    assert_eq!(roots_and_paths(&r), expected);
    // `pkscan git` takes several repositories the same way.
    for repo in ["one", "two"] {
        git_ok(&p.path().join(repo), &["init", "-q"]);
        git_ok(&p.path().join(repo), &["add", "."]);
        git_ok(&p.path().join(repo), &["commit", "-qm", "x"]);
    }
    let r = p.run(&["git", "--format", "json", &two, &one]);
    assert_eq!(r.json()["roots"], serde_json::json!([two, one]));
    assert_eq!(roots_and_paths(&r), expected);

    let text = p.run(&["scan", &one, &two]).stdout;
    let at_one = text.find(&format!("== {one} ==")).expect(&text);
    let at_two = text.find(&format!("== {two} ==")).expect(&text);
    assert!(at_one < at_two);
    assert_eq!(text.matches("src/app.js").count(), 2, "{text}");
    // One root: no root headings.
    assert!(!p.run(&["scan", &one]).stdout.contains("=="));
}

#[test]
fn merge_combines_reports_dedupes_and_sorts() {
    let p = Project::new();
    let shared = live_key(71);
    p.write("repo-b/src/app.js", format!("const pictify = '{shared}'\n"));
    p.write("repo-a/.env", format!("PICTIFY_API_KEY={}\n", live_key(72)));
    p.write("repo-a/src/app.js", format!("const pictify = '{shared}'\n"));
    let a = p.path().join("repo-a").display().to_string();
    let b = p.path().join("repo-b").display().to_string();
    p.run(&["scan", "--format", "json", "-o", "b.json", &b]);
    p.run(&["scan", "--format", "json", "-o", "a.json", &a]);
    // A second run over the same root: its findings must not be doubled.
    p.run(&["scan", "--format", "json", "-o", "a2.json", &a]);

    let r = p.run(&["merge", "b.json", "a.json", "a2.json", "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v = r.json();
    assert_eq!(v["schema"], "pkscan-report/1");
    assert_eq!(v["roots"], serde_json::json!([a, b]));
    let got: Vec<(String, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["root"].as_str().unwrap().into(),
                f["path"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (a.clone(), ".env".into()),
            (a.clone(), "src/app.js".into()),
            (b.clone(), "src/app.js".into()),
        ]
    );
    assert_eq!(v["summary"]["findings"], 3);
    assert_eq!(v["summary"]["files_scanned"], 5);
    // Keys stay redacted, as they were in the inputs.
    assert_eq!(
        v["findings"][0]["key"],
        p.run(&["scan", "--format", "json", &a]).json()["findings"][0]["key"]
    );
    assert!(!r.stdout.contains(&shared));

    // Order of inputs does not matter.
    let again = p.run(&["merge", "a2.json", "a.json", "b.json", "--format", "json"]);
    assert_eq!(again.json()["findings"], v["findings"]);

    let text = p.run(&["merge", "a.json", "b.json"]).stdout;
    assert!(
        text.find(&format!("== {a} ==")).unwrap() < text.find(&format!("== {b} ==")).unwrap(),
        "{text}"
    );
    let sarif = p
        .run(&["merge", "a.json", "b.json", "--format", "sarif"])
        .json();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    assert_eq!(results[2]["properties"]["root"], b.as_str());
    assert_eq!(
        results[0]["properties"]["redactedKey"],
        v["findings"][0]["key"]
    );

    // Merged reports go through the same filters.
    let r = p.run(&[
        "merge",
        "a.json",
        "b.json",
        "--min-severity",
        "critical",
        "--format",
        "json",
    ]);
    let below = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] != "critical")
        .count();
    assert!(below > 0, "fixture needs a non-critical finding");
    assert_eq!(r.json()["summary"]["suppressed"], below);
    assert_eq!(r.json()["summary"]["findings"], 3 - below);

    p.write("not-a-report.json", "{\"runs\": []}");
    let r = p.run(&["merge", "a.json", "not-a-report.json"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("not-a-report.json is not a pkscan JSON report"),
        "{}",
        r.stderr
    );
}

// ---------------------------------------------------------------- install-hook

fn hooks_dir(p: &Project) -> PathBuf {
    p.path().join(".git/hooks")
}

fn commit(p: &Project, msg: &str) -> std::process::Output {
    git(p.path(), &["commit", "-m", msg])
}

#[test]
fn install_hook_blocks_staged_keys_and_allows_clean_commits() {
    let p = Project::new();
    init_repo(&p);
    let r = p.run(&["install-hook"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let hook = hooks_dir(&p).join("pre-commit");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&hook).unwrap().permissions().mode() & 0o111,
            0o111
        );
    }
    p.write("README.md", "hello\n");
    git_ok(p.path(), &["add", "."]);
    assert!(commit(&p, "clean").status.success());

    let key = live_key(81);
    p.write(
        "web/app.js",
        format!("const pictify = new Pictify('{key}')\n"),
    );
    git_ok(p.path(), &["add", "."]);
    let out = commit(&p, "leak");
    assert!(
        !out.status.success(),
        "commit with a staged key must be blocked"
    );
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(all.contains("web/app.js"), "{all}");
    assert!(
        all.contains(&format!("{}…", &key[..10])),
        "redacted key shown: {all}"
    );
    assert!(!all.contains(&key), "full key printed: {all}");
    assert!(all.contains("git commit --no-verify"), "{all}");
    assert!(all.contains("pkscan:allow"), "{all}");
    assert_eq!(git_ok(p.path(), &["rev-list", "--count", "HEAD"]), "1");

    // Re-running updates our own hook without --force.
    let r = p.run(&["install-hook"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("updated"), "{}", r.stderr);
}

#[test]
fn install_hook_refuses_foreign_hook_and_chains_with_force() {
    let p = Project::new();
    init_repo(&p);
    let hook = hooks_dir(&p).join("pre-commit");
    std::fs::create_dir_all(hooks_dir(&p)).unwrap();
    let foreign = "#!/bin/sh\necho ran >> \"$(git rev-parse --git-dir)/foreign-ran\"\nexit 0\n";
    std::fs::write(&hook, foreign).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let r = p.run(&["install-hook"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("not written by pkscan"), "{}", r.stderr);
    assert!(r.stderr.contains("--force"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&hook).unwrap(), foreign);

    let r = p.run(&["install-hook", "--force"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        std::fs::read_to_string(hooks_dir(&p).join("pre-commit.pkscan-previous")).unwrap(),
        foreign
    );
    p.write("README.md", "hello\n");
    git_ok(p.path(), &["add", "."]);
    assert!(commit(&p, "clean").status.success());
    assert!(
        p.path().join(".git/foreign-ran").exists(),
        "previous hook ran"
    );
    p.write(
        "src/app.js",
        format!("const pictify = '{}'\n", live_key(82)),
    );
    git_ok(p.path(), &["add", "."]);
    assert!(!commit(&p, "leak").status.success());
    assert_eq!(
        std::fs::read_to_string(p.path().join(".git/foreign-ran")).unwrap(),
        "ran\nran\n"
    );
    // Installing again keeps the chain.
    assert_eq!(p.run(&["install-hook"]).code, 0);
    assert!(hooks_dir(&p).join("pre-commit.pkscan-previous").exists());
}

#[test]
fn install_hook_respects_core_hooks_path() {
    let p = Project::new();
    init_repo(&p);
    git_ok(p.path(), &["config", "core.hooksPath", "tools/hooks"]);
    let r = p.run(&["install-hook"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(p.path().join("tools/hooks/pre-commit").exists());
    assert!(!hooks_dir(&p).join("pre-commit").exists());
    let outside = tempfile::tempdir().unwrap();
    let r = run_in(outside.path(), &["install-hook"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("not in a git repository"), "{}", r.stderr);
}

// ---------------------------------------------------------------- pre-commit framework

fn python3() -> Option<PathBuf> {
    let ok = Command::new("python3")
        .args(["-c", "import venv, ensurepip"])
        .output()
        .is_ok_and(|o| o.status.success());
    ok.then(|| PathBuf::from("python3"))
}

/// A virtual environment with the real `pre-commit` from PyPI, kept in cargo's
/// target tmp dir so later runs reuse it. `None` only when Python/venv is missing.
fn pre_commit_venv() -> Option<PathBuf> {
    let python = python3()?;
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let venv = tmp.join("pre-commit-venv");
    let exe = venv.join("bin/pre-commit");
    // Test runs of several checkouts may share the target dir: a lock directory
    // makes one of them build the venv while the others wait for it.
    let lock = tmp.join("pre-commit-venv.lock");
    while std::fs::create_dir(&lock).is_err() {
        // A lock older than building a venv takes was left by a killed run.
        let stale = std::fs::metadata(&lock)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age.as_secs() > 300);
        if stale {
            let _ = std::fs::remove_dir(&lock);
        } else {
            std::thread::sleep(std::time::Duration::from_secs(1));
        }
    }
    struct Unlock(PathBuf);
    impl Drop for Unlock {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir(&self.0);
        }
    }
    let _unlock = Unlock(lock);
    if exe.exists() {
        return Some(exe);
    }
    let _ = std::fs::remove_dir_all(&venv);
    let out = Command::new(&python)
        .args(["-m", "venv"])
        .arg(&venv)
        .output()
        .expect("python3 -m venv");
    if !out.status.success() {
        eprintln!(
            "SKIPPED pre-commit test: python3 -m venv failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        return None;
    }
    let out = Command::new(venv.join("bin/python"))
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "pre-commit",
        ])
        .output()
        .expect("pip install pre-commit");
    assert!(
        out.status.success(),
        "pip install pre-commit failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(exe)
}

/// The repository pre-commit should clone: this checkout at HEAD when HEAD has the
/// current `.pre-commit-hooks.yaml` (always so in CI's clean clone); otherwise a
/// snapshot repository holding the working tree's file (said on stderr).
fn hooks_repo(scratch: &Path) -> (PathBuf, String) {
    let checkout = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let current = std::fs::read(checkout.join(".pre-commit-hooks.yaml")).unwrap();
    let at_head = git(&checkout, &["show", "HEAD:.pre-commit-hooks.yaml"]);
    if at_head.status.success() && at_head.stdout == current {
        let sha = git_ok(&checkout, &["rev-parse", "HEAD"]);
        return (checkout, sha);
    }
    eprintln!(
        "note: .pre-commit-hooks.yaml at HEAD differs from the working tree; \
         testing a snapshot repository of the working-tree file"
    );
    let snap = scratch.join("hooks-snapshot");
    std::fs::create_dir_all(&snap).unwrap();
    std::fs::write(snap.join(".pre-commit-hooks.yaml"), current).unwrap();
    git_ok(&snap, &["init", "-q"]);
    git_ok(&snap, &["add", "."]);
    git_ok(&snap, &["commit", "-qm", "hooks"]);
    let sha = git_ok(&snap, &["rev-parse", "HEAD"]);
    (snap, sha)
}

/// The real pre-commit framework with the `pkscan-system` hook from this
/// repository's `.pre-commit-hooks.yaml` and the freshly built binary on PATH.
/// (The `pkscan` hook, `language: rust`, runs the same entry after pre-commit has
/// built pkscan with `cargo install`, which takes minutes: too slow for cargo test.)
#[test]
fn pre_commit_framework_blocks_staged_key_and_allows_clean_commit() {
    pre_commit_framework("pkscan-system");
}

/// The `pkscan` hook (`language: rust`): pre-commit builds pkscan from this
/// checkout with `cargo install` (several minutes in release mode), so it is not
/// part of the default run: `cargo test --test it -- --ignored language_rust`.
#[test]
#[ignore = "builds pkscan in release mode through pre-commit: minutes"]
fn pre_commit_framework_language_rust_hook() {
    pre_commit_framework("pkscan");
}

fn pre_commit_framework(hook_id: &str) {
    let Some(pre_commit) = pre_commit_venv() else {
        eprintln!(
            "SKIPPED pre_commit_framework test: python3 with venv/ensurepip is not available"
        );
        return;
    };
    let scratch = tempfile::tempdir().unwrap();
    let (repo_url, rev) = hooks_repo(scratch.path());
    let p = Project::new();
    init_repo(&p);
    p.write(
        ".pre-commit-config.yaml",
        format!(
            "repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: {hook_id}\n",
            repo_url.display()
        ),
    );
    // The system hook finds the freshly built binary on PATH; the rust hook must
    // use the one pre-commit built, so the build directory is left off PATH.
    let bin_dir = if hook_id == "pkscan-system" {
        format!("{}:", bin().parent().unwrap().display())
    } else {
        String::new()
    };
    let path = format!(
        "{bin_dir}{}:{}",
        pre_commit.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let home = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("pre-commit-home");
    let run = |args: &[&str]| {
        let out = Command::new(args[0])
            .args(&args[1..])
            .current_dir(p.path())
            .env("PATH", &path)
            .env("PRE_COMMIT_HOME", &home)
            .env("NO_COLOR", "1")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_AUTHOR_NAME", "Test Author")
            .env("GIT_AUTHOR_EMAIL", "author@example.com")
            .env("GIT_COMMITTER_NAME", "Test Author")
            .env("GIT_COMMITTER_EMAIL", "author@example.com")
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.success(), text)
    };
    let pc = pre_commit.to_str().unwrap();
    let (ok, text) = run(&[pc, "install"]);
    assert!(ok, "{text}");

    p.write("README.md", "# demo\n");
    let (ok, text) = run(&["git", "add", "."]);
    assert!(ok, "{text}");
    let (ok, text) = run(&["git", "commit", "-m", "clean"]);
    assert!(ok, "clean commit must pass: {text}");
    assert!(text.contains("pkscan"), "hook ran: {text}");

    let key = live_key(91);
    p.write(
        "app/src/main.jsx",
        format!("const client = new Pictify('{key}')\n"),
    );
    run(&["git", "add", "."]);
    let (ok, text) = run(&["git", "commit", "-m", "leak"]);
    assert!(!ok, "commit with a staged key must be blocked: {text}");
    assert!(text.contains("Failed"), "{text}");
    assert!(text.contains("app/src/main.jsx"), "{text}");
    assert!(text.contains(&format!("{}…", &key[..10])), "{text}");
    assert!(!text.contains(&key), "full key printed: {text}");
    assert!(text.contains("git commit --no-verify"), "{text}");
    let (_, count) = run(&["git", "rev-list", "--count", "HEAD"]);
    assert_eq!(count.trim(), "1");

    // The per-line escape hatch.
    p.write(
        "app/src/main.jsx",
        format!("const client = new Pictify('{key}') // pkscan:allow revoked demo key\n"),
    );
    run(&["git", "add", "."]);
    let (ok, text) = run(&["git", "commit", "-m", "allowed"]);
    assert!(ok, "{text}");
}

// ---------------------------------------------------------------- GitHub Action

/// The `inputs:` names of action.yml and the scan step's `env:` entries, read
/// with a minimal line parser (the file is plain block YAML).
fn action_yml() -> (Vec<String>, BTreeMap<String, String>, String) {
    let text =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("action.yml"))
            .unwrap();
    let mut inputs = Vec::new();
    let mut env = BTreeMap::new();
    let mut section = "";
    let mut in_scan_env = false;
    let mut in_scan_step = false;
    for line in text.lines() {
        if line.trim_start().starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        if indent == 0 {
            section = line.trim_end_matches(':').split(':').next().unwrap();
            continue;
        }
        if section == "inputs" && indent == 2 {
            inputs.push(line.trim().trim_end_matches(':').to_string());
        }
        if section == "runs" {
            if line.trim_start().starts_with("- ") {
                in_scan_step = false;
                in_scan_env = false;
            }
            if line.trim() == "id: scan" {
                in_scan_step = true;
            }
            if line.trim() == "env:" && in_scan_step {
                in_scan_env = true;
                continue;
            }
            if in_scan_env && indent == 8 {
                let (k, v) = line.trim().split_once(": ").unwrap();
                env.insert(k.to_string(), v.to_string());
            } else if indent <= 6 {
                in_scan_env = false;
            }
        }
    }
    assert!(in_scan_step || !env.is_empty(), "scan step not found");
    (inputs, env, text)
}

#[test]
fn action_yml_inputs_match_what_the_scan_script_reads() {
    let (inputs, env, text) = action_yml();
    let script = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scripts/action-scan.py"),
    )
    .unwrap();
    let read: BTreeSet<String> = regex::Regex::new(r#"inp\("(INPUT_[A-Z_]+)""#)
        .unwrap()
        .captures_iter(&script)
        .map(|c| c[1].to_string())
        .collect();
    let passed: BTreeSet<String> = env.keys().cloned().collect();
    assert_eq!(
        read, passed,
        "script reads exactly the variables the step sets"
    );
    for (var, value) in &env {
        let input = value
            .strip_prefix("${{ inputs.")
            .and_then(|v| v.strip_suffix(" }}"))
            .unwrap_or_else(|| panic!("{var} is not an input: {value}"));
        assert!(inputs.contains(&input.to_string()), "{input} not declared");
        assert_eq!(
            *var,
            format!("INPUT_{}", input.to_uppercase().replace('-', "_"))
        );
    }
    for input in &inputs {
        let used = env
            .values()
            .any(|v| v == &format!("${{{{ inputs.{input} }}}}"))
            || text.matches(&format!("inputs.{input}")).count() > 0;
        assert!(used, "input {input} is declared but never used");
    }
    for needed in [
        "mode",
        "path",
        "args",
        "verify",
        "min-severity",
        "fail-on-findings",
        "sarif-file",
        "upload-sarif",
        "category",
    ] {
        assert!(
            inputs.contains(&needed.to_string()),
            "missing input {needed}"
        );
    }
    assert!(text.contains("uses: github/codeql-action/upload-sarif@v3"));
    assert!(text.contains("inputs.upload-sarif == 'true'"));
    assert!(text.contains("cargo install --path \"$GITHUB_ACTION_PATH\" --locked"));
    assert!(text.contains("uses: actions/cache@"));
    for output in ["findings", "sarif-file"] {
        assert!(text.contains(&format!("steps.scan.outputs.{output}")));
        assert!(
            script.contains(&format!("{output}=")),
            "script sets {output}"
        );
    }
}

struct ActionRun {
    code: i32,
    stdout: String,
    stderr: String,
    summary: String,
    outputs: BTreeMap<String, String>,
}

fn run_action(workspace: &Path, event: &Value, inputs: &[(&str, &str)]) -> ActionRun {
    let gh = tempfile::tempdir().unwrap();
    let bin_dir = gh.path().join("bin");
    std::fs::create_dir_all(&bin_dir).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(bin(), bin_dir.join("pkscan")).unwrap();
    let event_path = gh.path().join("event.json");
    std::fs::write(&event_path, serde_json::to_vec(event).unwrap()).unwrap();
    let output = gh.path().join("output");
    let summary = gh.path().join("summary.md");
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scripts/action-scan.py");
    let mut cmd = Command::new("python3");
    cmd.arg(script)
        .current_dir(workspace)
        .env(
            "PATH",
            format!(
                "{}:{}",
                bin_dir.display(),
                std::env::var("PATH").unwrap_or_default()
            ),
        )
        .env_remove("PKSCAN_BIN")
        .env("GITHUB_WORKSPACE", workspace)
        .env("GITHUB_EVENT_PATH", &event_path)
        .env("GITHUB_OUTPUT", &output)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null");
    // Unset inputs arrive as empty strings, as in a composite action.
    for name in [
        "MODE",
        "PATH",
        "ARGS",
        "VERIFY",
        "MIN_SEVERITY",
        "FAIL_ON_FINDINGS",
        "SARIF_FILE",
    ] {
        cmd.env(format!("INPUT_{name}"), "");
    }
    for (k, v) in inputs {
        cmd.env(format!("INPUT_{}", k.to_uppercase().replace('-', "_")), v);
    }
    let out = cmd.output().expect("run action script");
    let outputs = std::fs::read_to_string(&output)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    ActionRun {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        summary: std::fs::read_to_string(&summary).unwrap_or_default(),
        outputs,
    }
}

#[test]
fn action_pr_mode_uses_base_config_and_reports_annotations_summary_sarif() {
    if python3().is_none() {
        eprintln!("SKIPPED action test: python3 is not available");
        return;
    }
    let p = Project::new();
    init_repo(&p);
    // Base: a known key, baselined through the committed config.
    let known = live_key(101);
    p.write("legacy/old.js", format!("const pictify = '{known}'\n"));
    let known_fp = fingerprint_of(&p, "legacy/old.js");
    p.write(
        ".pkscan-baseline.json",
        format!("{{\"schema\": \"pkscan-baseline/1\", \"entries\": [{{\"fingerprint\": \"{known_fp}\", \"rule_id\": \"pictify.api-key\", \"paths\": [\"legacy/old.js\"], \"attribution\": \"pictify\", \"reason\": \"rotated\"}}]}}\n"),
    );
    p.write(".pkscan.toml", "baseline = \".pkscan-baseline.json\"\n");
    git_ok(p.path(), &["add", "."]);
    git_ok(p.path(), &["commit", "-qm", "base"]);
    let base = git_ok(p.path(), &["rev-parse", "HEAD"]);

    // The pull request: copies the known key (baselined at base), adds a new key,
    // and tries to allow-list the new key in its own config.
    let leaked = live_key(102);
    p.write("web/copy.js", format!("const pictify = '{known}'\n"));
    p.write(
        "web/src/app.js",
        format!("import x from 'y'\n\nconst client = new Pictify('{leaked}')\n"),
    );
    git_ok(p.path(), &["add", "."]);
    git_ok(p.path(), &["commit", "-qm", "add client"]);
    let leak_commit = git_ok(p.path(), &["rev-parse", "HEAD"]);
    let leaked_fp = fingerprint_of(&p, "web/src/app.js");
    p.write(
        ".pkscan.toml",
        format!("baseline = \".pkscan-baseline.json\"\n\n[[allow]]\nfingerprint = \"{leaked_fp}\"\nreason = \"trust me\"\n"),
    );
    git_ok(p.path(), &["commit", "-qam", "allow it"]);
    let head = git_ok(p.path(), &["rev-parse", "HEAD"]);
    // The PR's own config would hide the leak:
    assert_eq!(
        p.run(&["git", "--range", &format!("{base}..{head}"), "."])
            .code,
        0
    );

    let event = serde_json::json!({
        "action": "opened",
        "pull_request": {"number": 7, "base": {"sha": base}, "head": {"sha": head}},
    });
    let r = run_action(p.path(), &event, &[("mode", "pr")]);
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    assert_eq!(
        r.outputs.get("findings").map(String::as_str),
        Some("1"),
        "{:?}",
        r.outputs
    );
    assert_eq!(
        r.outputs.get("sarif-file").map(String::as_str),
        Some("pkscan.sarif")
    );

    // Annotation on the right file and line.
    let ann: Vec<&str> = r
        .stdout
        .lines()
        .filter(|l| l.starts_with("::error file="))
        .collect();
    assert_eq!(ann.len(), 1, "{}", r.stdout);
    assert!(
        ann[0].starts_with("::error file=web/src/app.js,line=3,"),
        "{}",
        ann[0]
    );
    assert!(
        ann[0].contains(&format!("{}…", &leaked[..10])),
        "{}",
        ann[0]
    );
    assert!(ann[0].contains(&leak_commit[..12]), "{}", ann[0]);

    // Summary: the finding and the notice that the PR changed the config.
    assert!(r.summary.contains("## pkscan: 1 finding"), "{}", r.summary);
    assert!(r.summary.contains("`web/src/app.js:3`"), "{}", r.summary);
    assert!(
        r.summary
            .contains("This pull request changes `.pkscan.toml`"),
        "{}",
        r.summary
    );
    assert!(r.summary.contains(&base[..12]), "{}", r.summary);
    assert!(
        r.summary.contains("1 known finding suppressed by baseline"),
        "{}",
        r.summary
    );

    // SARIF: one result with the introducing commit.
    let sarif: Value =
        serde_json::from_str(&std::fs::read_to_string(p.path().join("pkscan.sarif")).unwrap())
            .unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "web/src/app.js"
    );
    assert_eq!(results[0]["properties"]["commit"], leak_commit.as_str());

    for (what, text) in [
        ("stdout", &r.stdout),
        ("stderr", &r.stderr),
        ("summary", &r.summary),
    ] {
        assert!(
            !text.contains(&leaked) && !text.contains(&known),
            "full key in {what}"
        );
    }
    assert!(!std::fs::read_to_string(p.path().join("pkscan.sarif"))
        .unwrap()
        .contains(&leaked));

    // fail-on-findings false: same report, step succeeds.
    let r = run_action(
        p.path(),
        &event,
        &[
            ("mode", "pr"),
            ("fail-on-findings", "false"),
            ("sarif-file", "out/pk.sarif"),
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.outputs["findings"], "1");
    assert_eq!(r.outputs["sarif-file"], "out/pk.sarif");
    assert!(p.path().join("out/pk.sarif").exists());
}

#[test]
fn action_tree_and_history_modes_and_errors() {
    if python3().is_none() {
        eprintln!("SKIPPED action test: python3 is not available");
        return;
    }
    let p = Project::new();
    init_repo(&p);
    p.write("svc/.env", format!("PICTIFY_API_KEY={}\n", live_key(111)));
    git_ok(p.path(), &["add", "."]);
    git_ok(p.path(), &["commit", "-qm", "env"]);
    git_ok(p.path(), &["rm", "-q", "svc/.env"]);
    git_ok(p.path(), &["commit", "-qm", "remove"]);
    let push = serde_json::json!({"ref": "refs/heads/main"});

    let r = run_action(p.path(), &push, &[("mode", "tree")]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(r.outputs["findings"], "0");
    assert!(
        r.summary.contains("No Pictify API keys found"),
        "{}",
        r.summary
    );

    let r = run_action(
        p.path(),
        &push,
        &[("mode", "history"), ("min-severity", "high")],
    );
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert_eq!(r.outputs["findings"], "1");
    assert!(
        r.stdout.contains("::error file=svc/.env,line=1,"),
        "{}",
        r.stdout
    );

    let r = run_action(p.path(), &push, &[("mode", "pr")]);
    assert_eq!(r.code, 2);
    assert!(
        r.stdout
            .contains("::error title=pkscan::mode pr runs on pull_request events"),
        "{}",
        r.stdout
    );
    assert_eq!(r.outputs["findings"], "");

    let r = run_action(
        p.path(),
        &push,
        &[("mode", "tree"), ("args", "--min-severity bogus")],
    );
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.summary.contains("## pkscan: error"), "{}", r.summary);
}

#[test]
fn action_pr_mode_takes_rule_files_from_the_base_commit() {
    if python3().is_none() {
        eprintln!("SKIPPED action test: python3 is not available");
        return;
    }
    let p = Project::new();
    init_repo(&p);
    p.write(
        "pkscan-rules/acme.toml",
        r#"[[rule]]
id = "acme.internal-token"
name = "Acme internal token"
description = "An internal token"
kind = "token"
keywords = ["acme_tok_"]
pattern = '(acme_tok_[A-Za-z0-9]{16})'
severity = "high"
"#,
    );
    p.write(".pkscan.toml", "rules = [\"pkscan-rules\"]\n");
    p.write("README.md", "demo\n");
    git_ok(p.path(), &["add", "."]);
    git_ok(p.path(), &["commit", "-qm", "base"]);
    let base = git_ok(p.path(), &["rev-parse", "HEAD"]);
    // The pull request deletes the rule that would catch its token.
    git_ok(p.path(), &["rm", "-rq", "pkscan-rules"]);
    p.write(
        "svc/client.py",
        format!("TOKEN = 'acme_tok_{}'\n", fake_body(7, 16)),
    );
    git_ok(p.path(), &["add", "."]);
    git_ok(p.path(), &["commit", "-qm", "pr"]);
    let head = git_ok(p.path(), &["rev-parse", "HEAD"]);
    let event = serde_json::json!({"pull_request": {"base": {"sha": base}, "head": {"sha": head}}});
    let r = run_action(p.path(), &event, &[]);
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    assert_eq!(r.outputs["findings"], "1");
    assert!(
        r.stdout.contains("::error file=svc/client.py,line=1,"),
        "{}",
        r.stdout
    );
    assert!(r.summary.contains("`acme.internal-token`"), "{}", r.summary);
    assert!(
        r.summary
            .contains("This pull request changes `pkscan-rules/acme.toml`"),
        "{}",
        r.summary
    );
}

#[test]
fn install_hook_checks_what_commit_a_and_partial_commits_commit() {
    // `git commit -a` and `git commit <paths>` commit from a temporary index
    // (GIT_INDEX_FILE), not from .git/index.
    let p = Project::new();
    init_repo(&p);
    assert_eq!(p.run(&["install-hook"]).code, 0);
    p.write("web/app.js", "const a = 1;\n");
    p.write("web/other.js", "const b = 2;\n");
    git_ok(p.path(), &["add", "."]);
    assert!(commit(&p, "clean").status.success());

    let key = live_key(82);
    p.write(
        "web/app.js",
        format!("const a = 1;\nconst pictify = new Pictify('{key}')\n"),
    );
    let out = git(p.path(), &["commit", "-a", "-m", "leak via -a"]);
    assert!(
        !out.status.success(),
        "commit -a with a key must be blocked"
    );
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(all.contains("web/app.js") && !all.contains(&key), "{all}");
    let out = git(p.path(), &["commit", "web/app.js", "-m", "leak via paths"]);
    assert!(
        !out.status.success(),
        "a partial commit with a key must be blocked"
    );
    assert_eq!(git_ok(p.path(), &["rev-list", "--count", "HEAD"]), "1");

    // The key staged, but only the clean file committed: nothing to block.
    git_ok(p.path(), &["add", "web/app.js"]);
    p.write("web/other.js", "const b = 3;\n");
    let out = git(p.path(), &["commit", "web/other.js", "-m", "clean part"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(git_ok(p.path(), &["rev-list", "--count", "HEAD"]), "2");
}
