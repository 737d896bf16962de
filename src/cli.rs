//! Command-line definitions (clap derive). Parsing only: no work happens here.
use crate::finding::{Context, Severity};
use crate::report::Format;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Parser, Debug)]
#[command(
    name = "pkscan",
    version,
    about = "Find Pictify API keys where they must never be: client code, mobile apps, browser storage, repositories.",
    long_about = None,
    after_help = "Exit codes: 0 nothing reported at or above --min-severity, 1 findings, 2 error\n(pkscan verify has its own: see pkscan verify --help).\n\nExamples:\n  pkscan scan .\n  pkscan scan --format sarif --output pkscan.sarif .\n  pkscan git --staged\n  pkscan url https://preview.example.com\n  pkscan rules list\n  pkscan verify < old-key.txt"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Scan files and directories for Pictify API keys.
    #[command(
        after_help = "Examples:\n  pkscan scan                       scan the current directory\n  pkscan scan src/ .env             scan several paths\n  pkscan scan --format json -o report.json .\n  pkscan scan --min-severity high --exclude 'vendor/**' .\n  pkscan scan --include-other-providers .   also show Stripe/Clerk keys and placeholders\n  pkscan scan --verify .            also ask the Pictify API which keys still work\n  pkscan scan dist/app.apk          open archives and app packages (x.apk!/classes.dex)\n  pkscan scan --follow --no-archives vendor/"
    )]
    Scan(ScanArgs),
    /// Scan a git repository: full history, unreachable objects, staged changes or a commit range.
    #[command(
        after_help = "Modes (default: every blob reachable from any branch, tag, remote or stash):\n  pkscan git                        full-history audit of the repository here\n  pkscan git --all-objects ../repo  also objects no ref reaches (dangling commits)\n  pkscan git --staged               pre-commit: only what is about to be committed\n  pkscan git --range origin/main..HEAD --format sarif -o pkscan.sarif   CI: a pull request\n  pkscan git --since v1.2.0         commits after a tag\n  pkscan git https://github.com/acme/api.git git@github.com:acme/web.git   mirror-clone and scan\n  pkscan git URL... --state audit.json --clone-dir clones   re-runs scan only new commits\n\nEach finding names the commit that first introduced it. A key found only in history\nis still leaked to everyone who cloned the repository: rotate it."
    )]
    Git(GitArgs),
    /// Audit what a deployed site ships to browsers: pages, scripts, lazily loaded
    /// chunks, manifests, service workers and source maps.
    #[command(
        after_help = "Examples:\n  pkscan url https://preview.example.com\n  pkscan url --depth 2 --sitemap https://www.example.com\n  pkscan url --format sarif -o site.sarif https://staging.example.com\n  pkscan url -H 'x-vercel-protection-bypass: $SECRET' https://app-git-branch.vercel.app\n\n\
Only GET requests are sent, with User-Agent pkscan/<version>; cookies are never stored or sent,\n\
and --header values go only to the audited site's own origins. Findings name the asset URL and,\n\
when the site serves source maps, the original file and line to fix. Every cap below is a flag;\n\
a cap that is reached becomes a notice and the audit goes on. HTTPS_PROXY, HTTP_PROXY, ALL_PROXY\n\
and NO_PROXY are honoured (never for loopback addresses)."
    )]
    Url(UrlArgs),
    /// Check one key, read from standard input, against the Pictify API.
    #[command(
        after_help = "The key is read from standard input, never from the command line (which \
leaks into shell history and process lists):\n  pkscan verify < old-key.txt\n  pbpaste | pkscan verify\n\n\
It is sent only in the Authorization header of GET <api-base>/templates?limit=1 (no render quota is used).\n\n\
Exit codes:\n  0  inactive: the API rejected the key (revoked, deleted or malformed)\n  \
1  active: the key works; rotate it if it was exposed\n  \
2  unknown (timeout, rate limit, server error, unexpected answer) or an error"
    )]
    Verify(VerifyKeyArgs),
    /// List or check the rules.
    #[command(
        after_help = "Examples:\n  pkscan rules list\n  pkscan rules check --rules my-rules/"
    )]
    Rules {
        #[command(subcommand)]
        action: RulesAction,
    },
    /// Write a commented starter `.pkscan.toml` (project configuration).
    #[command(
        after_help = "Examples:\n  pkscan init              write ./.pkscan.toml\n  pkscan init --force app/  overwrite app/.pkscan.toml"
    )]
    Init(InitArgs),
    /// Install a git pre-commit hook that runs `pkscan git --staged`.
    #[command(
        after_help = "The hook goes into the repository's hooks directory (core.hooksPath if set, else .git/hooks).\nAn existing hook not written by pkscan is kept: with --force it is renamed to\npre-commit.pkscan-previous and runs first, then pkscan.\n\nBypass once: git commit --no-verify    Allow one line: a comment containing pkscan:allow\n\nExamples:\n  pkscan install-hook\n  pkscan install-hook --force path/to/repo"
    )]
    InstallHook(InstallHookArgs),
    /// Merge JSON reports (`--format json`) of separate runs into one report.
    #[command(
        after_help = "Findings with the same root, path and fingerprint are reported once.\n\nExamples:\n  pkscan merge a.json b.json --format json -o org.json\n  pkscan merge reports/*.json --format sarif -o org.sarif"
    )]
    Merge(MergeArgs),
    /// Audit a GitHub organisation or user: list, clone and scan every repository.
    #[command(
        after_help = "The token comes from GITHUB_TOKEN, else GH_TOKEN (optional for public repositories).\n\
It is sent only to the API URL and, for cloning, to the same host, through git's environment:\n\
never in a URL, a file or a message.\n\nExamples:\n  \
pkscan github --org acme --format html -o acme.html\n  \
pkscan github --org acme --state acme-state.json --clone-dir ~/.cache/pkscan/acme\n  \
pkscan github --user octocat --include-forks\n  \
pkscan github --org acme --list --shards 8 --format json     the fan-out workflow's listing\n  \
pkscan github --org acme --shard 3/8 --format json -o shard-3.json\n  \
pkscan github --org acme --api-url https://ghe.example.com/api/v3"
    )]
    Github(GithubArgs),
    /// Audit a GitLab group and its subgroups: list, clone and scan every project.
    #[command(
        after_help = "The token comes from GITLAB_TOKEN (optional for public projects).\n\nExamples:\n  \
pkscan gitlab --group acme --format html -o acme.html\n  \
pkscan gitlab --group acme/platform --api-url https://gitlab.example.com --state state.json"
    )]
    Gitlab(GitlabArgs),
    /// Print the man page (roff) for pkscan and every command.
    #[command(
        after_help = "Examples:\n  pkscan man | man -l -\n  pkscan man > /usr/local/share/man/man1/pkscan.1"
    )]
    Man,
    /// Print a shell completion script.
    #[command(
        after_help = "Examples:\n  pkscan completions bash > ~/.local/share/bash-completion/completions/pkscan\n  pkscan completions zsh > \"${fpath[1]}/_pkscan\"\n  pkscan completions fish > ~/.config/fish/completions/pkscan.fish\n  pkscan completions powershell >> $PROFILE"
    )]
    Completions(CompletionsArgs),
}

