#!/usr/bin/env bash
# Rebuilds tests/fixtures/url/vite: the real `vite build` output of the small app in
# bench/url-fixture/vite (a page, a lazily imported module, a Pictify client that
# reads VITE_PICTIFY_API_KEY), installed from the npm registry with the versions in
# its package-lock.json. The key baked in is a placeholder of a real key's length
# (pk_live_ + 32 X); the test replaces it with a random key, so source map
# positions stay right. node_modules and the build stay under bench/work (ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
work=bench/work/url-fixture-vite
rm -rf "$work"
mkdir -p "$work"
cp -r bench/url-fixture/vite/. "$work"/
(cd "$work" && npm ci --no-audit --no-fund && \
  VITE_PICTIFY_API_KEY="pk_live_$(printf 'X%.0s' $(seq 32))" npx vite build)
rm -rf tests/fixtures/url/vite
mkdir -p tests/fixtures/url
cp -r "$work/dist" tests/fixtures/url/vite
find tests/fixtures/url/vite -type f | sort
