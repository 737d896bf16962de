//! Practice and contextual-token rules over fixture projects: browser storage,
//! client-side Pictify clients and API calls, public env vars, unprefixed tokens;
//! and none where the code follows Pictify's guidance.
use crate::util::*;

type F = (String, u64, String, String, String);

fn f(path: &str, line: u64, context: &str, severity: &str, rule: &str) -> F {
    (
        path.into(),
        line,
        context.into(),
        severity.into(),
        rule.into(),
    )
}

/// A random-looking lower-case hex token of `n` characters (belongs to no one).
fn fake_hex(seed: u64, n: usize) -> String {
    fake_body(seed, n * 2)
        .bytes()
        .map(|b| b"0123456789abcdef"[(b % 16) as usize] as char)
        .take(n)
        .collect()
}

/// Scans `.` as JSON and returns the sorted findings.
fn scan_json(p: &Project) -> (i32, Vec<F>) {
    let r = p.run(&["scan", "--format", "json", "."]);
    assert!(r.code == 0 || r.code == 1, "{}\n{}", r.stdout, r.stderr);
    let mut got = r.findings();
    got.sort();
    (r.code, got)
}

fn sorted(mut v: Vec<F>) -> Vec<F> {
    v.sort();
    v
}

/// An Express server that follows the guidance: key from the environment, the
/// browser calls the server's endpoint. Shared by several fixtures.
fn write_express_server(p: &Project, dir: &str) {
    p.write(
        &format!("{dir}/index.js"),
        r#"const express = require('express')
const { Pictify } = require('@pictify/sdk')

const app = express()
const pictify = new Pictify({ apiKey: process.env.PICTIFY_API_KEY })

app.post('/api/og', async (req, res) => {
  const r = await fetch('https://api.pictify.io/image', {
    method: 'POST',
    headers: { Authorization: `Bearer ${process.env.PICTIFY_API_KEY}` },
    body: JSON.stringify({ html: req.body.html }),
  })
  res.json(await r.json())
})

app.listen(process.env.PORT || 3000)
"#,
    );
    p.write(
        &format!("{dir}/render.py"),
        "import os, requests\n\
         PICTIFY_API_KEY = os.environ[\"PICTIFY_API_KEY\"]\n\
         pictify_key = os.getenv('PICTIFY_API_KEY')\n\
         requests.post('https://api.pictify.io/image', headers={'Authorization': f'Bearer {PICTIFY_API_KEY}'})\n",
    );
    p.write(
        &format!("{dir}/.env.example"),
        "# Server-only: never prefix with NEXT_PUBLIC_/VITE_\nPICTIFY_API_KEY=your_pictify_api_key_here\nPORT=3000\n",
    );
}

#[test]
fn rules_check_passes_for_all_builtin_rules() {
    let p = Project::new();
    let r = p.run(&["rules", "check"]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("; 0 failures"), "{}", r.stdout);
    let list = p.run(&["rules", "list"]);
    for id in [
        "pictify.browser-storage",
        "pictify.client-side-sdk",
        "pictify.client-side-call",
        "pictify.public-env-var",
        "pictify.token",
    ] {
        assert!(list.stdout.contains(id), "{id} missing:\n{}", list.stdout);
    }
}