#[derive(Args, Debug)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Options of commands that audit several repositories (`git` with URLs,
/// `github`, `gitlab`).
#[derive(Args, Debug, Clone, Default)]
#[command(next_help_heading = "Audits")]
pub struct AuditArgs {
    /// Keep mirror clones in DIR; a later run fetches instead of cloning. Default: a
    /// private temporary directory, removed afterwards.
    #[arg(long, value_name = "DIR")]
    pub clone_dir: Option<PathBuf>,
    /// Incremental re-runs: FILE records the ref tips scanned in each repository and
    /// what was found; the next run scans only commits added since, marks findings
    /// new or known, and rescans a repository fully when a ref was force-pushed
    /// or deleted.
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// Repositories cloned and scanned at the same time [default: 4].
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
}

/// How `pkscan github`/`gitlab` scan each repository.
#[derive(Args, Debug, Clone)]
pub struct RepoScanArgs {
    /// Skip (and report) blobs larger than this; accepts K, M, G suffixes.
    #[arg(long, value_name = "SIZE", default_value = "256M", value_parser = parse_size)]
    pub max_file_size: u64,
    /// Skip binary blobs (by default they are searched for literal keys).
    #[arg(long)]
    pub no_binary: bool,
    /// Worker threads per repository scan (default: one per core, shared among --jobs).
    #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
    pub threads: usize,
}

