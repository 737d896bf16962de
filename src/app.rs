//! The command layer: resolves parsed options into scanners and reporters, runs
//! the command, and turns the outcome into an exit code. Errors get context here.
use crate::cli::{
    Cli, ColorChoice, Command, OutputArgs, RulesAction, ScanArgs, VerifyArgs, VerifyKeyArgs,
};
use crate::finding::Finding;
use crate::input::{fs as fswalk, Notice, ScanOutcome};
use crate::report::{self, Format, Report};
use crate::rules::{check_rules, RuleSet};
use crate::scan::{ScanOptions, Scanner};
use crate::verify::{self, VerifyConfig};
use anyhow::{Context as _, Result};
use clap::Parser;
use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

/// Exit code when something was reported.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code for errors (bad arguments, unreadable root, invalid rule).
pub const EXIT_ERROR: u8 = 2;

pub fn main() -> ExitCode {
    install_panic_hook();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_ERROR } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            // Error messages quote files (a rule file's bad line, a path): never
            // let them carry a key to a CI log.
            eprintln!("pkscan: error: {}", redact_keys(&error_chain(&e)));
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// The error and its causes joined by `: `, leaving out a cause whose text the
/// message already quotes (typed errors often include their source).
pub fn error_chain(e: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if out.contains(&text) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&text);
    }
    out
}

/// Replaces every `pk_live_`/`pk_test_` key-like string in `s` by its redacted form.
pub fn redact_keys(s: &str) -> String {
    use std::sync::OnceLock;
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    let re = RE.get_or_init(|| regex::Regex::new(r"pk_(?:live|test)_[A-Za-z0-9_\-]+").unwrap());
    re.replace_all(s, |c: &regex::Captures<'_>| crate::finding::redact(&c[0]))
        .into_owned()
}

/// Panics are bugs; their messages may quote scanned data, so they are redacted
/// like everything else and point the user at what to do.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let payload = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "pkscan: internal error (a bug){at}: {}\npkscan: please report it with the command you ran; rerun with --exclude to skip the file that triggers it",
            redact_keys(&payload)
        );
    }));
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}

pub fn run(cli: Cli) -> Result<u8> {
    match cli.command {
        Command::Scan(args) => scan(args),
        Command::Rules { action } => rules(action),
        Command::Verify(args) => verify_key(args),
    }
}

fn load_rules(extra: &[std::path::PathBuf]) -> Result<RuleSet> {
    RuleSet::load(extra).map_err(|e| {
        anyhow::anyhow!(
            "{e}\nFix the rule file, then check it with `pkscan rules check --rules <PATH>`."
        )
    })
}

fn rules(action: RulesAction) -> Result<u8> {
    let mut out = io::stdout().lock();
    match action {
        RulesAction::List { rules } => {
            let set = load_rules(&rules)?;
            for r in &set.rules {
                writeln!(
                    out,
                    "{:<34} {:<10} {:<12} {}",
                    r.def.id,
                    format!("{:?}", r.def.kind).to_lowercase(),
                    r.def.provider,
                    r.def.name
                )?;
            }
            Ok(0)
        }
        RulesAction::Check { rules } => {
            let set = load_rules(&rules)?;
            let report = check_rules(&set);
            for line in &report.failures {
                writeln!(out, "FAIL {line}")?;
            }
            writeln!(
                out,
                "{} rules, {} examples, {} negative examples checked; {} failures",
                set.rules.len(),
                report.examples,
                report.negative_examples,
                report.failures.len()
            )?;
            Ok(if report.failures.is_empty() {
                0
            } else {
                EXIT_ERROR
            })
        }
    }
}

fn scanner_for(o: &OutputArgs, binary: bool) -> Result<Scanner> {
    let rules = load_rules(&o.rules)?;
    Ok(Scanner::new(
        rules,
        ScanOptions {
            include_other_providers: o.include_other_providers,
            binary,
            show_secrets: o.show_secrets,
            ..ScanOptions::default()
        },
    ))
}

