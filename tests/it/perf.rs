//! Properties the performance work must keep: results do not depend on the number
//! of worker threads, and memory per file stays bounded (findings cap, size limit).
//! Speed itself is measured by `bench/run.sh`, never asserted here.
use crate::util::*;

/// A tree wide and deep enough that several workers share it, with keys spread over
/// files of different kinds, plus files that produce notices.
fn busy_tree() -> (Project, usize) {
    let p = Project::new();
    let mut planted = 0;
    for d in 0..12u64 {
        for f in 0..10u64 {
            let seed = d * 100 + f;
            let body = if f % 3 == 0 {
                planted += 1;
                let key = if seed % 2 == 0 {
                    live_key(seed)
                } else {
                    test_key(seed)
                };
                format!(
                    "// filler {seed}\nconst pictifyKey = '{key}';\nexport default pictifyKey;\n"
                )
            } else {
                format!("export const value{seed} = {seed};\n")
            };
            p.write(&format!("pkg{d}/src/mod{f}.js"), body);
        }
    }
    p.write(
        "server/.env",
        format!("PICTIFY_API_KEY={}\nOTHER=1\n", live_key(7777)),
    );
    planted += 1;
    // Two keys in one file, on one line.
    p.write(
        "server/keys.py",
        format!(
            "import pictify\nKEYS = ['{}', '{}']\n",
            live_key(8001),
            test_key(8002)
        ),
    );
    planted += 2;
    // Skipped by --max-file-size below: becomes a notice, never silently lost.
    p.write("big/bundle.js", "x".repeat(300 * 1024));
    (p, planted)
}

#[test]
fn threads_one_and_default_give_identical_reports() {
    let (p, planted) = busy_tree();
    let args = |threads: &str| {
        let mut a = vec!["scan", "--format", "json", "--max-file-size", "256K"];
        if !threads.is_empty() {
            a.extend(["--threads", threads]);
        }
        a.push(".");
        p.run(&a)
    };
    let one = args("1");
    assert_eq!(one.code, 1, "{}", one.stderr);
    assert_eq!(one.findings().len(), planted, "{}", one.stdout);
    assert!(one.stdout.contains("big/bundle.js"), "{}", one.stdout);
    for threads in ["", "2", "7"] {
        let other = args(threads);
        assert_eq!(other.code, 1, "{}", other.stderr);
        // Whole reports, byte for byte: findings, order, notices and summary.
        assert_eq!(other.stdout, one.stdout, "--threads {threads:?} differs");
    }
    // And twice with the default: no run-to-run drift either.
    assert_eq!(args("").stdout, one.stdout);
}

#[test]
fn findings_per_file_are_capped_and_the_rest_counted() {
    let p = Project::new();
    let keys: Vec<String> = (0..130).map(|i| live_key(10_000 + i)).collect();
    let mut body = String::from("// pictify keys, generated\n");
    for k in &keys {
        body.push_str(&format!("pictify.use('{k}');\n"));
    }
    p.write("src/many.js", body);
    let r = p.run(&["scan", "--format", "json", "."]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v = r.json();
    let findings = v["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 100);
    // The kept ones are the first 100 in file order.
    let lines: Vec<u64> = findings
        .iter()
        .map(|f| f["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, (2..102).collect::<Vec<u64>>());
    let notices = v["notices"].as_array().unwrap();
    assert!(
        notices.iter().any(|n| n["path"] == "src/many.js"
            && n["reason"]
                .as_str()
                .unwrap()
                .contains("30 more possible keys")),
        "{notices:?}"
    );
}

#[test]
fn files_are_read_whole_around_the_first_read_chunk() {
    // Sizes around the 64 KiB first read and multi-megabyte files, each with a key
    // at its very end: the reader must never stop at a chunk boundary.
    let p = Project::new();
    let sizes: [usize; 7] = [
        100,
        64 * 1024 - 1,
        64 * 1024,
        64 * 1024 + 1,
        200 * 1024,
        3 * 1024 * 1024,
        // Memory-mapped rather than read.
        9 * 1024 * 1024,
    ];
    let mut expected = Vec::new();
    for (i, &size) in sizes.iter().enumerate() {
        let key = live_key(500 + i as u64);
        let tail = format!("\nconst pictify = '{key}';");
        let filler = size.saturating_sub(tail.len());
        let mut body = String::with_capacity(size);
        for n in 0..filler {
            body.push(if n % 80 == 79 { '\n' } else { 'a' });
        }
        body.push_str(&tail);
        let name = format!("src/f{i}.js");
        p.write(&name, &body);
        expected.push((name, body.lines().count() as u64));
    }
    let r = p.run(&["scan", "--format", "json", "."]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let got: Vec<(String, u64)> = r.findings().into_iter().map(|f| (f.0, f.1)).collect();
    assert_eq!(got, expected);
}

#[test]
fn max_file_size_below_the_first_read_chunk_still_skips_and_reports() {
    let p = Project::new();
    p.write(
        "small.js",
        format!("const pictify = '{}';\n", live_key(901)),
    );
    p.write(
        "bigger.js",
        format!(
            "{}\nconst pictify = '{}';\n",
            "x".repeat(3000),
            live_key(902)
        ),
    );
    let r = p.run(&["scan", "--format", "json", "--max-file-size", "2K", "."]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let paths: Vec<String> = r.findings().into_iter().map(|f| f.0).collect();
    assert_eq!(paths, vec!["small.js".to_string()]);
    let v = r.json();
    let notices = v["notices"].as_array().unwrap();
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert_eq!(notices[0]["path"], "bigger.js");
    assert_eq!(notices[0]["kind"], "skipped");
    assert!(notices[0]["reason"]
        .as_str()
        .unwrap()
        .contains("--max-file-size"));
}
