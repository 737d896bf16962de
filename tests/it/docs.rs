//! Docs, man page and completions stay in step with the clap definitions: every
//! command and flag the binary accepts is in `pkscan man`, in every completion
//! script and somewhere in `docs/`; every link in the README and docs resolves.
use crate::util::{bin, run_in};
use clap::CommandFactory;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every command as typed (`["rules", "check"]`) with its long flags, from
/// `Cli::command()`: commands and flags added later are covered without
/// editing this test. `help` is clap's own and has no flags of its own.
fn commands() -> Vec<(Vec<String>, Vec<String>)> {
    fn walk(
        cmd: &clap::Command,
        path: &mut Vec<String>,
        out: &mut Vec<(Vec<String>, Vec<String>)>,
    ) {
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            if sub.get_name() == "help" {
                continue;
            }
            path.push(sub.get_name().to_string());
            let flags = sub
                .get_arguments()
                .filter(|a| !a.is_hide_set())
                .filter_map(|a| a.get_long().map(|l| format!("--{l}")))
                .collect();
            out.push((path.clone(), flags));
            walk(sub, path, out);
            path.pop();
        }
    }
    let mut out = Vec::new();
    walk(&pkscan::cli::Cli::command(), &mut Vec::new(), &mut out);
    assert!(out.len() >= 8, "found the commands: {out:?}");
    out
}

fn docs() -> Vec<(PathBuf, String)> {
    let mut out: Vec<_> = std::fs::read_dir(root().join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (p, text)
        })
        .collect();
    out.sort();
    assert!(out.len() >= 10, "docs/ has its topics");
    out
}

/// GitHub's anchor for a Markdown heading: lower case, spaces to hyphens,
/// punctuation other than `-` and `_` dropped.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

fn anchors(markdown: &str) -> BTreeSet<String> {
    let mut fence = false;
    let mut out = BTreeSet::new();
    for line in markdown.lines() {
        if line.starts_with("```") {
            fence = !fence;
        } else if !fence && line.starts_with('#') {
            out.insert(slug(line.trim_start_matches('#')));
        }
    }
    out
}

/// Relative Markdown links `[text](target)` outside code blocks.
fn links(markdown: &str) -> Vec<String> {
    let re = regex::Regex::new(r"\]\(([^)\s]+)\)").unwrap();
    let mut fence = false;
    let mut out = Vec::new();
    for line in markdown.lines() {
        if line.starts_with("```") {
            fence = !fence;
            continue;
        }
        if fence {
            continue;
        }
        for c in re.captures_iter(line) {
            let target = &c[1];
            if !target.contains("://") && !target.starts_with("mailto:") {
                out.push(target.to_string());
            }
        }
    }
    out
}

fn check_links(file: &Path, text: &str, broken: &mut Vec<String>) {
    for link in links(text) {
        let (path, anchor) = link.split_once('#').unwrap_or((&link, ""));
        let target = if path.is_empty() {
            file.to_path_buf()
        } else {
            file.parent().unwrap().join(path)
        };
        if !target.exists() {
            broken.push(format!("{}: {link}: no such file", file.display()));
            continue;
        }
        if !anchor.is_empty() {
            let body = std::fs::read_to_string(&target).unwrap();
            if !anchors(&body).contains(anchor) {
                broken.push(format!("{}: {link}: no such heading", file.display()));
            }
        }
    }
}

#[test]
fn readme_is_short_and_every_link_in_it_and_in_docs_resolves() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let lines = readme.lines().count();
    assert!(lines <= 250, "README.md has {lines} lines (at most 250)");
    let to_docs = links(&readme)
        .into_iter()
        .filter(|l| l.starts_with("docs/"))
        .count();
    assert!(
        to_docs >= 10,
        "the README links into docs/ ({to_docs} links)"
    );
    let mut broken = Vec::new();
    check_links(&root().join("README.md"), &readme, &mut broken);
    for (path, text) in docs() {
        check_links(&path, &text, &mut broken);
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn links_check_finds_a_broken_link_and_a_missing_heading() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("a.md");
    std::fs::write(dir.path().join("b.md"), "# Real heading: here\n").unwrap();
    let text =
        "[ok](b.md#real-heading-here) [gone](c.md) [bad](b.md#nope)\n```\n[code](x.md)\n```\n";
    let mut broken = Vec::new();
    check_links(&doc, text, &mut broken);
    assert_eq!(broken.len(), 2, "{broken:?}");
    assert!(broken[0].contains("c.md: no such file"));
    assert!(broken[1].contains("b.md#nope: no such heading"));
}