#[test]
fn nextjs_app() {
    let p = Project::new();
    let token = fake_hex(11, 40);
    p.write(
        "web/package.json",
        r#"{ "name": "web", "dependencies": { "next": "15", "react": "19", "@pictify/sdk": "1" } }"#,
    );
    // Line 2: a public name (no value); line 3 the same with a token in it.
    p.write(
        "web/.env.local",
        format!(
            "NEXT_PUBLIC_SITE_URL=https://acme.test\nNEXT_PUBLIC_PICTIFY_API_KEY=\nNEXT_PUBLIC_PICTIFY_TOKEN={token}\nNEXT_PUBLIC_PICTIFY_TEMPLATE_ID=tmpl_og\n"
        ),
    );
    // A settings page that keeps the user's key in localStorage; the Pictify
    // mention is far above the `apiKey` write (more than the matcher's window).
    let filler = "// layout notes\n".repeat(120);
    p.write(
        "web/components/KeySettings.tsx",
        format!(
            "'use client'\nimport {{ Pictify }} from '@pictify/sdk'\nimport {{ useState }} from 'react'\n{filler}export function KeySettings() {{\n  const [apiKey, setApiKey] = useState('')\n  const save = () => localStorage.setItem('apiKey', apiKey)\n  return <button onClick={{save}}>Save</button>\n}}\n"
        ),
    );
    p.write(
        "web/components/OgPreview.tsx",
        "'use client'\nimport { Pictify } from '@pictify/sdk'\n\nexport function OgPreview() {\n  const client = new Pictify({ apiKey: process.env.NEXT_PUBLIC_PICTIFY_API_KEY })\n  return null\n}\n",
    );
    // Following the guidance: a route handler and a server component with the
    // server-only variable, a client that calls its own endpoint, theme storage,
    // and Stripe's publishable key.
    p.write(
        "web/app/api/og/route.ts",
        "export async function POST(req: Request) {\n  const res = await fetch('https://api.pictify.io/image', {\n    method: 'POST',\n    headers: { Authorization: `Bearer ${process.env.PICTIFY_API_KEY}` },\n    body: await req.text(),\n  })\n  return res\n}\n",
    );
    p.write(
        "web/app/og/page.tsx",
        "import { Pictify } from '@pictify/sdk'\nexport default async function Page() {\n  const pictify = new Pictify({ apiKey: process.env.PICTIFY_API_KEY })\n  return <img src={(await pictify.render({ template: 'og' })).url} />\n}\n",
    );
    p.write(
        "web/components/ShareButton.tsx",
        "'use client'\nimport React from 'react'\n// Renders through our /api/og endpoint (Pictify key stays on the server)\nexport function ShareButton() {\n  const go = async () => {\n    const r = await fetch('/api/og', { method: 'POST' })\n    localStorage.setItem('lastImage', (await r.json()).url)\n    localStorage.setItem('theme', 'dark')\n  }\n  return <button onClick={go} />\n}\n",
    );
    p.write(
        "web/components/Checkout.tsx",
        "'use client'\nimport { loadStripe } from '@stripe/stripe-js'\nconst stripePromise = loadStripe(process.env.NEXT_PUBLIC_STRIPE_KEY!)\n",
    );
    let (code, got) = scan_json(&p);
    assert_eq!(code, 1);
    // One finding per problem: a client created with a public variable is
    // reported as the public variable (the root cause), not twice.
    let key_line = 4 + 120 + 2;
    assert_eq!(
        got,
        sorted(vec![
            f(
                "web/.env.local",
                2,
                "client-js",
                "high",
                "pictify.public-env-var"
            ),
            // The token on line 3 subsumes the public-name finding there.
            f(
                "web/.env.local",
                3,
                "client-js",
                "critical",
                "pictify.token"
            ),
            f(
                "web/components/KeySettings.tsx",
                key_line,
                "browser-storage",
                "high",
                "pictify.browser-storage"
            ),
            f(
                "web/components/OgPreview.tsx",
                5,
                "client-js",
                "high",
                "pictify.public-env-var"
            ),
        ])
    );
}

#[test]
fn vue_and_svelte_apps() {
    let p = Project::new();
    p.write(
        "vue-app/src/components/RenderButton.vue",
        r#"<script setup>
import axios from 'axios'
import { ref } from 'vue'

const url = ref('')
async function render(html) {
  const { data } = await axios.post('https://api.pictify.io/image', { html }, {
    headers: { Authorization: `Bearer ${import.meta.env.VITE_PICTIFY_KEY}` },
  })
  url.value = data.url
}
</script>
"#,
    );
    p.write(
        "vue-app/src/stores/auth.js",
        "import { defineStore } from 'pinia'\nexport const useAuth = defineStore('auth', {\n  actions: {\n    remember(key) {\n      document.cookie = `pictify_token=${key}; path=/`\n    },\n  },\n})\n",
    );
    p.write(
        "vue-app/src/stores/prefs.js",
        "// Pictify renders go through /api/render.\nexport const setTheme = (t) => localStorage.setItem('theme', t)\n",
    );
    p.write(
        "svelte-app/src/routes/+page.svelte",
        "<script>\n  import { PUBLIC_PICTIFY_API_KEY } from '$env/static/public'\n  import { onMount } from 'svelte'\n  onMount(() => sessionStorage.setItem('pictifyKey', PUBLIC_PICTIFY_API_KEY))\n</script>\n",
    );
    // SvelteKit server route following the guidance.
    p.write(
        "svelte-app/src/routes/api/og/+server.js",
        "import { PICTIFY_API_KEY } from '$env/static/private'\nexport async function POST() {\n  return fetch('https://api.pictify.io/image', { headers: { Authorization: `Bearer ${PICTIFY_API_KEY}` } })\n}\n",
    );
    let (_, got) = scan_json(&p);
    assert_eq!(
        got,
        sorted(vec![
            f(
                "svelte-app/src/routes/+page.svelte",
                2,
                "client-js",
                "high",
                "pictify.public-env-var"
            ),
            f(
                "svelte-app/src/routes/+page.svelte",
                4,
                "browser-storage",
                "high",
                "pictify.browser-storage"
            ),
            // The same line reads the public variable too.
            f(
                "vue-app/src/components/RenderButton.vue",
                8,
                "client-js",
                "high",
                "pictify.public-env-var"
            ),
            f(
                "vue-app/src/stores/auth.js",
                5,
                "browser-storage",
                "high",
                "pictify.browser-storage"
            ),
        ])
    );
}

