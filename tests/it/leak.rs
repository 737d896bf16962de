//! Never leak: distinctive keys planted in every kind of place must not appear,
//! in full or in part, in any report format, on stderr, or in error messages;
//! `--show-secrets` is the only way to print them, it warns, and report files it
//! writes are readable by the owner only.
use crate::util::*;
use std::os::unix::fs::PermissionsExt;

/// A planted key's body is leaked if any run of this many of its characters shows.
const LEAK_WINDOW: usize = 10;

struct Fixture {
    p: Project,
    keys: Vec<String>,
}

fn key_with(prefix: &str, seed: u64, n: usize) -> String {
    format!("{prefix}{}", fake_body(seed, n))
}

fn fixture() -> Fixture {
    let p = Project::new();
    let k: Vec<String> = vec![
        key_with("pk_live_", 901, 32),
        key_with("pk_live_", 902, 60),
        key_with("pk_live_", 903, 32),
        key_with("pk_test_", 904, 40),
        key_with("pk_live_", 905, 32),
        key_with("pk_live_", 906, 32),
        key_with("pk_live_", 907, 32),
        key_with("pk_live_", 908, 32),
        key_with("pk_live_", 909, 32),
        key_with("pk_live_", 910, 32),
        key_with("pk_live_", 911, 32),
    ];
    p.write(
        "src/App.jsx",
        format!("import React from 'react'\nconst pictify = '{}'\n", k[0]),
    );
    // Two keys close together on one long line: the snippet window of the second
    // starts inside the first, which must not leak its tail.
    p.write(
        "public/app.min.js",
        format!(
            "var PICTIFY_A=\"{}\";var PICTIFY_B=\"{}\";function f(){{return 1}}",
            k[1], k[2]
        ),
    );
    p.write(
        ".env",
        format!(
            "NEXT_PUBLIC_PICTIFY_KEY={}\nPICTIFY_API_KEY={}\n",
            k[3], k[4]
        ),
    );
    p.write(
        "src/store.js",
        format!("localStorage.setItem('pictify', '{}')\n", k[5]),
    );
    p.write(
        "docs/setup.md",
        format!("Use your Pictify key, e.g. `{}`.\n", k[6]),
    );
    let mut utf16 = vec![0xFF, 0xFE];
    for u in format!("pictify_key = \"{}\"\r\n", k[7]).encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    p.write("config/win.ini", utf16);
    let mut bin = b"\x7fELF\0\0\0".to_vec();
    bin.extend_from_slice(format!("pictify\0{}\0", k[8]).as_bytes());
    p.write("vendor/lib.so", bin);
    let props = format!("pictify.key={}\n", k[9]);
    p.write(
        "out/app.apk",
        crate::hostile::zip_bytes(&[("assets/config.properties", props.as_bytes())], true),
    );
    // A file that cannot be read (as a non-root user): reported, not quoted.
    p.write("locked.env", format!("PICTIFY_API_KEY={}\n", k[10]));
    std::fs::set_permissions(
        p.path().join("locked.env"),
        std::fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    Fixture { p, keys: k }
}

/// Fails if any planted key, or any `LEAK_WINDOW` characters of its body, appear.
fn assert_no_leak(label: &str, text: &str, keys: &[String]) {
    for k in keys {
        assert!(!text.contains(k.as_str()), "{label}: full key {k} leaked");
        let body = &k[8..];
        for i in 0..=body.len() - LEAK_WINDOW {
            let part = &body[i..i + LEAK_WINDOW];
            assert!(
                !text.contains(part),
                "{label}: part {part:?} of key {k} leaked:\n{text}"
            );
        }
    }
}

#[test]
fn no_output_format_leaks_a_key() {
    let f = fixture();
    let out_file = f.p.path().join("report.out");
    for format in ["text", "json", "sarif"] {
        for extra in [
            &[][..],
            &["--include-other-providers", "--min-severity", "note"][..],
        ] {
            let mut args = vec!["scan", "--format", format];
            args.extend_from_slice(extra);
            args.push(".");
            let r = f.p.run(&args);
            assert_eq!(r.code, 1, "{format}: {}", r.stderr);
            let label = format!("{format} {extra:?}");
            assert_no_leak(&format!("{label} stdout"), &r.stdout, &f.keys);
            assert_no_leak(&format!("{label} stderr"), &r.stderr, &f.keys);
            // The report does show the findings, redacted (so this test can fail).
            assert!(
                r.stdout.contains(&format!("{}…", &f.keys[0][..10])),
                "{label}: redacted key missing:\n{}",
                r.stdout
            );
            assert!(r.stdout.contains("public/app.min.js"));
            assert!(r.stdout.contains("out/app.apk!/assets/config.properties"));

            let mut args = vec!["scan", "--format", format, "--output"];
            args.push(out_file.to_str().unwrap());
            args.extend_from_slice(extra);
            args.push(".");
            let r = f.p.run(&args);
            assert_eq!(r.code, 1, "{format}: {}", r.stderr);
            let written = std::fs::read_to_string(&out_file).unwrap();
            assert!(written.contains("vendor/lib.so"));
            assert_no_leak(&format!("{label} --output"), &written, &f.keys);
            assert_no_leak(&format!("{label} --output stderr"), &r.stderr, &f.keys);
            assert_no_leak(&format!("{label} --output stdout"), &r.stdout, &f.keys);
            std::fs::remove_file(&out_file).unwrap();
        }
    }
}

#[test]
fn error_messages_do_not_quote_keys() {
    let f = fixture();
    let k = &f.keys;
    // A TOML error quotes the broken line; a regex error quotes the pattern.
    f.p.write(
        "rules/broken.toml",
        format!("[[rule]]\nid = \"x\"\npattern = \"{}\n", k[0]),
    );
    f.p.write(
        "rules/badregex.toml",
        format!(
            "[[rule]]\nid = \"my.rule\"\nname = \"n\"\ndescription = \"d\"\nkind = \"key\"\nkeywords = [\"pk_live_\"]\npattern = \"({}\"\n",
            k[1]
        ),
    );
    // A rule whose negative example (a real key) is reported fails the check.
    f.p.write(
        "rules/failing.toml",
        format!(
            "[[rule]]\nid = \"my.failing\"\nname = \"n\"\ndescription = \"d\"\nkind = \"key\"\nkeywords = [\"pk_live_\"]\npattern = '(pk_live_[A-Za-z0-9]{{20,}})'\nexamples = []\nnegative_examples = [\"pictify {}\"]\n",
            k[2]
        ),
    );
    for (file, cmd) in [
        ("rules/broken.toml", "scan"),
        ("rules/badregex.toml", "scan"),
        ("rules/broken.toml", "rules-list"),
        ("rules/failing.toml", "rules-check"),
    ] {
        let args: Vec<&str> = match cmd {
            "scan" => vec!["scan", "--rules", file, "src"],
            "rules-list" => vec!["rules", "list", "--rules", file],
            _ => vec!["rules", "check", "--rules", file],
        };
        let r = f.p.run(&args);
        assert_eq!(r.code, 2, "{args:?}: {}{}", r.stdout, r.stderr);
        let all = format!("{}{}", r.stdout, r.stderr);
        assert!(
            all.contains(file.rsplit('/').next().unwrap()) || all.contains("my.failing"),
            "{all}"
        );
        assert_no_leak(&format!("{args:?}"), &all, &f.keys);
    }
}

#[test]
fn show_secrets_is_the_only_way_and_it_warns_and_protects_the_file() {
    let f = fixture();
    let out = f.p.path().join("full.json");
    // A file that already exists with open permissions is tightened too.
    std::fs::write(&out, "old").unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o644)).unwrap();
    let r = f.p.run(&[
        "scan",
        "--show-secrets",
        "--quiet",
        "--format",
        "json",
        "--output",
        out.to_str().unwrap(),
        ".",
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    // Warned even under --quiet, without quoting a key.
    assert!(
        r.stderr.contains("--show-secrets prints full keys"),
        "{}",
        r.stderr
    );
    assert_no_leak("show-secrets stderr", &r.stderr, &f.keys);
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(written.contains(&f.keys[0]));
    assert!(written.contains(&f.keys[1]) && written.contains(&f.keys[2]));
    let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "report with full keys must be owner-only");

    let fresh = f.p.path().join("fresh.sarif");
    let r = f.p.run(&[
        "scan",
        "--show-secrets",
        "--format",
        "sarif",
        "-o",
        fresh.to_str().unwrap(),
        ".",
    ]);
    assert_eq!(r.code, 1);
    let mode = std::fs::metadata(&fresh).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert!(std::fs::read_to_string(&fresh)
        .unwrap()
        .contains(&f.keys[5]));

    let r = f.p.run(&["scan", "--show-secrets", "."]);
    assert!(r.stdout.contains(&f.keys[0]));
    assert!(r.stderr.contains("warning: --show-secrets"));
}