fn scan(args: ScanArgs) -> Result<u8> {
    let verify = verify_config(&args.verify, args.output.quiet)?;
    let scanner = scanner_for(&args.output, !args.no_binary)?;
    let walk = fswalk::WalkOptions {
        no_ignore: args.no_ignore,
        excludes: args.exclude.clone(),
        max_file_size: args.max_file_size,
        threads: args.threads,
        follow: args.follow,
        archives: (!args.no_archives).then(Default::default),
    };
    let mut total = ScanOutcome::default();
    for root in &args.paths {
        let outcome = fswalk::scan_root(&scanner, root, &walk)
            .with_context(|| format!("cannot scan {}", root.display()))?;
        total.merge(outcome);
    }
    total.sort();
    if let Some(cfg) = &verify {
        verify_findings(&mut total.findings, cfg, args.output.quiet)?;
    }
    let roots = args.paths.iter().map(|p| p.display().to_string()).collect();
    emit(&scanner, &args.output, roots, total)
}

/// Validates the verification options before any work is done, so a refused API
/// base fails fast. `None` when `--verify` is off. Shared by `scan` and `git`.
pub fn verify_config(args: &VerifyArgs, quiet: bool) -> Result<Option<VerifyConfig>> {
    let ignored = args.ignored();
    if !ignored.is_empty() && !quiet {
        eprintln!(
            "pkscan: warning: {} has no effect without --verify",
            ignored.join(", ")
        );
    }
    Ok(VerifyConfig::from_args(args)?)
}

/// Checks the keys of `findings` against the API (between scanning and `emit`)
/// and prints a one-line summary on stderr.
pub fn verify_findings(findings: &mut [Finding], cfg: &VerifyConfig, quiet: bool) -> Result<()> {
    let summary = verify::apply(findings, cfg).context("verifying keys")?;
    if !quiet {
        eprintln!("pkscan: {summary}");
    }
    Ok(())
}

/// `pkscan verify`: one key from stdin, its status on stdout.
/// Exit 0 inactive, 1 active, 2 unknown or error.
fn verify_key(args: VerifyKeyArgs) -> Result<u8> {
    anyhow::ensure!(
        args.key_on_command_line.is_empty(),
        "pkscan verify does not take the key as an argument: it leaks into shell history and \
         process lists (consider removing it from your history). Pipe it in instead: pkscan verify < key.txt"
    );
    let cfg = VerifyConfig::from_api_args(&args.api)?;
    let key = read_key_from_stdin()?;
    let secret = crate::finding::Secret::new(key);
    let outcome = verify::check_one(&secret, &cfg).context("verifying the key")?;
    let mut out = io::stdout().lock();
    if args.json {
        let mut v = serde_json::to_value(outcome.to_verification())?;
        v["key"] = secret.redacted().into();
        writeln!(out, "{v}")?;
    } else {
        let http = outcome
            .http_status
            .map(|s| format!(" (HTTP {s})"))
            .unwrap_or_default();
        writeln!(
            out,
            "{}: {}{http}: {}",
            secret.redacted(),
            outcome.status,
            outcome.detail
        )?;
    }
    out.flush()?;
    Ok(match outcome.status {
        verify::Status::Inactive => 0,
        verify::Status::Active => EXIT_FINDINGS,
        verify::Status::Unknown | verify::Status::NotChecked => EXIT_ERROR,
    })
}

/// Reads exactly one key (one non-empty line) from standard input. Errors never
/// repeat what was read.
fn read_key_from_stdin() -> Result<String> {
    use std::io::Read;
    let stdin = io::stdin();
    if stdin.is_terminal() {
        eprintln!(
            "pkscan: paste the key and press Enter (it is read from standard input, not stored):"
        );
    }
    let mut buf = Vec::new();
    // Enough for any key; more means the wrong thing was piped in.
    stdin
        .lock()
        .take(8 * 1024 + 1)
        .read_to_end(&mut buf)
        .context("reading the key from standard input")?;
    anyhow::ensure!(
        buf.len() <= 8 * 1024,
        "standard input is larger than 8 KiB; pipe in just the key"
    );
    let text = String::from_utf8(buf)
        .map_err(|_| anyhow::anyhow!("the key on standard input is not UTF-8 text"))?;
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    match lines.as_slice() {
        [] => anyhow::bail!(
            "no key on standard input; usage: pkscan verify < key.txt (never put the key on the command line)"
        ),
        [key] => {
            anyhow::ensure!(
                verify::header_safe(key),
                "the input is not a key: expected one token of 8 to 1024 printable characters without spaces"
            );
            Ok((*key).to_string())
        }
        _ => anyhow::bail!(
            "standard input holds {} lines; pkscan verify checks exactly one key",
            lines.len()
        ),
    }
}