#[test]
fn react_native_app() {
    let p = Project::new();
    p.write(
        "App.tsx",
        r#"import React from 'react'
import { View, Button } from 'react-native'
import { PICTIFY_API_KEY } from '@env'
import { Pictify } from '@pictify/sdk'

const pictify = new Pictify(PICTIFY_API_KEY)

export default function App() {
  const render = async () => {
    await fetch('https://api.pictify.io/image', {
      method: 'POST',
      headers: { 'X-API-Key': process.env.EXPO_PUBLIC_PICTIFY_API_KEY },
    })
  }
  return <View><Button title="Render" onPress={render} /></View>
}
"#,
    );
    p.write(
        "app.json",
        r#"{ "expo": { "name": "acme", "slug": "acme" } }"#,
    );
    // Following the guidance: the app calls the team's own backend.
    p.write(
        "src/api.ts",
        "import { Platform } from 'react-native'\n// Pictify runs on our server; the app never sees the key.\nexport const renderOg = (html: string) => fetch('https://api.acme.test/og', { method: 'POST', body: html })\n",
    );
    let (_, got) = scan_json(&p);
    assert_eq!(
        got,
        sorted(vec![
            f("App.tsx", 6, "mobile", "high", "pictify.client-side-sdk"),
            f("App.tsx", 12, "mobile", "high", "pictify.public-env-var"),
        ])
    );
}

#[test]
fn android_and_ios_snippets() {
    let p = Project::new();
    let token = fake_body(21, 36);
    p.write(
        "android/app/src/main/java/com/acme/og/OgRenderer.kt",
        r#"package com.acme.og

import okhttp3.OkHttpClient
import okhttp3.Request

class OgRenderer(private val apiKey: String) {
    fun render(body: okhttp3.RequestBody): String? {
        val request = Request.Builder()
            .url("https://api.pictify.io/image")
            .addHeader("Authorization", "Bearer $apiKey")
            .post(body)
            .build()
        return OkHttpClient().newCall(request).execute().body?.string()
    }
}
"#,
    );
    p.write(
        "android/app/src/main/java/com/acme/og/Legacy.java",
        "package com.acme.og;\n\nimport android.content.Context;\nimport okhttp3.*;\n\nclass Legacy {\n  Request build(String key) {\n    return new Request.Builder()\n        .url(\"https://api.pictify.io/templates\")\n        .header(\"Authorization\", \"Bearer \" + key)\n        .build();\n  }\n}\n",
    );
    p.write(
        "ios/Acme/RenderService.swift",
        format!(
            r#"import Foundation

let pictifyToken = "{token}"

func render(html: String) {{
    var request = URLRequest(url: URL(string: "https://api.pictify.io/image")!)
    request.httpMethod = "POST"
    request.setValue("Bearer \(pictifyToken)", forHTTPHeaderField: "Authorization")
    URLSession.shared.dataTask(with: request).resume()
}}
"#
        ),
    );
    // Following the guidance: the app calls the team's backend, no key.
    p.write(
        "ios/Acme/OgClient.swift",
        "import Foundation\n// Pictify is called by our server at /og\nlet ogURL = URL(string: \"https://api.acme.test/og\")!\n",
    );
    let r = p.run(&["scan", "--format", "json", "."]);
    assert!(!r.stdout.contains(&token), "token printed in full");
    let (_, got) = scan_json(&p);
    assert_eq!(
        got,
        sorted(vec![
            f(
                "android/app/src/main/java/com/acme/og/Legacy.java",
                9,
                "mobile",
                "high",
                "pictify.client-side-call"
            ),
            f(
                "android/app/src/main/java/com/acme/og/OgRenderer.kt",
                9,
                "mobile",
                "high",
                "pictify.client-side-call"
            ),
            f(
                "ios/Acme/RenderService.swift",
                3,
                "mobile",
                "critical",
                "pictify.token"
            ),
        ])
    );
}

