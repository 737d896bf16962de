//! The labelled accuracy suite: runs pkscan on every project under `tests/accuracy/{dev,holdout}`
//! and checks each label of its `expect.toml` (format and rules in `docs/accuracy.md`).
//! `PKSCAN_ACCURACY_SET=dev` (or `holdout`) limits the run to one set.
use crate::util::bin;
use serde::Deserialize;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

const SETS: [&str; 2] = ["dev", "holdout"];
const KINDS: [&str; 8] = [
    "web",
    "mobile",
    "desktop",
    "extension",
    "server",
    "infra",
    "ci",
    "docs",
];
const CONTEXTS: [&str; 7] = [
    "client-js",
    "mobile",
    "browser-storage",
    "config",
    "server",
    "docs",
    "test",
];
const SEVERITIES: [&str; 5] = ["note", "low", "medium", "high", "critical"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    framework: String,
    kind: String,
    studied: String,
    #[serde(default)]
    args: Vec<String>,
    #[serde(default, rename = "finding")]
    findings: Vec<Label>,
    #[serde(default, rename = "clean")]
    cleans: Vec<Clean>,
}

/// A finding that must be reported exactly.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Label {
    path: String,
    line: u64,
    rule: String,
    context: String,
    severity: String,
    why: String,
    /// Set only when the lead accepts a limit: the label is then reported, not asserted.
    known_limit: Option<String>,
}

/// A line where nothing may be reported.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Clean {
    path: String,
    line: u64,
    why: String,
    known_limit: Option<String>,
}

struct Case {
    set: &'static str,
    name: String,
    dir: PathBuf,
    expect: Expect,
}

impl Case {
    fn id(&self) -> String {
        format!("{}/{}", self.set, self.name)
    }
}

/// One finding as pkscan reported it.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Reported {
    path: String,
    line: u64,
    rule: String,
    context: String,
    severity: String,
}

impl std::fmt::Display for Reported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {} {}", self.rule, self.context, self.severity)
    }
}

fn corpus_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/accuracy")
}

/// The sets selected by `PKSCAN_ACCURACY_SET` (`dev`, `holdout`, `all` or unset).
fn selected_sets() -> Vec<&'static str> {
    match std::env::var("PKSCAN_ACCURACY_SET").as_deref() {
        Ok("dev") => vec!["dev"],
        Ok("holdout") => vec!["holdout"],
        Ok("all") | Ok("") | Err(_) => SETS.to_vec(),
        Ok(other) => panic!("PKSCAN_ACCURACY_SET={other}: expected dev, holdout or all"),
    }
}