/// Listing options shared by `pkscan github` and `pkscan gitlab`.
#[derive(Args, Debug, Clone)]
#[command(next_help_heading = "Listing")]
pub struct ForgeArgs {
    /// API base URL (GitHub Enterprise: https://HOST/api/v3; GitLab: https://HOST).
    /// Must be https:// (plain http:// only to 127.0.0.0/8, ::1 or localhost).
    #[arg(long, value_name = "URL")]
    pub api_url: Option<String>,
    /// Also audit forks (left out by default).
    #[arg(long)]
    pub include_forks: bool,
    /// Also audit archived repositories (left out by default).
    #[arg(long)]
    pub include_archived: bool,
    /// Clone over SSH (the forge's SSH URL, your SSH keys) instead of HTTPS.
    #[arg(long)]
    pub ssh: bool,
    /// Only list the repositories that would be audited (text: one per line;
    /// --format json: a JSON document with each repository's shard).
    #[arg(long)]
    pub list: bool,
    /// With --list: split the repositories into N shards (by a hash of the name,
    /// so a repository keeps its shard as the organisation grows).
    #[arg(long, value_name = "N", requires = "list", value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub shards: Option<u32>,
    /// Audit only shard K of N (see --shards), e.g. 3/8.
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    pub shard: Option<(u32, u32)>,
    /// Longest wait honoured for a rate limit (Retry-After, X-RateLimit-Reset)
    /// [default: 15m]. Accepts 500ms, 10s, 2m.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub max_wait: Option<Duration>,
}

#[derive(Args, Debug)]
pub struct GithubArgs {
    /// The organisation whose repositories to audit.
    #[arg(
        long,
        value_name = "NAME",
        required_unless_present = "user",
        conflicts_with = "user"
    )]
    pub org: Option<String>,
    /// A user whose own repositories to audit.
    #[arg(long, value_name = "NAME")]
    pub user: Option<String>,
    #[command(flatten)]
    pub scan: RepoScanArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    // Headings from here on: Listing, Audits, Verification.
    #[command(flatten)]
    pub forge: ForgeArgs,
    #[command(flatten)]
    pub audit: AuditArgs,
    // Last: its help heading applies to everything flattened after it.
    #[command(flatten)]
    pub verify: VerifyArgs,
}

#[derive(Args, Debug)]
pub struct GitlabArgs {
    /// The group (full path, e.g. acme/platform) whose projects, subgroups
    /// included, to audit.
    #[arg(long, value_name = "PATH")]
    pub group: String,
    #[command(flatten)]
    pub scan: RepoScanArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    // Headings from here on: Listing, Audits, Verification.
    #[command(flatten)]
    pub forge: ForgeArgs,
    #[command(flatten)]
    pub audit: AuditArgs,
    #[command(flatten)]
    pub verify: VerifyArgs,
}

#[derive(Args, Debug)]
pub struct InitArgs {
    /// Directory to write `.pkscan.toml` into.
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
    /// Overwrite an existing `.pkscan.toml`.
    #[arg(long)]
    pub force: bool,
}

#[derive(Args, Debug)]
pub struct InstallHookArgs {
    /// The repository (or any directory inside it).
    #[arg(value_name = "REPO", default_value = ".")]
    pub repo: PathBuf,
    /// Chain into an existing pre-commit hook that pkscan did not write (it is kept
    /// as pre-commit.pkscan-previous and runs before pkscan).
    #[arg(long)]
    pub force: bool,
}