#[test]
fn express_server_following_guidance_has_no_findings() {
    let p = Project::new();
    write_express_server(&p, "server");
    p.write(
        "client/src/App.jsx",
        "import React from 'react'\n// The Pictify key stays on the server: we call /api/og.\nexport const og = (html) => fetch('/api/og', { method: 'POST', body: html })\nlocalStorage.setItem('theme', 'dark')\n",
    );
    let r = p.run(&["scan", "--format", "json", "."]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(r.findings().is_empty(), "{}", r.stdout);
}

#[test]
fn unprefixed_tokens_by_context_and_never_twice_for_pk_keys() {
    let p = Project::new();
    let hex = fake_hex(31, 32);
    let alnum = fake_body(32, 40);
    let pk = live_key(33);
    p.write(
        "server/render.js",
        format!(
            "const express = require('express')\nconst PICTIFY_API_KEY = '{hex}'\nconst other = 'x'\n"
        ),
    );
    p.write(
        ".env",
        format!("PICTIFY_API_KEY={alnum}\nPICTIFY_LEGACY_KEY={pk}\n"),
    );
    p.write(
        "scripts/smoke.sh",
        format!("curl -H 'Authorization: Bearer {hex}' https://api.pictify.io/templates\n"),
    );
    p.write(
        "docs/api.md",
        "```\ncurl -H 'Authorization: Bearer xxxxxxxxxxxxxxxxxxxxxxxxxxxx' https://api.pictify.io/templates\n```\n",
    );
    p.write(
        "server/github.js",
        format!(
            "const {{ render }} = require('./pictify')\n\n\n\n\nconst gh = {{ Authorization: 'Bearer {hex}' }}\n"
        ),
    );
    let r = p.run(&["scan", "--format", "json", "."]);
    for secret in [&hex, &alnum, &pk] {
        assert!(
            !r.stdout.contains(secret.as_str()),
            "secret printed in full"
        );
    }
    let mut got = r.findings();
    got.sort();
    assert_eq!(
        got,
        sorted(vec![
            f(".env", 1, "config", "high", "pictify.token"),
            f(".env", 2, "config", "high", "pictify.api-key"),
            f("scripts/smoke.sh", 1, "server", "high", "pictify.token"),
            f("server/render.js", 2, "server", "high", "pictify.token"),
        ])
    );
    let v = r.json();
    let tok = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == "pictify.token")
        .unwrap();
    assert_eq!(tok["key_environment"], "unknown");
    assert!(tok["key"].as_str().unwrap().contains('…'));
}

