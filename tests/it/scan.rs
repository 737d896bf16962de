//! `pkscan scan` over fixture trees: every context class, encodings, look-alikes,
//! placeholders, the allow comment, output formats and exit codes.
use crate::util::*;

fn utf16le(s: &str) -> Vec<u8> {
    let mut v = vec![0xFF, 0xFE];
    for u in s.encode_utf16() {
        v.extend_from_slice(&u.to_le_bytes());
    }
    v
}

fn stripe_key() -> String {
    format!("pk_live_51{}", fake_body(900, 97))
}

fn clerk_key() -> String {
    // base64("sweet-lynx-42.clerk.accounts.dev$")
    "pk_test_c3dlZXQtbHlueC00Mi5jbGVyay5hY2NvdW50cy5kZXYk".to_string()
}

/// A project touching every context class plus the look-alikes that must stay quiet.
fn fixture() -> (Project, Vec<String>) {
    let keys: Vec<String> = (1..=12).map(live_key).collect();
    let tkeys: Vec<String> = (101..=103).map(test_key).collect();
    let p = Project::new();
    p.write(
        "web/src/components/RenderButton.tsx",
        format!(
            "import React from 'react';\nimport {{ Pictify }} from '@pictify/sdk';\n\nconst client = new Pictify('{}');\n",
            keys[0]
        ),
    );
    p.write(
        "web/src/settings.js",
        format!(
            "import {{ useState }} from 'react';\n// Pictify settings page\nexport function save() {{\n  localStorage.setItem('pictify_key', '{}');\n}}\n",
            keys[1]
        ),
    );
    p.write(
        "mobile/ios/App/Config.swift",
        format!("import Foundation\n\nlet pictifyKey = \"{}\"\n", keys[2]),
    );
    p.write(
        "android/app/src/main/res/values/strings.xml",
        format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<resources>\n    <string name=\"pictify_api_key\">{}</string>\n</resources>\n",
            tkeys[0]
        ),
    );
    p.write(
        ".env",
        format!(
            "# local settings\nPICTIFY_API_KEY={}\nNEXT_PUBLIC_PICTIFY_KEY={}\nSTRIPE_PUBLISHABLE_KEY={}\n",
            keys[3],
            keys[4],
            stripe_key()
        ),
    );
    p.write(
        "server/render.py",
        format!("import requests\n\nPICTIFY_KEY = \"{}\"\n", keys[5]),
    );
    p.write(
        "docs/quickstart.md",
        format!(
            "# Quick start\n\nSet `PICTIFY_API_KEY=pk_live_your_api_key` in your environment.\n\nOur demo key: `{}` (Pictify)\n\nOr `pk_test_xxxxxxxxxxxxxxxx`, `pk_live_your_pictify_api_key_here` and `pk_live_abc123...`.\n",
            keys[6]
        ),
    );
    p.write(
        "tests/render.test.js",
        format!(
            "const pictifyKey = '{}';\ntest('renders', () => {{}});\n",
            tkeys[1]
        ),
    );
    p.write(
        "config/legacy.ini",
        utf16le(&format!(
            "[pictify]\r\nregion=eu\r\npictify_key={}\r\n",
            keys[7]
        )),
    );
    let mut bundle = String::from("!function(){");
    while bundle.len() < 2_000_000 {
        bundle.push_str("var a=function(b){return b*2};window.x=a(1);");
    }
    bundle.push_str(&format!("var pictifyKey=\"{}\";", keys[8]));
    bundle.push_str("document.title='x'}();");
    p.write("web/public/assets/app.min.js", bundle);
    p.write(
        "notebooks/demo.ipynb",
        format!(
            "{{\n \"cells\": [\n  {{\n   \"cell_type\": \"code\",\n   \"source\": [\n    \"PICTIFY_API_KEY = '{}'\\n\",\n    \"render()\"\n   ]\n  }}\n ]\n}}\n",
            keys[9]
        ),
    );
    p.write(
        "config/app.yml",
        format!("service:\n  api_key: {}\n", keys[10]),
    );
    let mut bin = b"\x7fELF\x02\x01\x01\0\0\0\0".to_vec();
    bin.extend_from_slice(b"junk\0pictify\0");
    bin.extend_from_slice(keys[11].as_bytes());
    bin.extend_from_slice(b"\0more");
    p.write("bin/tool", bin);
    // Look-alikes, placeholders, prefix checks and allow comments: never reported.
    p.write(
        "web/src/checkout.js",
        format!(
            "import {{ loadStripe }} from '@stripe/stripe-js';\nconst stripe = await loadStripe('{}');\n",
            stripe_key()
        ),
    );
    p.write(
        "web/src/main.tsx",
        format!(
            "import {{ ClerkProvider }} from '@clerk/clerk-react';\n<ClerkProvider publishableKey=\"{}\" />\n",
            clerk_key()
        ),
    );
    p.write(
        "server/validate.js",
        "const express = require('express');\nfunction isPictifyKey(k) { return k.startsWith('pk_live_') || k.startsWith(\"pk_test_\"); }\nconst RE = /^pk_(live|test)_[A-Za-z0-9]{32}$/;\n",
    );
    p.write(
        "server/legacy.js",
        format!(
            "const express = require('express');\nconst pictifyKey = '{}'; // pkscan:allow revoked in 2026\n",
            tkeys[2]
        ),
    );
    let mut all = keys;
    all.extend(tkeys);
    (p, all)
}

