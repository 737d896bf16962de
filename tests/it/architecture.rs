//! The source tree keeps its shape: data flows one way (input → content →
//! matcher → classify → findings → report), modules never import each other in
//! a circle, and every module says what it owns in a `//!` line.
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn sources() -> Vec<(PathBuf, String)> {
    fn walk(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&p).unwrap();
                out.push((p, text));
            }
        }
    }
    let mut out = Vec::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut out);
    assert!(out.len() > 20, "found the sources");
    out
}

/// The top-level module a source file belongs to (`src/input/git.rs` → `input`).
fn top_module(path: &Path) -> String {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let rel = path.strip_prefix(&src).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

/// Which top-level modules each module imports, outside its unit tests.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (path, text) in sources() {
        let me = top_module(&path);
        if me == "main" || me == "lib" {
            continue;
        }
        let code = text.split("#[cfg(test)]").next().unwrap();
        let deps = g.entry(me.clone()).or_default();
        for (i, _) in code.match_indices("crate::") {
            let name: String = code[i + 7..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                .collect();
            if !name.is_empty() && name != me {
                deps.insert(name);
            }
        }
    }
    g
}

#[test]
fn modules_import_each_other_without_circles() {
    let g = graph();
    // Depth-first search for a back edge; report the circle it closes.
    fn visit(
        n: &str,
        g: &BTreeMap<String, BTreeSet<String>>,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) {
        if done.contains(n) {
            return;
        }
        if let Some(i) = stack.iter().position(|s| s == n) {
            panic!("import circle: {} -> {n}", stack[i..].join(" -> "));
        }
        stack.push(n.to_string());
        for d in g.get(n).into_iter().flatten() {
            visit(d, g, stack, done);
        }
        stack.pop();
        done.insert(n.to_string());
    }
    let mut done = BTreeSet::new();
    for n in g.keys() {
        visit(n, &g, &mut Vec::new(), &mut done);
    }
}

#[test]
fn data_flows_one_way() {
    let g = graph();
    // Downstream modules never reach back upstream.
    let forbidden = [
        ("report", "input"),
        ("report", "scan"),
        ("classify", "input"),
        ("classify", "scan"),
        ("rules", "classify"),
        ("rules", "scan"),
        ("finding", "input"),
        ("outcome", "input"),
        // Forges only list repositories; inputs clone and scan them.
        ("forge", "input"),
        ("forge", "report"),
        ("input", "forge"),
        ("report", "forge"),
    ];
    for (from, to) in forbidden {
        assert!(
            !g.get(from).is_some_and(|d| d.contains(to)),
            "`{from}` must not import `{to}`"
        );
    }
    for (m, deps) in &g {
        assert!(!deps.contains("app"), "`{m}` imports the command layer");
    }
}

#[test]
fn every_module_says_what_it_owns() {
    for (path, text) in sources() {
        assert!(
            text.trim_start().starts_with("//!"),
            "{} has no `//!` line",
            path.display()
        );
    }
}