#[test]
fn practice_findings_in_text_and_sarif() {
    let p = Project::new();
    let token = fake_hex(41, 40);
    p.write(
        ".env.production",
        format!("VITE_PICTIFY_API_KEY=\nPICTIFY_API_KEY={token}\n"),
    );
    p.write(
        "src/main.js",
        "import { createApp } from 'vue'\nlocalStorage.setItem('pictify_api_key', window.prompt('key'))\n",
    );
    let text = p.run(&["scan", "."]);
    assert_eq!(text.code, 1);
    assert!(!text.stdout.contains(&token), "{}", text.stdout);
    // The practice finding shows the matched code, not a redacted version of it.
    assert!(
        text.stdout
            .contains("localStorage.setItem('pictify_api_key', window.prompt('key'))"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains("Settings > API Keys"),
        "{}",
        text.stdout
    );

    let json = p.run(&["scan", "--format", "json", "."]).json();
    assert!(!json.to_string().contains(&token));
    for f in json["findings"].as_array().unwrap() {
        let fix = f["fix"].as_str().unwrap();
        assert!(
            fix.contains("server-side endpoint") && fix.contains("Settings > API Keys"),
            "{}: {fix}",
            f["rule_id"]
        );
    }

    let sarif = p.run(&["scan", "--format", "sarif", "."]);
    assert!(!sarif.stdout.contains(&token));
    let v: serde_json::Value = serde_json::from_str(&sarif.stdout).unwrap();
    let run = &v["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    for id in [
        "pictify.browser-storage",
        "pictify.public-env-var",
        "pictify.token",
    ] {
        let rule = rules.iter().find(|r| r["id"] == id).expect(id);
        let md = rule["help"]["markdown"].as_str().unwrap();
        assert!(md.contains("server-side endpoint"), "{id}: {md}");
        assert!(md.contains("Settings > API Keys"), "{id}: {md}");
        assert!(
            rule["properties"]["tags"]
                .as_array()
                .unwrap()
                .contains(&"security".into()),
            "{id}"
        );
    }
    let results = run["results"].as_array().unwrap();
    let storage = results
        .iter()
        .find(|r| r["ruleId"] == "pictify.browser-storage")
        .unwrap();
    assert_eq!(storage["properties"]["keyEnvironment"], "unknown");
    assert_eq!(storage["properties"]["context"], "browser-storage");
    assert_eq!(storage["properties"]["attribution"], "practice");
    let region = &storage["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 2);
    assert_eq!(region["startColumn"], 1);
    assert!(storage["partialFingerprints"]
        .as_object()
        .is_some_and(|o| !o.is_empty()));
    let env = results
        .iter()
        .find(|r| r["ruleId"] == "pictify.public-env-var")
        .unwrap();
    assert_eq!(env["properties"]["context"], "client-js");
}

#[test]
fn key_finding_subsumes_practice_findings_on_its_line() {
    let p = Project::new();
    let key = live_key(51);
    p.write(
        "src/Share.jsx",
        format!(
            "import React from 'react'\nconst client = new Pictify({{ apiKey: '{key}' }})\nlocalStorage.setItem('pictifyKey', '{key}')\nconst other = new Pictify({{\n  apiKey: '{key}',\n}})\n"
        ),
    );
    p.write(
        ".env",
        format!("NEXT_PUBLIC_PICTIFY_API_KEY={key}\nNEXT_PUBLIC_PICTIFY_TOKEN=\n"),
    );
    let (_, got) = scan_json(&p);
    assert_eq!(
        got,
        sorted(vec![
            f(".env", 1, "client-js", "critical", "pictify.api-key"),
            f(".env", 2, "client-js", "high", "pictify.public-env-var"),
            f(
                "src/Share.jsx",
                2,
                "client-js",
                "critical",
                "pictify.api-key"
            ),
            f(
                "src/Share.jsx",
                3,
                "browser-storage",
                "critical",
                "pictify.api-key"
            ),
            // The match of the multi-line `new Pictify({` runs to the key's line.
            f(
                "src/Share.jsx",
                5,
                "client-js",
                "critical",
                "pictify.api-key"
            ),
        ])
    );
}

#[test]
fn practice_fingerprint_survives_moving_code() {
    let p = Project::new();
    let code = "import React from 'react'\nlocalStorage.setItem('pictifyKey', key)\n";
    p.write("src/a.js", code);
    let first = p.run(&["scan", "--format", "json", "."]).json();
    p.write("src/a.js", format!("// a comment\n\n{code}"));
    let second = p.run(&["scan", "--format", "json", "."]).json();
    let fp = |v: &serde_json::Value| {
        (
            v["findings"][0]["fingerprint"]
                .as_str()
                .unwrap()
                .to_string(),
            v["findings"][0]["line"].as_u64().unwrap(),
        )
    };
    let (a, la) = fp(&first);
    let (b, lb) = fp(&second);
    assert_eq!((la, lb), (2, 4));
    assert_eq!(a, b);
    // Another file with the same code is a different finding.
    p.write("src/b.js", code);
    let third = p.run(&["scan", "--format", "json", "."]).json();
    let fps: Vec<&str> = third["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(fps.len(), 2);
    assert_ne!(fps[0], fps[1]);
}

#[test]
fn user_rules_can_use_the_practice_fields() {
    let p = Project::new();
    let rules = Project::new();
    rules.write(
        "acme.toml",
        r#"[[rule]]
id = "acme.pictify-in-worker"
name = "Pictify called from a service worker"
description = "Service workers run in the browser."
kind = "practice"
keywords = ["pictify"]
keyword_casings = true
keyword_scope = "file"
pattern = '\bself\.addEventListener\s*\(\s*.fetch.'
file_requires = '(?i)api\.pictify\.io'
file_unless = 'pkscan-ignore-file'
report_context = "client-js"
severity = "medium"
examples = [{ path = "public/sw.js", text = "self.addEventListener('fetch', e => {})\n// PICTIFY\nconst u = 'https://api.pictify.io/x'" }]
negative_examples = [{ path = "public/sw.js", text = "self.addEventListener('fetch', e => {})\n// pictify via /api" }]
"#,
    );
    let rules_dir = rules.path().to_str().unwrap();
    let check = p.run(&["rules", "check", "--rules", rules_dir]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
    p.write(
        "web/sw.js",
        "self.addEventListener('fetch', (e) => e.respondWith(fetch(e.request)))\n\n// Pictify: https://api.pictify.io/image\n",
    );
    let r = p.run(&["scan", "--format", "json", "--rules", rules_dir, "."]);
    let mut got = r.findings();
    got.sort();
    assert_eq!(
        got,
        vec![f(
            "web/sw.js",
            1,
            "client-js",
            "medium",
            "acme.pictify-in-worker"
        )]
    );
}
