//! Helpers shared by the integration tests.
#![allow(dead_code)]
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_pkscan"))
}

/// A temporary project directory that files can be written into.
pub struct Project {
    pub dir: tempfile::TempDir,
}

impl Project {
    pub fn new() -> Project {
        Project {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> &Self {
        let p = self.dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, contents).unwrap();
        self
    }
    /// Runs `pkscan ARGS` with the project as working directory.
    pub fn run(&self, args: &[&str]) -> Run {
        run_in(self.path(), args)
    }
}

pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(bin())
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("PKSCAN_API_BASE")
        .output()
        .expect("run pkscan");
    Run::from(out)
}

/// One finding as (path, line, context, severity, rule id).
pub type Row = (String, u64, String, String, String);

pub fn row(path: &str, line: u64, ctx: &str, sev: &str, rule: &str) -> Row {
    (path.into(), line, ctx.into(), sev.into(), rule.into())
}

/// The outcome of a pkscan run.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "invalid JSON ({e}):\n{}\nstderr: {}",
                self.stdout, self.stderr
            )
        })
    }
    /// `(path, line, context, severity, rule_id)` of every finding in a JSON report.
    pub fn findings(&self) -> Vec<(String, u64, String, String, String)> {
        let v = self.json();
        v["findings"]
            .as_array()
            .expect("findings array")
            .iter()
            .map(|f| {
                (
                    f["path"].as_str().unwrap().to_string(),
                    f["line"].as_u64().unwrap(),
                    f["context"].as_str().unwrap().to_string(),
                    f["severity"].as_str().unwrap().to_string(),
                    f["rule_id"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }
}

/// A random-looking key body of `n` characters (keys in tests belong to no one).
pub fn fake_body(seed: u64, n: usize) -> String {
    const ALPHA: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            ALPHA[(x % ALPHA.len() as u64) as usize] as char
        })
        .collect()
}

pub fn live_key(seed: u64) -> String {
    format!("pk_live_{}", fake_body(seed, 32))
}

pub fn test_key(seed: u64) -> String {
    format!("pk_test_{}", fake_body(seed, 32))
}
