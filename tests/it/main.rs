//! Integration tests: each test builds a tiny project in a temp dir, runs the real
//! `pkscan` binary on it, and asserts the exact findings and exit code.
//! One test binary with a module per area keeps link times down.
mod util;

mod architecture;
mod decode;
mod errors;
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
mod scan;
mod verify;
