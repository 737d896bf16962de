//! The knowledge behind attribution (`knowledge/code.toml`) is data with
//! examples: each example file, scanned through the whole pipeline, gets the
//! verdict the example states.
use pkscan::classify::evidence::knowledge;
use pkscan::scan::Scratch;
use pkscan::{Attribution, RuleSet, ScanOptions, Scanner};

#[test]
fn knowledge_examples_reach_their_verdicts() {
    let k = knowledge();
    assert!(k.examples.len() >= 5, "every list has examples");
    let scanner = Scanner::new(
        RuleSet::builtin().unwrap(),
        ScanOptions {
            include_other_providers: true,
            ..ScanOptions::default()
        },
    );
    let mut scratch = Scratch::default();
    let mut failures = Vec::new();
    for ex in &k.examples {
        let found = scanner.scan_blob(&ex.path, ex.text.as_bytes(), &mut scratch);
        let keys: Vec<_> = found
            .findings
            .iter()
            .filter(|f| f.secret.is_some())
            .collect();
        let got = match keys.as_slice() {
            [f] => match f.attribution {
                Attribution::Pictify => "pictify",
                Attribution::OtherProvider | Attribution::Placeholder => "other",
                Attribution::Unattributed => "unattributed",
                Attribution::Practice => "practice",
            },
            [] => "nothing",
            _ => "several",
        };
        if got != ex.expect {
            let why: Vec<_> = keys.iter().map(|f| f.reason.clone()).collect();
            failures.push(format!(
                "{}: expected {}, got {got} {why:?}",
                ex.path, ex.expect
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
