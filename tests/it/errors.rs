//! Clear errors: every error names the path or argument involved and says what
//! to do, exits 2, and every subcommand's --help shows examples.
use crate::util::*;

/// Subcommand names listed under `Commands:` in a help text.
fn subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        // Wrapped descriptions are indented further than command names.
        .filter(|l| !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(String::from)
        .collect()
}

/// An example is an indented command line invoking `pkscan <cmd>` (possibly in a pipe).
fn has_example(help: &str, cmd: &str) -> bool {
    let want = format!("pkscan {cmd}");
    help.lines()
        .filter(|l| l.starts_with("  "))
        .any(|l| l.trim_start().starts_with(&want) || l.contains(&format!("| {want}")))
}

#[test]
fn every_subcommand_help_has_examples() {
    let p = Project::new();
    let top = p.run(&["--help"]);
    assert_eq!(top.code, 0);
    let cmds = subcommands(&top.stdout);
    assert!(cmds.contains(&"scan".to_string()) && cmds.contains(&"rules".to_string()));
    let mut all: Vec<String> = Vec::new();
    for c in &cmds {
        all.push(c.clone());
        let r = p.run(&[c.as_str(), "--help"]);
        for sub in subcommands(&r.stdout) {
            all.push(format!("{c} {sub}"));
        }
    }
    assert!(has_example(&top.stdout, "scan"), "{}", top.stdout);
    for cmd in &all {
        let mut args: Vec<&str> = cmd.split(' ').collect();
        args.push("--help");
        let r = p.run(&args);
        assert_eq!(r.code, 0, "{args:?}");
        assert!(
            has_example(&r.stdout, cmd),
            "`pkscan {cmd} --help` has no examples:\n{}",
            r.stdout
        );
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
