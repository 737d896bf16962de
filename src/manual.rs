//! The man page and shell completions, generated from the clap definitions in
//! `cli`, so they list exactly the commands and flags the binary accepts.
use crate::cli::Cli;
use clap::CommandFactory;
use clap_mangen::roff::{bold, roman, Roff};
use clap_mangen::Man;
use std::io::{self, Write};

/// Where the full reference lives; the man page points there.
const DOCS: &str = "https://github.com/pictify/pkscan/tree/main/docs";

/// The command tree as the binary parses it, with bin names filled in
/// (`pkscan rules check`) and without clap's generated `help` command.
fn command() -> clap::Command {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    cmd
}

/// Every command below the top, depth first, in definition order.
pub fn subcommands(cmd: &clap::Command) -> Vec<&clap::Command> {
    let mut out = Vec::new();
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        out.push(sub);
        out.extend(subcommands(sub));
    }
    out
}

/// A command's full name as typed: `pkscan rules check`.
fn full_name(cmd: &clap::Command) -> &str {
    cmd.get_bin_name().unwrap_or_else(|| cmd.get_name())
}

/// Writes one roff page: the top command, then a section per command with its
/// synopsis, options and examples. One page (rather than git's page per
/// command) keeps `man pkscan` complete and the release archive simple.
pub fn man(out: &mut dyn Write) -> io::Result<()> {
    let cmd = command();
    let version = cmd.get_version().unwrap_or_default().to_string();
    let top = Man::new(cmd.clone())
        .source(format!("pkscan {version}"))
        .manual("User Commands");
    let mut page = Vec::new();
    top.render_title(&mut page)?;
    top.render_name_section(&mut page)?;
    top.render_synopsis_section(&mut page)?;

    let mut roff = Roff::default();
    roff.control("SH", ["DESCRIPTION"]);
    roff.text([roman(
        "pkscan finds Pictify API keys (pk_live_..., pk_test_...) where Pictify's guidance says \
         they must never be: client-side JavaScript, mobile apps, browser storage, committed \
         configuration and public repositories. It tells them apart from other services' \
         publishable keys with the same prefixes and from placeholders, says where each key \
         sits and how bad that is, and reports text, JSON and SARIF.",
    )]);
    roff.control("PP", []);
    roff.text([roman(format!(
        "Keys are shown redacted unless --show-secrets is given. Nothing is sent over the \
         network unless --verify is given. The full reference: {DOCS}"
    ))]);
    roff.control("SH", ["COMMANDS"]);
    for sub in subcommands(&cmd) {
        roff.control("TP", []);
        roff.text([bold(full_name(sub))]);
        roff.text([roman(
            sub.get_about().map(|a| a.to_string()).unwrap_or_default(),
        )]);
    }
    roff.to_writer(&mut page)?;
    top.render_options_section(&mut page)?;

    for sub in subcommands(&cmd) {
        let mut head = Roff::default();
        head.control("SH", [full_name(sub).to_uppercase().as_str()]);
        if let Some(about) = sub.get_about() {
            head.text([roman(about.to_string())]);
        }
        head.to_writer(&mut page)?;
        let man = Man::new(sub.clone());
        let mut body = Vec::new();
        man.render_synopsis_section(&mut body)?;
        if sub.get_arguments().any(|a| !a.is_hide_set()) {
            man.render_options_section(&mut body)?;
        }
        if sub.get_after_help().is_some() {
            man.render_extra_section(&mut body)?;
        }
        page.extend(demote(&body, "NOTES"));
    }

    let mut tail = Roff::default();
    if let Some(notes) = cmd.get_after_help() {
        tail.control("SH", ["EXIT STATUS AND EXAMPLES"]);
        for line in notes.to_string().lines() {
            if line.trim().is_empty() {
                tail.control("PP", []);
            } else {
                tail.text([roman(line)]);
                tail.control("br", []);
            }
        }
    }
    tail.control("SH", ["SEE ALSO"]);
    tail.text([roman(format!("{DOCS}, pre-commit(8), git(1)"))]);
    tail.to_writer(&mut page)?;
    top.render_version_section(&mut page)?;
    out.write_all(&page)?;
    out.flush()
}

/// Turns a command's own `.SH` sections into `.SS` subsections of its section
/// in the page, naming clap_mangen's `EXTRA` (the after-help text) `rename`.
fn demote(roff: &[u8], rename: &str) -> Vec<u8> {
    let text = String::from_utf8_lossy(roff);
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        match line.strip_prefix(".SH ") {
            Some(rest) if rest.trim_end() == "EXTRA" => {
                out.push_str(&format!(".SS {rename}\n"));
            }
            Some(rest) => {
                out.push_str(".SS ");
                out.push_str(rest);
            }
            None => out.push_str(line),
        }
    }
    out.into_bytes()
}

/// Writes the completion script for `shell`.
pub fn completions(shell: clap_complete::Shell, out: &mut dyn Write) -> io::Result<()> {
    let mut cmd = Cli::command();
    clap_complete::generate(shell, &mut cmd, "pkscan", out);
    out.flush()
}
