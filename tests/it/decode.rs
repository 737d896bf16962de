//! Encoded and split keys: base64/base64url, percent-encoding, JS/JSON/Swift
//! escapes and string concatenation in client JS, mobile code and Kubernetes
//! Secrets, reported where the encoded text is, with the encoding named.
use crate::util::*;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use serde_json::Value;

/// 1-based line and column (in characters) of the first `needle` in `text`.
fn pos_of(text: &str, needle: &str) -> (u64, u64) {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in fixture"));
    let before = &text[..at];
    let line = before.matches('\n').count() as u64 + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() as u64 + 1)
}

fn percent(key: &str) -> String {
    key.replace('_', "%5F")
}

fn u_escape(key: &str) -> String {
    key.replace('_', r"\u005f")
}

/// `(path, line, column, encoding, context)` of every finding.
fn located(r: &Run) -> Vec<(String, u64, u64, String, String)> {
    r.json()["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
                f["encoding"].as_str().unwrap_or("none").to_string(),
                f["context"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn assert_hidden(r: &Run, secrets: &[&str]) {
    for s in secrets {
        assert!(
            !r.stdout.contains(s) && !r.stderr.contains(s),
            "{s} leaked:\n{}",
            r.stdout
        );
    }
}

#[test]
fn client_js_each_encoding() {
    let keys: Vec<String> = (11..18).map(live_key).collect();
    let b64 = STANDARD.encode(&keys[0]);
    let b64url = URL_SAFE_NO_PAD.encode(&keys[1]);
    let pct = percent(&keys[2]);
    let esc = u_escape(&keys[3]);
    let xesc = keys[4].replacen('_', r"\x5f", 2);
    let body5 = &keys[5]["pk_live_".len()..];
    let body6 = &keys[6]["pk_live_".len()..];
    let app = format!(
        "import React from 'react'\n\
         import {{ render }} from '@pictify/sdk'\n\
         const a = atob('{b64}');\n\
         const b = Buffer.from('{b64url}', 'base64url').toString();\n\
         fetch('https://api.pictify.io/v1/image?key={pct}&w=1200');\n\
         const d = \"{esc}\";\n\
         const e = 'pk\\x5flive\\x5f{body4}';\n\
         const f = 'pk_live_' + '{body5}';\n\
         const g = `pk_` + `live_` +\n    `{body6}`;\n",
        body4 = &xesc[r"pk\x5flive\x5f".len()..],
    );
    let p = Project::new();
    p.write("src/App.jsx", &app);
    let r = p.run(&["scan", "--format", "json", "."]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let at = |needle: &str, enc: &str| {
        let (l, c) = pos_of(&app, needle);
        (
            "src/App.jsx".to_string(),
            l,
            c,
            enc.to_string(),
            "client-js".to_string(),
        )
    };
    assert_eq!(
        located(&r),
        vec![
            at(&b64, "base64"),
            at(&b64url, "base64url"),
            at(&pct, "percent"),
            at(&esc, "js-escape"),
            at(r"pk\x5flive", "js-escape"),
            at("pk_live_' +", "concatenation"),
            at("pk_` +", "concatenation"),
        ]
    );
    // Decoded keys are what is fingerprinted, attributed and redacted.
    let v = r.json();
    for (f, key) in v["findings"].as_array().unwrap().iter().zip(&keys) {
        assert_eq!(f["severity"], "critical");
        assert_eq!(f["attribution"], "pictify");
        assert_eq!(f["key"].as_str().unwrap(), redacted(key));
    }
    let secrets: Vec<&str> = keys.iter().map(String::as_str).collect();
    assert_hidden(&r, &secrets);
    assert_hidden(&r, &[&b64, &b64url, &pct, &esc]);
    let r = p.run(&["scan", "--format", "sarif", "."]);
    let sarif: Value = serde_json::from_str(&r.stdout).unwrap();
    let encodings: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|res| res["properties"]["encoding"].as_str().unwrap())
        .collect();
    assert_eq!(
        encodings,
        [
            "base64",
            "base64url",
            "percent",
            "js-escape",
            "js-escape",
            "concatenation",
            "concatenation"
        ]
    );
    assert_hidden(&r, &secrets);
}

fn redacted(key: &str) -> String {
    let body = &key["pk_live_".len()..];
    format!("{}{}…{}", &key[..8], &body[..2], &body[body.len() - 2..])
}

/// The fields a decoded key must share with the same key written plainly.
fn verdicts(r: &Run) -> Vec<Vec<String>> {
    r.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            [
                "context",
                "severity",
                "attribution",
                "confidence",
                "fingerprint",
                "key_environment",
            ]
            .iter()
            .map(|k| f[*k].as_str().unwrap().to_string())
            .collect()
        })
        .collect()
}

#[test]
fn mobile_code_same_verdict_as_plain_keys() {
    let k1 = live_key(21);
    let k2 = test_key(22);
    let k3 = live_key(23);
    let kotlin = |a: &str, b: &str| {
        format!(
            "package io.acme.render\n\nimport android.util.Base64\n\n\
             object PictifyConfig {{\n    val apiKey = {a}\n    val sandboxKey = {b}\n}}\n"
        )
    };
    let b64 = STANDARD.encode(&k1);
    let body2 = &k2["pk_test_".len()..];
    let enc_kt = kotlin(
        &format!("String(Base64.decode(\"{b64}\", Base64.DEFAULT))"),
        &format!("\"pk_\" + \"test_\" +\n        \"{body2}\""),
    );
    let swift_esc = k3.replace('_', r"\u{5f}");
    let swift =
        |a: &str| format!("import UIKit\n\nenum Pictify {{\n    static let key = \"{a}\"\n}}\n");
    let enc_swift = swift(&swift_esc);

    let p = Project::new();
    p.write(
        "android/app/src/main/java/io/acme/render/PictifyConfig.kt",
        &enc_kt,
    );
    p.write("ios/Render/Pictify.swift", &enc_swift);
    let r = p.run(&["scan", "--format", "json", "."]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let kt = "android/app/src/main/java/io/acme/render/PictifyConfig.kt".to_string();
    let (l1, c1) = pos_of(&enc_kt, &b64);
    let (l2, c2) = pos_of(&enc_kt, "pk_\"");
    let (l3, c3) = pos_of(&enc_swift, &swift_esc);
    assert_eq!(
        located(&r),
        vec![
            (kt.clone(), l1, c1, "base64".into(), "mobile".into()),
            (kt, l2, c2, "concatenation".into(), "mobile".into()),
            (
                "ios/Render/Pictify.swift".into(),
                l3,
                c3,
                "js-escape".into(),
                "mobile".into()
            ),
        ]
    );
    assert_hidden(&r, &[&k1, &k2, &k3, &b64]);

    // The same keys written plainly get the same context, severity,
    // attribution, confidence and fingerprint.
    let plain = Project::new();
    plain.write(
        "android/app/src/main/java/io/acme/render/PictifyConfig.kt",
        kotlin(&format!("\"{k1}\""), &format!("\"{k2}\"")),
    );
    plain.write("ios/Render/Pictify.swift", swift(&k3));
    let rp = plain.run(&["scan", "--format", "json", "."]);
    assert_eq!(verdicts(&r), verdicts(&rp));
}

#[test]
fn kubernetes_secret_data_values() {
    let key = live_key(31);
    let b64 = STANDARD.encode(&key);
    let other = STANDARD.encode("postgres://render:5432/app");
    let manifest = format!(
        "apiVersion: v1\n\
         kind: Secret\n\
         metadata:\n  name: render-service\n  namespace: prod\n\
         type: Opaque\n\
         data:\n  DATABASE_URL: {other}\n  PICTIFY_API_KEY: {b64}\n"
    );
    let p = Project::new();
    p.write("deploy/k8s/render-secret.yaml", &manifest);
    let r = p.run(&["scan", "--format", "json", "."]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let (line, col) = pos_of(&manifest, &b64);
    assert_eq!((line, col), (9, 20));
    assert_eq!(
        located(&r),
        vec![(
            "deploy/k8s/render-secret.yaml".into(),
            line,
            col,
            "base64".into(),
            "config".into()
        )]
    );
    let f = &r.json()["findings"][0];
    assert_eq!(f["severity"], "high");
    assert_eq!(f["key_environment"], "live");
    assert_eq!(f["end_line"], 9);
    // The span covers the encoded key (without padding).
    let enc_len = b64.trim_end_matches('=').chars().count() as u64;
    assert_eq!(f["end_column"].as_u64().unwrap(), col + enc_len);
    assert_hidden(&r, &[&key, &b64]);

    // Without decoding, the value assigned to PICTIFY_API_KEY is still caught
    // by the unprefixed-token rule, just not as a decoded `pk_live_` key.
    let r = p.run(&["scan", "--no-decode", "--format", "json", "."]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    let v = r.json();
    let f = &v["findings"].as_array().unwrap();
    assert_eq!(f.len(), 1);
    assert_eq!(f[0]["rule_id"], "pictify.token");
    assert!(f[0].get("encoding").is_none());
    assert_hidden(&r, &[&key, &b64]);
}

#[test]
fn negatives_are_not_reported() {
    let font_key = live_key(41);
    let sri_key = test_key(42);
    let enc_font = STANDARD.encode(&font_key);
    let enc_sri = STANDARD.encode(&sri_key);
    // A long blob (a picture) whose bytes happen to hold key-shaped text, near
    // its start and deep inside it.
    let mut blob = Vec::new();
    for i in 0..3000u32 {
        blob.extend_from_slice(&i.wrapping_mul(2654435761).to_le_bytes());
        if i % 500 == 7 {
            blob.extend_from_slice(live_key(u64::from(i)).as_bytes());
            blob.push(0);
        }
    }
    let picture = STANDARD.encode(&blob);
    let stripe = STANDARD.encode(format!("pk_live_51{}", fake_body(43, 97)));
    let words = STANDARD.encode("pk_live_publishable_key_value");
    let binary_tail =
        STANDARD.encode(b"pk_test_\x01\x02\xfe\xfd\xfc\x80\x81\x82\x83\x84\x85\x86\x87\x88");

    let p = Project::new();
    p.write(
        "src/styles.css",
        format!(
            "@font-face {{ font-family: X; src: url(data:font/woff2;base64,{enc_font}) }}\n\
             .hero {{ background: url(\"data:image/png;base64,{picture}\") }}\n"
        ),
    );
    p.write(
        "package-lock.json",
        format!(
            "{{\n  \"packages\": {{\n    \"node_modules/x\": {{\n      \"version\": \"1.0.0\",\n      \"integrity\": \"sha512-{enc_sri}\"\n    }}\n  }}\n}}\n"
        ),
    );
    p.write(
        "src/checkout.js",
        format!(
            "const stripe = await loadStripe(atob('{stripe}'));\n\
             const label = atob('{words}');\n\
             const raw = atob('{binary_tail}');\n\
             const prefix = 'pk_live_' + suffix;\n"
        ),
    );
    let r = p.run(&["scan", "--format", "json", "."]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(located(&r).is_empty());

    // Control: the same encoded keys outside blobs and integrity hashes are found.
    p.write(
        "src/keys.js",
        format!("// pictify\nconst a = '{enc_font}';\nconst b = '{enc_sri}';\n"),
    );
    let r = p.run(&["scan", "--format", "json", "."]);
    assert_eq!(
        located(&r),
        vec![
            (
                "src/keys.js".into(),
                2,
                12,
                "base64".into(),
                "client-js".into()
            ),
            (
                "src/keys.js".into(),
                3,
                12,
                "base64".into(),
                "client-js".into()
            ),
        ]
    );
}

#[test]
fn split_plain_key_is_reported_once() {
    let key = live_key(51);
    let (head, tail) = key.split_at(28);
    let p = Project::new();
    p.write(
        "src/a.js",
        format!("// pictify\nconst url = '{key}' + '/render';\nconst k = '{head}' + '{tail}';\n"),
    );
    let r = p.run(&["scan", "--format", "json", "."]);
    assert_eq!(
        located(&r),
        vec![
            ("src/a.js".into(), 2, 14, "none".into(), "client-js".into()),
            (
                "src/a.js".into(),
                3,
                12,
                "concatenation".into(),
                "client-js".into()
            ),
        ]
    );
    // Both are the whole key: same fingerprint.
    let v = r.json();
    assert_eq!(
        v["findings"][0]["fingerprint"],
        v["findings"][1]["fingerprint"]
    );
}

#[test]
fn no_decode_flag_and_rule_opt_out() {
    let key = live_key(61);
    let b64 = STANDARD.encode(&key);
    let p = Project::new();
    p.write(
        "src/a.js",
        format!(
            "// pictify\nconst a = atob('{b64}');\nconst b = '{}';\n",
            live_key(62)
        ),
    );
    let r = p.run(&["scan", "--format", "json", "."]);
    assert_eq!(located(&r).len(), 2);
    let r = p.run(&["scan", "--no-decode", "--format", "json", "."]);
    assert_eq!(
        located(&r),
        vec![("src/a.js".into(), 3, 12, "none".into(), "client-js".into())]
    );

    // A user key rule that opts out finds the plain key but not the encoded one.
    p.write(
        "rules/team.toml",
        "[[rule]]\nid = \"team.pk-key\"\nname = \"Team key\"\ndescription = \"d\"\nkind = \"key\"\n\
         keywords = [\"pk_live_\"]\npattern = '''(pk_live_[A-Za-z0-9]{32})'''\nno_decode = true\n\
         examples = [\"k = 'pk_live_q8ZfT2vLm9XwRk4NbH7sYc1DaB3eF5gH'\"]\n",
    );
    let r = p.run(&[
        "scan",
        "--rules",
        "rules/team.toml",
        "--format",
        "json",
        "src",
    ]);
    let ids: Vec<(u64, String)> = r.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["line"].as_u64().unwrap(),
                f["rule_id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        ids,
        vec![
            (2, "pictify.api-key".to_string()),
            (3, "pictify.api-key".to_string()),
            (3, "team.pk-key".to_string()),
        ]
    );
}

#[test]
fn char_code_arrays_decimal_and_hex() {
    let k1 = live_key(61);
    let k2 = test_key(62);
    let dec: Vec<String> = k1.bytes().map(|b| b.to_string()).collect();
    let hex: Vec<String> = k2.bytes().map(|b| format!("0x{b:02x}")).collect();
    let dec = dec.join(", ");
    let hex = hex.join(",");
    let js = format!(
        "import React from 'react';\n// Pictify key, obfuscated\nconst k = String.fromCharCode({dec});\n"
    );
    let kt = format!(
        "package io.acme.render\n\n// pictify credentials\nval key = byteArrayOf({hex}).decodeToString()\n"
    );
    let p = Project::new();
    p.write("web/src/render.js", &js);
    p.write("android/app/src/main/java/io/acme/render/Keys.kt", &kt);
    // A list of numbers that is not a key stays quiet.
    p.write(
        "web/src/table.js",
        "const t = [112, 107, 95, 1, 2, 3, 200, 7];\n",
    );
    let r = p.run(&["scan", "--format", "json", "."]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let (l1, c1) = pos_of(&js, &dec);
    let (l2, c2) = pos_of(&kt, &hex);
    assert_eq!(
        located(&r),
        vec![
            (
                "android/app/src/main/java/io/acme/render/Keys.kt".into(),
                l2,
                c2,
                "char-codes".into(),
                "mobile".into()
            ),
            (
                "web/src/render.js".into(),
                l1,
                c1,
                "char-codes".into(),
                "client-js".into()
            ),
        ]
    );
    assert_hidden(&r, &[&k1, &k2]);
    let r = p.run(&["scan", "--no-decode", "--format", "json", "."]);
    assert_eq!(r.code, 0, "{}", r.stdout);
}
