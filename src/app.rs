//! The command layer: resolves parsed options into scanners and reporters, runs
//! the command, and turns the outcome into an exit code. Errors get context here.
use crate::baseline::Baseline;
use crate::cli::{
    Cli, ColorChoice, Command, GitArgs, OutputArgs, RulesAction, ScanArgs, VerifyArgs,
    VerifyKeyArgs,
};
use crate::config::{Config, PathFilter};
use crate::finding::{Finding, Severity};
use crate::input::{fs as fswalk, git as gitscan};
use crate::outcome::{Notice, ScanOutcome};
use crate::report::{self, Format, Report};
use crate::rules::RuleSet;
use crate::rules_check::check_rules;
use crate::scan::{ScanOptions, Scanner};
use crate::verify::{self, VerifyConfig};
use anyhow::{Context as _, Result};
use clap::Parser;
use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

/// Exit code when something was reported.
pub const EXIT_FINDINGS: u8 = 1;
/// Printed when `git --staged` (the pre-commit hook) finds a key.
pub const STAGED_BLOCKED: &str = "\
pkscan: commit blocked: the staged changes contain the key(s) reported above.
  Fix: remove the key from the file and read it from an environment variable on the
  server instead; `git add` the file and commit again. If the key was ever pushed or
  shared, rotate it (Pictify dashboard, Settings > API Keys).
  Not a real key? Put a comment containing pkscan:allow on that line, or add the
  fingerprint with a reason under [[allow]] in .pkscan.toml.
  To commit anyway, once: git commit --no-verify";

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
            .map(|l| format!("{}:{}", l.file(), l.line()));
        eprintln!("{}", panic_message(&payload, at.as_deref()));
    }));
}

/// What a panic prints: redacted, located, and what to do about it.
fn panic_message(payload: &str, at: Option<&str>) -> String {
    let at = at.map(|a| format!(" at {a}")).unwrap_or_default();
    format!(
        "pkscan: internal error (a bug){at}: {}\npkscan: please report it with the command you ran; rerun with --exclude to skip the file that triggers it",
        redact_keys(payload)
    )
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
        Command::Git(args) => git(args),
        Command::Rules { action } => rules(action),
        Command::Verify(args) => verify_key(args),
        Command::Init(args) => crate::hook::init(&args),
        Command::InstallHook(args) => crate::hook::install(&args),
        Command::Merge(args) => merge(args),
    }
}

