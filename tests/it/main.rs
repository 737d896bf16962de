//! Integration tests: each test builds a tiny project in a temp dir, runs the real
//! `pkscan` binary on it, and asserts the exact findings and exit code.
//! One test binary with a module per area keeps link times down.
mod util;

mod accuracy;
mod architecture;
mod audit;
mod browser;
mod decode;
mod docs;
mod errors;
mod forge_fake;
mod git;
mod hostile;
mod hostile_git;
mod integrations;
mod knowledge;
mod leak;
mod lookalikes;
mod perf;
mod practice;
mod props;
mod release;
mod report_html;
mod scan;
mod url;
mod verify;
mod windows;
