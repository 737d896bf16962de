//! Clear errors: every error names the path or argument involved and says what
//! to do, exits 2, and every subcommand's --help shows examples.
use crate::util::*;

#[test]
fn every_subcommand_help_has_examples() {
    let p = Project::new();
    for cmd in [
        &["--help"][..],
        &["scan", "--help"],
        &["rules", "--help"],
        &["rules", "list", "--help"],
        &["rules", "check", "--help"],
    ] {
        let r = p.run(cmd);
        assert_eq!(r.code, 0, "{cmd:?}");
        assert!(
            r.stdout.contains("Example"),
            "{cmd:?} has no examples:\n{}",
            r.stdout
        );
        assert!(r.stdout.contains("pkscan "), "{cmd:?}");
    }
}

#[test]
fn errors_name_the_path_or_argument_and_what_to_do() {
    let p = Project::new();
    p.write("src/a.js", "x\n");
    p.write(
        "bad.toml",
        "[[rule]]\nid = \"x\"\npattern = \"unterminated\n",
    );
    let cases: Vec<(Vec<&str>, Vec<&str>)> = vec![
        (
            vec!["scan", "missing-dir"],
            vec!["missing-dir", "check that the path exists"],
        ),
        (
            vec!["scan", "--rules", "bad.toml", "src"],
            vec!["bad.toml", "line 3", "pkscan rules check"],
        ),
        (
            vec!["scan", "--rules", "nope.toml", "src"],
            vec!["nope.toml", "No such file"],
        ),
        (
            vec!["scan", "--exclude", "[", "src"],
            vec!["--exclude", "\"[\"", "use a glob"],
        ),
        (
            vec!["scan", "--output", "no/such/dir/r.json", "src"],
            vec!["no/such/dir/r.json", "--output", "directory exists"],
        ),
        (
            vec!["scan", "--max-file-size", "12Q", "src"],
            vec!["--max-file-size", "12Q", "e.g. 512M"],
        ),
        (
            vec!["scan", "--context", "frontend", "src"],
            vec!["--context", "frontend", "client-js"],
        ),
        (
            vec!["scan", "--min-severity", "urgent", "src"],
            vec!["--min-severity", "urgent", "critical"],
        ),
    ];
    for (args, wants) in cases {
        let r = p.run(&args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        for w in wants {
            assert!(
                r.stderr.contains(w),
                "{args:?}: {w:?} missing in:\n{}",
                r.stderr
            );
        }
        // One clear message, not a repeated cause chain.
        let lines: Vec<&str> = r.stderr.lines().filter(|l| !l.trim().is_empty()).collect();
        let mut dedup = lines.clone();
        dedup.dedup();
        assert_eq!(lines, dedup, "{args:?}");
    }
}
