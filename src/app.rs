//! The command layer: resolves parsed options into scanners and reporters, runs
//! the command, and turns the outcome into an exit code. Errors get context here.
use crate::audit;
use crate::baseline::Baseline;
use crate::cli::{
    AuditArgs, Cli, ColorChoice, Command, ForgeArgs, GitArgs, GithubArgs, GitlabArgs, OutputArgs,
    RepoScanArgs, RulesAction, ScanArgs, UrlArgs, VerifyArgs, VerifyKeyArgs,
};
use crate::config::{Config, PathFilter};
use crate::finding::{Finding, Severity};
use crate::forge;
use crate::input::{fs as fswalk, git as gitscan, remote, url as site};
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
        Command::Url(args) => url(args),
        Command::Rules { action } => rules(action),
        Command::Verify(args) => verify_key(args),
        Command::Init(args) => crate::hook::init(&args),
        Command::InstallHook(args) => crate::hook::install(&args),
        Command::Merge(args) => merge(args),
        Command::Github(args) => github(args),
        Command::Gitlab(args) => gitlab(args),
        Command::Man => {
            crate::manual::man(&mut io::stdout().lock())?;
            Ok(0)
        }
        Command::Completions(args) => {
            crate::manual::completions(args.shell, &mut io::stdout().lock())?;
            Ok(0)
        }
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
    let is_url = |p: &std::path::PathBuf| remote::is_remote(&p.to_string_lossy());
    let audit = args.repos.iter().any(is_url)
        || args.audit.state.is_some()
        || args.audit.clone_dir.is_some()
        || args.audit.jobs.is_some();
    if audit {
        anyhow::ensure!(
            !args.staged && args.range.is_none() && args.since.is_none(),
            "--staged, --range and --since scan one local repository: they cannot be combined with URLs, --state, --clone-dir or --jobs"
        );
        anyhow::ensure!(
            !(args.all_objects && args.audit.state.is_some()),
            "--all-objects cannot be combined with --state (incremental runs follow refs)"
        );
    }
    // The project configuration lives at the top of the (first) repository's work
    // tree (none for bare repositories or URLs unless --config names one).
    let top = Some(&args.repos[0])
        .filter(|r| !is_url(r))
        .and_then(|r| git2::Repository::discover(r).ok())
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
    let (roots, total) = if audit {
        let targets: Vec<audit::Target> = args
            .repos
            .iter()
            .map(|r| {
                if is_url(r) {
                    let remote = remote::RemoteRepo::from_url(&r.to_string_lossy());
                    audit::Target {
                        root: remote.label.clone(),
                        source: audit::Source::Remote(remote),
                        forge: None,
                    }
                } else {
                    audit::Target {
                        root: r.display().to_string(),
                        source: audit::Source::Local(r.clone()),
                        forge: None,
                    }
                }
            })
            .collect();
        run_audit(&scanner, &targets, opts, &args.audit, args.output.quiet)?
    } else {
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
        (roots, total)
    };
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

fn run_audit(
    scanner: &Scanner,
    targets: &[audit::Target],
    git: gitscan::GitOptions,
    a: &AuditArgs,
    quiet: bool,
) -> Result<(Vec<String>, ScanOutcome)> {
    anyhow::ensure!(a.jobs != Some(0), "--jobs must be at least 1");
    audit::run(
        scanner,
        targets,
        &audit::AuditOptions {
            git,
            jobs: a.jobs.unwrap_or(audit::DEFAULT_JOBS),
            clone_dir: a.clone_dir.as_deref(),
            state: a.state.as_deref(),
            quiet,
        },
    )
}

/// The forge token from the first of `vars` that is set and not empty.
fn token_from_env(vars: &[&str]) -> Option<forge::Token> {
    vars.iter()
        .filter_map(|v| std::env::var(v).ok())
        .map(|t| t.trim().to_string())
        .find(|t| !t.is_empty())
        .map(forge::Token::new)
}