#[derive(Args, Debug)]
pub struct MergeArgs {
    /// JSON reports written by `pkscan scan|git --format json`.
    #[arg(value_name = "REPORT", required = true)]
    pub reports: Vec<PathBuf>,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Subcommand, Debug)]
pub enum RulesAction {
    /// List all rules (built-in and from --rules).
    #[command(after_help = "Example:\n  pkscan rules list --rules my-rules/")]
    List {
        /// Extra rule files or directories of *.toml files.
        #[arg(long = "rules", value_name = "PATH")]
        rules: Vec<PathBuf>,
    },
    /// Check every rule: examples match, negative examples do not, ids are unique.
    #[command(after_help = "Example:\n  pkscan rules check --rules my-rules/")]
    Check {
        /// Extra rule files or directories of *.toml files.
        #[arg(long = "rules", value_name = "PATH")]
        rules: Vec<PathBuf>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Options shared by every command that reports findings.
#[derive(Args, Debug, Clone)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write the report to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Only report findings at or above this severity (note, low, medium, high,
    /// critical). Default: `min-severity` from .pkscan.toml, else note.
    #[arg(long, value_name = "SEVERITY")]
    pub min_severity: Option<Severity>,
    /// Only report findings in these contexts (repeatable).
    #[arg(long = "context", value_name = "CONTEXT")]
    pub contexts: Vec<Context>,
    /// Also report other providers' publishable keys and placeholders, marked as such.
    #[arg(long)]
    pub include_other_providers: bool,
    /// Do not decode keys hidden in base64, percent-encoding, JavaScript/JSON
    /// escapes or string concatenation (plain keys are still found).
    #[arg(long)]
    pub no_decode: bool,
    /// Print full keys instead of redacted ones. Avoid in CI logs.
    #[arg(long)]
    pub show_secrets: bool,
    /// Colour: auto (on a terminal, unless NO_COLOR is set), always or never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Print nothing on standard error except errors.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Extra rule files or directories of *.toml files.
    #[arg(long = "rules", value_name = "PATH")]
    pub rules: Vec<PathBuf>,
    /// Project configuration file (default: .pkscan.toml in the first scanned root
    /// or the repository).
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Ignore any .pkscan.toml.
    #[arg(long)]
    pub no_config: bool,
    /// Report only findings whose fingerprint is not in this baseline file
    /// (default: `baseline` from .pkscan.toml).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record the current findings in a baseline file (then exit 0).
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct ScanArgs {
    /// Files or directories to scan. A path given explicitly is scanned even if ignored.
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Include files ignored by .gitignore and .ignore.
    #[arg(long)]
    pub no_ignore: bool,
    /// Leave out paths matching this glob (repeatable), e.g. 'vendor/**'.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Skip (and report) files larger than this; accepts K, M, G suffixes.
    #[arg(long, value_name = "SIZE", default_value = "256M", value_parser = parse_size)]
    pub max_file_size: u64,
    /// Worker threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
    pub threads: usize,
    /// Skip binary files (by default they are searched for literal keys).
    #[arg(long)]
    pub no_binary: bool,
    /// Follow symbolic links (loops are detected).
    #[arg(long)]
    pub follow: bool,
    /// Scan archives and app packages (.zip .jar .aar .apk .aab .ipa .tar .tar.gz .tgz)
    /// as plain files instead of opening them and scanning their entries.
    #[arg(long)]
    pub no_archives: bool,
    #[command(flatten)]
    pub output: OutputArgs,
    // Last: its help heading applies to everything flattened after it.
    #[command(flatten)]
    pub verify: VerifyArgs,
}

/// `--verify` and its limits; flattened into every command that reports keys.
#[derive(Args, Debug, Clone, Default)]
#[command(next_help_heading = "Verification")]
pub struct VerifyArgs {
    /// Check each distinct Pictify key found against the Pictify API (sends the key over
    /// HTTPS; off by default). Adds active/inactive/unknown to each finding.
    #[arg(long)]
    pub verify: bool,
    /// Requests in flight at once [default: 4].
    #[arg(long, value_name = "N")]
    pub verify_concurrency: Option<usize>,
    /// Requests started per minute, in total [default: 60].
    #[arg(long, value_name = "N")]
    pub verify_rate: Option<u32>,
    #[command(flatten)]
    pub api: ApiArgs,
}

/// How to reach the Pictify API; shared by `--verify` and `pkscan verify`.
#[derive(Args, Debug, Clone, Default)]
#[command(next_help_heading = "Verification")]
pub struct ApiArgs {
    /// Pictify API base URL [default: $PKSCAN_API_BASE, else https://api.pictify.io].
    /// Must be https:// (plain http:// only to 127.0.0.0/8, ::1 or localhost).
    #[arg(long, value_name = "URL")]
    pub api_base: Option<String>,
    /// Timeout of one request [default: 10s]. Accepts 500ms, 10s, 2m.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub verify_request_timeout: Option<Duration>,
    /// Time budget for all checks [default: 2m]; keys not checked by then are `unknown`.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub verify_timeout: Option<Duration>,
    /// Longest wait honoured for Retry-After or X-RateLimit-Reset [default: 60s].
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub verify_max_wait: Option<Duration>,
}

impl ApiArgs {
    /// Option names given on the command line (to warn when they have no effect).
    pub fn given(&self) -> Vec<&'static str> {
        let mut v = Vec::new();
        if self.api_base.is_some() {
            v.push("--api-base");
        }
        if self.verify_request_timeout.is_some() {
            v.push("--verify-request-timeout");
        }
        if self.verify_timeout.is_some() {
            v.push("--verify-timeout");
        }
        if self.verify_max_wait.is_some() {
            v.push("--verify-max-wait");
        }
        v
    }
}

impl VerifyArgs {
    /// Verification options given although `--verify` is not.
    pub fn ignored(&self) -> Vec<&'static str> {
        if self.verify {
            return Vec::new();
        }
        let mut v = self.api.given();
        if self.verify_concurrency.is_some() {
            v.push("--verify-concurrency");
        }
        if self.verify_rate.is_some() {
            v.push("--verify-rate");
        }
        v
    }
}