#[test]
fn int_fixture_reports_exact_findings() {
    let (p, _) = fixture();
    let r = p.run(&["scan", "--format", "json", "."]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        r.findings(),
        vec![
            row(".env", 2, "config", "high", "pictify.api-key"),
            row(".env", 3, "client-js", "critical", "pictify.api-key"),
            row(
                "android/app/src/main/res/values/strings.xml",
                3,
                "mobile",
                "high",
                "pictify.api-key"
            ),
            row("bin/tool", 1, "server", "high", "pictify.api-key"),
            // Nothing in the file names an owner; the project uses Pictify.
            row("config/app.yml", 2, "config", "high", "pictify.api-key"),
            row("config/legacy.ini", 3, "config", "high", "pictify.api-key"),
            row("docs/quickstart.md", 5, "docs", "medium", "pictify.api-key"),
            row(
                "mobile/ios/App/Config.swift",
                3,
                "mobile",
                "critical",
                "pictify.api-key"
            ),
            row(
                "notebooks/demo.ipynb",
                6,
                "server",
                "high",
                "pictify.api-key"
            ),
            row("server/render.py", 3, "server", "high", "pictify.api-key"),
            row("tests/render.test.js", 1, "test", "low", "pictify.api-key"),
            row(
                "web/public/assets/app.min.js",
                1,
                "client-js",
                "critical",
                "pictify.api-key"
            ),
            row(
                "web/src/components/RenderButton.tsx",
                4,
                "client-js",
                "critical",
                "pictify.api-key"
            ),
            row(
                "web/src/settings.js",
                4,
                "browser-storage",
                "critical",
                "pictify.api-key"
            ),
        ]
    );
    let v = r.json();
    let by_path = |p: &str| {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"] == p)
            .unwrap()
            .clone()
    };
    // Attribution and confidence: named keys are Pictify's; the bare one is
    // Pictify's only because the project uses Pictify, with low confidence.
    assert_eq!(by_path("server/render.py")["attribution"], "pictify");
    assert_eq!(by_path("server/render.py")["confidence"], "high");
    assert_eq!(by_path("config/app.yml")["attribution"], "pictify");
    assert_eq!(by_path("config/app.yml")["confidence"], "low");
    // UTF-16: columns in the decoded text.
    assert_eq!(by_path("config/legacy.ini")["column"], 13);
    // Binary files say so.
    assert_eq!(by_path("bin/tool")["binary"], true);
    assert!(by_path("bin/tool")["reason"]
        .as_str()
        .unwrap()
        .contains("binary"));
    // Minified bundle: full scan, short snippet.
    let min = by_path("web/public/assets/app.min.js");
    assert!(min["column"].as_u64().unwrap() > 2_000_000);
    assert!(min["snippet"].as_str().unwrap().chars().count() < 200);
    assert_eq!(by_path(".env")["key_environment"], "live");
    assert_eq!(
        by_path("android/app/src/main/res/values/strings.xml")["key_environment"],
        "test"
    );
}

