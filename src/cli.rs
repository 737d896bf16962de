//! Command-line definitions (clap derive). Parsing only: no work happens here.
use crate::finding::{Context, Severity};
use crate::report::Format;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "pkscan",
    version,
    about = "Find Pictify API keys where they must never be: client code, mobile apps, browser storage, repositories.",
    long_about = None,
    after_help = "Exit codes: 0 nothing reported at or above --min-severity, 1 findings, 2 error.\n\nExamples:\n  pkscan scan .\n  pkscan scan --format sarif --output pkscan.sarif .\n  pkscan rules list"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Scan files and directories for Pictify API keys.
    #[command(
        after_help = "Examples:\n  pkscan scan                       scan the current directory\n  pkscan scan src/ .env             scan several paths\n  pkscan scan --format json -o report.json .\n  pkscan scan --min-severity high --exclude 'vendor/**' .\n  pkscan scan --include-other-providers .   also show Stripe/Clerk keys and placeholders\n  pkscan scan dist/app.apk          open archives and app packages (x.apk!/classes.dex)\n  pkscan scan --follow --no-archives vendor/"
    )]
    Scan(ScanArgs),
    /// List or check the rules.
    #[command(
        after_help = "Examples:\n  pkscan rules list\n  pkscan rules check --rules my-rules/"
    )]
    Rules {
        #[command(subcommand)]
        action: RulesAction,
    },
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
    /// Only report findings at or above this severity (note, low, medium, high, critical).
    #[arg(long, value_name = "SEVERITY", default_value = "note")]
    pub min_severity: Severity,
    /// Only report findings in these contexts (repeatable).
    #[arg(long = "context", value_name = "CONTEXT")]
    pub contexts: Vec<Context>,
    /// Also report other providers' publishable keys and placeholders, marked as such.
    #[arg(long)]
    pub include_other_providers: bool,
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
