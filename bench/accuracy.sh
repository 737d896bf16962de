#!/usr/bin/env bash
# pkscan's accuracy on the labelled corpus in tests/accuracy (see docs/accuracy.md):
# recall, false positives, context and severity accuracy per framework and per set.
#   bench/accuracy.sh                      build the release binary, score both sets
#   bench/accuracy.sh --set dev            only the dev set (dev | holdout | all)
#   bench/accuracy.sh --pkscan PATH        score this binary instead of building one
#   bench/accuracy.sh --failures           also list every failing label
#   bench/accuracy.sh --json               machine-readable output
# No network: everything runs on the files in tests/accuracy.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
command -v python3 >/dev/null || { echo "accuracy: python3 is required (apt-get install -y python3)" >&2; exit 2; }
exec python3 "$here/accuracy.py" "$@"
