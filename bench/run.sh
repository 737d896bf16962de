#!/usr/bin/env bash
# pkscan benchmark against ripgrep and Kingfisher on a real node_modules corpus.
#   bench/run.sh            full run: ~700 MB corpus, 5 alternating runs per tool, release build
#   bench/run.sh --smoke    CI smoke: a few packages, 2 runs, the debug build `cargo test` made
#   bench/run.sh --help     all options
# Everything it downloads or builds goes to bench/work/ (git-ignored).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
command -v python3 >/dev/null || { echo "bench: python3 is required (apt-get install -y python3)" >&2; exit 2; }
exec python3 "$here/bench.py" "$@"
