//! The HTML report: self-contained (no external requests, a CSP that forbids
//! them), no full key unless `--show-secrets`, and in headless Chromium: renders
//! without console errors, shows the findings and the timeline, and its filters
//! work. The test also takes the screenshot used in the README.
use crate::browser::{chromium_binary, Chromium};
use crate::forge_fake::{git, Upstream};
use crate::util::*;
use std::path::Path;

/// Three repositories with keys introduced over a year, some removed since.
fn audit_fixture(root: &Path) -> Vec<String> {
    let served = root.join("served");
    let scratch = root.join("repos");
    std::fs::create_dir_all(&scratch).unwrap();
    let api = Upstream::new(&served, &scratch, "acme-api");
    api.write("README.md", "# api\n");
    api.write(
        "config/.env",
        &format!("PICTIFY_API_KEY={}\n", live_key(41)),
    );
    api.commit("config", "2023-09-14");
    api.write(
        "src/render.py",
        &format!("PICTIFY_KEY = \"{}\"  # pictify render\n", live_key(42)),
    );
    api.commit("render service", "2024-01-22");
    api.remove("config/.env");
    api.commit("drop env file", "2024-02-02");
    api.write(
        "tests/fixtures/pictify.json",
        &format!("{{\"pictifyKey\": \"{}\"}}\n", test_key(43)),
    );
    api.commit("fixtures", "2024-06-11");
    let web = Upstream::new(&served, &scratch, "acme-web");
    web.write(
        "src/components/Share.tsx",
        &format!(
            "const pictify = new Pictify({{ apiKey: '{}' }});\n",
            live_key(44)
        ),
    );
    web.commit("share card", "2023-11-03");
    web.write(
        "src/lib/storage.js",
        &format!("localStorage.setItem('pictify_key', '{}');\n", live_key(45)),
    );
    web.commit("remember key", "2024-03-18");
    web.remove("src/lib/storage.js");
    web.commit("stop storing the key", "2024-04-02");
    let mobile = Upstream::new(&served, &scratch, "acme-mobile");
    mobile.write(
        "android/app/src/main/res/values/strings.xml",
        &format!(
            "<resources><string name=\"pictify_api_key\">{}</string></resources>\n",
            live_key(46)
        ),
    );
    mobile.commit("android strings", "2024-08-27");
    mobile.write(
        "docs/setup.md",
        &format!("Set `PICTIFY_API_KEY={}`.\n", test_key(47)),
    );
    mobile.commit("docs", "2024-10-05");
    vec!["acme-api".into(), "acme-web".into(), "acme-mobile".into()]
}

fn report(dir: &Path, names: &[String], extra: &[&str]) -> Run {
    let mut args = vec!["git"];
    let repos: Vec<String> = names.iter().map(|n| format!("repos/{n}")).collect();
    args.extend(repos.iter().map(String::as_str));
    args.extend_from_slice(&["--format", "html", "-o", "report.html"]);
    args.extend_from_slice(extra);
    run_in(dir, &args)
}