/// Applies report filters, writes the report and returns the exit code.
pub fn emit(
    scanner: &Scanner,
    o: &OutputArgs,
    roots: Vec<String>,
    outcome: ScanOutcome,
) -> Result<u8> {
    // Printed even with --quiet: full keys are about to be written somewhere.
    if o.show_secrets {
        eprintln!("pkscan: warning: --show-secrets prints full keys; do not share this output or keep it in CI logs");
    }
    let (shown, suppressed): (Vec<Finding>, Vec<Finding>) =
        outcome.findings.into_iter().partition(|f| {
            f.severity >= o.min_severity
                && (o.contexts.is_empty() || o.contexts.contains(&f.context))
        });
    if !o.quiet {
        for n in &outcome.notices {
            print_notice(n);
        }
    }
    let report = Report {
        roots,
        findings: &shown,
        notices: &outcome.notices,
        files_scanned: outcome.files_scanned,
        bytes_scanned: outcome.bytes_scanned,
        rules: &scanner.rules,
        show_secrets: o.show_secrets,
        suppressed: suppressed.len(),
        extra_summary: Vec::new(),
    };
    let color = match o.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            o.output.is_none()
                && std::env::var_os("NO_COLOR").is_none()
                && io::stdout().is_terminal()
        }
    };
    write_output(o, |w| report::write_report(&report, o.format, color, w))?;
    if o.format != Format::Text && !o.quiet {
        eprintln!("{}", report::text_summary(&report));
    }
    Ok(if shown.is_empty() { 0 } else { EXIT_FINDINGS })
}

fn print_notice(n: &Notice) {
    eprintln!("pkscan: {}: {}: {}", n.kind, n.path, redact_keys(&n.reason));
}

/// Writes to `--output` (owner-only permissions when it may hold full keys) or stdout.
fn write_output(o: &OutputArgs, f: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
    match &o.output {
        Some(path) => {
            let mut opts = std::fs::OpenOptions::new();
            opts.write(true).create(true).truncate(true);
            #[cfg(unix)]
            if o.show_secrets {
                use std::os::unix::fs::OpenOptionsExt;
                opts.mode(0o600);
            }
            let file = opts.open(path).with_context(|| {
                format!(
                    "cannot create report file {} (--output); check that its directory exists and is writable",
                    path.display()
                )
            })?;
            #[cfg(unix)]
            if o.show_secrets {
                use std::os::unix::fs::PermissionsExt;
                file.set_permissions(std::fs::Permissions::from_mode(0o600))
                    .with_context(|| format!("restricting permissions of {}", path.display()))?;
            }
            let mut w = io::BufWriter::new(file);
            f(&mut w).with_context(|| format!("writing report to {}", path.display()))?;
            w.flush()
                .with_context(|| format!("writing report to {}", path.display()))?;
        }
        None => {
            let stdout = io::stdout();
            let mut w = io::BufWriter::new(stdout.lock());
            f(&mut w).context("writing report to standard output")?;
            w.flush().context("writing report to standard output")?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_text_is_redacted_and_causes_not_repeated() {
        let key = "pk_live_Zq8Xv2Lm4Np6Rt0Yb3Kd7Hf9";
        assert_eq!(
            redact_keys(&format!("bad line: pattern = \"{key}")),
            "bad line: pattern = \"pk_live_Zq…f9"
        );
        let io = std::io::Error::new(io::ErrorKind::NotFound, "No such file");
        let e = anyhow::Error::new(io).context("cannot read x: No such file");
        assert_eq!(error_chain(&e), "cannot read x: No such file");
        let e = anyhow::anyhow!("inner").context("outer");
        assert_eq!(error_chain(&e), "outer: inner");
    }
}