fn load(sets: &[&'static str]) -> Vec<Case> {
    let mut cases = Vec::new();
    for &set in sets {
        let dir = corpus_root().join(set);
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().unwrap().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        for name in names {
            let dir = dir.join(&name);
            let file = dir.join("expect.toml");
            let text = std::fs::read_to_string(&file)
                .unwrap_or_else(|e| panic!("{set}/{name}: reading expect.toml: {e}"));
            let expect: Expect = toml::from_str(&text)
                .unwrap_or_else(|e| panic!("{set}/{name}: invalid expect.toml: {e}"));
            cases.push(Case {
                set,
                name,
                dir,
                expect,
            });
        }
    }
    cases
}

/// Problems with the labels themselves: unknown values, missing files, lines past the end.
fn check_labels(case: &Case) -> Vec<String> {
    let mut errs = Vec::new();
    let e = &case.expect;
    if e.framework.trim().is_empty() || e.studied.trim().is_empty() {
        errs.push("framework and studied must be set".to_string());
    }
    if !KINDS.contains(&e.kind.as_str()) {
        errs.push(format!("kind {:?} is not one of {KINDS:?}", e.kind));
    }
    if e.findings.is_empty() && e.cleans.is_empty() {
        errs.push("no [[finding]] and no [[clean]]".to_string());
    }
    let mut finding_lines = BTreeSet::new();
    let labels = e
        .findings
        .iter()
        .map(|f| (&f.path, f.line, &f.why, true))
        .chain(e.cleans.iter().map(|c| (&c.path, c.line, &c.why, false)));
    for (path, line, why, is_finding) in labels {
        let at = format!("{path}:{line}");
        match std::fs::read(case.dir.join(path)) {
            Err(err) => errs.push(format!("{at}: {err}")),
            Ok(bytes) => {
                let lines = bytes.split(|&b| b == b'\n').count() as u64;
                if line == 0 || line > lines {
                    errs.push(format!("{at}: the file has {lines} lines"));
                }
            }
        }
        if why.trim().is_empty() {
            errs.push(format!("{at}: empty why"));
        }
        if is_finding {
            finding_lines.insert((path.clone(), line));
        } else if finding_lines.contains(&(path.clone(), line)) {
            errs.push(format!("{at}: labelled both finding and clean"));
        }
    }
    for f in &e.findings {
        let at = format!("{}:{}", f.path, f.line);
        if !f.rule.starts_with("pictify.") {
            errs.push(format!("{at}: rule {:?} is not a Pictify rule", f.rule));
        }
        if !CONTEXTS.contains(&f.context.as_str()) {
            errs.push(format!(
                "{at}: context {:?} is not one of {CONTEXTS:?}",
                f.context
            ));
        }
        if !SEVERITIES.contains(&f.severity.as_str()) || f.severity == "note" {
            errs.push(format!(
                "{at}: severity {:?} (a finding that must be reported is never note)",
                f.severity
            ));
        }
    }
    errs
}

/// Runs pkscan the way a user would, in the case directory, with default options
/// (the labels file is not part of the project and is left out).
fn scan(case: &Case) -> Result<Vec<Reported>, String> {
    let out = Command::new(bin())
        .args([
            "scan",
            "--format",
            "json",
            "--no-config",
            "--exclude",
            "expect.toml",
        ])
        .args(&case.expect.args)
        .arg(".")
        .current_dir(&case.dir)
        .env("NO_COLOR", "1")
        .env_remove("PKSCAN_API_BASE")
        .output()
        .map_err(|e| format!("running pkscan: {e}"))?;
    if !matches!(out.status.code(), Some(0 | 1)) {
        return Err(format!(
            "pkscan exited with {:?}: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("pkscan printed invalid JSON: {e}"))?;
    let field = |f: &serde_json::Value, k: &str| f[k].as_str().unwrap_or("").to_string();
    let mut found: Vec<Reported> = v["findings"]
        .as_array()
        .ok_or("no findings array in the report")?
        .iter()
        .map(|f| Reported {
            path: field(f, "path").trim_start_matches("./").to_string(),
            line: f["line"].as_u64().unwrap_or(0),
            rule: field(f, "rule_id"),
            context: field(f, "context"),
            severity: field(f, "severity"),
        })
        .collect();
    found.sort();
    Ok(found)
}

/// What went wrong in one case: hard mismatches, and known limits (reported, not asserted).
#[derive(Default)]
struct Verdict {
    failures: Vec<String>,
    limits: Vec<String>,
}

fn judge(case: &Case, found: &[Reported]) -> Verdict {
    let mut v = Verdict::default();
    let mut used = vec![false; found.len()];
    let at_line = |path: &str, line: u64| -> Vec<String> {
        found
            .iter()
            .filter(|r| r.path == path && r.line == line)
            .map(|r| r.to_string())
            .collect()
    };
    for l in &case.expect.findings {
        let at = format!("{}:{}", l.path, l.line);
        let expected = format!("{} {} {}", l.rule, l.context, l.severity);
        let hit = (0..found.len()).find(|&i| {
            !used[i]
                && found[i].path == l.path
                && found[i].line == l.line
                && found[i].rule == l.rule
        });
        let problem = match hit {
            None => {
                let there = at_line(&l.path, l.line);
                Some(if there.is_empty() {
                    format!("{at}: missed: expected {expected}, got nothing")
                } else {
                    format!(
                        "{at}: missed: expected {expected}, got {}",
                        there.join("; ")
                    )
                })
            }
            Some(i) => {
                used[i] = true;
                let r = &found[i];
                (r.context != l.context || r.severity != l.severity)
                    .then(|| format!("{at}: wrong judgement: expected {expected}, got {r}"))
            }
        };
        match (&l.known_limit, problem) {
            (Some(why), Some(p)) => v.limits.push(format!("{p} (known limit: {why})")),
            (Some(_), None) => v
                .limits
                .push(format!("{at}: known limit now passes; remove known_limit")),
            (None, Some(p)) => v.failures.push(format!("{p}  [{}]", l.why)),
            (None, None) => {}
        }
    }
    for c in &case.expect.cleans {
        let at = format!("{}:{}", c.path, c.line);
        let mut there = Vec::new();
        for (i, r) in found.iter().enumerate() {
            if r.path == c.path && r.line == c.line {
                used[i] = true;
                there.push(r.to_string());
            }
        }
        match (&c.known_limit, there.is_empty()) {
            (Some(why), false) => v.limits.push(format!(
                "{at}: reported {} on a clean line (known limit: {why})",
                there.join("; ")
            )),
            (Some(_), true) => v
                .limits
                .push(format!("{at}: known limit now passes; remove known_limit")),
            (None, false) => v.failures.push(format!(
                "{at}: false positive: got {} on a line labelled clean  [{}]",
                there.join("; "),
                c.why
            )),
            (None, true) => {}
        }
    }
    for (r, _) in found.iter().zip(&used).filter(|(_, u)| !**u) {
        v.failures.push(format!(
            "{}:{}: unexpected: got {r}, not labelled",
            r.path, r.line
        ));
    }
    v
}

/// Runs `f` over every case on all cores; results keep the cases' order.
fn par_map<T: Send>(cases: &[Case], f: impl Fn(&Case) -> T + Sync) -> Vec<T> {
    let next = AtomicUsize::new(0);
    let out: Mutex<Vec<Option<T>>> = Mutex::new((0..cases.len()).map(|_| None).collect());
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(cases.len().max(1));
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(case) = cases.get(i) else { break };
                let r = f(case);
                out.lock().unwrap()[i] = Some(r);
            });
        }
    });
    out.into_inner()
        .unwrap()
        .into_iter()
        .map(|r| r.expect("every case ran"))
        .collect()
}

