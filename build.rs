//! Embeds every `rules/*.toml` file into the binary, so built-in rules are data
//! kept next to the code and a new rule file needs no code change. Scans load a
//! compact copy (examples stripped, converted to JSON) for a fast start.
use std::{env, fs, path::Path};

fn main() {
    let dir = Path::new("rules");
    println!("cargo:rerun-if-changed=rules");
    let mut files: Vec<_> = fs::read_dir(dir)
        .expect("rules/ directory")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let mut out = String::from("pub static BUILTIN_RULE_FILES: &[(&str, &str)] = &[\n");
    let mut compact = String::from("pub static BUILTIN_RULES_COMPACT: &[(&str, &str)] = &[\n");
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let abs = fs::canonicalize(f).unwrap();
        let name = f.file_name().unwrap().to_string_lossy();
        out.push_str(&format!(
            "    ({:?}, include_str!({:?})),\n",
            name,
            abs.display().to_string()
        ));
        let text = fs::read_to_string(f).unwrap();
        // Scans load the compact set as JSON: serde_json parses it several times
        // faster than TOML, which was a tenth of startup. A bad rule file fails
        // the build here; `rules check` reports it with positions.
        let value: toml::Value = toml::from_str(&strip_examples(&text))
            .unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let json = serde_json::to_string(&value).unwrap();
        compact.push_str(&format!("    ({:?}, {:?}),\n", name, json));
    }
    out.push_str("];\n");
    compact.push_str("];\n");
    out.push_str(&compact);
    let dest = Path::new(&env::var("OUT_DIR").unwrap()).join("builtin_rules.rs");
    fs::write(dest, out).unwrap();
}

/// The rule text without its `examples`/`negative_examples` arrays, which are
/// most of the text: scans parse this (startup time), `rules check` the full
/// files. A unit test checks both give the same rules.
fn strip_examples(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut skipping = false;
    for line in text.lines() {
        let t = line.trim();
        if skipping {
            if t == "]" {
                skipping = false;
            }
            continue;
        }
        if t.starts_with("examples = [") || t.starts_with("negative_examples = [") {
            // A one-line array ends on the same line.
            skipping = !t.ends_with(']');
            continue;
        }
        if t.starts_with('#') {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}