/// `pkscan verify`: the key comes from standard input.
#[derive(Args, Debug)]
pub struct VerifyKeyArgs {
    /// Accepted only to refuse it without echoing it: a key on the command line
    /// leaks into shell history and process lists (clap would print it in its error).
    #[arg(hide = true, value_name = "KEY")]
    pub key_on_command_line: Vec<String>,
    /// Print the result as a JSON object instead of a line of text.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub api: ApiArgs,
}

/// Parses `10` (seconds), `10s`, `1.5s`, `500ms`, `2m`.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let t = s.trim();
    let (num, unit) = match t.find(|c: char| !(c.is_ascii_digit() || c == '.')) {
        Some(i) => t.split_at(i),
        None => (t, "s"),
    };
    let scale = match unit.trim() {
        "ms" => 0.001,
        "s" | "sec" => 1.0,
        "m" | "min" => 60.0,
        _ => return Err(format!("invalid duration {s:?}: use e.g. 500ms, 10s or 2m")),
    };
    let n: f64 = num
        .parse()
        .map_err(|_| format!("invalid duration {s:?}: use e.g. 500ms, 10s or 2m"))?;
    let secs = n * scale;
    if !secs.is_finite() || secs > 86_400.0 {
        return Err(format!("invalid duration {s:?}: at most 24 hours"));
    }
    Ok(Duration::from_secs_f64(secs))
}