/// Whether the token for `api` may go with a clone from `clone_url`: the same
/// host (GitLab, GitHub Enterprise) or `api.HOST` for `HOST` (github.com), over
/// HTTPS (plain HTTP only to loopback).
fn token_goes_to(api: &forge::http::ApiUrl, clone_url: &str) -> bool {
    let Ok(u) = url::Url::parse(clone_url) else {
        return false;
    };
    let Some(host) = u.host_str() else {
        return false;
    };
    let scheme_ok =
        u.scheme() == "https" || (u.scheme() == "http" && forge::http::is_loopback(host));
    let api_host = api.host();
    scheme_ok
        && (host.eq_ignore_ascii_case(api_host)
            || api_host
                .strip_prefix("api.")
                .is_some_and(|h| h.eq_ignore_ascii_case(host)))
}

/// Everything `pkscan github` and `pkscan gitlab` share once they have a listing.
struct ForgeRun<'a> {
    /// `github acme` or `gitlab group acme/platform`, for messages.
    what: String,
    forge: &'a ForgeArgs,
    scan: &'a RepoScanArgs,
    audit: &'a AuditArgs,
    output: &'a OutputArgs,
    verify: &'a VerifyArgs,
    token: Option<forge::Token>,
    /// The user name git sends with the token over HTTPS.
    git_user: &'static str,
}

fn forge_api(
    name: &'static str,
    default_url: &str,
    f: &ForgeArgs,
    token: Option<forge::Token>,
    headers: Vec<(&'static str, &'static str)>,
    quiet: bool,
) -> Result<forge::http::Api> {
    let base = forge::http::ApiUrl::parse(f.api_url.as_deref().unwrap_or(default_url))?;
    Ok(forge::http::Api::new(
        name,
        base,
        token,
        headers,
        f.max_wait
            .unwrap_or(std::time::Duration::from_secs(15 * 60)),
        Box::new(move |line: &str| {
            if !quiet {
                eprintln!("pkscan: {line}");
            }
        }),
    ))
}

fn github(args: GithubArgs) -> Result<u8> {
    let token = token_from_env(&["GITHUB_TOKEN", "GH_TOKEN"]);
    let api = forge_api(
        "GitHub",
        "https://api.github.com",
        &args.forge,
        token.clone(),
        vec![
            ("Accept", "application/vnd.github+json"),
            ("X-GitHub-Api-Version", "2022-11-28"),
        ],
        args.output.quiet,
    )?;
    let owner = match (&args.org, &args.user) {
        (Some(o), _) => forge::GithubOwner::Org(o.clone()),
        (None, Some(u)) => forge::GithubOwner::User(u.clone()),
        (None, None) => anyhow::bail!("give --org NAME or --user NAME"),
    };
    let what = match &owner {
        forge::GithubOwner::Org(o) => format!("GitHub organisation {o}"),
        forge::GithubOwner::User(u) => format!("GitHub user {u}"),
    };
    let all = forge::list_github(&api, &owner)
        .with_context(|| format!("listing the repositories of {what}"))?;
    forge_audit(
        ForgeRun {
            what,
            forge: &args.forge,
            scan: &args.scan,
            audit: &args.audit,
            output: &args.output,
            verify: &args.verify,
            token,
            git_user: "x-access-token",
        },
        &api,
        all,
    )
}

fn gitlab(args: GitlabArgs) -> Result<u8> {
    let token = token_from_env(&["GITLAB_TOKEN"]);
    let mut forge_args = args.forge.clone();
    // `--api-url https://gitlab.example.com` means its REST API under /api/v4.
    let raw = forge_args
        .api_url
        .take()
        .unwrap_or_else(|| "https://gitlab.com".into());
    let trimmed = raw.trim_end_matches('/');
    forge_args.api_url = Some(if trimmed.ends_with("/api/v4") {
        trimmed.to_string()
    } else {
        format!("{trimmed}/api/v4")
    });
    let api = forge_api(
        "GitLab",
        "",
        &forge_args,
        token.clone(),
        Vec::new(),
        args.output.quiet,
    )?;
    let what = format!("GitLab group {}", args.group);
    let all = forge::list_gitlab(&api, &args.group)
        .with_context(|| format!("listing the projects of {what}"))?;
    forge_audit(
        ForgeRun {
            what,
            forge: &args.forge,
            scan: &args.scan,
            audit: &args.audit,
            output: &args.output,
            verify: &args.verify,
            token,
            git_user: "oauth2",
        },
        &api,
        all,
    )
}