#[test]
fn accuracy_corpus_is_well_formed() {
    let cases = load(&SETS);
    let mut report = String::new();
    for case in &cases {
        for e in check_labels(case) {
            let _ = writeln!(report, "{}: {e}", case.id());
        }
    }
    assert!(report.is_empty(), "malformed labels:\n{report}");

    let count = |set: Option<&str>, findings: bool| -> usize {
        cases
            .iter()
            .filter(|c| set.is_none_or(|s| c.set == s))
            .map(|c| {
                if findings {
                    c.expect.findings.len()
                } else {
                    c.expect.cleans.len()
                }
            })
            .sum()
    };
    let (must, clean) = (count(None, true), count(None, false));
    let frameworks: BTreeSet<&str> = cases.iter().map(|c| c.expect.framework.as_str()).collect();
    assert!(
        must >= 120,
        "{must} labels must be reported; at least 120 expected"
    );
    assert!(
        clean >= 120,
        "{clean} labels must stay clean; at least 120 expected"
    );
    assert!(
        frameworks.len() >= 25,
        "{} frameworks and file kinds; at least 25 expected",
        frameworks.len()
    );
    // The holdout set is about 40% of the labels: large enough to measure generalization.
    let dev = count(Some("dev"), true) + count(Some("dev"), false);
    let share = dev as f64 / (must + clean) as f64;
    assert!(
        (0.5..=0.7).contains(&share),
        "dev holds {:.0}% of the labels; 50-70% expected",
        share * 100.0
    );
}

#[test]
fn accuracy_labels_hold() {
    let sets = selected_sets();
    let cases = load(&sets);
    let results = par_map(&cases, |case| scan(case).map(|found| judge(case, &found)));
    let (mut report, mut limits) = (String::new(), String::new());
    let (mut failing, mut labels) = (0, 0);
    for (case, result) in cases.iter().zip(results) {
        labels += case.expect.findings.len() + case.expect.cleans.len();
        let verdict = result.unwrap_or_else(|e| Verdict {
            failures: vec![e],
            limits: Vec::new(),
        });
        if !verdict.failures.is_empty() {
            failing += 1;
            let _ = writeln!(report, "{} ({}):", case.id(), case.expect.framework);
            for f in &verdict.failures {
                let _ = writeln!(report, "  {f}");
            }
        }
        for l in &verdict.limits {
            let _ = writeln!(limits, "  {}: {l}", case.id());
        }
    }
    if !limits.is_empty() {
        eprintln!("known limits (not asserted):\n{limits}");
    }
    let set_arg = match sets.as_slice() {
        [one] => format!(" --set {one}"),
        _ => String::new(),
    };
    assert!(
        report.is_empty(),
        "{failing} of {} cases ({labels} labels) do not match their labels \
         (`bash bench/accuracy.sh{set_arg} --failures` gives the same list with scores):\n{report}",
        cases.len()
    );
}