#[derive(Args, Debug)]
pub struct UrlArgs {
    /// Pages to start from (https:// is assumed when no scheme is given).
    // Checked by `parse_url` in the command layer, so that an error never
    // echoes a URL that may hold credentials (clap would quote it).
    #[arg(value_name = "URL", required = true)]
    pub urls: Vec<String>,
    /// How many clicks away from a start page to follow same-site links. The
    /// default, 1, audits the pages a visitor reaches from the start page:
    /// scripts are mostly shared between pages, and lazily loaded chunks are
    /// found through build manifests and bundler runtimes, not links.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub depth: usize,
    /// Pages fetched at most, start pages included (scripts are not counted).
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub max_pages: usize,
    /// Also audit the pages listed in /sitemap.xml (sitemap indexes followed).
    #[arg(long)]
    pub sitemap: bool,
    /// Do not fetch source maps (findings then have no original location).
    #[arg(long)]
    pub no_source_maps: bool,
    /// Send this header to the audited site (repeatable), e.g. a preview
    /// deployment's bypass token. Never sent to other origins (CDNs).
    #[arg(long = "header", short = 'H', value_name = "NAME: VALUE", value_parser = parse_header)]
    pub headers: Vec<(String, String)>,
    #[command(flatten)]
    pub output: OutputArgs,
    // After the output options: a help heading applies to everything flattened
    // after it, and verification sets its own.
    #[command(flatten)]
    pub limits: UrlLimitArgs,
    #[command(flatten)]
    pub verify: VerifyArgs,
}

/// The caps of `pkscan url`; each one reached is a notice, never an abort.
#[derive(Args, Debug, Clone)]
#[command(next_help_heading = "Limits")]
pub struct UrlLimitArgs {
    /// HTTP requests in all, redirects and source maps included.
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub max_requests: u64,
    /// Bytes of all responses together; accepts K, M, G suffixes.
    #[arg(long, value_name = "SIZE", default_value = "512M", value_parser = parse_size)]
    pub max_total_size: u64,
    /// Bytes read of one response (the rest is not read; what was read is scanned).
    #[arg(long, value_name = "SIZE", default_value = "64M", value_parser = parse_size)]
    pub max_response_size: u64,
    /// Redirects followed for one URL.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub max_redirects: u32,
    /// Time for one request, its body included. Accepts 500ms, 10s, 2m.
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = parse_duration)]
    pub request_timeout: Duration,
    /// Time for the whole audit; what is not fetched by then is reported.
    #[arg(long, value_name = "DURATION", default_value = "5m", value_parser = parse_duration)]
    pub timeout: Duration,
    /// Requests in flight at once.
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=64))]
    pub concurrency: u32,
    /// Requests started per second, in total.
    #[arg(long, value_name = "N", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub rate: u32,
}

/// Parses a start URL: http(s) only, no credentials (they would be sent);
/// `example.com` means `https://example.com`.
pub fn parse_url(s: &str) -> Result<url::Url, String> {
    let t = s.trim();
    let with_scheme = if t.contains("://") {
        t.to_string()
    } else {
        format!("https://{t}")
    };
    let u = url::Url::parse(&with_scheme).map_err(|e| format!("not a URL ({e})"))?;
    if !matches!(u.scheme(), "http" | "https") {
        return Err(format!(
            "{}: only http:// and https:// sites can be audited",
            u.scheme()
        ));
    }
    if u.host_str().is_none_or(str::is_empty) {
        return Err("the URL has no host".into());
    }
    if !u.username().is_empty() || u.password().is_some() {
        return Err(
            "credentials in the URL are not sent; use --header 'Authorization: Basic …' if the site needs them"
                .into(),
        );
    }
    Ok(u)
}

/// Parses `--header 'Name: value'`.
pub fn parse_header(s: &str) -> Result<(String, String), String> {
    let (k, v) = s
        .split_once(':')
        .ok_or_else(|| "expected 'Name: value'".to_string())?;
    let k = k.trim();
    if k.is_empty()
        || !k
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
    {
        return Err(format!("{k:?} is not a valid header name"));
    }
    if v.contains(['\r', '\n']) {
        return Err("a header value cannot contain line breaks".into());
    }
    if ["host", "content-length", "transfer-encoding", "connection"]
        .iter()
        .any(|h| k.eq_ignore_ascii_case(h))
    {
        return Err(format!("{k} cannot be set"));
    }
    Ok((k.to_string(), v.trim().to_string()))
}