fn forge_audit(
    run: ForgeRun<'_>,
    api: &forge::http::Api,
    all: Vec<forge::ForgeRepo>,
) -> Result<u8> {
    let f = run.forge;
    let listed = all.len();
    let mut listing = forge::Listing::from_all(
        all,
        forge::ListFilter {
            include_forks: f.include_forks,
            include_archived: f.include_archived,
        },
    );
    let mut summary = vec![format!(
        "{}: {listed} repositor{} listed, {} audited{}",
        run.what,
        if listed == 1 { "y" } else { "ies" },
        listing.repos.len(),
        left_out(&listing)
    )];
    if let Some((k, n)) = f.shard {
        listing
            .repos
            .retain(|r| forge::shard_of(&r.full_name, n) == k);
        summary.push(format!("shard {k}/{n}: {} of them", listing.repos.len()));
    }
    if f.list {
        return write_listing(&run, &listing);
    }
    anyhow::ensure!(run.audit.jobs != Some(0), "--jobs must be at least 1");
    let verify = verify_config(run.verify, run.output.quiet)?;
    let config = load_config(run.output, None)?;
    let scanner = scanner_for(run.output, &config, !run.scan.no_binary)?;
    let mut targets = Vec::new();
    for r in &listing.repos {
        let url = if f.ssh {
            match &r.ssh_url {
                Some(u) => u.clone(),
                None => anyhow::bail!("{} has no SSH clone URL; drop --ssh", r.full_name),
            }
        } else {
            r.clone_url.clone()
        };
        let mut remote = remote::RemoteRepo::from_url(&url);
        remote.label = r.full_name.clone();
        if remote.auth.is_none() && !f.ssh {
            if let Some(t) = &run.token {
                if token_goes_to(&api.base, &remote.url) {
                    remote.auth = remote::GitAuth::basic(&remote.url, run.git_user, t.expose());
                }
            }
        }
        targets.push(audit::Target {
            root: r.full_name.clone(),
            source: audit::Source::Remote(remote),
            forge: Some(r.clone()),
        });
    }
    let git = gitscan::GitOptions {
        mode: gitscan::GitMode::History { all_objects: false },
        max_file_size: run.scan.max_file_size,
        threads: run.scan.threads,
        progress: false,
    };
    let (roots, mut total) = run_audit(&scanner, &targets, git, run.audit, run.output.quiet)?;
    summary.append(&mut total.summary);
    total.summary = summary;
    emit(&scanner, run.output, &config, verify.as_ref(), roots, total)
}

fn left_out(l: &forge::Listing) -> String {
    let mut parts = Vec::new();
    if l.forks_skipped > 0 {
        parts.push(format!(
            "{} fork{} (--include-forks)",
            l.forks_skipped,
            plural(l.forks_skipped)
        ));
    }
    if l.archived_skipped > 0 {
        parts.push(format!(
            "{} archived (--include-archived)",
            l.archived_skipped
        ));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("; left out: {}", parts.join(", "))
    }
}

