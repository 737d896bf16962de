//! `pkscan scan` over fixture trees: contexts, attribution, encodings, exit codes.
use crate::util::*;

#[test]
fn smoke_scan_finds_key_in_client_code() {
    let key = live_key(1);
    let p = Project::new();
    p.write(
        "src/App.jsx",
        format!("import React from 'react'\nconst pictify = '{key}'\n"),
    );
    let r = p.run(&["scan", "--format", "json", "."]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        r.findings(),
        vec![(
            "src/App.jsx".into(),
            2,
            "client-js".into(),
            "critical".into(),
            "pictify.api-key".into()
        )]
    );
    assert!(!r.stdout.contains(&key));
}

#[test]
fn smoke_clean_tree_exits_zero() {
    let p = Project::new();
    p.write("src/index.js", "console.log('hello')\n");
    let r = p.run(&["scan", "."]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("no findings"));
}