#[test]
fn every_flag_in_help_is_documented_in_docs() {
    let all: String = docs().into_iter().map(|(_, t)| t).collect();
    let mut missing = Vec::new();
    for (path, flags) in commands() {
        // The flags come from clap; check they are what --help prints, too.
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let help = run_in(&root(), &args);
        assert_eq!(help.code, 0, "pkscan {args:?}: {}", help.stderr);
        for flag in flags {
            assert!(help.stdout.contains(&flag), "{flag} not in {args:?}");
            if flag == "--help" {
                continue;
            }
            let documented = all.match_indices(&flag).any(|(i, _)| {
                let next = all[i + flag.len()..].chars().next();
                !next.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-')
            });
            if !documented {
                missing.push(format!("pkscan {} {flag}", path.join(" ")));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "not documented in docs/:\n{}",
        missing.join("\n")
    );
}

/// The man page, split into the section of each command (`.SH "PKSCAN SCAN"`).
fn man_sections() -> Vec<(String, String)> {
    let out = run_in(&root(), &["man"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("\n.TH pkscan 1 "), "roff title");
    // roff escapes '-' as '\-'.
    let text = out.stdout.replace("\\-", "-");
    let mut sections = Vec::new();
    for part in text.split("\n.SH ").skip(1) {
        let (head, body) = part.split_once('\n').unwrap_or((part, ""));
        sections.push((head.trim_matches('"').to_string(), body.to_string()));
    }
    sections
}

#[test]
fn man_page_has_a_section_for_every_command_with_every_flag() {
    let sections = man_sections();
    let names: Vec<&str> = sections.iter().map(|(h, _)| h.as_str()).collect();
    for want in ["NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "SEE ALSO"] {
        assert!(names.contains(&want), "{want} in {names:?}");
    }
    let listed = &sections.iter().find(|(h, _)| h == "COMMANDS").unwrap().1;
    for (path, flags) in commands() {
        let full = format!("pkscan {}", path.join(" "));
        assert!(listed.contains(&full), "{full} in COMMANDS");
        let head = full.to_uppercase();
        let (_, body) = sections
            .iter()
            .find(|(h, _)| *h == head)
            .unwrap_or_else(|| panic!("no section {head} in {names:?}"));
        for flag in flags {
            // Once in the synopsis, once where it is explained.
            let n = body.matches(&format!("\\fB{flag}\\fR")).count();
            assert!(n >= 2, "{flag} in the synopsis and options of {head} ({n})");
        }
    }
    // A roff renderer reads it without warnings, where one is installed.
    if let Ok(out) = Command::new("groff")
        .args(["-man", "-Tutf8", "-ww", "-z"])
        .stdin(std::fs::File::open(write_man()).unwrap())
        .output()
    {
        let warnings = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success() && warnings.is_empty(), "{warnings}");
    }
}

fn write_man() -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("docs-test-pkscan.1");
    std::fs::write(&path, run_in(&root(), &["man"]).stdout).unwrap();
    path
}

#[test]
fn completions_name_every_command_and_flag_in_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = run_in(&root(), &["completions", shell]);
        assert_eq!(out.code, 0, "{shell}: {}", out.stderr);
        let script = out.stdout;
        for (path, flags) in commands() {
            let name = path.last().unwrap();
            assert!(script.contains(name.as_str()), "{shell}: command {name}");
            for flag in flags {
                // fish spells flags `-l name`; the others write `--name`.
                let found = if shell == "fish" {
                    script.contains(&format!("-l {}", &flag[2..]))
                } else {
                    script.contains(&flag)
                };
                assert!(found, "{shell}: {flag} of {path:?}");
            }
        }
    }
    let bad = run_in(&root(), &["completions", "tcsh"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("possible values"), "{}", bad.stderr);
}

/// The bash script really completes, in a real bash.
#[test]
fn bash_completion_completes_commands_and_flags() {
    let script = run_in(&root(), &["completions", "bash"]).stdout;
    let file = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("docs-test-pkscan.bash");
    std::fs::write(&file, script).unwrap();
    let complete = |words: &str| {
        let program = format!(
            "source '{}'; COMP_WORDS=({words}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1)); \
             COMP_LINE=\"${{COMP_WORDS[*]}}\"; COMP_POINT=${{#COMP_LINE}}; \
             _pkscan pkscan \"${{COMP_WORDS[-1]}}\" \"${{COMP_WORDS[-2]}}\"; \
             printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            file.display()
        );
        let out = Command::new("bash")
            .args(["--norc", "--noprofile", "-c", &program])
            .output()
            .expect("bash");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    let got = complete("pkscan sc");
    assert_eq!(got, ["scan"], "pkscan sc<TAB>");
    // (`--sta` is ambiguous since `--state`.)
    let got = complete("pkscan git --stag");
    assert_eq!(got, ["--staged"], "pkscan git --stag<TAB>");
    let got = complete("pkscan completions ''");
    for shell in ["bash", "zsh", "fish"] {
        assert!(got.iter().any(|g| g == shell), "{shell} in {got:?}");
    }
}

#[test]
fn man_and_completions_write_nothing_but_stdout() {
    let dir = tempfile::tempdir().unwrap();
    for args in [&["man"][..], &["completions", "zsh"]] {
        let out = Command::new(bin())
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(out.status.success());
        assert!(
            out.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!out.stdout.is_empty());
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}
