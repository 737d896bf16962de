//! pkscan finds Pictify API keys (`pk_live_…`, `pk_test_…`) where Pictify's
//! guidance says they must never be, tells them apart from other providers'
//! publishable keys with the same prefixes, and reports text, JSON and SARIF.
//!
//! Data flows one way: input → content → matcher → classify → findings → report.
pub mod app;
pub mod audit;
pub mod baseline;
pub mod classify;
pub mod cli;
pub mod config;
pub mod content;
pub mod decode;
pub mod finding;
pub mod forge;
#[doc(hidden)]
pub mod fuzzing;
pub mod hook;
pub mod input;
pub mod manual;
pub mod matcher;
pub mod merge;
pub mod outcome;
pub mod report;
pub mod rules;
pub mod rules_check;
pub mod scan;
pub mod state;
pub mod verify;

pub use finding::{Attribution, Confidence, Context, Finding, KeyEnvironment, Severity};
pub use rules::RuleSet;
pub use scan::{ScanOptions, Scanner};