/// The project configuration for a run: `--config FILE`, else `.pkscan.toml` in
/// `root` (the first scanned root, or the repository), unless `--no-config`.
pub fn load_config(o: &OutputArgs, root: Option<&std::path::Path>) -> Result<Config> {
    let path = if o.no_config {
        None
    } else if let Some(c) = &o.config {
        Some(c.clone())
    } else {
        root.and_then(Config::discover)
    };
    match path {
        Some(p) => Config::load(&p).context("loading project configuration"),
        None => Ok(Config::default()),
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
            let set = RuleSet::load_with_examples(&rules).context("loading rules")?;
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
            let set = RuleSet::load_with_examples(&rules).context("loading rules")?;
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

/// The scanner for a run: built-in rules, `--rules`, then the config's rule files.
pub fn scanner_for(o: &OutputArgs, config: &Config, binary: bool) -> Result<Scanner> {
    let mut paths = o.rules.clone();
    paths.extend(config.rules.iter().cloned());
    let rules = load_rules(&paths)?;
    Ok(Scanner::new(
        rules,
        ScanOptions {
            // Naming another provider in `providers` asks for its keys: without
            // this they would never be produced and the filter would show nothing.
            include_other_providers: o.include_other_providers
                || config.include_other_providers
                || config
                    .providers
                    .iter()
                    .any(|p| !p.eq_ignore_ascii_case("pictify")),
            binary,
            show_secrets: o.show_secrets,
            decode: !o.no_decode,
            ..ScanOptions::default()
        },
    ))
}

fn scan(args: ScanArgs) -> Result<u8> {
    let verify = verify_config(&args.verify, args.output.quiet)?;
    let config = load_config(&args.output, args.paths.first().map(|p| p.as_path()))?;
    let scanner = scanner_for(&args.output, &config, !args.no_binary)?;
    let mut excludes = args.exclude.clone();
    excludes.extend(config.exclude.iter().cloned());
    let walk = fswalk::WalkOptions {
        no_ignore: args.no_ignore,
        excludes,
        max_file_size: args.max_file_size,
        threads: args.threads,
        follow: args.follow,
        archives: (!args.no_archives).then(Default::default),
    };
    let mut total = ScanOutcome::default();
    for root in &args.paths {
        let mut outcome = fswalk::scan_root(&scanner, root, &walk)
            .with_context(|| format!("cannot scan {}", root.display()))?;
        // A directory is a project; a file given alone is only part of one.
        if root.is_dir() {
            scanner.settle_project(&mut outcome);
        }
        outcome.tag_root(&root.display().to_string());
        total.merge(outcome);
    }
    total.sort();
    let roots = args.paths.iter().map(|p| p.display().to_string()).collect();
    emit(
        &scanner,
        &args.output,
        &config,
        verify.as_ref(),
        roots,
        total,
    )
}

fn merge(args: crate::cli::MergeArgs) -> Result<u8> {
    let config = load_config(&args.output, None)?;
    let scanner = scanner_for(&args.output, &config, true)?;
    let (roots, outcome) = crate::merge::load_reports(&args.reports)?;
    emit(&scanner, &args.output, &config, None, roots, outcome)
}

/// `--min-severity`, else the config's, else everything.
fn min_severity(o: &OutputArgs, config: &Config) -> Severity {
    o.min_severity
        .or(config.min_severity)
        .unwrap_or(Severity::Note)
}

/// How many findings each reporting filter left out, for the summary.
#[derive(Default)]
struct Suppressed {
    excluded: usize,
    filtered: usize,
    allowed: usize,
    baselined: usize,
}

/// Applies `--min-severity`/`--context` (else the config's), the config's path
/// excludes, providers and allow-list, then the baseline. Returns the findings
/// to show, the findings to record in a new baseline, and the counts.
fn apply_policy(
    o: &OutputArgs,
    config: &Config,
    baseline: Option<&Baseline>,
    findings: Vec<Finding>,
) -> Result<(Vec<Finding>, Vec<Finding>, Suppressed)> {
    let min = min_severity(o, config);
    let contexts = if o.contexts.is_empty() {
        &config.contexts
    } else {
        &o.contexts
    };
    let excludes = PathFilter::new(&config.exclude).context("compiling exclude globs")?;
    let mut n = Suppressed::default();
    let mut kept = Vec::new();
    for f in findings {
        if excludes.is_excluded(&f.path) {
            n.excluded += 1;
        } else if f.severity < min
            || !(contexts.is_empty() || contexts.contains(&f.context))
            || !(config.providers.is_empty()
                || config
                    .providers
                    .iter()
                    .any(|p| p.eq_ignore_ascii_case(&f.provider)))
        {
            n.filtered += 1;
        } else if config.allow.contains_key(&f.fingerprint) {
            n.allowed += 1;
        } else {
            kept.push(f);
        }
    }
    let (shown, known): (Vec<Finding>, Vec<Finding>) = match baseline {
        Some(b) => kept
            .iter()
            .cloned()
            .partition(|f| !b.contains(&f.fingerprint)),
        None => (kept.clone(), Vec::new()),
    };
    n.baselined = known.len();
    Ok((shown, kept, n))
}

/// The baseline to apply: `--baseline`, else the config's `baseline`.
fn load_baseline(
    o: &OutputArgs,
    config: &Config,
) -> Result<Option<(std::path::PathBuf, Baseline)>> {
    let Some(path) = o.baseline.clone().or_else(|| config.baseline.clone()) else {
        return Ok(None);
    };
    if !path.exists() && o.write_baseline.is_some() {
        // Writing the baseline for the first time: nothing to apply yet.
        return Ok(None);
    }
    if !path.exists() {
        anyhow::bail!(
            "baseline {} does not exist; create it with --write-baseline {}",
            path.display(),
            path.display()
        );
    }
    Ok(Some((path.clone(), Baseline::load(&path)?)))
}

fn git(args: GitArgs) -> Result<u8> {
    // The project configuration lives at the top of the (first) repository's work
    // tree (none for bare repositories unless --config names one).
    let top = git2::Repository::discover(&args.repos[0])
        .ok()
        .and_then(|r| r.workdir().map(|w| w.to_path_buf()));
    let verify = verify_config(&args.verify, args.output.quiet)?;
    let config = load_config(&args.output, top.as_deref())?;
    let scanner = scanner_for(&args.output, &config, !args.no_binary)?;
    let mode = if args.staged {
        gitscan::GitMode::Staged
    } else if let Some(r) = &args.range {
        gitscan::GitMode::Range(r.clone())
    } else if let Some(rev) = &args.since {
        gitscan::GitMode::Range(format!("{rev}..HEAD"))
    } else {
        gitscan::GitMode::History {
            all_objects: args.all_objects,
        }
    };
    let opts = gitscan::GitOptions {
        mode,
        max_file_size: args.max_file_size,
        threads: args.threads,
        progress: !args.output.quiet && io::stderr().is_terminal(),
    };
    let mut total = ScanOutcome::default();
    let mut roots = Vec::new();
    for repo in &args.repos {
        let mut outcome = gitscan::scan_repo(&scanner, repo, &opts)
            .with_context(|| format!("scanning git repository {}", repo.display()))?;
        let root = repo.display().to_string();
        outcome.tag_root(&root);
        total.merge(outcome);
        roots.push(root);
    }
    total.sort();
    total.partial = args.staged || args.range.is_some() || args.since.is_some();
    let code = emit(
        &scanner,
        &args.output,
        &config,
        verify.as_ref(),
        roots,
        total,
    )?;
    if args.staged && code == EXIT_FINDINGS && !args.output.quiet {
        // What a developer whose commit was just blocked needs to know.
        eprintln!("{STAGED_BLOCKED}");
    }
    Ok(code)
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
    config: &Config,
    verify: Option<&VerifyConfig>,
    roots: Vec<String>,
    outcome: ScanOutcome,
) -> Result<u8> {
    // Printed even with --quiet: full keys are about to be written somewhere.
    if o.show_secrets {
        eprintln!("pkscan: warning: --show-secrets prints full keys; do not share this output or keep it in CI logs");
    }
    let baseline = load_baseline(o, config)?;
    let seen: std::collections::BTreeSet<String> = outcome
        .findings
        .iter()
        .map(|f| f.fingerprint.clone())
        .collect();
    let (mut shown, current, mut n) = apply_policy(
        o,
        config,
        baseline.as_ref().map(|(_, b)| b),
        outcome.findings,
    )?;
    // Only keys that would be reported are sent: never allow-listed, baselined
    // or filtered ones. The result can lower severity (a revoked key becomes a
    // note), so the severity threshold is applied again afterwards.
    if let Some(cfg) = verify {
        verify_findings(&mut shown, cfg, o.quiet)?;
        let min = min_severity(o, config);
        let before = shown.len();
        shown.retain(|f| f.severity >= min);
        n.filtered += before - shown.len();
    }
    let mut extra = Vec::new();
    if n.excluded > 0 {
        extra.push(format!(
            "{} finding{} in paths excluded by {}",
            n.excluded,
            plural(n.excluded),
            config_name(config)
        ));
    }
    if n.allowed > 0 {
        extra.push(format!(
            "{} finding{} allow-listed in {}",
            n.allowed,
            plural(n.allowed),
            config_name(config)
        ));
    }
    if let Some((path, b)) = &baseline {
        extra.push(format!(
            "{} known finding{} suppressed by baseline {}",
            n.baselined,
            plural(n.baselined),
            path.display()
        ));
        let seen_ref = seen.iter().map(String::as_str).collect();
        let stale = if outcome.partial {
            Vec::new()
        } else {
            b.stale(&seen_ref)
        };
        if !stale.is_empty() {
            extra.push(format!(
                "{} stale baseline entr{} no longer match{} any finding (remove, or rewrite the baseline with --write-baseline):",
                stale.len(),
                if stale.len() == 1 { "y" } else { "ies" },
                if stale.len() == 1 { "es" } else { "" }
            ));
            for e in stale {
                extra.push(format!(
                    "  stale: {} {} {}",
                    e.fingerprint,
                    e.rule_id,
                    e.paths.join(", ")
                ));
            }
        }
    }
    if let Some(path) = &o.write_baseline {
        let previous = baseline.as_ref().map(|(_, b)| b);
        let previous_at_path = match previous {
            Some(_) => None,
            None if path.exists() => Baseline::load(path).ok(),
            None => None,
        };
        let new = Baseline::from_findings(&current, previous.or(previous_at_path.as_ref()));
        new.write(path)?;
        extra.push(format!(
            "wrote baseline {} with {} entr{}",
            path.display(),
            new.entries.len(),
            if new.entries.len() == 1 { "y" } else { "ies" }
        ));
    }
    let suppressed = n.excluded + n.filtered + n.allowed + n.baselined;
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
        suppressed,
        extra_summary: extra,
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
        for line in &report.extra_summary {
            eprintln!("{line}");
        }
    }
    // Writing a baseline accepts what was found: the run succeeds.
    Ok(if shown.is_empty() || o.write_baseline.is_some() {
        0
    } else {
        EXIT_FINDINGS
    })
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn config_name(config: &Config) -> String {
    config
        .path
        .as_ref()
        .map_or_else(|| "the configuration".into(), |p| p.display().to_string())
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
        let m = panic_message(
            &format!("index out of range near {key}"),
            Some("src/x.rs:1"),
        );
        assert!(m.starts_with(
            "pkscan: internal error (a bug) at src/x.rs:1: index out of range near pk_live_Zq…f9"
        ));
        assert!(!m.contains(key) && m.contains("--exclude"));
    }
}