/// `--list`: the repositories that would be audited, with their shards.
fn write_listing(run: &ForgeRun<'_>, l: &forge::Listing) -> Result<u8> {
    let shards = run.forge.shards.or(run.forge.shard.map(|(_, n)| n));
    match run.output.format {
        Format::Text => write_output(run.output, |w| {
            for r in &l.repos {
                match shards {
                    Some(n) => {
                        writeln!(w, "{}\t{}", forge::shard_of(&r.full_name, n), r.full_name)?
                    }
                    None => writeln!(w, "{}", r.full_name)?,
                }
            }
            Ok(())
        })?,
        Format::Json => {
            let repos: Vec<serde_json::Value> = l
                .repos
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "full_name": r.full_name,
                        "clone_url": r.clone_url,
                        "web_url": r.web_url,
                        "fork": r.fork,
                        "archived": r.archived,
                        "shard": shards.map(|n| forge::shard_of(&r.full_name, n)),
                    })
                })
                .collect();
            let mut sizes = vec![0usize; shards.unwrap_or(0) as usize];
            for r in &l.repos {
                if let Some(n) = shards {
                    sizes[forge::shard_of(&r.full_name, n) as usize - 1] += 1;
                }
            }
            let doc = serde_json::json!({
                "schema": "pkscan-repositories/1",
                "source": run.what,
                "shards": shards,
                "shard_sizes": sizes,
                "repositories": repos,
                "left_out": {"forks": l.forks_skipped, "archived": l.archived_skipped},
            });
            write_output(run.output, |w| {
                serde_json::to_writer_pretty(&mut *w, &doc)?;
                writeln!(w)
            })?
        }
        other => anyhow::bail!("--list writes text or json, not {other:?}"),
    }
    if !run.output.quiet {
        eprintln!(
            "pkscan: {}: {} repositor{} to audit{}",
            run.what,
            l.repos.len(),
            if l.repos.len() == 1 { "y" } else { "ies" },
            left_out(l)
        );
    }
    Ok(0)
}

/// `pkscan url`: audits deployed sites; everything they serve is client-side.
fn url(args: UrlArgs) -> Result<u8> {
    let starts = args
        .urls
        .iter()
        .enumerate()
        .map(|(i, u)| {
            crate::cli::parse_url(u).map_err(|e| anyhow::anyhow!("start URL {}: {e}", i + 1))
        })
        .collect::<Result<Vec<_>>>()?;
    let verify = verify_config(&args.verify, args.output.quiet)?;
    // The project whose site this is: its .pkscan.toml (allow-list, baseline)
    // is the one in the working directory.
    let config = load_config(&args.output, Some(std::path::Path::new(".")))?;
    let mut scanner = scanner_for(&args.output, &config, true)?;
    scanner.opts.context_override = Some((
        crate::finding::Context::ClientJs,
        "served to browsers by the site".into(),
    ));
    let l = &args.limits;
    let opts = site::UrlOptions {
        limits: site::Limits {
            max_requests: l.max_requests,
            max_total_bytes: l.max_total_size,
            max_response_bytes: l.max_response_size,
            max_redirects: l.max_redirects,
            request_timeout: l.request_timeout,
            deadline: l.timeout,
            concurrency: l.concurrency as usize,
            rate: l.rate,
        },
        depth: args.depth,
        max_pages: args.max_pages.max(1),
        sitemap: args.sitemap,
        source_maps: !args.no_source_maps,
        headers: args.headers.clone(),
    };
    let mut outcome = site::audit(&scanner, &starts, &opts).context("auditing the site")?;
    // A site is a project: what it serves elsewhere says whose unowned keys are.
    scanner.settle_project(&mut outcome);
    let roots = starts.iter().map(|u| u.to_string()).collect();
    emit(
        &scanner,
        &args.output,
        &config,
        verify.as_ref(),
        roots,
        outcome,
    )
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
        // Findings carried over from a --state file hold only the redacted key:
        // they keep the verification of the run that found them.
        let fresh: Vec<usize> = (0..shown.len())
            .filter(|&i| {
                !shown[i]
                    .secret
                    .as_ref()
                    .is_some_and(|s| s.expose().contains('…'))
            })
            .collect();
        let mut checked: Vec<Finding> = fresh.iter().map(|&i| shown[i].clone()).collect();
        verify_findings(&mut checked, cfg, o.quiet)?;
        for (i, f) in fresh.into_iter().zip(checked) {
            shown[i] = f;
        }
        let min = min_severity(o, config);
        let before = shown.len();
        shown.retain(|f| f.severity >= min);
        n.filtered += before - shown.len();
    }
    let mut extra = outcome.summary.clone();
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
