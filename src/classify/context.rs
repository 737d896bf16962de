//! Context classification: where a finding sits (client JS, mobile, browser storage,
//! config, server, docs, test), from the project around the file (its nearest
//! manifest, see `project`), its path and its content together.
use super::project::Shape;
use crate::finding::Context;
use regex::bytes::Regex;
use std::sync::OnceLock;

/// What the path and the file as a whole say, computed once per file with hits.
#[derive(Clone, Debug)]
pub struct FileContext {
    pub context: Context,
    pub reason: String,
    /// The project the file belongs to, when a manifest above it says.
    pub project: Option<Shape>,
}

fn lower_components(path: &str) -> Vec<String> {
    path.split(['/', '\\'])
        .filter(|c| !c.is_empty())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Where a JVM source set's package path starts: in `src/main/java/com/example/…`
/// the directories after `java` are a package name (`com.example` is Android
/// Studio's default), not words about the code.
fn package_path_start(dirs: &[String]) -> Option<usize> {
    (2..dirs.len())
        .find(|&i| {
            matches!(dirs[i].as_str(), "java" | "kotlin" | "scala" | "groovy")
                && dirs[i - 2] == "src"
        })
        .map(|i| i + 1)
}

fn ext_of(name: &str) -> &str {
    match name.rfind('.') {
        Some(i) if i > 0 => &name[i + 1..],
        _ => "",
    }
}

struct Signals {
    client_import: Regex,
    server_import: Regex,
    mobile_import: Regex,
    bundler_var: Regex,
    storage_write: Regex,
}

fn signals() -> &'static Signals {
    static S: OnceLock<Signals> = OnceLock::new();
    S.get_or_init(|| Signals {
        // Imports and markers of code that runs in a browser.
        client_import: Regex::new(
            r#"(?x)
            ['"]use\ client['"]
            | from\s+['"](?:react|react-dom(?:/client)?|vue|svelte|@angular/core|preact|solid-js|next/(?:link|router|navigation|image)|@remix-run/react)['"]
            | require\(\s*['"](?:react|react-dom|vue)['"]\s*\)
            | \b(?:document\.(?:getElementById|querySelector|addEventListener|cookie)|window\.(?:location|addEventListener|localStorage|sessionStorage)|localStorage\.|sessionStorage\.)
            | import\.meta\.env
            "#,
        )
        .unwrap(),
        // Imports and markers of code that runs on a server or as a tool.
        server_import: Regex::new(
            r#"(?x)
            ['"]use\ server['"]
            | (?:from\s+|require\(\s*)['"](?:node:)?(?:express|fastify|koa|@nestjs/[a-z]+|http|https|fs|fs/promises|path|child_process|next/server|@hapi/hapi|hono)['"]
            | \bexport\s+(?:async\s+)?function\s+(?:GET|POST|PUT|DELETE|PATCH|getServerSideProps|getStaticProps)\b
            | \bhttp\.createServer\b
                        | \bexport\s+default\s*\{\s*async\s+fetch\s*\(\s*\w+\s*,\s*env\b
            | \b(?:Bun|Deno)\.serve\s*\(
            | \bBun\.env\b
            | \bapp\.(?:get|post|listen)\(
            "#,
        )
        .unwrap(),
        mobile_import: Regex::new(
            r#"(?x)
            from\s+['"](?:react-native|expo(?:-[a-z-]+)?|@react-native[a-z/-]*)['"]
            | require\(\s*['"]react-native['"]\s*\)
            | \bimport\s+(?:UIKit|SwiftUI|Foundation)\b
            | \bimport\s+android\.
            | package:flutter/
            "#,
        )
        .unwrap(),
                bundler_var: Regex::new(
            r"\b(?:NEXT_PUBLIC|VITE|REACT_APP|NUXT_PUBLIC|EXPO_PUBLIC|GATSBY|VUE_APP|PUBLIC|MAIN_VITE|RENDERER_VITE|PRELOAD_VITE)_[A-Z0-9_]+",
        )
        .unwrap(),
        storage_write: Regex::new(
            r#"(?x)
            \b(?:localStorage|sessionStorage)\s*(?:\.\s*setItem\s*\(|\[[^\]]*\]\s*=[^=]|\.\s*[A-Za-z_$][\w$]*\s*=[^=])
            | \bdocument\.cookie\s*=[^=]
            | \b(?:localforage|localForage)\s*\.\s*setItem\s*\(
            | \b(?:chrome|browser)\s*\.\s*storage\s*\.\s*(?:local|sync|session)\s*\.\s*set\s*\(
            | \.\s*(?:put|add)\s*\(.*(?:objectStore|indexedDB|idb)
            | \b(?:objectStore|store)\s*\([^)]*\)\s*\.\s*(?:put|add)\s*\(
            | \bCookies\.set\s*\(
            | \bsetCookie\s*\(
            "#,
        )
        .unwrap(),
    })
}

const DOC_EXTS: &[&str] = &[
    "md", "mdx", "markdown", "rst", "adoc", "asciidoc", "txt", "textile", "org",
];
const CLIENT_EXTS: &[&str] = &["vue", "svelte", "astro", "html", "htm", "jsx", "tsx"];
const SCRIPT_EXTS: &[&str] = &["js", "mjs", "cjs", "ts", "mts", "cts"];
const MOBILE_EXTS: &[&str] = &[
    "swift",
    "m",
    "mm",
    "kt",
    "dart",
    "xcconfig",
    "plist",
    "pbxproj",
    "storyboard",
    "xib",
    "gradle",
    "apk",
    "aab",
    "ipa",
    "dex",
    "arsc",
    "hbc",
    "smali",
    "entitlements",
];
const CONFIG_EXTS: &[&str] = &[
    "env",
    "yml",
    "yaml",
    "toml",
    "ini",
    "cfg",
    "conf",
    "properties",
    "json",
    "json5",
    "jsonc",
    "tf",
    "tfvars",
    "hcl",
    "xml",
    "npmrc",
    "tfstate",
    "config",
    "neon",
];
const SERVER_EXTS: &[&str] = &[
    "py", "rb", "go", "rs", "php", "java", "cs", "sh", "bash", "zsh", "ps1", "pl", "ex", "exs",
    "scala", "clj", "lua", "r", "ipynb", "sql", "c", "cc", "cpp", "h", "hpp", "fs", "groovy",
    "erb",
];

const CLIENT_DIRS: &[&str] = &[
    "public",
    "static",
    "www",
    "wwwroot",
    "frontend",
    "client",
    "web",
    "webapp",
    "components",
    "pages",
    "app",
    "views",
    "layouts",
    "hooks",
    "dist",
    "build",
    ".next",
    ".nuxt",
    ".svelte-kit",
    ".output",
    "assets",
    "src",
];
const SERVER_DIRS: &[&str] = &[
    "server",
    "servers",
    "api",
    "backend",
    "functions",
    "lambda",
    "lambdas",
    "routes",
    "controllers",
    "middleware",
    "scripts",
    "bin",
    "cmd",
    "internal",
    "services",
    "workers",
    "jobs",
    "cron",
    "netlify",
    "supabase",
    "tools",
];
const MOBILE_DIRS: &[&str] = &[
    "ios",
    "android",
    "mobile",
    "flutter",
    "xcode",
    "app-mobile",
    "react-native",
];
const TEST_DIRS: &[&str] = &[
    "test",
    "tests",
    "__tests__",
    "spec",
    "specs",
    "__mocks__",
    "e2e",
    "cypress",
    "playwright",
    "testdata",
    "test-data",
    "fixtures",
    "__fixtures__",
    "mocks",
    "androidtest",
];
const DOC_DIRS: &[&str] = &[
    "docs",
    "doc",
    "documentation",
    "examples",
    "example",
    "samples",
    "sample",
    "guides",
    "tutorial",
    "tutorials",
    "website",
];
const CONFIG_DIRS: &[&str] = &[
    ".github",
    ".circleci",
    ".gitlab",
    "k8s",
    "kubernetes",
    "helm",
    "charts",
    "deploy",
    "deployment",
    "infra",
    "terraform",
    "config",
    ".buildkite",
    "manifests",
];

/// Extensions of app packages: everything inside one ships to users' devices.
const APP_PACKAGE_EXTS: &[&str] = &["apk", "aab", "ipa", "aar", "apks", "xapk", "appx", "msix"];

/// The innermost app package an archive-entry path (`app.apk!/classes.dex`) is in.
fn app_package(path: &str) -> Option<&str> {
    let mut parts: Vec<&str> = path.split(crate::finding::ARCHIVE_SEP).collect();
    parts.pop();
    parts.into_iter().rev().find(|container| {
        let name = container.rsplit(['/', '\\']).next().unwrap_or(container);
        APP_PACKAGE_EXTS.contains(&ext_of(&name.to_ascii_lowercase()))
    })
}

/// Compiled mobile code recognised by its magic bytes (Android DEX).
fn mobile_magic(text: &[u8]) -> Option<&'static str> {
    if text.starts_with(b"dex\n") {
        return Some("Android DEX bytecode");
    }
    None
}

/// Classifies a file from its project, path and contents: tests and prose
/// first; then what the nearest manifest says the project is; then path
/// signals, imports and framework markers.
pub fn classify_file(path: &str, text: &[u8], binary: bool, project: Option<Shape>) -> FileContext {
    let mut fc = classify_file_inner(path, text, binary, project.as_ref());
    fc.project = project;
    fc
}

fn classify_file_inner(
    path: &str,
    text: &[u8],
    binary: bool,
    project: Option<&Shape>,
) -> FileContext {
    // Inside an app package, everything ships to devices, whatever the entry is
    // (a README.md in an APK is still readable by anyone with the app). Only a
    // test fixture package in the repository stays a test.
    if let Some(pkg) = app_package(path) {
        let outer = path
            .split(crate::finding::ARCHIVE_SEP)
            .next()
            .unwrap_or(path);
        let outer_comps = lower_components(outer);
        if let Some(d) = outer_comps[..outer_comps.len().saturating_sub(1)]
            .iter()
            .find(|d| TEST_DIRS.contains(&d.as_str()))
        {
            return FileContext {
                context: Context::Test,
                reason: format!("app package under a `{d}/` directory"),
                project: None,
            };
        }
        let pkg_name = pkg.rsplit(['/', '\\']).next().unwrap_or(pkg);
        return FileContext {
            context: Context::Mobile,
            reason: format!("inside app package `{pkg_name}`"),
            project: None,
        };
    }
    let comps = lower_components(path);
    let name = comps.last().cloned().unwrap_or_default();
    // Shown in reasons as written; matched in lower case.
    let shown = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let ext = ext_of(&name).to_string();
    let dirs = &comps[..comps.len().saturating_sub(1)];
    let fc = |context, reason: String| FileContext {
        context,
        reason,
        project: None,
    };
    // Words inside a JVM package path say nothing; nor do docs/example words
    // above the project's own directory (a runnable app in `examples/`).
    let pkg_start = package_path_start(dirs).unwrap_or(dirs.len());
    let project_depth = project.map_or(0, |s| {
        comps
            .len()
            .saturating_sub(s.rel.split('/').filter(|c| !c.is_empty()).count())
    });
    let word_dirs = &dirs[..pkg_start];
    let in_dir = |set: &[&str]| {
        word_dirs
            .iter()
            .find(|d| set.contains(&d.as_str()))
            .cloned()
    };
    let in_doc_dir = |set: &[&str]| {
        word_dirs
            .iter()
            .enumerate()
            .find(|(i, d)| *i >= project_depth && set.contains(&d.as_str()))
            .map(|(_, d)| d.clone())
    };

    // Tests: by directory or file name convention.
    let stem = name.split('.').next().unwrap_or(&name);
    let test_name = name.contains(".test.")
        || name.contains(".spec.")
        // Test setup files and test-only env files.
        || matches!(stem, "setuptests" | "setup-tests" | "setup_tests" | "test-setup" | "test_setup" | "testsetup" | "jest-setup" | "vitest-setup" | "conftest")
        || name.starts_with("jest.setup.")
        || name.starts_with("vitest.setup.")
        || name == ".env.test"
        || name == ".env.testing"
        || name.contains("_test.")
        || name.contains("_spec.")
        || name.starts_with("test_")
        || (name.ends_with("test.java")
            || name.ends_with("tests.java")
            || name.ends_with("test.kt")
            || name.ends_with("tests.swift"));
    if test_name {
        return fc(Context::Test, format!("test file name `{shown}`"));
    }
    if let Some(d) = in_dir(TEST_DIRS) {
        return fc(Context::Test, format!("under a `{d}/` directory"));
    }
    // Docs: prose files, published API descriptions, or anything under a
    // docs/examples directory.
    if DOC_EXTS.contains(&ext.as_str())
        || name.starts_with("readme")
        || name.starts_with("changelog")
        || (matches!(stem, "openapi" | "swagger")
            || name.contains(".openapi.")
            || name.contains(".swagger.")
            || dirs.iter().any(|d| d == "openapi" || d == "swagger")
            || is_api_description(text))
            && matches!(ext.as_str(), "yaml" | "yml" | "json")
    {
        return fc(Context::Docs, format!("documentation file `{shown}`"));
    }
    // A React Server Functions module runs only on the server, whatever the
    // framework and the directory.
    if !binary && starts_with_directive(text, "use server") {
        return fc(
            Context::Server,
            "a `'use server'` module runs on the server".into(),
        );
    }

    // The project around the file, unless the file is configuration every
    // kind of project has (CI, containers, env files decide for themselves).
    // Its code is the project's, wherever it sits: a `docs/` route of an app
    // is app code (the docs words below only judge files it does not cover).
    let env_file = name.starts_with(".env") || name.ends_with(".env");
    let shared_config = (env_file
        && !project.is_some_and(|s| s.kind().code.iter().any(|c| c == "env")))
        || name == "dockerfile"
        || name.starts_with("docker-compose")
        || name == "makefile"
        || name == "package.json"
        || name == "package-lock.json"
        || dirs
            .iter()
            .any(|d| CONFIG_DIRS.contains(&d.as_str()) && d.starts_with('.'));
    if let Some(shape) = project.filter(|_| !shared_config && !binary) {
        let code_ext = if env_file { "env" } else { ext.as_str() };
        if shape.by_path || shape.kind().code.iter().any(|c| c == code_ext) {
            // A server's module of settings or defaults is configuration.
            if shape.context == Context::Server
                && !shape.by_path
                && matches!(
                    stem,
                    "config" | "configuration" | "settings" | "defaults" | "default_config"
                )
            {
                return fc(
                    Context::Config,
                    format!("configuration code `{shown}` of a {}", shape.kind().name),
                );
            }
            return fc(shape.context, shape.reason.clone());
        }
    }
    if let Some(d) = in_doc_dir(DOC_DIRS) {
        return fc(Context::Docs, format!("under a `{d}/` directory"));
    }

    let sig = signals();
    let sniff = &text[..text.len().min(64 * 1024)];

    // Mobile: app sources, resources and packages.
    let mobile_file = name == "info.plist"
        || name == "strings.xml"
        || name == "androidmanifest.xml"
        || name == "google-services.json"
        || name == "googleservice-info.plist"
        || name == "podfile"
        || name == "pubspec.yaml"
        || name == "app.json" && dirs.is_empty() && !binary && contains(sniff, b"\"expo\"")
        || MOBILE_EXTS.contains(&ext.as_str());
    if mobile_file {
        return fc(Context::Mobile, format!("mobile app file `{shown}`"));
    }
    if let Some(what) = mobile_magic(text) {
        return fc(Context::Mobile, format!("{what} `{shown}`"));
    }
    if !binary
        && (SCRIPT_EXTS.contains(&ext.as_str()) || CLIENT_EXTS.contains(&ext.as_str()))
        && sig.mobile_import.is_match(sniff)
    {
        return fc(Context::Mobile, "imports React Native / Expo".into());
    }
    if let Some(d) = in_dir(MOBILE_DIRS) {
        if ext != "md" {
            return fc(Context::Mobile, format!("under an `{d}/` directory"));
        }
    }
    if ext == "java"
        && (path.contains("src/main/java") || path.contains("/res/"))
        && !binary
        && contains(sniff, b"android")
    {
        return fc(Context::Mobile, "Android source".into());
    }
    if ext == "xml" && dirs.iter().any(|d| d == "res" || d.starts_with("values")) {
        return fc(Context::Mobile, "Android resource file".into());
    }

    // Env files: config, unless the bundler inlines the variable (decided per line).
    if name.starts_with(".env") || name.ends_with(".env") || ext == "env" {
        return fc(Context::Config, format!("environment file `{shown}`"));
    }

    let is_script = SCRIPT_EXTS.contains(&ext.as_str());
    if CLIENT_EXTS.contains(&ext.as_str()) {
        if is_server_name(&name)
            || (!binary && sig.server_import.is_match(sniff) && !sig.client_import.is_match(sniff))
        {
            return fc(Context::Server, format!("server-side code `{shown}`"));
        }
        return fc(Context::ClientJs, format!("front-end file `{shown}`"));
    }
    if is_script {
        if name.ends_with(".min.js") || name.contains(".bundle.") || name.contains(".chunk.") {
            return fc(Context::ClientJs, format!("built bundle `{shown}`"));
        }
        if is_server_name(&name) || is_config_script(&name) {
            return fc(
                if is_config_script(&name) {
                    Context::Config
                } else {
                    Context::Server
                },
                format!("`{shown}` runs on the server or at build time"),
            );
        }
        let client = !binary && sig.client_import.is_match(sniff);
        let server = !binary && sig.server_import.is_match(sniff);
        if client && !server {
            return fc(
                Context::ClientJs,
                "imports a front-end framework or uses browser APIs".into(),
            );
        }
        if server && !client {
            return fc(Context::Server, "imports server-side modules".into());
        }
        if !client {
            if let Some(d) = word_dirs
                .iter()
                .find(|d| matches!(d.as_str(), "config" | "configs" | "settings"))
            {
                return fc(
                    Context::Config,
                    format!("configuration module under `{d}/`"),
                );
            }
        }
        if let Some(d) = in_dir(SERVER_DIRS) {
            return fc(Context::Server, format!("under a `{d}/` directory"));
        }
        if let Some(d) = in_dir(CLIENT_DIRS) {
            return fc(Context::ClientJs, format!("front-end script under `{d}/`"));
        }
        if client {
            return fc(Context::ClientJs, "uses browser APIs".into());
        }
        return fc(Context::Server, format!("script `{shown}`"));
    }
    // A Makefile's recipes are build tooling: commands, like a shell script;
    // so are committed HTTP request files (`.http`, `.rest`).
    if name == "makefile"
        || name == "gnumakefile"
        || name == "justfile"
        || matches!(ext.as_str(), "http" | "rest")
    {
        return fc(Context::Server, format!("build tooling `{shown}`"));
    }
    // A server language's module of settings or defaults is configuration.
    if SERVER_EXTS.contains(&ext.as_str())
        && (matches!(
            stem,
            "config" | "configuration" | "settings" | "defaults" | "default_config"
        ) || word_dirs
            .iter()
            .any(|d| matches!(d.as_str(), "config" | "configs" | "settings" | "conf")))
    {
        return fc(Context::Config, format!("configuration code `{shown}`"));
    }
    if CONFIG_EXTS.contains(&ext.as_str())
        || name == "dockerfile"
        || name.starts_with("docker-compose")
        || name == "procfile"
        || in_dir(CONFIG_DIRS).is_some()
    {
        return fc(Context::Config, format!("configuration file `{shown}`"));
    }
    if SERVER_EXTS.contains(&ext.as_str()) {
        return fc(Context::Server, format!("source file `{shown}`"));
    }
    if binary {
        return fc(Context::Server, format!("binary file `{shown}`"));
    }
    fc(Context::Config, format!("committed file `{shown}`"))
}

/// An OpenAPI or Swagger description: published API documentation.
fn is_api_description(text: &[u8]) -> bool {
    let head = &text[..text.len().min(512)];
    let t = head.trim_ascii_start();
    t.starts_with(b"openapi:")
        || t.starts_with(b"swagger:")
        || t.starts_with(b"{") && (contains(head, b"\"openapi\"") || contains(head, b"\"swagger\""))
}

/// Whether the file opens with a `'use …'` directive (after comments).
fn starts_with_directive(text: &[u8], directive: &str) -> bool {
    let mut t = &text[..text.len().min(2048)];
    loop {
        let trimmed = t.trim_ascii_start();
        if let Some(rest) = trimmed.strip_prefix(b"//") {
            t = &rest[memchr::memchr(b'\n', rest).map_or(rest.len(), |i| i + 1)..];
        } else if let Some(rest) = trimmed.strip_prefix(b"/*") {
            t = &rest[memchr::memmem::find(rest, b"*/").map_or(rest.len(), |i| i + 2)..];
        } else {
            t = trimmed;
            break;
        }
    }
    let d = directive.as_bytes();
    t.len() > d.len() + 1
        && matches!(t[0], b'\'' | b'"')
        && t[1..].starts_with(d)
        && t[d.len() + 1] == t[0]
}

fn is_server_name(name: &str) -> bool {
    name.contains(".server.")
        || name.starts_with("server.")
        || name.starts_with("middleware.")
        || name.starts_with("route.")
        || name.ends_with(".route.ts")
        || name.starts_with("api.")
}

fn is_config_script(name: &str) -> bool {
    name.contains(".config.")
        || name.starts_with(".eslintrc")
        || name.starts_with("gulpfile")
        || name.starts_with("gruntfile")
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(hay, needle).is_some()
}

/// The first variable a bundler inlines (`NEXT_PUBLIC_…`, `VITE_…`) in `code`.
pub fn bundler_var_in(code: &[u8]) -> Option<String> {
    signals()
        .bundler_var
        .find(code)
        .map(|m| String::from_utf8_lossy(m.as_bytes()).into_owned())
}

/// Refines the file's context for one hit from the code right around it: a key
/// written to browser storage, or assigned to a variable the bundler inlines.
pub fn refine(
    file: &FileContext,
    statement: &[u8],
    binary: bool,
) -> (crate::finding::Context, String) {
    if binary {
        return (file.context, file.reason.clone());
    }
    let sig = signals();
    if sig.storage_write.is_match(statement)
        && file.context != Context::Test
        && file.context != Context::Docs
    {
        return (Context::BrowserStorage, "written to browser storage".into());
    }
    if matches!(file.context, Context::Config | Context::Server) {
        if let Some(m) = sig.bundler_var.find(statement) {
            let var = String::from_utf8_lossy(m.as_bytes()).into_owned();
            // In an app (Expo, React Native) the bundle ships in the app.
            let app = file
                .project
                .as_ref()
                .is_some_and(|s| s.kind().context == Context::Mobile);
            return if app {
                (
                    Context::Mobile,
                    format!("`{var}` is inlined into the app's bundle"),
                )
            } else {
                (
                    Context::ClientJs,
                    format!("`{var}` is inlined into the client bundle"),
                )
            };
        }
    }
    (file.context, file.reason.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(path: &str, text: &str) -> Context {
        classify_file(path, text.as_bytes(), false, None).context
    }

    #[test]
    fn paths_and_content() {
        assert_eq!(ctx("src/App.tsx", ""), Context::ClientJs);
        assert_eq!(
            ctx("web/src/lib.js", "import React from 'react'"),
            Context::ClientJs
        );
        assert_eq!(
            ctx("server/index.js", "const express = require('express')"),
            Context::Server
        );
        assert_eq!(ctx("lib/x.js", "import fs from 'fs'"), Context::Server);
        assert_eq!(
            ctx("App.js", "import { View } from 'react-native'"),
            Context::Mobile
        );
        assert_eq!(
            ctx("android/app/src/main/res/values/strings.xml", ""),
            Context::Mobile
        );
        assert_eq!(ctx("ios/App/Info.plist", ""), Context::Mobile);
        assert_eq!(ctx(".env.production", ""), Context::Config);
        assert_eq!(ctx("k8s/deploy.yaml", ""), Context::Config);
        assert_eq!(ctx("docs/guide.md", ""), Context::Docs);
        assert_eq!(ctx("README.md", ""), Context::Docs);
        assert_eq!(ctx("src/api.test.ts", ""), Context::Test);
        assert_eq!(ctx("tests/conftest.py", ""), Context::Test);
        assert_eq!(ctx("scripts/render.py", ""), Context::Server);
        assert_eq!(ctx("notebooks/demo.ipynb", ""), Context::Server);
        assert_eq!(ctx("public/bundle.min.js", ""), Context::ClientJs);
    }

    #[test]
    fn app_packages_are_mobile_whatever_the_entry() {
        assert_eq!(ctx("dist/app.apk!/classes.dex", ""), Context::Mobile);
        assert_eq!(ctx("app.apk!/assets/README.md", ""), Context::Mobile);
        assert_eq!(
            ctx("build/App.ipa!/Payload/App.app/App", "\u{cf}\u{fa}"),
            Context::Mobile
        );
        assert_eq!(
            ctx("libs.zip!/sdk.aar!/res/values/config.properties", ""),
            Context::Mobile
        );
        let f = classify_file("out/x.apk!/classes.dex", b"", true, None);
        assert_eq!(f.reason, "inside app package `x.apk`");
        // Plain archives classify their entries by the entry's own path.
        assert_eq!(
            ctx("outer.zip!/inner.jar!/a.properties", ""),
            Context::Config
        );
        assert_eq!(
            ctx("tests/fixtures/app.apk!/classes.dex", ""),
            Context::Test
        );
        // DEX bytecode outside a package is recognised by its magic.
        assert_eq!(
            classify_file("blobs/payload", b"dex\n035\0...", true, None).context,
            Context::Mobile
        );
    }

    #[test]
    fn refine_storage_and_bundler_vars() {
        let f = classify_file("src/settings.js", b"", false, None);
        let (c, _) = refine(&f, b"localStorage.setItem('k', 'pk_live_x')", false);
        assert_eq!(c, Context::BrowserStorage);
        let env = classify_file(".env", b"", false, None);
        let (c, why) = refine(&env, b"NEXT_PUBLIC_PICTIFY_KEY=pk_live_x", false);
        assert_eq!(c, Context::ClientJs);
        assert!(why.contains("NEXT_PUBLIC_PICTIFY_KEY"));
        let (c, _) = refine(&env, b"PICTIFY_KEY=pk_live_x", false);
        assert_eq!(c, Context::Config);
    }
}
