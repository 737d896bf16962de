#!/usr/bin/env bash
# Installs what the tests need from package registries and nothing else:
# Debian's chromium for the HTML report's browser test. When it cannot be
# installed the test says so loudly and is skipped; everything else still runs.
set -uo pipefail
if [ -x /usr/bin/chromium ] || [ -n "${PKSCAN_CHROMIUM:-}" ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "ci-deps: WARNING: no apt-get; cannot install chromium (the HTML browser test will be skipped)" >&2
  exit 0
fi
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
if $sudo apt-get update -qq >/dev/null &&
  $sudo apt-get install -y -qq -o DPkg::Lock::Timeout=600 chromium >/dev/null; then
  echo "ci-deps: installed $(/usr/bin/chromium --version 2>/dev/null)"
else
  echo "ci-deps: WARNING: could not install chromium with apt-get (the HTML browser test will be skipped)" >&2
fi