#[test]
fn int_html_is_self_contained_and_redacted() {
    let dir = tempfile::tempdir().unwrap();
    let names = audit_fixture(dir.path());
    let r = report(dir.path(), &names, &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("default-src 'none'"));
    for external in [
        "<script src",
        "<link rel=\"stylesheet\"",
        "@import",
        "url(http",
        "src=\"http",
    ] {
        assert!(!html.contains(external), "{external}");
    }
    for seed in [41, 42, 44, 45, 46] {
        assert!(!html.contains(&live_key(seed)), "full key in the report");
    }
    assert!(!html.contains("This report contains full keys"));
    // --show-secrets: full keys, and a warning at the top of the page.
    let r = report(dir.path(), &names, &["--show-secrets"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("--show-secrets prints full keys"));
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(html.contains(&live_key(44)));
    assert!(html.contains("This report contains full keys"));
    // Other commands write it too.
    let p = Project::new();
    p.write(
        "app.js",
        format!("new Pictify({{ apiKey: '{}' }})\n", live_key(48)),
    );
    let r = p.run(&["scan", ".", "--format", "html"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.contains("<tr class=\"finding sev-"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("not from history"));
    p.run(&["scan", ".", "--format", "json", "-o", "a.json"]);
    let r = p.run(&["merge", "a.json", "--format", "html"]);
    assert_eq!(r.code, 1);
    assert_eq!(r.stdout.matches("<tr class=\"finding").count(), 1);
}

#[test]
fn int_html_renders_filters_and_charts_in_chromium() {
    let Some(chromium) = chromium_binary() else {
        eprintln!(
            "\n\n*** SKIPPED int_html_renders_filters_and_charts_in_chromium: Chromium is not installed \
             and could not be installed (.ci/run installs Debian's `chromium` package with apt-get; \
             run `bash scripts/ci-deps.sh`). ***\n\n"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let names = audit_fixture(dir.path());
    let r = report(dir.path(), &names, &["--include-other-providers"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let file = dir.path().join("report.html");
    let url = format!("file://{}", file.display());
    let browser = Chromium::start(&chromium);
    let mut page = browser.page();
    page.open(&url);
    assert_eq!(page.errors(), Vec::<String>::new(), "console errors");
    let requests = page.requests();
    assert!(
        requests
            .iter()
            .all(|u| u.starts_with("file://") || u.starts_with("data:")),
        "external requests: {requests:?}"
    );
    let state = |page: &mut crate::browser::Page| {
        page.eval(
            r#"(() => {
                const rows = [...document.querySelectorAll('#findings-table tbody tr.finding')];
                const visible = rows.filter(r => !r.hidden && r.getBoundingClientRect().height > 0);
                const chart = document.getElementById('chart').getBoundingClientRect();
                return {
                    rows: rows.length,
                    visible: visible.length,
                    severities: visible.map(r => r.dataset.severity),
                    roots: [...new Set(visible.map(r => r.dataset.root))].sort(),
                    bars: document.querySelectorAll('#chart rect.bar').length,
                    removedBars: document.querySelectorAll('#chart rect.bar.removed').length,
                    chartHeight: chart.height,
                    shown: document.getElementById('shown').textContent,
                    critical: document.querySelector('.card.sev-critical .count').textContent,
                };
            })()"#,
        )
    };
    let all = state(&mut page);
    let rows = all["rows"].as_u64().unwrap();
    assert!(rows >= 7, "{all}");
    assert_eq!(all["visible"], rows, "{all}");
    assert!(all["bars"].as_u64().unwrap() >= 5, "{all}");
    assert!(all["removedBars"].as_u64().unwrap() >= 2, "{all}");
    assert!(all["chartHeight"].as_f64().unwrap() > 100.0, "{all}");
    assert_eq!(all["shown"], format!("{rows} of {rows} findings shown"));
    assert_eq!(
        all["roots"],
        serde_json::json!(["repos/acme-api", "repos/acme-mobile", "repos/acme-web"])
    );

    // Screenshot for the README (and a look at it when it changes).
    let png = page.screenshot(1280, 1400, false);
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert!(
        png.len() > 20_000,
        "a blank page is smaller: {} bytes",
        png.len()
    );
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("audit-report.png");
    std::fs::write(&out, &png).unwrap();
    eprintln!("screenshot: {}", out.display());

    // Severity: unticking critical hides exactly the critical rows.
    let critical: u64 = all["critical"].as_str().unwrap().parse().unwrap();
    assert!(critical > 0);
    page.eval("document.querySelector('input[name=severity][value=critical]').click()");
    let s = state(&mut page);
    assert_eq!(s["visible"].as_u64().unwrap(), rows - critical, "{s}");
    assert!(!s["severities"]
        .as_array()
        .unwrap()
        .iter()
        .any(|v| v == "critical"));
    assert_eq!(
        s["shown"],
        format!("{} of {rows} findings shown", rows - critical)
    );
    page.eval("document.querySelector('input[name=severity][value=critical]').click()");
    // Repository: only that repository's rows, and the chart follows.
    page.eval(
        "(() => { const s = document.getElementById('repo'); s.value = 'repos/acme-web'; \
         s.dispatchEvent(new Event('change', {bubbles: true})); })()",
    );
    let s = state(&mut page);
    assert_eq!(s["roots"], serde_json::json!(["repos/acme-web"]), "{s}");
    assert!(
        s["bars"].as_u64().unwrap() < all["bars"].as_u64().unwrap(),
        "{s}"
    );
    // Context: untick everything but mobile.
    page.eval(
        "(() => { document.getElementById('repo').value = ''; \
         document.querySelectorAll('input[name=context]').forEach(b => { if ((b.value === 'mobile') !== b.checked) b.click(); }); })()",
    );
    let s = state(&mut page);
    assert_eq!(s["roots"], serde_json::json!(["repos/acme-mobile"]), "{s}");
    // Search box.
    page.eval(
        "(() => { document.querySelectorAll('input[name=context]').forEach(b => { if (!b.checked) b.click(); }); \
         const q = document.getElementById('q'); q.value = 'storage.js'; \
         q.dispatchEvent(new Event('input', {bubbles: true})); })()",
    );
    let s = state(&mut page);
    assert_eq!(s["visible"], 1, "{s}");
    // Filters survive in the address (a link to a filtered view), and load from it.
    let hash = page.eval("location.hash");
    assert_eq!(hash, "#q=storage.js");
    page.open(&format!("{url}#severity=high&repo=repos%2Facme-api"));
    let s = state(&mut page);
    assert!(s["visible"].as_u64().unwrap() >= 1, "{s}");
    assert_eq!(s["roots"], serde_json::json!(["repos/acme-api"]));
    assert!(s["severities"]
        .as_array()
        .unwrap()
        .iter()
        .all(|v| v == "high"));
    assert_eq!(
        page.errors(),
        Vec::<String>::new(),
        "console errors after filtering"
    );
    let _ = git;
}