#[derive(Args, Debug)]
pub struct GitArgs {
    /// Repositories: a work tree, subdirectory or bare repository, or a URL
    /// (https://, ssh://, git://, file://, git@host:path) to mirror-clone; several
    /// give one report with each finding's repository as its root.
    #[arg(value_name = "REPO|URL", default_value = ".")]
    pub repos: Vec<PathBuf>,
    /// Also scan objects that no ref reaches (dangling commits, orphaned blobs).
    #[arg(long, conflicts_with_all = ["staged", "range", "since"])]
    pub all_objects: bool,
    /// Scan only index entries that differ from HEAD (pre-commit mode).
    #[arg(long, conflicts_with_all = ["range", "since"])]
    pub staged: bool,
    /// Scan only blobs introduced by the commits in BASE..HEAD (or BASE...HEAD).
    #[arg(long, value_name = "BASE..HEAD", conflicts_with = "since")]
    pub range: Option<String>,
    /// Scan only blobs introduced by commits after REV (same as --range REV..HEAD).
    #[arg(long, value_name = "REV")]
    pub since: Option<String>,
    /// Skip (and report) blobs larger than this; accepts K, M, G suffixes.
    #[arg(long, value_name = "SIZE", default_value = "256M", value_parser = parse_size)]
    pub max_file_size: u64,
    /// Skip binary blobs (by default they are searched for literal keys).
    #[arg(long)]
    pub no_binary: bool,
    /// Worker threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
    pub threads: usize,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub audit: AuditArgs,
    // Last: its help heading applies to everything flattened after it.
    #[command(flatten)]
    pub verify: VerifyArgs,
}

/// Parses `--shard K/N` (1 ≤ K ≤ N ≤ 1000).
pub fn parse_shard(s: &str) -> Result<(u32, u32), String> {
    let err = || format!("invalid shard {s:?}: expected K/N with 1 <= K <= N, e.g. 2/8");
    let (k, n) = s.split_once('/').ok_or_else(err)?;
    let (k, n): (u32, u32) = (
        k.trim().parse().map_err(|_| err())?,
        n.trim().parse().map_err(|_| err())?,
    );
    if k == 0 || n == 0 || k > n || n > 1000 {
        return Err(err());
    }
    Ok((k, n))
}

/// Parses `1024`, `64K`, `256M`, `1G` (binary units).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let (num, mult) = match t.chars().last().map(|c| c.to_ascii_uppercase()) {
        Some('K') => (&t[..t.len() - 1], 1024),
        Some('M') => (&t[..t.len() - 1], 1024 * 1024),
        Some('G') => (&t[..t.len() - 1], 1024 * 1024 * 1024),
        _ => (t, 1),
    };
    num.trim()
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(mult))
        .ok_or_else(|| {
            format!("invalid size {s:?}: use a number with an optional K, M or G suffix, e.g. 512M")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_urls_and_headers() {
        assert_eq!(
            parse_url("example.com").unwrap().as_str(),
            "https://example.com/"
        );
        assert_eq!(
            parse_url("http://127.0.0.1:8080/a").unwrap().as_str(),
            "http://127.0.0.1:8080/a"
        );
        assert!(parse_url("ftp://example.com").is_err());
        assert!(parse_url("https://u:p@example.com")
            .unwrap_err()
            .contains("--header"));
        assert_eq!(
            parse_header("X-Vercel-Protection-Bypass: abc"),
            Ok(("X-Vercel-Protection-Bypass".into(), "abc".into()))
        );
        assert!(parse_header("no colon").is_err());
        assert!(parse_header("Bad Name: x").is_err());
        assert!(parse_header("Host: x").is_err());
    }
}