#[test]
fn int_other_providers_and_placeholders_on_request() {
    let (p, _) = fixture();
    let r = p.run(&["scan", "--format", "json", "--include-other-providers", "."]);
    let v = r.json();
    let others: Vec<(String, String, String, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["attribution"] != "pictify" && f["attribution"] != "unattributed")
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["rule_id"].as_str().unwrap().to_string(),
                f["attribution"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let o = |p: &str, r: &str, a: &str| {
        (
            p.to_string(),
            r.to_string(),
            a.to_string(),
            "note".to_string(),
        )
    };
    assert_eq!(
        others,
        vec![
            o(".env", "stripe.publishable-key", "other-provider"),
            // Bodies too short to be keys (`pk_live_abc123...`) are not candidates at all.
            o("docs/quickstart.md", "pictify.api-key", "placeholder"),
            o("docs/quickstart.md", "pictify.api-key", "placeholder"),
            o(
                "web/src/checkout.js",
                "stripe.publishable-key",
                "other-provider"
            ),
            o(
                "web/src/main.tsx",
                "clerk.publishable-key",
                "other-provider"
            ),
        ]
    );
}

#[test]
fn int_no_secret_in_any_format() {
    let (p, keys) = fixture();
    let sarif = p.path().join("out.sarif");
    for args in [
        vec!["scan", "."],
        vec!["scan", "--format", "json", "--include-other-providers", "."],
        vec!["scan", "--format", "sarif", "."],
        vec![
            "scan",
            "--format",
            "sarif",
            "--output",
            sarif.to_str().unwrap(),
            ".",
        ],
    ] {
        let r = p.run(&args);
        assert_eq!(r.code, 1, "{args:?}: {}", r.stderr);
        for k in &keys {
            assert!(
                !r.stdout.contains(k.as_str()),
                "{args:?} leaked a key on stdout"
            );
            assert!(
                !r.stderr.contains(k.as_str()),
                "{args:?} leaked a key on stderr"
            );
            let body = &k[8..];
            assert!(!r.stdout.contains(body), "{args:?} leaked a key body");
        }
    }
    let written = std::fs::read_to_string(&sarif).unwrap();
    for k in &keys {
        assert!(!written.contains(&k[8..]));
    }
    assert!(!written.contains(&stripe_key()[8..]));
}

#[test]
fn int_show_secrets_prints_keys_and_warns() {
    let p = Project::new();
    let key = live_key(7);
    p.write("server/a.py", format!("PICTIFY = '{key}'\n"));
    let r = p.run(&["scan", "--show-secrets", "."]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains(&key));
    assert!(r.stderr.contains("--show-secrets"));
}

#[test]
fn int_sarif_validates_against_official_schema() {
    let (p, _) = fixture();
    let r = p.run(&[
        "scan",
        "--format",
        "sarif",
        "--include-other-providers",
        ".",
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let sarif = r.json();
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../sarif-schema-2.1.0.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(errors.is_empty(), "SARIF schema errors: {errors:#?}");

    // What GitHub code scanning relies on.
    let run = &sarif["runs"][0];
    assert_eq!(sarif["runs"].as_array().unwrap().len(), 1);
    assert_eq!(run["tool"]["driver"]["name"], "pkscan");
    assert!(run["tool"]["driver"]["semanticVersion"].is_string());
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let mut ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let n = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n, "rule ids must be unique");
    for rule in rules {
        assert!(rule["shortDescription"]["text"].is_string());
        assert!(rule["fullDescription"]["text"].is_string());
        let md = rule["help"]["markdown"].as_str().unwrap();
        assert!(
            md.contains("Settings > API Keys") && md.contains("server"),
            "{md}"
        );
        assert!(rule["help"]["text"].is_string());
        let tags = rule["properties"]["tags"].as_array().unwrap();
        assert!(tags.iter().any(|t| t == "security"));
        assert!(rule["properties"]["security-severity"].is_string());
        assert!(rule["properties"]["precision"].is_string());
    }
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for res in results {
        assert!(res["ruleId"].is_string());
        assert!(res["level"].is_string());
        let locs = res["locations"].as_array().unwrap();
        assert_eq!(locs.len(), 1);
        let pl = &locs[0]["physicalLocation"];
        let uri = pl["artifactLocation"]["uri"].as_str().unwrap();
        assert!(!uri.starts_with('/') && !uri.contains('\\'), "{uri}");
        assert_eq!(pl["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        for k in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(pl["region"][k].as_u64().unwrap() >= 1, "{k}");
        }
        assert!(res["partialFingerprints"]["pkscanFingerprint/v1"].is_string());
        assert!(res
            .get("partialFingerprints")
            .unwrap()
            .get("primaryLocationLineHash")
            .is_none());
        let props = &res["properties"];
        for k in ["context", "keyEnvironment", "provider", "confidence"] {
            assert!(props[k].is_string(), "missing properties.{k}");
        }
        // Practice findings (unsafe handling without a literal key) have no key.
        if props["attribution"] != "practice" {
            assert!(
                props["redactedKey"].is_string(),
                "missing properties.redactedKey"
            );
        }
    }
}

#[test]
fn int_text_report_is_actionable() {
    let p = Project::new();
    let key = live_key(3);
    p.write(
        "web/src/App.jsx",
        format!("import React from 'react'\nconst pictifyKey = '{key}'\n"),
    );
    let r = p.run(&["scan", "."]);
    assert_eq!(r.code, 1);
    let redacted = format!("{}…{}", &key[..10], &key[key.len() - 2..]);
    assert!(r.stdout.contains("web/src/App.jsx"), "{}", r.stdout);
    assert!(r.stdout.contains("CRITICAL"), "{}", r.stdout);
    assert!(r.stdout.contains("2:21"), "{}", r.stdout);
    assert!(r.stdout.contains(&redacted), "{}", r.stdout);
    assert!(r.stdout.contains("[client-js]"));
    assert!(r.stdout.contains("server-side endpoint"));
    assert!(r.stdout.contains("Settings > API Keys"));
    assert!(r.stdout.contains("1 finding: 1 critical"));
    assert!(!r.stdout.contains('\x1b'), "no colour when piped");
}

#[test]
fn cli_min_severity_and_context_filters() {
    let p = Project::new();
    p.write(
        "tests/a.test.js",
        format!("const pictify = '{}'\n", test_key(5)),
    );
    p.write("server/b.py", format!("PICTIFY = '{}'\n", live_key(6)));
    let r = p.run(&["scan", "--format", "json", "--min-severity", "high", "."]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.findings(),
        vec![row("server/b.py", 1, "server", "high", "pictify.api-key")]
    );
    assert_eq!(r.json()["summary"]["suppressed"], 1);
    let r = p.run(&["scan", "--min-severity", "critical", "."]);
    assert_eq!(r.code, 0, "filtered findings do not fail the run");
    let r = p.run(&["scan", "--format", "json", "--context", "test", "."]);
    assert_eq!(
        r.findings(),
        vec![row("tests/a.test.js", 1, "test", "low", "pictify.api-key")]
    );
}

#[test]
fn cli_ignore_rules_explicit_paths_and_excludes() {
    let p = Project::new();
    p.write(".gitignore", "generated/\n");
    p.write(
        "generated/keys.js",
        format!("const pictify = '{}'\n", live_key(8)),
    );
    p.write("vendor/lib.py", format!("PICTIFY = '{}'\n", live_key(9)));
    p.write(
        ".hidden/.env.local",
        format!("PICTIFY_API_KEY={}\n", live_key(10)),
    );
    let r = p.run(&["scan", "--format", "json", "."]);
    let paths: Vec<String> = r.findings().into_iter().map(|f| f.0).collect();
    assert_eq!(paths, vec![".hidden/.env.local", "vendor/lib.py"]);
    let r = p.run(&["scan", "--format", "json", "--exclude", "vendor/**", "."]);
    let paths: Vec<String> = r.findings().into_iter().map(|f| f.0).collect();
    assert_eq!(paths, vec![".hidden/.env.local"]);
    let r = p.run(&["scan", "--format", "json", "--no-ignore", "."]);
    assert_eq!(r.findings().len(), 3);
    // A path given explicitly is scanned even if ignored.
    let r = p.run(&["scan", "--format", "json", "generated/keys.js"]);
    assert_eq!(r.findings().len(), 1);
    assert_eq!(r.findings()[0].0, "generated/keys.js");
}

#[test]
fn cli_errors_exit_two_with_a_clear_message() {
    let p = Project::new();
    let r = p.run(&["scan", "does-not-exist"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("does-not-exist"), "{}", r.stderr);
    let r = p.run(&["scan", "--min-severity", "urgent", "."]);
    assert_eq!(r.code, 2);
    p.write("bad.toml", "[[rule]]\nid = 'x'\n");
    let r = p.run(&["scan", "--rules", "bad.toml", "."]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("bad.toml"), "{}", r.stderr);
}

#[test]
fn cli_oversized_and_binary_files_are_reported_not_dropped() {
    let p = Project::new();
    p.write(
        "big.js",
        format!("{}\nconst pictify='{}'\n", "x".repeat(5000), live_key(11)),
    );
    p.write(
        "blob.bin",
        b"\0\0pictify pk_live_"
            .iter()
            .chain(fake_body(12, 32).as_bytes())
            .copied()
            .collect::<Vec<u8>>(),
    );
    let r = p.run(&[
        "scan",
        "--format",
        "json",
        "--max-file-size",
        "1K",
        "--no-binary",
        ".",
    ]);
    assert_eq!(r.code, 0);
    let notices = r.json()["notices"].as_array().unwrap().clone();
    assert_eq!(notices.len(), 2, "{notices:?}");
    assert!(
        r.stderr.contains("big.js") && r.stderr.contains("max-file-size"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("blob.bin"));
}

#[test]
fn int_user_rules_are_added() {
    let p = Project::new();
    p.write(
        "extra/acme.toml",
        r#"[[rule]]
id = "acme.token"
name = "Acme token"
description = "An Acme token."
kind = "token"
provider = "Acme"
keywords = ["acme_"]
pattern = '''(acme_[a-z0-9]{24})'''
severity = "medium"
examples = ["acme_k3j4h5g6f7d8s9a0q1w2e3r4"]
"#,
    );
    p.write("src/a.py", "TOKEN = 'acme_k3j4h5g6f7d8s9a0q1w2e3r4'\n");
    let r = p.run(&["rules", "check", "--rules", "extra"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    let r = p.run(&["scan", "--format", "json", "--rules", "extra", "src"]);
    assert_eq!(
        r.findings(),
        vec![row("src/a.py", 1, "server", "medium", "acme.token")]
    );
}

#[test]
fn smoke_scan_finds_key_in_client_code() {
    let key = live_key(1);
    let p = Project::new();
    p.write(
        "src/App.jsx",
        format!("import React from 'react'\nconst pictify = '{key}'\n"),
    );
    let r = p.run(&["scan", "--format", "json", "."]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        r.findings(),
        vec![row(
            "src/App.jsx",
            2,
            "client-js",
            "critical",
            "pictify.api-key"
        )]
    );
    assert!(!r.stdout.contains(&key));
}

#[test]
fn smoke_clean_tree_exits_zero() {
    let p = Project::new();
    p.write("src/index.js", "console.log('hello')\n");
    let r = p.run(&["scan", "."]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("no findings"));
}

#[test]
fn smoke_builtin_rules_check_passes() {
    let r = run_in(std::env::temp_dir().as_path(), &["rules", "check"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains("0 failures"));
}
